//! `lejek serve` as an operator runs it: the login page offers the demo
//! login only when the server runs on the demo data and that login works.

mod common;

use common::{Node, call, login};
use reqwest::Method;
use serde_json::{Value, json};

async fn demo_account(client: &reqwest::Client, node: &Node) -> Value {
    call(
        client,
        Method::GET,
        &node.url("/api/v1/auth/login-options"),
        None,
        None,
        &[],
    )
    .await
    .expect(200)
    .json["demo_account"]
        .clone()
}

#[tokio::test]
async fn the_demo_login_is_offered_only_on_demo_data_where_it_works() {
    let client = reqwest::Client::new();

    // Demo data: the director's login is offered, and it works.
    let demo_dir = tempfile::tempdir().unwrap();
    let demo = Node::start(demo_dir.path(), "", &["serve", "--demo-cases", "30"], &[]);
    let offered = demo_account(&client, &demo).await;
    assert_eq!(
        offered,
        json!({"email": "dyrektor@lejek.demo", "password": "lejek-demo"})
    );
    let director = login(
        &client,
        &demo,
        offered["email"].as_str().unwrap(),
        offered["password"].as_str().unwrap(),
    )
    .await
    .expect(200);
    assert_eq!(
        call(
            &client,
            Method::GET,
            &demo.url("/api/v1/me"),
            director.json["access_token"].as_str(),
            None,
            &[]
        )
        .await
        .expect(200)
        .json["role"],
        "manager"
    );

    // Once an administrator changes that password, the next start offers
    // nothing: the page never shows a login that does not work.
    let admin = login(&client, &demo, "admin@lejek.demo", "lejek-demo")
        .await
        .expect(200);
    let admin_token = admin.json["access_token"].as_str().unwrap();
    let users = call(
        &client,
        Method::GET,
        &demo.url("/api/v1/users"),
        Some(admin_token),
        None,
        &[],
    )
    .await
    .expect(200)
    .json;
    let director_id = users
        .as_array()
        .expect("users")
        .iter()
        .find(|user| user["email"] == "dyrektor@lejek.demo")
        .expect("the director")["id"]
        .as_i64()
        .unwrap();
    call(
        &client,
        Method::PATCH,
        &demo.url(&format!("/api/v1/users/{director_id}")),
        Some(admin_token),
        Some(&json!({"password": "another secret password"})),
        &[],
    )
    .await
    .expect(200);
    drop(demo);
    let restarted = Node::start(demo_dir.path(), "", &["serve", "--demo-cases", "30"], &[]);
    assert_eq!(demo_account(&client, &restarted).await, Value::Null);
    drop(restarted);

    // Production: a first admin from the configuration, no demo data.
    let production_dir = tempfile::tempdir().unwrap();
    let admin_env = [
        ("LEJEK_ADMIN_EMAIL", "admin@example.com"),
        ("LEJEK_ADMIN_PASSWORD", "a long admin password"),
    ];
    let production = Node::start(production_dir.path(), "", &["serve"], &admin_env);
    assert_eq!(demo_account(&client, &production).await, Value::Null);
    drop(production);

    // `--demo-cases` fills only an empty database: on this one it adds no
    // demo team, so there is nothing to offer.
    let production = Node::start(production_dir.path(), "", &["serve", "--demo-cases", "30"], &[]);
    assert_eq!(demo_account(&client, &production).await, Value::Null);
    login(&client, &production, "dyrektor@lejek.demo", "lejek-demo")
        .await
        .expect(401);
}
