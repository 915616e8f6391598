//! Saved view settings: per user, defaults until saved, validated.

use lejek_tests::{TestApp, both};
use reqwest::Method;
use serde_json::{Value, json};

both!(a_users_view_settings_are_saved_restored_and_reset);

async fn a_users_view_settings_are_saved_restored_and_reset(app: &TestApp) {
    let agent = &app.agent.token;
    let default = app.get("/views/pipeline", agent).await.json(200);
    assert_eq!(default["key"], "pipeline");
    assert!(default["updated_at"].is_null());
    let settings = default["settings"].clone();
    let columns = settings["columns"].as_array().unwrap().clone();
    let names: Vec<&str> = columns.iter().map(|c| c["column"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "number",
            "source",
            "status",
            "stage",
            "created_at",
            "expected_close_date",
            "follow_up_at",
            "contact",
            "company",
            "email",
            "phone",
            "subject",
            "qualifier",
            "owner",
            "spam"
        ]
    );
    assert_eq!(columns.iter().filter(|c| c["visible"] == true).count(), 12);
    assert_eq!(
        (settings["row_height"].as_str(), settings["query"].as_str()),
        (Some("normal"), Some(""))
    );

    // Customised: order, visibility, widths, row height, tab, filters, sort.
    let mut custom: Vec<Value> = columns.clone();
    custom.rotate_left(11);
    custom[0]["width"] = json!(320);
    for column in custom.iter_mut().filter(|c| c["column"] == "email") {
        column["visible"] = json!(false);
    }
    let mine = json!({
        "columns": custom,
        "row_height": "compact",
        "query": "tab=offered&source=phone,chat&created_from=2026-11-26&sort=-created_at",
    });
    let saved = app.put_json("/views/pipeline", agent, &mine).await.json(200);
    assert_eq!(saved["settings"], mine);
    assert!(saved["updated_at"].is_string());
    let read = app.get("/views/pipeline", agent).await.json(200);
    assert_eq!(read, saved);

    // Per user and per key.
    assert_eq!(
        app.get("/views/pipeline", &app.other_agent.token).await.json(200),
        default
    );

    // A view saved with fewer columns comes back with every column.
    let few = json!({"columns": [custom[0], custom[1]], "row_height": "tall", "query": ""});
    app.put_json("/views/pipeline", agent, &few).await.expect(200);
    let read = app.get("/views/pipeline", agent).await.json(200);
    let read_columns = read["settings"]["columns"].as_array().unwrap();
    assert_eq!(read_columns.len(), 15);
    assert_eq!(read_columns[..2], [custom[0].clone(), custom[1].clone()]);

    // Refused settings name what is wrong, and leave the saved ones alone.
    let with = |key: &str, value: Value| {
        let mut body = mine.clone();
        body[key] = value;
        body
    };
    let mut repeated = custom.clone();
    repeated.push(custom[0].clone());
    let mut narrow = custom.clone();
    narrow[1]["width"] = json!(5);
    for (body, field, code) in [
        (with("columns", json!(repeated)), "columns", "duplicate"),
        (with("columns", json!(narrow)), "columns.width", "out_of_range"),
        (with("query", json!("tab=nowhere")), "query", "invalid_value"),
        (with("query", json!("colour=red")), "query", "invalid_value"),
        (
            with("query", json!("sort=company&limit=20")),
            "query",
            "invalid_value",
        ),
    ] {
        app.put_json("/views/pipeline", agent, &body)
            .await
            .invalid(field, code);
    }
    for (body, field, code) in [
        (with("row_height", json!("huge")), "row_height", "invalid_type"),
        (
            with(
                "columns",
                json!([{"column": "fax", "visible": true, "width": 100}]),
            ),
            "columns[0].column",
            "invalid_type",
        ),
        (with("theme", json!("dark")), "theme", "unknown_field"),
        (
            json!({"columns": [], "row_height": "normal"}),
            "query",
            "required",
        ),
    ] {
        app.put_json("/views/pipeline", agent, &body)
            .await
            .problem_on(422, "validation_failed", field, code);
    }
    assert_eq!(app.get("/views/pipeline", agent).await.json(200), read);

    // The views are the documented ones; no other key names anything.
    for key in ["search-v2", "Pipeline", "a%20b", &"k".repeat(65)] {
        app.get(&format!("/views/{key}"), agent)
            .await
            .problem(404, "not_found");
        app.put_json(&format!("/views/{key}"), agent, &mine)
            .await
            .problem(404, "not_found");
        app.send(app.request(Method::DELETE, &format!("/views/{key}"), Some(agent)))
            .await
            .problem(404, "not_found");
    }

    // Reset: back to the defaults; resetting again is fine.
    for _ in 0..2 {
        app.send(app.request(Method::DELETE, "/views/pipeline", Some(agent)))
            .await
            .expect(204);
        assert_eq!(app.get("/views/pipeline", agent).await.json(200), default);
    }
}
