//! What the cases closed in a period came to: won or lost, by group, with
//! the sales cycle of the won ones; and why the lost ones were lost.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::stats::{DurationStats, MoneySum, MoneySums, ratio};
use super::{CaseHistory, Period};
use crate::ids::{QualifierId, UserId};
use crate::source::Source;
use crate::status::Status;

/// How closed cases are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    None,
    Source,
    Owner,
    Qualifier,
}

/// A group's key; `Owner(None)` and `Qualifier(None)` hold the cases
/// without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OutcomeKey {
    All,
    Source(Source),
    Owner(Option<UserId>),
    Qualifier(Option<QualifierId>),
}

impl OutcomeKey {
    fn of(case: &CaseHistory, group_by: GroupBy) -> OutcomeKey {
        match group_by {
            GroupBy::None => OutcomeKey::All,
            GroupBy::Source => OutcomeKey::Source(case.source),
            GroupBy::Owner => OutcomeKey::Owner(case.owner),
            GroupBy::Qualifier => OutcomeKey::Qualifier(case.qualifier),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomesReport {
    /// Every group with a case closed in the period, in key order.
    pub groups: Vec<(OutcomeKey, OutcomeGroup)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeGroup {
    pub acquired: u64,
    pub resigned: u64,
    /// Acquired over all closed, to four places.
    pub win_rate: Option<String>,
    pub acquired_value: Vec<MoneySum>,
    /// From creation to closing, over the acquired cases: the sales cycle.
    pub cycle: DurationStats,
}

impl OutcomeGroup {
    pub fn of(
        acquired: u64,
        resigned: u64,
        acquired_value: &MoneySums,
        cycle: DurationStats,
    ) -> OutcomeGroup {
        OutcomeGroup {
            acquired,
            resigned,
            win_rate: ratio(acquired, acquired + resigned),
            acquired_value: acquired_value.to_list(),
            cycle,
        }
    }
}

/// The cases closed in `period` (by their last closing), grouped.
pub fn outcomes(cases: &[CaseHistory], period: &Period, group_by: GroupBy) -> OutcomesReport {
    #[derive(Default)]
    struct Tally {
        acquired: u64,
        resigned: u64,
        value: MoneySums,
        cycles: Vec<i64>,
    }
    let mut tallies: BTreeMap<OutcomeKey, Tally> = BTreeMap::new();
    for case in cases {
        let Some(closed) = case.closed_in(period) else {
            continue;
        };
        let tally = tallies.entry(OutcomeKey::of(case, group_by)).or_default();
        match closed {
            Status::Acquired => {
                tally.acquired += 1;
                if let Some((amount, currency)) = case.value {
                    tally.value.add(amount, currency);
                }
                if let Some(closed_at) = case.closed_at {
                    tally.cycles.push((closed_at - case.created_at).num_seconds());
                }
            }
            _ => tally.resigned += 1,
        }
    }
    OutcomesReport {
        groups: tallies
            .into_iter()
            .map(|(key, tally)| {
                let group = OutcomeGroup::of(
                    tally.acquired,
                    tally.resigned,
                    &tally.value,
                    DurationStats::of(tally.cycles),
                );
                (key, group)
            })
            .collect(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResignationsReport {
    pub total: u64,
    /// Most frequent first, ties by the reason's text.
    pub reasons: Vec<ReasonCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonCount {
    pub reason: String,
    pub count: u64,
}

/// The cases resigned in `period`, by their last resignation reason.
pub fn resignations(cases: &[CaseHistory], period: &Period) -> ResignationsReport {
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut total = 0;
    for case in cases {
        if case.closed_in(period) != Some(Status::Resigned) {
            continue;
        }
        total += 1;
        let reason = case
            .resignation_reason()
            .map(|reason| reason.as_str().to_owned())
            .unwrap_or_default();
        *counts.entry(reason).or_default() += 1;
    }
    ResignationsReport::of_counts(total, counts)
}

impl ResignationsReport {
    /// The report from each reason's count: most frequent first, ties by
    /// the reason's text.
    pub fn of_counts(total: u64, counts: impl IntoIterator<Item = (String, u64)>) -> ResignationsReport {
        let mut reasons: Vec<ReasonCount> = counts
            .into_iter()
            .map(|(reason, count)| ReasonCount { reason, count })
            .collect();
        reasons.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
        ResignationsReport { total, reasons }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::test_history::{Build, case, november};
    use crate::status::Stage;

    fn closed_cases() -> Vec<CaseHistory> {
        vec![
            // Won in 10 days, 1,000.00 PLN, by e-mail, owner 5.
            case("2026-10-25T00:00:00Z").owned_by(5).worth(100_000, "PLN").to(
                "2026-11-04T00:00:00Z",
                Status::Acquired,
                None,
            ),
            // Won in 2 days, 50.00 EUR, by phone, owner 5.
            case("2026-11-10T00:00:00Z")
                .owned_by(5)
                .came_by(Source::Phone)
                .worth(5_000, "EUR")
                .to("2026-11-12T00:00:00Z", Status::Acquired, None),
            // Won in 4 days, no value, unassigned.
            case("2026-11-10T00:00:00Z").to("2026-11-14T00:00:00Z", Status::Acquired, None),
            // Lost, owner 5.
            case("2026-11-10T00:00:00Z")
                .owned_by(5)
                .resign("2026-11-15T00:00:00Z", "Za drogo"),
            // Closed in October: outside.
            case("2026-10-01T00:00:00Z").to("2026-10-31T23:00:00Z", Status::Acquired, None),
            // Still open.
            case("2026-11-10T00:00:00Z").to(
                "2026-11-11T00:00:00Z",
                Status::InAcquisition,
                Some(Stage::ToOffer),
            ),
        ]
    }

    #[test]
    fn one_group_counts_won_and_lost_values_per_currency_and_the_cycle_of_the_won() {
        let report = outcomes(&closed_cases(), &november(), GroupBy::None);
        let [(key, group)] = report.groups.as_slice() else {
            panic!("one group: {report:?}");
        };
        assert_eq!(*key, OutcomeKey::All);
        assert_eq!((group.acquired, group.resigned), (3, 1));
        assert_eq!(group.win_rate.as_deref(), Some("0.7500"));
        let values: Vec<(&str, &str)> = group
            .acquired_value
            .iter()
            .map(|sum| (sum.currency.as_str(), sum.amount.as_str()))
            .collect();
        assert_eq!(values, [("EUR", "50.00"), ("PLN", "1000.00")]);
        let day = 86_400;
        assert_eq!(
            group.cycle,
            DurationStats {
                count: 3,
                median: Some(4 * day),
                p75: Some(10 * day),
                mean: Some(16 * day / 3)
            }
        );
    }

    #[test]
    fn groups_by_owner_hold_the_unassigned_and_only_groups_with_something_closed() {
        let report = outcomes(&closed_cases(), &november(), GroupBy::Owner);
        let keys: Vec<OutcomeKey> = report.groups.iter().map(|(key, _)| *key).collect();
        assert_eq!(
            keys,
            [OutcomeKey::Owner(None), OutcomeKey::Owner(Some(UserId(5)))]
        );
        let owner = &report.groups[1].1;
        assert_eq!(
            (owner.acquired, owner.resigned, owner.win_rate.as_deref()),
            (2, 1, Some("0.6667"))
        );
        let by_source = outcomes(&closed_cases(), &november(), GroupBy::Source);
        let sources: Vec<OutcomeKey> = by_source.groups.iter().map(|(key, _)| *key).collect();
        assert_eq!(
            sources,
            [
                OutcomeKey::Source(Source::Phone),
                OutcomeKey::Source(Source::Email)
            ]
        );
    }

    #[test]
    fn a_case_reopened_and_closed_again_counts_once_by_its_last_closing() {
        let cases = vec![
            case("2026-10-01T00:00:00Z")
                .to("2026-10-20T00:00:00Z", Status::Acquired, None)
                .to(
                    "2026-10-21T00:00:00Z",
                    Status::Offered,
                    Some(Stage::InNegotiation),
                )
                .resign("2026-11-03T00:00:00Z", "Za drogo")
                .to("2026-11-05T00:00:00Z", Status::Offered, Some(Stage::ContractSent))
                .to("2026-11-06T00:00:00Z", Status::Acquired, None),
        ];
        let report = outcomes(&cases, &november(), GroupBy::None);
        assert_eq!((report.groups[0].1.acquired, report.groups[0].1.resigned), (1, 0));
        assert_eq!(resignations(&cases, &november()).total, 0);
    }

    #[test]
    fn nothing_closed_gives_no_groups() {
        assert!(outcomes(&[], &november(), GroupBy::Source).groups.is_empty());
    }

    #[test]
    fn reasons_are_the_last_ones_most_frequent_first_then_by_text() {
        let cases = vec![
            case("2026-11-01T00:00:00Z").resign("2026-11-02T00:00:00Z", "Za drogo"),
            case("2026-11-01T00:00:00Z").resign("2026-11-02T00:00:00Z", "Brak budżetu"),
            case("2026-11-01T00:00:00Z").resign("2026-11-02T00:00:00Z", "Wybrał konkurencję"),
            // Resigned twice: the last reason counts.
            case("2026-11-01T00:00:00Z")
                .resign("2026-11-02T00:00:00Z", "Brak kontaktu")
                .to("2026-11-03T00:00:00Z", Status::AwaitingPickup, None)
                .resign("2026-11-04T00:00:00Z", "Za drogo"),
            case("2026-11-01T00:00:00Z").resign("2026-12-02T00:00:00Z", "Za drogo"),
        ];
        let report = resignations(&cases, &november());
        assert_eq!(report.total, 4);
        let reasons: Vec<(&str, u64)> = report
            .reasons
            .iter()
            .map(|reason| (reason.reason.as_str(), reason.count))
            .collect();
        assert_eq!(
            reasons,
            [("Za drogo", 2), ("Brak budżetu", 1), ("Wybrał konkurencję", 1)]
        );
    }
}
