//! HTTP details shared by handlers: versions as ETags, `If-Match`,
//! signed list cursors and idempotent creates.

use std::future::Future;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use lejek_domain::ViolationCode;
use lejek_store::{IdempotencyClaim, StoredResponse};
use serde::Serialize;
use serde_json::Value as Json;

use crate::auth::Caller;
use crate::auth::tokens::sha256_hex;
use crate::error::ApiError;
use crate::state::AppState;

/// The strong ETag of a case version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// The version `If-Match` asks for: `Some(v)` for `"v"`, `None` for `*`.
/// Missing answers 428; a tag that names no version can never match (412).
pub fn if_match(request: &HttpRequest) -> Result<Option<i64>, ApiError> {
    let value = request
        .headers()
        .get(header::IF_MATCH)
        .ok_or(ApiError::PreconditionRequired)?
        .to_str()
        .map_err(|_| ApiError::VersionMismatch)?
        .trim();
    if value == "*" {
        return Ok(None);
    }
    value
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .and_then(|version| version.parse().ok())
        .map(Some)
        .ok_or(ApiError::VersionMismatch)
}

/// A JSON answer with the case's ETag.
pub fn with_etag<T: Serialize>(status: StatusCode, body: &T, version: i64) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(version)))
        .json(body)
}

#[derive(Serialize, Deserialize)]
struct CursorPayload {
    /// What the cursor was made for: the query without paging.
    q: String,
    /// The last row's sort values, then its id.
    k: Vec<Json>,
}

use serde::Deserialize;

/// A cursor for the page after the row whose sort values are `after`.
pub fn make_cursor(state: &AppState, fingerprint: &str, after: Vec<Json>) -> String {
    let payload = CursorPayload {
        q: sha256_hex(fingerprint),
        k: after,
    };
    state
        .cursors
        .sign(&serde_json::to_vec(&payload).unwrap_or_default())
}

/// The sort values a cursor carries; 400 if it was forged, tampered with,
/// or made for another query.
pub fn read_cursor(state: &AppState, fingerprint: &str, cursor: &str) -> Result<Vec<Json>, ApiError> {
    let invalid = || {
        ApiError::bad_parameter(
            "cursor",
            ViolationCode::InvalidCursor,
            "The cursor is not one this server issued for this query.",
        )
    };
    let payload = state.cursors.open(cursor).ok_or_else(invalid)?;
    let payload: CursorPayload = serde_json::from_slice(&payload).map_err(|_| invalid())?;
    if payload.q != sha256_hex(fingerprint) {
        return Err(invalid());
    }
    Ok(payload.k)
}

/// A created resource: status, JSON body, and its `Location` and `ETag`.
pub struct Created {
    pub body: String,
    pub location: Option<String>,
    pub etag: Option<String>,
}

impl Created {
    pub fn new<T: Serialize>(
        body: &T,
        location: Option<String>,
        version: Option<i64>,
    ) -> Result<Created, ApiError> {
        Ok(Created {
            body: serde_json::to_string(body).map_err(ApiError::internal)?,
            location,
            etag: version.map(etag),
        })
    }
}

fn created_response(response: &StoredResponse, replayed: bool) -> HttpResponse {
    let mut builder =
        HttpResponse::build(StatusCode::from_u16(response.status).unwrap_or(StatusCode::CREATED));
    builder.content_type("application/json");
    if let Some(location) = &response.location {
        builder.insert_header((header::LOCATION, location.clone()));
    }
    if let Some(etag) = &response.etag {
        builder.insert_header((header::ETAG, etag.clone()));
    }
    if replayed {
        builder.insert_header(("Idempotent-Replayed", HeaderValue::from_static("true")));
    }
    builder.body(response.body.clone())
}

/// What an `Idempotency-Key` may be: 1 to 255 visible ASCII characters.
pub const IDEMPOTENCY_KEY_PATTERN: &str = "^[!-~]{1,255}$";

/// Runs a create once per `Idempotency-Key`: a retry with the same key and
/// body gets the first answer and creates nothing; the same key with
/// another body answers 422. Failed attempts are forgotten, so they can be
/// retried.
pub async fn idempotent_create<F, Fut>(
    state: &AppState,
    caller: &Caller,
    request: &HttpRequest,
    body: &Bytes,
    create: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Created, ApiError>>,
{
    let key = match request.headers().get("Idempotency-Key") {
        None => None,
        Some(value) => {
            let key =
                value.to_str().ok().map(str::trim).filter(|key| {
                    (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
                });
            Some(key.ok_or_else(|| {
                ApiError::bad_parameter(
                    "Idempotency-Key",
                    ViolationCode::InvalidValue,
                    "1 to 255 visible ASCII characters.",
                )
            })?)
        }
    };
    let to_stored = |created: Created| StoredResponse {
        status: StatusCode::CREATED.as_u16(),
        body: created.body,
        location: created.location,
        etag: created.etag,
    };
    let Some(key) = key else {
        return Ok(created_response(&to_stored(create().await?), false));
    };
    let fingerprint = format!(
        "{} {}\n{}",
        request.method(),
        request.path(),
        String::from_utf8_lossy(body)
    );
    match state
        .store
        .claim_idempotency(caller.user.id, key, &sha256_hex(&fingerprint), AppState::now())
        .await?
    {
        IdempotencyClaim::New(record) => match create().await {
            Ok(created) => {
                let stored = to_stored(created);
                state.store.complete_idempotency(record, &stored).await?;
                Ok(created_response(&stored, false))
            }
            Err(error) => {
                state.store.release_idempotency(record).await?;
                Err(error)
            }
        },
        IdempotencyClaim::Replay(stored) => Ok(created_response(&stored, true)),
        IdempotencyClaim::Mismatch => Err(ApiError::IdempotencyMismatch),
        IdempotencyClaim::InProgress => Err(ApiError::IdempotencyInProgress),
    }
}
