//! Who is calling: access tokens, refresh tokens, API keys and passwords.

pub mod caller;
pub mod password;
pub mod tokens;

pub use caller::{Caller, MailDeliverer};
