//! Moving cases: transitions, owners, campaigns, bulk actions; and the
//! history and notes of the case card.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use lejek_domain::dto::{
    BulkAction, BulkItem, BulkRequest, BulkResult, CampaignRequest, CaseCard, CaseEventDto, NewNoteRequest,
    NoteDto, OwnerRequest, Problem, TransitionRequest,
};
use lejek_domain::{
    CaseAction, CaseCommand, CaseDetailsPatch, CaseId, NoteText, TransitionCommand, ViolationCode,
    Violations, authorize, decide,
};
use lejek_store::CaseWrite;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::{Created, idempotent_create};
use crate::json::ApiJson;
use crate::params::IdempotencyKeyHeader;
use crate::routes::cases::{check_version, visible_case, write_decision};
use crate::routes::responses::{CaseRead, LoginRequired, VersionedCaseWrite};
use crate::state::AppState;

/// Decides `command` on a visible case at the `If-Match` version and
/// writes the result with its history.
async fn change_case(
    state: &AppState,
    caller: &Caller,
    request: &HttpRequest,
    id: i64,
    command: CaseCommand,
) -> Result<HttpResponse, ApiError> {
    let (_, snapshot) = visible_case(state, caller, CaseId(id)).await?;
    let version = check_version(request, &snapshot)?;
    let decision = decide(&caller.actor(), &snapshot.state, command, AppState::now())?;
    write_decision(
        state,
        caller,
        &snapshot,
        version,
        &decision,
        &CaseDetailsPatch::default(),
    )
    .await
}

/// Move a case in the funnel (spec section 3).
///
/// `in_acquisition` and `offered` need a `stage` of their own; `offered`
/// needs `follow_up_at`; `resigned` needs `resignation_reason`. A closed case
/// can only be reopened, by a manager. Errors name the field or rule.
#[utoipa::path(
    tag = "cases",
    params(
        ("id" = i64, Path, description = "Case id"),
        ("If-Match" = String, Header, description = "The ETag from the last read"),
    ),
    request_body = TransitionRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The moved case", body = CaseCard, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`transition_forbidden`: reopening needs a manager; a closed case only reopens", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`stage_required`, `follow_up_required`, … naming each field", body = Problem, content_type = "application/problem+json"),
        VersionedCaseWrite,
    )
)]
#[post("/cases/{id}/transition")]
pub async fn transition(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<i64>,
    body: ApiJson<TransitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.value;
    let command = CaseCommand::Transition(TransitionCommand {
        status: body.status,
        stage: body.stage,
        follow_up_at: body.follow_up_at,
        resignation_reason: body.resignation_reason,
    });
    change_case(&state, &caller, &request, id.into_inner(), command).await
}

/// Assign, reassign or unassign (`null`) the owner. Managers only.
#[utoipa::path(
    tag = "cases",
    params(
        ("id" = i64, Path, description = "Case id"),
        ("If-Match" = String, Header, description = "The ETag from the last read"),
    ),
    request_body = OwnerRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The case", body = CaseCard, headers(("ETag" = String))),
        (status = 403, description = "Not a manager", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown or inactive user", body = Problem, content_type = "application/problem+json"),
        VersionedCaseWrite,
    )
)]
#[put("/cases/{id}/owner")]
pub async fn set_owner(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<i64>,
    body: ApiJson<OwnerRequest>,
) -> Result<HttpResponse, ApiError> {
    let command = CaseCommand::Assign {
        owner: body.value.owner_id,
    };
    change_case(&state, &caller, &request, id.into_inner(), command).await
}

/// Move a case to another campaign: to SPAM, or back to the funnel.
#[utoipa::path(
    tag = "cases",
    params(
        ("id" = i64, Path, description = "Case id"),
        ("If-Match" = String, Header, description = "The ETag from the last read"),
    ),
    request_body = CampaignRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The case", body = CaseCard, headers(("ETag" = String))),
        (status = 422, description = "Unknown campaign", body = Problem, content_type = "application/problem+json"),
        VersionedCaseWrite,
    )
)]
#[put("/cases/{id}/campaign")]
pub async fn set_campaign(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<i64>,
    body: ApiJson<CampaignRequest>,
) -> Result<HttpResponse, ApiError> {
    let campaign = state
        .store
        .campaign_ref(body.value.campaign_id)
        .await?
        .ok_or_else(|| Violations::single("campaign_id", ViolationCode::UnknownReference))?;
    change_case(
        &state,
        &caller,
        &request,
        id.into_inner(),
        CaseCommand::ChangeCampaign { to: campaign },
    )
    .await
}

