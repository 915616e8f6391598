//! Cell values in the forms people actually have: Polish and ISO dates,
//! Excel serial dates, amounts with decimal commas and space thousands,
//! sources by code or label.

use std::sync::LazyLock;

use calamine::{ExcelDateTime, ExcelDateTimeType};
use chrono::{DateTime, NaiveDate, NaiveTime};
use lejek_domain::{Language, Source, ViolationCode};

use crate::text::key;

/// The largest Excel serial date, 9999-12-31.
const MAX_SERIAL_DATE: f64 = 2_958_465.0;

/// `2026-12-31`, `31.12.2026`, `31/12/2026`, `31-12-2026`, `2026/12/31`
/// (day before month, as in Poland; two-digit years are refused), an Excel
/// serial date (`46387`, `46387.5`, 1900 system), or any of these with a
/// time (`2026-12-31 14:00`, `31.12.2026 14:00:00`, `2026-12-31T14:00:00Z`),
/// whose date as written is taken. A trailing Polish `r.` ("rok") is allowed.
pub fn parse_date(raw: &str) -> Result<NaiveDate, ViolationCode> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(ViolationCode::Blank);
    }
    if let Ok(datetime) = DateTime::parse_from_rfc3339(text) {
        return Ok(datetime.date_naive());
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
        && let Ok(serial) = text.replace(',', ".").parse::<f64>()
    {
        return serial_date(serial);
    }
    let text = text
        .strip_suffix("r.")
        .or_else(|| text.strip_suffix('r'))
        .map_or(text, str::trim_end);
    let (date, time) = match text.split_once([' ', 'T']) {
        Some((date, time)) => (date, Some(time.trim())),
        None => (text, None),
    };
    if let Some(time) = time
        && !["%H:%M", "%H:%M:%S", "%H:%M:%S%.f"]
            .iter()
            .any(|format| NaiveTime::parse_from_str(time, format).is_ok())
    {
        return Err(ViolationCode::InvalidValue);
    }
    calendar_date(date).ok_or(ViolationCode::InvalidValue)
}

/// Year first or last, four digits; day and month one or two.
fn calendar_date(text: &str) -> Option<NaiveDate> {
    let separator = text.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(separator, '-' | '.' | '/') {
        return None;
    }
    let parts: Vec<&str> = text.split(separator).collect();
    let [a, b, c] = parts[..] else { return None };
    if ![a, b, c]
        .iter()
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (year, month, day) = match (a.len(), b.len(), c.len()) {
        (4, 1..=2, 1..=2) => (a, b, c),
        (1..=2, 1..=2, 4) => (c, b, a),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// Excel's 1900 system, which counts the 29th of February 1900 that Lotus
/// 1-2-3 invented: calamine's conversion knows it, and that day (serial 60)
/// does not exist, so it is refused.
fn serial_date(serial: f64) -> Result<NaiveDate, ViolationCode> {
    if !(1.0..MAX_SERIAL_DATE + 1.0).contains(&serial) {
        return Err(ViolationCode::OutOfRange);
    }
    let datetime = ExcelDateTime::new(serial.floor(), ExcelDateTimeType::DateTime, false);
    let (year, month, day, ..) = datetime.to_ymd_hms_milli();
    NaiveDate::from_ymd_opt(year.into(), month.into(), day.into()).ok_or(ViolationCode::InvalidValue)
}

/// Currency symbols and codes an amount may carry, lower case.
const CURRENCIES: &[(&str, &str)] = &[
    ("zł", "PLN"),
    ("pln", "PLN"),
    ("€", "EUR"),
    ("eur", "EUR"),
    ("$", "USD"),
    ("usd", "USD"),
    ("£", "GBP"),
    ("gbp", "GBP"),
];

/// The ISO code a currency symbol or code stands for (`zł` → `PLN`).
pub fn currency_code(raw: &str) -> Option<&'static str> {
    let text = raw.trim().to_lowercase();
    CURRENCIES
        .iter()
        .find(|(symbol, _)| *symbol == text)
        .map(|&(_, code)| code)
}

/// An amount as written in Poland or elsewhere, and the ISO code of the
/// currency symbol or code it carried (`1 234 zł`, `PLN 1 234,50`,
/// `€1,234.50`). Thousands may be grouped by spaces (also non-breaking and
/// narrow no-break ones), dots or commas. A negative amount is returned as
/// such, for the domain to refuse.
///
/// A lone separator is ambiguous: a comma is the decimal separator, as in
/// Poland (`1,234` is 1.234, which the domain then refuses for its three
/// decimals rather than taking a thousand times the amount); a dot followed
/// by exactly three digits groups thousands (`1.234` is 1234, `12.345,67`'s
/// style), since no amount has three decimals.
pub fn parse_amount(raw: &str) -> Result<(f64, Option<&'static str>), ViolationCode> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(ViolationCode::Blank);
    }
    let (minus_before, text) = strip_sign(text);
    let (text, currency) = strip_currency(text);
    let (minus_after, text) = strip_sign(text);
    if minus_before && minus_after {
        return Err(ViolationCode::InvalidAmount);
    }
    let negative = minus_before || minus_after;
    let number = plain_number(text).ok_or(ViolationCode::InvalidAmount)?;
    let value: f64 = number.parse().map_err(|_| ViolationCode::InvalidAmount)?;
    let value = if negative && value != 0.0 { -value } else { value };
    Ok((value, currency))
}

