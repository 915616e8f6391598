//! Value types that cannot hold an invalid value: each is built through a
//! `parse` that says which rule the raw input broke.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::violation::ViolationCode;

/// The characters `str::trim` removes (Unicode `White_Space`, what
/// `char::is_whitespace` tests), written as the inside of a regular
/// expression character class that ECMA-262 and Python read alike. Schemas
/// use it for "not blank", so a document and the parser agree on what
/// blank means.
macro_rules! whitespace_class {
    () => {
        r"\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    };
}

/// Blank space around a value, which parsers trim: `[<whitespace>]*`.
macro_rules! padding {
    () => {
        concat!("[", whitespace_class!(), "]*")
    };
}

/// An e-mail address as [`Email::parse`] accepts it, without padding.
macro_rules! email_core {
    () => {
        concat!(
            r"[^@<>,;\x00-\x1f\x7f-\x9f",
            whitespace_class!(),
            r"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
        )
    };
}

/// A phone number as [`Phone::parse`] accepts it, without padding.
macro_rules! phone_core {
    () => {
        r"\+?(?:[ ()./-]*[0-9]){6,15}[ ()./-]*"
    };
}

/// [`whitespace_class!`] as a constant.
pub const WHITESPACE_CLASS: &str = whitespace_class!();

/// A text with no U+0000 (NUL), which no text may hold: PostgreSQL cannot
/// store it, so the API refuses it everywhere.
pub const NO_NUL_PATTERN: &str = r"^[^\x00]*$";

/// A text that is not blank (and holds no NUL).
pub const NON_BLANK_PATTERN: &str = concat!(r"^[^\x00]*[^\x00", whitespace_class!(), r"][^\x00]*$");

/// What [`Email::parse`] accepts.
pub const EMAIL_PATTERN: &str = concat!("^", padding!(), email_core!(), padding!(), "$");
/// An e-mail address or a blank text (which means "none").
pub const OPTIONAL_EMAIL_PATTERN: &str =
    concat!("^", padding!(), "(?:", email_core!(), ")?", padding!(), "$");
/// A phone number or a blank text (which means "none"): what
/// [`Phone::parse`] accepts, or blank.
pub const OPTIONAL_PHONE_PATTERN: &str =
    concat!("^", padding!(), "(?:", phone_core!(), ")?", padding!(), "$");
/// What [`Currency::parse`] accepts.
pub const CURRENCY_PATTERN: &str = concat!("^", padding!(), "[A-Z]{3}", padding!(), "$");
/// A currency code or a blank text (which means the default, PLN).
pub const OPTIONAL_CURRENCY_PATTERN: &str = concat!("^", padding!(), "(?:[A-Z]{3})?", padding!(), "$");

/// The shortest password accepted for an account.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest password accepted.
pub const MAX_PASSWORD_CHARS: usize = 200;

/// Whether a password has an acceptable length (counted in characters).
pub fn check_password(password: &str) -> Result<(), ViolationCode> {
    if (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&password.chars().count()) {
        Ok(())
    } else {
        Err(ViolationCode::OutOfRange)
    }
}

/// Checks `raw` is at most `max` characters long and not blank, and trims it.
/// The length is that of the text as sent, so a schema's `maxLength` says
/// exactly the same.
fn bounded_text(raw: &str, max: usize) -> Result<String, ViolationCode> {
    let text = raw.trim();
    if raw.chars().count() > max {
        Err(ViolationCode::TooLong)
    } else if text.is_empty() {
        Err(ViolationCode::Blank)
    } else {
        Ok(text.to_owned())
    }
}

macro_rules! bounded_text_type {
    ($($(#[$meta:meta])* $name:ident, $max:expr;)+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(raw: &str) -> Result<Self, ViolationCode> {
                bounded_text(raw, Self::MAX_CHARS).map($name)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    )+};
}

bounded_text_type! {
    /// A case's subject (Temat): required, shown as a link in the table.
    Subject, 200;
    /// A contact's or user's name.
    PersonName, 200;
    /// A company name (Firma).
    CompanyName, 200;
    /// Why the client resigned; required in the status Resigned.
    ResignationReason, 500;
    /// The text of a note on the case card.
    NoteText, 10_000;
    /// A dictionary entry's name (qualifier, resignation reason).
    DictionaryName, 100;
    /// Another system's id for a case (an import's row, an integration's
    /// record): unique, so sending it again does not duplicate the case.
    ExternalId, 200;
}

/// An e-mail address, stored lower-cased so the same address always matches.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub const MAX_CHARS: usize = 254;
    /// The longest part before the `@`.
    pub const MAX_LOCAL_CHARS: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, ViolationCode> {
        let text = raw.trim();
        if raw.chars().count() > Self::MAX_CHARS {
            return Err(ViolationCode::TooLong);
        }
        if text.is_empty() {
            return Err(ViolationCode::Blank);
        }
        let Some((local, domain)) = text.split_once('@') else {
            return Err(ViolationCode::InvalidEmail);
        };
        let local_ok = !local.is_empty() && local.chars().count() <= Self::MAX_LOCAL_CHARS;
        let domain_ok = domain.contains('.')
            && domain
                .split('.')
                .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        let no_forbidden = !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'));
        if local_ok && domain_ok && no_forbidden {
            Ok(Email(text.to_lowercase()))
        } else {
            Err(ViolationCode::InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number as typed, with 6 to 15 digits; comparisons use its digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    pub fn parse(raw: &str) -> Result<Self, ViolationCode> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(ViolationCode::Blank);
        }
        let allowed = text.chars().enumerate().all(|(index, c)| {
            c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.' | '/') || (c == '+' && index == 0)
        });
        let digit_count = text.chars().filter(char::is_ascii_digit).count();
        if allowed && (6..=15).contains(&digit_count) {
            Ok(Phone(text.to_owned()))
        } else {
            Err(ViolationCode::InvalidPhone)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Only the digits, which is what phone filters compare.
    pub fn digits(&self) -> String {
        digits_of(&self.0)
    }
}

/// The digits of a text, in order.
pub fn digits_of(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// An ISO 4217 style currency code: three capital letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// The default currency of a Polish sales team.
    pub const PLN: Currency = Currency(*b"PLN");

    pub fn parse(raw: &str) -> Result<Self, ViolationCode> {
        match raw.trim().as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_uppercase()) => Ok(Currency([*a, *b, *c])),
            _ => Err(ViolationCode::InvalidCurrency),
        }
    }

    pub fn as_str(&self) -> &str {
        // Built only from ASCII capitals, so always valid UTF-8.
        std::str::from_utf8(&self.0).unwrap_or("PLN")
    }
}

impl Default for Currency {
    fn default() -> Self {
        Currency::PLN
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Currency::parse(&text).map_err(|code| serde::de::Error::custom(code.label(crate::Language::En)))
    }
}

/// A non-negative amount of money with at most two decimal places, kept in
/// minor units (grosze) so sums are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Amount(i64);

impl Amount {
    /// Ten trillion: far beyond any deal, well within exact f64 range.
    pub const MAX_MINOR_UNITS: i64 = 1_000_000_000_000_000;

    pub fn from_minor_units(minor_units: i64) -> Result<Self, ViolationCode> {
        if (0..=Self::MAX_MINOR_UNITS).contains(&minor_units) {
            Ok(Amount(minor_units))
        } else {
            Err(ViolationCode::InvalidAmount)
        }
    }

    /// The largest amount, in major units (the schema's `maximum`).
    pub const MAX_DECIMAL: f64 = Self::MAX_MINOR_UNITS as f64 / 100.0;

    /// Parses an amount written as a decimal number, e.g. `12500.5`: a
    /// number that, written in the fewest digits, has at most two decimal
    /// places (JSON Schema's `multipleOf: 0.01` as number-aware validators
    /// read it). `0.07` is an amount; `0.30000000000000004` is not.
    pub fn from_decimal(value: f64) -> Result<Self, ViolationCode> {
        if !value.is_finite() || !(0.0..=Self::MAX_DECIMAL).contains(&value) {
            return Err(ViolationCode::InvalidAmount);
        }
        let minor_units = (value * 100.0).round();
        if minor_units / 100.0 != value {
            return Err(ViolationCode::InvalidAmount);
        }
        Self::from_minor_units(minor_units as i64)
    }

    pub fn minor_units(self) -> i64 {
        self.0
    }

    pub fn as_decimal(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_decimal())
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        Amount::from_decimal(value).map_err(|code| serde::de::Error::custom(code.label(crate::Language::En)))
    }
}

macro_rules! deserialize_by_parse {
    ($($name:ident),+) => {$(
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                $name::parse(&text)
                    .map_err(|code| serde::de::Error::custom(code.label(crate::Language::En)))
            }
        }
    )+};
}

