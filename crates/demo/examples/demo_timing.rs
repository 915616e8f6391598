//! Measures a demo load: `cargo run --release -p lejek-demo --example demo_timing -- <cases> [sqlite|postgres]`.
//! SQLite goes to a fresh temp file; PostgreSQL to a fresh database on
//! `LEJEK_TEST_POSTGRES_URL`. Prints the timing and the data's shape.

use chrono::NaiveDate;
use lejek_demo::{DemoOptions, generate};
use lejek_store::Store;
use lejek_store::test_support::TestDatabase;
use sea_orm::{ConnectionTrait, Statement};

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let mut args = std::env::args().skip(1);
    let cases: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let backend = args.next().unwrap_or_else(|| "sqlite".to_owned());
    let db = match backend.as_str() {
        "postgres" => TestDatabase::postgres()
            .await
            .expect("set LEJEK_TEST_POSTGRES_URL"),
        _ => TestDatabase::sqlite(),
    };
    let store = Store::open(&db.url, 5).await.expect("open");
    let options = DemoOptions {
        cases,
        seed: 2026,
        today: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        password_hash: "x".to_owned(),
    };
    let summary = generate(&store, &options).await.expect("generate");
    println!(
        "{backend}: {} cases, {} contacts, {} events ({:.2} per case) in {:.1?}",
        summary.cases,
        summary.contacts,
        summary.events,
        summary.events as f64 / summary.cases.max(1) as f64,
        summary.elapsed
    );
    let conn = store.connection();
    let queries = [
        "SELECT status, COUNT(*) FROM cases GROUP BY status ORDER BY status",
        "SELECT source, COUNT(*) FROM cases GROUP BY source ORDER BY source",
        "SELECT CASE WHEN owner_id IS NULL THEN 0 ELSE 1 END, COUNT(*) FROM cases GROUP BY 1 ORDER BY 1",
        "SELECT campaign_id, COUNT(*) FROM cases GROUP BY campaign_id ORDER BY campaign_id",
        "SELECT CASE WHEN qualifier_id IS NULL THEN 0 ELSE 1 END, COUNT(*) FROM cases GROUP BY 1 ORDER BY 1",
        "SELECT CASE WHEN value_minor IS NULL THEN 0 ELSE 1 END, COUNT(*) FROM cases GROUP BY 1 ORDER BY 1",
        "SELECT kind, COUNT(*) FROM case_events GROUP BY kind ORDER BY kind",
        "SELECT CASE WHEN company IS NULL THEN 0 ELSE 1 END, COUNT(*) FROM contacts GROUP BY 1 ORDER BY 1",
    ];
    for sql in queries {
        let rows = conn
            .query_all_raw(Statement::from_string(
                conn.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .expect(sql);
        let shape: Vec<String> = rows
            .iter()
            .map(|row| {
                let key = row
                    .try_get_by_index::<i64>(0)
                    .map(|k| k.to_string())
                    .or_else(|_| row.try_get_by_index::<i16>(0).map(|k| k.to_string()))
                    .or_else(|_| row.try_get_by_index::<i32>(0).map(|k| k.to_string()))
                    .or_else(|_| row.try_get_by_index::<String>(0))
                    .unwrap_or_default();
                format!("{key}: {}", row.try_get_by_index::<i64>(1).unwrap_or_default())
            })
            .collect();
        println!("{sql}\n    {}", shape.join(", "));
    }
    let samples = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT number, subject, contact_name, company, email, phone, owner_name FROM cases ORDER BY number DESC LIMIT 12".to_owned(),
        ))
        .await
        .expect("samples");
    for row in samples {
        println!(
            "  #{} {:?} | {:?} | {:?} | {:?} | {:?} | {:?}",
            row.try_get::<i64>("", "number").unwrap(),
            row.try_get::<String>("", "subject").unwrap(),
            row.try_get::<String>("", "contact_name").unwrap(),
            row.try_get::<Option<String>>("", "company").unwrap(),
            row.try_get::<Option<String>>("", "email").unwrap(),
            row.try_get::<Option<String>>("", "phone").unwrap(),
            row.try_get::<Option<String>>("", "owner_name").unwrap(),
        );
    }
    store.close().await.expect("close");
}
