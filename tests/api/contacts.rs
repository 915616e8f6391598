//! Contacts: create, read, list, edit, and their cases' rows following
//! every edit.

use lejek_tests::{TestApp, both};
use reqwest::Method;
use serde_json::{Value, json};

both!(contacts_are_created_listed_and_edited_and_case_rows_follow);
both!(an_agents_look_up_holds_each_of_their_contacts_once_in_name_order);

async fn contacts_are_created_listed_and_edited_and_case_rows_follow(app: &TestApp) {
    let agent = &app.agent.token;
    let reply = app
        .post_json(
            "/contacts",
            agent,
            &json!({"name": " Zofia Żółć ", "company": "Łódzkie Młyny", "email": "Zofia@Mlyny.PL", "phone": "+48 42 123 45 67"}),
        )
        .await
        .expect(201);
    let contact = reply.json.clone();
    let id = contact["id"].as_i64().unwrap();
    assert_eq!(reply.header("location"), Some(&*format!("/api/v1/contacts/{id}")));
    assert_eq!(
        (
            &contact["name"],
            &contact["company"],
            &contact["email"],
            &contact["phone"]
        ),
        (
            &json!("Zofia Żółć"),
            &json!("Łódzkie Młyny"),
            &json!("zofia@mlyny.pl"),
            &json!("+48 42 123 45 67")
        )
    );
    assert!(contact["created_at"].is_string());
    assert_eq!(
        app.get(&format!("/contacts/{id}"), agent).await.json(200),
        contact
    );

    for (body, field, code) in [
        (json!({}), "name", "required"),
        (json!({"name": "  "}), "name", "blank"),
        (
            json!({"name": "Jan", "email": "jan(at)firma.pl"}),
            "email",
            "invalid_email",
        ),
        (json!({"name": "Jan", "phone": "12"}), "phone", "invalid_phone"),
        (
            json!({"name": "Jan", "company": "x".repeat(201)}),
            "company",
            "too_long",
        ),
    ] {
        app.post_json("/contacts", agent, &body)
            .await
            .invalid(field, code);
    }
    app.post_json("/contacts", agent, &json!({"name": "Jan", "fax": "1"}))
        .await
        .problem_on(422, "validation_failed", "fax", "unknown_field");

    // Two cases of the contact.
    let mut case_ids = Vec::new();
    for subject in ["Mąka na zimę", "Otręby"] {
        let case = app
            .create_case(
                agent,
                &json!({"subject": subject, "source": "direct_visit", "expected_close_date": "2027-01-31", "contact_id": id}),
            )
            .await;
        assert_eq!(case["company"], "Łódzkie Młyny");
        case_ids.push(case["id"].as_i64().unwrap());
    }
    let listed = app.get(&format!("/contacts/{id}/cases"), agent).await.json(200);
    let listed: Vec<i64> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, [case_ids[1], case_ids[0]]);

    // Search by name, company, e-mail or phone digits.
    for q in [
        "zofia",
        "M%C5%81YNY",
        "%C5%81%C3%B3dzkie",
        "%C5%BC%C3%93%C5%81%C4%86",
        "mlyny.pl",
        "4212345",
        "42-123",
    ] {
        let found = app.list_all("/contacts", agent, &format!("q={q}")).await;
        assert!(found.iter().any(|c| c["id"] == id), "contacts?q={q}: {found:?}");
    }
    let found = app.list_all("/contacts", agent, "q=nikogo-takiego").await;
    assert!(found.is_empty());

    // Edit: the case rows show the new values at once, and filter on them.
    let patched = app
        .patch_json(
            &format!("/contacts/{id}"),
            agent,
            &json!({"name": "Zofia Nowak", "company": "Nowe Młyny", "email": "biuro@nowe.pl", "phone": "601 000 111"}),
        )
        .await
        .json(200);
    assert_eq!(patched["name"], "Zofia Nowak");
    assert_eq!(patched["created_at"], contact["created_at"]);
    let rows = app.list_all("/cases", agent, "").await;
    for row in rows.iter().filter(|row| row["contact"]["id"] == id) {
        assert_eq!(row["contact"]["name"], "Zofia Nowak");
        assert_eq!(row["company"], "Nowe Młyny");
        assert_eq!(row["email"], "biuro@nowe.pl");
        assert_eq!(row["phone"], "601 000 111");
    }
    let mut sorted = case_ids.clone();
    sorted.sort_unstable();
    for query in [
        "company=nowe%20m",
        "contact=NOWAK",
        "email=biuro%40",
        "phone=601-000",
        "sort=company",
    ] {
        let ids = app.case_ids(agent, query).await;
        assert_eq!(ids, sorted, "{query}");
    }
    assert_eq!(
        app.case_ids(agent, "company=%C5%82%C3%B3dzkie").await,
        Vec::<i64>::new()
    );
    assert_eq!(app.case_ids(agent, "phone=4212345").await, Vec::<i64>::new());
    let (card, _) = app.case(agent, case_ids[0]).await;
    assert_eq!(card["contact"]["name"], "Zofia Nowak");

    // A missing field is kept, null clears it (not the name).
    let cleared = app
        .patch_json(
            &format!("/contacts/{id}"),
            agent,
            &json!({"company": null, "phone": ""}),
        )
        .await
        .json(200);
    assert!(cleared["company"].is_null() && cleared["phone"].is_null());
    assert_eq!(cleared["email"], "biuro@nowe.pl");
    let (card, _) = app.case(agent, case_ids[1]).await;
    assert!(card["company"].is_null() && card["phone"].is_null());
    assert_eq!(app.case_ids(agent, "company=m%C5%82yny").await, Vec::<i64>::new());
    for (body, field, code) in [
        (json!({"name": null}), "name", "required"),
        (json!({"name": " "}), "name", "blank"),
        (json!({"email": "biuro@"}), "email", "invalid_email"),
        (json!({"phone": "abc"}), "phone", "invalid_phone"),
    ] {
        app.patch_json(&format!("/contacts/{id}"), agent, &body)
            .await
            .invalid(field, code);
    }
    app.patch_json(&format!("/contacts/{id}"), agent, &json!({"nip": "123"}))
        .await
        .problem_on(422, "validation_failed", "nip", "unknown_field");
    assert_eq!(
        app.get(&format!("/contacts/{id}"), agent).await.json(200),
        cleared
    );

    // Another agent does not see the contact; managers do.
    let other = &app.other_agent.token;
    app.get(&format!("/contacts/{id}"), other)
        .await
        .problem(404, "not_found");
    assert!(
        app.list_all("/contacts", other, "")
            .await
            .iter()
            .all(|c| c["id"] != id)
    );
    app.get(&format!("/contacts/{id}"), &app.manager.token)
        .await
        .expect(200);

    // Paging through contacts one at a time visits each once, by name.
    for n in 0..4 {
        app.post_json("/contacts", agent, &json!({"name": format!("Adam {n}")}))
            .await
            .expect(201);
    }
    let all = app.list_all("/contacts", agent, "limit=1").await;
    assert_eq!(all.len(), 5);
    let names: Vec<String> = all
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_lowercase())
        .collect();
    let mut sorted_names = names.clone();
    sorted_names.sort();
    assert_eq!(names, sorted_names);

    // A case can switch to another contact; its row follows.
    let adam = all.iter().find(|c| c["name"] == "Adam 0").unwrap();
    let (_, etag) = app.case(agent, case_ids[0]).await;
    let moved = app
        .write(
            Method::PATCH,
            &format!("/cases/{}", case_ids[0]),
            agent,
            Some(&etag),
            &json!({"contact_id": adam["id"]}),
        )
        .await
        .json(200);
    assert_eq!(moved["contact"], json!({"id": adam["id"], "name": "Adam 0"}));
    assert!(moved["email"].is_null());
    let remaining: Value = app.get(&format!("/contacts/{id}/cases"), agent).await.json(200);
    assert_eq!(remaining["items"].as_array().unwrap().len(), 1);
}

