//! Two API nodes on one PostgreSQL, as `docker-compose.yml` runs them: two
//! `lejek serve` processes with the same JWT secret and no state of their
//! own. Whatever one node issues or records, the other honours.
//!
//! Needs `LEJEK_TEST_POSTGRES_URL` (a server where the test may create a
//! database), unless `LEJEK_TEST_SKIP_POSTGRES=1` skips it on purpose.

mod common;

use common::{Answer, Node, call};
use lejek_store::test_support::{POSTGRES_URL_VAR, TestDatabase};
use reqwest::Method;
use serde_json::{Value, json};

const ADMIN: &str = "admin@nodes.test";
const PASSWORD: &str = "a long test password";

/// Two nodes and a client.
struct Cluster {
    a: Node,
    b: Node,
    client: reqwest::Client,
}

impl Cluster {
    async fn login(&self, node: &Node, email: &str, password: &str) -> Answer {
        common::login(&self.client, node, email, password).await
    }

    async fn tokens(&self, node: &Node, email: &str) -> (String, String) {
        let pair = self.login(node, email, PASSWORD).await.expect(200).json;
        (
            pair["access_token"].as_str().unwrap().to_owned(),
            pair["refresh_token"].as_str().unwrap().to_owned(),
        )
    }

    async fn refresh(&self, node: &Node, token: &str) -> Answer {
        let body = json!({"refresh_token": token});
        call(
            &self.client,
            Method::POST,
            &node.url("/api/v1/auth/refresh"),
            None,
            Some(&body),
            &[],
        )
        .await
    }

    async fn get(&self, node: &Node, path: &str, token: &str) -> Answer {
        call(
            &self.client,
            Method::GET,
            &node.url(&format!("/api/v1{path}")),
            Some(token),
            None,
            &[],
        )
        .await
    }

    async fn send(
        &self,
        node: &Node,
        method: Method,
        path: &str,
        token: &str,
        body: &Value,
        headers: &[(&str, &str)],
    ) -> Answer {
        let url = node.url(&format!("/api/v1{path}"));
        call(&self.client, method, &url, Some(token), Some(body), headers).await
    }

    async fn all_cases(&self, node: &Node, token: &str) -> i64 {
        self.get(node, "/cases/counts", token).await.expect(200).json["all"]
            .as_i64()
            .unwrap()
    }
}

fn new_case(subject: &str) -> Value {
    json!({
        "subject": subject,
        "source": "phone",
        "expected_close_date": "2026-12-31",
        "contact": {"name": "Jan Węzeł", "email": format!("{}@example.com", subject.to_lowercase().replace(' ', "."))},
    })
}

#[tokio::test]
async fn two_nodes_on_one_postgresql_honour_each_others_tokens_versions_keys_and_throttles() {
    let Some(db) = TestDatabase::postgres().await else {
        if std::env::var("LEJEK_TEST_SKIP_POSTGRES").as_deref() == Ok("1") {
            return;
        }
        panic!("{POSTGRES_URL_VAR} is not set (or set LEJEK_TEST_SKIP_POSTGRES=1 to skip PostgreSQL)");
    };
    // Both start at once on the empty database, as a deployment starts
    // them: one migrates while the other waits, and both may try to
    // create the configured first admin.
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let admin_env = [("LEJEK_ADMIN_EMAIL", ADMIN), ("LEJEK_ADMIN_PASSWORD", PASSWORD)];
    let starting_a = Node::spawn(dir_a.path(), &db.url, &["serve"], &admin_env);
    let starting_b = Node::spawn(dir_b.path(), &db.url, &["serve"], &admin_env);
    let cluster = Cluster {
        a: starting_a.listening(),
        b: starting_b.listening(),
        client: reqwest::Client::new(),
    };
    assert_ne!(cluster.a.base, cluster.b.base);

    let (admin, _) = cluster.tokens(&cluster.a, ADMIN).await;
    for (email, role) in [("manager@nodes.test", "manager"), ("agent@nodes.test", "agent")] {
        let body = json!({"email": email, "name": "Węzeł Testowy", "role": role, "password": PASSWORD});
        cluster
            .send(&cluster.b, Method::POST, "/users", &admin, &body, &[])
            .await
            .expect(201);
    }

    tokens_from_one_node_work_on_the_other(&cluster).await;
    refresh_tokens_rotate_and_reuse_is_caught_across_nodes(&cluster).await;
    of_two_writers_on_two_nodes_with_one_version_exactly_one_wins(&cluster).await;
    a_retry_through_the_other_node_creates_nothing_twice(&cluster).await;
    failed_logins_are_counted_across_nodes(&cluster).await;
}

async fn tokens_from_one_node_work_on_the_other(cluster: &Cluster) {
    let (from_a, _) = cluster.tokens(&cluster.a, "manager@nodes.test").await;
    let (from_b, _) = cluster.tokens(&cluster.b, "agent@nodes.test").await;
    let me = cluster.get(&cluster.b, "/me", &from_a).await.expect(200).json;
    assert_eq!(
        (me["email"].as_str(), me["role"].as_str()),
        (Some("manager@nodes.test"), Some("manager"))
    );
    let me = cluster.get(&cluster.a, "/me", &from_b).await.expect(200).json;
    assert_eq!(
        (me["email"].as_str(), me["role"].as_str()),
        (Some("agent@nodes.test"), Some("agent"))
    );
}

