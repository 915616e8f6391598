//! What the server tells browsers: the client's Content-Security-Policy,
//! HSTS only when configured for TLS, and no demo login without demo data
//! (`crates/server/tests/serve.rs` starts the binary on demo data).

use lejek_tests::{Backend, TestApp, try_spawn_app_with};
use reqwest::Method;
use tempfile::TempDir;

/// A stand-in for the built client: its page and one asset.
fn client_dir() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><script type=\"module\" src=\"/boot-1.js\"></script>",
    )
    .unwrap();
    std::fs::write(dir.path().join("boot-1.js"), "import \"/lejek-1.js\";").unwrap();
    dir
}

/// A GET of a path of the client (not under `/api/v1`).
fn client_request(app: &TestApp, path: &str) -> reqwest::RequestBuilder {
    app.client.get(format!("{}{path}", app.address))
}

async fn spawn(client: &TempDir, hsts_seconds: u64) -> TestApp {
    try_spawn_app_with(Backend::Sqlite, |settings| {
        settings.client_dir = client.path().to_owned();
        settings.hsts_seconds = hsts_seconds;
    })
    .await
    .expect("a SQLite app")
}

/// The policy's directives, by name.
fn directives(policy: &str) -> Vec<(String, Vec<String>)> {
    policy
        .split(';')
        .filter_map(|directive| {
            let mut words = directive.split_whitespace();
            let name = words.next()?.to_owned();
            Some((name, words.map(str::to_owned).collect()))
        })
        .collect()
}

#[tokio::test]
async fn the_client_is_served_with_a_content_security_policy_that_allows_no_inline_script() {
    let client = client_dir();
    let app = spawn(&client, 0).await;
    for path in ["/", "/cases/12", "/boot-1.js"] {
        let reply = app.send(client_request(&app, path)).await.expect(200);
        let policy = reply
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path} has no Content-Security-Policy"));
        let directives = directives(policy);
        let sources = |name: &str| {
            directives
                .iter()
                .find(|(directive, _)| directive == name)
                .map(|(_, sources)| sources.iter().map(String::as_str).collect::<Vec<_>>())
                .unwrap_or_else(|| panic!("{path}: no {name} in {policy}"))
        };
        assert_eq!(sources("default-src"), ["'none'"], "{policy}");
        assert_eq!(
            sources("script-src"),
            ["'self'", "'wasm-unsafe-eval'"],
            "{policy}"
        );
        assert_eq!(sources("style-src"), ["'self'"], "{policy}");
        assert_eq!(sources("connect-src"), ["'self'"], "{policy}");
        assert_eq!(sources("frame-ancestors"), ["'none'"], "{policy}");
        assert_eq!(sources("base-uri"), ["'none'"], "{policy}");
        assert!(
            !policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"),
            "{policy}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn hsts_is_sent_only_when_configured_for_tls() {
    let client = client_dir();
    let plain = spawn(&client, 0).await;
    let tls = spawn(&client, 31_536_000).await;
    for (app, expected) in [(&plain, None), (&tls, Some("max-age=31536000"))] {
        for request in [
            client_request(app, "/"),
            app.request(Method::GET, "/healthz", None),
            app.request(Method::GET, "/me", Some(&app.agent.token)),
            app.request(Method::GET, "/cases/987654", Some(&app.agent.token)),
            app.request(Method::POST, "/auth/login", None)
                .json(&serde_json::json!({"email": "nobody@lejek.test", "password": "wrong password"})),
        ] {
            let reply = app.send(request).await;
            assert_eq!(
                reply.header("strict-transport-security"),
                expected,
                "{} answered {}",
                reply.request,
                reply.status
            );
        }
    }
    plain.stop().await;
    tls.stop().await;
}

#[tokio::test]
async fn without_demo_data_the_login_page_is_offered_no_demo_login() {
    let client = client_dir();
    let app = spawn(&client, 0).await;
    let options = app
        .send(app.request(Method::GET, "/auth/login-options", None))
        .await
        .json(200);
    assert_eq!(options, serde_json::json!({"demo_account": null}));
    app.stop().await;
}
