//! sea-orm entities, one per table. They never leave this crate: callers get
//! domain types and DTOs.

pub mod api_key;
pub mod campaign;
pub mod case;
pub mod case_event;
pub mod case_note;
pub mod case_stay;
pub mod case_tally;
pub mod contact;
pub mod counter;
pub mod dictionary;
pub mod forecast_probability;
pub mod form_submission;
pub mod idempotency_record;
pub mod import;
pub mod import_file;
pub mod import_refusal;
pub mod inbound_mail;
pub mod job;
pub mod login_throttle;
pub mod mail_intake_setting;
pub mod refresh_token;
pub mod saved_view;
pub mod user;
pub mod web_form;
