//! `cargo xtask <task>`: the project's chores, each one command.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod browser;
mod contract;
use browser::{budgets, e2e};
use contract::contract;

/// Crates the pure domain must never depend on: it compiles to WASM for the
/// client and knows nothing of HTTP, SQL or the UI framework.
const FORBIDDEN_IN_DOMAIN: [&str; 7] = [
    "actix",
    "sea-orm",
    "sea-query",
    "sqlx",
    "tokio",
    "leptos",
    "utoipa",
];

/// The WASM client's package, target and cargo profile (root `Cargo.toml`).
const CLIENT_PACKAGE: &str = "lejek-frontend";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
const WASM_PROFILE: &str = "wasm-release";
const WASM_RUSTFLAGS: &str = "--cfg erase_components";

const USAGE: &str = "usage: cargo xtask <task> [args]

tasks:
  run           build the client, then build and serve Lejek on SQLite
                (./data) with demo data on first start; extra args go to
                `lejek serve`
  build-client  build the WASM client (release, wasm-bindgen as a library)
                into frontend/dist and print its size
  test          the whole suite: fmt check, clippy -D warnings, every test,
                the domain crate's WASM build and dependency check, the
                bounded contract run, then the browser tests
  contract      schemathesis (4.32.5, every check and phase) against
                `lejek serve` with demo data on a fresh SQLite file and a
                fresh PostgreSQL database (LEJEK_TEST_POSTGRES_URL's
                server); fails on any failure or error. --deep: 100
                examples per operation; --examples N, --seed S,
                --db sqlite|postgres|both
  e2e           only the browser tests: builds the client and the server,
                then drives Debian's Chromium (playwright-core) against
                servers on random ports with fresh databases
  budgets       the client's budgets: .wasm size, and at --cases N
                (default 1000000) first rows after login and filter
                changes, against a release server on SQLite or, with
                --db postgres, on PostgreSQL; --runs R (default 10)
  bench         the pipeline benchmark (release build); args go to
                lejek-bench, e.g. `cargo xtask bench --cases 1000000 --db postgres`
  bench-production
                the production layout on PostgreSQL: release `lejek serve`
                processes behind deploy/Caddyfile (Debian's caddy); prints
                the proxy's added latency, two nodes' throughput against
                one, and the cost of metrics; args go to lejek-bench
                (default --cases 100000)
  bench-intake  file import through a release `lejek serve` on SQLite and
                PostgreSQL (a demo database of 10,000 cases): a generated
                100,000-row Polish Excel CSV previewed and imported (rows/s),
                then a 500,000-row one with the server's memory watched; 50
                web-form submissions a second for 20 s; 1,000 seeded random
                e-mails parsed and filed (p50/p95/p99)";

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    let rest: Vec<String> = std::env::args().skip(2).collect();
    let result = match task.as_deref() {
        Some("test") => test(),
        Some("run") => run(&rest),
        Some("build-client") => build_client().map(|_| ()),
        Some("bench") => bench(&rest),
        Some("bench-production") => bench_production(&rest),
        Some("bench-intake") => bench_intake(&rest),
        Some("e2e") => e2e(),
        Some("contract") => contract(&rest),
        Some("budgets") => budgets(&rest),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn test() -> Result<(), String> {
    cargo(&["fmt", "--all", "--check"])?;
    cargo(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])?;
    cargo(&["test", "--workspace"])?;
    cargo(&[
        "build",
        "--package",
        "lejek-domain",
        "--target",
        "wasm32-unknown-unknown",
    ])?;
    check_domain_dependencies()?;
    contract(&[])?;
    e2e()?;
    println!("xtask: all checks passed");
    Ok(())
}

/// Builds the client, then serves the product on SQLite with a demo team
/// on first start. The server finds the client through `LEJEK_CLIENT_DIR`,
/// so it is served whatever folder this runs from.
fn run(extra: &[String]) -> Result<(), String> {
    let dist = build_client()?;
    let mut args = vec![
        "run",
        "--release",
        "--package",
        "lejek-server",
        "--",
        "serve",
        "--demo-cases",
        "2000",
    ];
    args.extend(extra.iter().map(String::as_str));
    step(&format!("cargo {}", args.join(" ")));
    let mut command = Command::new(env_cargo());
    command.args(&args);
    if std::env::var_os("LEJEK_CLIENT_DIR").is_none() {
        command.env("LEJEK_CLIENT_DIR", &dist);
    }
    let status = command
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("the server stopped with an error".to_owned())
    }
}

