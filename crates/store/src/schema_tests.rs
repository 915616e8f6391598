//! The migrations against real data: a rebuild keeps every row and
//! everything hanging on the table.

use lejek_migrations::{CASE_COLUMNS_FIRST, Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

use crate::test_support::TestDatabase;

/// The migrations before the one that puts the case columns in scan order.
const BEFORE_COLUMN_ORDER: u32 = 8;

async fn strings(db: &DatabaseConnection, sql: &str) -> Vec<String> {
    let rows = db
        .query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
    let mut values: Vec<String> = rows.iter().map(|row| row.try_get_by_index(0).unwrap()).collect();
    values.sort();
    values
}

async fn run(db: &DatabaseConnection, sql: &str) -> Result<(), sea_orm::DbErr> {
    db.execute_unprepared(sql).await.map(|_| ())
}

/// What hangs on `cases`, and its rows, as comparable text.
async fn snapshot(db: &DatabaseConnection) -> Vec<Vec<String>> {
    vec![
        strings(
            db,
            "SELECT attname || ' ' || format_type(atttypid, atttypmod) || ' ' || attnotnull || ' ' || attidentity::text \
             FROM pg_attribute WHERE attrelid = 'cases'::regclass AND attnum > 0 AND NOT attisdropped",
        )
        .await,
        strings(db, "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = 'cases'::regclass").await,
        strings(
            db,
            "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE conrelid = 'cases'::regclass OR confrelid = 'cases'::regclass",
        )
        .await,
        strings(
            db,
            // Its columns by name: the definition lists them in table order.
            "SELECT stxname || ' ' || stxkind::text || ' ' || (SELECT string_agg(attname, ',' ORDER BY attname) \
             FROM pg_attribute WHERE attrelid = stxrelid AND attnum = ANY (stxkeys)) \
             FROM pg_statistic_ext WHERE stxrelid = 'cases'::regclass",
        )
        .await,
        strings(db, "SELECT jsonb_agg(to_jsonb(c) ORDER BY id)::text FROM cases c").await,
    ]
}

fn insert_case(number: u32) -> String {
    format!(
        "INSERT INTO cases (number, campaign_id, subject, source, status, contact_id, created_by, created_at, \
         expected_close_date, currency, version, updated_at, contact_name, contact_search, subject_search, owner_id) \
         VALUES ({number}, 1, 'Magazyn {number}', 1, 1, 1, 1, now(), '2027-01-31', 'PLN', 1, now(), \
         'Jan Kowalski', 'jan kowalski', 'magazyn {number}', NULL)"
    )
}

#[tokio::test]
async fn putting_the_case_columns_in_scan_order_keeps_every_row_key_index_and_reference() {
    let Some(database) = TestDatabase::postgres().await else {
        return;
    };
    let db = Database::connect(database.url.clone()).await.unwrap();
    Migrator::up(&db, Some(BEFORE_COLUMN_ORDER)).await.unwrap();
    for statement in [
        "INSERT INTO users (email, name, role, created_at) VALUES ('a@lejek.test', 'Anna', 'admin', now())",
        "INSERT INTO campaigns (name, kind, created_at) VALUES ('Lejek', 'funnel', now())",
        "INSERT INTO contacts (name, name_search, created_at) VALUES ('Jan Kowalski', 'jan kowalski', now())",
        &insert_case(1),
        &insert_case(2),
        &insert_case(3),
        "INSERT INTO case_events (case_id, at, kind) VALUES (1, now(), 'created')",
        "DELETE FROM cases WHERE id = 3",
    ] {
        run(&db, statement).await.unwrap();
    }
    let before = snapshot(&db).await;

    Migrator::up(&db, Some(1)).await.unwrap();

    assert_eq!(snapshot(&db).await, before);
    let order = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT attname::text FROM pg_attribute WHERE attrelid = 'cases'::regclass AND attnum > 0 \
             AND NOT attisdropped ORDER BY attnum",
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect::<Vec<_>>();
    assert_eq!(order[..CASE_COLUMNS_FIRST.len()], CASE_COLUMNS_FIRST);
    // Ids are never reused: the next case comes after the deleted one.
    run(&db, &insert_case(4)).await.unwrap();
    assert_eq!(strings(&db, "SELECT max(id)::text FROM cases").await, ["4"]);
    // The checks and both directions of the foreign keys still hold.
    assert!(
        run(&db, "UPDATE cases SET status = 4 WHERE id = 1")
            .await
            .is_err()
    );
    assert!(
        run(
            &db,
            "INSERT INTO case_events (case_id, at, kind) VALUES (3, now(), 'created')"
        )
        .await
        .is_err()
    );
    assert!(run(&db, "DELETE FROM cases WHERE id = 1").await.is_err());
    assert!(
        run(&db, "UPDATE cases SET contact_id = 99 WHERE id = 2")
            .await
            .is_err()
    );
    assert!(
        run(&db, &insert_case(1)).await.is_err(),
        "the number stays unique"
    );
    db.close().await.unwrap();
}
