//! Creating cases: required fields, owners, contacts, `Location` and
//! `ETag`, idempotent retries; and editing their details.

use lejek_tests::{TestApp, both, case_body, in_days, unique};
use reqwest::Method;
use serde_json::{Value, json};

both!(
    concurrent_creates_all_succeed_with_gapless_numbers,
    a_new_case_names_every_missing_or_invalid_field,
    an_agents_case_is_their_own_and_a_manager_picks_any_owner,
    a_case_takes_an_existing_contact_or_reuses_one_with_the_same_email,
    a_retried_create_with_the_same_idempotency_key_creates_nothing,
    patching_a_case_keeps_missing_fields_and_clears_nulls,
);

fn with(mut body: Value, key: &str, value: Value) -> Value {
    body[key] = value;
    body
}

async fn total_cases(app: &TestApp) -> u64 {
    let funnel = app.counts(&app.admin.token, "").await["all"].as_u64().unwrap();
    let spam = app.counts(&app.admin.token, "spam=true").await["all"]
        .as_u64()
        .unwrap();
    funnel + spam
}

async fn concurrent_creates_all_succeed_with_gapless_numbers(app: &TestApp) {
    // Every create reads (the contact, the owner) before it writes; on
    // SQLite that must wait for the write lock, not fail.
    let shared = case_body("Wspólny kontakt");
    let tokens = [
        &app.agent.token,
        &app.other_agent.token,
        &app.manager.token,
        &app.admin.token,
    ];
    let replies = futures_util::future::join_all((0..12).map(|n| {
        let body = if n % 3 == 0 {
            shared.clone()
        } else {
            case_body(&format!("Równoległa {n}"))
        };
        let token = tokens[n % tokens.len()];
        async move { app.post_json("/cases", token, &body).await }
    }))
    .await;
    let mut numbers: Vec<i64> = replies
        .into_iter()
        .map(|reply| reply.json(201)["number"].as_i64().unwrap())
        .collect();
    numbers.sort_unstable();
    let first = numbers[0];
    assert_eq!(numbers, (first..first + 12).collect::<Vec<_>>());
    // The four with the same e-mail share one contact.
    let contacts = app.list_all("/contacts", &app.admin.token, "").await;
    assert_eq!(contacts.len(), 9, "{contacts:?}");
}

