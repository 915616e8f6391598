//! Web forms on the wire (intake spec §2).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use super::{QualifierRef, UserRef};
use crate::ids::{QualifierId, UserId};
use crate::source::Source;
use crate::web_form::{FormAssignment, FormField};

fn default_close_in_days() -> u16 {
    30
}

fn default_true() -> bool {
    true
}

fn default_fields() -> Vec<FormField> {
    vec![
        FormField::Name,
        FormField::Email,
        FormField::Phone,
        FormField::Message,
    ]
}

/// `POST /forms` and `PUT /forms/{id}`: a web form's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WebFormRequest {
    /// Shown to the admin and as the subject of leads that give none.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::person_name))]
    pub name: String,
    /// The sites the form may be embedded on and posted from
    /// (`https://example.pl`), up to 20.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::form_origins, required = false))]
    pub origins: Vec<String>,
    /// Defaults to `contact_form`.
    #[serde(default)]
    pub source: Option<Source>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::id_or_null))]
    pub qualifier: Option<QualifierId>,
    #[serde(default)]
    pub assignment: FormAssignment,
    /// With `round_robin` (and only then): the salespeople who get the
    /// leads in turn; `[]` otherwise.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::form_agents))]
    pub agents: Vec<UserId>,
    /// The fields the form asks for; an e-mail or a phone at least.
    #[serde(default = "default_fields")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::form_fields, required = false))]
    pub fields: Vec<FormField>,
    /// A lead's expected close date, in days after it came in (1–730).
    #[serde(
        default = "default_close_in_days",
        deserialize_with = "crate::ids::small_count"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::close_in_days, required = false))]
    pub close_in_days: u16,
    /// An inactive form takes no submissions.
    #[serde(default = "default_true")]
    pub active: bool,
}

/// A web form, with what to embed on a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct WebFormDto {
    pub id: i64,
    /// The form's public key, in its addresses.
    pub key: String,
    pub name: String,
    pub origins: Vec<String>,
    pub source: Source,
    pub qualifier: Option<QualifierRef>,
    pub assignment: FormAssignment,
    pub agents: Vec<UserRef>,
    pub fields: Vec<FormField>,
    pub close_in_days: u16,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Leads the form has created.
    pub leads: u64,
    /// Plain HTML to paste into a site: the form in a frame, no script.
    pub snippet: String,
    /// The page the snippet frames.
    pub page_url: String,
    /// Where a custom form posts (JSON or form-encoded).
    pub submit_url: String,
}

/// `GET /forms/{key}/token`: what a custom form sends back as `token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FormToken {
    pub token: String,
    /// A form sent before this is taken for a bot's.
    pub not_before: DateTime<Utc>,
}

/// `POST /forms/{key}/submissions`: what a person filled in. Fields the
/// form does not ask for are ignored. A bot's submission is answered as a
/// person's whatever it holds, so only what is refused before telling the
/// two apart is stated here (no NUL); a person's fields are then checked as
/// a new case's contact (`invalid_email` on `email`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FormSubmission {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::text_or_null))]
    pub name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::text_or_null))]
    pub email: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::text_or_null))]
    pub phone: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::text_or_null))]
    pub company: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::text_or_null))]
    pub subject: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::text_or_null))]
    pub message: Option<String>,
    /// From `GET /forms/{key}/token` (the form page carries its own).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::text_or_null))]
    pub token: Option<String>,
    /// Left empty by people: a field they never see.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::text_or_null))]
    pub website: Option<String>,
}

/// The answer to every accepted submission, a bot's included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SubmissionReceived {
    /// Always `received`.
    pub status: String,
}
