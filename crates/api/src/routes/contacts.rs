//! Contacts (leads) and their cases. Agents see the contacts of their cases.

use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use lejek_domain::dto::{CaseRow, ContactDto, ContactPatchRequest, NewContactRequest, Page, Problem};
use lejek_domain::{
    ContactChanges, ContactFields, ContactId, ContactInput, ListParam, NewContact, PipelineFilters,
    ViolationCode,
};
use lejek_store::{CampaignScope, CaseFilter};
use serde_json::Value as Json;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::{Created, idempotent_create, make_cursor, read_cursor};
use crate::json::ApiJson;
use crate::params::{IdempotencyKeyHeader, PageParams, SearchParams};
use crate::routes::cases::{list_query, newest_first_page};
use crate::routes::responses::LoginRequired;
use crate::state::AppState;

/// Contacts by name, optionally matching `q` in name, company, e-mail or phone.
#[utoipa::path(
    tag = "contacts",
    params(SearchParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of contacts", body = Page<ContactDto>),
        (status = 400, description = "A bad parameter or cursor", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[get("/contacts")]
pub async fn list_contacts(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
) -> Result<web::Json<Page<ContactDto>>, ApiError> {
    let query = list_query(&request, ListParam::SEARCH)?;
    let q = query.q.as_ref().map(|q| q.as_str());
    let fingerprint = format!("contacts:{}", q.unwrap_or_default());
    let after = match &query.cursor {
        None => None,
        Some(cursor) => {
            let values = read_cursor(&state, &fingerprint, cursor)?;
            match values.as_slice() {
                [Json::String(name), id] => Some((name.clone(), id.as_i64().unwrap_or_default())),
                _ => {
                    return Err(ApiError::bad_parameter(
                        "cursor",
                        ViolationCode::InvalidCursor,
                        "The cursor is not valid.",
                    ));
                }
            }
        }
    };
    let page = state
        .store
        .list_contacts(caller.scope(), q, query.page_size(), after)
        .await?;
    Ok(web::Json(Page {
        items: page.contacts,
        next_cursor: page
            .next_after
            .map(|(name, id)| make_cursor(&state, &fingerprint, vec![Json::String(name), Json::from(id)])),
    }))
}

/// Create a contact.
#[utoipa::path(
    tag = "contacts",
    request_body = NewContactRequest,
    params(IdempotencyKeyHeader),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = ContactDto, headers(("Location" = String))),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[post("/contacts")]
pub async fn create_contact(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    body: ApiJson<NewContactRequest>,
) -> Result<HttpResponse, ApiError> {
    let ApiJson { value, bytes } = body;
    idempotent_create(&state, &caller, &request, &bytes, || async {
        let input = ContactInput {
            name: value.name,
            company: value.company,
            email: value.email,
            phone: value.phone,
        };
        let contact = NewContact::parse(&input, ContactFields::TOP_LEVEL)?;
        let created = state
            .store
            .create_contact(&contact, caller.user.id, AppState::now())
            .await?;
        let location = format!("/api/v1/contacts/{}", created.id);
        Created::new(&created, Some(location), None)
    })
    .await
}

async fn visible_contact(state: &AppState, caller: &Caller, id: i64) -> Result<ContactDto, ApiError> {
    state
        .store
        .contact(caller.scope(), ContactId(id))
        .await?
        .ok_or(ApiError::NotFound)
}

/// The contact card.
#[utoipa::path(
    tag = "contacts",
    params(("id" = i64, Path, description = "Contact id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contact", body = ContactDto),
        (status = 404, description = "No such contact, or not one of yours", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[get("/contacts/{id}")]
pub async fn get_contact(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<web::Json<ContactDto>, ApiError> {
    Ok(web::Json(
        visible_contact(&state, &caller, id.into_inner()).await?,
    ))
}

/// Edit a contact; its cases' rows show the new values at once.
#[utoipa::path(
    tag = "contacts",
    params(("id" = i64, Path, description = "Contact id")),
    request_body = ContactPatchRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The contact", body = ContactDto),
        (status = 404, description = "No such contact, or not one of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[patch("/contacts/{id}")]
pub async fn patch_contact(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: ApiJson<ContactPatchRequest>,
) -> Result<web::Json<ContactDto>, ApiError> {
    let contact = visible_contact(&state, &caller, id.into_inner()).await?;
    let changes = ContactChanges::parse(&body.value)?;
    Ok(web::Json(state.store.update_contact(contact.id, changes).await?))
}

/// The contact's cases across all campaigns, newest first.
#[utoipa::path(
    tag = "contacts",
    params(("id" = i64, Path, description = "Contact id"), PageParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of the contact's cases", body = Page<CaseRow>),
        (status = 400, description = "A bad parameter or cursor, named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contact, or not one of yours", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[get("/contacts/{id}/cases")]
pub async fn contact_cases(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<i64>,
) -> Result<web::Json<Page<CaseRow>>, ApiError> {
    let query = list_query(&request, ListParam::PAGE)?;
    let contact = visible_contact(&state, &caller, id.into_inner()).await?;
    let filters = PipelineFilters::default();
    let filter = CaseFilter {
        scope: caller.scope(),
        caller: caller.user.id,
        campaign: CampaignScope::Any,
        statuses: None,
        filters: &filters,
        text: None,
        contact: Some(contact.id),
    };
    let fingerprint = format!("contact-cases:{}", contact.id);
    Ok(web::Json(
        newest_first_page(&state, &filter, &query, &fingerprint).await?,
    ))
}
