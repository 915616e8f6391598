//! IMAP polling against a real server (Dovecot): unread mail is filed and
//! marked read, mail arriving later is filed on the next poll, mail that
//! cannot be filed now stays unread, and IMAPS verifies the server.

use std::time::{Duration, Instant};

use lejek_tests::imap_server::{IMAP_PASSWORD, IMAP_USER, ImapServer};
use lejek_tests::{Backend, TestApp, try_spawn_app_with};
use serde_json::{Value, json};

use super::mail::{fixture, message};

async fn polling(backend: Backend, server: &ImapServer, host: &str, tls: bool) -> Option<TestApp> {
    let port = server.port;
    let ca_file = server.ca_file.clone();
    try_spawn_app_with(backend, |settings| {
        settings.imap_host = Some(host.to_owned());
        settings.imap_port = port;
        settings.imap_tls = tls;
        settings.imap_ca_file = ca_file;
        settings.imap_user = Some(IMAP_USER.to_owned());
        settings.imap_password = Some(IMAP_PASSWORD.to_owned().into());
        settings.imap_poll_seconds = 1;
    })
    .await
}

/// The messages filed, oldest first, once there are `count`.
async fn filed(app: &TestApp, server: &ImapServer, count: usize) -> Vec<Value> {
    let started = Instant::now();
    loop {
        let log = app
            .get("/inbound/email/messages", &app.admin.token)
            .await
            .json(200);
        let mut messages = log.as_array().unwrap().clone();
        if messages.len() >= count {
            messages.reverse();
            return messages;
        }
        let status = app
            .get("/inbound/email/settings", &app.admin.token)
            .await
            .json(200);
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{} of {count} messages filed after 30 s; polling: {}; dovecot: {}",
            messages.len(),
            status["imap"],
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn unread_mail_is_filed_and_marked_read(backend: Backend) {
    let server = ImapServer::start(false);
    server.deliver("lead", &fixture("iso-8859-2-quoted-printable.eml"));
    server.deliver("vacation", &fixture("auto-reply.eml"));
    let Some(app) = polling(backend, &server, "127.0.0.1", false).await else {
        return;
    };
    let mut outcomes: Vec<String> = filed(&app, &server, 2)
        .await
        .iter()
        .map(|mail| mail["outcome"].as_str().unwrap().to_owned())
        .collect();
    outcomes.sort();
    assert_eq!(outcomes, ["automatic", "created"]);
    server.deliver("reply", &fixture("reply.eml"));
    let messages = filed(&app, &server, 3).await;
    assert!(messages.iter().all(|mail| mail["channel"] == "imap"));
    assert_eq!(messages[2]["outcome"], "reply");
    let lead = messages.iter().find(|mail| mail["outcome"] == "created").unwrap();
    assert_eq!(messages[2]["case_id"], lead["case_id"]);
    assert_eq!(server.read_messages(), 3);
    let status = app
        .get("/inbound/email/settings", &app.admin.token)
        .await
        .json(200)["imap"]
        .clone();
    assert_eq!(status["host"], "127.0.0.1");
    assert_eq!(status["user"], IMAP_USER);
    assert_eq!(status["mailbox"], "INBOX");
    assert_eq!(status["last_error"], Value::Null);
    assert!(status["last_poll_at"].is_string());

    // Mail arriving while it runs is filed on the next poll.
    server.deliver(
        "later",
        &message(
            "nowy@klient.example",
            "later-1@klient.example",
            "Oferta",
            "Dzień dobry",
        ),
    );
    let messages = filed(&app, &server, 4).await;
    assert_eq!(messages[3]["outcome"], "created");
    assert_eq!(
        app.get("/inbound/email/settings", &app.admin.token)
            .await
            .json(200)["imap"]["filed"],
        4
    );

    // Switched off, mail waits unread in the mailbox, and is filed once on.
    app.put_json(
        "/inbound/email/settings",
        &app.admin.token,
        &json!({ "active": false, "agents": [] }),
    )
    .await
    .json(200);
    server.deliver(
        "waiting",
        &message("czeka@klient.example", "wait-1@klient.example", "Pytanie", "Halo"),
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(server.read_messages(), 4);
    assert_eq!(filed(&app, &server, 4).await.len(), 4);
    app.put_json(
        "/inbound/email/settings",
        &app.admin.token,
        &json!({ "agents": [] }),
    )
    .await
    .json(200);
    assert_eq!(filed(&app, &server, 5).await[4]["sender"], "czeka@klient.example");
    assert_eq!(server.read_messages(), 5);
    app.stop().await;
}

#[tokio::test]
async fn imap_mail_is_filed_and_marked_read_on_sqlite() {
    unread_mail_is_filed_and_marked_read(Backend::Sqlite).await;
}

#[tokio::test]
async fn imap_mail_is_filed_and_marked_read_on_postgres() {
    unread_mail_is_filed_and_marked_read(Backend::Postgres).await;
}

#[tokio::test]
async fn imaps_verifies_the_server_against_the_configured_ca() {
    let server = ImapServer::start(true);
    server.deliver("lead", &fixture("html-only.eml"));
    let app = polling(Backend::Sqlite, &server, "localhost", true)
        .await
        .unwrap();
    assert_eq!(filed(&app, &server, 1).await[0]["outcome"], "created");
    app.stop().await;

    // Without the CA the certificate is not trusted: nothing is filed and
    // the admin is told why.
    let untrusted = ImapServer::start(true);
    untrusted.deliver("lead", &fixture("html-only.eml"));
    let port = untrusted.port;
    let app = try_spawn_app_with(Backend::Sqlite, |settings| {
        settings.imap_host = Some("localhost".to_owned());
        settings.imap_port = port;
        settings.imap_user = Some(IMAP_USER.to_owned());
        settings.imap_password = Some(IMAP_PASSWORD.to_owned().into());
        settings.imap_poll_seconds = 1;
    })
    .await
    .unwrap();
    let started = Instant::now();
    let error = loop {
        let status = app
            .get("/inbound/email/settings", &app.admin.token)
            .await
            .json(200)["imap"]
            .clone();
        if let Some(error) = status["last_error"].as_str() {
            break error.to_owned();
        }
        assert!(started.elapsed() < Duration::from_secs(30), "no poll failed");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(error.contains("certificate"), "{error}");
    assert_eq!(untrusted.read_messages(), 0);
    app.stop().await;
}
