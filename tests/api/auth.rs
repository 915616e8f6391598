//! Logging in, tokens, throttling, bad credentials of every kind, API keys.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use lejek_domain::Role;
use lejek_tests::{TEST_JWT_SECRET, TEST_PASSWORD, TestApp, both, case_body};
use reqwest::Method;
use serde_json::json;

both!(
    logging_in_and_me,
    failed_logins_are_throttled_per_account,
    concurrent_failed_logins_are_each_counted,
    refresh_tokens_rotate_and_a_reused_one_revokes_its_family,
    logging_out_revokes_refresh_tokens,
    bad_tokens_are_refused_with_401,
    api_keys_authenticate_integrations_until_revoked,
);

async fn refresh(app: &TestApp, token: &str) -> lejek_tests::Reply {
    app.send(
        app.request(Method::POST, "/auth/refresh", None)
            .json(&json!({"refresh_token": token})),
    )
    .await
}

async fn logging_in_and_me(app: &TestApp) {
    let pair = app.login("agent@lejek.test", TEST_PASSWORD).await.json(200);
    assert_eq!(pair["token_type"], "Bearer");
    assert_eq!(pair["expires_in"], 900);
    let access = pair["access_token"].as_str().unwrap();
    let refresh_token = pair["refresh_token"].as_str().unwrap();
    assert!(access.len() > 20 && refresh_token.len() > 20 && access != refresh_token);

    let me = app.get("/me", access).await.json(200);
    assert_eq!(
        me,
        json!({"id": app.agent.id, "email": "agent@lejek.test", "name": "Anna Agentka", "role": "agent"})
    );
    for user in app.users() {
        let me = app.get("/me", &user.token).await.json(200);
        assert_eq!(
            (me["id"].as_i64(), me["role"].as_str()),
            (Some(user.id), Some(user.role.as_str()))
        );
    }

    // E-mail addresses are compared trimmed and case-insensitively.
    app.login("  Manager@LEJEK.test ", TEST_PASSWORD)
        .await
        .expect(200);

    // A wrong password and an unknown account look exactly the same.
    let wrong = app.login("agent@lejek.test", "not the password").await;
    wrong.problem(401, "unauthorized");
    assert_eq!(wrong.header("www-authenticate"), Some("Bearer"));
    assert!(!wrong.json.to_string().contains("access_token"));
    let unknown = app.login("nobody@lejek.test", TEST_PASSWORD).await;
    unknown.problem(401, "unauthorized");
    assert_eq!(wrong.without_request_id(), unknown.without_request_id());

    // A body without a field names it.
    let missing = app
        .send(
            app.request(Method::POST, "/auth/login", None)
                .json(&json!({"email": "agent@lejek.test"})),
        )
        .await;
    missing.problem_on(422, "validation_failed", "password", "required");

    app.send(app.request(Method::GET, "/me", None))
        .await
        .problem(401, "unauthorized");
}

async fn failed_logins_are_throttled_per_account(app: &TestApp) {
    for _ in 0..4 {
        app.login("agent@lejek.test", "wrong password")
            .await
            .problem(401, "unauthorized");
    }
    let blocked = app.login("agent@lejek.test", "wrong password").await;
    blocked.problem(429, "rate_limited");
    let retry_after: u64 = blocked
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("Retry-After in seconds");
    assert!((1..=15 * 60).contains(&retry_after), "Retry-After {retry_after}");

    // While blocked even the right password is refused, and says when to retry.
    let still = app.login("AGENT@lejek.test", TEST_PASSWORD).await;
    still.problem(429, "rate_limited");
    assert!(still.header("retry-after").is_some());

    // Other accounts are not affected, and the block does not touch
    // tokens already issued.
    app.login("other.agent@lejek.test", TEST_PASSWORD)
        .await
        .expect(200);
    app.get("/me", &app.agent.token).await.expect(200);

    // A successful login clears the account's failures.
    for _ in 0..4 {
        app.login("manager@lejek.test", "wrong password")
            .await
            .problem(401, "unauthorized");
    }
    app.login("manager@lejek.test", TEST_PASSWORD).await.expect(200);
    for _ in 0..4 {
        app.login("manager@lejek.test", "wrong password")
            .await
            .problem(401, "unauthorized");
    }
    app.login("manager@lejek.test", TEST_PASSWORD).await.expect(200);
}

