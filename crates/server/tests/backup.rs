//! Backups as an operator takes them. SQLite: `lejek backup PATH` while a
//! server keeps writing; the copy holds every case committed before it
//! began, and a server started on the copy (the restore) serves them.
//! PostgreSQL: the README's `pg_dump` and `pg_restore`.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Node, call, login};
use lejek_demo::{DEMO_DIRECTOR, DEMO_PASSWORD};
use lejek_store::test_support::{POSTGRES_URL_VAR, TestDatabase};
use reqwest::Method;
use serde_json::json;

/// Case ids, each with when its `201 Created` arrived.
type Committed = Arc<Mutex<Vec<(i64, Instant)>>>;

async fn token(client: &reqwest::Client, node: &Node) -> String {
    login(client, node, DEMO_DIRECTOR, DEMO_PASSWORD)
        .await
        .expect(200)
        .json["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn write_until(
    client: reqwest::Client,
    url: String,
    token: String,
    writer: usize,
    stop: Instant,
    committed: Committed,
) {
    let mut n = 0;
    while Instant::now() < stop {
        n += 1;
        let case = json!({
            "subject": format!("Kopia {writer}-{n}"),
            "source": "phone",
            "expected_close_date": "2027-06-30",
            "contact": {"name": "Jan Kopia", "email": format!("kopia{writer}.{n}@example.com")},
        });
        let answer = call(&client, Method::POST, &url, Some(&token), Some(&case), &[]).await;
        if answer.status == 201 {
            let id = answer.json["id"].as_i64().expect("a case id");
            committed.lock().unwrap().push((id, Instant::now()));
        }
    }
}

#[tokio::test]
async fn a_backup_taken_under_concurrent_writes_restores_every_case_committed_before_it() {
    let data = tempfile::tempdir().unwrap();
    let node = Node::start(data.path(), "", &["serve", "--demo-cases", "3000"], &[]);
    let client = reqwest::Client::new();
    let token = token(&client, &node).await;
    let committed: Committed = Arc::default();
    let stop = Instant::now() + Duration::from_secs(5);
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            tokio::spawn(write_until(
                client.clone(),
                node.url("/api/v1/cases"),
                token.clone(),
                writer,
                stop,
                Arc::clone(&committed),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let copy = data.path().join("copy.db");
    let began = Instant::now();
    let backup = tokio::task::spawn_blocking({
        let (data, copy) = (data.path().to_owned(), copy.clone());
        move || lejek_backup(&data, &copy)
    })
    .await
    .unwrap();
    let ended = Instant::now();
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    assert!(String::from_utf8_lossy(&backup.stdout).contains("backup written to"));
    for writer in writers {
        writer.await.unwrap();
    }
    let committed = committed.lock().unwrap().clone();
    let before: Vec<i64> = committed
        .iter()
        .filter(|(_, at)| *at < began)
        .map(|(id, _)| *id)
        .collect();
    let during = committed
        .iter()
        .filter(|(_, at)| *at >= began && *at <= ended)
        .count();
    assert!(before.len() > 20, "writes before the backup: {}", before.len());
    assert!(!copy.with_extension("db.partial").exists());

    // A second backup to the same path is refused, naming why.
    let again = lejek_backup(data.path(), &copy);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    let total = all_cases(&client, &node, &token).await;
    drop(node);

    // The restore: the copy becomes a data folder's database.
    let restored_dir = tempfile::tempdir().unwrap();
    std::fs::copy(&copy, restored_dir.path().join("lejek.db")).unwrap();
    let restored = Node::start(restored_dir.path(), "", &["serve"], &[]);
    let token = self::token(&client, &restored).await;
    for id in &before {
        call(
            &client,
            Method::GET,
            &restored.url(&format!("/api/v1/cases/{id}")),
            Some(&token),
            None,
            &[],
        )
        .await
        .expect(200);
    }
    let in_copy = all_cases(&client, &restored, &token).await;
    let written = i64::try_from(committed.len()).unwrap();
    assert!(
        in_copy >= total - written && in_copy <= total,
        "the copy holds the demo cases and those written before it ({in_copy} of {total}; \
         {} before, {during} during)",
        before.len()
    );
    assert!(in_copy >= total - written + i64::try_from(before.len()).unwrap());
}

/// How many cases `node` holds (`counts.all`).
async fn all_cases(client: &reqwest::Client, node: &Node, token: &str) -> i64 {
    let counts = call(
        client,
        Method::GET,
        &node.url("/api/v1/cases/counts"),
        Some(token),
        None,
        &[],
    )
    .await;
    counts.expect(200).json["all"].as_i64().expect("a count")
}

/// `lejek backup copy` on the SQLite database in `data`.
fn lejek_backup(data: &Path, copy: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lejek"))
        .arg("backup")
        .arg(copy)
        .env("LEJEK_DATA_DIR", data)
        .env("LEJEK_DATABASE_URL", "")
        .env("LEJEK_LOG", "warn")
        .env_remove("LEJEK_CONFIG")
        .output()
        .expect("lejek backup runs")
}

/// Runs `program args`, failing the test with its error output.
fn run(program: &str, args: &[&str]) {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("{program}: {error}"));
    assert!(
        output.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn the_readmes_pg_dump_and_pg_restore_carry_a_postgresql_database_over() {
    let (Some(source), Some(target)) = (TestDatabase::postgres().await, TestDatabase::postgres().await)
    else {
        if std::env::var("LEJEK_TEST_SKIP_POSTGRES").as_deref() == Ok("1") {
            return;
        }
        panic!("{POSTGRES_URL_VAR} is not set (or set LEJEK_TEST_SKIP_POSTGRES=1 to skip PostgreSQL)");
    };
    let data = tempfile::tempdir().unwrap();
    let node = Node::start(data.path(), &source.url, &["serve", "--demo-cases", "300"], &[]);
    let client = reqwest::Client::new();
    let token = token(&client, &node).await;
    let counts = |node: &Node, token: &str| {
        let (client, url, token) = (client.clone(), node.url("/api/v1/cases/counts"), token.to_owned());
        async move {
            call(&client, Method::GET, &url, Some(&token), None, &[])
                .await
                .expect(200)
                .json
        }
    };
    let before = counts(&node, &token).await;

    // As the README says, while the node serves: a consistent dump…
    let dump = data.path().join("lejek.dump").display().to_string();
    run(
        "pg_dump",
        &["--format=custom", "--no-owner", "--file", &dump, &source.url],
    );
    drop(node);
    // …restored into an empty database, which a node then serves as it was.
    run(
        "pg_restore",
        &["--no-owner", "--exit-on-error", "--dbname", &target.url, &dump],
    );
    let restored = Node::start(data.path(), &target.url, &["serve"], &[]);
    let token = self::token(&client, &restored).await;
    assert_eq!(counts(&restored, &token).await, before);
}
