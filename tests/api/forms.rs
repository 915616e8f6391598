//! Web forms: admin set-up, the snippet and its page, and submissions —
//! people's leads created once, bots' and floods' answered alike and
//! dropped, sites other than the form's refused.

use std::time::Duration;

use lejek_tests::{TestApp, both, try_spawn_app_with};
use reqwest::Method;
use serde_json::{Value, json};

const SITE: &str = "https://firma.example";

both!(
    an_admin_sets_up_changes_and_retires_a_web_form,
    a_submission_becomes_one_lead_and_bots_get_the_same_answer,
);

fn form_body(app: &TestApp) -> Value {
    json!({
        "name": "Kontakt ze strony",
        "origins": [format!("{SITE}/")],
        "assignment": "round_robin",
        "agents": [app.agent.id, app.other_agent.id],
        "fields": ["name", "email", "phone", "message"],
        "close_in_days": 14
    })
}

async fn an_admin_sets_up_changes_and_retires_a_web_form(app: &TestApp) {
    let admin = &app.admin.token;
    app.post_json("/forms", &app.manager.token, &form_body(app))
        .await
        .problem(403, "forbidden");
    let mut no_contact = form_body(app);
    no_contact["fields"] = json!(["name", "message"]);
    app.post_json("/forms", admin, &no_contact).await.problem_on(
        422,
        "contact_detail_required",
        "fields",
        "contact_detail_required",
    );
    let mut bad_origin = form_body(app);
    bad_origin["origins"] = json!(["firma.example/kontakt"]);
    app.post_json("/forms", admin, &bad_origin).await.problem_on(
        422,
        "invalid_value",
        "origins",
        "invalid_value",
    );
    let mut nobody = form_body(app);
    nobody["agents"] = json!([]);
    app.post_json("/forms", admin, &nobody)
        .await
        .problem_on(422, "required", "agents", "required");
    let mut stranger = form_body(app);
    stranger["agents"] = json!([999_999]);
    app.post_json("/forms", admin, &stranger).await.problem_on(
        422,
        "unknown_reference",
        "agents",
        "unknown_reference",
    );

    let reply = app.post_json("/forms", admin, &form_body(app)).await;
    let form = reply.json(201);
    let id = form["id"].as_i64().unwrap();
    assert_eq!(form["origins"], json!([SITE]));
    assert_eq!(form["source"], "contact_form");
    assert_eq!(form["agents"][0]["id"], app.agent.id);
    let key = form["key"].as_str().unwrap();
    assert_eq!(key.len(), 24);
    assert_eq!(form["page_url"], format!("{}/f/{key}", app.address));
    let snippet = form["snippet"].as_str().unwrap();
    assert!(
        snippet.starts_with(&format!("<iframe src=\"{}/f/{key}\"", app.address)),
        "{snippet}"
    );
    assert!(!snippet.contains("<script"));
    assert_eq!(app.get("/forms", admin).await.json(200)[0]["id"], id);
    app.get("/forms", &app.agent.token)
        .await
        .problem(403, "forbidden");

    let mut changed = form_body(app);
    changed["name"] = json!("Zapytanie ofertowe");
    changed["assignment"] = json!("unassigned");
    changed["agents"] = json!([]);
    let updated = app
        .put_json(&format!("/forms/{id}"), admin, &changed)
        .await
        .json(200);
    assert_eq!(
        (updated["name"].as_str(), updated["key"].as_str()),
        (Some("Zapytanie ofertowe"), Some(key))
    );
    assert_eq!(updated["agents"], json!([]));

    app.delete(&format!("/forms/{id}"), admin).await.expect(204);
    app.get(&format!("/forms/{id}"), admin)
        .await
        .problem(404, "not_found");
    assert_eq!(app.get("/forms", admin).await.json(200), json!([]));
    app.get(&format!("/forms/{key}/token"), admin)
        .await
        .problem(404, "not_found");
}

/// Posts a JSON submission from the form's site.
async fn submit(app: &TestApp, key: &str, body: &Value) -> lejek_tests::Reply {
    app.send(
        app.request(Method::POST, &format!("/forms/{key}/submissions"), None)
            .header("origin", SITE)
            .json(body),
    )
    .await
}

async fn token(app: &TestApp, key: &str) -> String {
    let reply = app
        .send(
            app.request(Method::GET, &format!("/forms/{key}/token"), None)
                .header("origin", SITE),
        )
        .await;
    assert_eq!(reply.header("access-control-allow-origin"), Some(SITE));
    reply.json(200)["token"].as_str().unwrap().to_owned()
}

