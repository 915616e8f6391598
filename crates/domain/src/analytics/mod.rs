//! The funnel's figures as pure functions over case histories
//! (`analytics.md`): the reference definition that every figure the store
//! computes must equal, recomputable by hand from `GET /cases/{id}/events`.

mod durations;
mod forecast;
mod funnel;
mod outcomes;
mod stats;
mod team;

use chrono::{DateTime, NaiveDate, Utc};

pub use durations::{DurationsReport, StayFigures, durations};
pub use forecast::{
    ActualTally, ForecastFrame, ForecastMonth, ForecastReport, MonthActual, MonthKey, PROBABILITY_PATTERN,
    PlannedTally, ProbabilitiesBody, Probability, StepProbabilities, forecast,
};
pub use funnel::{FunnelReport, FunnelStep, NowCounts, ResignedAt, funnel};
pub use outcomes::{
    GroupBy, OutcomeGroup, OutcomeKey, OutcomesReport, ReasonCount, ResignationsReport, outcomes,
    resignations,
};
pub use stats::{DurationStats, MoneySum, MoneySums, ratio};
pub use team::{TeamMember, TeamRow, WorkCounts, stale_before, team, team_rows};

use crate::event::Change;
use crate::ids::{QualifierId, UserId};
use crate::source::Source;
use crate::status::{Stage, Status};
use crate::values::{Amount, Currency, ResignationReason};
use crate::violation::{ViolationCode, Violations};

/// One event of a case's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEvent {
    pub at: DateTime<Utc>,
    pub actor: Option<UserId>,
    pub change: Change,
}

/// A case as the figures read it: where it stands now and its whole
/// history, oldest event first (the first one records its creation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseHistory {
    pub created_at: DateTime<Utc>,
    pub status: Status,
    pub stage: Option<Stage>,
    pub owner: Option<UserId>,
    pub source: Source,
    pub qualifier: Option<QualifierId>,
    /// The time of its last move into a closed status, while it is closed.
    pub closed_at: Option<DateTime<Utc>>,
    pub expected_close_date: NaiveDate,
    pub follow_up_at: Option<DateTime<Utc>>,
    pub value: Option<(Amount, Currency)>,
    pub events: Vec<HistoryEvent>,
}

impl CaseHistory {
    /// The highest step the case has ever been in; a later move back does
    /// not lower it, and `resigned` keeps the one reached before.
    pub fn deepest_step(&self) -> Step {
        // Between the status change and the stage change of one transition
        // the pair is transitional (a stage of another status): no step.
        let (mut status, mut stage) = (Status::INITIAL, None);
        let mut deepest = Step::AwaitingPickup;
        for event in &self.events {
            match &event.change {
                Change::Created { status: initial, .. } => status = *initial,
                Change::Status { to, .. } => status = *to,
                Change::Stage { to, .. } => stage = *to,
                Change::Owner { .. } | Change::Campaign { .. } => continue,
            }
            if let Some(step) = Step::of(status, stage) {
                deepest = deepest.max(step);
            }
        }
        deepest
    }

    /// The reason of the case's last move to `resigned`, while it is resigned.
    pub fn resignation_reason(&self) -> Option<&ResignationReason> {
        if self.status != Status::Resigned {
            return None;
        }
        self.events.iter().rev().find_map(|event| match &event.change {
            Change::Status {
                to: Status::Resigned,
                reason,
                ..
            } => reason.as_ref(),
            _ => None,
        })
    }

    /// The step the case is in now; `None` while it is resigned.
    pub fn step(&self) -> Option<Step> {
        Step::of(self.status, self.stage)
    }

    pub(crate) fn closed_in(&self, period: &Period) -> Option<Status> {
        (self.status.is_closed() && self.closed_at.is_some_and(|at| period.contains(at)))
            .then_some(self.status)
    }
}

/// The longest period a figure covers.
const MAX_PERIOD_MONTHS: u32 = 36;

/// The days a figure covers, `from` to `to`, both inclusive: both given,
/// in order, at most three years apart.
pub fn period_days(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate), Violations> {
    let mut violations = Violations::new();
    if from.is_none() {
        violations.push("from", ViolationCode::Required);
    }
    if to.is_none() {
        violations.push("to", ViolationCode::Required);
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err(violations);
    };
    if from > to {
        violations.push("to", ViolationCode::InvertedRange);
    } else if from
        .checked_add_months(chrono::Months::new(MAX_PERIOD_MONTHS))
        .is_none_or(|limit| to > limit)
    {
        violations.push("to", ViolationCode::OutOfRange);
    }
    violations.into_result((from, to))
}

