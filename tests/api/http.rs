//! HTTP hygiene: broken and oversized bodies, wrong media types, bad path
//! ids, unknown paths, health, and the served documentation. Every reply
//! is a problem document, never a 5xx.

use lejek_tests::{TestApp, both, case_body};
use reqwest::Method;
use serde_json::{Value, json};

both!(
    broken_bodies_answer_400_or_422_naming_the_field,
    wrong_media_types_and_huge_bodies_are_refused,
    unknown_paths_and_bad_ids_answer_404_problems,
    health_and_documentation_are_served,
    other_methods_on_documented_paths_answer_405_with_allow,
    bodies_and_parameters_hold_what_the_document_says,
);

async fn raw(
    app: &TestApp,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: &str,
) -> lejek_tests::Reply {
    let mut builder = app
        .request(method, path, Some(&app.agent.token))
        .body(body.to_owned());
    if let Some(content_type) = content_type {
        builder = builder.header("content-type", content_type);
    }
    app.send(builder).await
}

async fn broken_bodies_answer_400_or_422_naming_the_field(app: &TestApp) {
    let json = Some("application/json");
    let id = app.new_case(&app.agent.token, "Cel").await["id"]
        .as_i64()
        .unwrap();
    for body in [
        "{\"subject\": ",
        "[",
        "{\"subject\": [",
        "{} trailing",
        "",
        "nul",
        "{\"subject\": \"a\",}",
        "\u{feff}{}",
    ] {
        let reply = raw(app, Method::POST, "/cases", json, body).await;
        reply.problem(400, "malformed_json");
        assert!(reply.field_errors().is_empty());
    }
    raw(app, Method::POST, &format!("/cases/{id}/transition"), json, "{")
        .await
        .problem(400, "malformed_json");

    // Well-formed JSON of the wrong shape names the field.
    let mut valid = case_body("Kształt");
    for (path, body, field, code) in [
        ("/cases", json!({"subject": 5}), "subject", "invalid_type"),
        ("/cases", json!([]), "body", "invalid_type"),
        ("/cases", json!("text"), "body", "invalid_type"),
        ("/cases", json!({"colour": "red"}), "colour", "unknown_field"),
        (
            "/cases",
            json!({"contact": {"name": "Jan", "fax": "1"}}),
            "contact.fax",
            "unknown_field",
        ),
        (
            "/cases",
            json!({"contact": {"name": 7}}),
            "contact.name",
            "invalid_type",
        ),
        ("/cases", json!({"value": "dużo"}), "value", "invalid_type"),
        ("/cases", json!({"source": 5}), "source", "invalid_type"),
        ("/cases", json!({"owner_id": 1.5}), "owner_id", "invalid_type"),
        ("/auth/login", json!({"email": "a@b.pl"}), "password", "required"),
        (
            "/auth/login",
            json!({"email": "a@b.pl", "password": null}),
            "password",
            "invalid_type",
        ),
        ("/contacts", json!({"name": ["Jan"]}), "name", "invalid_type"),
        (
            "/cases/bulk",
            json!({"ids": ["1"], "action": "spam"}),
            "ids[0]",
            "invalid_type",
        ),
    ] {
        let reply = app.post_json(path, &app.agent.token, &body).await;
        reply.problem_on(422, "validation_failed", field, code);
    }
    valid["expected_close_date"] = json!("2026-02-30");
    app.post_json("/cases", &app.agent.token, &valid)
        .await
        .problem_on(422, "validation_failed", "expected_close_date", "invalid_type");
    for (body, field) in [
        (json!({"status": 5}), "status"),
        (json!({"status": ["offered"]}), "status"),
        (json!({"status": {"code": "offered"}}), "status"),
        (json!({"status": "offered", "stage": 2}), "stage"),
        (
            json!({"status": "offered", "follow_up_at": 1700000000}),
            "follow_up_at",
        ),
        (
            json!({"status": "offered", "follow_up_at": "2026-13-01T00:00:00Z"}),
            "follow_up_at",
        ),
    ] {
        app.transition(&app.agent.token, id, Some("\"1\""), &body)
            .await
            .problem_on(422, "validation_failed", field, "invalid_type");
    }
    app.write(
        Method::PATCH,
        &format!("/cases/{id}"),
        &app.agent.token,
        Some("\"1\""),
        &json!({"value": "abc"}),
    )
    .await
    .problem_on(422, "validation_failed", "value", "invalid_type");
    // Nothing of that touched the case.
    assert_eq!(app.case(&app.agent.token, id).await.0["version"], 1);
    assert_eq!(app.counts(&app.agent.token, "").await["all"], 1);
}