async fn concurrent_failed_logins_are_each_counted(app: &TestApp) {
    // Five wrong passwords at once, on an account with no failures yet:
    // every one is answered (none lost to a race on the counter's row),
    // and together they block the account.
    let attempts = (0..5).map(|_| app.login("other.agent@lejek.test", "wrong password"));
    let replies = futures_util::future::join_all(attempts).await;
    for reply in &replies {
        assert!(
            matches!(reply.status, 401 | 429),
            "{}: {} {}",
            reply.request,
            reply.status,
            reply.text
        );
    }
    app.login("other.agent@lejek.test", TEST_PASSWORD)
        .await
        .problem(429, "rate_limited");
}

async fn refresh_tokens_rotate_and_a_reused_one_revokes_its_family(app: &TestApp) {
    let first = app.login("agent@lejek.test", TEST_PASSWORD).await.json(200);
    let r1 = first["refresh_token"].as_str().unwrap();

    let second = refresh(app, r1).await.json(200);
    assert_eq!(second["token_type"], "Bearer");
    let r2 = second["refresh_token"].as_str().unwrap();
    assert_ne!(r1, r2);
    let me = app
        .get("/me", second["access_token"].as_str().unwrap())
        .await
        .json(200);
    assert_eq!(me["id"], app.agent.id);

    // The rotated token no longer works; presenting it again revokes the
    // whole family, so the token that replaced it dies too.
    refresh(app, r1).await.problem(401, "unauthorized");
    refresh(app, r2).await.problem(401, "unauthorized");

    // Another login's family is untouched.
    let other = refresh(app, &app.agent.refresh_token).await.json(200);
    let r3 = other["refresh_token"].as_str().unwrap();
    refresh(app, r3).await.expect(200);

    // Two exchanges of one token at once: one wins, and the other counts
    // as a reuse.
    let token = app.login("manager@lejek.test", TEST_PASSWORD).await.json(200)["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (a, b) = tokio::join!(refresh(app, &token), refresh(app, &token));
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 401], "{} / {}", a.text, b.text);

    refresh(app, "not-a-refresh-token")
        .await
        .problem(401, "unauthorized");
    refresh(app, &app.agent.token).await.problem(401, "unauthorized");
    app.send(app.request(Method::POST, "/auth/refresh", None).json(&json!({})))
        .await
        .problem_on(422, "validation_failed", "refresh_token", "required");
}

async fn logging_out_revokes_refresh_tokens(app: &TestApp) {
    let a = app.login("agent@lejek.test", TEST_PASSWORD).await.json(200);
    let b = app.login("agent@lejek.test", TEST_PASSWORD).await.json(200);
    let (a_refresh, b_refresh) = (
        a["refresh_token"].as_str().unwrap(),
        b["refresh_token"].as_str().unwrap(),
    );

    // Logging out with a refresh token revokes that one only.
    app.post_json(
        "/auth/logout",
        &app.agent.token,
        &json!({"refresh_token": a_refresh}),
    )
    .await
    .expect(204);
    refresh(app, a_refresh).await.problem(401, "unauthorized");
    let b2 = refresh(app, b_refresh).await.json(200);

    // Without a body it revokes every refresh token of the caller, and
    // nobody else's.
    app.send(app.request(Method::POST, "/auth/logout", Some(&app.agent.token)))
        .await
        .expect(204);
    refresh(app, b2["refresh_token"].as_str().unwrap())
        .await
        .problem(401, "unauthorized");
    refresh(app, &app.agent.refresh_token)
        .await
        .problem(401, "unauthorized");
    refresh(app, &app.other_agent.refresh_token).await.expect(200);

    // A user cannot log somebody else out with their refresh token.
    let manager = app.login("manager@lejek.test", TEST_PASSWORD).await.json(200);
    let manager_refresh = manager["refresh_token"].as_str().unwrap();
    app.post_json(
        "/auth/logout",
        &app.other_agent.token,
        &json!({"refresh_token": manager_refresh}),
    )
    .await
    .expect(204);
    refresh(app, manager_refresh).await.expect(200);

    app.send(app.request(Method::POST, "/auth/logout", None))
        .await
        .problem(401, "unauthorized");
    app.send(
        app.request(Method::POST, "/auth/logout", Some(&app.agent.token))
            .header("content-type", "application/json")
            .body("{\"refresh_token\": "),
    )
    .await
    .problem(400, "malformed_json");
}

