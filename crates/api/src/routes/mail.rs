//! E-mail intake (intake spec §3): mail gateways post raw messages; admins
//! set what becomes of them and see what came in.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use lejek_domain::dto::{InboundMailDto, MailIntakeDto, MailIntakeRequest, Problem};
use lejek_domain::{MailChannel, MailIntakeInput, MailIntakeSettings, MailOutcome};
use lejek_store::MailIntakeRecord;

use crate::auth::{Caller, MailDeliverer};
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::mail::filing::{dto, file_mail};
use crate::routes::responses::AdminOnly;
use crate::state::AppState;
use crate::upload::{FileBytes, MailUpload};

/// How many filed messages the log shows.
const MESSAGES_SHOWN: u64 = 100;

fn settings_dto(record: MailIntakeRecord, state: &AppState, request: &HttpRequest) -> MailIntakeDto {
    let info = request.connection_info();
    MailIntakeDto {
        active: record.active,
        qualifier: record.qualifier,
        assignment: record.assignment,
        agents: record.agents,
        close_in_days: record.close_in_days,
        updated_by: record.updated_by,
        updated_at: record.updated_at,
        delivery_url: format!("{}://{}/api/v1/inbound/email", info.scheme(), info.host()),
        imap: state.mail_poll.status(),
    }
}

/// Deliver one inbound e-mail: the raw RFC 5322 message as the body.
///
/// For mail gateways, with an API key of the `intake` scope (or as an
/// admin). A new lead answers 201; a reply filed as a note on its case,
/// machine mail (auto-reply, bounce, list) or a sender's loop held back
/// answer 200 with what became of it. The same Message-ID again answers
/// what it became the first time, with `duplicate: true`.
#[utoipa::path(
    tag = "inbound",
    request_body(description = "The raw message", content(
        (inline(FileBytes) = "message/rfc822"),
        (inline(FileBytes) = "text/plain"),
        (inline(FileBytes) = "application/octet-stream"),
    )),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "A new lead", body = InboundMailDto),
        (status = 200, description = "Filed: a note, skipped, held back, or filed before", body = InboundMailDto),
        (status = 409, description = "E-mail intake is switched off", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The message is over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not sent as a message", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not an e-mail message, or its sender breaks a contact's rules", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither an intake key nor an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/inbound/email")]
pub async fn deliver_mail(
    state: web::Data<AppState>,
    _deliverer: MailDeliverer,
    upload: MailUpload,
) -> Result<HttpResponse, ApiError> {
    let filed = file_mail(&state.store, state.funnel, &upload.0.bytes, MailChannel::Http).await?;
    state.count("lejek_inbound_mail_total");
    Ok(if filed.outcome == MailOutcome::Created && !filed.duplicate {
        HttpResponse::Created().json(filed)
    } else {
        HttpResponse::Ok().json(filed)
    })
}

/// E-mail intake's settings, where a gateway delivers, and this node's
/// IMAP polling.
#[utoipa::path(
    tag = "inbound",
    security(("bearer" = [])),
    responses((status = 200, description = "The settings", body = MailIntakeDto), AdminOnly)
)]
#[get("/inbound/email/settings")]
pub async fn mail_settings(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let record = state.store.mail_intake().await?;
    Ok(HttpResponse::Ok().json(settings_dto(record, &state, &request)))
}

/// Set what becomes of inbound mail; the admin saving them files the mail
/// from then on.
#[utoipa::path(
    tag = "inbound",
    request_body = MailIntakeRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved", body = MailIntakeDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid settings", body = Problem, content_type = "application/problem+json"),
        AdminOnly,
    )
)]
#[put("/inbound/email/settings")]
pub async fn put_mail_settings(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    body: ApiJson<MailIntakeRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let body = body.value;
    let settings = MailIntakeSettings::parse(MailIntakeInput {
        active: body.active,
        qualifier_id: body.qualifier,
        assignment: body.assignment,
        agents: body.agents,
        close_in_days: body.close_in_days,
    })?;
    let record = state
        .store
        .update_mail_intake(&settings, caller.user.id, AppState::now())
        .await?;
    Ok(HttpResponse::Ok().json(settings_dto(record, &state, &request)))
}

/// The latest 100 messages filed, newest first, with what became of each.
#[utoipa::path(
    tag = "inbound",
    security(("bearer" = [])),
    responses((status = 200, description = "The latest messages", body = Vec<InboundMailDto>), AdminOnly)
)]
#[get("/inbound/email/messages")]
pub async fn inbound_messages(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let messages: Vec<InboundMailDto> = state
        .store
        .inbound_mails(MESSAGES_SHOWN)
        .await?
        .into_iter()
        .map(|record| dto(record, false))
        .collect();
    Ok(HttpResponse::Ok().json(messages))
}
