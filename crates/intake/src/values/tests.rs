use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn dates_in_iso_and_polish_forms() {
    for text in [
        "2026-12-31",
        "31.12.2026",
        "31/12/2026",
        "31-12-2026",
        "2026/12/31",
        "2026.12.31",
        " 31.12.2026 ",
        "31.12.2026 r.",
        "31.12.2026r",
    ] {
        assert_eq!(parse_date(text), Ok(date(2026, 12, 31)), "{text}");
    }
    assert_eq!(
        parse_date("1.2.2026"),
        Ok(date(2026, 2, 1)),
        "day first, as in Poland"
    );
    assert_eq!(parse_date("01/02/2026"), Ok(date(2026, 2, 1)));
}

#[test]
fn a_datetime_gives_its_date_as_written() {
    for text in [
        "2026-12-31 14:00",
        "2026-12-31 14:00:00",
        "31.12.2026 14:00:00",
        "31.12.2026 23:59:59.999",
        "2026-12-31T14:00:00",
        "2026-12-31T14:00:00Z",
        "2026-12-31T23:30:00-05:00",
        "2026-12-31T00:30:00+02:00",
    ] {
        assert_eq!(parse_date(text), Ok(date(2026, 12, 31)), "{text}");
    }
}

#[test]
fn excel_serial_dates_count_from_1900_with_the_lotus_leap_day() {
    assert_eq!(parse_date("46387"), Ok(date(2026, 12, 31)));
    assert_eq!(parse_date("46387.5"), Ok(date(2026, 12, 31)));
    assert_eq!(parse_date("46387,75"), Ok(date(2026, 12, 31)));
    assert_eq!(parse_date("1"), Ok(date(1900, 1, 1)));
    assert_eq!(parse_date("59"), Ok(date(1900, 2, 28)));
    assert_eq!(
        parse_date("60"),
        Err(ViolationCode::InvalidValue),
        "1900-02-29 never was"
    );
    assert_eq!(parse_date("61"), Ok(date(1900, 3, 1)));
    assert_eq!(parse_date("2958465"), Ok(date(9999, 12, 31)));
    assert_eq!(parse_date("2958466"), Err(ViolationCode::OutOfRange));
    assert_eq!(parse_date("0"), Err(ViolationCode::OutOfRange));
}

#[test]
fn impossible_or_ambiguous_dates_are_refused() {
    for text in [
        "31.12.26",
        "26-12-31",
        "31.02.2026",
        "2026-13-01",
        "12/31/2026",
        "2026-12",
        "31.12.2026 25:00",
        "31.12-2026",
        "jutro",
        "2026-12-31 po południu",
    ] {
        assert_eq!(parse_date(text), Err(ViolationCode::InvalidValue), "{text}");
    }
    assert_eq!(parse_date("  "), Err(ViolationCode::Blank));
}

#[test]
fn amounts_with_decimal_commas_and_thousands_separators() {
    let cases = [
        ("12 345,67", 12345.67),
        ("12345,67", 12345.67),
        ("12345.67", 12345.67),
        ("12,345.67", 12345.67),
        ("12.345,67", 12345.67),
        ("12\u{a0}345,67", 12345.67),
        ("12\u{202f}345,67", 12345.67),
        ("1 234 567", 1234567.0),
        ("1.234.567", 1234567.0),
        ("1,234,567", 1234567.0),
        ("1,234,567.5", 1234567.5),
        ("0,5", 0.5),
        ("7", 7.0),
        ("0", 0.0),
        ("-0", 0.0),
    ];
    for (text, value) in cases {
        assert_eq!(parse_amount(text), Ok((value, None)), "{text}");
    }
}

#[test]
fn a_lone_comma_is_decimal_and_a_dot_before_three_digits_groups_thousands() {
    assert_eq!(parse_amount("1,234"), Ok((1.234, None)));
    assert_eq!(parse_amount("1.234"), Ok((1234.0, None)));
    assert_eq!(parse_amount("12.345"), Ok((12345.0, None)));
    assert_eq!(
        parse_amount("0.125"),
        Ok((0.125, None)),
        "0 does not start a thousands group"
    );
    assert_eq!(
        parse_amount("1234.567"),
        Ok((1234.567, None)),
        "four digits do not form a group"
    );
    assert_eq!(parse_amount("1.5"), Ok((1.5, None)));
}

