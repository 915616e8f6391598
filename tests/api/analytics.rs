//! The funnel's figures and their settings.

use chrono::{DateTime, Utc};
use lejek_domain::analytics::{
    CaseHistory, GroupBy, HistoryEvent, OutcomeKey, Period, StepProbabilities, TeamMember, durations,
    forecast, funnel, outcomes, resignations, team,
};
use lejek_domain::{
    Amount, CallerTimeZone, CampaignId, Change, Currency, QualifierId, ResignationReason, Role, UserId,
};
use lejek_tests::{TestApp, both, case_body, in_days};
use serde_json::{Value, json};

both!(the_forecasts_chances_are_the_defaults_until_an_admin_sets_them);

fn chances(values: [&str; 6]) -> Value {
    let steps = [
        "awaiting_pickup",
        "call_scheduled",
        "after_call_meeting",
        "to_offer",
        "in_negotiation",
        "contract_sent",
    ];
    Value::Object(
        steps
            .iter()
            .zip(values)
            .map(|(step, value)| (step.to_string(), json!(value)))
            .collect(),
    )
}

async fn the_forecasts_chances_are_the_defaults_until_an_admin_sets_them(app: &TestApp) {
    let path = "/analytics/probabilities";
    let defaults = app.get(path, &app.agent.token).await.json(200);
    assert_eq!(
        defaults["probabilities"],
        chances(["0.10", "0.20", "0.30", "0.40", "0.60", "0.80"])
    );
    assert_eq!(defaults["rising"], true);
    assert!(defaults["updated_at"].is_null());

    // Only an admin sets them; a manager's attempt changes nothing.
    let mine = chances(["0.05", "0.125", "0.3", "0.4", "0.7", "1"]);
    app.put_json(path, &app.manager.token, &mine).await.expect(403);
    assert_eq!(app.get(path, &app.manager.token).await.json(200), defaults);

    let saved = app.put_json(path, &app.admin.token, &mine).await.json(200);
    assert_eq!(
        saved["probabilities"],
        chances(["0.05", "0.125", "0.30", "0.40", "0.70", "1.00"])
    );
    assert_eq!(saved["rising"], true);
    assert!(saved["updated_at"].is_string());
    assert_eq!(app.get(path, &app.agent.token).await.json(200), saved);

    // Falling along the funnel is kept, with a warning.
    let falling = chances(["0.5", "0.4", "0.3", "0.2", "0.1", "0"]);
    let kept = app.put_json(path, &app.admin.token, &falling).await.json(200);
    assert_eq!(kept["rising"], false);
    assert_eq!(kept["probabilities"]["contract_sent"], "0.00");

    // A chance that is not one names its field, and nothing is saved.
    for (field, value, code) in [
        ("to_offer", "1.5", "out_of_range"),
        ("awaiting_pickup", "0,3", "invalid_value"),
        ("contract_sent", "0.12345", "invalid_value"),
    ] {
        let mut body = falling.clone();
        body[field] = json!(value);
        app.put_json(path, &app.admin.token, &body)
            .await
            .invalid(field, code);
    }
    let mut unknown = falling.clone();
    unknown["acquired"] = json!("1");
    app.put_json(path, &app.admin.token, &unknown).await.problem_on(
        422,
        "validation_failed",
        "acquired",
        "unknown_field",
    );
    assert_eq!(app.get(path, &app.admin.token).await.json(200), kept);
}

both!(
    every_figure_answers_over_http_as_recomputed_from_the_events_api,
    the_figures_refuse_what_they_do_not_take_naming_the_parameter
);

