//! What an operator sees of a running `lejek serve`: JSON log lines that
//! carry each request's id, the same id in a failed request's problem
//! document, and the Prometheus figures behind the metrics token.

mod common;

use common::{Node, call, login};
use reqwest::Method;
use serde_json::Value;

const TOKEN: &str = "a-metrics-token-for-the-test";

async fn scrape(client: &reqwest::Client, node: &Node, token: Option<&str>) -> (u16, String) {
    let mut request = client.get(node.url("/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let answer = request.send().await.expect("metrics answer");
    (answer.status().as_u16(), answer.text().await.unwrap_or_default())
}

/// The value of the sample `series` (name and labels as written).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map(|value| value.trim().parse().expect("a number"))
}

#[tokio::test]
async fn a_failed_requests_id_finds_its_log_line_and_metrics_count_by_route_template() {
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("LEJEK_LOG", "info"),
        ("LEJEK_LOG_FORMAT", "json"),
        ("LEJEK_METRICS_TOKEN", TOKEN),
        ("LEJEK_DB_MAX_CONNECTIONS", "7"),
    ];
    let node = Node::start(dir.path(), "", &["serve", "--demo-cases", "40"], &env);
    let client = reqwest::Client::new();
    let pair = login(&client, &node, "dyrektor@lejek.demo", "lejek-demo")
        .await
        .expect(200)
        .json;
    let token = pair["access_token"].as_str().unwrap();

    // A failing request: its id is in the header and the problem document…
    let failed = call(
        &client,
        Method::GET,
        &node.url("/api/v1/cases/987654321"),
        Some(token),
        None,
        &[],
    )
    .await
    .expect(404);
    let id = failed.header("x-request-id").expect("the request id").to_owned();
    assert_eq!(failed.json["request_id"].as_str(), Some(id.as_str()));
    // …and an id sent by a client is not taken over without a trusted proxy.
    let spoofed = call(
        &client,
        Method::GET,
        &node.url("/healthz"),
        None,
        None,
        &[("X-Request-Id", "chosen-by-the-client")],
    )
    .await
    .expect(200);
    assert_ne!(spoofed.header("x-request-id"), Some("chosen-by-the-client"));

    // …and on the node's log line for it, one JSON object per line.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let line = loop {
        let found = node.output().into_iter().find(|line| line.contains(&id));
        match found {
            Some(line) => break line,
            None if std::time::Instant::now() < deadline => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            None => panic!("no log line names {id}"),
        }
    };
    let line: Value = serde_json::from_str(&line).expect("a JSON log line");
    assert_eq!(line["span"]["request_id"], id.as_str());
    assert_eq!(line["status"], 404);
    assert_eq!(line["path"], "/api/v1/cases/987654321");

    // Metrics: only with the token.
    assert_eq!(scrape(&client, &node, None).await.0, 401);
    assert_eq!(scrape(&client, &node, Some("not-the-metrics-token")).await.0, 401);
    let (_, before) = scrape(&client, &node, Some(TOKEN)).await;
    let case_reads = r#"lejek_http_requests_total{method="GET",route="/api/v1/cases/{id}",status="4xx"}"#;
    let failures = "lejek_login_failures_total";
    let (reads_before, failures_before) = (
        sample(&before, case_reads).unwrap_or(0.0),
        sample(&before, failures).expect("login failures are exported from the start"),
    );
    for missing in [11_111_111, 22_222_222, 33_333_333] {
        call(
            &client,
            Method::GET,
            &node.url(&format!("/api/v1/cases/{missing}")),
            Some(token),
            None,
            &[],
        )
        .await
        .expect(404);
    }
    login(&client, &node, "dyrektor@lejek.demo", "not the password")
        .await
        .expect(401);
    let (status, after) = scrape(&client, &node, Some(TOKEN)).await;
    assert_eq!(status, 200);
    assert_eq!(sample(&after, case_reads), Some(reads_before + 3.0), "{after}");
    assert!(
        !after.contains("33333333"),
        "labels carry the route template, never the id"
    );
    assert_eq!(sample(&after, failures), Some(failures_before + 1.0));
    let latency =
        r#"lejek_http_request_duration_seconds_count{method="GET",route="/api/v1/cases/{id}",status="4xx"}"#;
    assert_eq!(sample(&after, latency), Some(reads_before + 3.0));
    assert!(after.contains(r#"lejek_http_request_duration_seconds_bucket{method="GET",route="/api/v1/cases/{id}",status="4xx",le="0.005"}"#));
    assert_eq!(sample(&after, "lejek_db_pool_max_connections"), Some(7.0));
    let open = sample(&after, r#"lejek_db_pool_connections{state="idle"}"#).unwrap()
        + sample(&after, r#"lejek_db_pool_connections{state="in_use"}"#).unwrap();
    assert!((1.0..=7.0).contains(&open), "open connections: {open}");
    assert_eq!(sample(&after, "lejek_db_pool_acquire_timeouts_total"), Some(0.0));
    assert!(after.contains("# HELP lejek_http_requests_total"));

    // Without a token the endpoint does not exist.
    let plain_dir = tempfile::tempdir().unwrap();
    let plain = Node::start(plain_dir.path(), "", &["serve"], &[]);
    let (status, body) = scrape(&client, &plain, Some(TOKEN)).await;
    assert_eq!(status, 404, "{body}");
}
