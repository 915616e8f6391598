//! The JSON bodies of the public REST API (api.md), shared by the server and
//! the WASM client so both read and write exactly the same shapes. Requests
//! carry raw values; the rules in this crate parse them and name the field
//! that is wrong.

mod forms;
mod imports;
mod mail;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use forms::{FormSubmission, FormToken, SubmissionReceived, WebFormDto, WebFormRequest};
pub use imports::{
    ImportCellError, ImportDetails, ImportPreview, ImportPreviewRow, ImportProgress, ImportReadingRequest,
    RunImportRequest,
};
pub use mail::{ImapStatus, InboundMailDto, MailIntakeDto, MailIntakeRequest};

use crate::campaign::CampaignKind;
use crate::event::ChangeKind;
use crate::ids::{ApiKeyId, CampaignId, CaseId, ContactId, EventId, NoteId, QualifierId, UserId};
use crate::intake::IntakeChannel;
use crate::patch::Patch;
use crate::problem::ProblemCode;
use crate::role::{ApiKeyScope, Role};
use crate::source::Source;
use crate::status::{Stage, Status};
use crate::view::{ViewKey, ViewSettings};
use crate::violation::ViolationCode;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// A person or integration, by id and display name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UserRef {
    pub id: UserId,
    pub name: String,
}

/// A contact, by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ContactRef {
    pub id: ContactId,
    pub name: String,
}

/// A campaign as shown on a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CampaignBadge {
    pub id: CampaignId,
    pub kind: CampaignKind,
}

/// A qualifier label on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct QualifierRef {
    pub id: QualifierId,
    pub name: String,
}

/// One row of the pipeline list. It never carries the resignation reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CaseRow {
    pub id: CaseId,
    pub number: i64,
    pub source: Source,
    pub status: Status,
    pub stage: Option<Stage>,
    pub qualifier: Option<QualifierRef>,
    pub created_at: DateTime<Utc>,
    pub expected_close_date: NaiveDate,
    pub follow_up_at: Option<DateTime<Utc>>,
    pub contact: ContactRef,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub subject: String,
    pub owner: Option<UserRef>,
    pub created_by: UserRef,
    pub campaign: CampaignBadge,
    /// Expected deal value, in `currency`, with at most two decimals.
    pub value: Option<f64>,
    pub currency: String,
    /// Increases with every write; send it back as `If-Match`.
    pub version: i64,
}

/// The case card: the row plus what only the card shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CaseCard {
    #[serde(flatten)]
    pub row: CaseRow,
    pub resignation_reason: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// The id another system gave the case, if any.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Where the case came in, when not typed in by hand.
    #[serde(default)]
    pub intake: Option<CaseIntake>,
}

/// How a lead came in: the import (file), web form or e-mail that created it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CaseIntake {
    pub channel: IntakeChannel,
    /// The import's id (`GET /imports/{id}`).
    pub import_id: Option<i64>,
    /// The web form's id (`GET /forms/{id}`).
    #[serde(default)]
    pub web_form_id: Option<i64>,
    /// The inbound e-mail's id (`GET /inbound/email/messages`).
    #[serde(default)]
    pub inbound_mail_id: Option<i64>,
}

/// One page of a keyset-paginated list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// How many cases each tab holds under the current filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TabCounts {
    pub all: u64,
    pub awaiting_pickup: u64,
    pub in_acquisition: u64,
    pub offered: u64,
    pub resigned: u64,
    pub acquired: u64,
}

impl TabCounts {
    pub fn for_status(&self, status: Option<Status>) -> u64 {
        match status {
            None => self.all,
            Some(Status::AwaitingPickup) => self.awaiting_pickup,
            Some(Status::InAcquisition) => self.in_acquisition,
            Some(Status::Offered) => self.offered,
            Some(Status::Resigned) => self.resigned,
            Some(Status::Acquired) => self.acquired,
        }
    }

    pub fn add(&mut self, status: Status, count: u64) {
        self.all += count;
        match status {
            Status::AwaitingPickup => self.awaiting_pickup += count,
            Status::InAcquisition => self.in_acquisition += count,
            Status::Offered => self.offered += count,
            Status::Resigned => self.resigned += count,
            Status::Acquired => self.acquired += count,
        }
    }
}

/// `POST /auth/login`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::text_field))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::text_field))]
    pub password: String,
}

/// `GET /auth/login-options`: what the login page may offer before anyone
/// logs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LoginOptions {
    /// A login to try the product with: only when the server runs on the
    /// demo data and that login works; `null` otherwise (in production).
    pub demo_account: Option<DemoAccount>,
}

/// A demo login and its password, printed for anyone to use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DemoAccount {
    pub email: String,
    pub password: String,
}

