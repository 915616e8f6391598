//! The committed OpenAPI document (`openapi/openapi.json`) is the one the
//! code generates. `LEJEK_UPDATE_OPENAPI=1 cargo test -p lejek-tests --test
//! api openapi` rewrites it after a deliberate change.

use std::path::PathBuf;

use serde_json::Value;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("openapi")
        .join("openapi.json")
}

fn generated() -> String {
    let mut text = serde_json::to_string_pretty(&lejek_api::openapi()).expect("serialise the document");
    text.push('\n');
    text
}

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let path = committed_path();
    let generated = generated();
    if std::env::var("LEJEK_UPDATE_OPENAPI").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
        eprintln!("wrote {}", path.display());
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|error| {
        panic!(
            "cannot read {}: {error}; generate it with LEJEK_UPDATE_OPENAPI=1 cargo test -p lejek-tests --test api openapi",
            path.display()
        )
    });
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
        panic!(
            "openapi/openapi.json is out of date (first difference at line {}: committed {:?}, generated {:?}); \
             if the API change is deliberate, run LEJEK_UPDATE_OPENAPI=1 cargo test -p lejek-tests --test api openapi \
             and commit the file",
            line + 1,
            committed.lines().nth(line),
            generated.lines().nth(line)
        );
    }
}

#[test]
fn the_document_is_stable_and_covers_the_contract() {
    assert_eq!(generated(), generated(), "generating twice gives the same text");
    let document: Value = serde_json::from_str(&generated()).unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = document["paths"].as_object().unwrap();
    // Every path and method of api.md's resource table.
    let contract = [
        ("post", "/api/v1/auth/login"),
        ("post", "/api/v1/auth/refresh"),
        ("post", "/api/v1/auth/logout"),
        ("get", "/api/v1/me"),
        ("get", "/api/v1/cases"),
        ("post", "/api/v1/cases"),
        ("get", "/api/v1/cases/counts"),
        ("get", "/api/v1/cases/{id}"),
        ("patch", "/api/v1/cases/{id}"),
        ("post", "/api/v1/cases/{id}/transition"),
        ("put", "/api/v1/cases/{id}/owner"),
        ("put", "/api/v1/cases/{id}/campaign"),
        ("post", "/api/v1/cases/bulk"),
        ("get", "/api/v1/cases/{id}/events"),
        ("get", "/api/v1/cases/{id}/notes"),
        ("post", "/api/v1/cases/{id}/notes"),
        ("get", "/api/v1/search"),
        ("get", "/api/v1/contacts"),
        ("post", "/api/v1/contacts"),
        ("get", "/api/v1/contacts/{id}"),
        ("patch", "/api/v1/contacts/{id}"),
        ("get", "/api/v1/contacts/{id}/cases"),
        ("get", "/api/v1/campaigns"),
        ("get", "/api/v1/users"),
        ("post", "/api/v1/users"),
        ("patch", "/api/v1/users/{id}"),
        ("get", "/api/v1/views/{key}"),
        ("put", "/api/v1/views/{key}"),
        ("get", "/api/v1/qualifiers"),
        ("post", "/api/v1/qualifiers"),
        ("delete", "/api/v1/qualifiers/{id}"),
        ("get", "/api/v1/resignation-reasons"),
        ("post", "/api/v1/resignation-reasons"),
        ("delete", "/api/v1/resignation-reasons/{id}"),
        ("get", "/api/v1/api-keys"),
        ("post", "/api/v1/api-keys"),
        ("delete", "/api/v1/api-keys/{id}"),
        ("get", "/healthz"),
        ("get", "/readyz"),
    ];
    for (method, path) in contract {
        assert!(
            paths.get(path).and_then(|item| item.get(method)).is_some(),
            "{method} {path} is missing from the OpenAPI document"
        );
    }
    // Every pipeline filter of api.md is a documented parameter.
    let parameters: Vec<&str> = document["paths"]["/api/v1/cases"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in [
        "tab",
        "status",
        "source",
        "stage",
        "qualifier",
        "number",
        "created_from",
        "created_to",
        "close_from",
        "close_to",
        "contact",
        "company",
        "email",
        "phone",
        "subject",
        "owner",
        "created_by",
        "campaign",
        "spam",
        "sort",
        "limit",
        "cursor",
    ] {
        assert!(
            parameters.contains(&name),
            "GET /cases does not document `{name}`"
        );
    }
    // Secured operations name the bearer scheme.
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
}
