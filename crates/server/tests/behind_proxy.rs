//! The production layout: the repository's own Caddy configuration
//! (`deploy/Caddyfile`, run by Debian's `caddy`, which `.ci/run` installs)
//! in front of two `lejek serve` processes on one PostgreSQL.
//!
//! Needs `LEJEK_TEST_POSTGRES_URL` (a server where the test may create a
//! database), unless `LEJEK_TEST_SKIP_POSTGRES=1` skips it on purpose.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Node, call};
use lejek_store::test_support::{POSTGRES_URL_VAR, TestDatabase};
use reqwest::Method;
use serde_json::json;

const ADMIN: &str = "admin@proxy.test";
const PASSWORD: &str = "a long test password";
const METRICS_TOKEN: &str = "metrics-token-for-the-proxy-test";
const CLIENT_PAGE: &str = "<!doctype html><title>Lejek</title><p>the client";

fn caddyfile() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/Caddyfile")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// `caddy run` on the repository's Caddyfile, stopped when dropped.
struct Proxy {
    child: Child,
    base: String,
}

impl Proxy {
    /// Starts Caddy on `site` (`http://127.0.0.1:<port>`) in front of `upstreams`,
    /// with `tls` as the Caddyfile's `LEJEK_TLS`, and waits until it
    /// routes to a ready node.
    async fn start(home: &Path, site: &str, upstreams: &str, tls: &str, base: String) -> Proxy {
        let child = Command::new("caddy")
            .args(["run", "--adapter", "caddyfile", "--config"])
            .arg(caddyfile())
            .env("LEJEK_SITE", site)
            .env("LEJEK_UPSTREAMS", upstreams)
            .env("LEJEK_TLS", tls)
            .env("CADDY_ADMIN", "off")
            .env("HOME", home)
            .env("XDG_DATA_HOME", home)
            .env("XDG_CONFIG_HOME", home)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Debian's caddy is installed (.ci/run installs it)");
        let proxy = Proxy { child, base };
        proxy.wait_ready(tls.is_empty()).await;
        proxy
    }