async fn wrong_media_types_and_huge_bodies_are_refused(app: &TestApp) {
    let body = case_body("Typ").to_string();
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("application/xml"),
    ] {
        raw(app, Method::POST, "/cases", content_type, &body)
            .await
            .problem(415, "unsupported_media_type");
    }
    raw(app, Method::POST, "/auth/login", Some("text/plain"), "{}")
        .await
        .problem(415, "unsupported_media_type");
    // JSON with parameters, or a +json type, is JSON.
    for content_type in [
        "application/json; charset=utf-8",
        "Application/JSON",
        "application/merge-patch+json",
    ] {
        raw(app, Method::POST, "/cases", Some(content_type), &body)
            .await
            .expect(201);
    }

    // Over 1 MiB: refused before it is read, whatever the route.
    let huge = json!({"subject": "x".repeat(1_100_000)}).to_string();
    for (method, path) in [
        (Method::POST, "/cases"),
        (Method::POST, "/contacts"),
        (Method::POST, "/auth/login"),
        (Method::PUT, "/views/pipeline"),
    ] {
        raw(app, method, path, Some("application/json"), &huge)
            .await
            .problem(413, "payload_too_large");
    }
    let id = app.new_case(&app.agent.token, "Notatki").await["id"]
        .as_i64()
        .unwrap();
    let note = json!({"body": "y".repeat(1_048_577)});
    app.post_json(&format!("/cases/{id}/notes"), &app.agent.token, &note)
        .await
        .problem(413, "payload_too_large");
    // Just under the limit is read, and then judged by the rules.
    let long = json!({"body": "y".repeat(1_000_000)});
    app.post_json(&format!("/cases/{id}/notes"), &app.agent.token, &long)
        .await
        .invalid("body", "too_long");
    assert_eq!(app.counts(&app.admin.token, "").await["all"], 4);
}

async fn unknown_paths_and_bad_ids_answer_404_problems(app: &TestApp) {
    let token = &app.agent.token;
    for path in [
        "/cases/abc",
        "/cases/1.5",
        "/cases/99999999999999999999999",
        "/cases/-1",
        "/cases/0",
        "/cases/987654",
        "/cases/abc/events",
        "/cases/abc/notes",
        "/contacts/abc",
        "/contacts/abc/cases",
        "/nothing",
        "/api/v2/cases",
        "/api/nothing",
    ] {
        let reply = app.get(path, token).await;
        reply.problem(404, "not_found");
    }
    for (method, path) in [
        (Method::PATCH, "/cases/abc"),
        (Method::POST, "/cases/abc/transition"),
        (Method::PUT, "/cases/abc/owner"),
        (Method::PUT, "/cases/abc/campaign"),
        (Method::POST, "/cases/abc/notes"),
        (Method::PATCH, "/contacts/abc"),
        (Method::PATCH, "/users/abc"),
        (Method::DELETE, "/qualifiers/abc"),
        (Method::DELETE, "/api-keys/abc"),
        (Method::DELETE, "/cases/1"),
        (Method::PUT, "/cases"),
    ] {
        let reply = app
            .write(method, path, &app.admin.token, Some("\"1\""), &json!({}))
            .await;
        assert!(
            reply.status == 404 || reply.status == 405,
            "{} answered {}",
            reply.request,
            reply.status
        );
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json"),
            "{}",
            reply.request
        );
    }
    // Unknown paths under the API are problems even without a token.
    let reply = app
        .send(app.request(Method::GET, "/api/v1/nothing/here", None))
        .await;
    assert!(reply.status == 404 || reply.status == 401, "{}", reply.status);
    assert_eq!(reply.header("content-type"), Some("application/problem+json"));
}