async fn a_new_case_names_every_missing_or_invalid_field(app: &TestApp) {
    let agent = &app.agent.token;
    let empty = app.post_json("/cases", agent, &json!({})).await;
    empty.problem(422, "validation_failed");
    let mut errors = empty.field_errors();
    errors.sort();
    assert_eq!(
        errors,
        [
            ("contact", "required"),
            ("expected_close_date", "required"),
            ("source", "required"),
            ("subject", "required"),
        ]
        .map(|(f, c)| (f.to_owned(), c.to_owned()))
    );

    let valid = case_body("Poprawna");
    let contact = valid["contact"].clone();
    let cases = [
        (with(valid.clone(), "subject", json!("   ")), "subject", "blank"),
        (
            with(valid.clone(), "subject", json!("x".repeat(201))),
            "subject",
            "too_long",
        ),
        (
            with(valid.clone(), "contact", json!({})),
            "contact.name",
            "required",
        ),
        (
            with(valid.clone(), "contact", json!({"name": " "})),
            "contact.name",
            "blank",
        ),
        (
            with(
                valid.clone(),
                "contact",
                with(contact.clone(), "email", json!("jan@")),
            ),
            "contact.email",
            "invalid_email",
        ),
        (
            with(
                valid.clone(),
                "contact",
                with(contact.clone(), "phone", json!("12-34")),
            ),
            "contact.phone",
            "invalid_phone",
        ),
        (
            with(valid.clone(), "contact_id", json!(1)),
            "contact",
            "contact_ambiguous",
        ),
        (
            with(valid.clone(), "currency", json!("eur")),
            "currency",
            "invalid_currency",
        ),
        (with(valid.clone(), "value", json!(-5)), "value", "invalid_amount"),
        (
            with(valid.clone(), "value", json!(10.005)),
            "value",
            "invalid_amount",
        ),
        (
            with(
                with(valid.clone(), "contact", Value::Null),
                "contact_id",
                json!(987_654),
            ),
            "contact_id",
            "unknown_reference",
        ),
        (
            with(valid.clone(), "qualifier", json!(987_654)),
            "qualifier",
            "unknown_reference",
        ),
    ];
    for (body, field, code) in cases {
        let reply = app.post_json("/cases", agent, &body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        reply.invalid(field, code);
    }
    // Values of the wrong type are named by the JSON layer.
    for (body, field) in [
        (with(valid.clone(), "source", json!("fax")), "source"),
        (
            with(valid.clone(), "expected_close_date", json!("31.12.2026")),
            "expected_close_date",
        ),
        (with(valid.clone(), "subject", json!(42)), "subject"),
        (with(valid.clone(), "owner_id", json!("me")), "owner_id"),
    ] {
        app.post_json("/cases", agent, &body).await.problem_on(
            422,
            "validation_failed",
            field,
            "invalid_type",
        );
    }
    assert_eq!(total_cases(app).await, 0, "a refused create left a case behind");
}

async fn an_agents_case_is_their_own_and_a_manager_picks_any_owner(app: &TestApp) {
    let agent = &app.agent.token;
    let body = with(
        with(case_body("Nowa szansa"), "value", json!(12500.5)),
        "currency",
        json!("EUR"),
    );
    let reply = app.post_json("/cases", agent, &body).await.expect(201);
    let case = reply.json.clone();
    let id = case["id"].as_i64().unwrap();
    assert_eq!(reply.header("location"), Some(&*format!("/api/v1/cases/{id}")));
    assert_eq!(reply.etag(), "\"1\"");
    assert_eq!(case["owner"], json!({"id": app.agent.id, "name": "Anna Agentka"}));
    assert_eq!(
        case["created_by"],
        json!({"id": app.agent.id, "name": "Anna Agentka"})
    );
    assert_eq!(case["status"], "awaiting_pickup");
    assert!(case["stage"].is_null() && case["follow_up_at"].is_null() && case["closed_at"].is_null());
    assert_eq!(case["campaign"], json!({"id": app.funnel_id, "kind": "funnel"}));
    assert_eq!(
        (case["value"].as_f64(), case["currency"].as_str()),
        (Some(12500.5), Some("EUR"))
    );
    assert_eq!(case["version"], 1);
    assert_eq!(case["subject"], "Nowa szansa");
    assert_eq!(case["source"], "phone");
    assert_eq!(case["expected_close_date"], "2026-12-31");
    assert_eq!(case["contact"]["name"], body["contact"]["name"]);
    assert_eq!(case["company"], "Firma Testowa Sp. z o.o.");
    assert_eq!(case["email"], body["contact"]["email"]);
    assert_eq!(case["phone"], "+48 601 234 567");
    // The Location answers the same card.
    let location = app.get(&format!("/cases/{id}"), agent).await.json(200);
    assert_eq!(location, case);

    // An agent cannot create for somebody else, or for nobody.
    app.post_json(
        "/cases",
        agent,
        &with(case_body("Dla Olgi"), "owner_id", json!(app.other_agent.id)),
    )
    .await
    .invalid("owner_id", "owner_must_be_self");
    let own = app
        .create_case(
            agent,
            &with(case_body("Dla siebie"), "owner_id", json!(app.agent.id)),
        )
        .await;
    assert_eq!(own["owner"]["id"], app.agent.id);
    assert_eq!(own["number"].as_i64(), case["number"].as_i64().map(|n| n + 1));

    // A manager may set any owner, or none.
    let manager = &app.manager.token;
    let assigned = app
        .create_case(
            manager,
            &with(case_body("Dla Olgi"), "owner_id", json!(app.other_agent.id)),
        )
        .await;
    assert_eq!(
        assigned["owner"],
        json!({"id": app.other_agent.id, "name": "Olga Obca"})
    );
    assert_eq!(assigned["created_by"]["id"], app.manager.id);
    let unassigned = app.create_case(manager, &case_body("Bez właściciela")).await;
    assert!(unassigned["owner"].is_null(), "{unassigned}");
    app.post_json(
        "/cases",
        manager,
        &with(case_body("Dla nikogo"), "owner_id", json!(987_654)),
    )
    .await
    .invalid("owner_id", "unknown_reference");

    // Case numbers are sequential, with no gap left by refusals.
    let next = app.create_case(&app.admin.token, &case_body("Kolejna")).await;
    assert_eq!(next["number"].as_i64(), case["number"].as_i64().map(|n| n + 4));
}

async fn a_case_takes_an_existing_contact_or_reuses_one_with_the_same_email(app: &TestApp) {
    let agent = &app.agent.token;
    let first_body = case_body("Pierwsza");
    let first = app.create_case(agent, &first_body).await;
    let contact_id = first["contact"]["id"].as_i64().unwrap();

    // The same e-mail, written differently, links the existing contact.
    let email = first_body["contact"]["email"].as_str().unwrap().to_uppercase();
    let second = app
        .create_case(
            agent,
            &json!({
                "subject": "Druga",
                "source": "email",
                "expected_close_date": "2027-01-15",
                "contact": {"name": "Ktoś Inny", "email": format!("  {email} ")},
            }),
        )
        .await;
    assert_eq!(second["contact"]["id"], contact_id);
    assert_eq!(second["contact"]["name"], first["contact"]["name"]);

    // An existing contact by id, its details copied onto the row.
    let third = app
        .create_case(
            agent,
            &json!({
                "subject": "Trzecia",
                "source": "partner",
                "expected_close_date": "2027-02-01",
                "contact_id": contact_id,
            }),
        )
        .await;
    assert_eq!(third["contact"]["id"], contact_id);
    assert_eq!(
        (&third["company"], &third["phone"]),
        (&first["company"], &first["phone"])
    );

    let cases = app
        .get(&format!("/contacts/{contact_id}/cases"), agent)
        .await
        .json(200);
    let ids: Vec<&Value> = cases["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["id"])
        .collect();
    assert_eq!(ids, [&third["id"], &second["id"], &first["id"]], "newest first");

    // Contacts without an e-mail are never merged.
    let no_email = json!({
        "subject": "Bez e-maila",
        "source": "chat",
        "expected_close_date": "2027-01-01",
        "contact": {"name": "Jan Bezmailowy"},
    });
    let a = app.create_case(agent, &no_email).await;
    let b = app.create_case(agent, &no_email).await;
    assert_ne!(a["contact"]["id"], b["contact"]["id"]);
    assert!(a["email"].is_null() && a["company"].is_null());

    // Another agent cannot use a contact they cannot see.
    app.post_json(
        "/cases",
        &app.other_agent.token,
        &json!({
            "subject": "Cudzy kontakt",
            "source": "chat",
            "expected_close_date": "2027-01-01",
            "contact_id": contact_id,
        }),
    )
    .await
    .invalid("contact_id", "unknown_reference");
}

async fn post_with_key(app: &TestApp, token: &str, key: &str, body: &Value) -> lejek_tests::Reply {
    app.send(
        app.request(Method::POST, "/cases", Some(token))
            .header("Idempotency-Key", key)
            .json(body),
    )
    .await
}

async fn a_retried_create_with_the_same_idempotency_key_creates_nothing(app: &TestApp) {
    let agent = &app.agent.token;
    let key = format!("create-{}", unique());
    let body = case_body("Idempotentna");
    let first = post_with_key(app, agent, &key, &body).await.expect(201);
    assert_eq!(total_cases(app).await, 1);

    let again = post_with_key(app, agent, &key, &body).await.expect(201);
    assert_eq!(again.json, first.json);
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(again.etag(), first.etag());
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(total_cases(app).await, 1);

    // The same key with another body is refused, and creates nothing.
    post_with_key(app, agent, &key, &case_body("Inna treść"))
        .await
        .problem(422, "idempotency_key_reused");
    assert_eq!(total_cases(app).await, 1);

    // Keys belong to their caller.
    let others = post_with_key(app, &app.other_agent.token, &key, &body)
        .await
        .json(201);
    assert_ne!(others["id"], first.json["id"]);
    assert_eq!(others["owner"]["id"], app.other_agent.id);
    assert_eq!(total_cases(app).await, 2);

    // A refused attempt is forgotten: the key may be used again.
    let key2 = format!("create-{}", unique());
    post_with_key(app, agent, &key2, &json!({"subject": "Niepełna"}))
        .await
        .expect(422);
    post_with_key(app, agent, &key2, &case_body("Teraz pełna"))
        .await
        .expect(201);
    assert_eq!(total_cases(app).await, 3);

    // Keys must be visible ASCII, 1 to 255 characters.
    for bad in ["", &"k".repeat(256), "z\u{00f3}\u{0142}w"] {
        let reply = app
            .send(
                app.request(Method::POST, "/cases", Some(agent))
                    .header(
                        "Idempotency-Key",
                        reqwest::header::HeaderValue::from_bytes(bad.as_bytes()).unwrap(),
                    )
                    .json(&case_body("Zły klucz")),
            )
            .await;
        reply.problem_on(400, "invalid_parameter", "Idempotency-Key", "invalid_value");
    }

    // Concurrent retries of one request still create one case.
    let key3 = format!("create-{}", unique());
    let body3 = case_body("Równoległa");
    let replies =
        futures_util::future::join_all((0..4).map(|_| post_with_key(app, agent, &key3, &body3))).await;
    let created: Vec<&Value> = replies
        .iter()
        .filter(|r| r.status == 201)
        .map(|r| &r.json)
        .collect();
    assert!(!created.is_empty());
    assert!(created.iter().all(|json| *json == created[0]));
    for reply in &replies {
        if reply.status != 201 {
            reply.problem(409, "idempotency_in_progress");
        }
    }
    assert_eq!(total_cases(app).await, 4);

    // Notes take keys too.
    let case_id = first.json["id"].as_i64().unwrap();
    let note_key = format!("note-{}", unique());
    for _ in 0..2 {
        let note = app
            .send(
                app.request(Method::POST, &format!("/cases/{case_id}/notes"), Some(agent))
                    .header("Idempotency-Key", &note_key)
                    .json(&json!({"body": "Zadzwonić w piątek"})),
            )
            .await
            .json(201);
        assert_eq!(note["body"], "Zadzwonić w piątek");
        assert_eq!(note["author"]["id"], app.agent.id);
    }
    let notes = app.get(&format!("/cases/{case_id}/notes"), agent).await.json(200);
    assert_eq!(notes.as_array().unwrap().len(), 1, "{notes}");
}

async fn patching_a_case_keeps_missing_fields_and_clears_nulls(app: &TestApp) {
    let agent = &app.agent.token;
    let case = app
        .create_case(agent, &with(case_body("Do edycji"), "value", json!(1000)))
        .await;
    let id = case["id"].as_i64().unwrap();
    let path = format!("/cases/{id}");
    let other_contact = app
        .post_json(
            "/contacts",
            agent,
            &json!({"name": "Nowy Kontakt", "company": "Nowa Sp. j."}),
        )
        .await
        .json(201);

    let patched = app
        .write(
            Method::PATCH,
            &path,
            agent,
            Some("\"1\""),
            &json!({
                "subject": "Po edycji",
                "source": "social_media",
                "expected_close_date": "2027-03-01",
                "value": null,
                "currency": "USD",
                "contact_id": other_contact["id"],
            }),
        )
        .await
        .expect(200);
    assert_eq!(patched.etag(), "\"2\"");
    let card = patched.json;
    assert_eq!(card["subject"], "Po edycji");
    assert_eq!(card["source"], "social_media");
    assert_eq!(card["expected_close_date"], "2027-03-01");
    assert!(card["value"].is_null());
    assert_eq!(card["currency"], "USD");
    assert_eq!(card["contact"]["id"], other_contact["id"]);
    assert_eq!(card["company"], "Nowa Sp. j.");
    assert!(card["email"].is_null());
    // Untouched fields stay; an empty patch changes nothing.
    assert_eq!(card["status"], "awaiting_pickup");
    assert_eq!(card["owner"]["id"], app.agent.id);
    let same = app
        .write(Method::PATCH, &path, agent, Some("\"2\""), &json!({}))
        .await
        .json(200);
    assert_eq!(same["version"], 2);

    // Required fields cannot be cleared; bad values are named.
    for (body, field, code) in [
        (json!({"subject": null}), "subject", "required"),
        (json!({"source": null}), "source", "required"),
        (
            json!({"expected_close_date": null}),
            "expected_close_date",
            "required",
        ),
        (json!({"contact_id": null}), "contact_id", "required"),
        (json!({"currency": "złoty"}), "currency", "invalid_currency"),
        (json!({"value": 0.001}), "value", "invalid_amount"),
        (json!({"contact_id": 987_654}), "contact_id", "unknown_reference"),
        (json!({"qualifier": 987_654}), "qualifier", "unknown_reference"),
    ] {
        let reply = app.write(Method::PATCH, &path, agent, Some("\"2\""), &body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        reply.invalid(field, code);
    }
    // Status moves only through transitions.
    app.write(
        Method::PATCH,
        &path,
        agent,
        Some("\"2\""),
        &json!({"status": "acquired"}),
    )
    .await
    .problem_on(422, "validation_failed", "status", "unknown_field");
    assert_eq!(app.case(agent, id).await.0["version"], 2);

    // An offered case's follow-up date moves, but is never cleared.
    let offered = app
        .move_case(
            agent,
            id,
            &json!({"status": "offered", "stage": "in_negotiation", "follow_up_at": in_days(2)}),
        )
        .await;
    let etag = format!("\"{}\"", offered["version"]);
    app.write(
        Method::PATCH,
        &path,
        agent,
        Some(&etag),
        &json!({"follow_up_at": null}),
    )
    .await
    .invalid("follow_up_at", "follow_up_required");
    let later = in_days(9);
    let moved = app
        .write(
            Method::PATCH,
            &path,
            agent,
            Some(&etag),
            &json!({"follow_up_at": later}),
        )
        .await
        .json(200);
    assert_eq!(moved["follow_up_at"], later);
    assert_eq!(moved["status"], "offered");
}
