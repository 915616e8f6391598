//! The database going away and coming back, through a proxy the test
//! controls (PostgreSQL only: SQLite is a file inside the process). While
//! it is gone every request answers 503 `service_unavailable` with
//! `Retry-After` within two seconds, readiness says so and liveness does
//! not; once it is back the same server serves again, without a restart.

use std::time::{Duration, Instant};

use lejek_tests::proxy::{DbProxy, Link};
use lejek_tests::{Backend, Reply, TestApp, case_body, try_spawn_app_with};
use reqwest::{Method, RequestBuilder};
use serde_json::json;

/// What the issue asks for; today's pool would answer 500 after 10 s.
const WITHIN: Duration = Duration::from_secs(2);

/// Sends a request that may answer 5xx and times it.
async fn timed(app: &TestApp, builder: RequestBuilder) -> (Reply, Duration) {
    let started = Instant::now();
    let reply = app.send_allowing_5xx(builder).await;
    (reply, started.elapsed())
}

/// One request of each kind: reads, a write, a login, readiness.
fn requests(app: &TestApp, case: i64) -> Vec<RequestBuilder> {
    let token = Some(app.manager.token.as_str());
    vec![
        app.request(Method::GET, "/cases?tab=all", token),
        app.request(Method::GET, &format!("/cases/{case}"), token),
        app.request(Method::GET, "/cases/counts", token),
        app.request(Method::POST, "/cases", token)
            .json(&case_body("Bez bazy")),
        app.request(Method::POST, "/auth/login", None)
            .json(&json!({"email": app.agent.email, "password": lejek_tests::TEST_PASSWORD})),
        app.request(Method::GET, "/readyz", None),
    ]
}

/// Every request answers 503 `service_unavailable` with `Retry-After`,
/// each within [`WITHIN`]; liveness stays 200. Returns the slowest answer.
async fn unavailable(app: &TestApp, case: i64, how: &str) -> Duration {
    let mut slowest = Duration::ZERO;
    for builder in requests(app, case) {
        let (reply, elapsed) = timed(app, builder).await;
        reply.problem(503, "service_unavailable");
        let retry_after: u64 = reply
            .header("retry-after")
            .and_then(|value| value.parse().ok())
            .unwrap_or_else(|| panic!("{}: no Retry-After in seconds ({how})", reply.request));
        assert!(retry_after >= 1, "{}", reply.request);
        assert!(
            elapsed < WITHIN,
            "{} took {elapsed:?} to answer with the database {how}",
            reply.request
        );
        eprintln!("database {how}: {} → 503 in {elapsed:?}", reply.request);
        slowest = slowest.max(elapsed);
    }
    let (live, _) = timed(app, app.request(Method::GET, "/healthz", None)).await;
    assert_eq!(live.status, 200, "the process itself is alive: {}", live.text);
    slowest
}

/// The database is back: the same server answers again (the pool opens
/// new connections), nothing written before was lost.
async fn recovers(app: &TestApp, case: i64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (ready, _) = timed(app, app.request(Method::GET, "/readyz", None)).await;
        if ready.status == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not ready 10 s after the database came back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (card, _) = app.case(&app.manager.token, case).await;
    assert_eq!(card["subject"], "Przed awarią");
    let created = app.new_case(&app.manager.token, "Po awarii").await;
    app.case(&app.manager.token, created["id"].as_i64().unwrap())
        .await;
    app.token_of(&app.agent.email).await;
}

#[tokio::test]
async fn with_the_database_gone_requests_answer_503_fast_and_the_server_recovers() {
    let proxy = DbProxy::start().await;
    let Some(app) = try_spawn_app_with(Backend::Postgres, |settings| {
        let url = settings.database_url();
        settings.database_url = Some(proxy.route(&url));
    })
    .await
    else {
        return;
    };
    let case = app.new_case(&app.manager.token, "Przed awarią").await["id"]
        .as_i64()
        .unwrap();

    // Stopped: open connections break, new ones are refused.
    proxy.set(Link::Down);
    let stopped = unavailable(&app, case, "stopped").await;
    proxy.set(Link::Up);
    recovers(&app, case).await;

    // Unreachable: connections hang, nothing answers.
    proxy.set(Link::Stalled);
    let stalled = unavailable(&app, case, "unreachable").await;
    proxy.set(Link::Up);
    recovers(&app, case).await;

    eprintln!("slowest 503: {stopped:?} with the database stopped, {stalled:?} unreachable");
    app.stop().await;
}
