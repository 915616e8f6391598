//! The browser side of the checks: the browser test suite and the client's
//! budget measurements, both driving Debian's Chromium with playwright-core
//! (from `frontend/e2e`, installed with `npm ci`: no browser download).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{build_client, cargo, file_size, gzip_size, read, remove_dir, step, target_dir, workspace_root};

/// The budget for the optimised `.wasm`, gzip-compressed (issue 4: 500 KB).
const WASM_GZIP_BUDGET: u64 = 500 * 1000;

/// Runs every `frontend/e2e/tests/*.test.mjs` one file at a time (each
/// starts its own server on a random port with a fresh SQLite database).
pub fn e2e() -> Result<(), String> {
    let root = workspace_root();
    let chromium = find_chromium()?;
    build_client()?;
    // The `lejek` binary as the workspace's tests build it (the server's
    // CLI tests need it): after `cargo test --workspace` nothing is left
    // to compile, where a separate `cargo build` would redo ~140 crates
    // with other features.
    cargo(&["test", "--workspace", "--no-run"])?;
    let e2e = root.join("frontend/e2e");
    npm_ci(&e2e)?;

    let mut files: Vec<PathBuf> = std::fs::read_dir(e2e.join("tests"))
        .map_err(|error| format!("cannot read frontend/e2e/tests: {error}"))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    let screenshots = target_dir(&root).join("e2e-screenshots");
    // Only this run's screenshots.
    remove_dir(&screenshots)?;
    step(&format!("browser tests ({} files)", files.len()));
    let status = Command::new("node")
        .current_dir(&e2e)
        .args([
            "--test",
            "--test-concurrency=1",
            "--test-timeout=300000",
            "--test-reporter=spec",
        ])
        .args(&files)
        .env("LEJEK_BIN", target_dir(&root).join("debug/lejek"))
        .env("LEJEK_CLIENT_DIR", root.join("frontend/dist"))
        .env("LEJEK_CHROMIUM", &chromium)
        .env("LEJEK_SCREENSHOTS", &screenshots)
        .status()
        .map_err(|error| format!("cannot run node: {error}"))?;
    if status.success() {
        println!(
            "xtask: browser tests passed; screenshots in {}",
            screenshots.display()
        );
        Ok(())
    } else {
        Err(format!(
            "browser tests failed (screenshots so far in {})",
            screenshots.display()
        ))
    }
}

/// Measures the client's budgets: the `.wasm` size, then, with `--cases N`
/// (default 1,000,000) demo cases in a database kept between runs (SQLite
/// under `target/budgets/`, or with `--db postgres` the database
/// `lejek_budgets_<N>` on the server of `LEJEK_BUDGET_POSTGRES_URL`), the
/// time from pressing "sign in" to the first rows on screen and from a
/// filter click to its rows and counts.
pub fn budgets(args: &[String]) -> Result<(), String> {
    let mut cases: u64 = 1_000_000;
    let mut runs: u32 = 10;
    let mut postgres = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |name: &str| {
            rest.next()
                .ok_or_else(|| format!("{name} needs a value"))
                .cloned()
        };
        match arg.as_str() {
            "--cases" => cases = value("--cases")?.parse().map_err(|_| "--cases: a number")?,
            "--runs" => runs = value("--runs")?.parse().map_err(|_| "--runs: a number")?,
            "--db" => match value("--db")?.as_str() {
                "sqlite" => postgres = false,
                "postgres" => postgres = true,
                other => return Err(format!("--db: sqlite or postgres, not {other}")),
            },
            other => return Err(format!("budgets: unknown argument {other}")),
        }
    }
    let root = workspace_root();
    let chromium = find_chromium()?;
    let dist = build_client()?;
    let wasm_gzip = wasm_gzip_size(&dist)?;
    cargo(&["build", "--release", "--package", "lejek-server"])?;
    let binary = target_dir(&root).join("release/lejek");
    let backend = if postgres { "postgres" } else { "sqlite" };
    let data_dir = target_dir(&root).join(format!("budgets/{backend}-{cases}"));
    let database_url = if postgres {
        Some(postgres_database(cases, &data_dir)?)
    } else {
        None
    };
    seed_once(&binary, &data_dir, database_url.as_deref(), cases)?;

    let e2e = root.join("frontend/e2e");
    npm_ci(&e2e)?;
    step(&format!("budgets with {cases} cases, {runs} runs"));
    let status = Command::new("node")
        .current_dir(&e2e)
        .arg("budgets.mjs")
        .env("LEJEK_BIN", &binary)
        .env("LEJEK_CLIENT_DIR", &dist)
        .env("LEJEK_CHROMIUM", &chromium)
        .env("LEJEK_BUDGET_DATA_DIR", &data_dir)
        .env(
            "LEJEK_BUDGET_DATABASE_URL",
            database_url.as_deref().unwrap_or_default(),
        )
        .env("LEJEK_BUDGET_RUNS", runs.to_string())
        .env("LEJEK_BUDGET_CASES", cases.to_string())
        .env("LEJEK_BUDGET_WASM_GZIP", wasm_gzip.to_string())
        .status()
        .map_err(|error| format!("cannot run node: {error}"))?;
    if !status.success() {
        return Err("a budget was missed (see above)".to_owned());
    }
    if wasm_gzip > WASM_GZIP_BUDGET {
        return Err(format!(
            "the .wasm is {wasm_gzip} bytes gzip, over the budget of {WASM_GZIP_BUDGET}"
        ));
    }
    Ok(())
}

