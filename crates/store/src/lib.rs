//! Persistence for Lejek with sea-orm, over SQLite (embedded default) and
//! PostgreSQL (production). The same code and schema run on both; the
//! backend is chosen by the URL scheme. Entities stay inside this crate:
//! callers get domain types and the API's DTOs.

mod analytics;
pub mod bulk;
mod cases;
mod codes;
mod connect;
mod contacts;
mod credentials;
mod entity;
mod error;
mod imports;
mod inbound_mails;
mod jobs;
#[cfg(test)]
mod schema_tests;
mod search;
mod settings;
pub mod test_support;
mod users;
mod web_forms;

pub use cases::{CampaignScope, CaseFilter, CaseOrigin, CasePage, CaseSnapshot, CaseWrite, ForcedPlan};
pub use codes::{source_code, source_of, stage_code, stage_of, status_code, status_of};
pub use connect::{Backend, FUNNEL_CAMPAIGN_NAME, POSTGRES_BACKUP, PoolStats, SPAM_CAMPAIGN_NAME, Store};
pub use contacts::ContactPage;
pub use credentials::{NewApiKey, RefreshRefusal, ThrottlePolicy};
pub use error::{StoreError, StoreResult};
pub use imports::{
    BatchOutcome, BatchRow, IMPORT_JOB, ImportBatch, ImportReading, ImportRecord, NewImport, Refusal,
    RowError,
};
pub use inbound_mails::{FiledMail, InboundMailRecord, MailFiling, MailIntakeRecord};
pub use jobs::JobLease;
pub use search::{like_pattern, search_key};
pub use settings::{Dictionary, IdempotencyClaim, StoredResponse};
pub use users::{NewUser, UserChanges, UserKind, UserRecord};
pub use web_forms::{FormLead, SubmissionOutcome, WebFormRecord};
