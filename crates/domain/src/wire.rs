//! Enums with stable wire names and labels in both languages of the product.

use serde::{Deserialize, Serialize};

/// Defines a fieldless enum whose variants have a stable snake_case wire
/// code and a Polish and an English label, all in one table.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident => $code:literal, $pl:literal, $en:literal;)+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant,)+
        }

        impl $name {
            /// Every value, in the order the product lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// Every wire code, in the order of [`Self::ALL`].
            pub const CODES: &'static [&'static str] = &[$($code,)+];

            /// The stable wire code.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// The label shown to people in the given language.
            pub const fn label(self, language: $crate::Language) -> &'static str {
                match (self, language) {
                    $(
                        ($name::$variant, $crate::Language::Pl) => $pl,
                        ($name::$variant, $crate::Language::En) => $en,
                    )+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// The schema lists the wire codes exactly as sent, each with its
        /// English label.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::openapi::codes_schema(
                    Self::CODES,
                    concat!($("- `", $code, "`: ", $en, "\n",)+),
                )
                .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl std::str::FromStr for $name {
            type Err = $crate::UnknownCode;

            fn from_str(code: &str) -> Result<Self, Self::Err> {
                match code {
                    $($code => Ok($name::$variant),)+
                    _ => Err($crate::UnknownCode {
                        kind: stringify!($name),
                        code: code.to_owned(),
                    }),
                }
            }
        }
    };
}

pub(crate) use wire_enum;

/// The languages the product speaks to people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Polish, the default for Polish sales teams.
    #[default]
    Pl,
    En,
}

impl Language {
    pub const ALL: &'static [Language] = &[Language::Pl, Language::En];

    /// The BCP 47 primary language subtag.
    pub const fn code(self) -> &'static str {
        match self {
            Language::Pl => "pl",
            Language::En => "en",
        }
    }

    /// Picks the language for a BCP 47 tag such as `pl-PL` or `en-GB`;
    /// anything that is not English falls back to Polish.
    pub fn from_tag(tag: &str) -> Language {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("en") {
            Language::En
        } else {
            Language::Pl
        }
    }
}

/// A wire code that names no value of the enum it was parsed as.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{code}` is not a known {kind} code")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub code: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_polish_or_unknown_browser_language_selects_polish() {
        assert_eq!(Language::from_tag("pl-PL"), Language::Pl);
        assert_eq!(Language::from_tag("de"), Language::Pl);
        assert_eq!(Language::from_tag(""), Language::Pl);
    }

    #[test]
    fn an_english_browser_language_selects_english() {
        assert_eq!(Language::from_tag("en-GB"), Language::En);
        assert_eq!(Language::from_tag("EN_us"), Language::En);
    }
}
