//! `cargo xtask <task>`: the project's chores, each one command.

use std::process::{Command, ExitCode};

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

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  test    the whole suite: fmt check, clippy -D warnings, every test,
          the domain crate's WASM build and dependency check";

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    let result = match task.as_deref() {
        Some("test") => test(),
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
    println!("xtask: all checks passed");
    Ok(())
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

fn cargo(args: &[&str]) -> Result<(), String> {
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

fn step(name: &str) {
    println!("\n==> {name}");
}
