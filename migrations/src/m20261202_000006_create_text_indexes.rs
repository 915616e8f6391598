//! Substring filters and search at a million cases: trigram indexes on the
//! searched text columns (a case's subject; a contact's name, company,
//! e-mail and phone digits, which cases copy), so a rare substring is
//! found without reading every row.
//!
//! - SQLite: one contentless FTS5 table with the trigram tokenizer per
//!   column (rowids only, `detail=none`: the store checks every candidate
//!   with the exact `LIKE` anyway), kept in step by triggers.
//! - PostgreSQL: `pg_trgm` GIN indexes, which `LIKE '%…%'` uses directly;
//!   and extended statistics on the columns filters combine, so the
//!   planner knows that, say, unassigned cases are rarely offered.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261202_000006_create_text_indexes"
    }
}

/// (table, column, FTS table) of every trigram-indexed column.
const INDEXED: [(&str, &str, &str); 5] = [
    ("cases", "subject_search", "cases_subject_fts"),
    ("contacts", "name_search", "contacts_name_fts"),
    ("contacts", "company_search", "contacts_company_fts"),
    ("contacts", "email", "contacts_email_fts"),
    ("contacts", "phone_digits", "contacts_phone_fts"),
];

fn sqlite_up() -> Vec<String> {
    let mut statements = Vec::new();
    for (table, column, fts) in INDEXED {
        statements.push(format!(
            "CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='', contentless_delete=1, \
             tokenize='trigram', detail='none')"
        ));
        statements.push(format!(
            "INSERT INTO {fts} (rowid, {column}) SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL"
        ));
        statements.push(format!(
            "CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} WHEN new.{column} IS NOT NULL BEGIN \
             INSERT INTO {fts} (rowid, {column}) VALUES (new.id, new.{column}); END"
        ));
        statements.push(format!(
            "CREATE TRIGGER {fts}_update AFTER UPDATE OF {column} ON {table} BEGIN \
             DELETE FROM {fts} WHERE rowid = old.id; \
             INSERT INTO {fts} (rowid, {column}) SELECT new.id, new.{column} WHERE new.{column} IS NOT NULL; END"
        ));
        statements.push(format!(
            "CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN \
             DELETE FROM {fts} WHERE rowid = old.id; END"
        ));
    }
    statements
}

fn sqlite_down() -> Vec<String> {
    INDEXED
        .iter()
        .flat_map(|(_, _, fts)| {
            [
                format!("DROP TRIGGER {fts}_insert"),
                format!("DROP TRIGGER {fts}_update"),
                format!("DROP TRIGGER {fts}_delete"),
                format!("DROP TABLE {fts}"),
            ]
        })
        .collect()
}

fn postgres_up() -> Vec<String> {
    let mut statements = vec!["CREATE EXTENSION IF NOT EXISTS pg_trgm".to_owned()];
    for (table, column, _) in INDEXED {
        statements.push(format!(
            "CREATE INDEX {table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)"
        ));
    }
    statements.push(
        "CREATE STATISTICS cases_filter_columns (dependencies, mcv) \
         ON campaign_id, status, stage, source, owner_id, created_by, qualifier_id FROM cases"
            .to_owned(),
    );
    statements.push("ANALYZE cases".to_owned());
    statements
}

fn postgres_down() -> Vec<String> {
    let mut statements = vec!["DROP STATISTICS cases_filter_columns".to_owned()];
    for (table, column, _) in INDEXED {
        statements.push(format!("DROP INDEX {table}_{column}_trgm"));
    }
    statements
}

async fn run(manager: &SchemaManager<'_>, statements: Vec<String>) -> Result<(), DbErr> {
    let connection = manager.get_connection();
    for statement in statements {
        connection.execute_unprepared(&statement).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DbBackend::Postgres => run(manager, postgres_up()).await,
            _ => run(manager, sqlite_up()).await,
        }
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DbBackend::Postgres => run(manager, postgres_down()).await,
            _ => run(manager, sqlite_down()).await,
        }
    }
}
