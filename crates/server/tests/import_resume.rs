//! An import outlives the node that runs it: node A is killed (SIGKILL) in
//! the middle of a large import, and node B, on the same database, takes
//! the job over once A's lease runs out and finishes it after A's last
//! committed batch — every row imported once, none twice, none lost.
//!
//! The PostgreSQL run needs `LEJEK_TEST_POSTGRES_URL` (a server where the
//! test may create a database), unless `LEJEK_TEST_SKIP_POSTGRES=1` skips
//! it on purpose.

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{Node, call, login};
use lejek_store::test_support::{POSTGRES_URL_VAR, TestDatabase};
use reqwest::Method;
use serde_json::{Value, json};

const ADMIN: &str = "admin@import-resume.test";
const PASSWORD: &str = "a long test password";
/// Short, so node B takes the dead node's job over quickly.
const LEASE_SECONDS: &str = "2";
/// Rows in the file: enough that a debug-build node is still importing
/// when the test kills it.
const ROWS: u64 = 3_000;
/// Rows the worker commits per transaction (`BATCH_ROWS` in lejek-api).
const BATCH_ROWS: u64 = 500;

mod an_import_whose_node_is_killed_is_finished_by_another_node_without_duplicates {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        // An empty database URL: both nodes use the SQLite file in the
        // data folder they share.
        let data = tempfile::tempdir().unwrap();
        super::an_import_is_finished_by_another_node(data.path(), "").await;
    }

    #[tokio::test]
    async fn postgres() {
        let Some(db) = TestDatabase::postgres().await else {
            if std::env::var("LEJEK_TEST_SKIP_POSTGRES").as_deref() == Ok("1") {
                return;
            }
            panic!("{POSTGRES_URL_VAR} is not set (or set LEJEK_TEST_SKIP_POSTGRES=1 to skip PostgreSQL)");
        };
        let data = tempfile::tempdir().unwrap();
        super::an_import_is_finished_by_another_node(data.path(), &db.url).await;
    }
}

/// A `lejek serve` node on the test's database, with a short job lease.
fn start_node(data_dir: &Path, database_url: &str) -> Node {
    let env = [
        ("LEJEK_ADMIN_EMAIL", ADMIN),
        ("LEJEK_ADMIN_PASSWORD", PASSWORD),
        ("LEJEK_JOB_LEASE_SECONDS", LEASE_SECONDS),
    ];
    Node::start(data_dir, database_url, &["serve"], &env)
}

/// `rows` leads, each with its own contact and external id.
fn leads_csv(rows: u64) -> String {
    let mut csv = String::from("Subject,Source,Contact name,Email,Expected close date,External ID\n");
    for i in 1..=rows {
        writeln!(
            csv,
            "Lead {i},phone,Person {i},p{i}@example.test,2027-01-31,EXT-{i}"
        )
        .unwrap();
    }
    csv
}

fn progress(import: &Value, counter: &str) -> u64 {
    import["progress"][counter]
        .as_u64()
        .unwrap_or_else(|| panic!("progress.{counter}: {import}"))
}

/// The admin, logged in once; the token works on every node.
struct Admin {
    client: reqwest::Client,
    token: String,
}

impl Admin {
    async fn log_in(node: &Node) -> Admin {
        let client = reqwest::Client::new();
        let pair = login(&client, node, ADMIN, PASSWORD).await.expect(200).json;
        let token = pair["access_token"].as_str().unwrap().to_owned();
        Admin { client, token }
    }

    async fn call(&self, node: &Node, method: Method, path: &str, body: Option<&Value>) -> common::Answer {
        let url = node.url(&format!("/api/v1{path}"));
        call(&self.client, method, &url, Some(&self.token), body, &[]).await
    }

    /// Uploads `csv`; the preview.
    async fn upload(&self, node: &Node, csv: &str) -> Value {
        let answer = self
            .client
            .post(node.url("/api/v1/imports?file_name=leads.csv"))
            .bearer_auth(&self.token)
            .header("content-type", "text/csv")
            .body(csv.to_owned())
            .send()
            .await
            .expect("the upload is answered");
        let status = answer.status();
        let body = answer.text().await.unwrap_or_default();
        assert_eq!(status, 201, "{body}");
        serde_json::from_str(&body).expect("a JSON preview")
    }

    /// Runs an uploaded import with its suggested mapping.
    async fn run(&self, node: &Node, preview: &Value) {
        let body = json!({ "mapping": preview["mapping"] });
        let path = format!("/imports/{}/run", preview["id"]);
        self.call(node, Method::POST, &path, Some(&body))
            .await
            .expect(202);
    }

    async fn import(&self, node: &Node, id: i64) -> Value {
        let path = format!("/imports/{id}");
        self.call(node, Method::GET, &path, None).await.expect(200).json
    }

