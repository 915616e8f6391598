//! PostgreSQL reads a row's columns in table order, stepping over every
//! variable-length one before the column it wants: a count or filter that
//! tests `subject_search`, the last of 29 columns, spent a quarter of a
//! full scan getting there (a million rows: 157 ms against 115 ms with the
//! column among the first). The table is rebuilt with its columns in the
//! order scans want them: the fixed-width ones every filter reads (their
//! offsets are known without looking at the row), then the nullable
//! fixed-width ones, then the searched text, then what only a page shows.
//!
//! Everything hanging on the table is read from the catalog and put back
//! as it was (checks, keys, indexes, statistics, the foreign keys of the
//! tables that refer to cases, the identity's next value), so the rebuild
//! restates no earlier migration. SQLite finds a column from the record's
//! header whatever its position: nothing to do there.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, QueryResult, Statement};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000009_order_case_columns"
    }
}

/// The leading columns, in their new order; the rest follow as they were.
pub const CASE_COLUMNS_FIRST: [&str; 22] = [
    "id",
    "number",
    "campaign_id",
    "contact_id",
    "created_by",
    "created_at",
    "version",
    "updated_at",
    "expected_close_date",
    "source",
    "status",
    "owner_id",
    "qualifier_id",
    "follow_up_at",
    "closed_at",
    "value_minor",
    "stage",
    "subject_search",
    "contact_search",
    "company_search",
    "email",
    "phone_digits",
];

const TABLE: &str = "cases";
const OLD_TABLE: &str = "cases_before_column_order";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        rebuild(manager.get_connection(), TABLE, &CASE_COLUMNS_FIRST).await
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // The order is physical only: the schema is the same either way.
        Ok(())
    }
}

struct Column {
    name: String,
    definition: String,
    identity: bool,
}

async fn rows<C: ConnectionTrait>(connection: &C, sql: String) -> Result<Vec<QueryResult>, DbErr> {
    connection
        .query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
}

fn text(row: &QueryResult, index: usize) -> Result<String, DbErr> {
    row.try_get_by_index(index)
}

/// Rewrites `table` with `first` as its leading columns.
async fn rebuild<C: ConnectionTrait>(connection: &C, table: &str, first: &[&str]) -> Result<(), DbErr> {
    let relation = format!("'{table}'::regclass");
    let mut columns = Vec::new();
    for row in rows(
        connection,
        format!(
            "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod) \
             || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END \
             || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), ''), \
             a.attidentity::text \
             FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             WHERE a.attrelid = {relation} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"
        ),
    )
    .await?
    {
        columns.push(Column {
            name: text(&row, 0)?,
            definition: text(&row, 1)?,
            identity: !text(&row, 2)?.is_empty(),
        });
    }
    let position = |column: &Column| {
        first
            .iter()
            .position(|name| *name == column.name)
            .unwrap_or(first.len())
    };
    if let Some(missing) = first
        .iter()
        .find(|name| !columns.iter().any(|column| column.name == **name))
    {
        return Err(DbErr::Migration(format!("{table} has no column {missing}")));
    }
    // Stable: the columns not named keep their order after the named ones.
    columns.sort_by_key(position);

    let constraints = definitions(
        connection,
        format!(
            "SELECT format('ALTER TABLE {table} ADD CONSTRAINT %I %s', conname, pg_get_constraintdef(oid)) \
             FROM pg_constraint WHERE conrelid = {relation} ORDER BY contype = 'f', conname"
        ),
    )
    .await?;
    let indexes = definitions(
        connection,
        format!(
            "SELECT pg_get_indexdef(x.indexrelid) FROM pg_index x WHERE x.indrelid = {relation} \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) \
             ORDER BY x.indexrelid"
        ),
    )
    .await?;
    let statistics = definitions(
        connection,
        format!("SELECT pg_get_statisticsobjdef(oid) FROM pg_statistic_ext WHERE stxrelid = {relation}"),
    )
    .await?;
    // The foreign keys of other tables that refer to this one: (drop, add).
    let referring: Vec<(String, String)> = rows(
        connection,
        format!(
            "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname), \
             format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) \
             FROM pg_constraint WHERE confrelid = {relation} AND contype = 'f' AND conrelid <> {relation}"
        ),
    )
    .await?
    .iter()
    .map(|row| Ok((text(row, 0)?, text(row, 1)?)))
    .collect::<Result<_, DbErr>>()?;
    let mut identities = Vec::new();
    for column in columns.iter().filter(|column| column.identity) {
        let next = rows(
            connection,
            format!(
                "SELECT (CASE WHEN is_called THEN last_value + 1 ELSE last_value END)::text FROM {}",
                sequence_of(connection, table, &column.name).await?
            ),
        )
        .await?;
        let next = next
            .first()
            .map(|row| text(row, 0))
            .transpose()?
            .unwrap_or_else(|| "1".into());
        identities.push(format!(
            "ALTER TABLE {table} ALTER COLUMN \"{}\" ADD GENERATED BY DEFAULT AS IDENTITY (START WITH {next})",
            column.name
        ));
    }

    let names = columns
        .iter()
        .map(|column| format!("\"{}\"", column.name))
        .collect::<Vec<_>>()
        .join(", ");
    let mut script = Vec::new();
    script.extend(referring.iter().map(|(drop, _)| drop.clone()));
    script.push(format!("ALTER TABLE {table} RENAME TO {OLD_TABLE}"));
    script.push(format!(
        "CREATE TABLE {table} ({})",
        columns
            .iter()
            .map(|column| format!("\"{}\" {}", column.name, column.definition))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    script.push(format!(
        "INSERT INTO {table} ({names}) SELECT {names} FROM {OLD_TABLE}"
    ));
    script.push(format!("DROP TABLE {OLD_TABLE}"));
    script.extend(identities);
    script.extend(constraints);
    script.extend(indexes);
    script.extend(statistics);
    script.extend(referring.into_iter().map(|(_, add)| add));
    script.push(format!("ANALYZE {table}"));
    for statement in script {
        connection.execute_unprepared(&statement).await?;
    }
    Ok(())
}

async fn definitions<C: ConnectionTrait>(connection: &C, sql: String) -> Result<Vec<String>, DbErr> {
    rows(connection, sql)
        .await?
        .iter()
        .map(|row| text(row, 0))
        .collect()
}

async fn sequence_of<C: ConnectionTrait>(connection: &C, table: &str, column: &str) -> Result<String, DbErr> {
    let found = rows(
        connection,
        format!("SELECT pg_get_serial_sequence('{table}', '{column}')"),
    )
    .await?;
    found
        .first()
        .map(|row| text(row, 0))
        .transpose()?
        .ok_or_else(|| DbErr::Migration(format!("no sequence for {table}.{column}")))
}
