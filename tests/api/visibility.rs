//! Who sees what (spec section 1): another agent's case does not exist
//! for an agent on any route, in any list, count or search; and the
//! manager and admin routes refuse lower roles.

use lejek_tests::{Reply, TestApp, both, case_body};
use reqwest::Method;
use serde_json::{Value, json};

both!(
    another_agents_case_answers_404_on_every_route,
    agents_never_see_other_cases_in_lists_counts_or_search,
    manager_and_admin_routes_refuse_lower_roles,
);

/// Every request that names the case or its contact, as `token` sends it.
async fn every_route(app: &TestApp, token: &str, id: i64, contact: i64, etag: Option<&str>) -> Vec<Reply> {
    let mut replies = vec![
        app.get(&format!("/cases/{id}"), token).await,
        app.write(
            Method::PATCH,
            &format!("/cases/{id}"),
            token,
            etag,
            &json!({"subject": "Przejęta"}),
        )
        .await,
        app.write(
            Method::POST,
            &format!("/cases/{id}/transition"),
            token,
            etag,
            &json!({"status": "in_acquisition", "stage": "call_scheduled"}),
        )
        .await,
        app.write(
            Method::PUT,
            &format!("/cases/{id}/owner"),
            token,
            etag,
            &json!({"owner_id": null}),
        )
        .await,
        app.write(
            Method::PUT,
            &format!("/cases/{id}/campaign"),
            token,
            etag,
            &json!({"campaign_id": app.spam_id}),
        )
        .await,
        app.get(&format!("/cases/{id}/events"), token).await,
        app.get(&format!("/cases/{id}/notes"), token).await,
        app.post_json(
            &format!("/cases/{id}/notes"),
            token,
            &json!({"body": "Cudza notatka"}),
        )
        .await,
        app.get(&format!("/contacts/{contact}"), token).await,
        app.patch_json(
            &format!("/contacts/{contact}"),
            token,
            &json!({"name": "Przejęty"}),
        )
        .await,
        app.get(&format!("/contacts/{contact}/cases"), token).await,
    ];
    for action in ["spam", "restore"] {
        replies.push(
            app.post_json("/cases/bulk", token, &json!({"ids": [id], "action": action}))
                .await,
        );
    }
    replies
}

async fn another_agents_case_answers_404_on_every_route(app: &TestApp) {
    let case = app.new_case(&app.agent.token, "Sprawa Anny").await;
    let id = case["id"].as_i64().unwrap();
    let contact = case["contact"]["id"].as_i64().unwrap();
    let nobody = app.get("/cases/987654", &app.other_agent.token).await.expect(404);

    // With or without a (correct) If-Match: the case is not there, so
    // neither 428 nor 412 may give it away.
    for etag in [Some("\"1\""), None, Some("\"7\"")] {
        for reply in every_route(app, &app.other_agent.token, id, contact, etag).await {
            reply.problem(404, "not_found");
            assert_eq!(
                reply.without_request_id(),
                nobody.without_request_id(),
                "{} differs from a missing case",
                reply.request
            );
        }
    }
    // An unassigned case is hidden from every agent the same way.
    let unassigned = app.new_case(&app.manager.token, "Nieprzypisana").await;
    for reply in every_route(
        app,
        &app.agent.token,
        unassigned["id"].as_i64().unwrap(),
        unassigned["contact"]["id"].as_i64().unwrap(),
        Some("\"1\""),
    )
    .await
    {
        reply.problem(404, "not_found");
    }

    // Nothing changed, and the owner can do what the other could not.
    let (card, _) = app.case(&app.agent.token, id).await;
    assert_eq!(card, case);
    let notes = app
        .get(&format!("/cases/{id}/notes"), &app.agent.token)
        .await
        .json(200);
    assert_eq!(notes, json!([]));
    let contact_card = app
        .get(&format!("/contacts/{contact}"), &app.agent.token)
        .await
        .json(200);
    assert_eq!(contact_card["name"], case["contact"]["name"]);
    let replies = every_route(app, &app.agent.token, id, contact, Some("\"1\"")).await;
    let statuses: Vec<u16> = replies.iter().map(|reply| reply.status).collect();
    // The owner gets answers, not 404: once the first write bumped the
    // version, the other writes meet a stale ETag.
    assert_eq!(
        statuses,
        [200, 200, 412, 412, 412, 200, 200, 201, 200, 200, 200, 200, 200],
        "{:?}",
        replies.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
    // Managers and admins see every case.
    for token in [&app.manager.token, &app.admin.token] {
        app.get(&format!("/cases/{id}"), token).await.expect(200);
        app.get(&format!("/contacts/{contact}"), token).await.expect(200);
    }
}

fn ids(items: &Value) -> Vec<i64> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_i64().unwrap())
        .collect()
}

