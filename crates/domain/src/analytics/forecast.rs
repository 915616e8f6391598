//! The forecast: open cases by the month they are expected to close in,
//! at full value and weighted by the chance of their step; beside it, what
//! the past months actually brought.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize, Serializer};

use super::stats::{MoneySum, MoneySums};
use super::{CaseHistory, Step};
use crate::status::Status;
use crate::violation::{ViolationCode, Violations};

/// A chance from 0 to 1 in ten-thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Probability(u16);

/// A chance as the API writes it: 0 to 1 with at most four decimals.
pub const PROBABILITY_PATTERN: &str = r"^(0(\.[0-9]{1,4})?|1(\.0{1,4})?)$";

impl Probability {
    pub const ONE: u16 = 10_000;

    /// Reads a chance written as [`PROBABILITY_PATTERN`] says (`0.1`,
    /// `0.125`, `1`); anything else is not one.
    pub fn parse(raw: &str) -> Result<Probability, ViolationCode> {
        let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
        let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
        if !matches!(whole, "0" | "1")
            || (raw.contains('.') && fraction.is_empty())
            || fraction.len() > 4
            || !digits(fraction)
        {
            return Err(ViolationCode::InvalidValue);
        }
        let fraction: u16 = format!("{fraction:0<4}")
            .parse()
            .map_err(|_| ViolationCode::InvalidValue)?;
        let whole: u16 = if whole == "1" { Self::ONE } else { 0 };
        Probability::from_ten_thousandths(whole + fraction).ok_or(ViolationCode::OutOfRange)
    }

    pub fn from_ten_thousandths(value: u16) -> Option<Probability> {
        (value <= Self::ONE).then_some(Probability(value))
    }

    pub fn ten_thousandths(self) -> u16 {
        self.0
    }

    /// `minor_units` times this chance, rounded half-up to a minor unit.
    fn of(self, minor_units: i64) -> i128 {
        let product = i128::from(minor_units) * i128::from(self.0);
        (2 * product + i128::from(Self::ONE)) / (2 * i128::from(Self::ONE))
    }
}

impl std::fmt::Display for Probability {
    /// At least two decimals, at most four: `0.10`, `0.125`, `1.00`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fraction = format!("{:04}", self.0 % Self::ONE);
        let fraction = fraction.trim_end_matches('0');
        write!(f, "{}.{fraction:0<2}", self.0 / Self::ONE)
    }
}

impl Serialize for Probability {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The chances of the open steps as the API reads and writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProbabilitiesBody {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::probability))]
    pub awaiting_pickup: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::probability))]
    pub call_scheduled: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::probability))]
    pub after_call_meeting: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::probability))]
    pub to_offer: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::probability))]
    pub in_negotiation: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::probability))]
    pub contract_sent: String,
}

impl ProbabilitiesBody {
    fn fields(&self) -> [(&'static str, &str); 6] {
        [
            ("awaiting_pickup", &self.awaiting_pickup),
            ("call_scheduled", &self.call_scheduled),
            ("after_call_meeting", &self.after_call_meeting),
            ("to_offer", &self.to_offer),
            ("in_negotiation", &self.in_negotiation),
            ("contract_sent", &self.contract_sent),
        ]
    }

    /// The chances, or what is wrong with each field that is not one.
    pub fn parse(&self) -> Result<StepProbabilities, Violations> {
        let mut violations = Violations::new();
        let mut chances = [Probability(0); 6];
        for (chance, (field, raw)) in chances.iter_mut().zip(self.fields()) {
            match Probability::parse(raw) {
                Ok(parsed) => *chance = parsed,
                Err(code) => violations.push(field, code),
            }
        }
        violations.into_result(StepProbabilities(chances))
    }
}

impl From<StepProbabilities> for ProbabilitiesBody {
    fn from(chances: StepProbabilities) -> Self {
        let [
            awaiting_pickup,
            call_scheduled,
            after_call_meeting,
            to_offer,
            in_negotiation,
            contract_sent,
        ] = chances.0.map(|chance| chance.to_string());
        ProbabilitiesBody {
            awaiting_pickup,
            call_scheduled,
            after_call_meeting,
            to_offer,
            in_negotiation,
            contract_sent,
        }
    }
}

/// The chance of each open step (steps 1–6) that a case in it is won.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepProbabilities(pub [Probability; 6]);

impl Default for StepProbabilities {
    fn default() -> Self {
        StepProbabilities([1_000, 2_000, 3_000, 4_000, 6_000, 8_000].map(Probability))
    }
}

impl StepProbabilities {
    pub fn of(&self, step: Step) -> Option<Probability> {
        self.0
            .get(Step::ALL.iter().position(|each| *each == step)?)
            .copied()
    }

