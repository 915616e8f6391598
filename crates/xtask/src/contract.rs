//! `cargo xtask contract`: the OpenAPI document against the wire. Builds
//! `lejek`, serves it with demo data on a fresh SQLite file and on a fresh
//! PostgreSQL database, and runs schemathesis there with every check and
//! every phase, as an admin (so every operation is reachable). Any failure
//! or error fails the task. The servers' logs and schemathesis' output stay
//! in `target/contract/<db>/` for diagnosis.
//!
//! The bounded run (the default, part of `cargo xtask test`) draws a few
//! dozen requests per operation; `--deep` draws at least 100.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{cargo, remove_dir, step, target_dir, workspace_root};

/// The schemathesis release the project's checks and hooks are written for
/// (`.ci/run` installs it).
const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// Demo cases the server starts with.
const DEMO_CASES: &str = "300";
/// Examples per operation and phase: bounded and deep.
const BOUNDED_EXAMPLES: u32 = 20;
const DEEP_EXAMPLES: u32 = 100;
/// The phases, each group run by its own schemathesis process with a fresh
/// admin (an access token lives 15 minutes; a deep phase may approach
/// that). The examples phase runs with coverage: the document gives few
/// examples, and a process with nothing to run fails.
const PHASES: [&str; 3] = ["examples,coverage", "fuzzing", "stateful"];
const DEMO_ADMIN: (&str, &str) = ("admin@lejek.demo", "lejek-demo");

#[derive(Clone, Copy, PartialEq, Eq)]
enum Database {
    Sqlite,
    Postgres,
}

impl Database {
    fn name(self) -> &'static str {
        match self {
            Database::Sqlite => "sqlite",
            Database::Postgres => "postgres",
        }
    }
}

struct Options {
    databases: Vec<Database>,
    examples: u32,
    seed: u64,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        databases: vec![Database::Sqlite, Database::Postgres],
        examples: BOUNDED_EXAMPLES,
        seed: 1,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--deep" => options.examples = options.examples.max(DEEP_EXAMPLES),
            "--examples" => {
                options.examples = value()?.parse().map_err(|_| "--examples takes a number")?;
            }
            "--seed" => options.seed = value()?.parse().map_err(|_| "--seed takes a number")?,
            "--db" => {
                options.databases = match value()?.as_str() {
                    "sqlite" => vec![Database::Sqlite],
                    "postgres" => vec![Database::Postgres],
                    "both" => vec![Database::Sqlite, Database::Postgres],
                    other => return Err(format!("--db sqlite|postgres|both, not {other}")),
                }
            }
            other => return Err(format!("contract: unknown option {other}")),
        }
    }
    Ok(options)
}

pub fn contract(args: &[String]) -> Result<(), String> {
    let options = options(args)?;
    check_schemathesis()?;
    cargo(&["build", "--package", "lejek-server"])?;
    let root = workspace_root();
    let binary = target_dir(&root).join("debug/lejek");
    let mut failed = Vec::new();
    for database in &options.databases {
        step(&format!(
            "contract on {}: schemathesis, {} examples per operation and phase, seed {}",
            database.name(),
            options.examples,
            options.seed
        ));
        if let Err(message) = run_on(*database, &binary, &root, &options) {
            eprintln!("xtask: contract on {}: {message}", database.name());
            failed.push(database.name());
        }
    }
    if failed.is_empty() {
        println!(
            "xtask: the document matches the wire on {} database(s)",
            options.databases.len()
        );
        Ok(())
    } else {
        Err(format!("the contract run failed on {}", failed.join(" and ")))
    }
}