/// A case as `GET /cases/{id}` and `GET /cases/{id}/events` tell it.
async fn history_over_http(app: &TestApp, token: &str, id: i64) -> CaseHistory {
    let (card, _) = app.case(token, id).await;
    let events = app.get(&format!("/cases/{id}/events"), token).await.json(200);
    let code = |value: &Value| value.as_str().map(str::to_owned);
    let user = |value: &Value| value.as_str().map(|id| UserId(id.parse().expect("user id")));
    let events = events
        .as_array()
        .expect("events")
        .iter()
        .map(|event| {
            let (from, to) = (&event["from"], &event["to"]);
            let change = match event["kind"].as_str().expect("kind") {
                "created" => Change::Created {
                    status: to.as_str().expect("status").parse().expect("status"),
                    owner: None,
                    campaign: CampaignId(0),
                },
                "status" => Change::Status {
                    from: from.as_str().expect("from").parse().expect("status"),
                    to: to.as_str().expect("to").parse().expect("status"),
                    reason: code(&event["reason"])
                        .map(|reason| ResignationReason::parse(&reason).expect("reason")),
                },
                "stage" => Change::Stage {
                    from: code(from).map(|stage| stage.parse().expect("stage")),
                    to: code(to).map(|stage| stage.parse().expect("stage")),
                },
                "owner" => Change::Owner {
                    from: user(from),
                    to: user(to),
                },
                _ => Change::Campaign {
                    from: CampaignId(0),
                    to: CampaignId(0),
                },
            };
            HistoryEvent {
                at: event["at"].as_str().expect("at").parse().expect("time"),
                actor: event["actor"]["id"].as_i64().map(UserId),
                change,
            }
        })
        .collect();
    let time = |value: &Value| {
        value
            .as_str()
            .map(|at| at.parse::<DateTime<Utc>>().expect("time"))
    };
    CaseHistory {
        created_at: time(&card["created_at"]).expect("created_at"),
        status: card["status"].as_str().expect("status").parse().expect("status"),
        stage: code(&card["stage"]).map(|stage| stage.parse().expect("stage")),
        owner: card["owner"]["id"].as_i64().map(UserId),
        source: card["source"].as_str().expect("source").parse().expect("source"),
        qualifier: card["qualifier"]["id"].as_i64().map(QualifierId),
        closed_at: time(&card["closed_at"]),
        expected_close_date: card["expected_close_date"]
            .as_str()
            .expect("date")
            .parse()
            .expect("date"),
        follow_up_at: time(&card["follow_up_at"]),
        value: card["value"].as_f64().map(|value| {
            (
                Amount::from_decimal(value).expect("value"),
                Currency::parse(card["currency"].as_str().expect("currency")).expect("currency"),
            )
        }),
        events,
    }
}

/// Every case the caller sees in the funnel, recomputable by hand.
async fn visible_histories(app: &TestApp, token: &str) -> Vec<CaseHistory> {
    let mut histories = Vec::new();
    for row in app.list_all("/cases", token, "tab=all").await {
        histories.push(history_over_http(app, token, row["id"].as_i64().expect("id")).await);
    }
    histories
}

fn json_of(value: impl serde::Serialize) -> Value {
    serde_json::to_value(value).expect("json")
}

async fn every_figure_answers_over_http_as_recomputed_from_the_events_api(app: &TestApp) {
    let offered =
        |days| json!({"status": "offered", "stage": "in_negotiation", "follow_up_at": in_days(days)});
    let mut body = case_body("Magazyn");
    body["value"] = json!(12_345.5);
    let won = app.create_case(&app.agent.token, &body).await;
    let won = won["id"].as_i64().expect("id");
    app.move_case(
        &app.agent.token,
        won,
        &json!({"status": "in_acquisition", "stage": "call_scheduled"}),
    )
    .await;
    app.move_case(&app.agent.token, won, &offered(3)).await;
    app.move_case(&app.agent.token, won, &json!({"status": "acquired"}))
        .await;
    let lost = app.new_case(&app.agent.token, "Biuro").await["id"]
        .as_i64()
        .expect("id");
    app.move_case(
        &app.agent.token,
        lost,
        &json!({"status": "resigned", "resignation_reason": "Za drogo"}),
    )
    .await;
    let overdue = app.new_case(&app.agent.token, "Hala").await["id"]
        .as_i64()
        .expect("id");
    app.move_case(&app.agent.token, overdue, &offered(-2)).await;
    let theirs = app.new_case(&app.other_agent.token, "Sklep").await["id"]
        .as_i64()
        .expect("id");
    app.move_case(
        &app.other_agent.token,
        theirs,
        &json!({"status": "resigned", "resignation_reason": "Brak kontaktu"}),
    )
    .await;
    let mut unassigned = case_body("Plac");
    unassigned["value"] = json!(99.99);
    unassigned["currency"] = json!("EUR");
    app.create_case(&app.manager.token, &unassigned).await;

    let now = Utc::now();
    let today = now.date_naive();
    let (from, to) = (today - chrono::Days::new(1), today);
    let period = Period::of_days(from, to, &CallerTimeZone::parse("UTC").expect("zone"));
    let span = format!("from={from}&to={to}");
    for user in [&app.manager, &app.agent] {
        let token = &user.token;
        let cases = visible_histories(app, token).await;
        let ask = |path: String| async move { app.get(&path, token).await.json(200) };
        assert_eq!(
            ask(format!("/analytics/funnel?{span}")).await,
            json_of(funnel(&cases, &period)),
            "{:?}",
            user.role
        );
        assert_eq!(
            ask(format!("/analytics/resignations?{span}")).await,
            json_of(resignations(&cases, &period))
        );
        let expected: Vec<Value> = outcomes(&cases, &period, GroupBy::Owner)
            .groups
            .into_iter()
            .map(|(key, group)| {
                let mut row = json_of(group);
                let owner = match key {
                    OutcomeKey::Owner(owner) => owner,
                    _ => None,
                };
                let name = owner.map(|id| {
                    app.users()
                        .into_iter()
                        .find(|user| user.id == id.0)
                        .map(|user| user.name.clone())
                        .expect("owner")
                });
                row["key"] = json!(owner.map(|id| id.0.to_string()));
                row["name"] = json!(name);
                row
            })
            .collect();
        let mut answered = ask(format!("/analytics/outcomes?{span}&group_by=owner")).await;
        let groups = answered["groups"].as_array_mut().expect("groups");
        // Owners come by name; the reference keys them by id.
        groups.sort_by_key(|group| group["key"].as_str().map(str::to_owned));
        assert_eq!(Value::Array(groups.clone()), Value::Array(expected));
        if user.role == Role::Agent {
            // Never another's name: only the agent's own group.
            assert!(
                groups
                    .iter()
                    .all(|group| group["key"] == json!(app.agent.id.to_string()))
            );
        }
        let forecast_answer = ask("/analytics/forecast?months=3".to_owned()).await;
        assert_eq!(
            forecast_answer,
            json_of(forecast(&cases, today, 3, StepProbabilities::default(), |at| at
                .date_naive()))
        );
        // The ages of the stays going on depend on the moment of the
        // request; the stays that ended do not.
        let answered = ask(format!("/analytics/durations?{span}")).await;
        let reference = json_of(durations(&cases, &period, now));
        for part in ["statuses", "stages"] {
            for (got, want) in answered[part]
                .as_array()
                .expect(part)
                .iter()
                .zip(reference[part].as_array().expect(part))
            {
                assert_eq!(got["left"], want["left"]);
                assert_eq!(got["current"]["count"], want["current"]["count"]);
            }
        }
    }

    let members: Vec<TeamMember> = [&app.manager, &app.agent, &app.other_agent]
        .into_iter()
        .map(|user| TeamMember {
            id: UserId(user.id),
            name: user.name.clone(),
        })
        .collect();
    let cases = visible_histories(app, &app.manager.token).await;
    let rows = app
        .get(&format!("/analytics/team?{span}"), &app.manager.token)
        .await
        .json(200);
    assert_eq!(rows["rows"], json_of(team(&cases, &members, &period, Utc::now())));
    assert_eq!(rows["rows"][0]["overdue_follow_ups"], 1, "{rows}");
    app.get(&format!("/analytics/team?{span}"), &app.agent.token)
        .await
        .expect(403);

    // The pipeline's filters narrow every figure: the phone source only.
    let by_source = app
        .get(
            &format!("/analytics/funnel?{span}&source=email"),
            &app.manager.token,
        )
        .await
        .json(200);
    assert_eq!(by_source["cohort"], 0);
}

