//! The handlers, one module per resource. They stay thin: parse, ask the
//! domain, call the store, answer.

pub mod admin;
pub mod analytics;
pub mod auth;
pub mod case_actions;
pub mod cases;
pub mod contacts;
pub mod forms;
pub mod health;
pub mod imports;
pub mod mail;
pub mod metrics;
mod responses;
pub mod views;
