//! The cohort funnel: the cases created in a period, by the deepest step
//! each has reached.

use serde::{Deserialize, Serialize};

use super::stats::ratio;
use super::{CaseHistory, Period, Step};
use crate::status::{Stage, Status};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FunnelReport {
    pub cohort: u64,
    pub steps: Vec<FunnelStep>,
    pub now: NowCounts,
    /// Where the cohort's resigned cases dropped out: every open step.
    pub resigned_at: Vec<ResignedAt>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FunnelStep {
    pub status: Status,
    pub stage: Option<Stage>,
    /// Cohort cases whose deepest step is this one or a later one.
    pub reached: u64,
    /// `reached` over the previous step's, to four places.
    pub conversion: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NowCounts {
    pub open: u64,
    pub resigned: u64,
    pub acquired: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResignedAt {
    pub status: Status,
    pub stage: Option<Stage>,
    pub count: u64,
}

/// The funnel of the cases created in `period`.
pub fn funnel(cases: &[CaseHistory], period: &Period) -> FunnelReport {
    let mut counts: Vec<(Step, Status, u64)> = Vec::new();
    for case in cases.iter().filter(|case| period.contains(case.created_at)) {
        counts.push((case.deepest_step(), case.status, 1));
    }
    FunnelReport::of_counts(&counts)
}

impl FunnelReport {
    /// The funnel of a cohort given as counts of cases by deepest step and
    /// current status (a pair may come more than once).
    pub fn of_counts(counts: &[(Step, Status, u64)]) -> FunnelReport {
        let mut steps: Vec<FunnelStep> = Vec::new();
        for step in Step::ALL {
            let reached = counts
                .iter()
                .filter(|(deepest, _, _)| *deepest >= step)
                .map(|(_, _, count)| count)
                .sum();
            let conversion = steps.last().and_then(|previous| ratio(reached, previous.reached));
            steps.push(FunnelStep {
                status: step.status(),
                stage: step.stage(),
                reached,
                conversion,
            });
        }
        let mut now = NowCounts::default();
        for (_, status, count) in counts {
            match status {
                Status::Resigned => now.resigned += count,
                Status::Acquired => now.acquired += count,
                _ => now.open += count,
            }
        }
        let resigned_at = Step::ALL[..Step::ALL.len() - 1]
            .iter()
            .map(|step| ResignedAt {
                status: step.status(),
                stage: step.stage(),
                count: counts
                    .iter()
                    .filter(|(deepest, status, _)| *status == Status::Resigned && deepest == step)
                    .map(|(_, _, count)| count)
                    .sum(),
            })
            .collect();
        FunnelReport {
            cohort: counts.iter().map(|(_, _, count)| count).sum(),
            steps,
            now,
            resigned_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::test_history::{Build, case, november};

    fn reached(report: &FunnelReport) -> Vec<u64> {
        report.steps.iter().map(|step| step.reached).collect()
    }

    #[test]
    fn a_skipped_step_counts_as_passed_and_a_move_back_does_not_lower_the_deepest() {
        let cases = vec![
            case("2026-11-02T09:00:00Z"),
            // Straight from pickup to negotiation: steps 2–4 passed.
            case("2026-11-03T09:00:00Z").to(
                "2026-11-04T09:00:00Z",
                Status::Offered,
                Some(Stage::InNegotiation),
            ),
            // Up to "to offer", then back to a call: deepest stays 4.
            case("2026-11-05T09:00:00Z")
                .to(
                    "2026-11-05T10:00:00Z",
                    Status::InAcquisition,
                    Some(Stage::CallScheduled),
                )
                .to(
                    "2026-11-06T10:00:00Z",
                    Status::InAcquisition,
                    Some(Stage::ToOffer),
                )
                .to(
                    "2026-11-07T10:00:00Z",
                    Status::InAcquisition,
                    Some(Stage::CallScheduled),
                ),
        ];
        let report = funnel(&cases, &november());
        assert_eq!(report.cohort, 3);
        assert_eq!(reached(&report), [3, 2, 2, 2, 1, 0, 0]);
        let conversions: Vec<Option<&str>> = report
            .steps
            .iter()
            .map(|step| step.conversion.as_deref())
            .collect();
        assert_eq!(
            conversions,
            [
                None,
                Some("0.6667"),
                Some("1.0000"),
                Some("1.0000"),
                Some("0.5000"),
                Some("0.0000"),
                None
            ]
        );
        assert_eq!(
            report.now,
            NowCounts {
                open: 3,
                resigned: 0,
                acquired: 0
            }
        );
    }

    #[test]
    fn resigned_cases_stay_in_the_steps_they_reached_and_show_where_they_dropped_out() {
        let cases = vec![
            case("2026-11-02T09:00:00Z")
                .to(
                    "2026-11-03T09:00:00Z",
                    Status::InAcquisition,
                    Some(Stage::AfterCallMeeting),
                )
                .resign("2026-11-04T09:00:00Z", "Za drogo"),
            case("2026-11-02T10:00:00Z").resign("2026-11-02T11:00:00Z", "Brak kontaktu"),
            // Acquired, reopened, then resigned: deepest 7, in no drop-out row.
            case("2026-11-03T09:00:00Z")
                .to("2026-11-10T09:00:00Z", Status::Acquired, None)
                .to(
                    "2026-11-11T09:00:00Z",
                    Status::Offered,
                    Some(Stage::InNegotiation),
                )
                .resign("2026-11-12T09:00:00Z", "Wybrał konkurencję"),
            case("2026-11-04T09:00:00Z").to("2026-11-20T09:00:00Z", Status::Acquired, None),
        ];
        let report = funnel(&cases, &november());
        assert_eq!(reached(&report), [4, 3, 3, 2, 2, 2, 2]);
        assert_eq!(
            report.now,
            NowCounts {
                open: 0,
                resigned: 3,
                acquired: 1
            }
        );
        let dropped: Vec<u64> = report.resigned_at.iter().map(|row| row.count).collect();
        assert_eq!(dropped, [1, 0, 1, 0, 0, 0]);
        assert_eq!(
            report.resigned_at.len(),
            6,
            "every open step listed, zeros included"
        );
    }

    #[test]
    fn the_cohort_is_the_cases_created_in_the_period_with_its_bounds_half_open() {
        let cases = vec![
            case("2026-10-31T23:59:59Z"),
            case("2026-11-01T00:00:00Z"),
            case("2026-11-30T23:59:59Z"),
            case("2026-12-01T00:00:00Z"),
        ];
        assert_eq!(funnel(&cases, &november()).cohort, 2);
    }

    #[test]
    fn an_empty_cohort_has_zeros_and_no_conversions() {
        let report = funnel(&[], &november());
        assert_eq!(report.cohort, 0);
        assert!(
            report
                .steps
                .iter()
                .all(|step| step.reached == 0 && step.conversion.is_none())
        );
        assert_eq!(report.steps.len(), 7);
    }
}
