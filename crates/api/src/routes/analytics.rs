//! The funnel's figures and their settings.

use actix_web::{HttpRequest, get, put, web};
use chrono::{DateTime, Utc};
use lejek_domain::analytics::{
    DurationsReport, ForecastFrame, ForecastReport, FunnelReport, GroupBy, OutcomeGroup, OutcomeKey, Period,
    ProbabilitiesBody, ResignationsReport, StepProbabilities, TeamMember, period_days, team_rows,
};
use lejek_domain::dto::{ForecastProbabilities, OutcomeRow, OutcomesBody, Problem, TeamBody};
use lejek_domain::{
    AnalyticsParam, AnalyticsQuery, CallerTimeZone, Role, UtcOffset, ViolationCode, Violations,
};
use lejek_store::{CampaignScope, CaseFilter};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::params::{ForecastParams, OutcomeParams, PeriodFigureParams};
use crate::routes::cases::query_error;
use crate::routes::responses::{AdminOnly, LoginRequired, ManagerOnly};
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

/// The figures' query, parsed for one figure.
fn figure_query(request: &HttpRequest, accepted: &[AnalyticsParam]) -> Result<AnalyticsQuery, ApiError> {
    AnalyticsQuery::from_query_string(request.query_string(), accepted).map_err(query_error)
}

/// The cases a figure covers: the caller's, in a funnel campaign, under
/// the pipeline's filters.
fn figure_filter<'a>(
    state: &AppState,
    caller: &Caller,
    query: &'a AnalyticsQuery,
) -> Result<CaseFilter<'a>, ApiError> {
    let campaign = query.filters.campaign.unwrap_or(state.funnel.id);
    if campaign == state.spam.id {
        return Err(query_error(Violations::single(
            "campaign",
            ViolationCode::InvalidValue,
        )));
    }
    Ok(CaseFilter {
        scope: caller.scope(),
        caller: caller.user.id,
        campaign: CampaignScope::One(campaign),
        statuses: (!query.filters.status.is_empty()).then_some(query.filters.status.as_slice()),
        filters: &query.filters,
        text: None,
        contact: None,
    })
}

fn zone(query: &AnalyticsQuery) -> CallerTimeZone {
    query
        .filters
        .tz
        .clone()
        .unwrap_or(CallerTimeZone::Offset(UtcOffset::UTC))
}

/// The period `from`–`to` in the query's zone.
fn period(query: &AnalyticsQuery) -> Result<Period, ApiError> {
    let (from, to) = period_days(query.from, query.to).map_err(query_error)?;
    Ok(Period::of_days(from, to, &zone(query)))
}