async fn a_submission_becomes_one_lead_and_bots_get_the_same_answer(app: &TestApp) {
    let app = &try_spawn_app_with(app.backend, |settings| {
        settings.form_min_fill_seconds = 1;
        settings.form_limit_per_address = 10;
    })
    .await
    .unwrap();
    let form = app
        .post_json("/forms", &app.admin.token, &form_body(app))
        .await
        .json(201);
    let key = form["key"].as_str().unwrap();
    let manager = &app.manager.token;
    let cases = || async { app.counts(manager, "").await["all"].as_u64().unwrap() };

    // Another site may neither ask for a token nor post.
    app.send(
        app.request(Method::GET, &format!("/forms/{key}/token"), None)
            .header("origin", "https://evil.example"),
    )
    .await
    .problem(403, "forbidden");
    let fresh = token(app, key).await;
    let person = json!({
        "name": "Ewa Nowak",
        "email": "Ewa.Nowak@Klient.example",
        "phone": "600 700 800",
        "message": "Proszę o ofertę na 20 stanowisk.",
        "company": "not asked for",
        "token": fresh
    });
    // Sent faster than a person fills a form: taken for a bot.
    assert_eq!(
        submit(app, key, &person).await.json(202),
        json!({ "status": "received" })
    );
    assert_eq!(cases().await, 0);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    submit(app, key, &person).await.json(202);
    assert_eq!(cases().await, 1);
    let lead = &app.list_all("/cases", manager, "email=ewa.nowak").await[0];
    assert_eq!(lead["owner"]["id"], app.agent.id);
    assert_eq!(lead["source"], "contact_form");
    assert_eq!(lead["status"], "awaiting_pickup");
    assert_eq!(lead["company"], Value::Null);
    assert_eq!(
        lead["subject"],
        "Kontakt ze strony: Proszę o ofertę na 20 stanowisk."
    );
    let id = lead["id"].as_i64().unwrap();
    let (card, _) = app.case(manager, id).await;
    assert_eq!(card["intake"]["channel"], "web_form");
    assert_eq!(card["intake"]["web_form_id"], form["id"]);
    let notes = app.get(&format!("/cases/{id}/notes"), manager).await.json(200);
    assert_eq!(notes[0]["body"], "Proszę o ofertę na 20 stanowisk.");
    let in_two_weeks = chrono::Utc::now().date_naive() + chrono::Duration::days(14);
    assert_eq!(lead["expected_close_date"], in_two_weeks.to_string());

    // A double click: the same person and message, one case.
    submit(app, key, &person).await.json(202);
    assert_eq!(cases().await, 1);
    // Another message goes to the next salesperson in turn.
    let mut second = person.clone();
    second["message"] = json!("I jeszcze serwis.");
    submit(app, key, &second).await.json(202);
    let both = app
        .list_all("/cases", manager, "email=ewa.nowak&sort=number")
        .await;
    assert_eq!(both.len(), 2);
    assert_eq!(both[1]["owner"]["id"], app.other_agent.id);
    assert_eq!(
        both[0]["contact"]["id"], both[1]["contact"]["id"],
        "one contact by e-mail"
    );

    // A bot filling the hidden field, a forged token, none: the same answer.
    let mut honeypot = person.clone();
    honeypot["message"] = json!("Kup tanie zegarki");
    honeypot["website"] = json!("http://spam.example");
    submit(app, key, &honeypot).await.json(202);
    let mut forged = honeypot.clone();
    forged["website"] = json!("");
    forged["token"] = json!("bm90LWEtdG9rZW4");
    submit(app, key, &forged).await.json(202);
    let mut tokenless = forged.clone();
    tokenless.as_object_mut().unwrap().remove("token");
    submit(app, key, &tokenless).await.json(202);
    assert_eq!(cases().await, 2);

    // A person's mistake is named.
    let mut typo = person.clone();
    typo["email"] = json!("ewa(at)klient.example");
    typo["message"] = json!("Inna wiadomość");
    submit(app, key, &typo)
        .await
        .problem_on(422, "invalid_email", "email", "invalid_email");

    // The page the snippet frames: no script, framed by the form's site
    // only, with its token and hidden field; posting it lands on thanks.
    let page = app
        .send(app.client.get(format!("{}/f/{key}?lang=pl", app.address)))
        .await;
    assert_eq!(page.status, 200);
    let policy = page.header("content-security-policy").unwrap().to_owned();
    assert!(
        policy.contains(&format!("frame-ancestors 'self' {SITE}")),
        "{policy}"
    );
    assert!(policy.contains("default-src 'none'"));
    assert!(!page.text.contains("<script"));
    assert!(page.text.contains("name=\"website\""));
    let page_token = page
        .text
        .split("name=\"token\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let posted = app
        .send(
            app.request(Method::POST, &format!("/forms/{key}/submissions?lang=pl"), None)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!(
                    "name=Jan+Kowalski&email=jan%40kowalski.example&phone=&message=Dzie%C5%84+dobry&token={}&website=",
                    page_token.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D")
                )),
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.text);
    assert_eq!(
        posted.header("location"),
        Some(format!("/f/{key}?sent=1&lang=pl").as_str())
    );
    assert_eq!(cases().await, 3);
    let thanks = app
        .send(app.client.get(format!("{}/f/{key}?sent=1&lang=pl", app.address)))
        .await;
    assert!(thanks.text.contains("Dziękujemy"));

    // Over the limit per address: still "received", nothing created.
    for n in 0..4 {
        let mut flood = person.clone();
        flood["message"] = json!(format!("Wiadomość {n}"));
        submit(app, key, &flood).await.json(202);
    }
    assert_eq!(cases().await, 4, "the limit of 10 per address stops the flood");
    app.send(
        app.request(Method::POST, "/forms/nosuchkey/submissions", None)
            .json(&person),
    )
    .await
    .problem(404, "not_found");
}
