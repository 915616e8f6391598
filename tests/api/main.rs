//! The REST API over real HTTP, on SQLite and on PostgreSQL: every scenario
//! runs twice, as `<scenario>::sqlite` and `<scenario>::postgres`, each on
//! a fresh server and database (see `lejek_tests::both!`).

mod admin;
mod analytics;
mod auth;
mod cases;
mod concurrency;
mod contacts;
mod faults;
mod figures;
mod forms;
mod http;
mod imap;
mod imports;
mod mail;
mod openapi;
mod pipeline;
mod spam;
mod transitions;
mod views;
mod visibility;
mod web;