fn bench(extra: &[String]) -> Result<(), String> {
    let mut args = vec!["run", "--release", "--package", "lejek-bench", "--"];
    args.extend(extra.iter().map(String::as_str));
    cargo(&args)
}

/// File import on both databases through a release `lejek serve`, on a
/// seeded demo database of 10,000 cases unless `--cases` says otherwise.
fn bench_intake(extra: &[String]) -> Result<(), String> {
    cargo(&["build", "--release", "--package", "lejek-server"])?;
    let lejek = target_dir(&workspace_root()).join("release/lejek");
    let lejek = lejek.display().to_string();
    let databases: &[&str] = if extra.iter().any(|arg| arg == "--db") {
        &[""]
    } else {
        &["sqlite", "postgres"]
    };
    for db in databases {
        let mut args = vec![
            "run",
            "--release",
            "--package",
            "lejek-bench",
            "--",
            "--intake",
            "--lejek-binary",
            &lejek,
        ];
        if !db.is_empty() {
            args.extend(["--db", db]);
        }
        if !extra.iter().any(|arg| arg == "--cases") {
            args.extend(["--cases", "10000"]);
        }
        args.extend(extra.iter().map(String::as_str));
        cargo(&args)?;
    }
    Ok(())
}

fn bench_production(extra: &[String]) -> Result<(), String> {
    cargo(&["build", "--release", "--package", "lejek-server"])?;
    let lejek = target_dir(&workspace_root()).join("release/lejek");
    let lejek = lejek.display().to_string();
    let mut args = vec![
        "run",
        "--release",
        "--package",
        "lejek-bench",
        "--",
        "--production",
        "--db",
        "postgres",
        "--lejek-binary",
        &lejek,
    ];
    if !extra.iter().any(|arg| arg == "--cases") {
        args.extend(["--cases", "100000"]);
    }
    args.extend(extra.iter().map(String::as_str));
    cargo(&args)
}

/// The workspace root: two levels above this crate.
pub(crate) fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// Where cargo puts its output: `CARGO_TARGET_DIR`, else `<root>/target`.
pub(crate) fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() { dir } else { root.join(dir) }
        }
        _ => root.join("target"),
    }
}