async fn bad_tokens_are_refused_with_401(app: &TestApp) {
    // A token forged with the server's key and the server's claims works,
    // so the refusals below are about exactly what each one changes.
    let valid = app.forge_token(app.agent.id, Role::Agent, 600, TEST_JWT_SECRET);
    app.get("/me", &valid).await.expect(200);

    // The role comes from the account, never from the token.
    let claims_admin = app.forge_token(app.agent.id, Role::Admin, 600, TEST_JWT_SECRET);
    assert_eq!(app.get("/me", &claims_admin).await.json(200)["role"], "agent");
    app.get("/users", &claims_admin).await.problem(403, "forbidden");

    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let exp = chrono::Utc::now().timestamp() + 600;
    let claims = URL_SAFE_NO_PAD.encode(
        format!(
            r#"{{"sub":"{}","role":"admin","iss":"lejek","aud":"lejek-api","iat":0,"exp":{exp}}}"#,
            app.admin.id
        )
        .as_bytes(),
    );
    let alg_none = format!("{header}.{claims}.");
    let mut parts: Vec<&str> = valid.split('.').collect();
    let admin_claims = URL_SAFE_NO_PAD.encode(
        format!(
            r#"{{"sub":"{}","role":"admin","iss":"lejek","aud":"lejek-api","iat":0,"exp":{exp}}}"#,
            app.admin.id
        )
        .as_bytes(),
    );
    parts[1] = &admin_claims;
    let tampered = parts.join(".");
    let hs512 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
        &json!({"sub": app.admin.id.to_string(), "role": "admin", "iss": "lejek",
                "aud": "lejek-api", "iat": 0, "exp": exp}),
        &jsonwebtoken::EncodingKey::from_secret(TEST_JWT_SECRET.as_bytes()),
    )
    .unwrap();
    let other_audience = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &json!({"sub": app.admin.id.to_string(), "role": "admin", "iss": "lejek",
                "aud": "somebody-else", "iat": 0, "exp": exp}),
        &jsonwebtoken::EncodingKey::from_secret(TEST_JWT_SECRET.as_bytes()),
    )
    .unwrap();

    let bad = [
        ("garbage", "garbage".to_owned()),
        ("three empty parts", "..".to_owned()),
        ("not base64", "a.b.c".to_owned()),
        (
            "expired",
            app.forge_token(app.agent.id, Role::Agent, -3600, TEST_JWT_SECRET),
        ),
        (
            "wrong signature",
            app.forge_token(
                app.agent.id,
                Role::Agent,
                600,
                "another-secret-that-is-long-enough-for-hs256",
            ),
        ),
        ("alg none", alg_none),
        ("tampered claims", tampered),
        ("other algorithm", hs512),
        ("other audience", other_audience),
        (
            "unknown user",
            app.forge_token(987_654, Role::Admin, 600, TEST_JWT_SECRET),
        ),
        ("unknown API key", "lejek_abcdef_0123456789".to_owned()),
        ("refresh token", app.agent.refresh_token.clone()),
    ];
    for (what, token) in bad {
        for path in ["/me", "/cases", "/users"] {
            let reply = app.get(path, &token).await;
            assert_eq!(reply.status, 401, "{what} on {path}: {}", reply.text);
            reply.problem(401, "unauthorized");
            assert_eq!(reply.header("www-authenticate"), Some("Bearer"), "{what}");
        }
    }

    for header in [
        "",
        "Bearer",
        "Bearer ",
        "Basic YWRtaW46YWRtaW4=",
        "Token abc",
        valid.as_str(),
    ] {
        let reply = app
            .send(
                app.request(Method::GET, "/me", None)
                    .header("Authorization", header),
            )
            .await;
        assert_eq!(reply.status, 401, "Authorization: {header:?}: {}", reply.text);
    }
    // The scheme is case-insensitive.
    app.send(
        app.request(Method::GET, "/me", None)
            .header("Authorization", format!("bearer {valid}")),
    )
    .await
    .expect(200);
}