async fn agents_never_see_other_cases_in_lists_counts_or_search(app: &TestApp) {
    let (anna, olga) = (&app.agent.token, &app.other_agent.token);
    let mut annas = Vec::new();
    for (n, status) in [(1, None), (2, Some("offered")), (3, Some("resigned"))] {
        let case = app.new_case(anna, &format!("Tajny projekt Anny {n}")).await;
        let id = case["id"].as_i64().unwrap();
        match status {
            Some("offered") => {
                app.move_case(
                    anna,
                    id,
                    &json!({"status": "offered", "stage": "in_negotiation", "follow_up_at": lejek_tests::in_days(1)}),
                )
                .await;
            }
            Some(_) => {
                app.move_case(
                    anna,
                    id,
                    &json!({"status": "resigned", "resignation_reason": "Cena"}),
                )
                .await;
            }
            None => {}
        }
        annas.push(id);
    }
    let spam = app.new_case(anna, "Tajny projekt Anny spam").await;
    let spam_id = spam["id"].as_i64().unwrap();
    app.write(
        Method::PUT,
        &format!("/cases/{spam_id}/campaign"),
        anna,
        Some("\"1\""),
        &json!({"campaign_id": app.spam_id}),
    )
    .await
    .expect(200);
    let olgas = app.new_case(olga, "Projekt Olgi").await["id"].as_i64().unwrap();
    let unassigned = app.new_case(&app.manager.token, "Tajny projekt zarządu").await["id"]
        .as_i64()
        .unwrap();

    // Lists, in every tab and with filters that name Anna.
    for query in [
        "",
        "tab=new",
        "tab=offered",
        "tab=resigned",
        &format!("owner={}", app.agent.id),
        "owner=unassigned",
        &format!("created_by={}", app.agent.id),
        "subject=tajny",
        "spam=true",
        &format!("campaign={}", app.spam_id),
        "sort=owner",
    ] {
        let seen = app.case_ids(olga, query).await;
        assert!(
            seen.iter().all(|id| *id == olgas),
            "Olga sees {seen:?} under {query:?}"
        );
    }
    assert_eq!(app.case_ids(olga, "").await, [olgas]);
    let mut expected = annas.clone();
    expected.sort_unstable();
    assert_eq!(app.case_ids(anna, "").await, expected);
    assert_eq!(app.case_ids(anna, "spam=true").await, [spam_id]);

    // Counts, under the same filters.
    let zero = json!({"all": 0, "awaiting_pickup": 0, "in_acquisition": 0, "offered": 0, "resigned": 0, "acquired": 0});
    let one_new = json!({"all": 1, "awaiting_pickup": 1, "in_acquisition": 0, "offered": 0, "resigned": 0, "acquired": 0});
    assert_eq!(app.counts(olga, "").await, one_new);
    assert_eq!(app.counts(olga, &format!("owner={}", app.agent.id)).await, zero);
    assert_eq!(app.counts(olga, "subject=tajny").await, zero);
    assert_eq!(app.counts(olga, "spam=true").await, zero);
    assert_eq!(
        app.counts(anna, "").await,
        json!({"all": 3, "awaiting_pickup": 1, "in_acquisition": 0, "offered": 1, "resigned": 1, "acquired": 0})
    );
    let team = app.counts(&app.manager.token, "").await;
    assert_eq!(team["all"], 5);

    // Search across campaigns.
    for q in ["tajny", "Tajny%20projekt", "Anny%20spam"] {
        let found = app.get(&format!("/search?q={q}"), olga).await.json(200);
        assert_eq!(found["items"], json!([]), "Olga found something for {q}");
    }
    let number = spam["number"].as_i64().unwrap();
    let found = app.get(&format!("/search?q={number}"), olga).await.json(200);
    assert!(ids(&found["items"]).iter().all(|id| *id == olgas), "{found}");
    let found = app.get(&format!("/search?q={number}"), anna).await.json(200);
    assert!(ids(&found["items"]).contains(&spam_id), "{found}");
    let found = app.get(&format!("/search?q=%23{number}"), olga).await.json(200);
    assert_eq!(found["items"], json!([]));
    let found = app.get(&format!("/search?q=%23{number}"), anna).await.json(200);
    assert_eq!(ids(&found["items"]), [spam_id]);
    let found = app.get("/search?q=tajny", anna).await.json(200);
    let mut found_ids = ids(&found["items"]);
    found_ids.sort_unstable();
    let mut all_annas = annas.clone();
    all_annas.push(spam_id);
    all_annas.sort_unstable();
    assert_eq!(found_ids, all_annas);
    let found = app.get("/search?q=tajny", &app.manager.token).await.json(200);
    assert!(ids(&found["items"]).contains(&unassigned));

    // Contacts: only those of one's own cases.
    let contacts = app.list_all("/contacts", olga, "").await;
    let olgas_contact = app.case(olga, olgas).await.0["contact"]["id"].clone();
    assert!(
        contacts.iter().all(|contact| contact["id"] == olgas_contact),
        "{contacts:?}"
    );
}

