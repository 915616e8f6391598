//! The manager's table: each owner's open work and results.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::outcomes::{GroupBy, OutcomeGroup, OutcomeKey, outcomes};
use super::stats::MoneySum;
use super::{CaseHistory, Period};
use crate::event::ChangeKind;
use crate::ids::UserId;
use crate::status::Status;

/// An open case untouched this long is stale.
const STALE_AFTER_DAYS: i64 = 14;

/// An active agent or manager, as the table names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMember {
    pub id: UserId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamRow {
    /// `None`: the unassigned cases.
    pub owner: Option<TeamMember>,
    pub open: u64,
    /// Offered cases whose follow-up is past.
    pub overdue_follow_ups: u64,
    /// Open cases with no history event for 14 days or more.
    pub stale: u64,
    pub acquired: u64,
    pub acquired_value: Vec<MoneySum>,
    pub resigned: u64,
    pub win_rate: Option<String>,
    pub cycle_median: Option<i64>,
    /// Status and stage changes they made in the period.
    pub moves: u64,
}

/// An owner's open work now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WorkCounts {
    pub open: u64,
    pub overdue_follow_ups: u64,
    pub stale: u64,
}

impl TeamRow {
    /// A row from the owner's open work, their outcomes in the period (none
    /// closed: `None`) and the moves they made.
    pub fn of(
        owner: Option<TeamMember>,
        work: WorkCounts,
        result: Option<&OutcomeGroup>,
        moves: u64,
    ) -> TeamRow {
        TeamRow {
            owner,
            open: work.open,
            overdue_follow_ups: work.overdue_follow_ups,
            stale: work.stale,
            acquired: result.map_or(0, |group| group.acquired),
            acquired_value: result.map_or_else(Vec::new, |group| group.acquired_value.clone()),
            resigned: result.map_or(0, |group| group.resigned),
            win_rate: result.and_then(|group| group.win_rate.clone()),
            cycle_median: result.and_then(|group| group.cycle.median),
            moves,
        }
    }
}

/// The moment before which an open case's latest event makes it stale.
pub fn stale_before(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(STALE_AFTER_DAYS)
}

/// One row per member who owns a case of `cases` now, by name, then one
/// for the unassigned cases when there are any.
pub fn team(
    cases: &[CaseHistory],
    members: &[TeamMember],
    period: &Period,
    now: DateTime<Utc>,
) -> Vec<TeamRow> {
    let stale_before = stale_before(now);
    let mut work: BTreeMap<Option<UserId>, WorkCounts> = BTreeMap::new();
    let mut moves: BTreeMap<UserId, u64> = BTreeMap::new();
    for case in cases {
        let counts = work.entry(case.owner).or_default();
        if case.status.is_open() {
            counts.open += 1;
            if case.events.last().is_some_and(|event| event.at <= stale_before) {
                counts.stale += 1;
            }
        }
        if case.status == Status::Offered && case.follow_up_at.is_some_and(|at| at < now) {
            counts.overdue_follow_ups += 1;
        }
        for event in &case.events {
            if let Some(actor) = event.actor
                && period.contains(event.at)
                && matches!(event.change.kind(), ChangeKind::Status | ChangeKind::Stage)
            {
                *moves.entry(actor).or_default() += 1;
            }
        }
    }
    let results = outcomes(cases, period, GroupBy::Owner);
    team_rows(
        members,
        &work.into_iter().collect::<Vec<_>>(),
        &results.groups,
        &moves.into_iter().collect::<Vec<_>>(),
    )
}

