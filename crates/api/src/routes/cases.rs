//! The pipeline list, its tab counts, search, and reading and creating cases.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use lejek_domain::dto::{CaseCard, CasePatchRequest, CaseRow, NewCaseRequest, Page, Problem, TabCounts};
use lejek_domain::{
    CaseAction, CaseCommand, CaseDetailsInput, CaseDetailsPatch, CaseId, ContactInput, Direction, ErrorCode,
    ListParam, ListQuery, NewCaseCommand, PipelineFilters, PipelineQuery, SortField, SortKey, ViolationCode,
    Violations, authorize, decide, decide_new_case,
};
use lejek_store::{CampaignScope, CaseFilter, CaseSnapshot, CaseWrite};

use crate::auth::Caller;
use crate::error::{ApiError, field_error};
use crate::http::{Created, idempotent_create, if_match, make_cursor, read_cursor, with_etag};
use crate::json::ApiJson;
use crate::params::{IdempotencyKeyHeader, PipelineParams, SearchParams};
use crate::routes::responses::{CaseRead, LoginRequired, VersionedCaseWrite};
use crate::state::AppState;

/// A bad query string as a 400 naming each parameter.
pub fn query_error(violations: Violations) -> ApiError {
    let errors: Vec<_> = violations.iter().map(field_error).collect();
    ApiError::BadRequest {
        code: ErrorCode::InvalidParameter,
        detail: format!(
            "Bad query parameter(s): {}",
            errors
                .iter()
                .map(|e| e.field.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        errors,
    }
}

fn campaign_scope(state: &AppState, filters: &PipelineFilters) -> CampaignScope {
    if filters.spam {
        CampaignScope::One(state.spam.id)
    } else {
        CampaignScope::One(filters.campaign.unwrap_or(state.funnel.id))
    }
}

/// A page of `filter`'s cases newest first (search, a contact's cases).
pub async fn newest_first_page(
    state: &AppState,
    filter: &CaseFilter<'_>,
    query: &ListQuery,
    fingerprint: &str,
) -> Result<Page<CaseRow>, ApiError> {
    let sort = [SortKey {
        field: SortField::CreatedAt,
        direction: Direction::Desc,
    }];
    case_page(
        state,
        filter,
        &sort,
        query.page_size(),
        fingerprint,
        query.cursor.as_deref(),
    )
    .await
}

/// Lists a page of `filter` in `sort` order with a cursor bound to `query`.
pub async fn case_page(
    state: &AppState,
    filter: &CaseFilter<'_>,
    sort: &[SortKey],
    limit: u16,
    fingerprint: &str,
    cursor: Option<&str>,
) -> Result<Page<CaseRow>, ApiError> {
    let after = cursor
        .map(|cursor| read_cursor(state, fingerprint, cursor))
        .transpose()?;
    let page = state
        .store
        .list_cases(filter, sort, limit, after.as_deref())
        .await?;
    Ok(Page {
        items: page.rows,
        next_cursor: page
            .next_after
            .map(|after| make_cursor(state, fingerprint, after)),
    })
}

/// The pipeline list: one page of the funnel under the filters.
///
/// Agents see only their own cases. Keyset-paginated: follow `next_cursor`
/// until it is `null`; a deep page costs what the first does.
#[utoipa::path(
    tag = "cases",
    params(PipelineParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of cases", body = Page<CaseRow>),
        (status = 400, description = "A bad parameter or cursor, named in `errors`", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[get("/cases")]
pub async fn list_cases(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<web::Json<Page<CaseRow>>, ApiError> {
    let query = PipelineQuery::from_query_string(request.query_string()).map_err(query_error)?;
    let statuses = query.filters.statuses_for(query.tab);
    let filter = CaseFilter {
        scope: caller.scope(),
        caller: caller.user.id,
        campaign: campaign_scope(&state, &query.filters),
        statuses: statuses.as_deref(),
        filters: &query.filters,
        text: None,
        contact: None,
    };
    let fingerprint = PipelineQuery {
        cursor: None,
        limit: None,
        ..query.clone()
    }
    .to_query_string();
    let page = case_page(
        &state,
        &filter,
        &query.effective_sort(),
        query.page_size(),
        &fingerprint,
        query.cursor.as_deref(),
    )
    .await?;
    Ok(web::Json(page))
}

/// How many cases each tab holds under the same filters (the tab itself
/// and paging parameters are ignored).
#[utoipa::path(
    tag = "cases",
    params(PipelineParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Counts per tab", body = TabCounts),
        (status = 400, description = "A bad parameter, named in `errors`", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[get("/cases/counts")]
pub async fn count_cases(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<web::Json<TabCounts>, ApiError> {
    let query = PipelineQuery::from_query_string(request.query_string()).map_err(query_error)?;
    let statuses = (!query.filters.status.is_empty()).then_some(query.filters.status.as_slice());
    let filter = CaseFilter {
        scope: caller.scope(),
        caller: caller.user.id,
        campaign: campaign_scope(&state, &query.filters),
        statuses,
        filters: &query.filters,
        text: None,
        contact: None,
    };
    Ok(web::Json(state.store.count_cases(&filter).await?))
}

/// The parameters of a simple list that accepts `params`.
pub fn list_query(request: &HttpRequest, params: &[ListParam]) -> Result<ListQuery, ApiError> {
    ListQuery::from_query_string(request.query_string(), params).map_err(query_error)
}

/// Search across all campaigns, SPAM included, newest first: where a case
/// marked as spam by mistake is found and moved back.
#[utoipa::path(
    tag = "cases",
    params(SearchParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Matching cases", body = Page<CaseRow>),
        (status = 400, description = "A bad parameter or cursor", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[get("/search")]
pub async fn search(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<web::Json<Page<CaseRow>>, ApiError> {
    let query = list_query(&request, ListParam::SEARCH)?;
    let q = query.q.as_ref().map(|q| q.as_str().to_owned());
    let filters = PipelineFilters::default();
    let filter = CaseFilter {
        scope: caller.scope(),
        caller: caller.user.id,
        campaign: CampaignScope::Any,
        statuses: None,
        filters: &filters,
        text: q.as_deref(),
        contact: None,
    };
    let fingerprint = format!("search:{}", q.as_deref().unwrap_or_default());
    Ok(web::Json(
        newest_first_page(&state, &filter, &query, &fingerprint).await?,
    ))
}

/// The case card and the snapshot the rules decide on; 404 when the
/// caller may not see it.
pub async fn visible_case(
    state: &AppState,
    caller: &Caller,
    id: CaseId,
) -> Result<(CaseCard, CaseSnapshot), ApiError> {
    let (card, snapshot) = state.store.case_card(id).await?.ok_or(ApiError::NotFound)?;
    authorize(&caller.actor(), snapshot.state.owner, CaseAction::See).map_err(|_| ApiError::NotFound)?;
    Ok((card, snapshot))
}

/// Writes an accepted decision (and any detail edits) at `version`, and
/// answers with the updated card and its new ETag.
pub async fn write_decision(
    state: &AppState,
    caller: &Caller,
    snapshot: &CaseSnapshot,
    version: i64,
    decision: &lejek_domain::Decision,
    details: &CaseDetailsPatch,
) -> Result<HttpResponse, ApiError> {
    let write = CaseWrite {
        id: snapshot.id,
        expected_version: version,
        previous: &snapshot.state,
        state: &decision.state,
        details,
        changes: &decision.changes,
    };
    let card = state
        .store
        .write_case(write, caller.user.id, AppState::now())
        .await?;
    let version = card.row.version;
    Ok(with_etag(StatusCode::OK, &card, version))
}

/// Checks `If-Match` against the version just read.
pub fn check_version(request: &HttpRequest, snapshot: &CaseSnapshot) -> Result<i64, ApiError> {
    match if_match(request)? {
        Some(expected) if expected != snapshot.version => Err(ApiError::VersionMismatch),
        _ => Ok(snapshot.version),
    }
}

/// The case card, with its version as `ETag`.
#[utoipa::path(
    tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The case card", body = CaseCard, headers(("ETag" = String, description = "The case's version"))),
        CaseRead,
    )
)]
#[get("/cases/{id}")]
pub async fn get_case(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (card, snapshot) = visible_case(&state, &caller, CaseId(id.into_inner())).await?;
    Ok(with_etag(StatusCode::OK, &card, snapshot.version))
}

/// Whether the caller may use this contact for a case.
async fn check_contact(
    state: &AppState,
    caller: &Caller,
    id: lejek_domain::ContactId,
) -> Result<(), ApiError> {
    match state.store.contact(caller.scope(), id).await? {
        Some(_) => Ok(()),
        None => Err(Violations::single("contact_id", ViolationCode::UnknownReference).into()),
    }
}

/// Create a case; it starts awaiting pickup, whoever creates it.
///
/// Give `contact_id` or a new `contact` (a contact with the same e-mail is
/// reused). An agent's case is their own; a manager may set any owner or
/// none. Send `Idempotency-Key` to make retries safe.
#[utoipa::path(
    tag = "cases",
    request_body = NewCaseRequest,
    params(IdempotencyKeyHeader),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = CaseCard, headers(("Location" = String), ("ETag" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or invalid fields, or idempotency key reused", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[post("/cases")]
pub async fn create_case(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    body: ApiJson<NewCaseRequest>,
) -> Result<HttpResponse, ApiError> {
    let ApiJson { value, bytes } = body;
    idempotent_create(&state, &caller, &request, &bytes, || async {
        let command = NewCaseCommand {
            subject: value.subject,
            source: value.source,
            expected_close_date: value.expected_close_date,
            contact_id: value.contact_id,
            contact: value.contact.map(|contact| ContactInput {
                name: contact.name,
                company: contact.company,
                email: contact.email,
                phone: contact.phone,
            }),
            qualifier_id: value.qualifier,
            value: value.value,
            currency: value.currency,
            owner_id: value.owner_id,
            external_id: value.external_id,
        };
        let new_case = decide_new_case(&caller.actor(), command, state.funnel)?;
        if let lejek_domain::ContactChoice::Existing(id) = &new_case.contact {
            check_contact(&state, &caller, *id).await?;
        }
        let card = state
            .store
            .create_case(&new_case, caller.user.id, AppState::now())
            .await?;
        let location = format!("/api/v1/cases/{}", card.row.id);
        let version = card.row.version;
        Created::new(&card, Some(location), Some(version))
    })
    .await
}

/// Edit a case's details. A missing field is kept, `null` clears it.
///
/// Requires `If-Match` with the case's ETag: 428 without it, 412 when
/// someone changed the case meanwhile.
#[utoipa::path(
    tag = "cases",
    params(
        ("id" = i64, Path, description = "Case id"),
        ("If-Match" = String, Header, description = "The ETag from the last read"),
    ),
    request_body = CasePatchRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated case", body = CaseCard, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A closed case is read-only for agents", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        VersionedCaseWrite,
    )
)]
#[patch("/cases/{id}")]
pub async fn patch_case(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<i64>,
    body: ApiJson<CasePatchRequest>,
) -> Result<HttpResponse, ApiError> {
    let (card, snapshot) = visible_case(&state, &caller, CaseId(id.into_inner())).await?;
    // The precondition comes before the fields (RFC 9110, 13.2.1).
    let version = check_version(&request, &snapshot)?;
    let input = body.value;
    let follow_up_at = input.follow_up_at.clone();
    let details = CaseDetailsPatch::parse(CaseDetailsInput {
        subject: input.subject,
        source: input.source,
        qualifier_id: input.qualifier,
        expected_close_date: input.expected_close_date,
        value: input.value,
        currency: input.currency,
        contact_id: input.contact_id,
    })?;
    let decision = decide(
        &caller.actor(),
        &snapshot.state,
        CaseCommand::Edit {
            follow_up_at: follow_up_at.clone(),
        },
        AppState::now(),
    )?;
    if details == CaseDetailsPatch::default() && follow_up_at.is_keep() {
        return Ok(with_etag(StatusCode::OK, &card, snapshot.version));
    }
    if let Some(contact_id) = details.contact_id {
        check_contact(&state, &caller, contact_id).await?;
    }
    write_decision(&state, &caller, &snapshot, version, &decision, &details).await
}
