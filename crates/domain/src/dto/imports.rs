//! File imports on the wire (intake spec §1).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use super::UserRef;
use crate::ids::UserId;
use crate::intake::{
    ContactMatch, Delimiter, ImportField, ImportFormat, ImportOwner, ImportState, TextEncoding,
};
use crate::source::Source;
use crate::violation::ViolationCode;

/// How to read an uploaded file, and the mapping to check its first rows
/// with; anything left out is detected (encoding, delimiter), the first
/// sheet, or the suggested mapping.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ImportReadingRequest {
    #[serde(default)]
    pub encoding: Option<TextEncoding>,
    #[serde(default)]
    pub delimiter: Option<Delimiter>,
    /// XLSX: the sheet to read, by name.
    #[serde(default)]
    pub sheet: Option<String>,
    /// One entry per column of the header: the field it holds, or `null`
    /// to leave the column out.
    #[serde(default)]
    pub mapping: Option<Vec<Option<ImportField>>>,
}

/// What is wrong with one cell (or, with no `column`, with the row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ImportCellError {
    /// The column's position, from 0; `null` when no column holds the field
    /// (a required field not mapped).
    pub column: Option<u32>,
    /// The field the rule is about, as in `POST /cases` (`subject`,
    /// `contact.email`, `owner_id`, …) or the import field (`owner_email`).
    pub field: String,
    pub code: ViolationCode,
    /// In English; clients show the code's label in the user's language.
    pub message: String,
}

/// A data row as it would be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ImportPreviewRow {
    /// The row's number as a spreadsheet shows it (the header is row 1).
    pub row: u64,
    pub cells: Vec<String>,
    /// Empty when the row would be imported.
    pub errors: Vec<ImportCellError>,
}

/// How far an import has got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ImportProgress {
    pub total_rows: u64,
    pub rows_done: u64,
    /// Cases created.
    pub created: u64,
    /// Rows whose contact already existed (matched by e-mail or phone).
    pub contacts_reused: u64,
    /// Rows not imported; see `GET /imports/{id}/refusals`.
    pub refused: u64,
}

/// `POST /imports/{id}/run`: the mapping and the options to import with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RunImportRequest {
    /// One entry per column of the header: the field it holds, or `null`.
    pub mapping: Vec<Option<ImportField>>,
    #[serde(default = "default_contact_match")]
    pub contact_match: ContactMatch,
    /// Who owns the new cases; an agent's are always their own. Defaults to
    /// `unassigned` (an agent: themselves).
    #[serde(default = "default_owner")]
    pub owner: ImportOwner,
    /// With `owner: user` (and only then): the person.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::id_or_null))]
    pub owner_id: Option<UserId>,
    /// The source of rows without a source column or with a blank one.
    #[serde(default)]
    pub default_source: Option<Source>,
    /// The expected close date of rows that give none.
    #[serde(default)]
    pub default_expected_close_date: Option<NaiveDate>,
}

fn default_contact_match() -> ContactMatch {
    ContactMatch::Email
}

fn default_owner() -> ImportOwner {
    ImportOwner::Unassigned
}

/// An import: its file, how it is read, and how far it has got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ImportDetails {
    pub id: i64,
    pub state: ImportState,
    pub file_name: Option<String>,
    pub format: ImportFormat,
    pub byte_size: u64,
    /// SHA-256 of the file, hex.
    pub content_hash: String,
    pub created_at: DateTime<Utc>,
    pub created_by: UserRef,
    /// CSV: the encoding read (detected unless given).
    pub encoding: Option<TextEncoding>,
    /// CSV: the delimiter read (sniffed unless given).
    pub delimiter: Option<Delimiter>,
    /// XLSX: every sheet's name.
    pub sheets: Vec<String>,
    /// XLSX: the sheet read.
    pub sheet: Option<String>,
    pub header: Vec<String>,
    /// The run's mapping once started; before that, the one suggested
    /// from the header or last previewed.
    pub mapping: Vec<Option<ImportField>>,
    /// Earlier imports of the same file (same content) you may see.
    pub same_file_imports: Vec<i64>,
    pub progress: ImportProgress,
    /// The options the import runs with, once started.
    pub settings: Option<RunImportRequest>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Why the import stopped, when `state` is `failed`.
    pub failure: Option<String>,
}

/// An import with the first rows of its file as they would be imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ImportPreview {
    #[serde(flatten)]
    pub import: ImportDetails,
    /// Up to 20 first data rows.
    pub rows: Vec<ImportPreviewRow>,
}