/// The table from its parts: each owner's open work (every owner of a case
/// in scope listed, `None` for the unassigned), the outcomes grouped by
/// owner, and the moves each user made. Rows for the members among the
/// owners, by name, then the unassigned.
pub fn team_rows(
    members: &[TeamMember],
    work: &[(Option<UserId>, WorkCounts)],
    results: &[(OutcomeKey, OutcomeGroup)],
    moves: &[(UserId, u64)],
) -> Vec<TeamRow> {
    let row = |owner: Option<UserId>, member: Option<TeamMember>| {
        let counts = work
            .iter()
            .find(|(each, _)| *each == owner)
            .map(|(_, counts)| *counts)
            .unwrap_or_default();
        let result = results
            .iter()
            .find(|(key, _)| *key == OutcomeKey::Owner(owner))
            .map(|(_, group)| group);
        let made = owner.map_or(0, |owner| {
            moves
                .iter()
                .find(|(actor, _)| *actor == owner)
                .map_or(0, |(_, count)| *count)
        });
        TeamRow::of(member, counts, result, made)
    };
    let mut owners: Vec<&TeamMember> = members
        .iter()
        .filter(|member| work.iter().any(|(owner, _)| *owner == Some(member.id)))
        .collect();
    owners.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    let mut rows: Vec<TeamRow> = owners
        .into_iter()
        .map(|member| row(Some(member.id), Some(member.clone())))
        .collect();
    if work.iter().any(|(owner, _)| owner.is_none()) {
        rows.push(row(None, None));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::test_history::{Build, at, case};
    use crate::status::Stage;

    fn member(id: i64, name: &str) -> TeamMember {
        TeamMember {
            id: UserId(id),
            name: name.to_owned(),
        }
    }

    #[test]
    fn each_owner_gets_their_open_work_results_and_moves_by_name_then_the_unassigned() {
        let november = Period {
            start: at("2026-11-01T00:00:00Z"),
            end: at("2026-12-01T00:00:00Z"),
        };
        let now = at("2026-12-02T12:00:00Z");
        let cases = vec![
            // Zofia's: offered with a past follow-up, moved by her in November.
            case("2026-11-01T00:00:00Z")
                .owned_by(7)
                .follow_up("2026-12-01T09:00:00Z")
                .to(
                    "2026-11-20T00:00:00Z",
                    Status::Offered,
                    Some(Stage::InNegotiation),
                )
                .moved_by(7),
            // Zofia's: won in November after 4 days, moved by Adam.
            case("2026-11-10T00:00:00Z")
                .owned_by(7)
                .worth(10_000, "PLN")
                .to("2026-11-14T00:00:00Z", Status::Acquired, None)
                .moved_by(3),
            // Adam's: untouched since October, stale.
            case("2026-10-01T00:00:00Z").owned_by(3),
            // Unassigned.
            case("2026-11-30T00:00:00Z"),
        ];
        let members = [
            member(7, "Zofia Nowak"),
            member(3, "Adam Lis"),
            member(9, "Ewa Bez Spraw"),
        ];
        let rows = team(&cases, &members, &november, now);
        let names: Vec<Option<&str>> = rows
            .iter()
            .map(|row| row.owner.as_ref().map(|owner| owner.name.as_str()))
            .collect();
        assert_eq!(
            names,
            [Some("Adam Lis"), Some("Zofia Nowak"), None],
            "no row for one without cases"
        );
        let [adam, zofia, unassigned] = rows.as_slice() else {
            panic!("three rows");
        };
        assert_eq!((adam.open, adam.stale, adam.acquired, adam.moves), (1, 1, 0, 1));
        assert_eq!(adam.win_rate, None);
        assert_eq!((zofia.open, zofia.overdue_follow_ups, zofia.stale), (1, 1, 0));
        assert_eq!(
            (zofia.acquired, zofia.resigned, zofia.win_rate.as_deref()),
            (1, 0, Some("1.0000"))
        );
        assert_eq!(zofia.cycle_median, Some(4 * 86_400));
        assert_eq!(zofia.acquired_value.len(), 1);
        assert_eq!(zofia.moves, 2, "a status and a stage change are two moves");
        assert_eq!((unassigned.open, unassigned.moves), (1, 0));
    }
}
