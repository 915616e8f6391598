//! The Prometheus scrape endpoint.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use secrecy::ExposeSecret;
use subtle::ConstantTimeEq;

use crate::error::ApiError;
use crate::monitoring;
use crate::state::AppState;

/// This node's figures in the Prometheus text format: requests and their
/// latency per route template and status class, the database pool, login
/// failures and throttles.
///
/// Off (404) unless the server is given a metrics token
/// (`LEJEK_METRICS_TOKEN`); then scrapers send it as a bearer token.
#[utoipa::path(
    tag = "health",
    security(("metrics_token" = [])),
    responses(
        (status = 200, description = "The figures", body = String,
            content_type = "text/plain; version=0.0.4; charset=utf-8"),
        (status = 404, description = "`not_found`: metrics are off on this server", body = lejek_domain::dto::Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>, request: HttpRequest) -> Result<HttpResponse, ApiError> {
    let (Some(token), Some(handle)) = (&state.settings.metrics_token, monitoring::install()) else {
        return Err(ApiError::NotFound);
    };
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(ApiError::Unauthorized(
            "Send the metrics token as a bearer token.",
        ))?;
    if !bool::from(presented.as_bytes().ct_eq(token.expose_secret().as_bytes())) {
        return Err(ApiError::Unauthorized("The metrics token is not valid."));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(monitoring::render(handle, &state.store)))
}