deserialize_by_parse!(
    Subject,
    PersonName,
    CompanyName,
    ResignationReason,
    NoteText,
    DictionaryName,
    Email,
    Phone
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_is_trimmed_and_must_not_be_blank() {
        assert_eq!(Subject::parse("  Oferta  ").unwrap().as_str(), "Oferta");
        assert_eq!(Subject::parse("   "), Err(ViolationCode::Blank));
        assert_eq!(Subject::parse(&"x".repeat(201)), Err(ViolationCode::TooLong));
        assert!(Subject::parse(&"ż".repeat(200)).is_ok());
    }

    #[test]
    fn an_email_needs_a_local_part_and_a_dotted_domain_and_is_lower_cased() {
        assert_eq!(
            Email::parse(" Jan.Kowalski@Firma.PL ").unwrap().as_str(),
            "jan.kowalski@firma.pl"
        );
        for bad in [
            "jan",
            "jan@",
            "@firma.pl",
            "jan@firma",
            "jan@@firma.pl",
            "jan kowalski@firma.pl",
            "jan@firma..pl",
        ] {
            assert_eq!(Email::parse(bad), Err(ViolationCode::InvalidEmail), "{bad}");
        }
    }

    #[test]
    fn a_phone_has_six_to_fifteen_digits_and_compares_by_digits() {
        let phone = Phone::parse("+48 601-234-567").unwrap();
        assert_eq!(phone.digits(), "48601234567");
        assert_eq!(Phone::parse("12345"), Err(ViolationCode::InvalidPhone));
        assert_eq!(Phone::parse("601 234 567 ext"), Err(ViolationCode::InvalidPhone));
        assert_eq!(Phone::parse("60+1234567"), Err(ViolationCode::InvalidPhone));
    }

    #[test]
    fn a_currency_is_three_capital_letters() {
        assert_eq!(Currency::parse("EUR").unwrap().as_str(), "EUR");
        assert_eq!(Currency::default(), Currency::PLN);
        for bad in ["eur", "EURO", "E1R", ""] {
            assert_eq!(Currency::parse(bad), Err(ViolationCode::InvalidCurrency), "{bad}");
        }
    }

    #[test]
    fn an_amount_is_non_negative_with_at_most_two_decimals() {
        assert_eq!(Amount::from_decimal(12500.5).unwrap().minor_units(), 1_250_050);
        assert_eq!(Amount::from_decimal(0.07).unwrap().minor_units(), 7);
        assert_eq!(Amount::from_decimal(0.1 + 0.2), Err(ViolationCode::InvalidAmount));
        assert_eq!(
            Amount::from_decimal(Amount::MAX_DECIMAL).unwrap().minor_units(),
            Amount::MAX_MINOR_UNITS
        );
        assert_eq!(Amount::from_decimal(-1.0), Err(ViolationCode::InvalidAmount));
        assert_eq!(Amount::from_decimal(1.005), Err(ViolationCode::InvalidAmount));
        assert_eq!(Amount::from_decimal(f64::NAN), Err(ViolationCode::InvalidAmount));
        assert_eq!(
            serde_json::to_string(&Amount::from_minor_units(150).unwrap()).unwrap(),
            "1.5"
        );
    }
}