async fn api_keys_authenticate_integrations_until_revoked(app: &TestApp) {
    let admin = &app.admin.token;
    let created = app
        .post_json(
            "/api-keys",
            admin,
            &json!({"name": "Formularz WWW", "role": "agent"}),
        )
        .await
        .expect(201);
    let key = created.json["key"].clone();
    let secret = created.json["secret"].as_str().unwrap().to_owned();
    let key_id = key["id"].as_i64().unwrap();
    assert!(secret.starts_with("lejek_"), "{secret}");
    assert!(secret.contains(key["prefix"].as_str().unwrap()));
    assert_eq!(key["name"], "Formularz WWW");
    assert_eq!(key["role"], "agent");
    assert!(key["revoked_at"].is_null());
    assert_eq!(
        created.header("location"),
        Some(&*format!("/api/v1/api-keys/{key_id}"))
    );

    // The secret is shown once: the list never carries it.
    let listed = app.get("/api-keys", admin).await.expect(200);
    assert!(!listed.text.contains(&secret));
    assert!(
        listed.json.as_array().unwrap().iter().any(|k| k["id"] == key_id),
        "{}",
        listed.text
    );

    // The key acts as its integration identity, with the key's role.
    let me = app.get("/me", &secret).await.json(200);
    assert_eq!(me["id"], key["user_id"]);
    assert_eq!(me["role"], "agent");
    assert_eq!(me["name"], "Formularz WWW");
    let case = app.create_case(&secret, &case_body("Z formularza")).await;
    assert_eq!(case["created_by"]["id"], key["user_id"]);
    assert_eq!(case["owner"]["id"], key["user_id"]);
    assert_eq!(case["status"], "awaiting_pickup");

    // An agent key sees only its own cases; a manager key sees all.
    let agents_case = app.new_case(&app.agent.token, "Sprawa Anny").await;
    let agents_path = format!("/cases/{}", agents_case["id"]);
    app.get(&agents_path, &secret).await.problem(404, "not_found");
    let manager_key = app
        .post_json(
            "/api-keys",
            admin,
            &json!({"name": "Synchronizacja CRM", "role": "manager"}),
        )
        .await
        .json(201);
    let manager_secret = manager_key["secret"].as_str().unwrap();
    app.get(&agents_path, manager_secret).await.expect(200);
    // Even a manager key cannot manage keys or users.
    app.get("/api-keys", manager_secret)
        .await
        .problem(403, "forbidden");

    // Keys never act as admins; a key needs a name; keys are not replayable.
    app.post_json("/api-keys", admin, &json!({"name": "Root", "role": "admin"}))
        .await
        .invalid("role", "invalid_value");
    app.post_json("/api-keys", admin, &json!({"name": "  ", "role": "agent"}))
        .await
        .invalid("name", "blank");
    app.send(
        app.request(Method::POST, "/api-keys", Some(admin))
            .header("Idempotency-Key", "abc")
            .json(&json!({"name": "Again", "role": "agent"})),
    )
    .await
    .problem_on(400, "invalid_parameter", "Idempotency-Key", "not_supported");

    // Integrations are not people: the user list leaves them out.
    let people = app.get("/users", admin).await.json(200);
    assert!(
        people
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["id"] != key["user_id"]),
        "{people}"
    );

    // Only admins manage keys.
    for token in [&app.manager.token, &app.agent.token] {
        app.get("/api-keys", token).await.problem(403, "forbidden");
        app.post_json("/api-keys", token, &json!({"name": "Mine", "role": "agent"}))
            .await
            .problem(403, "forbidden");
        app.delete(&format!("/api-keys/{key_id}"), token)
            .await
            .problem(403, "forbidden");
    }
    app.get("/me", &secret).await.expect(200);

    // Revoked: the key stops working at once.
    app.delete(&format!("/api-keys/{key_id}"), admin)
        .await
        .expect(204);
    app.get("/me", &secret).await.problem(401, "unauthorized");
    app.get("/cases", &secret).await.problem(401, "unauthorized");
    let listed = app.get("/api-keys", admin).await.json(200);
    let revoked = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == key_id)
        .unwrap();
    assert!(revoked["revoked_at"].is_string(), "{revoked}");
    app.get("/me", manager_secret).await.expect(200);
    app.delete("/api-keys/987654", admin)
        .await
        .problem(404, "not_found");
}