async fn the_figures_refuse_what_they_do_not_take_naming_the_parameter(app: &TestApp) {
    let token = &app.manager.token;
    let refused = [
        ("/analytics/funnel?to=2026-11-30", "from", "required"),
        ("/analytics/funnel?from=2026-11-30", "to", "required"),
        (
            "/analytics/outcomes?from=2026-11-30&to=2026-11-01",
            "to",
            "inverted_range",
        ),
        (
            "/analytics/durations?from=2020-01-01&to=2026-11-30",
            "to",
            "out_of_range",
        ),
        (
            "/analytics/resignations?from=2026-11-01&to=2026-11-30&tab=new",
            "tab",
            "unknown_parameter",
        ),
        (
            "/analytics/funnel?from=2026-11-01&to=2026-11-30&sort=number",
            "sort",
            "unknown_parameter",
        ),
        (
            "/analytics/funnel?from=2026-11-01&to=2026-11-30&limit=5",
            "limit",
            "unknown_parameter",
        ),
        (
            "/analytics/funnel?from=2026-11-01&to=2026-11-30&spam=true",
            "spam",
            "unknown_parameter",
        ),
        (
            "/analytics/outcomes?from=2026-11-01&to=2026-11-30&group_by=day",
            "group_by",
            "invalid_value",
        ),
        (
            "/analytics/funnel?from=2026-11-01&to=2026-11-30&group_by=owner",
            "group_by",
            "unknown_parameter",
        ),
        ("/analytics/forecast?months=25", "months", "out_of_range"),
        ("/analytics/forecast?from=2026-11-01", "from", "unknown_parameter"),
        ("/analytics/forecast?tz=Mars/Olympus", "tz", "invalid_value"),
        (
            "/analytics/funnel?from=2026-11-31&to=2026-12-01",
            "from",
            "invalid_value",
        ),
    ];
    for (path, field, code) in refused {
        app.get(path, token)
            .await
            .problem_on(400, "invalid_parameter", field, code);
    }
    let spam = format!(
        "/analytics/funnel?from=2026-11-01&to=2026-11-30&campaign={}",
        app.spam_id
    );
    app.get(&spam, token)
        .await
        .problem_on(400, "invalid_parameter", "campaign", "invalid_value");
    app.get("/analytics/forecast", "not-a-token").await.expect(401);
}
