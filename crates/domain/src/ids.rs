//! Typed identifiers, so a user id can never be passed where a case id goes.

use serde::{Deserialize, Deserializer, Serialize};

/// Reads a JSON integer the way JSON Schema counts integers: `7` and `7.0`
/// alike (a number with no fractional part), within `min..=max`.
pub(crate) fn integer_in<'de, D: Deserializer<'de>>(
    deserializer: D,
    min: i64,
    max: i64,
) -> Result<i64, D::Error> {
    struct Integer;
    impl serde::de::Visitor<'_> for Integer {
        type Value = i64;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an integer")
        }
        fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<i64, E> {
            Ok(value)
        }
        fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<i64, E> {
            i64::try_from(value).map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(value), &self))
        }
        fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<i64, E> {
            // Every integral f64 in this range converts exactly.
            if value.fract() == 0.0 && (-9.2e18..=9.2e18).contains(&value) {
                Ok(value as i64)
            } else {
                Err(E::invalid_value(serde::de::Unexpected::Float(value), &self))
            }
        }
    }
    let value = deserializer.deserialize_any(Integer)?;
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(serde::de::Error::invalid_value(
            serde::de::Unexpected::Signed(value),
            &format!("an integer from {min} to {max}").as_str(),
        ))
    }
}

/// A width or other small count: an integer (also written `40.0`) that
/// fits in a `u16`.
pub(crate) fn small_count<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u16, D::Error> {
    integer_in(deserializer, 0, i64::from(u16::MAX)).map(|value| value as u16)
}

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name(pub i64);

        /// Ids are positive integers; `7.0` reads as `7`, as JSON Schema
        /// counts it an integer.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                integer_in(deserializer, 1, i64::MAX).map($name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map($name)
            }
        }
    )+};
}

id_type! {
    UserId;
    CaseId;
    ContactId;
    CampaignId;
    QualifierId;
    ResignationReasonId;
    NoteId;
    EventId;
    ApiKeyId;
}