/// An access token and the refresh token that renews it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TokenPair {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub refresh_token: String,
}

/// `POST /auth/refresh`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::text_field))]
    pub refresh_token: String,
}

/// `POST /auth/logout`: revokes this refresh token, or every one of the
/// caller's when none is given.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LogoutRequest {
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::text_or_null))]
    pub refresh_token: Option<String>,
}

/// `GET /me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Me {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// A new contact, alone or inside a new case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewContactRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::person_name, required = true)
    )]
    pub name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::optional_company))]
    pub company: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::optional_email))]
    pub email: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::optional_phone))]
    pub phone: Option<String>,
}

/// `POST /cases` (its schema is written out in `openapi.rs`: exactly one
/// of `contact_id` and `contact`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCaseRequest {
    pub subject: Option<String>,
    pub source: Option<Source>,
    pub expected_close_date: Option<NaiveDate>,
    /// An existing contact; or give `contact` to create one.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    #[serde(default)]
    pub contact: Option<NewContactRequest>,
    /// A qualifier id from `GET /qualifiers`.
    #[serde(default)]
    pub qualifier: Option<QualifierId>,
    #[serde(default)]
    pub value: Option<f64>,
    /// Defaults to PLN.
    #[serde(default)]
    pub currency: Option<String>,
    /// Managers only; an agent's case is always their own.
    #[serde(default)]
    pub owner_id: Option<UserId>,
    /// Your system's id for the case (up to 200 characters), unique: a
    /// second create with the same `external_id` is refused as `duplicate`.
    #[serde(default)]
    pub external_id: Option<String>,
}

/// `PATCH /cases/{id}`: a missing field is kept, `null` clears it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CasePatchRequest {
    /// Cannot be cleared.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::subject, required = false))]
    pub subject: Patch<String>,
    /// Cannot be cleared.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(value_type = Source, required = false))]
    pub source: Patch<Source>,
    /// A qualifier id; `null` removes it.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::id_or_null))]
    pub qualifier: Patch<QualifierId>,
    /// Cannot be cleared.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::day, required = false))]
    pub expected_close_date: Patch<NaiveDate>,
    /// Required while the case is offered; a closed case has none.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::instant_or_null))]
    pub follow_up_at: Patch<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::amount_or_null))]
    pub value: Patch<f64>,
    /// Three capital letters; cannot be cleared.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::currency, required = false))]
    pub currency: Patch<String>,
    /// Cannot be cleared.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::id, required = false))]
    pub contact_id: Patch<ContactId>,
}

/// `POST /cases/{id}/transition` (its schema, one shape per status, is
/// written out in `openapi.rs` from the funnel's rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub status: Status,
    #[serde(default)]
    pub stage: Option<Stage>,
    #[serde(default)]
    pub follow_up_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub resignation_reason: Option<String>,
}

/// `PUT /cases/{id}/owner`: `null` unassigns. The field is required, so an
/// empty body never unassigns by mistake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OwnerRequest {
    #[serde(deserialize_with = "Option::deserialize")]
    #[cfg_attr(
        feature = "openapi",
        schema(schema_with = crate::openapi::id_or_null, required = true)
    )]
    pub owner_id: Option<UserId>,
}

/// `PUT /cases/{id}/campaign`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CampaignRequest {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::id))]
    pub campaign_id: CampaignId,
}

crate::wire::wire_enum! {
    /// What a bulk request does to every case it names.
    pub enum BulkAction {
        Spam => "spam", "Oznacz jako spam", "Mark as spam";
        Restore => "restore", "Przywróć do lejka", "Restore to the funnel";
        Assign => "assign", "Przypisz właściciela", "Assign owner";
    }
}

/// `POST /cases/bulk`: all or nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    /// 1 to [`BulkRequest::MAX_IDS`] case ids, each once.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::bulk_ids))]
    pub ids: Vec<CaseId>,
    pub action: BulkAction,
    /// For `assign`: the new owner, `null` or missing to unassign. Other
    /// actions ignore it.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::id_or_null))]
    pub owner_id: Option<UserId>,
}

impl BulkRequest {
    /// The most cases one bulk request may change.
    pub const MAX_IDS: usize = 500;
}

/// A case a bulk request changed, with its new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BulkItem {
    pub id: CaseId,
    pub version: i64,
}

/// The answer to a bulk request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BulkResult {
    pub updated: Vec<BulkItem>,
}

/// One entry of a case's history. `from`/`to` hold wire codes for status
/// and stage, ids for owner and campaign; the labels are display names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CaseEventDto {
    pub id: EventId,
    pub at: DateTime<Utc>,
    pub actor: Option<UserRef>,
    pub kind: ChangeKind,
    pub from: Option<String>,
    pub to: Option<String>,
    pub from_label: Option<String>,
    pub to_label: Option<String>,
    pub reason: Option<String>,
}

