//! `lejek serve` as a process of its own, and the HTTP calls tests make to it.

#![allow(dead_code)] // each test file uses its own part

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::Value;

/// The JWT secret the tests' nodes share.
pub const SECRET: &str = "a-test-secret-of-at-least-thirty-two-chars";

/// A running `lejek serve`, stopped when dropped.
pub struct Node {
    child: Child,
    /// `http://127.0.0.1:<port>`
    pub base: String,
    output: Arc<Mutex<Vec<String>>>,
}

/// A started `lejek serve` that may not listen yet.
pub struct Starting {
    child: Child,
    address: mpsc::Receiver<Result<String, String>>,
    output: Arc<Mutex<Vec<String>>>,
}

impl Node {
    /// Starts `lejek <args>` with its data in `data_dir`, on `database_url`
    /// (empty: SQLite in `data_dir`), plus `env`.
    pub fn spawn(data_dir: &Path, database_url: &str, args: &[&str], env: &[(&str, &str)]) -> Starting {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lejek"));
        command
            .args(args)
            .env("LEJEK_LISTEN", "127.0.0.1:0")
            .env("LEJEK_DATA_DIR", data_dir)
            .env("LEJEK_DATABASE_URL", database_url)
            .env("LEJEK_CLIENT_DIR", data_dir.join("no-client"))
            .env("LEJEK_JWT_SECRET", SECRET)
            .env("LEJEK_LOG", "warn")
            .env_remove("LEJEK_CONFIG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("the lejek binary starts");
        let (sender, address) = mpsc::channel();
        let output = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&output);
        let stdout = child.stdout.take().expect("stdout");
        let mut stderr = child.stderr.take().expect("stderr");
        let errors = std::thread::spawn(move || {
            let mut errors = String::new();
            let _ = stderr.read_to_string(&mut errors);
            errors
        });
        // Reads until the address shows, then keeps draining so the server
        // never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut found = false;
            let mut seen = String::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if !found && let Some(rest) = line.split("listening on ").nth(1) {
                    found = true;
                    let _ = sender.send(Ok(rest.trim().trim_end_matches('/').to_owned()));
                }
                if !found {
                    seen.push_str(&line);
                    seen.push('\n');
                }
                kept.lock().unwrap().push(line);
            }
            if !found {
                let errors = errors.join().unwrap_or_default();
                let _ = sender.send(Err(format!("{seen}{errors}")));
            }
        });
        Starting {
            child,
            address,
            output,
        }
    }

    /// Starts a node and waits until it listens.
    pub fn start(data_dir: &Path, database_url: &str, args: &[&str], env: &[(&str, &str)]) -> Node {
        Node::spawn(data_dir, database_url, args, env).listening()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The lines the node wrote to standard output so far.
    pub fn output(&self) -> Vec<String> {
        self.output.lock().unwrap().clone()
    }

    /// `127.0.0.1:<port>`, as a proxy names its upstream.
    pub fn address(&self) -> &str {
        self.base.trim_start_matches("http://")
    }
}

impl Starting {
    pub fn listening(mut self) -> Node {
        match self.address.recv_timeout(Duration::from_secs(300)) {
            Ok(Ok(base)) => Node {
                child: self.child,
                base,
                output: self.output,
            },
            Ok(Err(output)) => {
                let _ = self.child.kill();
                panic!("lejek serve exited before listening:\n{output}");
            }
            Err(_) => {
                let _ = self.child.kill();
                panic!("lejek serve did not listen within 300 s");
            }
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer: status, headers, body as JSON (`Null` when not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub json: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    #[track_caller]
    pub fn expect(self, status: u16) -> Answer {
        assert_eq!(self.status.as_u16(), status, "{}", self.json);
        self
    }
}

/// One request: optional bearer token, JSON body and extra headers.
pub async fn call(
    client: &reqwest::Client,
    method: Method,
    url: &str,
    token: Option<&str>,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> Answer {
    let mut request = client.request(method, url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|error| panic!("{url}: {error}"));
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap_or_default();
    Answer {
        status,
        headers,
        json: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

/// `POST /api/v1/auth/login` on `node`.
pub async fn login(client: &reqwest::Client, node: &Node, email: &str, password: &str) -> Answer {
    let body = serde_json::json!({"email": email, "password": password});
    call(
        client,
        Method::POST,
        &node.url("/api/v1/auth/login"),
        None,
        Some(&body),
        &[],
    )
    .await
}