fn check_schemathesis() -> Result<(), String> {
    let output = Command::new("st").arg("--version").output();
    match output {
        Ok(output) if String::from_utf8_lossy(&output.stdout).contains(SCHEMATHESIS_VERSION) => Ok(()),
        Ok(output) => Err(format!(
            "schemathesis {SCHEMATHESIS_VERSION} is needed, found {}: pip install schemathesis=={SCHEMATHESIS_VERSION}",
            String::from_utf8_lossy(&output.stdout).trim()
        )),
        Err(_) => Err(format!(
            "schemathesis (`st`) is not installed: pip install schemathesis=={SCHEMATHESIS_VERSION}"
        )),
    }
}

/// A `lejek serve` this task started, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A PostgreSQL database this task created, dropped when dropped.
struct ScratchDatabase {
    server: String,
    name: String,
}

impl ScratchDatabase {
    fn create(server: &str, name: &str) -> Result<ScratchDatabase, String> {
        let database = ScratchDatabase {
            server: server.to_owned(),
            name: name.to_owned(),
        };
        database.psql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
        database.psql(&format!("CREATE DATABASE {name}"))?;
        Ok(database)
    }

    fn url(&self) -> String {
        let base = self
            .server
            .rsplit_once('/')
            .map_or(self.server.as_str(), |(base, _)| base);
        format!("{base}/{}", self.name)
    }