/// Spam, restore or assign many cases at once: all or nothing.
///
/// `spam` moves the cases to the SPAM campaign, `restore` back to the
/// funnel, `assign` (managers) sets `owner_id`. If any case is unknown or
/// not the caller's, nothing changes (404).
#[utoipa::path(
    tag = "cases",
    request_body = BulkRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every case changed, with its new version", body = BulkResult),
        (status = 403, description = "`assign` by an agent", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "A case is unknown or not yours; nothing changed", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "A case changed meanwhile; nothing changed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No ids, too many, repeated, or a rule broken", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[post("/cases/bulk")]
pub async fn bulk(
    state: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<BulkRequest>,
) -> Result<web::Json<BulkResult>, ApiError> {
    let body = body.value;
    let mut ids = body.ids.clone();
    ids.sort_unstable();
    ids.dedup();
    if body.ids.is_empty() || body.ids.len() > BulkRequest::MAX_IDS {
        return Err(Violations::single("ids", ViolationCode::OutOfRange).into());
    }
    if ids.len() != body.ids.len() {
        return Err(Violations::single("ids", ViolationCode::Duplicate).into());
    }
    let command = match body.action {
        BulkAction::Spam => CaseCommand::ChangeCampaign { to: state.spam },
        BulkAction::Restore => CaseCommand::ChangeCampaign { to: state.funnel },
        BulkAction::Assign => CaseCommand::Assign { owner: body.owner_id },
    };
    let snapshots = state.store.case_snapshots(&ids).await?;
    let actor = caller.actor();
    if snapshots.len() != ids.len()
        || snapshots
            .iter()
            .any(|snapshot| authorize(&actor, snapshot.state.owner, CaseAction::See).is_err())
    {
        return Err(ApiError::NotFound);
    }
    let now = AppState::now();
    let decisions = snapshots
        .iter()
        .map(|snapshot| decide(&actor, &snapshot.state, command.clone(), now))
        .collect::<Result<Vec<_>, _>>()?;
    let no_details = CaseDetailsPatch::default();
    let writes: Vec<CaseWrite<'_>> = snapshots
        .iter()
        .zip(&decisions)
        .map(|(snapshot, decision)| CaseWrite {
            id: snapshot.id,
            expected_version: snapshot.version,
            previous: &snapshot.state,
            state: &decision.state,
            details: &no_details,
            changes: &decision.changes,
        })
        .collect();
    let versions = state.store.write_cases(&writes, caller.user.id, now).await?;
    Ok(web::Json(BulkResult {
        updated: versions
            .into_iter()
            .map(|(id, version)| BulkItem { id, version })
            .collect(),
    }))
}

/// The case's history, oldest first.
#[utoipa::path(
    tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "History events", body = Vec<CaseEventDto>),
        CaseRead,
    )
)]
#[get("/cases/{id}/events")]
pub async fn events(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<CaseEventDto>>, ApiError> {
    let (_, snapshot) = visible_case(&state, &caller, CaseId(id.into_inner())).await?;
    Ok(web::Json(state.store.case_events(snapshot.id).await?))
}

/// The case's notes, oldest first.
#[utoipa::path(
    tag = "cases",
    params(("id" = i64, Path, description = "Case id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Notes", body = Vec<NoteDto>),
        CaseRead,
    )
)]
#[get("/cases/{id}/notes")]
pub async fn notes(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<Vec<NoteDto>>, ApiError> {
    let (_, snapshot) = visible_case(&state, &caller, CaseId(id.into_inner())).await?;
    Ok(web::Json(state.store.case_notes(snapshot.id).await?))
}

/// Add a note to the case card.
#[utoipa::path(
    tag = "cases",
    params(
        ("id" = i64, Path, description = "Case id"),
        IdempotencyKeyHeader,
    ),
    request_body = NewNoteRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The note", body = NoteDto),
        (status = 422, description = "Blank or too long", body = Problem, content_type = "application/problem+json"),
        CaseRead,
    )
)]
#[post("/cases/{id}/notes")]
pub async fn add_note(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<i64>,
    body: ApiJson<NewNoteRequest>,
) -> Result<HttpResponse, ApiError> {
    let (_, snapshot) = visible_case(&state, &caller, CaseId(id.into_inner())).await?;
    authorize(&caller.actor(), snapshot.state.owner, CaseAction::AddNote).map_err(|_| ApiError::NotFound)?;
    let ApiJson { value, bytes } = body;
    idempotent_create(&state, &caller, &request, &bytes, || async {
        let text = NoteText::parse(&value.body).map_err(|code| Violations::single("body", code))?;
        let note = state
            .store
            .add_note(snapshot.id, caller.user.id, &text, AppState::now())
            .await?;
        Created::new(&note, None, None)
    })
    .await
}
