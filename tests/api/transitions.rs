//! The funnel's state machine (spec section 3) through
//! `POST /cases/{id}/transition`, and the history it writes.

use chrono::{DateTime, Utc};
use lejek_tests::{TestApp, both, in_days};
use reqwest::Method;
use serde_json::{Value, json};

both!(
    every_funnel_rule_is_enforced_and_named,
    a_case_moves_through_the_funnel_with_its_history,
    closed_cases_only_reopen_and_only_by_a_manager,
);

fn time(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .and_then(|text| DateTime::parse_from_rfc3339(text).ok())
        .unwrap_or_else(|| panic!("not a timestamp: {value}"))
        .with_timezone(&Utc)
}

async fn every_funnel_rule_is_enforced_and_named(app: &TestApp) {
    let agent = &app.agent.token;
    let case = app.new_case(agent, "Reguły lejka").await;
    let id = case["id"].as_i64().unwrap();
    assert_eq!(case["status"], "awaiting_pickup");
    assert!(case["stage"].is_null());
    let (_, etag) = app.case(agent, id).await;
    assert_eq!(etag, "\"1\"");

    let broken = [
        (json!({"status": "in_acquisition"}), "stage", "stage_required"),
        (
            json!({"status": "in_acquisition", "stage": "contract_sent"}),
            "stage",
            "stage_not_in_status",
        ),
        (
            json!({"status": "offered", "stage": "to_offer", "follow_up_at": in_days(3)}),
            "stage",
            "stage_not_in_status",
        ),
        (
            json!({"status": "awaiting_pickup", "stage": "call_scheduled"}),
            "stage",
            "stage_not_allowed",
        ),
        (
            json!({"status": "acquired", "stage": "contract_sent"}),
            "stage",
            "stage_not_allowed",
        ),
        (
            json!({"status": "resigned", "stage": "in_negotiation", "resignation_reason": "Drogo"}),
            "stage",
            "stage_not_allowed",
        ),
        (
            json!({"status": "offered", "stage": "in_negotiation"}),
            "follow_up_at",
            "follow_up_required",
        ),
        (
            json!({"status": "resigned"}),
            "resignation_reason",
            "resignation_reason_required",
        ),
        (
            json!({"status": "resigned", "resignation_reason": "   "}),
            "resignation_reason",
            "resignation_reason_required",
        ),
        (
            json!({"status": "in_acquisition", "stage": "call_scheduled", "resignation_reason": "Drogo"}),
            "resignation_reason",
            "resignation_reason_not_allowed",
        ),
        (
            json!({"status": "acquired", "resignation_reason": "Drogo"}),
            "resignation_reason",
            "resignation_reason_not_allowed",
        ),
        (
            json!({"status": "acquired", "follow_up_at": in_days(2)}),
            "follow_up_at",
            "follow_up_not_allowed",
        ),
        (
            json!({"status": "resigned", "resignation_reason": "x".repeat(501)}),
            "resignation_reason",
            "too_long",
        ),
    ];
    for (body, field, code) in broken {
        let reply = app.transition(agent, id, Some(&etag), &body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(
            reply.field_errors(),
            [(field.to_owned(), code.to_owned())],
            "{body}"
        );
        reply.problem(422, code);
    }

    // Every broken rule of one request is named at once.
    let several = app
        .transition(agent, id, Some(&etag), &json!({"status": "offered"}))
        .await;
    several.problem(422, "validation_failed");
    let mut errors = several.field_errors();
    errors.sort();
    assert_eq!(
        errors,
        [
            ("follow_up_at".to_owned(), "follow_up_required".to_owned()),
            ("stage".to_owned(), "stage_required".to_owned()),
        ]
    );

    // Codes the funnel does not know are refused by name.
    for (body, field) in [
        (json!({"status": "won"}), "status"),
        (json!({"status": "in_acquisition", "stage": "lunch"}), "stage"),
        (json!({"stage": "call_scheduled"}), "status"),
        (
            json!({"status": "offered", "stage": "in_negotiation", "follow_up_at": "tomorrow"}),
            "follow_up_at",
        ),
    ] {
        let reply = app.transition(agent, id, Some(&etag), &body).await;
        assert_eq!(reply.status, 422, "{body}: {}", reply.text);
        assert_eq!(reply.field_errors()[0].0, field, "{body}: {}", reply.text);
        reply.problem(422, "validation_failed");
    }

    // Nothing of that changed the case or wrote history.
    let (card, etag_after) = app.case(agent, id).await;
    assert_eq!(
        (card["version"].as_i64(), etag_after.as_str()),
        (Some(1), "\"1\"")
    );
    assert_eq!(card["status"], "awaiting_pickup");
    let events = app.get(&format!("/cases/{id}/events"), agent).await.json(200);
    assert_eq!(events.as_array().unwrap().len(), 1, "{events}");
}

/// `(kind, from, to, reason)` of every event of the case.
async fn history(app: &TestApp, token: &str, id: i64) -> Vec<(String, Value, Value, Value, i64)> {
    let events = app.get(&format!("/cases/{id}/events"), token).await.json(200);
    let events = events.as_array().unwrap();
    let mut previous: Option<(i64, DateTime<Utc>)> = None;
    for event in events {
        let at = time(&event["at"]);
        let event_id = event["id"].as_i64().unwrap();
        if let Some((previous_id, previous_at)) = previous {
            assert!(
                event_id > previous_id && at >= previous_at,
                "oldest first: {events:?}"
            );
        }
        previous = Some((event_id, at));
    }
    events
        .iter()
        .map(|event| {
            (
                event["kind"].as_str().unwrap().to_owned(),
                event["from"].clone(),
                event["to"].clone(),
                event["reason"].clone(),
                event["actor"]["id"].as_i64().unwrap(),
            )
        })
        .collect()
}

async fn a_case_moves_through_the_funnel_with_its_history(app: &TestApp) {
    let agent = &app.agent.token;
    let id = app.new_case(agent, "Przez cały lejek").await["id"]
        .as_i64()
        .unwrap();

    let moved = app
        .transition(
            agent,
            id,
            Some("\"1\""),
            &json!({"status": "in_acquisition", "stage": "call_scheduled"}),
        )
        .await
        .expect(200);
    assert_eq!(moved.etag(), "\"2\"");
    assert_eq!(
        (
            &moved.json["status"],
            &moved.json["stage"],
            &moved.json["version"]
        ),
        (&json!("in_acquisition"), &json!("call_scheduled"), &json!(2))
    );

    // The stage changes freely within an open status.
    let moved = app
        .transition(
            agent,
            id,
            Some("\"2\""),
            &json!({"status": "in_acquisition", "stage": "to_offer"}),
        )
        .await
        .json(200);
    assert_eq!(moved["stage"], "to_offer");

    let follow_up = in_days(3);
    let offered = app
        .move_case(
            agent,
            id,
            &json!({"status": "offered", "stage": "in_negotiation", "follow_up_at": follow_up}),
        )
        .await;
    assert_eq!(offered["status"], "offered");
    assert_eq!(time(&offered["follow_up_at"]), time(&json!(follow_up)));

    // Within Offered the follow-up date is kept when not repeated.
    let offered = app
        .move_case(agent, id, &json!({"status": "offered", "stage": "contract_sent"}))
        .await;
    assert_eq!(offered["stage"], "contract_sent");
    assert_eq!(time(&offered["follow_up_at"]), time(&json!(follow_up)));
    assert!(offered["closed_at"].is_null());

    let before = Utc::now() - chrono::Duration::seconds(5);
    let resigned = app
        .move_case(
            agent,
            id,
            &json!({"status": "resigned", "resignation_reason": "  Wybrali konkurencję "}),
        )
        .await;
    assert_eq!(resigned["status"], "resigned");
    assert!(resigned["stage"].is_null());
    assert!(resigned["follow_up_at"].is_null());
    assert_eq!(resigned["resignation_reason"], "Wybrali konkurencję");
    assert!(time(&resigned["closed_at"]) >= before);
    assert_eq!(resigned["version"], 6);

    // The card shows the reason; the list row never carries it.
    let rows = app.list_all("/cases", agent, "").await;
    let row = rows.iter().find(|row| row["id"] == id).unwrap();
    assert!(row.get("resignation_reason").is_none(), "{row}");
    assert!(row.get("closed_at").is_none(), "{row}");
    assert_eq!(row["status"], "resigned");
    let searched = app.get("/search?q=Przez%20ca%C5%82y", agent).await.json(200);
    assert!(searched["items"][0].get("resignation_reason").is_none());

    let (kind, from, to, reason, actor): (Vec<_>, Vec<_>, Vec<_>, Vec<_>, Vec<_>) = {
        let events = history(app, agent, id).await;
        let mut columns = (vec![], vec![], vec![], vec![], vec![]);
        for (k, f, t, r, a) in events {
            columns.0.push(k);
            columns.1.push(f);
            columns.2.push(t);
            columns.3.push(r);
            columns.4.push(a);
        }
        columns
    };
    assert_eq!(
        kind,
        [
            "created", "status", "stage", "stage", "status", "stage", "stage", "status", "stage"
        ]
    );
    assert_eq!(
        from,
        [
            Value::Null,
            json!("awaiting_pickup"),
            Value::Null,
            json!("call_scheduled"),
            json!("in_acquisition"),
            json!("to_offer"),
            json!("in_negotiation"),
            json!("offered"),
            json!("contract_sent"),
        ]
    );
    assert_eq!(
        to,
        [
            json!("awaiting_pickup"),
            json!("in_acquisition"),
            json!("call_scheduled"),
            json!("to_offer"),
            json!("offered"),
            json!("in_negotiation"),
            json!("contract_sent"),
            json!("resigned"),
            Value::Null,
        ]
    );
    let mut expected_reasons = vec![Value::Null; 9];
    expected_reasons[7] = json!("Wybrali konkurencję");
    assert_eq!(reason, expected_reasons);
    assert!(actor.iter().all(|a| *a == app.agent.id), "{actor:?}");
}

async fn closed_cases_only_reopen_and_only_by_a_manager(app: &TestApp) {
    let agent = &app.agent.token;
    let manager = &app.manager.token;
    let id = app.new_case(agent, "Zamknięta i wznowiona").await["id"]
        .as_i64()
        .unwrap();
    app.move_case(
        agent,
        id,
        &json!({"status": "resigned", "resignation_reason": "Brak budżetu"}),
    )
    .await;
    let (_, etag) = app.case(agent, id).await;

    // Closed to closed is never allowed, for anybody.
    for token in [agent, manager, &app.admin.token] {
        for body in [
            json!({"status": "acquired"}),
            json!({"status": "resigned", "resignation_reason": "Inny powód"}),
        ] {
            app.transition(token, id, Some(&etag), &body)
                .await
                .problem(403, "transition_forbidden");
        }
    }
    // An agent cannot reopen, even with every field right.
    for body in [
        json!({"status": "in_acquisition", "stage": "call_scheduled"}),
        json!({"status": "awaiting_pickup"}),
        json!({"status": "offered", "stage": "in_negotiation", "follow_up_at": in_days(1)}),
    ] {
        app.transition(agent, id, Some(&etag), &body)
            .await
            .problem(403, "transition_forbidden");
    }
    // Nor edit the closed case; a manager may.
    app.write(
        Method::PATCH,
        &format!("/cases/{id}"),
        agent,
        Some(&etag),
        &json!({"subject": "Zmiana"}),
    )
    .await
    .problem(403, "forbidden");
    let (card, _) = app.case(agent, id).await;
    assert_eq!(
        (card["status"].as_str(), card["version"].as_i64()),
        (Some("resigned"), Some(2))
    );

    // Reopening still follows the target status's rules.
    app.transition(manager, id, Some(&etag), &json!({"status": "in_acquisition"}))
        .await
        .invalid("stage", "stage_required");

    let reopened = app
        .transition(
            manager,
            id,
            Some(&etag),
            &json!({"status": "in_acquisition", "stage": "after_call_meeting"}),
        )
        .await
        .json(200);
    assert_eq!(reopened["status"], "in_acquisition");
    assert!(reopened["closed_at"].is_null());
    assert!(reopened["resignation_reason"].is_null());
    assert_eq!(reopened["owner"]["id"], app.agent.id);

    // The agent takes it on to a win; the admin reopens that too.
    let won = app.move_case(agent, id, &json!({"status": "acquired"})).await;
    assert!(won["closed_at"].is_string());
    assert!(won["stage"].is_null());
    let reopened = app
        .move_case(&app.admin.token, id, &json!({"status": "awaiting_pickup"}))
        .await;
    assert_eq!(reopened["status"], "awaiting_pickup");
    assert!(reopened["closed_at"].is_null());

    let events = history(app, agent, id).await;
    let moves: Vec<(&str, &Value, &Value, &Value, i64)> = events
        .iter()
        .map(|(k, f, t, r, a)| (k.as_str(), f, t, r, *a))
        .collect();
    let null = Value::Null;
    let s = |text: &str| json!(text);
    let expected = [
        ("created", &null, &s("awaiting_pickup"), &null, app.agent.id),
        (
            "status",
            &s("awaiting_pickup"),
            &s("resigned"),
            &s("Brak budżetu"),
            app.agent.id,
        ),
        (
            "status",
            &s("resigned"),
            &s("in_acquisition"),
            &null,
            app.manager.id,
        ),
        ("stage", &null, &s("after_call_meeting"), &null, app.manager.id),
        (
            "status",
            &s("in_acquisition"),
            &s("acquired"),
            &null,
            app.agent.id,
        ),
        ("stage", &s("after_call_meeting"), &null, &null, app.agent.id),
        (
            "status",
            &s("acquired"),
            &s("awaiting_pickup"),
            &null,
            app.admin.id,
        ),
    ];
    assert_eq!(moves.len(), expected.len(), "{moves:?}");
    for (got, want) in moves.iter().zip(expected.iter()) {
        assert_eq!(
            (got.0, got.1, got.2, got.3, got.4),
            (want.0, want.1, want.2, want.3, want.4)
        );
    }
}
