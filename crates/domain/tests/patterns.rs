//! The regular expressions the OpenAPI document gives for text fields say
//! exactly what the parsers accept: checked character by character for
//! whitespace, and on random texts built from the characters that matter.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use lejek_domain::*;
use proptest::prelude::*;
use regex::Regex;

/// `pattern` compiled, once per test binary.
fn full(pattern: &'static str) -> Regex {
    static COMPILED: LazyLock<Mutex<HashMap<&'static str, Regex>>> = LazyLock::new(Default::default);
    COMPILED
        .lock()
        .unwrap()
        .entry(pattern)
        .or_insert_with(|| Regex::new(pattern).unwrap_or_else(|error| panic!("{pattern}: {error}")))
        .clone()
}

#[test]
fn the_whitespace_class_is_what_trim_removes() {
    let class = Regex::new(&format!("^[{WHITESPACE_CLASS}]$")).unwrap();
    let non_blank = full(NON_BLANK_PATTERN);
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        let text = c.to_string();
        assert_eq!(class.is_match(&text), c.is_whitespace(), "{:?}", c);
        assert_eq!(
            non_blank.is_match(&text),
            !text.trim().is_empty() && c != '\0',
            "{:?}",
            c
        );
    }
}

/// Texts from characters that the rules treat differently.
fn texts(alphabet: &'static str, max: usize) -> impl Strategy<Value = String> {
    let chars: Vec<char> = alphabet.chars().collect();
    prop::collection::vec(prop::sample::select(chars), 0..max).prop_map(|chars| chars.into_iter().collect())
}

const EMAIL_CHARS: &str = "aZ09.-_@+ \t\u{a0}\u{85}<;,\u{1}\u{7f}ąé";
const PHONE_CHARS: &str = "0123456789+ ()./-x\t\u{3000}";
const CURRENCY_CHARS: &str = "PLNEURpln1 \t\u{2028}";
const OFFSET_CHARS: &str = "Zz+ -0123456789:";
const PROBABILITY_CHARS: &str = "0125.9 ,-e";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4_000))]

    #[test]
    fn the_email_patterns_match_what_email_parse_accepts(text in texts(EMAIL_CHARS, 16)) {
        let accepted = Email::parse(&text).is_ok();
        prop_assert_eq!(full(EMAIL_PATTERN).is_match(&text), accepted, "{:?}", text);
        let blank_or_accepted = text.trim().is_empty() || accepted;
        prop_assert_eq!(full(OPTIONAL_EMAIL_PATTERN).is_match(&text), blank_or_accepted, "{:?}", text);
    }

    #[test]
    fn the_phone_pattern_matches_what_phone_parse_accepts(text in texts(PHONE_CHARS, 24)) {
        let blank_or_accepted = text.trim().is_empty() || Phone::parse(&text).is_ok();
        prop_assert_eq!(full(OPTIONAL_PHONE_PATTERN).is_match(&text), blank_or_accepted, "{:?}", text);
    }

    #[test]
    fn the_currency_patterns_match_what_currency_parse_accepts(text in texts(CURRENCY_CHARS, 6)) {
        let accepted = Currency::parse(&text).is_ok();
        prop_assert_eq!(full(CURRENCY_PATTERN).is_match(&text), accepted, "{:?}", text);
        let blank_or_accepted = text.trim().is_empty() || accepted;
        prop_assert_eq!(full(OPTIONAL_CURRENCY_PATTERN).is_match(&text), blank_or_accepted, "{:?}", text);
    }

    #[test]
    fn the_probability_pattern_matches_what_probability_parse_accepts(text in texts(PROBABILITY_CHARS, 8)) {
        let accepted = analytics::Probability::parse(&text).is_ok();
        prop_assert_eq!(full(analytics::PROBABILITY_PATTERN).is_match(&text), accepted, "{:?}", text);
    }

    #[test]
    fn the_offset_pattern_matches_what_utc_offset_parse_accepts(text in texts(OFFSET_CHARS, 7)) {
        prop_assert_eq!(full(UtcOffset::PATTERN).is_match(&text), UtcOffset::parse(&text).is_ok(), "{:?}", text);
    }

    #[test]
    fn an_amount_has_at_most_two_decimals_as_written(cents in 0..10_000_000_000i64, noise in 0..1000u32) {
        let exact = cents as f64 / 100.0;
        prop_assert_eq!(Amount::from_decimal(exact).map(Amount::minor_units), Ok(cents));
        // Rust writes a float in the fewest digits that read back as it.
        let value = exact + f64::from(noise) / 100_000.0;
        let written = value.to_string();
        let decimals = written.split_once('.').map_or(0, |(_, decimals)| decimals.len());
        prop_assert_eq!(Amount::from_decimal(value).is_ok(), decimals <= 2, "{}", written);
    }
}

#[test]
fn edge_cases_of_the_patterns() {
    for (pattern, text, expected) in [
        (OPTIONAL_PHONE_PATTERN, " +48 601-234-567 ", true),
        (OPTIONAL_PHONE_PATTERN, "601 +234567", false),
        (OPTIONAL_PHONE_PATTERN, "601\t234567", false),
        (EMAIL_PATTERN, " Jan.Kowalski@Firma.PL\n", true),
        (EMAIL_PATTERN, "jan@-firma.pl", false),
        (EMAIL_PATTERN, "jan@firma..pl", false),
        (EMAIL_PATTERN, "jan@żółw.pl", false),
        (UtcOffset::PATTERN, "+18:00", true),
        (UtcOffset::PATTERN, "+18:01", false),
    ] {
        assert_eq!(full(pattern).is_match(text), expected, "{pattern} on {text:?}");
    }
}
