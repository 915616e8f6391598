//! The JSON body extractor: size-limited, `application/json` only, unknown
//! fields refused, and every error naming the field it is about.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use lejek_domain::dto::FieldError;
use lejek_domain::{ErrorCode, ViolationCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value as Json;
use serde_json::error::Category;

use crate::error::ApiError;
use crate::state::AppState;

/// A JSON request body of type `T`, together with its raw bytes (which
/// idempotency records hash).
#[derive(Debug)]
pub struct ApiJson<T> {
    pub value: T,
    pub bytes: Bytes,
}

/// A JSON request body that may be left out (empty, blank or `null`):
/// `None` then.
#[derive(Debug)]
pub struct OptionalJson<T>(pub Option<T>);

/// What a body extractor needs to know before reading.
struct BodyRules {
    limit: usize,
    content_type_ok: bool,
    declared_too_large: bool,
}

impl BodyRules {
    fn of(request: &HttpRequest) -> BodyRules {
        let limit = request
            .app_data::<actix_web::web::Data<AppState>>()
            .map_or(1_048_576, |state| state.settings.max_body_bytes);
        let content_type_ok = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(|value| {
                value
                    .split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .is_some_and(|mime| mime == "application/json" || mime.ends_with("+json"));
        let declared_too_large = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<usize>().ok())
            .is_some_and(|length| length > limit);
        BodyRules {
            limit,
            content_type_ok,
            declared_too_large,
        }
    }
}

/// The whole body, when its declared and real lengths are within the limit.
async fn read_body(rules: &BodyRules, mut payload: Payload) -> Result<Bytes, ApiError> {
    if rules.declared_too_large {
        return Err(ApiError::PayloadTooLarge);
    }
    let limit = rules.limit;
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| ApiError::BadRequest {
            code: ErrorCode::MalformedBody,
            detail: "The request body could not be read.".to_owned(),
            errors: Vec::new(),
        })?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

impl<T: DeserializeOwned + Serialize + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let rules = BodyRules::of(request);
        let payload = payload.take();
        Box::pin(async move {
            if !rules.declared_too_large && !rules.content_type_ok {
                return Err(ApiError::UnsupportedMediaType);
            }
            let bytes = read_body(&rules, payload).await?;
            let value = parse(&bytes)?;
            Ok(ApiJson { value, bytes })
        })
    }
}

impl<T: DeserializeOwned + Serialize + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let rules = BodyRules::of(request);
        let payload = payload.take();
        Box::pin(async move {
            let bytes = read_body(&rules, payload).await?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(OptionalJson(None));
            }
            if !rules.content_type_ok {
                return Err(ApiError::UnsupportedMediaType);
            }
            // `null` is a body left out too.
            parse::<Option<T>>(&bytes).map(OptionalJson)
        })
    }
}

/// Deserialises `bytes`, turning serde's errors into problems: broken JSON
/// is a 400, well-formed JSON of the wrong shape a 422 naming the field.
/// An object must be written as one: serde would also read a struct from
/// an array of its fields, which the document does not allow.
pub fn parse<T: DeserializeOwned + Serialize>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: T = parse_fields(bytes)?;
    let input: Json = serde_json::from_slice(bytes).map_err(ApiError::internal)?;
    if let Some(path) = text_with_nul(&input, String::new()) {
        return Err(ApiError::InvalidBody(vec![FieldError {
            field: if path.is_empty() { "body".to_owned() } else { path },
            code: ViolationCode::InvalidValue,
            message: "A text may not contain U+0000 (NUL).".to_owned(),
        }]));
    }
    let canonical = serde_json::to_value(&value).map_err(ApiError::internal)?;
    match array_for_object(&input, &canonical, String::new()) {
        None => Ok(value),
        Some(path) => Err(ApiError::InvalidBody(vec![FieldError {
            field: if path.is_empty() { "body".to_owned() } else { path },
            code: ViolationCode::InvalidType,
            message: "invalid type: array, expected an object".to_owned(),
        }])),
    }
}

/// Where `input` has a text holding U+0000, which no text may (see
/// `lejek_domain::NO_NUL_PATTERN`), if anywhere.
fn text_with_nul(input: &Json, path: String) -> Option<String> {
    match input {
        Json::String(text) if text.contains('\0') => Some(path),
        Json::Object(fields) => fields
            .iter()
            .find_map(|(key, value)| text_with_nul(value, join(&path, key))),
        Json::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(index, item)| text_with_nul(item, format!("{path}[{index}]"))),
        _ => None,
    }
}

/// Where `input` has an array that `canonical` (the value read from it,
/// written back) has as an object, if anywhere.
fn array_for_object(input: &Json, canonical: &Json, path: String) -> Option<String> {
    match (input, canonical) {
        (Json::Array(_), Json::Object(_)) => Some(path),
        (Json::Object(input), Json::Object(canonical)) => canonical.iter().find_map(|(key, value)| {
            input
                .get(key)
                .and_then(|item| array_for_object(item, value, join(&path, key)))
        }),
        (Json::Array(input), Json::Array(canonical)) => input
            .iter()
            .zip(canonical)
            .enumerate()
            .find_map(|(index, (item, value))| array_for_object(item, value, format!("{path}[{index}]"))),
        _ => None,
    }
}

fn parse_fields<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let malformed = |error: serde_json::Error| ApiError::BadRequest {
        code: ErrorCode::MalformedJson,
        detail: format!("The body is not valid JSON: {error}"),
        errors: Vec::new(),
    };
    // Broken JSON is a 400 whatever shape was expected: the syntax is
    // checked first, so a truncated body is never reported as a wrong type.
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).map_err(malformed)?;
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut deserializer);
    let value = result.map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        match inner.classify() {
            Category::Data => data_error(&path, &inner.to_string()),
            // The syntax is valid (checked above): this is how serde_json
            // reports a value of the wrong type where a code is expected.
            Category::Syntax | Category::Eof | Category::Io => {
                data_error(&path, "invalid type: expected one of the codes, as a string")
            }
        }
    })?;
    deserializer.end().map_err(malformed)?;
    Ok(value)
}

fn data_error(path: &str, message: &str) -> ApiError {
    // serde names unknown and missing fields in its message, not the path.
    let quoted = message.split('`').nth(1).unwrap_or_default();
    let (field, code) = if message.starts_with("unknown field") {
        // The path already ends at the unknown field.
        (
            if path.is_empty() || path == "." {
                quoted.to_owned()
            } else {
                path.to_owned()
            },
            ViolationCode::UnknownField,
        )
    } else if message.starts_with("missing field") {
        (join(path, quoted), ViolationCode::Required)
    } else {
        (path.to_owned(), ViolationCode::InvalidType)
    };
    let field = if field.is_empty() || field == "." {
        "body".to_owned()
    } else {
        field
    };
    let message = message.split(" at line ").next().unwrap_or(message).to_owned();
    ApiError::InvalidBody(vec![FieldError { field, code, message }])
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() || path == "." {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}
