//! The manager's table: each owner's open work and results.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::outcomes::{GroupBy, OutcomeKey, outcomes};
use super::stats::MoneySum;
use super::{CaseHistory, Period};
use crate::event::ChangeKind;
use crate::ids::UserId;
use crate::status::Status;

/// An open case untouched this long is stale.
const STALE_AFTER_DAYS: i64 = 14;

/// An active agent or manager, as the table names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamMember {
    pub id: UserId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

/// One row per member who owns a case of `cases` now, by name, then one
/// for the unassigned cases when there are any.
pub fn team(
    cases: &[CaseHistory],
    members: &[TeamMember],
    period: &Period,
    now: DateTime<Utc>,
) -> Vec<TeamRow> {
    let mut owners: Vec<Option<&TeamMember>> = members
        .iter()
        .filter(|member| cases.iter().any(|case| case.owner == Some(member.id)))
        .map(Some)
        .collect();
    owners.sort_by_key(|member| member.map(|member| member.name.clone()));
    if cases.iter().any(|case| case.owner.is_none()) {
        owners.push(None);
    }
    let results = outcomes(cases, period, GroupBy::Owner);
    let stale_before = now - Duration::days(STALE_AFTER_DAYS);
    owners
        .into_iter()
        .map(|member| {
            let id = member.map(|member| member.id);
            let theirs = || cases.iter().filter(move |case| case.owner == id);
            let open = || theirs().filter(|case| case.status.is_open());
            let result = results
                .groups
                .iter()
                .find(|(key, _)| *key == OutcomeKey::Owner(id));
            let moves = match id {
                Some(id) => cases
                    .iter()
                    .flat_map(|case| &case.events)
                    .filter(|event| {
                        event.actor == Some(id)
                            && period.contains(event.at)
                            && matches!(event.change.kind(), ChangeKind::Status | ChangeKind::Stage)
                    })
                    .count() as u64,
                None => 0,
            };
            TeamRow {
                owner: member.cloned(),
                open: open().count() as u64,
                overdue_follow_ups: theirs()
                    .filter(|case| {
                        case.status == Status::Offered && case.follow_up_at.is_some_and(|at| at < now)
                    })
                    .count() as u64,
                stale: open()
                    .filter(|case| case.events.last().is_some_and(|event| event.at <= stale_before))
                    .count() as u64,
                acquired: result.map_or(0, |(_, group)| group.acquired),
                acquired_value: result.map_or_else(Vec::new, |(_, group)| group.acquired_value.clone()),
                resigned: result.map_or(0, |(_, group)| group.resigned),
                win_rate: result.and_then(|(_, group)| group.win_rate.clone()),
                cycle_median: result.and_then(|(_, group)| group.cycle.median),
                moves,
            }
        })
        .collect()
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
