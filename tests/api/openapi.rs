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
        "tz",
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

/// Every `enum` in the document, with where it is.
fn enums<'a>(value: &'a Value, at: String, found: &mut Vec<(String, &'a Vec<Value>)>) {
    match value {
        Value::Object(fields) => {
            if let Some(Value::Array(values)) = fields.get("enum") {
                found.push((at.clone(), values));
            }
            for (key, child) in fields {
                enums(child, format!("{at}/{key}"), found);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                enums(child, format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn every_enum_lists_the_codes_the_api_speaks() {
    let document: Value = serde_json::from_str(&generated()).unwrap();
    let mut found = Vec::new();
    enums(&document, String::new(), &mut found);
    assert!(found.len() > 20, "the document has its enums");
    for (at, values) in &found {
        // The IANA zone names of `tz` are written as the database writes them.
        if values.iter().any(|value| value == "Europe/Warsaw") {
            continue;
        }
        for value in values.iter() {
            let code = value.as_str().unwrap_or_default();
            assert!(
                !code.is_empty()
                    && code
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'),
                "{at}: `{value}` is not a snake_case wire code"
            );
        }
    }
    // Each wire enum's schema is exactly its codes, in order.
    let schemas = &document["components"]["schemas"];
    let codes = |name: &str| -> Vec<String> {
        schemas[name]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{name} is not an enum of the document"))
            .iter()
            .map(|value| value.as_str().unwrap().to_owned())
            .collect()
    };
    use lejek_domain::dto::BulkAction;
    use lejek_domain::*;
    for (name, expected) in [
        ("Status", Status::CODES),
        ("Stage", Stage::CODES),
        ("Source", Source::CODES),
        ("Role", Role::CODES),
        ("CampaignKind", CampaignKind::CODES),
        ("ChangeKind", ChangeKind::CODES),
        ("Column", Column::CODES),
        ("RowHeight", RowHeight::CODES),
        ("BulkAction", BulkAction::CODES),
        ("ErrorCode", ErrorCode::CODES),
        ("ViolationCode", ViolationCode::CODES),
    ] {
        assert_eq!(codes(name), expected, "{name}");
    }
    let problem_codes: Vec<&str> = ProblemCode::codes().collect();
    assert_eq!(codes("ProblemCode"), problem_codes);
    assert_eq!(
        schemas["Problem"]["properties"]["code"]["$ref"],
        "#/components/schemas/ProblemCode"
    );
    assert_eq!(
        schemas["FieldError"]["properties"]["code"]["$ref"],
        "#/components/schemas/ViolationCode"
    );
}

#[test]
fn query_parameters_come_from_the_parsers_tables() {
    use lejek_domain::{ListParam, PipelineParam};
    let document: Value = serde_json::from_str(&generated()).unwrap();
    let names = |path: &str| -> Vec<String> {
        document["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|parameter| parameter["in"] == "query")
            .map(|parameter| parameter["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let pipeline: Vec<&str> = PipelineParam::ALL.iter().map(|param| param.name()).collect();
    assert_eq!(names("/api/v1/cases"), pipeline);
    assert_eq!(names("/api/v1/cases/counts"), pipeline);
    let search: Vec<&str> = ListParam::SEARCH.iter().map(|param| param.name()).collect();
    assert_eq!(names("/api/v1/search"), search);
    assert_eq!(names("/api/v1/contacts"), search);
    assert_eq!(names("/api/v1/contacts/{id}/cases"), ["limit", "cursor"]);
    // Lists are one comma-separated value, as the parser reads them.
    let status = &document["paths"]["/api/v1/cases"]["get"]["parameters"][1];
    assert_eq!(status["name"], "status");
    assert_eq!(
        (status["style"].as_str(), status["explode"].as_bool()),
        (Some("form"), Some(false))
    );
    assert_eq!(status["schema"]["uniqueItems"], true);
}

#[test]
fn every_operation_documents_the_answers_it_shares() {
    let document: Value = serde_json::from_str(&generated()).unwrap();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            let has = |status: &str| responses.contains_key(status);
            let label = format!("{method} {path}");
            for status in ["500", "503", "504"] {
                assert!(has(status), "{label} does not document {status}");
            }
            if operation.get("requestBody").is_some() {
                for status in ["400", "413", "415", "422"] {
                    assert!(has(status), "{label} has a body but does not document {status}");
                }
            }
            if operation["security"].as_array().is_some_and(|s| !s.is_empty()) {
                assert!(has("401"), "{label} is secured but does not document 401");
            }
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(
                        response["content"]["application/problem+json"].is_object(),
                        "{label} {status} is not a problem document"
                    );
                }
            }
        }
    }
}
