//! Spam: moving a case to the SPAM campaign and back, finding it in
//! search, and bulk actions that change all the cases or none.

use lejek_tests::{TestApp, both, unique};
use reqwest::Method;
use serde_json::{Value, json};

both!(
    a_case_marked_as_spam_leaves_the_funnel_and_comes_back_from_search,
    bulk_actions_change_every_case_or_none,
);

async fn set_campaign(app: &TestApp, token: &str, id: i64, campaign: i64) -> Value {
    let (_, etag) = app.case(token, id).await;
    app.write(
        Method::PUT,
        &format!("/cases/{id}/campaign"),
        token,
        Some(&etag),
        &json!({"campaign_id": campaign}),
    )
    .await
    .json(200)
}

async fn a_case_marked_as_spam_leaves_the_funnel_and_comes_back_from_search(app: &TestApp) {
    let agent = &app.agent.token;
    let subject = format!("Wygrałeś iPhone {}", unique());
    let case = app.new_case(agent, &subject).await;
    let keep = app.new_case(agent, "Prawdziwy klient").await;
    let id = case["id"].as_i64().unwrap();
    assert_eq!(app.case_ids(agent, "").await.len(), 2);

    let campaigns = app.get("/campaigns", agent).await.json(200);
    assert_eq!(
        campaigns,
        json!([
            {"id": app.funnel_id, "name": "Lejek sprzedaży", "kind": "funnel"},
            {"id": app.spam_id, "name": "SPAM", "kind": "spam"},
        ])
    );

    let spammed = set_campaign(app, agent, id, app.spam_id).await;
    assert_eq!(spammed["campaign"], json!({"id": app.spam_id, "kind": "spam"}));
    assert_eq!(spammed["version"], 2);

    // Out of the funnel: its list and its counts.
    assert_eq!(app.case_ids(agent, "").await, [keep["id"].as_i64().unwrap()]);
    assert_eq!(app.counts(agent, "").await["all"], 1);
    assert_eq!(app.counts(&app.manager.token, "").await["all"], 1);
    // In the SPAM list, by flag or by campaign.
    assert_eq!(app.case_ids(agent, "spam=true").await, [id]);
    assert_eq!(
        app.case_ids(agent, &format!("campaign={}", app.spam_id)).await,
        [id]
    );
    assert_eq!(app.counts(agent, "spam=true").await["awaiting_pickup"], 1);
    assert_eq!(app.case_ids(&app.manager.token, "spam=true").await, [id]);

    // Search finds it across campaigns, by subject or number.
    let words = subject.split_whitespace().last().unwrap();
    for q in [words.to_owned(), "iphone".to_owned(), case["number"].to_string()] {
        let found = app.get(&format!("/search?q={q}"), agent).await.json(200);
        let row = found["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["id"] == id)
            .unwrap_or_else(|| panic!("search for {q} missed the spam case: {found}"));
        assert_eq!(row["campaign"]["kind"], "spam");
    }
    // The card is still there, and it can still move in the funnel.
    app.get(&format!("/cases/{id}"), agent).await.expect(200);

    // Back to the funnel.
    let restored = set_campaign(app, agent, id, app.funnel_id).await;
    assert_eq!(
        restored["campaign"],
        json!({"id": app.funnel_id, "kind": "funnel"})
    );
    assert_eq!(app.case_ids(agent, "").await.len(), 2);
    assert_eq!(app.case_ids(agent, "spam=true").await, Vec::<i64>::new());

    let events = app.get(&format!("/cases/{id}/events"), agent).await.json(200);
    let campaign_events: Vec<(Value, Value, Value, Value)> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "campaign")
        .map(|e| {
            (
                e["from"].clone(),
                e["to"].clone(),
                e["from_label"].clone(),
                e["to_label"].clone(),
            )
        })
        .collect();
    let (funnel, spam) = (app.funnel_id.to_string(), app.spam_id.to_string());
    assert_eq!(
        campaign_events,
        [
            (
                json!(funnel),
                json!(spam),
                json!("Lejek sprzedaży"),
                json!("SPAM")
            ),
            (
                json!(spam),
                json!(funnel),
                json!("SPAM"),
                json!("Lejek sprzedaży")
            ),
        ]
    );

    let (_, etag) = app.case(agent, id).await;
    app.write(
        Method::PUT,
        &format!("/cases/{id}/campaign"),
        agent,
        Some(&etag),
        &json!({"campaign_id": 987_654}),
    )
    .await
    .invalid("campaign_id", "unknown_reference");
    app.write(
        Method::PUT,
        &format!("/cases/{id}/campaign"),
        agent,
        Some(&etag),
        &json!({"campaign_id": "spam"}),
    )
    .await
    .problem_on(422, "validation_failed", "campaign_id", "invalid_type");
}

async fn versions(app: &TestApp, ids: &[i64]) -> Vec<(i64, Value, Value)> {
    let mut rows = Vec::new();
    for id in ids {
        let (card, _) = app.case(&app.manager.token, *id).await;
        rows.push((
            card["version"].as_i64().unwrap(),
            card["campaign"].clone(),
            card["owner"].clone(),
        ));
    }
    rows
}

