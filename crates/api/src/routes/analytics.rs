//! The funnel's figures and their settings.

use actix_web::{get, put, web};
use chrono::{DateTime, Utc};
use lejek_domain::analytics::{ProbabilitiesBody, StepProbabilities};
use lejek_domain::dto::{ForecastProbabilities, Problem};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::routes::responses::{AdminOnly, LoginRequired};
use crate::state::AppState;

fn answer(chances: StepProbabilities, updated_at: Option<DateTime<Utc>>) -> web::Json<ForecastProbabilities> {
    web::Json(ForecastProbabilities {
        probabilities: chances.into(),
        rising: chances.rise_along_the_funnel(),
        updated_at,
    })
}

/// The chance of each open step that a case in it is won: the admin's, or
/// the defaults (0.10, 0.20, 0.30, 0.40, 0.60, 0.80).
#[utoipa::path(
    tag = "analytics",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The chances in use", body = ForecastProbabilities),
        LoginRequired,
    )
)]
#[get("/analytics/probabilities")]
pub async fn probabilities(
    state: web::Data<AppState>,
    _caller: Caller,
) -> Result<web::Json<ForecastProbabilities>, ApiError> {
    Ok(match state.store.forecast_probabilities().await? {
        Some((chances, updated_at)) => answer(chances, Some(updated_at)),
        None => answer(StepProbabilities::default(), None),
    })
}

/// Set every open step's chance, 0 to 1 with at most four decimals. Chances
/// that fall along the funnel are kept, with `rising: false`. Admins only.
#[utoipa::path(
    tag = "analytics",
    request_body = ProbabilitiesBody,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved", body = ForecastProbabilities),
        (status = 422, description = "A chance that is not 0 to 1 with at most four decimals", body = Problem, content_type = "application/problem+json"),
        AdminOnly,
    )
)]
#[put("/analytics/probabilities")]
pub async fn put_probabilities(
    state: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<ProbabilitiesBody>,
) -> Result<web::Json<ForecastProbabilities>, ApiError> {
    caller.require_admin()?;
    let chances = body.value.parse()?;
    let now = AppState::now();
    state
        .store
        .save_forecast_probabilities(chances, caller.user.id, now)
        .await?;
    Ok(answer(chances, Some(now)))
}
