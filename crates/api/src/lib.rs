//! The Lejek REST API v1 (actix-web): thin handlers over the domain's
//! rules and the store, an RFC 9457 error for every failure, and an
//! OpenAPI document derived from the handlers.

pub mod auth;
mod error;
mod forms;
mod http;
mod imports;
mod json;
mod mail;
mod monitoring;
mod observe;
mod openapi;
mod params;
mod routes;
mod settings;
mod startup;
mod state;
mod upload;

pub use auth::password::{hash as hash_password, verify as verify_password};
pub use error::ApiError;
pub use mail::{IntakeMailError, intake_mail};
pub use settings::{Settings, SettingsError};
pub use startup::{Application, StartupError, openapi};
