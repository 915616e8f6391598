//! E-mail intake on the wire (intake spec §3).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use super::{QualifierRef, UserRef};
use crate::ids::{CaseId, QualifierId, UserId};
use crate::mail_intake::{MailChannel, MailOutcome};
use crate::web_form::FormAssignment;

fn default_close_in_days() -> u16 {
    30
}

fn default_true() -> bool {
    true
}

/// `PUT /inbound/email/settings`: what becomes of mail to the sales mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MailIntakeRequest {
    /// Switched off, delivered mail is refused (409) and IMAP mail left
    /// unread, to be filed once it is on again.
    #[serde(default = "default_true")]
    pub active: bool,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::id_or_null))]
    pub qualifier: Option<QualifierId>,
    #[serde(default)]
    pub assignment: FormAssignment,
    /// With `round_robin` (and only then): the salespeople who get the
    /// leads in turn; `[]` otherwise.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::form_agents))]
    pub agents: Vec<UserId>,
    /// A lead's expected close date, in days after it came in (1–730).
    #[serde(
        default = "default_close_in_days",
        deserialize_with = "crate::ids::small_count"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::close_in_days, required = false))]
    pub close_in_days: u16,
}

/// This node's IMAP polling, when `LEJEK_IMAP_HOST` is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ImapStatus {
    pub host: String,
    pub user: String,
    pub mailbox: String,
    /// The last poll that reached the mailbox.
    pub last_poll_at: Option<DateTime<Utc>>,
    /// Messages filed by this node since it started.
    pub filed: u64,
    /// Why the last poll failed; `null` when it worked.
    pub last_error: Option<String>,
}

/// `GET /inbound/email/settings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MailIntakeDto {
    pub active: bool,
    pub qualifier: Option<QualifierRef>,
    pub assignment: FormAssignment,
    pub agents: Vec<UserRef>,
    pub close_in_days: u16,
    /// Who files the mail (cases and notes are theirs): the admin who last
    /// saved these settings; `null` before anyone did (the first admin).
    pub updated_by: Option<UserRef>,
    pub updated_at: Option<DateTime<Utc>>,
    /// Where a mail gateway posts raw messages.
    pub delivery_url: String,
    /// `null` when this server polls no mailbox.
    pub imap: Option<ImapStatus>,
}

/// An inbound message and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InboundMailDto {
    pub id: i64,
    /// Its `Message-ID` without angle brackets (derived from its bytes when
    /// it had none).
    pub message_id: String,
    pub channel: MailChannel,
    pub received_at: DateTime<Utc>,
    /// The From address; `null` when it had none.
    pub sender: Option<String>,
    pub subject: String,
    pub outcome: MailOutcome,
    /// Why it was skipped: `auto_submitted`, `bulk`, `list` or `bounce`.
    pub detail: Option<String>,
    /// The case it created or was filed on.
    pub case_id: Option<CaseId>,
    pub case_number: Option<i64>,
    /// `true` when this Message-ID had been filed before: nothing changed.
    pub duplicate: bool,
}