/// A half-open interval of time `[start, end)`: a period's first day's
/// start and the day after its last day's start, in the caller's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Period {
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at < self.end
    }

    /// The days `from` to `to`, both inclusive, as calendar days in `zone`:
    /// a month across a daylight-saving change is still that month.
    #[cfg(feature = "tz")]
    pub fn of_days(from: chrono::NaiveDate, to: chrono::NaiveDate, zone: &crate::CallerTimeZone) -> Period {
        let after = to.checked_add_days(chrono::Days::new(1)).unwrap_or(to);
        Period {
            start: zone.start_of_day(from),
            end: zone.start_of_day(after),
        }
    }
}

/// The funnel's steps, in order: every open status with its stage, then
/// `acquired`. `resigned` is not a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    AwaitingPickup,
    CallScheduled,
    AfterCallMeeting,
    ToOffer,
    InNegotiation,
    ContractSent,
    Acquired,
}

impl Step {
    pub const ALL: [Step; 7] = [
        Step::AwaitingPickup,
        Step::CallScheduled,
        Step::AfterCallMeeting,
        Step::ToOffer,
        Step::InNegotiation,
        Step::ContractSent,
        Step::Acquired,
    ];

    /// The step of a status and stage; `None` for `resigned` and for a
    /// stage that is not the status's.
    pub fn of(status: Status, stage: Option<Stage>) -> Option<Step> {
        Step::ALL
            .into_iter()
            .find(|step| step.status() == status && step.stage() == stage)
    }

    pub const fn status(self) -> Status {
        match self {
            Step::AwaitingPickup => Status::AwaitingPickup,
            Step::CallScheduled | Step::AfterCallMeeting | Step::ToOffer => Status::InAcquisition,
            Step::InNegotiation | Step::ContractSent => Status::Offered,
            Step::Acquired => Status::Acquired,
        }
    }

    pub const fn stage(self) -> Option<Stage> {
        match self {
            Step::AwaitingPickup | Step::Acquired => None,
            Step::CallScheduled => Some(Stage::CallScheduled),
            Step::AfterCallMeeting => Some(Stage::AfterCallMeeting),
            Step::ToOffer => Some(Stage::ToOffer),
            Step::InNegotiation => Some(Stage::InNegotiation),
            Step::ContractSent => Some(Stage::ContractSent),
        }
    }
}

#[cfg(test)]
pub(crate) mod test_history;

#[cfg(test)]
mod period_tests {
    use chrono::NaiveDate;

    use super::*;

    fn day(text: &str) -> Option<NaiveDate> {
        Some(text.parse().unwrap())
    }

    fn fields(result: Result<(NaiveDate, NaiveDate), Violations>) -> Vec<(String, ViolationCode)> {
        match result {
            Ok(_) => Vec::new(),
            Err(violations) => violations
                .iter()
                .map(|violation| (violation.field.to_string(), violation.code))
                .collect(),
        }
    }

    fn named(expected: &[(&str, ViolationCode)]) -> Vec<(String, ViolationCode)> {
        expected
            .iter()
            .map(|(field, code)| (field.to_string(), *code))
            .collect()
    }

    #[test]
    fn a_period_needs_both_days_in_order_and_at_most_three_years() {
        assert_eq!(
            period_days(day("2026-11-01"), day("2026-11-30")).ok(),
            Some((day("2026-11-01").unwrap(), day("2026-11-30").unwrap()))
        );
        assert!(
            period_days(day("2026-11-01"), day("2026-11-01")).is_ok(),
            "one day"
        );
        assert!(
            period_days(day("2023-12-02"), day("2026-12-02")).is_ok(),
            "three years to the day"
        );
        assert_eq!(
            fields(period_days(None, None)),
            named(&[("from", ViolationCode::Required), ("to", ViolationCode::Required)])
        );
        assert_eq!(
            fields(period_days(day("2026-11-02"), day("2026-11-01"))),
            named(&[("to", ViolationCode::InvertedRange)])
        );
        assert_eq!(
            fields(period_days(day("2023-12-01"), day("2026-12-02"))),
            named(&[("to", ViolationCode::OutOfRange)])
        );
    }
}

#[cfg(all(test, feature = "tz"))]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::query::{CallerTimeZone, ZoneName};

    #[test]
    fn a_month_in_warsaw_across_the_end_of_summer_time_is_that_month() {
        let warsaw = CallerTimeZone::Named(ZoneName::parse("Europe/Warsaw").unwrap());
        let day = |d| NaiveDate::from_ymd_opt(2026, 10, d).unwrap();
        let october = Period::of_days(day(1), day(31), &warsaw);
        assert_eq!(october.start, test_history::at("2026-09-30T22:00:00Z"));
        assert_eq!(october.end, test_history::at("2026-10-31T23:00:00Z"));
        assert_eq!((october.end - october.start).num_hours(), 31 * 24 + 1);
    }
}
