//! A field of a partial update: left alone, set, or cleared.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// In JSON, a missing field keeps the value, `null` clears it and any other
/// value sets it. Use with `#[serde(default)]` on the field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Patch<T> {
    #[default]
    Keep,
    Clear,
    Set(T),
}

impl<T> Patch<T> {
    pub fn is_keep(&self) -> bool {
        matches!(self, Patch::Keep)
    }

    /// The value after the patch, given the current one.
    pub fn apply(self, current: Option<T>) -> Option<T> {
        match self {
            Patch::Keep => current,
            Patch::Clear => None,
            Patch::Set(value) => Some(value),
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Patch::Keep => Patch::Keep,
            Patch::Clear => Patch::Clear,
            Patch::Set(value) => Patch::Set(f(value)),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Patch::Set(value),
            None => Patch::Clear,
        })
    }
}

impl<T: Serialize> Serialize for Patch<T> {
    /// Pair with `skip_serializing_if = "Patch::is_keep"`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Patch::Set(value) => value.serialize(serializer),
            Patch::Keep | Patch::Clear => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Body {
        #[serde(default)]
        note: Patch<String>,
    }

    #[test]
    fn a_missing_field_keeps_null_clears_and_a_value_sets() {
        let keep: Body = serde_json::from_str("{}").unwrap();
        let clear: Body = serde_json::from_str(r#"{"note": null}"#).unwrap();
        let set: Body = serde_json::from_str(r#"{"note": "x"}"#).unwrap();
        assert_eq!(keep.note, Patch::Keep);
        assert_eq!(clear.note, Patch::Clear);
        assert_eq!(set.note, Patch::Set("x".to_owned()));
        assert_eq!(Patch::Keep.apply(Some(1)), Some(1));
        assert_eq!(Patch::<i32>::Clear.apply(Some(1)), None);
    }
}
