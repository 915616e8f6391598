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
use serde::de::DeserializeOwned;
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

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
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
        let mut payload = payload.take();
        Box::pin(async move {
            if declared_too_large {
                return Err(ApiError::PayloadTooLarge);
            }
            if !content_type_ok {
                return Err(ApiError::UnsupportedMediaType);
            }
            let mut body = BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| ApiError::BadRequest {
                    code: "malformed_body",
                    detail: "The request body could not be read.".to_owned(),
                    errors: Vec::new(),
                })?;
                if body.len() + chunk.len() > limit {
                    return Err(ApiError::PayloadTooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            let bytes = body.freeze();
            let value = parse(&bytes)?;
            Ok(ApiJson { value, bytes })
        })
    }
}

/// Deserialises `bytes`, turning serde's errors into problems: broken JSON
/// is a 400, well-formed JSON of the wrong shape a 422 naming the field.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let malformed = |error: serde_json::Error| ApiError::BadRequest {
        code: "malformed_json",
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
            "unknown_field",
        )
    } else if message.starts_with("missing field") {
        (join(path, quoted), "required")
    } else {
        (path.to_owned(), "invalid_type")
    };
    let field = if field.is_empty() || field == "." {
        "body".to_owned()
    } else {
        field
    };
    let message = message.split(" at line ").next().unwrap_or(message).to_owned();
    ApiError::InvalidBody(vec![FieldError {
        field,
        code: code.to_owned(),
        message,
    }])
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() || path == "." {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}
