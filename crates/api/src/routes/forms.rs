//! Web forms (intake spec §2): admins set them up; anyone may post one.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use lejek_domain::dto::{FormSubmission, FormToken, Problem, SubmissionReceived, WebFormDto, WebFormRequest};
use lejek_domain::{Language, ViolationCode, Violations, WebFormInput, WebFormSettings};
use lejek_store::WebFormRecord;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::forms::intake::{Received, receive};
use crate::forms::{page, token};
use crate::json::ApiJson;
use crate::routes::auth::client_address;
use crate::routes::responses::AdminOnly;
use crate::state::AppState;

/// This server's address as the caller reached it, for the snippet.
fn public_base(request: &HttpRequest) -> String {
    let info = request.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

fn dto(record: WebFormRecord, base: &str) -> WebFormDto {
    let page_url = format!("{base}/f/{}", record.key);
    let snippet = format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"640\" style=\"max-width:560px;border:0\" loading=\"lazy\"></iframe>",
        html_escape::encode_double_quoted_attribute(&page_url),
        html_escape::encode_double_quoted_attribute(&record.name),
    );
    WebFormDto {
        submit_url: format!("{base}/api/v1/forms/{}/submissions", record.key),
        id: record.id,
        key: record.key,
        name: record.name,
        origins: record.origins,
        source: record.source,
        qualifier: record.qualifier,
        assignment: record.assignment,
        agents: record.agents,
        fields: record.fields,
        close_in_days: record.close_in_days,
        active: record.active,
        created_at: record.created_at,
        updated_at: record.updated_at,
        leads: record.leads,
        snippet,
        page_url,
    }
}

fn settings(request: WebFormRequest) -> Result<WebFormSettings, ApiError> {
    Ok(WebFormSettings::parse(WebFormInput {
        name: Some(request.name),
        origins: request.origins,
        source: request.source,
        qualifier_id: request.qualifier,
        assignment: request.assignment,
        agents: request.agents,
        fields: request.fields,
        close_in_days: request.close_in_days,
        active: request.active,
    })?)
}

/// A public key: 24 URL-safe random characters.
fn new_key() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..24)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Every web form, by name.
#[utoipa::path(
    tag = "forms",
    security(("bearer" = [])),
    responses((status = 200, description = "The web forms", body = Vec<WebFormDto>), AdminOnly)
)]
#[get("/forms")]
pub async fn list_forms(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let base = public_base(&request);
    let forms: Vec<WebFormDto> = state
        .store
        .forms()
        .await?
        .into_iter()
        .map(|record| dto(record, &base))
        .collect();
    Ok(HttpResponse::Ok().json(forms))
}

/// Set up a web form; the answer has the snippet to embed.
#[utoipa::path(
    tag = "forms",
    request_body = WebFormRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = WebFormDto, headers(("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid settings", body = Problem, content_type = "application/problem+json"),
        AdminOnly,
    )
)]
#[post("/forms")]
pub async fn create_form(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    body: ApiJson<WebFormRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let settings = settings(body.value)?;
    let record = state
        .store
        .create_form(&settings, &new_key(), caller.user.id, AppState::now())
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/forms/{}", record.id)))
        .json(dto(record, &public_base(&request))))
}

/// A web form.
#[utoipa::path(
    tag = "forms",
    params(("id" = i64, Path, description = "Form id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The form", body = WebFormDto),
        (status = 404, description = "No such form", body = Problem, content_type = "application/problem+json"),
        AdminOnly,
    )
)]
#[get("/forms/{id}")]
pub async fn get_form(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let record = state
        .store
        .form(id.into_inner())
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(dto(record, &public_base(&request))))
}

