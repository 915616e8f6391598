//! Administration: dictionaries and users.

use lejek_tests::{TestApp, both, case_body};
use reqwest::Method;
use serde_json::json;

both!(
    dictionaries_are_read_by_all_and_changed_by_admins,
    admins_create_change_and_deactivate_users,
);

async fn dictionaries_are_read_by_all_and_changed_by_admins(app: &TestApp) {
    let (admin, agent) = (&app.admin.token, &app.agent.token);
    for path in ["/qualifiers", "/resignation-reasons"] {
        assert_eq!(app.get(path, agent).await.json(200), json!([]));
        let hot = app
            .post_json(path, admin, &json!({"name": "  Gorący  "}))
            .await
            .json(201);
        assert_eq!(hot["name"], "Gorący");
        let b2b = app
            .post_json(path, admin, &json!({"name": "B2B"}))
            .await
            .json(201);
        // Active entries, by name.
        assert_eq!(app.get(path, agent).await.json(200), json!([b2b, hot]));

        app.post_json(path, admin, &json!({"name": "Gorący"}))
            .await
            .problem_on(409, "conflict", "name", "taken");
        app.post_json(path, admin, &json!({"name": " "}))
            .await
            .invalid("name", "blank");
        app.post_json(path, admin, &json!({"name": "x".repeat(101)}))
            .await
            .invalid("name", "too_long");
        app.post_json(path, admin, &json!({"label": "x"}))
            .await
            .problem_on(422, "validation_failed", "label", "unknown_field");

        // Removed entries leave the list; their name is free again.
        app.delete(&format!("{path}/{}", hot["id"]), admin)
            .await
            .expect(204);
        assert_eq!(app.get(path, agent).await.json(200), json!([b2b]));
        app.delete(&format!("{path}/{}", hot["id"]), admin)
            .await
            .problem(404, "not_found");
        app.delete(&format!("{path}/987654"), admin)
            .await
            .problem(404, "not_found");
        app.delete(&format!("{path}/abc"), admin)
            .await
            .problem(404, "not_found");
        let again = app
            .post_json(path, admin, &json!({"name": "Gorący"}))
            .await
            .json(201);
        assert_ne!(again["id"], hot["id"]);
    }

    // Qualifiers on cases: set, filtered on, cleared; an archived one
    // stays on its cases but cannot be picked.
    let vip = app
        .post_json("/qualifiers", admin, &json!({"name": "VIP"}))
        .await
        .json(201);
    let mut body = case_body("Z kwalifikatorem");
    body["qualifier"] = vip["id"].clone();
    let case = app.create_case(agent, &body).await;
    assert_eq!(case["qualifier"], vip);
    let id = case["id"].as_i64().unwrap();
    assert_eq!(
        app.case_ids(agent, &format!("qualifier={}", vip["id"])).await,
        [id]
    );
    app.delete(&format!("/qualifiers/{}", vip["id"]), admin)
        .await
        .expect(204);
    assert_eq!(app.case(agent, id).await.0["qualifier"], vip);
    app.post_json("/cases", agent, &body)
        .await
        .invalid("qualifier", "unknown_reference");
    let patched = app
        .write(
            Method::PATCH,
            &format!("/cases/{id}"),
            agent,
            Some("\"1\""),
            &json!({"qualifier": null}),
        )
        .await
        .json(200);
    assert!(patched["qualifier"].is_null());
    app.write(
        Method::PATCH,
        &format!("/cases/{id}"),
        agent,
        Some("\"2\""),
        &json!({"qualifier": vip["id"]}),
    )
    .await
    .invalid("qualifier", "unknown_reference");
}

