//! E-mail intake over HTTP: a gateway's message becomes one lead, a reply a
//! note on its case, machine mail and a sender's loop nothing; the admin's
//! settings route the leads and can switch intake off.

use lejek_tests::{TestApp, both};
use reqwest::Method;
use serde_json::{Value, json};

both!(
    mail_from_a_gateway_becomes_one_lead_and_replies_become_notes,
    machine_mail_and_a_senders_loop_create_nothing,
    the_settings_route_mail_leads_and_switch_intake_off,
);

pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/intake/mail/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

pub(crate) fn message(from: &str, message_id: &str, subject: &str, text: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: sprzedaz@lejek.test\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n\
         Content-Type: text/plain; charset=UTF-8\r\n\r\n{text}\r\n"
    )
    .into_bytes()
}

async fn deliver_as(app: &TestApp, token: &str, raw: Vec<u8>, content_type: &str) -> lejek_tests::Reply {
    app.send(
        app.request(Method::POST, "/inbound/email", Some(token))
            .header("content-type", content_type)
            .body(raw),
    )
    .await
}

async fn deliver(app: &TestApp, key: &str, raw: Vec<u8>) -> lejek_tests::Reply {
    deliver_as(app, key, raw, "message/rfc822").await
}

/// A new API key limited to delivering mail.
async fn intake_key(app: &TestApp) -> String {
    let created = app
        .post_json(
            "/api-keys",
            &app.admin.token,
            &json!({ "name": "Bramka pocztowa", "role": "agent", "scope": "intake" }),
        )
        .await
        .json(201);
    assert_eq!(created["key"]["scope"], "intake");
    created["secret"].as_str().unwrap().to_owned()
}

async fn notes(app: &TestApp, case_id: i64) -> Vec<String> {
    app.get(&format!("/cases/{case_id}/notes"), &app.admin.token)
        .await
        .json(200)
        .as_array()
        .unwrap()
        .iter()
        .map(|note| note["body"].as_str().unwrap().to_owned())
        .collect()
}

async fn case_total(app: &TestApp) -> u64 {
    app.counts(&app.admin.token, "").await["all"].as_u64().unwrap()
}

