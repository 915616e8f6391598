//! The funnel's figures and their settings.

use lejek_tests::{TestApp, both};
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