/// The largest bundle's `.wasm`, gzip-compressed: each is downloaded on
/// its own, so each must keep to the budget.
fn wasm_gzip_size(dist: &Path) -> Result<u64, String> {
    let files: Vec<_> = std::fs::read_dir(dist)
        .map_err(|error| format!("cannot read {}: {error}", dist.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.to_string_lossy().ends_with("_bg.wasm"))
        .collect();
    if files.len() != crate::BUNDLES.len() {
        return Err(format!(
            "{} .wasm files in the client build, not {}",
            files.len(),
            crate::BUNDLES.len()
        ));
    }
    let mut largest = 0;
    for wasm in files {
        let raw = file_size(&wasm)?;
        let gzip = gzip_size(&read(&wasm)?)?;
        println!("xtask: {} is {raw} bytes, {gzip} bytes gzip", wasm.display());
        largest = largest.max(gzip);
    }
    Ok(largest)
}

/// The URL of `lejek_budgets_<cases>` on the PostgreSQL server, created
/// (empty) unless an earlier run seeded it.
fn postgres_database(cases: u64, data_dir: &Path) -> Result<String, String> {
    let server = std::env::var("LEJEK_BUDGET_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let (prefix, _) = server
        .rsplit_once('/')
        .ok_or("LEJEK_BUDGET_POSTGRES_URL: postgres://user@host:port/database")?;
    let name = format!("lejek_budgets_{cases}");
    let url = format!("{prefix}/{name}");
    let psql = |database: &str, sql: &str| {
        Command::new("psql")
            .args([database, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
            .status()
            .map_err(|error| format!("cannot run psql: {error}"))
    };
    if data_dir.join("seeded").exists() && psql(&url, "SELECT 1")?.success() {
        return Ok(url);
    }
    let _ = std::fs::remove_file(data_dir.join("seeded"));
    step(&format!("creating the database {name}"));
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        if !psql(&server, &sql)?.success() {
            return Err(format!("psql could not run `{sql}`"));
        }
    }
    Ok(url)
}

/// Fills the database (`database_url`, else SQLite in `data_dir`) with
/// demo data unless an earlier run did.
fn seed_once(binary: &Path, data_dir: &Path, database_url: Option<&str>, cases: u64) -> Result<(), String> {
    let marker = data_dir.join("seeded");
    if marker.exists() {
        println!("xtask: reusing the demo database of {}", data_dir.display());
        return Ok(());
    }
    if database_url.is_none() {
        let _ = std::fs::remove_dir_all(data_dir);
    }
    std::fs::create_dir_all(data_dir)
        .map_err(|error| format!("cannot create {}: {error}", data_dir.display()))?;
    step(&format!("lejek demo --cases {cases} (once)"));
    let status = Command::new(binary)
        .args(["demo", "--cases", &cases.to_string(), "--seed", "42"])
        .env("LEJEK_DATA_DIR", data_dir)
        .env("LEJEK_DATABASE_URL", database_url.unwrap_or_default())
        .status()
        .map_err(|error| format!("cannot run {}: {error}", binary.display()))?;
    if !status.success() {
        return Err("filling the demo database failed".to_owned());
    }
    std::fs::write(&marker, cases.to_string())
        .map_err(|error| format!("cannot write {}: {error}", marker.display()))
}

fn find_chromium() -> Result<PathBuf, String> {
    let chromium = std::env::var_os("LEJEK_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if chromium.exists() {
        Ok(chromium)
    } else {
        Err(format!(
            "no Chromium at {}: install Debian's (apt-get install -y chromium) or set LEJEK_CHROMIUM",
            chromium.display()
        ))
    }
}

/// Installs playwright-core from the lock file (no browser is downloaded).
fn npm_ci(dir: &Path) -> Result<(), String> {
    step("npm ci (frontend/e2e)");
    let status = Command::new("npm")
        .current_dir(dir)
        .args(["ci", "--no-audit", "--no-fund"])
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
        .status()
        .map_err(|error| format!("cannot run npm: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("npm ci failed".to_owned())
    }
}