/// Change a web form's settings (all of them, as when creating it).
#[utoipa::path(
    tag = "forms",
    params(("id" = i64, Path, description = "Form id")),
    request_body = WebFormRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The changed form", body = WebFormDto),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such form", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid settings", body = Problem, content_type = "application/problem+json"),
        AdminOnly,
    )
)]
#[put("/forms/{id}")]
pub async fn put_form(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<i64>,
    body: ApiJson<WebFormRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let settings = settings(body.value)?;
    let record = state
        .store
        .update_form(id.into_inner(), &settings, AppState::now())
        .await?;
    Ok(HttpResponse::Ok().json(dto(record, &public_base(&request))))
}

/// Retire a web form: its key stops answering; its leads stay.
#[utoipa::path(
    tag = "forms",
    params(("id" = i64, Path, description = "Form id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Retired"),
        (status = 404, description = "No such form", body = Problem, content_type = "application/problem+json"),
        AdminOnly,
    )
)]
#[delete("/forms/{id}")]
pub async fn retire_form(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    state.store.retire_form(id.into_inner(), AppState::now()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A live form by key, posted from one of its sites (or from no site: its
/// own page, a server, a test). Another site is refused.
async fn public_form(state: &AppState, request: &HttpRequest, key: &str) -> Result<WebFormRecord, ApiError> {
    let form = state
        .store
        .form_by_key(key)
        .await?
        .filter(|form| form.active)
        .ok_or(ApiError::NotFound)?;
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|value| value.to_str().ok());
    let own = public_base(request);
    match origin {
        Some(origin) if origin != own && !form.origins.iter().any(|allowed| allowed == origin) => {
            Err(ApiError::Forbidden)
        }
        _ => Ok(form),
    }
}

/// A token for a custom form to send back: taken as a person's once a few
/// seconds have passed, for a day. CORS: the form's sites only.
#[utoipa::path(
    tag = "forms",
    params(("key" = String, Path, description = "The form's public key")),
    responses(
        (status = 200, description = "The token", body = FormToken),
        (status = 403, description = "Asked from a site the form is not on", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such active form", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/forms/{key}/token")]
pub async fn form_token(
    state: web::Data<AppState>,
    request: HttpRequest,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let form = public_form(&state, &request, &key).await?;
    let now = AppState::now();
    let not_before =
        now + chrono::Duration::seconds(i64::try_from(state.settings.form_min_fill_seconds).unwrap_or(3));
    Ok(HttpResponse::Ok().json(FormToken {
        token: token::issue(&state.form_tokens, form.id, now),
        not_before,
    }))
}

/// The language of the form page: `lang=pl` (default) or `lang=en`.
fn page_language(request: &HttpRequest) -> Language {
    let english = form_urlencoded::parse(request.query_string().as_bytes())
        .any(|(key, value)| key == "lang" && value == "en");
    if english { Language::En } else { Language::Pl }
}

/// A submission as sent: JSON, or form-encoded from the form page.
fn read_submission(request: &HttpRequest, body: &[u8]) -> Result<(FormSubmission, bool), ApiError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|mime| mime.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match content_type.as_str() {
        "application/json" => {
            let submission =
                serde_json::from_slice::<FormSubmission>(body).map_err(|_| ApiError::BadRequest {
                    code: lejek_domain::ErrorCode::MalformedBody,
                    detail: "The body is not a JSON object of text fields.".to_owned(),
                    errors: Vec::new(),
                })?;
            Ok((submission, false))
        }
        "application/x-www-form-urlencoded" => {
            let mut submission = FormSubmission::default();
            for (key, value) in form_urlencoded::parse(body) {
                let value = Some(value.into_owned());
                match key.as_ref() {
                    "name" => submission.name = value,
                    "email" => submission.email = value,
                    "phone" => submission.phone = value,
                    "company" => submission.company = value,
                    "subject" => submission.subject = value,
                    "message" => submission.message = value,
                    "token" => submission.token = value,
                    "website" => submission.website = value,
                    _ => {}
                }
            }
            Ok((submission, true))
        }
        _ => Err(ApiError::UnsupportedMediaType),
    }
}

/// No text may hold NUL (PostgreSQL cannot store it): refused before a
/// bot is told from a person.
fn refuse_nul(submission: &FormSubmission) -> Result<(), ApiError> {
    let fields = [
        ("name", &submission.name),
        ("email", &submission.email),
        ("phone", &submission.phone),
        ("company", &submission.company),
        ("subject", &submission.subject),
        ("message", &submission.message),
        ("token", &submission.token),
        ("website", &submission.website),
    ];
    match fields
        .iter()
        .find(|(_, value)| value.as_deref().is_some_and(|text| text.contains('\0')))
    {
        Some((field, _)) => Err(Violations::single(field, ViolationCode::InvalidValue).into()),
        None => Ok(()),
    }
}

/// Send a web form. A lead is created once, however often it is clicked;
/// a bot (the hidden `website` field filled, no valid `token`, sent too
/// fast) or a flood over the limits gets the same answer and creates
/// nothing. Form-encoded posts (the form page) are answered with a
/// redirect to its thanks.
#[utoipa::path(
    tag = "forms",
    params(("key" = String, Path, description = "The form's public key")),
    request_body(description = "What the person filled in", content(
        (FormSubmission = "application/json"),
        (FormSubmission = "application/x-www-form-urlencoded"),
    )),
    responses(
        (status = 202, description = "Received", body = SubmissionReceived),
        (status = 303, description = "Received (form-encoded): on to the form page's thanks", headers(("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Posted from a site the form is not on", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such active form", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither JSON nor form-encoded", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field a person got wrong (an e-mail that is not one)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/forms/{key}/submissions")]
pub async fn submit_form(
    state: web::Data<AppState>,
    request: HttpRequest,
    key: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    if body.len() > state.settings.max_body_bytes {
        return Err(ApiError::PayloadTooLarge);
    }
    let form = public_form(&state, &request, &key).await?;
    let (submission, from_page) = read_submission(&request, &body)?;
    refuse_nul(&submission)?;
    let address = client_address(&request, state.settings.trust_proxy);
    let language = page_language(&request);
    match receive(&state, &form, submission.clone(), &address).await {
        Ok(received) => {
            if let Received::Created(case) = received {
                tracing::info!(form = form.id, case = case.0, "web form lead");
            }
            if from_page {
                Ok(HttpResponse::SeeOther()
                    .insert_header((
                        header::LOCATION,
                        format!("/f/{}?sent=1&lang={}", form.key, language.code()),
                    ))
                    .finish())
            } else {
                Ok(
                    HttpResponse::build(StatusCode::ACCEPTED).json(SubmissionReceived {
                        status: "received".to_owned(),
                    }),
                )
            }
        }
        Err(ApiError::Validation(violations)) if from_page => {
            let token = submission.token.clone().unwrap_or_default();
            Ok(HttpResponse::UnprocessableEntity()
                .content_type("text/html; charset=utf-8")
                .insert_header((
                    header::CONTENT_SECURITY_POLICY,
                    page::content_security_policy(&form),
                ))
                .body(page::render(
                    &form,
                    language,
                    &token,
                    false,
                    &submission,
                    &violations.0,
                )))
        }
        Err(error) => Err(error),
    }
}

/// The form page the snippet frames (not part of the JSON API).
pub async fn form_page(
    state: web::Data<AppState>,
    request: HttpRequest,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let form = state.store.form_by_key(&key).await?.ok_or(ApiError::NotFound)?;
    let sent = form_urlencoded::parse(request.query_string().as_bytes())
        .any(|(key, value)| key == "sent" && value == "1");
    let token = token::issue(&state.form_tokens, form.id, AppState::now());
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            page::content_security_policy(&form),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        // Under the server's `no-referrer` a browser posts the form with
        // `Origin: null`, which could be any sandboxed frame: the page's
        // own posts must name it.
        .insert_header((header::REFERRER_POLICY, "same-origin"))
        .body(page::render(
            &form,
            page_language(&request),
            &token,
            sent,
            &FormSubmission::default(),
            &[],
        )))
}
