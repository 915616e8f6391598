//! The `lejek` binary as an operator runs it: migrate, demo, and bad
//! configuration refused with a message naming the setting.

use std::path::Path;
use std::process::{Command, Output};

fn lejek(data_dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lejek"));
    command
        .args(args)
        .env("LEJEK_DATA_DIR", data_dir)
        .env("LEJEK_DATABASE_URL", "")
        .env("LEJEK_JWT_SECRET", "a-test-secret-of-at-least-thirty-two-chars")
        .env("LEJEK_LOG", "warn")
        .env_remove("LEJEK_CONFIG");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("the lejek binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn migrate_creates_the_sqlite_database_and_demo_fills_it() {
    let dir = tempfile::tempdir().unwrap();
    let migrated = lejek(dir.path(), &["migrate"], &[]);
    assert!(migrated.status.success(), "{}", text(&migrated.stderr));
    assert!(text(&migrated.stdout).contains("migrations applied"));
    assert!(dir.path().join("lejek.db").exists());

    let demo = lejek(dir.path(), &["demo", "--cases", "40", "--seed", "7"], &[]);
    assert!(demo.status.success(), "{}", text(&demo.stderr));
    let out = text(&demo.stdout);
    assert!(out.starts_with("demo: 40 cases"), "{out}");
    assert!(out.contains("dyrektor@lejek.demo"), "{out}");
}

#[test]
fn bad_configuration_is_refused_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let refused = lejek(dir.path(), &["migrate"], &[("LEJEK_ACCESS_TOKEN_MINUTES", "90")]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("access_token_minutes"),
        "{}",
        text(&refused.stderr)
    );

    let short = lejek(dir.path(), &["migrate"], &[("LEJEK_JWT_SECRET", "short")]);
    assert_eq!(short.status.code(), Some(1));
    assert!(
        text(&short.stderr).contains("jwt_secret"),
        "{}",
        text(&short.stderr)
    );

    let guessable = lejek(dir.path(), &["migrate"], &[("LEJEK_METRICS_TOKEN", "metrics")]);
    assert_eq!(guessable.status.code(), Some(1));
    assert!(
        text(&guessable.stderr).contains("metrics_token"),
        "{}",
        text(&guessable.stderr)
    );
    // An empty one, as compose passes an unset variable, leaves metrics off.
    let empty = lejek(dir.path(), &["migrate"], &[("LEJEK_METRICS_TOKEN", "")]);
    assert!(empty.status.success(), "{}", text(&empty.stderr));
    // The IMAP variables as compose passes them when unset: no polling.
    let unset_imap = [
        ("LEJEK_IMAP_HOST", ""),
        ("LEJEK_IMAP_PORT", "993"),
        ("LEJEK_IMAP_USER", ""),
        ("LEJEK_IMAP_PASSWORD", ""),
        ("LEJEK_IMAP_MAILBOX", "INBOX"),
    ];
    let no_imap = lejek(dir.path(), &["migrate"], &unset_imap);
    assert!(no_imap.status.success(), "{}", text(&no_imap.stderr));
    // A host with an empty password is a mistake, named.
    let no_password = lejek(
        dir.path(),
        &["migrate"],
        &[
            ("LEJEK_IMAP_HOST", "imap.example.com"),
            ("LEJEK_IMAP_USER", "sprzedaz"),
            ("LEJEK_IMAP_PASSWORD", ""),
        ],
    );
    assert_eq!(no_password.status.code(), Some(1));
    assert!(
        text(&no_password.stderr).contains("imap_password"),
        "{}",
        text(&no_password.stderr)
    );

    let format = lejek(dir.path(), &["migrate"], &[("LEJEK_LOG_FORMAT", "xml")]);
    assert_eq!(format.status.code(), Some(1));
    assert!(
        text(&format.stderr).contains("LEJEK_LOG_FORMAT"),
        "{}",
        text(&format.stderr)
    );
}

#[test]
fn backup_on_postgresql_points_to_pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    // Refused before connecting: nothing listens at this address.
    let refused = lejek(
        dir.path(),
        &["backup", &dir.path().join("copy.db").display().to_string()],
        &[("LEJEK_DATABASE_URL", "postgres://lejek@127.0.0.1:9/lejek")],
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("pg_dump"),
        "{}",
        text(&refused.stderr)
    );
}

#[test]
fn an_unknown_command_prints_the_usage() {
    let dir = tempfile::tempdir().unwrap();
    let unknown = lejek(dir.path(), &["frobnicate"], &[]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr).contains("Usage"),
        "{}",
        text(&unknown.stderr)
    );
}

fn intake_mail(data_dir: &Path, raw: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_lejek"))
        .arg("intake-mail")
        .env("LEJEK_DATA_DIR", data_dir)
        .env("LEJEK_DATABASE_URL", "")
        .env("LEJEK_JWT_SECRET", "a-test-secret-of-at-least-thirty-two-chars")
        .env("LEJEK_LOG", "warn")
        .env_remove("LEJEK_CONFIG")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the lejek binary runs");
    child.stdin.take().unwrap().write_all(raw).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn intake_mail_files_a_message_from_standard_input_with_sysexits_codes() {
    let raw = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/intake/mail/iso-8859-2-quoted-printable.eml"
    ))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    assert!(lejek(dir.path(), &["migrate"], &[]).status.success());
    // No admin yet to file it as: Postfix should try again later.
    let early = intake_mail(dir.path(), &raw);
    assert_eq!(early.status.code(), Some(75), "{}", text(&early.stderr));

    assert!(lejek(dir.path(), &["demo", "--cases", "5"], &[]).status.success());
    let filed = intake_mail(dir.path(), &raw);
    assert!(filed.status.success(), "{}", text(&filed.stderr));
    let receipt: serde_json::Value = serde_json::from_slice(&filed.stdout).unwrap();
    assert_eq!(receipt["outcome"], "created");
    assert_eq!(receipt["channel"], "stdin");
    assert_eq!(receipt["duplicate"], false);
    assert!(receipt["case_id"].is_i64());

    let again = intake_mail(dir.path(), &raw);
    assert!(again.status.success());
    let repeated: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(repeated["duplicate"], true);
    assert_eq!(repeated["case_id"], receipt["case_id"]);

    // What is not a message can never be filed.
    let garbage = intake_mail(dir.path(), b"\r\n\r\n");
    assert_eq!(garbage.status.code(), Some(65));
    assert!(
        text(&garbage.stderr).contains("not_an_email"),
        "{}",
        text(&garbage.stderr)
    );
}