async fn admins_create_change_and_deactivate_users(app: &TestApp) {
    let admin = &app.admin.token;
    let people = app.get("/users", admin).await.json(200);
    let names: Vec<&str> = people
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Ada Admińska", "Anna Agentka", "Marek Menedżer", "Olga Obca"]
    );
    assert_eq!(
        people[0],
        json!({"id": app.admin.id, "email": "admin@lejek.test", "name": "Ada Admińska", "role": "admin", "active": true})
    );

    let password = "długie hasło 123";
    let reply = app
        .post_json(
            "/users",
            admin,
            &json!({"email": " Nowy.Handlowiec@Lejek.TEST ", "name": "Nowy Handlowiec", "role": "agent", "password": password}),
        )
        .await
        .expect(201);
    let user = reply.json.clone();
    let id = user["id"].as_i64().unwrap();
    assert_eq!(reply.header("location"), Some(&*format!("/api/v1/users/{id}")));
    assert_eq!(
        user,
        json!({"id": id, "email": "nowy.handlowiec@lejek.test", "name": "Nowy Handlowiec", "role": "agent", "active": true})
    );
    assert!(!reply.text.contains("password") && !reply.text.contains(password));

    // The new user logs in (the password was hashed for real).
    let login = app.login("nowy.handlowiec@lejek.test", password).await.json(200);
    let token = login["access_token"].as_str().unwrap().to_owned();
    let refresh_token = login["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/me", &token).await.json(200)["id"], id);

    for (body, field, code) in [(
        json!({"email": "nowy.handlowiec@lejek.test", "name": "Drugi", "role": "agent", "password": password}),
        "email",
        "taken",
    )] {
        app.post_json("/users", admin, &body)
            .await
            .problem_on(409, "conflict", field, code);
    }
    for (body, field, code) in [
        (
            json!({"email": "krotkie@lejek.test", "name": "Krótkie", "role": "agent", "password": "krótkie"}),
            "password",
            "out_of_range",
        ),
        (
            json!({"email": "zly-adres", "name": "Zły", "role": "agent", "password": password}),
            "email",
            "invalid_email",
        ),
        (
            json!({"email": "bez@nazwy.pl", "name": " ", "role": "agent", "password": password}),
            "name",
            "blank",
        ),
    ] {
        app.post_json("/users", admin, &body).await.invalid(field, code);
    }
    app.post_json(
        "/users",
        admin,
        &json!({"email": "szef@lejek.test", "name": "Szef", "role": "boss", "password": password}),
    )
    .await
    .problem_on(422, "validation_failed", "role", "invalid_type");

    // Role changes take effect on the next request: the role is read from
    // the account, not from the token.
    let promoted = app
        .patch_json(
            &format!("/users/{id}"),
            admin,
            &json!({"role": "manager", "name": "Nowy Kierownik"}),
        )
        .await
        .json(200);
    assert_eq!(
        (promoted["role"].as_str(), promoted["name"].as_str()),
        (Some("manager"), Some("Nowy Kierownik"))
    );
    app.get("/users", &token).await.expect(200);

    // Deactivated: the token, the refresh token and the password all stop.
    let case = app.create_case(&token, &case_body("Sprawa kierownika")).await;
    let deactivated = app
        .patch_json(&format!("/users/{id}"), admin, &json!({"active": false}))
        .await
        .json(200);
    assert_eq!(deactivated["active"], false);
    app.get("/me", &token).await.problem(401, "unauthorized");
    app.get("/cases", &token).await.problem(401, "unauthorized");
    app.send(
        app.request(Method::POST, "/auth/refresh", None)
            .json(&json!({"refresh_token": refresh_token})),
    )
    .await
    .problem(401, "unauthorized");
    app.login("nowy.handlowiec@lejek.test", password)
        .await
        .problem(401, "unauthorized");
    // Never deleted: still listed, inactive, and named on its cases.
    let people = app.get("/users", admin).await.json(200);
    assert!(
        people
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == id && p["active"] == false)
    );
    assert_eq!(
        app.case(admin, case["id"].as_i64().unwrap()).await.0["created_by"]["name"],
        "Nowy Kierownik"
    );
    // And it owns no new cases.
    app.write(
        Method::PUT,
        &format!("/cases/{}/owner", case["id"]),
        admin,
        Some("\"1\""),
        &json!({"owner_id": id}),
    )
    .await
    .invalid("owner_id", "unknown_reference");

    // An admin cannot lock themselves out.
    for body in [json!({"active": false}), json!({"role": "manager"})] {
        app.patch_json(&format!("/users/{}", app.admin.id), admin, &body)
            .await
            .problem(403, "self_lockout");
    }
    app.patch_json(&format!("/users/{id}"), admin, &json!({"password": "short"}))
        .await
        .invalid("password", "out_of_range");
    app.patch_json("/users/987654", admin, &json!({"name": "Nikt"}))
        .await
        .problem(404, "not_found");
    app.patch_json(&format!("/users/{id}"), admin, &json!({"email": "x@y.pl"}))
        .await
        .problem_on(422, "validation_failed", "email", "unknown_field");
    app.get("/me", &app.admin.token).await.expect(200);
}