    fn psql(&self, sql: &str) -> Result<(), String> {
        let status = Command::new("psql")
            .args([self.server.as_str(), "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .stdout(Stdio::null())
            .status()
            .map_err(|error| format!("cannot run psql: {error}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("psql failed: {sql}"))
        }
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let _ = self.psql(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
    }
}

fn run_on(database: Database, binary: &Path, root: &Path, options: &Options) -> Result<(), String> {
    let dir = target_dir(root).join("contract").join(database.name());
    remove_dir(&dir)?;
    std::fs::create_dir_all(&dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    let (scratch, database_url) = match database {
        Database::Sqlite => (None, format!("sqlite://{}/lejek.db?mode=rwc", dir.display())),
        Database::Postgres => {
            let server = std::env::var("LEJEK_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
            let scratch =
                ScratchDatabase::create(&server, &format!("lejek_contract_{}", std::process::id()))?;
            let url = scratch.url();
            (Some(scratch), url)
        }
    };
    let server = start_server(binary, &dir, &database_url)?;
    let mut token = login(server.port, DEMO_ADMIN.0, DEMO_ADMIN.1)?;
    let mut result = Ok(());
    for (index, phase) in PHASES.iter().enumerate() {
        // Each phase acts as an admin of its own, created by the last one:
        // a phase may change its admin's password or take the demo admin's
        // role, and an access token lives 15 minutes.
        token = fresh_admin(server.port, &token, index)?;
        let output = dir.join(format!("schemathesis-{}.txt", phase.replace(',', "-")));
        println!("xtask: {phase} on {}", database.name());
        if let Err(message) = schemathesis(root, server.port, &token, phase, options, &output) {
            result = Err(message);
        }
    }
    println!("xtask: logs of the {} run in {}", database.name(), dir.display());
    drop(server);
    drop(scratch);
    result
}

fn start_server(binary: &Path, dir: &Path, database_url: &str) -> Result<Server, String> {
    let port = free_port()?;
    let log =
        std::fs::File::create(dir.join("server.log")).map_err(|error| format!("server log: {error}"))?;
    let child = Command::new(binary)
        .args(["serve", "--demo-cases", DEMO_CASES])
        .env("LEJEK_LISTEN", format!("127.0.0.1:{port}"))
        .env("LEJEK_DATA_DIR", dir.join("data"))
        .env("LEJEK_DATABASE_URL", database_url)
        .env("LEJEK_JWT_SECRET", "lejek-contract-run-secret-0123456789abcdef")
        // The runner logs in behind a "proxy" of its own address, so the
        // fuzzer's failed logins (throttled per address) never block it.
        .env("LEJEK_TRUST_PROXY", "true")
        // Metrics on, as in production: `/metrics` then refuses every
        // token but its own (401), which is what the document says.
        .env("LEJEK_METRICS_TOKEN", "lejek-contract-run-metrics-token")
        .stdout(log.try_clone().map_err(|error| format!("server log: {error}"))?)
        .stderr(log)
        .spawn()
        .map_err(|error| format!("cannot start {}: {error}", binary.display()))?;
    let server = Server { child, port };
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        if matches!(http(port, "GET", "/healthz", &[], ""), Ok((200, _))) {
            return Ok(server);
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Err(format!(
        "the server did not come up; see {}",
        dir.join("server.log").display()
    ))
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|error| format!("no free port: {error}"))
}

/// One HTTP/1.1 exchange with the local server: status and body.
fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<(u16, String), String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|error| error.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|error| error.to_string())?;
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream
        .write_all(request.as_bytes())
        .map_err(|error| error.to_string())?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .map_err(|error| error.to_string())?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or("no HTTP status")?;
    let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    Ok((status, body.to_owned()))
}

fn login(port: u16, email: &str, password: &str) -> Result<String, String> {
    let body = serde_json::json!({"email": email, "password": password}).to_string();
    let headers = [
        ("Content-Type", "application/json"),
        ("X-Forwarded-For", "10.255.0.1"),
    ];
    match http(port, "POST", "/api/v1/auth/login", &headers, &body)? {
        (200, body) => serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|pair| pair["access_token"].as_str().map(str::to_owned))
            .ok_or_else(|| format!("login as {email}: no access token in {body}")),
        (status, body) => Err(format!("login as {email} answered {status}: {body}")),
    }
}

/// A new admin, created with `token`, logged in: its access token.
fn fresh_admin(port: u16, token: &str, index: usize) -> Result<String, String> {
    let email = format!("contract-{index}-{}@lejek.test", std::process::id());
    let password = format!("contract-password-{index}-{}", std::process::id());
    let body = serde_json::json!({
        "email": email,
        "name": format!("Contract run {index}"),
        "role": "admin",
        "password": password,
    })
    .to_string();
    let bearer = format!("Bearer {token}");
    let headers = [
        ("Content-Type", "application/json"),
        ("Authorization", bearer.as_str()),
    ];
    match http(port, "POST", "/api/v1/users", &headers, &body)? {
        (201, _) => login(port, &email, &password),
        (status, body) => Err(format!("creating the run's admin answered {status}: {body}")),
    }
}

fn schemathesis(
    root: &Path,
    port: u16,
    token: &str,
    phase: &str,
    options: &Options,
    output: &PathBuf,
) -> Result<(), String> {
    let contract_dir = root.join("tests/contract");
    let log = std::fs::File::create(output).map_err(|error| format!("{}: {error}", output.display()))?;
    let status = Command::new("st")
        .current_dir(&contract_dir)
        .env("PYTHONPATH", &contract_dir)
        .args([
            "--config-file",
            "schemathesis.toml",
            "--no-color",
            "run",
            &format!("http://127.0.0.1:{port}/api/openapi.json"),
            "--header",
            &format!("Authorization: Bearer {token}"),
            "--checks",
            "all",
            "--phases",
            phase,
            "--max-examples",
            &options.examples.to_string(),
            "--seed",
            &options.seed.to_string(),
            "--generation-database",
            "none",
            // One worker: with several threads schemathesis 4.32.5 can hit
            // CPython's "AST constructor recursion depth mismatch" while
            // drawing coverage values, an error of the tool, not the API.
            "--workers",
            "1",
        ])
        .stdout(log.try_clone().map_err(|error| error.to_string())?)
        .stderr(log)
        .status()
        .map_err(|error| format!("cannot run st: {error}"))?;
    let text = std::fs::read_to_string(output).unwrap_or_default();
    let summary: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.contains("SUMMARY"))
        .collect();
    println!("{}", summary.join("\n"));
    if status.success() {
        Ok(())
    } else {
        Err(format!("schemathesis {phase} failed; see {}", output.display()))
    }
}