/// Builds the WASM client into `frontend/dist` and returns that folder:
/// cargo (profile `wasm-release`: size-optimised, LTO, abort on panic),
/// then wasm-bindgen as a library (web target, no TypeScript, no name
/// section), then `index.html` naming content-hashed assets so browsers may
/// cache them forever, and the stylesheet.
pub(crate) fn build_client() -> Result<PathBuf, String> {
    let root = workspace_root();
    ensure_wasm_target();
    step(&format!(
        "cargo build --profile {WASM_PROFILE} --target {WASM_TARGET} -p {CLIENT_PACKAGE}"
    ));
    let status = Command::new(env_cargo())
        .current_dir(&root)
        // Leptos type-erases every component and reactive closure under this
        // cfg: far less monomorphised code, so a much smaller `.wasm`.
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS", WASM_RUSTFLAGS)
        .args([
            "build",
            "--profile",
            WASM_PROFILE,
            "--target",
            WASM_TARGET,
            "--package",
            CLIENT_PACKAGE,
        ])
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !status.success() {
        return Err("building the client failed".to_owned());
    }
    let dist = root.join("frontend/dist");
    let staging = target_dir(&root).join("lejek-bindgen");
    let css = read(&root.join("frontend/style.css"))?;
    let css_name = format!("style-{}.css", short_hash(&[&css]));
    remove_dir(&dist)?;
    fs::create_dir_all(&dist).map_err(|error| format!("cannot create {}: {error}", dist.display()))?;
    write(&dist.join(&css_name), &css)?;
    for bundle in BUNDLES {
        let input = target_dir(&root)
            .join(WASM_TARGET)
            .join(WASM_PROFILE)
            .join(format!("{}.wasm", bundle.binary));
        let cargo_size = file_size(&input)?;
        step(&format!("wasm-bindgen ({})", bundle.binary));
        remove_dir(&staging)?;
        fs::create_dir_all(&staging)
            .map_err(|error| format!("cannot create {}: {error}", staging.display()))?;
        wasm_bindgen_cli_support::Bindgen::new()
            .input_path(&input)
            .web(true)
            .map_err(|error| format!("wasm-bindgen: {error}"))?
            .typescript(false)
            .remove_name_section(true)
            .remove_producers_section(true)
            .out_name(bundle.name)
            .generate(&staging)
            .map_err(|error| format!("wasm-bindgen: {error:#}"))?;

        let wasm = read(&staging.join(format!("{}_bg.wasm", bundle.name)))?;
        let js = read(&staging.join(format!("{}.js", bundle.name)))?;
        let app_hash = short_hash(&[&wasm, &js]);
        let wasm_name = format!("{}-{app_hash}_bg.wasm", bundle.name);
        let js_name = format!("{}-{app_hash}.js", bundle.name);
        let boot = boot_js(&js_name, &wasm_name);
        let boot_name = format!("boot-{}.js", short_hash(&[boot.as_bytes()]));
        write(&dist.join(&wasm_name), &wasm)?;
        write(&dist.join(&js_name), &js)?;
        write(&dist.join(&boot_name), boot.as_bytes())?;
        write(
            &dist.join(bundle.page),
            index_html(&boot_name, &js_name, &wasm_name, &css_name).as_bytes(),
        )?;
        // JS snippets of dependencies (`inline_js`), imported relative to the glue.
        let snippets = staging.join("snippets");
        if snippets.is_dir() {
            copy_dir(&snippets, &dist.join("snippets"))?;
        }
        remove_dir(&staging)?;

        let gzip = gzip_size(&wasm)?;
        println!(
            "xtask: {} built into {}\n  {wasm_name}: {} raw ({} gzip); cargo output {}\n  {js_name}: {}",
            bundle.page,
            dist.display(),
            kib(wasm.len() as u64),
            kib(gzip),
            kib(cargo_size),
            kib(js.len() as u64),
        );
    }
    Ok(dist)
}

/// A bundle of the client: its cargo binary, its files' name, its page.
pub(crate) struct Bundle {
    binary: &'static str,
    pub(crate) name: &'static str,
    page: &'static str,
}

/// The main app, and the Analytics page, which only those who open it
/// download.
pub(crate) const BUNDLES: [Bundle; 2] = [
    Bundle {
        binary: CLIENT_PACKAGE,
        name: "lejek",
        page: "index.html",
    },
    Bundle {
        binary: "lejek-analytics",
        name: "analytics",
        page: "analytics.html",
    },
];

/// Adds the WASM target when rustup is there and lacks it (nothing to do
/// on machines where the toolchain file already brought it).
fn ensure_wasm_target() {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|output| {
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .any(|line| line.trim() == WASM_TARGET)
        });
    if let Ok(false) = installed {
        step(&format!("rustup target add {WASM_TARGET}"));
        let _ = Command::new("rustup")
            .args(["target", "add", WASM_TARGET])
            .status();
    }
}

