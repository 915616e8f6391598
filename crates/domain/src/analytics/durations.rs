//! How long cases stay in each open status and each stage.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::stats::DurationStats;
use super::{CaseHistory, Period};
use crate::event::Change;
use crate::status::{Stage, Status};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DurationsReport {
    /// Every open status, in funnel order.
    pub statuses: Vec<StayFigures>,
    /// Every stage, in funnel order.
    pub stages: Vec<StayFigures>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StayFigures {
    pub status: Status,
    pub stage: Option<Stage>,
    /// The stays that ended in the period: their lengths.
    pub left: DurationStats,
    /// The stays still going on at `now`, whatever the period: their ages.
    pub current: DurationStats,
}

/// One stay in a status or a stage: `[entered, left)`, `left` `None` while
/// it goes on.
#[derive(Debug, Clone, Copy)]
struct Stay<T> {
    place: T,
    entered: DateTime<Utc>,
    left: Option<DateTime<Utc>>,
}

/// Every stay of a case in a status and in a stage, from its history: a
/// status change ends the status's stay and the stage's.
fn stays(case: &CaseHistory) -> (Vec<Stay<Status>>, Vec<Stay<Stage>>) {
    let (mut statuses, mut stages): (Vec<Stay<Status>>, Vec<Stay<Stage>>) = (Vec::new(), Vec::new());
    fn end<T>(stays: &mut [Stay<T>], at: DateTime<Utc>) {
        if let Some(stay) = stays.last_mut().filter(|stay| stay.left.is_none()) {
            stay.left = Some(at);
        }
    }
    for event in &case.events {
        match &event.change {
            Change::Created { status, .. } => statuses.push(Stay {
                place: *status,
                entered: event.at,
                left: None,
            }),
            Change::Status { to, .. } => {
                end(&mut statuses, event.at);
                end(&mut stages, event.at);
                statuses.push(Stay {
                    place: *to,
                    entered: event.at,
                    left: None,
                });
            }
            Change::Stage { to, .. } => {
                end(&mut stages, event.at);
                if let Some(stage) = to {
                    stages.push(Stay {
                        place: *stage,
                        entered: event.at,
                        left: None,
                    });
                }
            }
            Change::Owner { .. } | Change::Campaign { .. } => {}
        }
    }
    (statuses, stages)
}

fn figures<T: Copy + PartialEq>(
    stays: &[Stay<T>],
    place: T,
    period: &Period,
    now: DateTime<Utc>,
) -> [DurationStats; 2] {
    let of_place = || stays.iter().filter(move |stay| stay.place == place);
    let left = of_place()
        .filter_map(|stay| {
            stay.left
                .filter(|left| period.contains(*left))
                .map(|left| left - stay.entered)
        })
        .map(|length| length.num_seconds())
        .collect();
    let current = of_place()
        .filter(|stay| stay.left.is_none())
        .map(|stay| (now - stay.entered).num_seconds())
        .collect();
    [DurationStats::of(left), DurationStats::of(current)]
}

/// Time in each open status and each stage over `cases`: the stays that
/// ended in `period`, and those still going on at `now`.
pub fn durations(cases: &[CaseHistory], period: &Period, now: DateTime<Utc>) -> DurationsReport {
    let (mut statuses, mut stages) = (Vec::new(), Vec::new());
    for case in cases {
        let (case_statuses, case_stages) = stays(case);
        statuses.extend(case_statuses);
        stages.extend(case_stages);
    }
    DurationsReport::of(|status, stage| match stage {
        None => figures(&statuses, status, period, now),
        Some(stage) => figures(&stages, stage, period, now),
    })
}

impl DurationsReport {
    /// Every open status and every stage in funnel order, with the
    /// `[left, current]` figures `of_place` gives for each (`stage` `None`:
    /// the status's).
    pub fn of(of_place: impl Fn(Status, Option<Stage>) -> [DurationStats; 2]) -> DurationsReport {
        let row = |status: Status, stage: Option<Stage>| {
            let [left, current] = of_place(status, stage);
            StayFigures {
                status,
                stage,
                left,
                current,
            }
        };
        DurationsReport {
            statuses: Status::ALL
                .iter()
                .filter(|status| status.is_open())
                .map(|status| row(*status, None))
                .collect(),
            stages: Stage::ALL
                .iter()
                .map(|stage| row(stage.status(), Some(*stage)))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::test_history::{Build, at, case, november};

    const HOUR: i64 = 3_600;

    fn row(report: &DurationsReport, stage: Option<Stage>, status: Status) -> &StayFigures {
        report
            .statuses
            .iter()
            .chain(&report.stages)
            .find(|row| row.status == status && row.stage == stage)
            .expect("a row")
    }

    #[test]
    fn a_stay_lasts_from_the_move_in_to_the_next_change_and_a_status_change_ends_the_stage() {
        let cases = vec![
            case("2026-11-02T00:00:00Z")
                .to(
                    "2026-11-02T02:00:00Z",
                    Status::InAcquisition,
                    Some(Stage::CallScheduled),
                )
                .to(
                    "2026-11-02T05:00:00Z",
                    Status::InAcquisition,
                    Some(Stage::ToOffer),
                )
                .to(
                    "2026-11-03T05:00:00Z",
                    Status::Offered,
                    Some(Stage::InNegotiation),
                ),
        ];
        let now = at("2026-11-04T05:00:00Z");
        let report = durations(&cases, &november(), now);
        assert_eq!(report.statuses.len(), 3, "every open status");
        assert_eq!(report.stages.len(), 5, "every stage");
        let pickup = row(&report, None, Status::AwaitingPickup);
        assert_eq!((pickup.left.count, pickup.left.median), (1, Some(2 * HOUR)));
        let acquisition = row(&report, None, Status::InAcquisition);
        assert_eq!(acquisition.left.median, Some(27 * HOUR));
        assert_eq!(
            row(&report, Some(Stage::CallScheduled), Status::InAcquisition)
                .left
                .median,
            Some(3 * HOUR)
        );
        let to_offer = row(&report, Some(Stage::ToOffer), Status::InAcquisition);
        assert_eq!(
            to_offer.left.median,
            Some(24 * HOUR),
            "ended by the move to offered"
        );
        let negotiation = row(&report, Some(Stage::InNegotiation), Status::Offered);
        assert_eq!((negotiation.left.count, negotiation.current.count), (0, 1));
        assert_eq!(negotiation.current.median, Some(24 * HOUR));
        assert_eq!(
            row(&report, None, Status::Offered).current.median,
            Some(24 * HOUR)
        );
    }

    #[test]
    fn stays_left_outside_the_period_are_not_counted_but_a_current_one_is_whatever_the_period() {
        let cases = vec![
            case("2026-10-30T00:00:00Z").to(
                "2026-10-31T00:00:00Z",
                Status::InAcquisition,
                Some(Stage::CallScheduled),
            ),
            // Back and forth: two stays in the same stage.
            case("2026-11-01T00:00:00Z")
                .to(
                    "2026-11-01T01:00:00Z",
                    Status::InAcquisition,
                    Some(Stage::CallScheduled),
                )
                .to(
                    "2026-11-01T02:00:00Z",
                    Status::InAcquisition,
                    Some(Stage::AfterCallMeeting),
                )
                .to(
                    "2026-11-01T05:00:00Z",
                    Status::InAcquisition,
                    Some(Stage::CallScheduled),
                )
                .resign("2026-11-01T09:00:00Z", "Za drogo"),
        ];
        let report = durations(&cases, &november(), at("2026-12-10T00:00:00Z"));
        let pickup = row(&report, None, Status::AwaitingPickup);
        assert_eq!(
            (pickup.left.count, pickup.left.median),
            (1, Some(HOUR)),
            "the October stay is outside"
        );
        let call = row(&report, Some(Stage::CallScheduled), Status::InAcquisition);
        assert_eq!(
            (call.left.count, call.left.median, call.left.p75),
            (2, Some(HOUR), Some(4 * HOUR))
        );
        assert_eq!(call.current.count, 1, "the October case sits there still");
        assert_eq!(call.current.median, Some((40 * 24) * HOUR));
    }

    #[test]
    fn no_cases_list_every_row_with_nulls() {
        let report = durations(&[], &november(), at("2026-12-10T00:00:00Z"));
        assert!(
            report
                .statuses
                .iter()
                .chain(&report.stages)
                .all(|row| row.left == DurationStats::default() && row.current == DurationStats::default())
        );
    }
}