async fn refresh_tokens_rotate_and_reuse_is_caught_across_nodes(cluster: &Cluster) {
    let (_, r1) = cluster.tokens(&cluster.a, "agent@nodes.test").await;
    let second = cluster.refresh(&cluster.b, &r1).await.expect(200).json;
    let r2 = second["refresh_token"].as_str().unwrap();
    let access = second["access_token"].as_str().unwrap();
    cluster.get(&cluster.a, "/me", access).await.expect(200);
    let third = cluster.refresh(&cluster.a, r2).await.expect(200).json;
    let r3 = third["refresh_token"].as_str().unwrap();

    // r1 was used on B: presenting it again on B is a reuse, and it
    // revokes the family, so r3, issued by A, is dead on A too.
    cluster.refresh(&cluster.b, &r1).await.expect(401);
    cluster.refresh(&cluster.a, r3).await.expect(401);

    // One token exchanged on both nodes at once: one wins.
    let (_, token) = cluster.tokens(&cluster.b, "agent@nodes.test").await;
    let (on_a, on_b) = tokio::join!(
        cluster.refresh(&cluster.a, &token),
        cluster.refresh(&cluster.b, &token)
    );
    let mut statuses = [on_a.status.as_u16(), on_b.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 401], "{} / {}", on_a.json, on_b.json);
}

async fn of_two_writers_on_two_nodes_with_one_version_exactly_one_wins(cluster: &Cluster) {
    let (manager, _) = cluster.tokens(&cluster.a, "manager@nodes.test").await;
    let created = cluster
        .send(
            &cluster.a,
            Method::POST,
            "/cases",
            &manager,
            &new_case("Wyscig"),
            &[],
        )
        .await
        .expect(201);
    let id = created.json["id"].as_i64().unwrap();
    let path = format!("/cases/{id}");
    for round in 0..5 {
        let etag = cluster.get(&cluster.b, &path, &manager).await.expect(200);
        let etag = etag.header("etag").expect("ETag").to_owned();
        let (body_a, body_b) = (
            json!({"subject": format!("A {round}")}),
            json!({"subject": format!("B {round}")}),
        );
        let headers = [("If-Match", etag.as_str())];
        let (on_a, on_b) = tokio::join!(
            cluster.send(&cluster.a, Method::PATCH, &path, &manager, &body_a, &headers),
            cluster.send(&cluster.b, Method::PATCH, &path, &manager, &body_b, &headers),
        );
        let mut statuses = [on_a.status.as_u16(), on_b.status.as_u16()];
        statuses.sort_unstable();
        assert_eq!(
            statuses,
            [200, 412],
            "round {round}: {} / {}",
            on_a.json,
            on_b.json
        );
        let (winner, loser) = if on_a.status == 200 {
            (on_a, on_b)
        } else {
            (on_b, on_a)
        };
        assert_eq!(loser.json["code"], "version_mismatch");
        let stored = cluster.get(&cluster.a, &path, &manager).await.expect(200).json;
        assert_eq!(stored["subject"], winner.json["subject"], "round {round}");
        assert_eq!(stored["version"], winner.json["version"], "round {round}");
    }
}

async fn a_retry_through_the_other_node_creates_nothing_twice(cluster: &Cluster) {
    let (agent, _) = cluster.tokens(&cluster.a, "agent@nodes.test").await;
    let before = cluster.all_cases(&cluster.a, &agent).await;
    let body = new_case("Ponowienie");
    let key = [("Idempotency-Key", "nodes-retry-1")];
    let first = cluster
        .send(&cluster.a, Method::POST, "/cases", &agent, &body, &key)
        .await
        .expect(201);
    let retried = cluster
        .send(&cluster.b, Method::POST, "/cases", &agent, &body, &key)
        .await
        .expect(201);
    assert_eq!(retried.json, first.json);
    assert_eq!(retried.header("location"), first.header("location"));
    assert_eq!(retried.header("etag"), first.header("etag"));
    assert_eq!(retried.header("idempotent-replayed"), Some("true"));
    assert_eq!(cluster.all_cases(&cluster.b, &agent).await, before + 1);

    // The key with another body is refused on either node.
    cluster
        .send(
            &cluster.b,
            Method::POST,
            "/cases",
            &agent,
            &new_case("Inna"),
            &key,
        )
        .await
        .expect(422);
    assert_eq!(cluster.all_cases(&cluster.a, &agent).await, before + 1);
}

async fn failed_logins_are_counted_across_nodes(cluster: &Cluster) {
    // Five failures per account block it (see `ACCOUNT_POLICY`): four
    // spread over both nodes are refused as wrong, the fifth blocks.
    for node in [&cluster.a, &cluster.b, &cluster.a, &cluster.b] {
        let refused = cluster.login(node, "manager@nodes.test", "wrong password").await;
        assert_eq!(refused.status, 401, "{}", refused.json);
    }
    let blocked = cluster
        .login(&cluster.a, "manager@nodes.test", "wrong password")
        .await
        .expect(429);
    assert!(blocked.header("retry-after").is_some());
    // Blocked on the other node too, even with the right password.
    cluster
        .login(&cluster.b, "manager@nodes.test", PASSWORD)
        .await
        .expect(429);
}
