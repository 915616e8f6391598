//! One module per screen.

pub mod analytics;
pub mod case_card;
pub mod contact;
pub mod import;
pub mod imports;
pub mod login;
pub mod mail_intake;
pub mod new_case;
pub mod not_found;
pub mod pipeline;
pub mod search;
pub mod web_forms;