/// The page that loads the app: absolute asset paths (the app has deep
/// links such as `/cases/12`), the WASM fetched in parallel with the JS.
/// No inline script: the server's Content-Security-Policy allows only
/// scripts of its own origin, so the boot code is a file of its own.
fn index_html(boot: &str, js: &str, wasm: &str, css: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="pl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Lejek</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Cpath d='M1 2h14l-5 6v6l-4-2V8z' fill='%232456d6'/%3E%3C/svg%3E">
<link rel="stylesheet" href="/{css}">
<link rel="modulepreload" href="/{js}">
<link rel="preload" href="/{wasm}" as="fetch" type="application/wasm" crossorigin>
<script type="module" src="/{boot}"></script>
</head>
<body>
<noscript>Lejek wymaga JavaScriptu. Lejek needs JavaScript.</noscript>
<div class="boot" id="boot" aria-busy="true"><div class="spinner"></div></div>
</body>
</html>
"#
    )
}

/// Starts the app and takes the loading spinner away once it runs.
fn boot_js(js: &str, wasm: &str) -> String {
    format!(
        r#"import init from "/{js}";
init({{ module_or_path: "/{wasm}" }}).then(() => document.getElementById("boot")?.remove());
"#
    )
}

fn short_hash(parts: &[&[u8]]) -> String {
    let mut crc = flate2::Crc::new();
    for part in parts {
        crc.update(part);
    }
    format!("{:08x}", crc.sum())
}

pub(crate) fn gzip_size(bytes: &[u8]) -> Result<u64, String> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map(|compressed| compressed.len() as u64)
        .map_err(|error| format!("gzip: {error}"))
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

pub(crate) fn file_size(path: &Path) -> Result<u64, String> {
    fs::metadata(path)
        .map(|meta| meta.len())
        .map_err(|error| format!("cannot read {}: {error}", path.display()))
}

pub(crate) fn read(path: &Path) -> Result<Vec<u8>, String> {
    fs::read(path).map_err(|error| format!("cannot read {}: {error}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    fs::write(path, bytes).map_err(|error| format!("cannot write {}: {error}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|error| format!("cannot create {}: {error}", to.display()))?;
    let entries = fs::read_dir(from).map_err(|error| format!("cannot read {}: {error}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|error| format!("cannot read {}: {error}", from.display()))?;
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            write(&target, &read(&path)?)?;
        }
    }
    Ok(())
}

pub(crate) fn remove_dir(path: &Path) -> Result<(), String> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(format!("cannot remove {}: {error}", path.display())),
    }
}

fn check_domain_dependencies() -> Result<(), String> {
    step("domain dependency check");
    let output = Command::new(env_cargo())
        .args([
            "tree",
            "--package",
            "lejek-domain",
            "--edges",
            "normal",
            "--prefix",
            "none",
        ])
        .output()
        .map_err(|error| format!("cannot run cargo tree: {error}"))?;
    if !output.status.success() {
        return Err("cargo tree failed".to_owned());
    }
    let tree = String::from_utf8_lossy(&output.stdout);
    let offending: Vec<&str> = tree
        .lines()
        .filter(|line| FORBIDDEN_IN_DOMAIN.iter().any(|name| line.starts_with(name)))
        .collect();
    if offending.is_empty() {
        Ok(())
    } else {
        Err(format!("lejek-domain depends on framework crates: {offending:?}"))
    }
}

pub(crate) fn cargo(args: &[&str]) -> Result<(), String> {
    step(&format!("cargo {}", args.join(" ")));
    let status = Command::new(env_cargo())
        .args(args)
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed", args.join(" ")))
    }
}

fn env_cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

pub(crate) fn step(name: &str) {
    println!("\n==> {name}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_has_no_inline_script_and_loads_the_boot_file() {
        let page = index_html("boot-1.js", "lejek-2.js", "lejek-2_bg.wasm", "style-3.css");
        let scripts: Vec<&str> = page.split("<script").skip(1).collect();
        assert_eq!(scripts.len(), 1, "{page}");
        assert!(
            scripts[0].starts_with(r#" type="module" src="/boot-1.js"></script>"#),
            "{page}"
        );
        assert!(!page.contains("style="), "no inline style: {page}");
        let boot = boot_js("lejek-2.js", "lejek-2_bg.wasm");
        assert!(boot.contains(r#"from "/lejek-2.js""#) && boot.contains(r#""/lejek-2_bg.wasm""#));
    }
}
