//! How the pipeline's sort keys map onto the `cases` table: which column
//! holds each, whether it can be empty and how its values travel in a
//! cursor. Nullability and types come from the entity, the table's one
//! description.

use chrono::{DateTime, NaiveDate, Utc};
use lejek_domain::{SortField, ViolationCode, Violations};
use sea_orm::sea_query::ColumnType;
use sea_orm::{ColumnTrait, ModelTrait, Value};
use serde_json::Value as Json;

use crate::entity::case;
use crate::error::StoreError;

/// How a sort key's values are stored and written into cursors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Integer,
    Timestamp,
    Date,
    Text,
}

/// The column behind a sort field.
#[derive(Debug, Clone, Copy)]
pub struct SortColumn {
    pub column: case::Column,
    /// Empty values sort last in either direction.
    pub nullable: bool,
    pub kind: KeyKind,
}

/// The column a sort field orders by. Text fields order by their stored
/// lower-case search form, so the order is case-insensitive.
pub fn sort_column(field: SortField) -> SortColumn {
    let column = match field {
        SortField::Number => case::Column::Number,
        SortField::Source => case::Column::Source,
        SortField::Status => case::Column::Status,
        SortField::Stage => case::Column::Stage,
        SortField::CreatedAt => case::Column::CreatedAt,
        SortField::ExpectedCloseDate => case::Column::ExpectedCloseDate,
        SortField::FollowUpAt => case::Column::FollowUpAt,
        SortField::Contact => case::Column::ContactSearch,
        SortField::Company => case::Column::CompanySearch,
        SortField::Email => case::Column::Email,
        SortField::Subject => case::Column::SubjectSearch,
        SortField::Owner => case::Column::OwnerName,
    };
    let definition = column.def();
    let kind = match definition.get_column_type() {
        ColumnType::SmallInteger | ColumnType::Integer | ColumnType::BigInteger => KeyKind::Integer,
        ColumnType::Date => KeyKind::Date,
        ColumnType::TimestampWithTimeZone | ColumnType::Timestamp | ColumnType::DateTime => {
            KeyKind::Timestamp
        }
        _ => KeyKind::Text,
    };
    SortColumn {
        column,
        nullable: definition.is_null(),
        kind,
    }
}

fn bad_cursor() -> StoreError {
    StoreError::Invalid(Violations::single("cursor", ViolationCode::InvalidValue))
}

impl SortColumn {
    /// The value of this key on a row, as it goes into a cursor.
    pub fn cursor_value(self, model: &case::Model) -> Json {
        match model.get(self.column) {
            Value::SmallInt(Some(n)) => Json::from(n),
            Value::BigInt(Some(n)) => Json::from(n),
            Value::Int(Some(n)) => Json::from(n),
            Value::String(Some(text)) => Json::String(text),
            Value::ChronoDateTimeUtc(Some(at)) => Json::String(at.to_rfc3339()),
            Value::ChronoDate(Some(date)) => Json::String(date.to_string()),
            _ => Json::Null,
        }
    }

    /// A cursor value back as a bindable value; `Ok(None)` for an empty
    /// one. A value of the wrong shape means the cursor was not made by
    /// this server.
    pub fn bind_value(self, value: &Json) -> Result<Option<Value>, StoreError> {
        if value.is_null() {
            return if self.nullable {
                Ok(None)
            } else {
                Err(bad_cursor())
            };
        }
        let text = || value.as_str().ok_or_else(bad_cursor);
        Ok(Some(match self.kind {
            KeyKind::Integer => value.as_i64().ok_or_else(bad_cursor)?.into(),
            KeyKind::Timestamp => DateTime::parse_from_rfc3339(text()?)
                .map_err(|_| bad_cursor())?
                .with_timezone(&Utc)
                .into(),
            KeyKind::Date => NaiveDate::parse_from_str(text()?, "%Y-%m-%d")
                .map_err(|_| bad_cursor())?
                .into(),
            KeyKind::Text => text()?.to_owned().into(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullability_and_kinds_come_from_the_entity() {
        let stage = sort_column(SortField::Stage);
        assert!(stage.nullable);
        assert_eq!(stage.kind, KeyKind::Integer);
        let created = sort_column(SortField::CreatedAt);
        assert!(!created.nullable);
        assert_eq!(created.kind, KeyKind::Timestamp);
        assert_eq!(sort_column(SortField::ExpectedCloseDate).kind, KeyKind::Date);
        let company = sort_column(SortField::Company);
        assert!(company.nullable);
        assert_eq!(company.kind, KeyKind::Text);
        assert!(!sort_column(SortField::Contact).nullable);
    }

    #[test]
    fn a_cursor_value_of_the_wrong_shape_is_refused() {
        assert!(
            sort_column(SortField::Number)
                .bind_value(&Json::from("x"))
                .is_err()
        );
        assert!(sort_column(SortField::Number).bind_value(&Json::Null).is_err());
        assert!(
            sort_column(SortField::Stage)
                .bind_value(&Json::Null)
                .unwrap()
                .is_none()
        );
        assert!(
            sort_column(SortField::CreatedAt)
                .bind_value(&Json::from("yesterday"))
                .is_err()
        );
    }
}