/// A note on the case card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct NoteDto {
    pub id: NoteId,
    pub author: UserRef,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// `POST /cases/{id}/notes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewNoteRequest {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::note_text))]
    pub body: String,
}

/// A contact (lead).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ContactDto {
    pub id: ContactId,
    pub name: String,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// `PATCH /contacts/{id}`: a missing field is kept, `null` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactPatchRequest {
    /// Cannot be cleared.
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::person_name, required = false))]
    pub name: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::optional_company))]
    pub company: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::optional_email))]
    pub email: Patch<String>,
    #[serde(default, skip_serializing_if = "Patch::is_keep")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::optional_phone))]
    pub phone: Patch<String>,
}

/// A campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CampaignDto {
    pub id: CampaignId,
    pub name: String,
    pub kind: CampaignKind,
}

/// A user account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct UserDto {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
}

/// `POST /users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::email))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::person_name))]
    pub name: String,
    pub role: Role,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::password))]
    pub password: String,
}

/// `PATCH /users/{id}`: users are deactivated, never deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserPatchRequest {
    /// A missing field or `null` leaves it as it is.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::person_name_or_null))]
    pub name: Option<String>,
    /// An admin cannot take the admin role from themselves.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::role_or_null))]
    pub role: Option<Role>,
    /// An admin cannot deactivate themselves.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::bool_or_null))]
    pub active: Option<bool>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::password_or_null))]
    pub password: Option<String>,
}

/// An entry of a dictionary (qualifiers, resignation reasons).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DictionaryEntry {
    pub id: i64,
    pub name: String,
}

/// `POST /qualifiers`, `POST /resignation-reasons`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewDictionaryEntry {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::dictionary_name))]
    pub name: String,
}

/// An integration's API key, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ApiKeyDto {
    pub id: ApiKeyId,
    pub name: String,
    /// What the integration may do: `agent` (its own cases) or `manager`.
    pub role: Role,
    /// `intake`: the key may only deliver inbound e-mail.
    #[serde(default)]
    pub scope: ApiKeyScope,
    /// The first characters of the secret, to recognise it.
    pub prefix: String,
    /// The identity the key acts as (shown as `created_by` on its cases).
    pub user_id: UserId,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// `POST /api-keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewApiKeyRequest {
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::dictionary_name))]
    pub name: String,
    /// `agent` or `manager`: a key never acts as an admin.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::api_key_role))]
    pub role: Role,
    /// `full` (the default) or `intake`: only `POST /inbound/email`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = false))]
    pub scope: ApiKeyScope,
}

/// A new API key: the secret is shown this once and never again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CreatedApiKey {
    pub key: ApiKeyDto,
    pub secret: String,
}

/// `GET/PUT /views/{key}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SavedView {
    pub key: ViewKey,
    pub settings: ViewSettings,
    /// `null` when the user has not saved this view: these are the defaults.
    pub updated_at: Option<DateTime<Utc>>,
}

/// `GET/PUT /analytics/probabilities`: the chance of each open step that
/// a case in it is won, which weights the forecast.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ForecastProbabilities {
    pub probabilities: crate::analytics::ProbabilitiesBody,
    /// Whether the chances rise (or stay) along the funnel; `false` is a
    /// warning worth showing, not an error.
    pub rising: bool,
    /// `null` while the defaults hold.
    pub updated_at: Option<DateTime<Utc>>,
}

/// `GET /analytics/outcomes`: every group with a case closed in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OutcomesBody {
    /// Sources in definition order; owners and qualifiers by name, the
    /// cases without one last.
    pub groups: Vec<OutcomeRow>,
}

/// One group of closed cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OutcomeRow {
    /// The source's code, the owner's or qualifier's id; `null` for
    /// `group_by=none` and for the cases without an owner or qualifier.
    pub key: Option<String>,
    /// The owner's or qualifier's name; `null` otherwise.
    pub name: Option<String>,
    #[serde(flatten)]
    pub figures: crate::analytics::OutcomeGroup,
}

/// `GET /analytics/team`: the manager's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TeamBody {
    /// One row per active agent or manager who owns a case in scope, by
    /// name, then the unassigned cases when there are any.
    pub rows: Vec<crate::analytics::TeamRow>,
}

/// One field error of a problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FieldError {
    /// The wire name of the field or parameter (`stage`, `contact.email`).
    pub field: String,
    pub code: ViolationCode,
    /// In English; clients show the code's label in the user's language.
    pub message: String,
}

/// An RFC 9457 problem (`application/problem+json`) with a stable `code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: ProblemCode,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The id of the request that failed, as in its `X-Request-Id` header
    /// and on the server's log lines for it: quote it when reporting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}