    /// Whether the chances rise (or stay) along the funnel: a falling one
    /// is worth a warning, not a refusal.
    pub fn rise_along_the_funnel(&self) -> bool {
        self.0.windows(2).all(|pair| pair[0] <= pair[1])
    }
}

/// A forecast month: `overdue`, or a calendar month as `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MonthKey {
    Overdue,
    Month { year: i32, month: u32 },
}

impl MonthKey {
    pub fn of(date: NaiveDate) -> MonthKey {
        MonthKey::Month {
            year: date.year(),
            month: date.month(),
        }
    }
}

impl std::fmt::Display for MonthKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MonthKey::Overdue => f.write_str("overdue"),
            MonthKey::Month { year, month } => write!(f, "{year:04}-{month:02}"),
        }
    }
}

impl Serialize for MonthKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl std::str::FromStr for MonthKey {
    type Err = ViolationCode;

    /// `overdue` or `YYYY-MM`.
    fn from_str(raw: &str) -> Result<MonthKey, ViolationCode> {
        if raw == "overdue" {
            return Ok(MonthKey::Overdue);
        }
        let (year, month) = raw.split_once('-').ok_or(ViolationCode::InvalidValue)?;
        let year: i32 = year.parse().map_err(|_| ViolationCode::InvalidValue)?;
        let month: u32 = month.parse().map_err(|_| ViolationCode::InvalidValue)?;
        if (1..=12).contains(&month) {
            Ok(MonthKey::Month { year, month })
        } else {
            Err(ViolationCode::InvalidValue)
        }
    }
}

impl<'de> Deserialize<'de> for MonthKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        raw.parse().map_err(|_| serde::de::Error::custom("not a month"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastReport {
    /// The chances the weighted sums use.
    #[cfg_attr(feature = "openapi", schema(value_type = ProbabilitiesBody))]
    pub probabilities: StepProbabilities,
    /// `overdue`, then each month from the current one.
    pub months: Vec<ForecastMonth>,
    /// As many past months, ending with the current one.
    pub actual: Vec<MonthActual>,
}

impl<'de> Deserialize<'de> for StepProbabilities {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ProbabilitiesBody::deserialize(deserializer)?
            .parse()
            .map_err(|_| serde::de::Error::custom("not a chance"))
    }
}

impl Serialize for StepProbabilities {
    /// As [`ProbabilitiesBody`]: by step, `awaiting_pickup` then each stage.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ProbabilitiesBody::from(*self).serialize(serializer)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForecastMonth {
    /// `overdue` (open cases expected to close before today), or `YYYY-MM`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^(overdue|[0-9]{4}-(0[1-9]|1[0-2]))$"))]
    pub month: MonthKey,
    pub count: u64,
    pub value: Vec<MoneySum>,
    pub weighted: Vec<MoneySum>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthActual {
    /// `YYYY-MM`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$"))]
    pub month: MonthKey,
    pub acquired: u64,
    pub value: Vec<MoneySum>,
}

/// What the open cases of one forecast month come to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlannedTally {
    pub count: u64,
    pub value: MoneySums,
    /// Each case's value times its step's chance, rounded to the grosz
    /// before summing.
    pub weighted: MoneySums,
}

/// What the cases acquired in one past month come to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActualTally {
    pub acquired: u64,
    pub value: MoneySums,
}

/// The months a forecast covers: `months` from the one holding `today`,
/// and as many past ones ending with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastFrame {
    pub today: NaiveDate,
    pub ahead: Vec<MonthKey>,
    /// The past months' first days, oldest first, then the next month's.
    pub behind_bounds: Vec<NaiveDate>,
}

impl ForecastFrame {
    pub fn new(today: NaiveDate, months: u32) -> ForecastFrame {
        let first_day = today.with_day(1).unwrap_or(today);
        let month_start = |offset: i64| {
            let day = match offset < 0 {
                true => first_day.checked_sub_months(Months::new(offset.unsigned_abs() as u32)),
                false => first_day.checked_add_months(Months::new(offset as u32)),
            };
            day.unwrap_or(first_day)
        };
        ForecastFrame {
            today,
            ahead: (0..i64::from(months))
                .map(|offset| MonthKey::of(month_start(offset)))
                .collect(),
            behind_bounds: (0..=i64::from(months))
                .rev()
                .map(|back| month_start(1 - back))
                .collect(),
        }
    }

