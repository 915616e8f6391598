//! File imports: upload and preview, the run as a job, progress, the
//! refused rows report, re-imports, an agent's imports, and bad uploads.

use std::time::{Duration, Instant};

use lejek_tests::{TestApp, both, try_spawn_app_with};
use reqwest::Method;
use serde_json::{Value, json};

const CSV: &str = "text/csv";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/fixtures/intake/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

async fn upload(
    app: &TestApp,
    token: &str,
    bytes: Vec<u8>,
    content_type: &str,
    query: &str,
) -> lejek_tests::Reply {
    app.send(
        app.request(Method::POST, &format!("/imports?{query}"), Some(token))
            .header("content-type", content_type)
            .body(bytes),
    )
    .await
}

/// Runs an import with its suggested mapping and `options`, and waits for
/// its end.
async fn run_to_end(app: &TestApp, token: &str, import: &Value, options: Value) -> Value {
    let id = import["id"].as_i64().unwrap();
    let mut body = json!({ "mapping": import["mapping"] });
    for (key, value) in options.as_object().unwrap() {
        body[key] = value.clone();
    }
    let started = app
        .post_json(&format!("/imports/{id}/run"), token, &body)
        .await
        .json(202);
    assert!(
        ["queued", "running", "done"].contains(&started["state"].as_str().unwrap()),
        "{started}"
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let current = app.get(&format!("/imports/{id}"), token).await.json(200);
        if ["done", "failed"].contains(&current["state"].as_str().unwrap()) {
            return current;
        }
        assert!(Instant::now() < deadline, "the import did not finish: {current}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

both!(
    a_polish_excel_file_is_previewed_imported_and_its_refused_rows_reported,
    an_agents_import_is_their_own,
    external_ids_make_a_second_import_of_the_same_file_create_nothing,
    a_workbook_is_read_from_its_first_sheet_or_the_one_chosen,
    bad_uploads_are_refused_with_a_problem_and_change_nothing,
);

async fn a_polish_excel_file_is_previewed_imported_and_its_refused_rows_reported(app: &TestApp) {
    let manager = &app.manager.token;
    let before = app.counts(manager, "").await["all"].as_u64().unwrap();
    let reply = upload(
        app,
        manager,
        fixture("polish-excel.csv"),
        CSV,
        "file_name=leady.csv",
    )
    .await;
    let location = reply.header("location").map(str::to_owned);
    let preview = reply.json(201);
    let id = preview["id"].as_i64().unwrap();
    assert_eq!(location, Some(format!("/api/v1/imports/{id}")));
    assert_eq!(preview["state"], "uploaded");
    assert_eq!(preview["file_name"], "leady.csv");
    assert_eq!(preview["encoding"], "windows-1250");
    assert_eq!(preview["delimiter"], "semicolon");
    assert_eq!(preview["header"][1], "Źródło");
    assert_eq!(
        preview["mapping"],
        json!([
            "subject",
            "source",
            "contact_name",
            "company",
            "email",
            "phone",
            "expected_close_date",
            "value",
            "currency"
        ])
    );
    assert_eq!(preview["progress"]["total_rows"], 12);
    let rows = preview["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 12);
    assert_eq!(rows[0]["cells"][2], "Łukasz Żółć");
    assert_eq!(rows[0]["errors"], json!([]));
    let quoted = rows.iter().find(|row| row["row"] == 5).unwrap();
    assert_eq!(
        quoted["cells"][0],
        "Audyt magazynu; etap 1\nMagazyn w Gdańsku, ul. Długa 5"
    );
    let bad_email = rows.iter().find(|row| row["row"] == 6).unwrap();
    assert_eq!(bad_email["errors"][0]["column"], 4);
    assert_eq!(bad_email["errors"][0]["code"], "invalid_email");
    let no_subject = rows.iter().find(|row| row["row"] == 8).unwrap();
    assert_eq!(no_subject["errors"][0]["column"], 0);
    let refused_in_preview: Vec<i64> = rows
        .iter()
        .filter(|row| row["errors"] != json!([]))
        .map(|row| row["row"].as_i64().unwrap())
        .collect();
    assert_eq!(refused_in_preview, [6, 8]);

    let done = run_to_end(app, manager, &preview, json!({})).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(
        done["progress"],
        json!({ "total_rows": 12, "rows_done": 12, "created": 10, "contacts_reused": 1, "refused": 2 })
    );
    assert_eq!(
        app.counts(manager, "").await["all"].as_u64().unwrap(),
        before + 10
    );
    let imported = app.list_all("/cases", manager, "email=lukasz.zolc").await;
    assert_eq!(imported.len(), 2);
    let (card, _) = app.case(manager, imported[0]["id"].as_i64().unwrap()).await;
    assert_eq!(
        card["intake"],
        json!({ "channel": "import", "import_id": id, "web_form_id": null, "inbound_mail_id": null })
    );
    assert_eq!(card["owner"], Value::Null);
    assert_eq!(card["status"], "awaiting_pickup");
    let eur = app.list_all("/cases", manager, "subject=czytnik").await;
    assert_eq!(
        (eur[0]["value"].as_f64(), eur[0]["currency"].as_str()),
        (Some(2400.0), Some("EUR"))
    );

    let report = app.get(&format!("/imports/{id}/refusals?lang=pl"), manager).await;
    assert_eq!(report.status, 200);
    assert!(report.header("content-type").unwrap().starts_with("text/csv"));
    let text = report.text.strip_prefix('\u{feff}').expect("a BOM");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].starts_with("Wiersz;Kolumny;Kody błędów;Błędy;Temat;Źródło"),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with("6;E-mail;invalid_email;"), "{}", lines[1]);
    assert!(lines[1].contains("jan.kowalski(at)chlodnie.pl"));
    assert!(lines[2].starts_with("8;Temat;"), "{}", lines[2]);

    // The report maps as the file did: fixed and sent again, it imports.
    let fixed = text.replace("jan.kowalski(at)chlodnie.pl", "jan.kowalski@chlodnie.pl");
    let again = upload(app, manager, fixed.into_bytes(), CSV, "").await.json(201);
    assert_eq!(again["encoding"], "utf-8");
    let mapping = again["mapping"].as_array().unwrap();
    assert_eq!(
        &mapping[..4],
        &[Value::Null, Value::Null, Value::Null, Value::Null]
    );
    assert_eq!(mapping[4], "subject");
    let fixed_done = run_to_end(app, manager, &again, json!({})).await;
    assert_eq!(
        (
            fixed_done["progress"]["created"].as_u64(),
            fixed_done["progress"]["refused"].as_u64()
        ),
        (Some(1), Some(1))
    );

    // The same file again is recognised.
    let twice = upload(app, manager, fixture("polish-excel.csv"), CSV, "")
        .await
        .json(201);
    assert_eq!(twice["same_file_imports"], json!([id]));
    let listed = app.get("/imports", manager).await.json(200);
    assert_eq!(listed[0]["id"], twice["id"]);
    // Once run, an import cannot be run or read again another way.
    app.post_json(
        &format!("/imports/{id}/run"),
        manager,
        &json!({ "mapping": preview["mapping"] }),
    )
    .await
    .problem(409, "conflict");
    app.post_json(&format!("/imports/{id}/preview"), manager, &json!({}))
        .await
        .problem(409, "conflict");
}

async fn an_agents_import_is_their_own(app: &TestApp) {
    let agent = &app.agent.token;
    let preview = upload(app, agent, fixture("utf8-bom.csv"), CSV, "")
        .await
        .json(201);
    let id = preview["id"].as_i64().unwrap();
    assert_eq!(
        (preview["encoding"].as_str(), preview["delimiter"].as_str()),
        (Some("utf-8"), Some("comma"))
    );
    assert_eq!(preview["mapping"][9], "external_id");
    // An agent's cases are their own: no other owner may be chosen.
    let body = json!({ "mapping": preview["mapping"], "owner": "user", "owner_id": app.other_agent.id });
    app.post_json(&format!("/imports/{id}/run"), agent, &body)
        .await
        .problem_on(422, "owner_must_be_self", "owner", "owner_must_be_self");
    app.get(&format!("/imports/{id}"), &app.other_agent.token)
        .await
        .problem(404, "not_found");
    let done = run_to_end(app, agent, &preview, json!({})).await;
    assert_eq!(done["progress"]["created"], 6, "{done}");
    let imported = app.list_all("/cases", agent, "company=acme").await;
    assert_eq!(imported[0]["owner"]["id"], app.agent.id);
    assert!(
        app.list_all("/cases", &app.other_agent.token, "company=acme")
            .await
            .is_empty()
    );
    // Managers see everyone's imports; the other agent sees none of them.
    assert_eq!(
        app.get(&format!("/imports/{id}"), &app.manager.token)
            .await
            .json(200)["created_by"]["id"],
        app.agent.id
    );
    assert_eq!(
        app.get("/imports", &app.other_agent.token).await.json(200),
        json!([])
    );
}

async fn external_ids_make_a_second_import_of_the_same_file_create_nothing(app: &TestApp) {
    let manager = &app.manager.token;
    let first = upload(app, manager, fixture("utf8-bom.csv"), CSV, "")
        .await
        .json(201);
    let owner = json!({ "owner": "user", "owner_id": app.agent.id });
    let done = run_to_end(app, manager, &first, owner.clone()).await;
    assert_eq!(done["progress"]["created"], 6);
    let imported = app.list_all("/cases", &app.agent.token, "company=globex").await;
    assert_eq!(imported[0]["owner"]["id"], app.agent.id);
    let (card, _) = app.case(manager, imported[0]["id"].as_i64().unwrap()).await;
    assert_eq!(card["external_id"], "HS-1002");

    let second = upload(app, manager, fixture("utf8-bom.csv"), CSV, "")
        .await
        .json(201);
    assert_eq!(second["same_file_imports"], json!([first["id"]]));
    let again = run_to_end(app, manager, &second, owner).await;
    assert_eq!(
        (
            again["progress"]["created"].as_u64(),
            again["progress"]["refused"].as_u64()
        ),
        (Some(0), Some(6))
    );
    let report = app
        .get(&format!("/imports/{}/refusals", second["id"]), manager)
        .await;
    assert!(
        report
            .text
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("2;External ID;duplicate;"),
        "{}",
        report.text
    );

    let mut body = lejek_tests::case_body("By API");
    body["external_id"] = json!("HS-1001");
    app.post_json("/cases", manager, &body)
        .await
        .problem_on(422, "duplicate", "external_id", "duplicate");
}

async fn a_workbook_is_read_from_its_first_sheet_or_the_one_chosen(app: &TestApp) {
    let manager = &app.manager.token;
    let preview = upload(app, manager, fixture("leads.xlsx"), XLSX, "file_name=leady.xlsx")
        .await
        .json(201);
    assert_eq!(preview["format"], "xlsx");
    assert_eq!(preview["sheets"], json!(["Leady", "Inne"]));
    assert_eq!(preview["sheet"], "Leady");
    assert_eq!(preview["encoding"], Value::Null);
    let rows = preview["rows"].as_array().unwrap();
    assert_eq!(rows[0]["cells"][6], "2026-12-31");
    let refused: Vec<i64> = rows
        .iter()
        .filter(|row| row["errors"] != json!([]))
        .map(|row| row["row"].as_i64().unwrap())
        .collect();
    assert_eq!(refused, [6]);
    let id = preview["id"].as_i64().unwrap();
    let other = app
        .post_json(
            &format!("/imports/{id}/preview"),
            manager,
            &json!({ "sheet": "Inne" }),
        )
        .await
        .json(200);
    assert_eq!(
        (other["sheet"].as_str(), other["header"].clone()),
        (Some("Inne"), json!(["Notatka", "Data"]))
    );
    app.post_json(
        &format!("/imports/{id}/preview"),
        manager,
        &json!({ "sheet": "Brak" }),
    )
    .await
    .problem_on(422, "unknown_reference", "sheet", "unknown_reference");
    let back = app
        .post_json(
            &format!("/imports/{id}/preview"),
            manager,
            &json!({ "sheet": "Leady" }),
        )
        .await
        .json(200);
    let done = run_to_end(app, manager, &back, json!({})).await;
    assert_eq!(done["progress"]["refused"], 1, "{done}");
    assert_eq!(
        done["progress"]["created"].as_u64().unwrap() + 1,
        done["progress"]["total_rows"].as_u64().unwrap()
    );
}

async fn bad_uploads_are_refused_with_a_problem_and_change_nothing(app: &TestApp) {
    let manager = &app.manager.token;
    let mut garbage = vec![0_u8, 159, 146, 150, 0, 255];
    garbage.extend((0..4096_u32).map(|n| (n.wrapping_mul(2_654_435_761) >> 24) as u8));
    upload(app, manager, garbage, CSV, "").await.problem_on(
        422,
        "unreadable_file",
        "file",
        "unreadable_file",
    );
    let mut fake_zip = b"PK\x03\x04".to_vec();
    fake_zip.extend([7_u8; 512]);
    upload(app, manager, fake_zip, XLSX, "").await.problem_on(
        422,
        "unreadable_file",
        "file",
        "unreadable_file",
    );
    upload(app, manager, Vec::new(), CSV, "").await.problem_on(
        422,
        "unreadable_file",
        "file",
        "unreadable_file",
    );
    upload(app, manager, b"{}".to_vec(), "application/json", "")
        .await
        .problem(415, "unsupported_media_type");
    upload(app, manager, fixture("utf8-bom.csv"), CSV, "color=red")
        .await
        .problem_on(400, "invalid_parameter", "color", "unknown_parameter");
    upload(app, manager, fixture("utf8-bom.csv"), CSV, "encoding=latin-9")
        .await
        .problem_on(400, "invalid_parameter", "encoding", "invalid_value");
    let preview = upload(app, manager, fixture("utf8-bom.csv"), CSV, "")
        .await
        .json(201);
    let id = preview["id"].as_i64().unwrap();
    app.post_json(
        &format!("/imports/{id}/run"),
        manager,
        &json!({ "mapping": ["subject"] }),
    )
    .await
    .problem_on(422, "invalid_value", "mapping", "invalid_value");
    let mut twice = preview["mapping"].clone();
    twice[1] = json!("subject");
    app.post_json(
        &format!("/imports/{id}/run"),
        manager,
        &json!({ "mapping": twice }),
    )
    .await
    .problem_on(422, "duplicate", "mapping", "duplicate");
    app.post_json(
        &format!("/imports/{id}/run"),
        manager,
        &json!({ "mapping": preview["mapping"], "owner": "column" }),
    )
    .await
    .problem_on(422, "column_required", "mapping", "column_required");
    assert_eq!(
        app.get("/imports", manager)
            .await
            .json(200)
            .as_array()
            .unwrap()
            .len(),
        1
    );
    app.get("/imports/999999", manager)
        .await
        .problem(404, "not_found");
    assert_eq!(app.counts(manager, "").await["all"], 0);

    let small = try_spawn_app_with(app.backend, |settings| settings.max_upload_bytes = 100)
        .await
        .unwrap();
    upload(&small, &small.manager.token, fixture("utf8-bom.csv"), CSV, "")
        .await
        .problem(413, "payload_too_large");
    small.get("/imports", &small.manager.token).await.json(200);
    small.stop().await;
}