    /// Polls the import until `wanted` holds; fails if it fails or the
    /// time runs out.
    async fn wait_for(
        &self,
        node: &Node,
        id: i64,
        within: Duration,
        wanted: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + within;
        loop {
            let import = self.import(node, id).await;
            if wanted(&import) {
                return import;
            }
            assert_ne!(import["state"], "failed", "{import}");
            assert!(Instant::now() < deadline, "not within {within:?}: {import}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn wait_until_done(&self, node: &Node, id: i64) -> Value {
        self.wait_for(node, id, Duration::from_secs(120), |import| {
            import["state"] == "done"
        })
        .await
    }

    /// Every case, as the admin sees them all.
    async fn all_cases(&self, node: &Node) -> u64 {
        let counts = self
            .call(node, Method::GET, "/cases/counts", None)
            .await
            .expect(200);
        counts.json["all"].as_u64().expect("a count")
    }

    /// The import and the number of cases at one moment: read again
    /// while a batch committed between the two reads of the import.
    async fn snapshot(&self, node: &Node, id: i64) -> (Value, u64) {
        for _ in 0..20 {
            let before = self.import(node, id).await;
            let cases = self.all_cases(node).await;
            let after = self.import(node, id).await;
            if before["progress"] == after["progress"] {
                return (after, cases);
            }
        }
        panic!("the import kept moving under every read");
    }
}

async fn an_import_is_finished_by_another_node(data_dir: &Path, database_url: &str) {
    let started = Instant::now();
    let a = start_node(data_dir, database_url);
    let admin = Admin::log_in(&a).await;
    let csv = leads_csv(ROWS);
    let preview = admin.upload(&a, &csv).await;
    assert_eq!(preview["state"], "uploaded");
    assert_eq!(progress(&preview, "total_rows"), ROWS);
    assert_eq!(
        preview["mapping"],
        json!([
            "subject",
            "source",
            "contact_name",
            "email",
            "expected_close_date",
            "external_id"
        ])
    );
    let id = preview["id"].as_i64().unwrap();
    admin.run(&a, &preview).await;

    // Node A dies (SIGKILL, on drop) once it has committed a batch, most
    // likely in the middle of the next one.
    let seen = admin
        .wait_for(&a, id, Duration::from_secs(60), |import| {
            progress(import, "rows_done") > 0
        })
        .await;
    drop(a);
    let seen_done = progress(&seen, "rows_done");
    assert!(
        seen_done < ROWS,
        "the import ended before node A could be killed: make ROWS bigger"
    );

    // What A left in the database, read through B before B's worker takes
    // the job over (or between two of its batches): whole batches only,
    // each with its cases, and the progress counting exactly them.
    let b = start_node(data_dir, database_url);
    let (left, cases) = admin.snapshot(&b, id).await;
    let left_done = progress(&left, "rows_done");
    assert!(left_done >= seen_done, "{left} after {seen}");
    assert!(
        left_done < ROWS,
        "node A committed the last batch before it died: make ROWS bigger"
    );
    assert_eq!(left_done % BATCH_ROWS, 0, "only whole batches commit: {left}");
    assert_eq!(progress(&left, "created"), left_done, "{left}");
    assert_eq!(cases, left_done, "the cases committed are the rows counted done");

    // B finishes it after the last committed batch: had it started over,
    // the rows imported already would be refused as duplicates.
    let done = admin.wait_until_done(&b, id).await;
    assert_eq!(
        done["progress"],
        json!({
            "total_rows": ROWS,
            "rows_done": ROWS,
            "created": ROWS,
            "contacts_reused": 0,
            "refused": 0,
        }),
        "{done}"
    );
    assert_eq!(admin.all_cases(&b).await, ROWS, "no case missing, none twice");

    // The same file again creates nothing: every external id is taken
    // (and taken once, the index being unique and the count exact).
    let again = admin.upload(&b, &csv).await;
    let again_id = again["id"].as_i64().unwrap();
    admin.run(&b, &again).await;
    let again = admin.wait_until_done(&b, again_id).await;
    assert_eq!(
        (progress(&again, "created"), progress(&again, "refused")),
        (0, ROWS),
        "{again}"
    );
    let report = admin
        .client
        .get(b.url(&format!("/api/v1/imports/{again_id}/refusals")))
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut lines = report.lines().skip(1);
    for row in 2..=ROWS + 1 {
        let line = lines.next().unwrap_or_else(|| panic!("no refusal for row {row}"));
        let expected = format!("{row};External ID;duplicate;");
        assert!(line.starts_with(&expected), "row {row}: {line}");
    }
    assert_eq!(lines.next(), None, "one refusal per row");
    assert_eq!(admin.all_cases(&b).await, ROWS);
    drop(b);
    if std::env::var("LEJEK_TEST_TIMING").is_ok() {
        eprintln!(
            "TIMING {} killed at row {left_done} of {ROWS}, total {:?}",
            std::thread::current().name().unwrap_or_default(),
            started.elapsed()
        );
    }
}