    /// The month an open case expected to close on `date` is planned in.
    pub fn planned_month(&self, date: NaiveDate) -> MonthKey {
        match date < self.today {
            true => MonthKey::Overdue,
            false => MonthKey::of(date),
        }
    }

    /// The past months, oldest first.
    pub fn behind(&self) -> Vec<MonthKey> {
        self.behind_bounds
            .iter()
            .take(self.behind_bounds.len().saturating_sub(1))
            .map(|day| MonthKey::of(*day))
            .collect()
    }

    /// The report from each month's tallies; months outside the frame are
    /// left out, months without cases show zeros.
    pub fn report(
        &self,
        probabilities: StepProbabilities,
        planned: &BTreeMap<MonthKey, PlannedTally>,
        actual: &BTreeMap<MonthKey, ActualTally>,
    ) -> ForecastReport {
        let empty_plan = PlannedTally::default();
        let empty_actual = ActualTally::default();
        ForecastReport {
            probabilities,
            months: std::iter::once(MonthKey::Overdue)
                .chain(self.ahead.iter().copied())
                .map(|month| {
                    let tally = planned.get(&month).unwrap_or(&empty_plan);
                    ForecastMonth {
                        month,
                        count: tally.count,
                        value: tally.value.to_list(),
                        weighted: tally.weighted.to_list(),
                    }
                })
                .collect(),
            actual: self
                .behind()
                .into_iter()
                .map(|month| {
                    let tally = actual.get(&month).unwrap_or(&empty_actual);
                    MonthActual {
                        month,
                        acquired: tally.acquired,
                        value: tally.value.to_list(),
                    }
                })
                .collect(),
        }
    }
}

