//! How figures are summarised: nearest-rank quantiles of durations, ratios
//! to four places and money kept apart per currency.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::values::{Amount, Currency};

/// Count, median, p75 and mean of durations in whole seconds; the three
/// are `None` for no durations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DurationStats {
    pub count: u64,
    pub median: Option<i64>,
    pub p75: Option<i64>,
    /// Rounded down to a whole second.
    pub mean: Option<i64>,
}

impl DurationStats {
    pub fn of(mut seconds: Vec<i64>) -> DurationStats {
        seconds.sort_unstable();
        let count = seconds.len() as u64;
        let mean = (count > 0).then(|| {
            let total: i128 = seconds.iter().map(|&value| i128::from(value)).sum();
            i64::try_from(total.div_euclid(i128::from(count))).unwrap_or(i64::MAX)
        });
        DurationStats {
            count,
            median: nearest_rank(&seconds, 1, 2),
            p75: nearest_rank(&seconds, 3, 4),
            mean,
        }
    }
}

/// The `numerator/denominator`-quantile of sorted values: the value at rank
/// ⌈p·n⌉, counting from 1.
fn nearest_rank(sorted: &[i64], numerator: usize, denominator: usize) -> Option<i64> {
    let rank = (sorted.len() * numerator).div_ceil(denominator);
    sorted.get(rank.checked_sub(1)?).copied()
}

/// `numerator / denominator` as a decimal string rounded half-up to four
/// places (`"0.6667"`); `None` when the denominator is 0.
pub fn ratio(numerator: u64, denominator: u64) -> Option<String> {
    if denominator == 0 {
        return None;
    }
    let (numerator, denominator) = (u128::from(numerator), u128::from(denominator));
    let scaled = (numerator * 20_000 + denominator) / (2 * denominator);
    Some(format!("{}.{:04}", scaled / 10_000, scaled % 10_000))
}

/// One currency's sum: the amount as a decimal string with two places.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MoneySum {
    pub currency: String,
    pub amount: String,
}

/// Sums of money per currency, never across currencies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MoneySums(BTreeMap<String, i128>);

impl MoneySums {
    pub fn add(&mut self, amount: Amount, currency: Currency) {
        self.add_minor_units(i128::from(amount.minor_units()), currency);
    }

    pub fn add_minor_units(&mut self, minor_units: i128, currency: Currency) {
        *self.0.entry(currency.as_str().to_owned()).or_default() += minor_units;
    }

    /// The sums ordered by currency code.
    pub fn to_list(&self) -> Vec<MoneySum> {
        self.0
            .iter()
            .map(|(currency, minor_units)| MoneySum {
                currency: currency.clone(),
                amount: format!("{}.{:02}", minor_units / 100, minor_units % 100),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank_and_the_mean_is_rounded_down() {
        let stats = DurationStats::of(vec![40, 10, 30, 20]);
        // n = 4: the median is rank ⌈2⌉ = 20, the p75 rank ⌈3⌉ = 30.
        assert_eq!(
            stats,
            DurationStats {
                count: 4,
                median: Some(20),
                p75: Some(30),
                mean: Some(25)
            }
        );
        // n = 5: ranks ⌈2.5⌉ = 3 and ⌈3.75⌉ = 4; the mean 15.2 rounds down.
        let stats = DurationStats::of(vec![1, 2, 3, 4, 66]);
        assert_eq!(
            (stats.median, stats.p75, stats.mean),
            (Some(3), Some(4), Some(15))
        );
        let one = DurationStats::of(vec![7]);
        assert_eq!((one.median, one.p75, one.mean), (Some(7), Some(7), Some(7)));
    }

    #[test]
    fn no_durations_give_nulls() {
        assert_eq!(
            DurationStats::of(Vec::new()),
            DurationStats {
                count: 0,
                median: None,
                p75: None,
                mean: None
            }
        );
    }

    #[test]
    fn ratios_round_half_up_to_four_places() {
        assert_eq!(ratio(2, 3).as_deref(), Some("0.6667"));
        assert_eq!(ratio(1, 3).as_deref(), Some("0.3333"));
        assert_eq!(ratio(14, 20).as_deref(), Some("0.7000"));
        assert_eq!(ratio(1, 8).as_deref(), Some("0.1250"));
        // 1/16 = 0.0625 exactly; 1/32 = 0.03125 rounds half up to 0.0313.
        assert_eq!(ratio(1, 32).as_deref(), Some("0.0313"));
        assert_eq!(ratio(5, 5).as_deref(), Some("1.0000"));
        assert_eq!(ratio(0, 5).as_deref(), Some("0.0000"));
        assert_eq!(ratio(0, 0), None);
    }

    #[test]
    fn money_is_summed_per_currency_in_code_order() {
        let mut sums = MoneySums::default();
        let pln = Currency::PLN;
        let eur = Currency::parse("EUR").unwrap();
        sums.add(Amount::from_minor_units(1_250_000).unwrap(), pln);
        sums.add(Amount::from_minor_units(5).unwrap(), pln);
        sums.add(Amount::from_minor_units(99_99).unwrap(), eur);
        assert_eq!(
            sums.to_list(),
            vec![
                MoneySum {
                    currency: "EUR".into(),
                    amount: "99.99".into()
                },
                MoneySum {
                    currency: "PLN".into(),
                    amount: "12500.05".into()
                },
            ]
        );
        assert!(MoneySums::default().to_list().is_empty());
    }
}