async fn mail_from_a_gateway_becomes_one_lead_and_replies_become_notes(app: &TestApp) {
    let key = intake_key(app).await;
    // The key delivers mail and nothing else; people other than admins deliver none.
    app.get("/cases", &key).await.problem(403, "forbidden");
    deliver(app, &app.agent.token, fixture("iso-8859-2-quoted-printable.eml"))
        .await
        .problem(403, "forbidden");

    let filed = deliver(app, &key, fixture("iso-8859-2-quoted-printable.eml"))
        .await
        .json(201);
    assert_eq!(filed["outcome"], "created");
    assert_eq!(filed["channel"], "http");
    assert_eq!(filed["duplicate"], false);
    assert_eq!(filed["message_id"], "20261207091200.4711@fabryka-lozysk.pl");
    assert_eq!(filed["sender"], "g.brzeczyszczykiewicz@fabryka-lozysk.pl");
    let case_id = filed["case_id"].as_i64().unwrap();
    let (card, _) = app.case(&app.admin.token, case_id).await;
    assert_eq!(card["subject"], "Zapytanie o ofertę - łożyska");
    assert_eq!(card["source"], "email");
    assert_eq!(card["status"], "awaiting_pickup");
    assert_eq!(card["owner"], Value::Null);
    assert_eq!(card["contact"]["name"], "Grzegorz Brzęczyszczykiewicz");
    assert_eq!(card["email"], "g.brzeczyszczykiewicz@fabryka-lozysk.pl");
    assert_eq!(card["intake"]["channel"], "email");
    assert_eq!(card["intake"]["inbound_mail_id"], filed["id"]);
    assert_eq!(filed["case_number"], card["number"]);
    let first = notes(app, case_id).await;
    assert_eq!(first.len(), 1);
    assert!(first[0].contains("Zażółć gęślą jaźń."), "{}", first[0]);

    // The same message again (a gateway's retry) changes nothing.
    let again = deliver(app, &key, fixture("iso-8859-2-quoted-printable.eml"))
        .await
        .json(200);
    assert_eq!(again["duplicate"], true);
    assert_eq!(again["case_id"], case_id);
    assert_eq!(case_total(app).await, 1);

    // A reply by In-Reply-To, and one quoting the case tag, are notes on it.
    let reply = deliver(app, &key, fixture("reply.eml")).await.json(200);
    assert_eq!(reply["outcome"], "reply");
    assert_eq!(reply["case_id"], case_id);
    let number = card["number"].as_i64().unwrap();
    let tagged = message(
        "Kierownik Zakupow <zakupy@fabryka-lozysk.pl>",
        "tag-1@fabryka-lozysk.pl",
        &format!("Re: Oferta [#{number}]"),
        "Akceptujemy warunki.",
    );
    assert_eq!(deliver(app, &key, tagged).await.json(200)["outcome"], "reply");
    let threaded = notes(app, case_id).await;
    assert_eq!(threaded.len(), 3, "{threaded:?}");
    assert!(threaded.iter().any(|note| note.contains("odroczonym terminem")));
    assert!(threaded.iter().any(|note| note.contains("Akceptujemy warunki.")));
    assert_eq!(case_total(app).await, 1);

    // HTML only, and multipart with attachments.
    let html = deliver(app, &key, fixture("html-only.eml")).await.json(201);
    let html_notes = notes(app, html["case_id"].as_i64().unwrap()).await;
    assert!(html_notes[0].contains("abonament roczny"), "{}", html_notes[0]);
    assert!(!html_notes[0].contains("<p>"));
    let multipart = deliver(app, &key, fixture("multipart-with-attachments.eml"))
        .await
        .json(201);
    let multipart_notes = notes(app, multipart["case_id"].as_i64().unwrap()).await;
    assert!(multipart_notes[0].contains("Prosimy o ofertę do piątku."));
    assert!(multipart_notes[0].contains("specyfikacja.pdf, ilosci.csv"));

    // What is not a message, not sent as one, or too large.
    deliver(app, &key, b"\r\n\r\n".to_vec())
        .await
        .problem_on(422, "not_an_email", "message", "not_an_email");
    deliver_as(app, &key, fixture("html-only.eml"), "application/json")
        .await
        .problem(415, "unsupported_media_type");
    deliver(app, &key, vec![b'a'; 25 * 1024 * 1024 + 1])
        .await
        .problem(413, "payload_too_large");
    assert_eq!(case_total(app).await, 3);

    let log = app
        .get("/inbound/email/messages", &app.admin.token)
        .await
        .json(200);
    let outcomes: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|mail| mail["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["created", "created", "reply", "reply", "created"]);
    app.get("/inbound/email/messages", &app.manager.token)
        .await
        .problem(403, "forbidden");
}

async fn machine_mail_and_a_senders_loop_create_nothing(app: &TestApp) {
    let admin = &app.admin.token;
    for (name, detail) in [
        ("auto-reply.eml", "auto_submitted"),
        ("bounce.eml", "bounce"),
        ("mailing-list.eml", "bulk"),
    ] {
        let filed = deliver(app, admin, fixture(name)).await.json(200);
        assert_eq!(filed["outcome"], "automatic", "{name}");
        assert_eq!(filed["detail"], detail, "{name}");
        assert_eq!(filed["case_id"], Value::Null, "{name}");
    }
    assert_eq!(case_total(app).await, 0);

    // A robot answering every message with a new one: the 21st in two
    // hours is held back.
    for n in 0..21 {
        let filed = deliver(
            app,
            admin,
            message(
                "robot@petla.example",
                &format!("loop-{n}@petla.example"),
                &format!("Zamówienie {n}"),
                "Potwierdzamy.",
            ),
        )
        .await;
        if n < 20 {
            assert_eq!(filed.json(201)["outcome"], "created");
        } else {
            let held = filed.json(200);
            assert_eq!(held["outcome"], "loop");
            assert_eq!(held["case_id"], Value::Null);
        }
    }
    assert_eq!(case_total(app).await, 20);
    // Another sender is not held back by that one's loop.
    let other = message(
        "klient@firma.example",
        "other-1@firma.example",
        "Pytanie",
        "Dzień dobry",
    );
    assert_eq!(deliver(app, admin, other).await.json(201)["outcome"], "created");
}

async fn the_settings_route_mail_leads_and_switch_intake_off(app: &TestApp) {
    let admin = &app.admin.token;
    let defaults = app.get("/inbound/email/settings", admin).await.json(200);
    assert_eq!(defaults["active"], true);
    assert_eq!(defaults["assignment"], "unassigned");
    assert_eq!(defaults["updated_by"], Value::Null);
    assert_eq!(defaults["imap"], Value::Null);
    assert_eq!(
        defaults["delivery_url"],
        format!("{}/api/v1/inbound/email", app.address)
    );
    app.get("/inbound/email/settings", &app.agent.token)
        .await
        .problem(403, "forbidden");
    app.put_json(
        "/inbound/email/settings",
        admin,
        &json!({ "assignment": "round_robin", "agents": [] }),
    )
    .await
    .problem_on(422, "required", "agents", "required");
    app.put_json(
        "/inbound/email/settings",
        admin,
        &json!({ "assignment": "round_robin", "agents": [999_999] }),
    )
    .await
    .problem_on(422, "unknown_reference", "agents", "unknown_reference");

    let saved = app
        .put_json(
            "/inbound/email/settings",
            admin,
            &json!({
                "assignment": "round_robin",
                "agents": [app.agent.id, app.other_agent.id],
                "close_in_days": 7
            }),
        )
        .await
        .json(200);
    assert_eq!(saved["agents"][1]["id"], app.other_agent.id);
    assert_eq!(saved["updated_by"]["id"], app.admin.id);
    let mut owners = Vec::new();
    for n in 0..2 {
        let raw = message(
            &format!("klient{n}@firma.example"),
            &format!("rr-{n}@firma.example"),
            "Oferta",
            "Prosimy o kontakt.",
        );
        let filed = deliver(app, admin, raw).await.json(201);
        let (card, _) = app
            .case(&app.admin.token, filed["case_id"].as_i64().unwrap())
            .await;
        assert_eq!(
            card["expected_close_date"],
            (lejek_tests::today() + chrono::Duration::days(7)).to_string()
        );
        owners.push(card["owner"]["id"].as_i64().unwrap());
    }
    assert_eq!(owners, [app.agent.id, app.other_agent.id]);
    // Each salesperson sees the lead that came to them, not the other's.
    assert_eq!(app.case_ids(&app.agent.token, "").await.len(), 1);

    app.put_json(
        "/inbound/email/settings",
        admin,
        &json!({ "active": false, "agents": [] }),
    )
    .await
    .json(200);
    let refused = message("klient@firma.example", "off-1@firma.example", "Oferta", "Halo");
    deliver(app, admin, refused.clone())
        .await
        .problem(409, "conflict");
    assert_eq!(case_total(app).await, 2);
    app.put_json("/inbound/email/settings", admin, &json!({ "agents": [] }))
        .await
        .json(200);
    // Delivered again once intake is on, it is filed.
    assert_eq!(deliver(app, admin, refused).await.json(201)["outcome"], "created");
}