async fn health_and_documentation_are_served(app: &TestApp) {
    let health = app.send(app.request(Method::GET, "/healthz", None)).await;
    assert_eq!(health.json(200), json!({"status": "ok"}));
    let ready = app.send(app.request(Method::GET, "/readyz", None)).await;
    assert_eq!(ready.json(200), json!({"status": "ready"}));

    let served = app
        .send(app.request(Method::GET, "/api/openapi.json", None))
        .await
        .expect(200);
    assert!(
        served
            .header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    let document = served.json;
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    let generated: Value = serde_json::to_value(lejek_api::openapi()).unwrap();
    assert_eq!(document, generated, "the served document is the generated one");

    let docs = app
        .send(app.request(Method::GET, "/api/docs/", None))
        .await
        .expect(200);
    assert!(docs.header("content-type").unwrap().starts_with("text/html"));
    assert!(docs.text.to_lowercase().contains("swagger"));
    let redirect = app.send(app.request(Method::GET, "/api/docs", None)).await;
    assert!(
        (301..=308).contains(&redirect.status),
        "{} {}",
        redirect.status,
        redirect.text
    );
    assert_eq!(redirect.header("location"), Some("/api/docs/"));

    // Every response says how to treat it.
    let me = app.get("/me", &app.agent.token).await;
    assert_eq!(me.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(me.header("x-frame-options"), Some("DENY"));
}

async fn other_methods_on_documented_paths_answer_405_with_allow(app: &TestApp) {
    let token = Some(app.agent.token.as_str());
    let trace = Method::from_bytes(b"TRACE").unwrap();
    for (method, path, allow) in [
        (trace.clone(), "/me", "GET"),
        (Method::DELETE, "/cases", "GET, POST"),
        (Method::PUT, "/cases/1", "GET, PATCH"),
        (Method::DELETE, "/cases/abc", "GET, PATCH"),
        // A literal segment is that path, not a case id.
        (Method::PATCH, "/cases/counts", "GET"),
        (Method::GET, "/cases/bulk", "POST"),
        (Method::POST, "/views/pipeline", "GET, PUT, DELETE"),
        (Method::GET, "/auth/login", "POST"),
        (trace, "/healthz", "GET"),
        (Method::POST, "/readyz", "GET"),
    ] {
        let reply = app.send(app.request(method, path, token)).await;
        reply.problem(405, "method_not_allowed");
        assert_eq!(reply.header("allow"), Some(allow), "{}", reply.request);
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json"),
            "{}",
            reply.request
        );
    }
    // OPTIONS lists the methods.
    let options = app.send(app.request(Method::OPTIONS, "/cases/7", token)).await;
    assert_eq!(options.status, 204);
    assert_eq!(options.header("allow"), Some("GET, PATCH"));
    // An allowed method on a path whose parameter names nothing is 404; an
    // unknown path is 404 whatever the method.
    app.send(app.request(Method::GET, "/cases/abc", token))
        .await
        .problem(404, "not_found");
    for method in [Method::GET, Method::DELETE] {
        app.send(app.request(method, "/cases/1/nothing", token))
            .await
            .problem(404, "not_found");
    }
}

/// Rules the document states and the server keeps, beyond field types.
async fn bodies_and_parameters_hold_what_the_document_says(app: &TestApp) {
    let manager = &app.manager.token;
    let id = app.new_case(manager, "Dokument").await["id"].as_i64().unwrap();
    // An object is written as one, not as an array of its fields.
    let mut body = case_body("Tablica");
    body["contact"] = json!(["Jan"]);
    app.post_json("/cases", manager, &body).await.problem_on(
        422,
        "validation_failed",
        "contact",
        "invalid_type",
    );
    // No text holds U+0000, in a body or a parameter.
    app.post_json("/contacts", manager, &json!({"name": "Jan\u{0}"}))
        .await
        .problem_on(422, "validation_failed", "name", "invalid_value");
    app.get("/cases?subject=a%00", manager).await.problem_on(
        400,
        "invalid_parameter",
        "subject",
        "invalid_value",
    );
    app.get("/search?q=%00", manager)
        .await
        .problem_on(400, "invalid_parameter", "q", "invalid_value");
    // An id is a positive integer; `7.0` is the integer 7, as JSON Schema
    // counts it.
    app.post_json(
        "/cases/bulk",
        manager,
        &json!({"ids": [id], "action": "spam", "owner_id": 0}),
    )
    .await
    .problem_on(422, "validation_failed", "owner_id", "invalid_type");
    let restored = app
        .post_json(
            "/cases/bulk",
            manager,
            &json!({"ids": [id as f64], "action": "restore"}),
        )
        .await
        .json(200);
    assert_eq!(restored["updated"][0]["id"], id);
    // `owner_id` is required: `null` unassigns, an empty body does not.
    let etag = app.case(manager, id).await.1;
    app.write(
        Method::PUT,
        &format!("/cases/{id}/owner"),
        manager,
        Some(&etag),
        &json!({}),
    )
    .await
    .problem_on(422, "validation_failed", "owner_id", "required");
    // An amount has at most two decimals as written.
    let mut priced = case_body("Kwota");
    priced["value"] = json!(0.07);
    let card = app.post_json("/cases", manager, &priced).await.json(201);
    assert_eq!(card["value"], 0.07);
    priced["value"] = json!(0.1 + 0.2);
    app.post_json("/cases", manager, &priced)
        .await
        .invalid("value", "invalid_amount");
    // A logout body may be left out, blank or `null`.
    for body in ["", " ", "null"] {
        raw(app, Method::POST, "/auth/logout", Some("application/json"), body)
            .await
            .expect(204);
    }
}