#[test]
fn amounts_carry_their_currency() {
    let cases = [
        ("1 234 zł", 1234.0, "PLN"),
        ("1 234 ZŁ", 1234.0, "PLN"),
        ("PLN 1 234,50", 1234.5, "PLN"),
        ("1234,50 pln", 1234.5, "PLN"),
        ("€1,234.50", 1234.5, "EUR"),
        ("1.234,50 €", 1234.5, "EUR"),
        ("EUR 99", 99.0, "EUR"),
        ("$1,234.50", 1234.5, "USD"),
        ("USD 10", 10.0, "USD"),
        ("£5", 5.0, "GBP"),
        ("GBP 5.25", 5.25, "GBP"),
    ];
    for (text, value, code) in cases {
        assert_eq!(parse_amount(text), Ok((value, Some(code))), "{text}");
    }
}

#[test]
fn negative_amounts_are_returned_for_the_domain_to_refuse() {
    assert_eq!(parse_amount("-12,50"), Ok((-12.5, None)));
    assert_eq!(parse_amount("−1 000 zł"), Ok((-1000.0, Some("PLN"))));
    assert_eq!(parse_amount("PLN -5"), Ok((-5.0, Some("PLN"))));
    assert_eq!(
        lejek_domain::Amount::from_decimal(parse_amount("-12,50").unwrap().0),
        Err(ViolationCode::InvalidAmount)
    );
}

#[test]
fn malformed_amounts_are_refused() {
    for text in [
        "abc",
        "12a",
        "1 2",
        "1,234,56",
        "1.234 567,89",
        "12..5",
        "1e5",
        ".5",
        "5.",
        "--5",
        "- -5",
        "PLN",
        "12 zł 50",
        "1,2,3",
    ] {
        assert_eq!(parse_amount(text), Err(ViolationCode::InvalidAmount), "{text}");
    }
    assert_eq!(parse_amount(" "), Err(ViolationCode::Blank));
}

#[test]
fn currency_symbols_name_their_codes() {
    assert_eq!(currency_code("zł"), Some("PLN"));
    assert_eq!(currency_code(" eur "), Some("EUR"));
    assert_eq!(currency_code("CHF"), None);
}

#[test]
fn sources_by_code_label_or_common_word() {
    let cases = [
        ("phone", Source::Phone),
        ("social_media", Source::SocialMedia),
        ("Kontakt telefoniczny", Source::Phone),
        ("kontakt telefoniczny", Source::Phone),
        ("Phone call", Source::Phone),
        ("Media społecznościowe", Source::SocialMedia),
        ("MEDIA SPOLECZNOSCIOWE", Source::SocialMedia),
        ("social media", Source::SocialMedia),
        ("Formularz kontaktowy", Source::ContactForm),
        ("Wiadomość e-mail", Source::Email),
        ("E-mail", Source::Email),
        ("Bezpośrednia wizyta", Source::DirectVisit),
        ("bezposrednia wizyta", Source::DirectVisit),
        ("LiveCall", Source::Livecall),
        ("Chat", Source::Chat),
        ("Czat", Source::Chat),
        ("Partner", Source::Partner),
        ("telefon", Source::Phone),
        ("Tel.", Source::Phone),
        ("formularz", Source::ContactForm),
        ("WWW", Source::ContactForm),
        ("strona www", Source::ContactForm),
        ("Facebook", Source::SocialMedia),
        ("LinkedIn", Source::SocialMedia),
        ("Polecenie", Source::Partner),
    ];
    for (text, source) in cases {
        assert_eq!(parse_source(text), Ok(source), "{text}");
    }
    for &source in Source::ALL {
        for language in Language::ALL {
            assert_eq!(parse_source(source.label(*language)), Ok(source));
        }
    }
    assert_eq!(parse_source("gołąb pocztowy"), Err(ViolationCode::InvalidValue));
    assert_eq!(parse_source(" "), Err(ViolationCode::Blank));
}