/// An agent's look-up reads their cases' copies of the contact columns and
/// the contacts they created: each contact once however many cases it has,
/// in name order across pages, and nobody else's.
async fn an_agents_look_up_holds_each_of_their_contacts_once_in_name_order(app: &TestApp) {
    let agent = &app.agent.token;
    let contact = |token: &'static str, body: Value| async move {
        let token = match token {
            "agent" => &app.agent.token,
            _ => &app.other_agent.token,
        };
        app.post_json("/contacts", token, &body).await.json(201)["id"]
            .as_i64()
            .unwrap()
    };
    let anna = contact(
        "agent",
        json!({"name": "Anna Kowalska", "company": "Kowal Sp. z o.o."}),
    )
    .await;
    let jan = contact("agent", json!({"name": "Jan Kowalczyk"})).await;
    let piotr = contact("agent", json!({"name": "Piotr Nowak", "email": "kowal@nowak.pl"})).await;
    let zenon = contact("agent", json!({"name": "Zenon Kowalik", "phone": "601 234 567"})).await;
    let ewa = contact("other", json!({"name": "Ewa Kowalewska"})).await;
    for (token, id) in [(agent, anna), (agent, anna), (agent, jan), (agent, piotr)] {
        app.create_case(
            token,
            &json!({"subject": "Dostawa", "source": "phone", "expected_close_date": "2027-01-31", "contact_id": id}),
        )
        .await;
    }
    app.create_case(
        &app.other_agent.token,
        &json!({"subject": "Dostawa", "source": "phone", "expected_close_date": "2027-01-31", "contact_id": ewa}),
    )
    .await;

    for (q, expected) in [
        ("kowal", vec![anna, jan, piotr, zenon]),
        ("KOWAL%20SP", vec![anna]),
        ("nowak.pl", vec![piotr]),
        ("234-56", vec![zenon]),
        ("ewa", vec![]),
    ] {
        let mut pages = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut url = format!("/contacts?q={q}&limit=1");
            if let Some(cursor) = &cursor {
                url.push_str(&format!("&cursor={cursor}"));
            }
            let page = app.get(&url, agent).await.json(200);
            pages.extend(
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["id"].as_i64().unwrap()),
            );
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        assert_eq!(pages, expected, "contacts?q={q}");
    }
}