async fn manager_and_admin_routes_refuse_lower_roles(app: &TestApp) {
    let (agent, manager, admin) = (&app.agent.token, &app.manager.token, &app.admin.token);

    // Users: managers read them, only admins change them.
    app.get("/users", agent).await.problem(403, "forbidden");
    let people = app.get("/users", manager).await.json(200);
    assert_eq!(people.as_array().unwrap().len(), 4);
    app.get("/users", admin).await.expect(200);
    let new_user = json!({"email": "nowy@lejek.test", "name": "Nowy", "role": "agent", "password": "bardzo-dlugie-haslo"});
    for token in [agent, manager] {
        app.post_json("/users", token, &new_user)
            .await
            .problem(403, "forbidden");
        for id in [app.agent.id, app.manager.id] {
            app.patch_json(&format!("/users/{id}"), token, &json!({"role": "admin"}))
                .await
                .problem(403, "forbidden");
        }
    }
    let people_after = app.get("/users", manager).await.json(200);
    assert_eq!(people, people_after);

    // Dictionaries: everybody reads them, only admins change them.
    for path in ["/qualifiers", "/resignation-reasons"] {
        let entry = app
            .post_json(path, admin, &json!({"name": "Wpis administratora"}))
            .await
            .json(201);
        for token in [agent, manager] {
            app.post_json(path, token, &json!({"name": "Mój wpis"}))
                .await
                .problem(403, "forbidden");
            app.delete(&format!("{path}/{}", entry["id"]), token)
                .await
                .problem(403, "forbidden");
            assert_eq!(app.get(path, token).await.json(200), json!([entry]));
        }
    }
    app.get("/campaigns", agent).await.expect(200);

    // API keys: admins only.
    for token in [agent, manager] {
        app.get("/api-keys", token).await.problem(403, "forbidden");
        app.post_json("/api-keys", token, &json!({"name": "Klucz", "role": "agent"}))
            .await
            .problem(403, "forbidden");
        app.delete("/api-keys/1", token).await.problem(403, "forbidden");
    }

    // Owners: managers assign, agents cannot, not even on their own case.
    let case = app.new_case(agent, "Moja sprawa").await;
    let id = case["id"].as_i64().unwrap();
    for owner in [json!(app.other_agent.id), Value::Null, json!(app.agent.id)] {
        app.write(
            Method::PUT,
            &format!("/cases/{id}/owner"),
            agent,
            Some("\"1\""),
            &json!({"owner_id": owner}),
        )
        .await
        .problem(403, "forbidden");
    }
    app.post_json(
        "/cases/bulk",
        agent,
        &json!({"ids": [id], "action": "assign", "owner_id": app.other_agent.id}),
    )
    .await
    .problem(403, "forbidden");
    assert_eq!(app.case(agent, id).await.0["version"], 1);
    let assigned = app
        .write(
            Method::PUT,
            &format!("/cases/{id}/owner"),
            manager,
            Some("\"1\""),
            &json!({"owner_id": app.other_agent.id}),
        )
        .await
        .json(200);
    assert_eq!(
        assigned["owner"],
        json!({"id": app.other_agent.id, "name": "Olga Obca"})
    );
    let events = app.get(&format!("/cases/{id}/events"), manager).await.json(200);
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (
            &last["kind"],
            &last["from"],
            &last["to"],
            &last["from_label"],
            &last["to_label"]
        ),
        (
            &json!("owner"),
            &json!(app.agent.id.to_string()),
            &json!(app.other_agent.id.to_string()),
            &json!("Anna Agentka"),
            &json!("Olga Obca")
        )
    );
    // The case left Anna.
    app.get(&format!("/cases/{id}"), agent)
        .await
        .problem(404, "not_found");
    // Only active people own cases.
    app.write(
        Method::PUT,
        &format!("/cases/{id}/owner"),
        manager,
        Some("\"2\""),
        &json!({"owner_id": 987_654}),
    )
    .await
    .invalid("owner_id", "unknown_reference");
    let unassigned = app
        .write(
            Method::PUT,
            &format!("/cases/{id}/owner"),
            admin,
            Some("\"2\""),
            &json!({"owner_id": null}),
        )
        .await
        .json(200);
    assert!(unassigned["owner"].is_null());

    // Without a token every route answers 401.
    for (method, path) in [
        (Method::GET, "/cases"),
        (Method::GET, "/cases/counts"),
        (Method::POST, "/cases"),
        (Method::GET, "/cases/1"),
        (Method::POST, "/cases/bulk"),
        (Method::GET, "/search?q=x"),
        (Method::GET, "/contacts"),
        (Method::GET, "/campaigns"),
        (Method::GET, "/users"),
        (Method::GET, "/qualifiers"),
        (Method::GET, "/api-keys"),
        (Method::GET, "/views/pipeline"),
        (Method::GET, "/me"),
    ] {
        app.send(app.request(method, path, None).json(&case_body("x")))
            .await
            .problem(401, "unauthorized");
    }
}
