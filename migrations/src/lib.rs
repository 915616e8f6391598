//! The database schema. Each migration is plain SQL written once with a few
//! type placeholders, so SQLite and PostgreSQL get the same tables, checks
//! and indexes; what only one of them has or needs (PostgreSQL's trigram
//! function, the order of its `cases` columns, the columns its filter
//! indexes include; SQLite's FTS5 tables) is added in code.

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_create_schema;
mod m20261127_000002_create_sort_indexes;
mod m20261127_000003_create_case_tallies;
mod m20261127_000004_add_contact_company_search;
mod m20261127_000005_create_owner_and_source_indexes;
mod m20261202_000006_create_text_indexes;
mod m20261202_000007_create_covering_indexes;
mod m20261204_000008_create_search_indexes;
mod m20261204_000009_order_case_columns;
mod m20261204_000010_include_case_ids;
mod m20261204_000011_create_forecast_probabilities;
mod m20261205_000012_create_case_analytics;
mod m20261207_000013_create_jobs_and_imports;
mod m20261207_000014_create_web_forms;
mod m20261207_000015_create_mail_intake;
mod sql;

pub use m20261204_000008_create_search_indexes::{TRIGRAM_WORDS_FROM, TRIGRAM_WORDS_TO};
pub use m20261204_000009_order_case_columns::CASE_COLUMNS_FIRST;
pub use m20261205_000012_create_case_analytics::{
    backfill as backfill_case_analytics, whole_seconds_between,
};

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_create_schema::Migration),
            Box::new(m20261127_000002_create_sort_indexes::Migration),
            Box::new(m20261127_000003_create_case_tallies::Migration),
            Box::new(m20261127_000004_add_contact_company_search::Migration),
            Box::new(m20261127_000005_create_owner_and_source_indexes::Migration),
            Box::new(m20261202_000006_create_text_indexes::Migration),
            Box::new(m20261202_000007_create_covering_indexes::Migration),
            Box::new(m20261204_000008_create_search_indexes::Migration),
            Box::new(m20261204_000009_order_case_columns::Migration),
            Box::new(m20261204_000010_include_case_ids::Migration),
            Box::new(m20261204_000011_create_forecast_probabilities::Migration),
            Box::new(m20261205_000012_create_case_analytics::Migration),
            Box::new(m20261207_000013_create_jobs_and_imports::Migration),
            Box::new(m20261207_000014_create_web_forms::Migration),
            Box::new(m20261207_000015_create_mail_intake::Migration),
        ]
    }
}
