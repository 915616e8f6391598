//! Optimistic concurrency: versions as strong ETags, `If-Match` required
//! on every write to a case, and racing writers.

use lejek_tests::{Reply, TestApp, both};
use reqwest::Method;
use serde_json::{Value, json};

both!(
    every_write_to_a_case_requires_a_current_if_match,
    of_two_concurrent_writers_with_one_version_exactly_one_wins,
);

/// The four writes to a case, each with the body it sends.
fn writes(app: &TestApp, id: i64) -> [(Method, String, Value); 4] {
    [
        (
            Method::PATCH,
            format!("/cases/{id}"),
            json!({"subject": "Zmieniony temat"}),
        ),
        (
            Method::POST,
            format!("/cases/{id}/transition"),
            json!({"status": "in_acquisition", "stage": "call_scheduled"}),
        ),
        (
            Method::PUT,
            format!("/cases/{id}/owner"),
            json!({"owner_id": app.other_agent.id}),
        ),
        (
            Method::PUT,
            format!("/cases/{id}/campaign"),
            json!({"campaign_id": app.spam_id}),
        ),
    ]
}

async fn every_write_to_a_case_requires_a_current_if_match(app: &TestApp) {
    let manager = &app.manager.token;
    let id = app.new_case(&app.agent.token, "Wersje").await["id"]
        .as_i64()
        .unwrap();
    let (card, etag) = app.case(manager, id).await;
    assert_eq!(etag, format!("\"{}\"", card["version"]));
    assert_eq!(etag, "\"1\"");

    for (method, path, body) in writes(app, id) {
        let missing = app.write(method.clone(), &path, manager, None, &body).await;
        missing.problem(428, "precondition_required");
        for stale in ["\"2\"", "\"0\"", "1", "W/\"1\"", "\"one\"", "\"\""] {
            app.write(method.clone(), &path, manager, Some(stale), &body)
                .await
                .problem(412, "version_mismatch");
        }
    }
    let (card, _) = app.case(manager, id).await;
    assert_eq!(
        (card["version"].as_i64(), card["subject"].as_str()),
        (Some(1), Some("Wersje"))
    );

    // The current version goes through, and the old one is stale for all.
    let patched = app
        .write(
            Method::PATCH,
            &format!("/cases/{id}"),
            manager,
            Some("\"1\""),
            &json!({"subject": "Zmieniony temat"}),
        )
        .await
        .expect(200);
    assert_eq!(patched.etag(), "\"2\"");
    assert_eq!(patched.json["version"], 2);
    for (method, path, body) in writes(app, id) {
        app.write(method, &path, manager, Some("\"1\""), &body)
            .await
            .problem(412, "version_mismatch");
    }

    // Each write bumps the version and answers the new ETag.
    let mut version = 2;
    for (method, path, body) in writes(app, id) {
        let reply = app
            .write(method, &path, manager, Some(&format!("\"{version}\"")), &body)
            .await
            .expect(200);
        version += 1;
        assert_eq!(reply.etag(), format!("\"{version}\""), "{}", reply.request);
        assert_eq!(reply.json["version"], version);
        let (card, etag) = app.case(manager, id).await;
        assert_eq!(etag, format!("\"{version}\""));
        assert_eq!(card, reply.json);
    }

    // `*` matches whatever the version is.
    let any = app
        .write(
            Method::PATCH,
            &format!("/cases/{id}"),
            manager,
            Some("*"),
            &json!({"subject": "Dowolna wersja"}),
        )
        .await
        .json(200);
    assert_eq!(any["version"], version + 1);
}

async fn race(
    app: &TestApp,
    a: (Method, String, Value),
    b: (Method, String, Value),
    etag: &str,
) -> [Reply; 2] {
    let token = &app.manager.token;
    let (first, second) = tokio::join!(
        app.write(a.0, &a.1, token, Some(etag), &a.2),
        app.write(b.0, &b.1, token, Some(etag), &b.2),
    );
    [first, second]
}

fn one_winner(replies: &[Reply; 2]) -> usize {
    let mut statuses = [replies[0].status, replies[1].status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 412], "{} / {}", replies[0].text, replies[1].text);
    let winner = usize::from(replies[1].status == 200);
    replies[1 - winner].problem(412, "version_mismatch");
    winner
}

async fn of_two_concurrent_writers_with_one_version_exactly_one_wins(app: &TestApp) {
    let manager = &app.manager.token;
    for round in 0..4 {
        let id = app.new_case(&app.agent.token, &format!("Wyścig {round}")).await["id"]
            .as_i64()
            .unwrap();
        let path = format!("/cases/{id}/transition");
        let replies = race(
            app,
            (
                Method::POST,
                path.clone(),
                json!({"status": "in_acquisition", "stage": "call_scheduled"}),
            ),
            (
                Method::POST,
                path.clone(),
                json!({"status": "resigned", "resignation_reason": "Rezygnacja"}),
            ),
            "\"1\"",
        )
        .await;
        let winner = one_winner(&replies);
        let (card, etag) = app.case(manager, id).await;
        assert_eq!(etag, "\"2\"");
        assert_eq!(card["status"], replies[winner].json["status"]);
        // Only the winner's history was written.
        let events = app.get(&format!("/cases/{id}/events"), manager).await.json(200);
        let expected = if card["status"] == "resigned" { 2 } else { 3 };
        assert_eq!(events.as_array().unwrap().len(), expected, "{events}");

        // Two edits of the details race the same way.
        let case_path = format!("/cases/{id}");
        let replies = race(
            app,
            (Method::PATCH, case_path.clone(), json!({"subject": "Pierwszy"})),
            (Method::PATCH, case_path.clone(), json!({"subject": "Drugi"})),
            "\"2\"",
        )
        .await;
        let winner = one_winner(&replies);
        let (card, _) = app.case(manager, id).await;
        assert_eq!(card["subject"], replies[winner].json["subject"]);
        assert_eq!(card["version"], 3);

        // And an edit racing a change of owner.
        let replies = race(
            app,
            (Method::PATCH, case_path.clone(), json!({"value": 99.99})),
            (
                Method::PUT,
                format!("/cases/{id}/owner"),
                json!({"owner_id": app.other_agent.id}),
            ),
            "\"3\"",
        )
        .await;
        one_winner(&replies);
        let (card, _) = app.case(manager, id).await;
        assert_eq!(card["version"], 4);
    }
}