    async fn wait_ready(&self, plain: bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = reqwest::Client::new();
        while Instant::now() < deadline {
            let ready = if plain {
                client
                    .get(format!("{}/readyz", self.base))
                    .send()
                    .await
                    .is_ok_and(|answer| answer.status() == 200)
            } else {
                std::net::TcpStream::connect(self.base.trim_start_matches("https://")).is_ok()
            };
            if ready {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("caddy did not route to a ready node at {} within 20 s", self.base);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How many requests `node` answered for `route` with a 2xx, from its
/// own `/metrics`.
async fn answered(client: &reqwest::Client, node: &Node, route: &str) -> u64 {
    let text = client
        .get(node.url("/metrics"))
        .bearer_auth(METRICS_TOKEN)
        .send()
        .await
        .expect("metrics answer")
        .text()
        .await
        .expect("metrics text");
    let series = format!("lejek_http_requests_total{{method=\"GET\",route=\"{route}\",status=\"2xx\"}} ");
    text.lines()
        .find_map(|line| line.strip_prefix(series.as_str()))
        .map_or(0, |count| count.trim().parse().expect("a count"))
}

#[tokio::test]
async fn two_nodes_behind_the_repositorys_caddy_share_the_load_and_survive_one_stopping() {
    let Some(db) = TestDatabase::postgres().await else {
        if std::env::var("LEJEK_TEST_SKIP_POSTGRES").as_deref() == Ok("1") {
            return;
        }
        panic!("{POSTGRES_URL_VAR} is not set (or set LEJEK_TEST_SKIP_POSTGRES=1 to skip PostgreSQL)");
    };
    let dirs = [(); 3].map(|()| tempfile::tempdir().unwrap());
    let client_dir = dirs[2].path().join("client");
    std::fs::create_dir_all(&client_dir).unwrap();
    std::fs::write(client_dir.join("index.html"), CLIENT_PAGE).unwrap();
    let client_dir = client_dir.display().to_string();
    let env = [
        ("LEJEK_ADMIN_EMAIL", ADMIN),
        ("LEJEK_ADMIN_PASSWORD", PASSWORD),
        ("LEJEK_TRUST_PROXY", "true"),
        ("LEJEK_METRICS_TOKEN", METRICS_TOKEN),
        ("LEJEK_CLIENT_DIR", client_dir.as_str()),
    ];
    // Both start together on the empty database: one migrates, the other
    // waits for it on the advisory lock.
    let starting_a = Node::spawn(dirs[0].path(), &db.url, &["serve"], &env);
    let starting_b = Node::spawn(dirs[1].path(), &db.url, &["serve"], &env);
    let (a, b) = (starting_a.listening(), starting_b.listening());
    let upstreams = format!("{} {}", a.address(), b.address());
    let port = free_port();
    let proxy = Proxy::start(
        dirs[2].path(),
        &format!("http://127.0.0.1:{port}"),
        &upstreams,
        "",
        format!("http://127.0.0.1:{port}"),
    )
    .await;
    let client = reqwest::Client::new();

    // The client and the API, both through the proxy.
    let page = client
        .get(format!("{}/cases/12", proxy.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    assert_eq!(page.text().await.unwrap(), CLIENT_PAGE);
    let login = json!({"email": ADMIN, "password": PASSWORD});
    let url = |path: &str| format!("{}/api/v1{path}", proxy.base);
    let pair = call(
        &client,
        Method::POST,
        &url("/auth/login"),
        None,
        Some(&login),
        &[],
    )
    .await
    .expect(200)
    .json;
    let token = pair["access_token"].as_str().unwrap().to_owned();

    // The proxy's request id reaches the node (trusted), which answers
    // with it, also in a problem document.
    let refused = call(
        &client,
        Method::GET,
        &url("/cases/999999999"),
        Some(&token),
        None,
        &[],
    )
    .await
    .expect(404);
    let id = refused.header("x-request-id").expect("a request id").to_owned();
    assert_eq!(id.len(), 36, "Caddy's UUID, not the node's own id: {id}");
    assert_eq!(refused.json["request_id"].as_str(), Some(id.as_str()));

    // A large upload reaches a node, which refuses it by its own limit.
    let huge = format!("{{\"subject\": \"{}\"}}", "x".repeat(3 << 20));
    let oversized = client
        .post(url("/cases"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(oversized.status(), 413);
    assert_eq!(oversized.headers()["content-type"], "application/problem+json");

    // Writes and reads spread over both nodes.
    for n in 0..8 {
        let case = json!({
            "subject": format!("Przez proxy {n}"),
            "source": "phone",
            "expected_close_date": "2027-06-30",
            "contact": {"name": "Jan Pośrednik", "email": format!("proxy{n}@example.com")},
        });
        call(
            &client,
            Method::POST,
            &url("/cases"),
            Some(&token),
            Some(&case),
            &[],
        )
        .await
        .expect(201);
    }
    let counts_url = url("/cases/counts");
    let counts = || call(&client, Method::GET, &counts_url, Some(&token), None, &[]);
    for _ in 0..20 {
        counts().await.expect(200);
    }
    let (on_a, on_b) = (
        answered(&client, &a, "/api/v1/cases/counts").await,
        answered(&client, &b, "/api/v1/cases/counts").await,
    );
    assert_eq!(on_a + on_b, 20, "every read answered by one of the two nodes");
    assert!(
        on_a >= 5 && on_b >= 5,
        "round robin over both nodes: {on_a} and {on_b}"
    );

    // One node dies (SIGKILL, in-flight requests cut) in the middle of a
    // stream of reads: the proxy takes each to the other, none fails.
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let (client, url, token) = (client.clone(), url("/cases/counts"), token.clone());
            tokio::spawn(async move {
                let deadline = Instant::now() + Duration::from_secs(4);
                let mut statuses = Vec::new();
                while Instant::now() < deadline {
                    let answer = client.get(&url).bearer_auth(&token).send().await;
                    statuses.push(
                        answer
                            .map(|answer| answer.status().as_u16())
                            .map_err(|e| e.to_string()),
                    );
                }
                statuses
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    drop(b);
    let mut reads = 0;
    for reader in readers {
        for status in reader.await.unwrap() {
            assert_eq!(status, Ok(200), "a read failed while a node stopped");
            reads += 1;
        }
    }
    assert!(reads > 40, "the readers kept reading: {reads}");
    assert_eq!(counts().await.expect(200).json["all"], 8);

    // With a certificate given, the same configuration terminates TLS.
    let cert = dirs[2].path().join("cert.pem");
    let key = dirs[2].path().join("key.pem");
    let made = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ])
        .args(["-addext", "subjectAltName=IP:127.0.0.1", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .expect("openssl");
    assert!(made.success());
    let tls_port = free_port();
    let tls = Proxy::start(
        dirs[2].path(),
        &format!("https://127.0.0.1:{tls_port}"),
        a.address(),
        &format!("tls {} {}", cert.display(), key.display()),
        format!("https://127.0.0.1:{tls_port}"),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    let readiness = loop {
        let output = Command::new("curl")
            .args(["--silent", "--show-error", "--cacert"])
            .arg(&cert)
            .arg(format!("{}/readyz", tls.base))
            .output()
            .expect("curl");
        let body = String::from_utf8_lossy(&output.stdout).into_owned();
        if body.contains("ready") || Instant::now() > deadline {
            break body;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(readiness.contains("\"ready\""), "over TLS: {readiness}");
}
