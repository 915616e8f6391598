//! A user's customisation of the pipeline view, saved on the server.

use serde::{Deserialize, Serialize};

use crate::query::PipelineQuery;
use crate::violation::{Violation, ViolationCode, Violations};
use crate::wire::wire_enum;

wire_enum! {
    /// A column of the pipeline table (spec section 4).
    pub enum Column {
        Number => "number", "Numer sprawy", "Number";
        Source => "source", "Źródło pozyskania", "Source";
        Status => "status", "Status", "Status";
        Stage => "stage", "Etap", "Stage";
        CreatedAt => "created_at", "Utworzono", "Created";
        ExpectedCloseDate => "expected_close_date", "Przewidywana data zamknięcia", "Expected close date";
        FollowUpAt => "follow_up_at", "Termin kontaktu", "Follow-up";
        Contact => "contact", "Kontakt", "Contact";
        Company => "company", "Firma", "Company";
        Email => "email", "E-mail", "E-mail";
        Phone => "phone", "Telefon", "Phone";
        Subject => "subject", "Temat", "Subject";
        Qualifier => "qualifier", "Kwalifikator", "Qualifier";
        Owner => "owner", "Właściciel", "Owner";
        Spam => "spam", "Spam", "Spam";
    }
}

wire_enum! {
    /// A view whose settings a user can save (`/views/{key}`).
    pub enum ViewKey {
        Pipeline => "pipeline", "Lejek sprzedaży", "Pipeline";
    }
}

wire_enum! {
    /// How tall the table's rows are.
    #[derive(Default)]
    pub enum RowHeight {
        Compact => "compact", "Zwarte", "Compact";
        #[default]
        Normal => "normal", "Normalne", "Normal";
        Tall => "tall", "Wysokie", "Tall";
    }
}

impl Column {
    /// The columns of the article, visible by default; the others can be
    /// switched on in the column chooser.
    pub const fn visible_by_default(self) -> bool {
        !matches!(self, Column::FollowUpAt | Column::Phone | Column::Qualifier)
    }

    /// The default width in pixels.
    pub const fn default_width(self) -> u16 {
        match self {
            Column::Spam => 90,
            Column::Number => 110,
            Column::Subject => 260,
            // Wide enough for the longest Polish label, "Oczekujący na podjęcie".
            Column::Status => 224,
            Column::Source | Column::Stage | Column::Contact | Column::Company | Column::Email => 180,
            _ => 150,
        }
    }
}

/// One column's place, visibility and width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ColumnSetting {
    pub column: Column,
    pub visible: bool,
    /// Pixels, 40 to 800.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::column_width))]
    #[serde(deserialize_with = "crate::ids::small_count")]
    pub width: u16,
}

/// Everything a user can customise in the pipeline view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ViewSettings {
    /// In display order, each column at most once.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::view_columns))]
    pub columns: Vec<ColumnSetting>,
    pub row_height: RowHeight,
    /// Tab, filters and sort, as the query string of `GET /cases` (its
    /// parameters and rules; `limit` and `cursor` excluded).
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::text_field))]
    pub query: String,
}

impl Default for ViewSettings {
    fn default() -> Self {
        ViewSettings {
            columns: Column::ALL
                .iter()
                .map(|&column| ColumnSetting {
                    column,
                    visible: column.visible_by_default(),
                    width: column.default_width(),
                })
                .collect(),
            row_height: RowHeight::Normal,
            query: String::new(),
        }
    }
}

/// The narrowest and widest a column may be.
pub const COLUMN_WIDTHS: std::ops::RangeInclusive<u16> = 40..=800;

impl ViewSettings {
    /// Checks the settings before they are saved: each column once, sane
    /// widths, and a query that parses (paging parameters excluded).
    pub fn validate(&self) -> Result<(), Violations> {
        let mut violations = Violations::new();
        for (index, setting) in self.columns.iter().enumerate() {
            if self.columns[..index]
                .iter()
                .any(|other| other.column == setting.column)
            {
                violations.push("columns", ViolationCode::Duplicate);
            }
            if !COLUMN_WIDTHS.contains(&setting.width) {
                violations.push("columns.width", ViolationCode::OutOfRange);
            }
        }
        match PipelineQuery::from_query_string(&self.query) {
            Ok(query) if query.cursor.is_some() || query.limit.is_some() => {
                violations
                    .0
                    .push(Violation::new("query", ViolationCode::InvalidValue));
            }
            Ok(_) => {}
            Err(_) => violations.push("query", ViolationCode::InvalidValue),
        }
        violations.into_result(())
    }

    /// The columns in display order with every column present: ones the
    /// saved settings lack (added in a later release) come last, as default.
    pub fn complete_columns(&self) -> Vec<ColumnSetting> {
        let mut columns = self.columns.clone();
        for column in Column::ALL {
            if !columns.iter().any(|setting| setting.column == *column) {
                columns.push(ColumnSetting {
                    column: *column,
                    visible: column.visible_by_default(),
                    width: column.default_width(),
                });
            }
        }
        columns
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_view_shows_the_articles_columns() {
        let settings = ViewSettings::default();
        assert!(settings.validate().is_ok());
        let visible: Vec<_> = settings
            .columns
            .iter()
            .filter(|c| c.visible)
            .map(|c| c.column)
            .collect();
        assert_eq!(visible.len(), 12);
        assert!(visible.contains(&Column::Spam));
    }

    #[test]
    fn a_view_with_a_repeated_column_or_silly_width_is_refused() {
        let mut settings = ViewSettings::default();
        settings.columns.push(settings.columns[0]);
        settings.columns[1].width = 5;
        let violations = settings.validate().unwrap_err();
        assert!(violations.has("columns", ViolationCode::Duplicate));
        assert!(violations.has("columns.width", ViolationCode::OutOfRange));
    }

    #[test]
    fn a_view_with_a_bad_query_is_refused() {
        let settings = ViewSettings {
            query: "tab=nowhere".to_owned(),
            ..ViewSettings::default()
        };
        assert!(
            settings
                .validate()
                .unwrap_err()
                .has("query", ViolationCode::InvalidValue)
        );
    }

    #[test]
    fn columns_missing_from_an_old_saved_view_are_appended() {
        let settings = ViewSettings {
            columns: vec![ColumnSetting {
                column: Column::Subject,
                visible: true,
                width: 300,
            }],
            ..ViewSettings::default()
        };
        let columns = settings.complete_columns();
        assert_eq!(columns[0].column, Column::Subject);
        assert_eq!(columns.len(), Column::ALL.len());
    }
}
