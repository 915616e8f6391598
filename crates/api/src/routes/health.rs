//! Liveness and readiness.

use std::time::Duration;

use actix_web::{HttpResponse, get, web};

use crate::error::ApiError;
use crate::state::AppState;

/// The process is up.
#[utoipa::path(tag = "health", responses((status = 200, description = "Up")))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// How long readiness waits for the database: a connection that hangs
/// (a network that drops packets) must not hang the probe.
const READY_TIMEOUT: Duration = Duration::from_millis(1500);

/// The database answers.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Ready"),
        (status = 503, description = "The database is not reachable", body = lejek_domain::dto::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if tokio::time::timeout(READY_TIMEOUT, state.store.ping())
        .await
        .unwrap_or(false)
    {
        Ok(HttpResponse::Ok().json(serde_json::json!({"status": "ready"})))
    } else {
        Err(ApiError::ServiceUnavailable)
    }
}