/// The cohort funnel: the cases created in the period, by the deepest step
/// each has reached (a later move back does not lower it), with the
/// conversion between steps and where the resigned ones dropped out.
#[utoipa::path(
    tag = "analytics",
    params(PeriodFigureParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The funnel", body = FunnelReport),
        (status = 400, description = "A bad parameter or period, named in `errors`", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[get("/analytics/funnel")]
pub async fn funnel(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<web::Json<FunnelReport>, ApiError> {
    let query = figure_query(&request, AnalyticsParam::PERIOD)?;
    let filter = figure_filter(&state, &caller, &query)?;
    let period = period(&query)?;
    Ok(web::Json(state.store.funnel_figures(&filter, &period).await?))
}

/// The cases closed in the period (by their last closing), grouped: won,
/// lost, the win rate, the won value per currency and the sales cycle.
#[utoipa::path(
    tag = "analytics",
    params(OutcomeParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The outcomes", body = OutcomesBody),
        (status = 400, description = "A bad parameter or period, named in `errors`", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[get("/analytics/outcomes")]
pub async fn outcomes(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<web::Json<OutcomesBody>, ApiError> {
    let query = figure_query(&request, AnalyticsParam::OUTCOMES)?;
    let filter = figure_filter(&state, &caller, &query)?;
    let period = period(&query)?;
    let groups = state
        .store
        .outcome_figures(&filter, &period, query.group_by)
        .await?;
    let names: Vec<(i64, String)> = match query.group_by {
        GroupBy::Owner => state
            .store
            .people()
            .await?
            .into_iter()
            .map(|user| (user.id.0, user.name))
            .collect(),
        GroupBy::Qualifier => state
            .store
            .qualifier_names()
            .await?
            .into_iter()
            .map(|entry| (entry.id, entry.name))
            .collect(),
        GroupBy::None | GroupBy::Source => Vec::new(),
    };
    let rows = named_rows(groups, query.group_by, &names);
    Ok(web::Json(OutcomesBody { groups: rows }))
}

/// The groups with their keys and names as the wire has them: sources by
/// code in definition order; owners and qualifiers by id, ordered by name
/// with the cases without one last.
fn named_rows(
    groups: Vec<(OutcomeKey, OutcomeGroup)>,
    group_by: GroupBy,
    names: &[(i64, String)],
) -> Vec<OutcomeRow> {
    let name_of = |id: i64| {
        names
            .iter()
            .find(|(each, _)| *each == id)
            .map(|(_, name)| name.clone())
            .unwrap_or_default()
    };
    let mut rows: Vec<OutcomeRow> = groups
        .into_iter()
        .map(|(key, figures)| {
            let (key, name) = match key {
                OutcomeKey::All => (None, None),
                OutcomeKey::Source(source) => (Some(source.as_str().to_owned()), None),
                OutcomeKey::Owner(owner) => (owner.map(|id| id.0.to_string()), owner.map(|id| name_of(id.0))),
                OutcomeKey::Qualifier(qualifier) => (
                    qualifier.map(|id| id.0.to_string()),
                    qualifier.map(|id| name_of(id.0)),
                ),
            };
            OutcomeRow { key, name, figures }
        })
        .collect();
    if matches!(group_by, GroupBy::Owner | GroupBy::Qualifier) {
        rows.sort_by(|a, b| match (&a.name, &b.name) {
            (Some(a_name), Some(b_name)) => a_name.cmp(b_name).then_with(|| a.key.cmp(&b.key)),
            (a_name, b_name) => b_name.is_some().cmp(&a_name.is_some()),
        });
    }
    rows
}

/// The cases resigned in the period, by their last resignation reason,
/// most frequent first.
#[utoipa::path(
    tag = "analytics",
    params(PeriodFigureParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The resignation reasons", body = ResignationsReport),
        (status = 400, description = "A bad parameter or period, named in `errors`", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[get("/analytics/resignations")]
pub async fn resignations(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<web::Json<ResignationsReport>, ApiError> {
    let query = figure_query(&request, AnalyticsParam::PERIOD)?;
    let filter = figure_filter(&state, &caller, &query)?;
    let period = period(&query)?;
    Ok(web::Json(
        state.store.resignation_figures(&filter, &period).await?,
    ))
}

/// Time in each open status and each stage: the stays that ended in the
/// period, and the ages of those going on now, in whole seconds.
#[utoipa::path(
    tag = "analytics",
    params(PeriodFigureParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The durations", body = DurationsReport),
        (status = 400, description = "A bad parameter or period, named in `errors`", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[get("/analytics/durations")]
pub async fn durations(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<web::Json<DurationsReport>, ApiError> {
    let query = figure_query(&request, AnalyticsParam::PERIOD)?;
    let filter = figure_filter(&state, &caller, &query)?;
    let period = period(&query)?;
    Ok(web::Json(
        state
            .store
            .duration_figures(&filter, &period, AppState::now())
            .await?,
    ))
}

/// The forecast: open cases by the month of their expected close date
/// (`overdue` first), at full value and weighted by their step's chance,
/// beside what as many past months brought.
#[utoipa::path(
    tag = "analytics",
    params(ForecastParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The forecast", body = ForecastReport),
        (status = 400, description = "A bad parameter, named in `errors`", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[get("/analytics/forecast")]
pub async fn forecast(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<web::Json<ForecastReport>, ApiError> {
    let query = figure_query(&request, AnalyticsParam::FORECAST)?;
    let filter = figure_filter(&state, &caller, &query)?;
    let zone = zone(&query);
    let frame = ForecastFrame::new(zone.local_date(AppState::now()), u32::from(query.months));
    let month_starts: Vec<DateTime<Utc>> = frame
        .behind_bounds
        .iter()
        .map(|day| zone.start_of_day(*day))
        .collect();
    let chances = state
        .store
        .forecast_probabilities()
        .await?
        .map_or_else(StepProbabilities::default, |(chances, _)| chances);
    Ok(web::Json(
        state
            .store
            .forecast_figures(&filter, &frame, chances, &month_starts)
            .await?,
    ))
}

/// The manager's table: per active agent and manager who owns cases in
/// scope, their open work now and their results in the period. Managers
/// and admins only.
#[utoipa::path(
    tag = "analytics",
    params(PeriodFigureParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The team", body = TeamBody),
        (status = 400, description = "A bad parameter or period, named in `errors`", body = Problem, content_type = "application/problem+json"),
        ManagerOnly,
    )
)]
#[get("/analytics/team")]
pub async fn team(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<web::Json<TeamBody>, ApiError> {
    caller.require_manager()?;
    let query = figure_query(&request, AnalyticsParam::PERIOD)?;
    let filter = figure_filter(&state, &caller, &query)?;
    let period = period(&query)?;
    let now = AppState::now();
    let work = state.store.work_figures(&filter, now).await?;
    let results = state
        .store
        .outcome_figures(&filter, &period, GroupBy::Owner)
        .await?;
    let moves = state.store.move_figures(&filter, &period).await?;
    let members: Vec<TeamMember> = state
        .store
        .people()
        .await?
        .into_iter()
        .filter(|user| user.active && matches!(user.role, Role::Agent | Role::Manager))
        .map(|user| TeamMember {
            id: user.id,
            name: user.name,
        })
        .collect();
    let rows = team_rows(&members, &work, &results, &moves);
    Ok(web::Json(TeamBody { rows }))
}