async fn bulk_actions_change_every_case_or_none(app: &TestApp) {
    let (agent, manager) = (&app.agent.token, &app.manager.token);
    let a = app.new_case(agent, "Masowa A").await["id"].as_i64().unwrap();
    let b = app.new_case(agent, "Masowa B").await["id"].as_i64().unwrap();
    let c = app.new_case(&app.other_agent.token, "Cudza C").await["id"]
        .as_i64()
        .unwrap();
    let d = app.new_case(manager, "Nieprzypisana D").await["id"]
        .as_i64()
        .unwrap();

    let done = app
        .post_json("/cases/bulk", agent, &json!({"ids": [b, a], "action": "spam"}))
        .await
        .json(200);
    let mut updated: Vec<(i64, i64)> = done["updated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| (item["id"].as_i64().unwrap(), item["version"].as_i64().unwrap()))
        .collect();
    updated.sort_unstable();
    assert_eq!(updated, [(a, 2), (b, 2)]);
    assert_eq!(app.case_ids(agent, "spam=true").await, [a, b]);
    assert_eq!(app.case_ids(agent, "").await, Vec::<i64>::new());
    let (card, etag) = app.case(agent, a).await;
    assert_eq!(
        (card["campaign"]["kind"].as_str(), etag.as_str()),
        (Some("spam"), "\"2\"")
    );

    app.post_json("/cases/bulk", agent, &json!({"ids": [a, b], "action": "restore"}))
        .await
        .expect(200);
    assert_eq!(app.case_ids(agent, "").await, [a, b]);

    // One case the caller may not see, or that does not exist, and
    // nothing changes.
    let before = versions(app, &[a, b, c, d]).await;
    for ids in [vec![a, c], vec![a, b, 987_654], vec![d, a], vec![c]] {
        app.post_json("/cases/bulk", agent, &json!({"ids": ids, "action": "spam"}))
            .await
            .problem(404, "not_found");
    }
    app.post_json(
        "/cases/bulk",
        agent,
        &json!({"ids": [a], "action": "assign", "owner_id": app.other_agent.id}),
    )
    .await
    .problem(403, "forbidden");
    app.post_json(
        "/cases/bulk",
        manager,
        &json!({"ids": [a, 987_654], "action": "assign", "owner_id": app.other_agent.id}),
    )
    .await
    .problem(404, "not_found");
    app.post_json(
        "/cases/bulk",
        manager,
        &json!({"ids": [a, b, c], "action": "assign", "owner_id": 987_654}),
    )
    .await
    .invalid("owner_id", "unknown_reference");
    assert_eq!(versions(app, &[a, b, c, d]).await, before);

    // Bad requests are named.
    for (body, field, code) in [
        (json!({"ids": [], "action": "spam"}), "ids", "out_of_range"),
        (json!({"ids": [a, a], "action": "spam"}), "ids", "duplicate"),
        (
            json!({"ids": (1..=501).collect::<Vec<i64>>(), "action": "spam"}),
            "ids",
            "out_of_range",
        ),
    ] {
        app.post_json("/cases/bulk", manager, &body)
            .await
            .invalid(field, code);
    }
    app.post_json("/cases/bulk", manager, &json!({"ids": [a], "action": "delete"}))
        .await
        .problem_on(422, "validation_failed", "action", "invalid_type");
    app.post_json("/cases/bulk", manager, &json!({"ids": [a]}))
        .await
        .problem_on(422, "validation_failed", "action", "required");
    assert_eq!(versions(app, &[a, b, c, d]).await, before);

    // A manager assigns many at once, with history on each.
    let done = app
        .post_json(
            "/cases/bulk",
            manager,
            &json!({"ids": [a, b, c, d], "action": "assign", "owner_id": app.other_agent.id}),
        )
        .await
        .json(200);
    assert_eq!(done["updated"].as_array().unwrap().len(), 4);
    assert_eq!(app.case_ids(&app.other_agent.token, "").await, [a, b, c, d]);
    assert_eq!(app.case_ids(agent, "").await, Vec::<i64>::new());
    for id in [a, d] {
        let events = app.get(&format!("/cases/{id}/events"), manager).await.json(200);
        let last = events.as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["kind"], "owner");
        assert_eq!(last["to"], app.other_agent.id.to_string());
        assert_eq!(last["actor"]["id"], app.manager.id);
    }
    // And unassigns.
    app.post_json(
        "/cases/bulk",
        manager,
        &json!({"ids": [c], "action": "assign", "owner_id": null}),
    )
    .await
    .expect(200);
    assert!(app.case(manager, c).await.0["owner"].is_null());
    // A manager's spam and restore cover anybody's cases.
    app.post_json(
        "/cases/bulk",
        manager,
        &json!({"ids": [a, c, d], "action": "spam"}),
    )
    .await
    .expect(200);
    assert_eq!(app.case_ids(manager, "spam=true").await, [a, c, d]);
}