/// The forecast for `months` months from the one holding `today`, with
/// `local_date` giving an instant's calendar day in the caller's zone.
pub fn forecast(
    cases: &[CaseHistory],
    today: NaiveDate,
    months: u32,
    probabilities: StepProbabilities,
    local_date: impl Fn(DateTime<Utc>) -> NaiveDate,
) -> ForecastReport {
    let frame = ForecastFrame::new(today, months);
    let mut planned: BTreeMap<MonthKey, PlannedTally> = BTreeMap::new();
    let mut actual: BTreeMap<MonthKey, ActualTally> = BTreeMap::new();
    for case in cases {
        if case.status.is_open() {
            let tally = planned
                .entry(frame.planned_month(case.expected_close_date))
                .or_default();
            tally.count += 1;
            if let Some((amount, currency)) = case.value {
                tally.value.add(amount, currency);
                let chance = case.step().and_then(|step| probabilities.of(step));
                if let Some(chance) = chance {
                    tally
                        .weighted
                        .add_minor_units(chance.of(amount.minor_units()), currency);
                }
            }
        } else if case.status == Status::Acquired
            && let Some(closed_at) = case.closed_at
        {
            let tally = actual.entry(MonthKey::of(local_date(closed_at))).or_default();
            tally.acquired += 1;
            if let Some((amount, currency)) = case.value {
                tally.value.add(amount, currency);
            }
        }
    }
    frame.report(probabilities, &planned, &actual)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::test_history::{Build, case};
    use crate::status::Stage;

    fn utc_date(at: DateTime<Utc>) -> NaiveDate {
        at.date_naive()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    fn amounts(sums: &[MoneySum]) -> Vec<(&str, &str)> {
        sums.iter()
            .map(|sum| (sum.currency.as_str(), sum.amount.as_str()))
            .collect()
    }

    #[test]
    fn open_cases_fall_in_their_expected_month_or_overdue_weighted_by_their_step() {
        let cases = vec![
            // Step 5 (0.60) in December: 1,000.01 PLN weighs 600.006 → 600.01.
            case("2026-11-01T00:00:00Z")
                .worth(100_001, "PLN")
                .closing("2026-12-20")
                .to(
                    "2026-11-02T00:00:00Z",
                    Status::Offered,
                    Some(Stage::InNegotiation),
                ),
            // Step 1 (0.10), due yesterday: overdue.
            case("2026-11-01T00:00:00Z")
                .worth(1_005, "PLN")
                .closing("2026-12-01"),
            // Step 2 (0.20) in January, EUR, and one without a value.
            case("2026-11-01T00:00:00Z")
                .worth(10_000, "EUR")
                .closing("2027-01-31")
                .to(
                    "2026-11-02T00:00:00Z",
                    Status::InAcquisition,
                    Some(Stage::CallScheduled),
                ),
            case("2026-11-01T00:00:00Z").closing("2027-01-01"),
            // Beyond the window, and closed cases: not forecast.
            case("2026-11-01T00:00:00Z")
                .worth(500, "PLN")
                .closing("2027-03-01"),
            case("2026-11-01T00:00:00Z")
                .closing("2026-12-10")
                .resign("2026-11-05T00:00:00Z", "Za drogo"),
        ];
        let report = forecast(&cases, today(), 2, StepProbabilities::default(), utc_date);
        let months: Vec<String> = report.months.iter().map(|row| row.month.to_string()).collect();
        assert_eq!(months, ["overdue", "2026-12", "2027-01"]);
        let counts: Vec<u64> = report.months.iter().map(|row| row.count).collect();
        assert_eq!(counts, [1, 1, 2]);
        assert_eq!(
            amounts(&report.months[0].weighted),
            [("PLN", "1.01")],
            "10.05 × 0.10 = 1.005 → 1.01"
        );
        assert_eq!(amounts(&report.months[1].value), [("PLN", "1000.01")]);
        assert_eq!(amounts(&report.months[1].weighted), [("PLN", "600.01")]);
        assert_eq!(amounts(&report.months[2].weighted), [("EUR", "20.00")]);
    }

    #[test]
    fn actuals_are_the_acquired_cases_by_their_closing_month_in_the_callers_zone() {
        let cases = vec![
            case("2026-10-01T00:00:00Z").worth(1_000, "PLN").to(
                "2026-11-30T23:30:00Z",
                Status::Acquired,
                None,
            ),
            case("2026-10-01T00:00:00Z").worth(2_000, "PLN").to(
                "2026-12-01T10:00:00Z",
                Status::Acquired,
                None,
            ),
            case("2026-10-01T00:00:00Z").to("2026-10-15T10:00:00Z", Status::Acquired, None),
        ];
        let utc = forecast(&cases, today(), 2, StepProbabilities::default(), utc_date);
        let rows: Vec<(String, u64)> = utc
            .actual
            .iter()
            .map(|row| (row.month.to_string(), row.acquired))
            .collect();
        assert_eq!(rows, [("2026-11".to_owned(), 1), ("2026-12".to_owned(), 1)]);
        // An hour ahead of UTC, the late November closing is in December.
        let warsaw_winter = |at: DateTime<Utc>| (at + chrono::Duration::hours(1)).date_naive();
        let ahead = forecast(&cases, today(), 2, StepProbabilities::default(), warsaw_winter);
        assert_eq!(ahead.actual[1].acquired, 2);
        assert_eq!(amounts(&ahead.actual[1].value), [("PLN", "30.00")]);
    }

    #[test]
    fn probabilities_are_written_with_two_to_four_decimals_and_may_warn() {
        let written: Vec<String> = [1_000, 1_250, 1_234, 10_000, 0]
            .map(|value| Probability::from_ten_thousandths(value).unwrap().to_string())
            .to_vec();
        assert_eq!(written, ["0.10", "0.125", "0.1234", "1.00", "0.00"]);
        assert!(Probability::from_ten_thousandths(10_001).is_none());
        assert!(StepProbabilities::default().rise_along_the_funnel());
        let mut falling = StepProbabilities::default();
        falling.0[5] = Probability(5_000);
        assert!(!falling.rise_along_the_funnel());
        let read: Vec<Option<u16>> = [
            "0", "1", "0.1", "0.125", "0.0001", "1.0000", "1.5", "2", "0.", ".5", "0.12345", "-0.1", "0,1",
            "1.01", "",
        ]
        .map(|raw| Probability::parse(raw).ok().map(Probability::ten_thousandths))
        .to_vec();
        assert_eq!(
            read,
            [
                Some(0),
                Some(10_000),
                Some(1_000),
                Some(1_250),
                Some(1),
                Some(10_000),
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None
            ]
        );
        let json = serde_json::to_value(StepProbabilities::default()).unwrap();
        assert_eq!(json["awaiting_pickup"], "0.10");
        assert_eq!(json["contract_sent"], "0.80");
    }
}