fn strip_sign(text: &str) -> (bool, &str) {
    match text.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    }
}

fn strip_currency(text: &str) -> (&str, Option<&'static str>) {
    for &(symbol, code) in CURRENCIES {
        let n = symbol.len();
        if text.get(..n).is_some_and(|head| head.to_lowercase() == symbol) {
            return (text[n..].trim(), Some(code));
        }
        if let Some(start) = text.len().checked_sub(n)
            && text
                .get(start..)
                .is_some_and(|tail| tail.to_lowercase() == symbol)
        {
            return (text[..start].trim(), Some(code));
        }
    }
    (text, None)
}

/// `12 345,67` → `12345.67`: digit groups checked (thousands in threes),
/// separators resolved as [`parse_amount`] says.
fn plain_number(text: &str) -> Option<String> {
    let groups: Vec<&str> = text.split(|c: char| !c.is_ascii_digit()).collect();
    let separators: Vec<char> = text.chars().filter(|c| !c.is_ascii_digit()).collect();
    if groups.iter().any(|group| group.is_empty()) {
        return None;
    }
    let Some((&last, thousands)) = separators.split_last() else {
        return Some(text.to_owned());
    };
    let last_group = groups[groups.len() - 1];
    let decimal = match last {
        '.' | ',' if thousands.contains(&last) => false,
        '.' | ',' if !thousands.is_empty() => true,
        ',' => true,
        '.' => !(last_group.len() == 3 && is_first_thousands_group(groups[0])),
        _ => false,
    };
    let (integer_groups, fraction) = if decimal {
        (&groups[..groups.len() - 1], Some(last_group))
    } else {
        (&groups[..], None)
    };
    let grouping = if decimal { thousands } else { &separators[..] };
    let same_grouping = grouping.windows(2).all(|pair| pair[0] == pair[1]);
    let valid_grouping = grouping.first().is_none_or(|&c| is_thousands_separator(c))
        && same_grouping
        && (integer_groups.len() == 1
            || is_first_thousands_group(integer_groups[0])
                && integer_groups[1..].iter().all(|g| g.len() == 3));
    if !valid_grouping {
        return None;
    }
    let mut number: String = integer_groups.concat();
    if let Some(fraction) = fraction {
        number.push('.');
        number.push_str(fraction);
    }
    Some(number)
}

fn is_thousands_separator(c: char) -> bool {
    matches!(c, '.' | ',' | ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

fn is_first_thousands_group(group: &str) -> bool {
    (1..=3).contains(&group.len()) && !(group.len() > 1 && group.starts_with('0')) && group != "0"
}

/// Words people write for a source, besides its code and labels.
const SOURCE_WORDS: &[(&str, Source)] = &[
    ("wizyta", Source::DirectVisit),
    ("wizyta osobista", Source::DirectVisit),
    ("osobiście", Source::DirectVisit),
    ("salon", Source::DirectVisit),
    ("biuro", Source::DirectVisit),
    ("walk-in", Source::DirectVisit),
    ("visit", Source::DirectVisit),
    ("formularz", Source::ContactForm),
    ("formularz www", Source::ContactForm),
    ("www", Source::ContactForm),
    ("strona", Source::ContactForm),
    ("strona www", Source::ContactForm),
    ("strona internetowa", Source::ContactForm),
    ("website", Source::ContactForm),
    ("web form", Source::ContactForm),
    ("form", Source::ContactForm),
    ("telefon", Source::Phone),
    ("tel.", Source::Phone),
    ("telefonicznie", Source::Phone),
    ("rozmowa telefoniczna", Source::Phone),
    ("infolinia", Source::Phone),
    ("call", Source::Phone),
    ("cold call", Source::Phone),
    ("mail", Source::Email),
    ("wiadomość", Source::Email),
    ("live call", Source::Livecall),
    ("czat", Source::Chat),
    ("live chat", Source::Chat),
    ("social", Source::SocialMedia),
    ("facebook", Source::SocialMedia),
    ("linkedin", Source::SocialMedia),
    ("instagram", Source::SocialMedia),
    ("twitter", Source::SocialMedia),
    ("tiktok", Source::SocialMedia),
    ("polecenie", Source::Partner),
    ("rekomendacja", Source::Partner),
    ("referral", Source::Partner),
];

/// A lead source by its wire code, its Polish or English label, or a common
/// word for it (`telefon`, `formularz`, `www`, `facebook`, `polecenie`),
/// forgiving case, spacing and diacritics.
pub fn parse_source(raw: &str) -> Result<Source, ViolationCode> {
    let wanted = key(raw);
    if wanted.is_empty() {
        return Err(ViolationCode::Blank);
    }
    SOURCE_KEYS
        .iter()
        .find(|(name, _)| *name == wanted)
        .map(|&(_, source)| source)
        .ok_or(ViolationCode::InvalidValue)
}

/// Every name of every source as a [`key`], computed once: an import asks
/// for one on every row.
static SOURCE_KEYS: LazyLock<Vec<(String, Source)>> = LazyLock::new(|| {
    let named = Source::ALL.iter().flat_map(|&source| {
        [
            source.as_str(),
            source.label(Language::Pl),
            source.label(Language::En),
        ]
        .map(|name| (name, source))
    });
    named
        .chain(SOURCE_WORDS.iter().copied())
        .map(|(name, source)| (key(name), source))
        .collect()
});

#[cfg(test)]
mod tests;
