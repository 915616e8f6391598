//! Campaigns, users, dictionaries and API keys.

use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use lejek_domain::dto::{
    ApiKeyDto, CampaignDto, CreatedApiKey, DictionaryEntry, NewApiKeyRequest, NewDictionaryEntry,
    NewUserRequest, Problem, UserDto, UserPatchRequest,
};
use lejek_domain::{
    ApiKeyId, DictionaryName, Email, PersonName, Role, UserId, Violation, ViolationCode, Violations,
    check_password,
};
use lejek_store::{Dictionary, NewApiKey, NewUser, UserChanges, UserKind};

use crate::auth::Caller;
use crate::auth::caller::API_KEY_PREFIX;
use crate::auth::password;
use crate::auth::tokens::{random_token, sha256_hex};
use crate::error::ApiError;
use crate::http::{Created, idempotent_create};
use crate::json::ApiJson;
use crate::params::IdempotencyKeyHeader;
use crate::routes::responses::{AdminOnly, LoginRequired, ManagerOnly};
use crate::state::AppState;

/// The campaigns, with their kind (`funnel`, `spam`).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Campaigns", body = Vec<CampaignDto>),
        LoginRequired,
    )
)]
#[get("/campaigns")]
pub async fn campaigns(
    state: web::Data<AppState>,
    _caller: Caller,
) -> Result<web::Json<Vec<CampaignDto>>, ApiError> {
    Ok(web::Json(state.store.campaigns().await?))
}

/// The people of the team, for owner pickers and filters. Managers only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Users", body = Vec<UserDto>),
        ManagerOnly,
    )
)]
#[get("/users")]
pub async fn users(state: web::Data<AppState>, caller: Caller) -> Result<web::Json<Vec<UserDto>>, ApiError> {
    caller.require_manager()?;
    Ok(web::Json(state.store.people().await?))
}

fn password_rule(password: &str, violations: &mut Violations) {
    if let Err(code) = check_password(password) {
        violations.push("password", code);
    }
}

/// Create a user. Admins only.
#[utoipa::path(
    tag = "admin",
    request_body = NewUserRequest,
    params(IdempotencyKeyHeader),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created", body = UserDto, headers(("Location" = String))),
        (status = 409, description = "E-mail taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (password: 10 to 200 characters)", body = Problem, content_type = "application/problem+json"),
        AdminOnly,
    )
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    body: ApiJson<NewUserRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let ApiJson { value, bytes } = body;
    idempotent_create(&state, &caller, &request, &bytes, || async {
        let mut violations = Violations::new();
        let email =
            violations.collect(Email::parse(&value.email).map_err(|code| Violation::new("email", code)));
        let name =
            violations.collect(PersonName::parse(&value.name).map_err(|code| Violation::new("name", code)));
        password_rule(&value.password, &mut violations);
        let (Some(email), Some(name)) = (email, name) else {
            return Err(violations.into());
        };
        violations.into_result(())?;
        let password_hash = password::hash(value.password.clone()).await?;
        let user = state
            .store
            .create_user(
                NewUser {
                    email: email.as_str().to_owned(),
                    name: name.into_inner(),
                    role: value.role,
                    kind: UserKind::Person,
                    password_hash: Some(password_hash),
                },
                AppState::now(),
            )
            .await?;
        Created::new(&user.to_dto(), Some(format!("/api/v1/users/{}", user.id)), None)
    })
    .await
}

/// Change a user: name, role, password, or deactivate (users are never
/// deleted, so their history stays). Admins only.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, description = "User id")),
    request_body = UserPatchRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The user", body = UserDto),
        (status = 403, description = "Not an admin; or `self_lockout`: an admin deactivating themselves or dropping their own admin role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        AdminOnly,
    )
)]
#[patch("/users/{id}")]
pub async fn patch_user(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: ApiJson<UserPatchRequest>,
) -> Result<web::Json<UserDto>, ApiError> {
    caller.require_admin()?;
    let id = UserId(id.into_inner());
    let body = body.value;
    let mut violations = Violations::new();
    let name = match &body.name {
        Some(name) => violations.collect(
            PersonName::parse(name)
                .map(Some)
                .map_err(|code| Violation::new("name", code)),
        ),
        None => Some(None),
    };
    if let Some(password) = &body.password {
        password_rule(password, &mut violations);
    }
    violations.into_result(())?;
    // Nobody could undo it: no other admin may exist.
    if id == caller.user.id
        && (body.active == Some(false) || body.role.is_some_and(|role| role != Role::Admin))
    {
        return Err(ApiError::SelfLockout);
    }
    state.store.user(id).await?.ok_or(ApiError::NotFound)?;
    let password_hash = match body.password {
        Some(password) => Some(password::hash(password).await?),
        None => None,
    };
    let user = state
        .store
        .update_user(
            id,
            UserChanges {
                name: name.flatten().map(PersonName::into_inner),
                role: body.role,
                active: body.active,
                password_hash,
            },
        )
        .await?;
    if body.active == Some(false) {
        state
            .store
            .revoke_refresh_tokens(id, None, AppState::now())
            .await?;
    }
    Ok(web::Json(user.to_dto()))
}

fn dictionary_of(path: &str) -> Dictionary {
    if path.contains("resignation-reasons") {
        Dictionary::ResignationReasons
    } else {
        Dictionary::Qualifiers
    }
}

/// The qualifiers (labels such as "hot" or "B2B").
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Active qualifiers", body = Vec<DictionaryEntry>),
        LoginRequired,
    )
)]
#[get("/qualifiers")]
pub async fn qualifiers(
    state: web::Data<AppState>,
    _caller: Caller,
) -> Result<web::Json<Vec<DictionaryEntry>>, ApiError> {
    Ok(web::Json(state.store.dictionary(Dictionary::Qualifiers).await?))
}

/// The resignation reasons offered when a case is resigned.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Active resignation reasons", body = Vec<DictionaryEntry>),
        LoginRequired,
    )
)]
#[get("/resignation-reasons")]
pub async fn resignation_reasons(
    state: web::Data<AppState>,
    _caller: Caller,
) -> Result<web::Json<Vec<DictionaryEntry>>, ApiError> {
    Ok(web::Json(
        state.store.dictionary(Dictionary::ResignationReasons).await?,
    ))
}

async fn add_entry(
    state: &AppState,
    caller: &Caller,
    request: &HttpRequest,
    body: ApiJson<NewDictionaryEntry>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let ApiJson { value, bytes } = body;
    let dictionary = dictionary_of(request.path());
    idempotent_create(state, caller, request, &bytes, || async {
        let name = DictionaryName::parse(&value.name).map_err(|code| Violations::single("name", code))?;
        let entry = state
            .store
            .add_dictionary_entry(dictionary, &name, AppState::now())
            .await?;
        Created::new(&entry, None, None)
    })
    .await
}

/// Add a qualifier. Admins only.
#[utoipa::path(
    tag = "admin",
    request_body = NewDictionaryEntry,
    params(IdempotencyKeyHeader),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = DictionaryEntry),
        (status = 409, description = "Name taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Blank or too long", body = Problem, content_type = "application/problem+json"),
        AdminOnly,
    )
)]
#[post("/qualifiers")]
pub async fn add_qualifier(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    body: ApiJson<NewDictionaryEntry>,
) -> Result<HttpResponse, ApiError> {
    add_entry(&state, &caller, &request, body).await
}

/// Add a resignation reason. Admins only.
#[utoipa::path(
    tag = "admin",
    request_body = NewDictionaryEntry,
    params(IdempotencyKeyHeader),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = DictionaryEntry),
        (status = 409, description = "Name taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Blank or too long", body = Problem, content_type = "application/problem+json"),
        AdminOnly,
    )
)]
#[post("/resignation-reasons")]
pub async fn add_resignation_reason(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    body: ApiJson<NewDictionaryEntry>,
) -> Result<HttpResponse, ApiError> {
    add_entry(&state, &caller, &request, body).await
}

async fn archive_entry(
    state: &AppState,
    caller: &Caller,
    request: &HttpRequest,
    id: i64,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    state
        .store
        .archive_dictionary_entry(dictionary_of(request.path()), id, AppState::now())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Remove a qualifier: cases keep it, new ones cannot pick it. Admins only.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, description = "Entry id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such entry", body = Problem, content_type = "application/problem+json"),
        AdminOnly,
    )
)]
#[delete("/qualifiers/{id}")]
pub async fn delete_qualifier(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    archive_entry(&state, &caller, &request, id.into_inner()).await
}

/// Remove a resignation reason. Admins only.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, description = "Entry id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such entry", body = Problem, content_type = "application/problem+json"),
        AdminOnly,
    )
)]
#[delete("/resignation-reasons/{id}")]
pub async fn delete_resignation_reason(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    archive_entry(&state, &caller, &request, id.into_inner()).await
}

/// The integrations' API keys (never their secrets). Admins only.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "API keys", body = Vec<ApiKeyDto>),
        AdminOnly,
    )
)]
#[get("/api-keys")]
pub async fn api_keys(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<web::Json<Vec<ApiKeyDto>>, ApiError> {
    caller.require_admin()?;
    Ok(web::Json(state.store.api_keys().await?))
}

/// Issue an API key for an integration. The secret is in this answer only;
/// use it as `Authorization: Bearer <secret>`. Admins only.
#[utoipa::path(
    tag = "admin",
    request_body = NewApiKeyRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The key and its secret, shown once", body = CreatedApiKey),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        AdminOnly,
    )
)]
#[post("/api-keys")]
pub async fn create_api_key(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    body: ApiJson<NewApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let value = body.value;
    // A key's secret must be in the first answer only, so keys are never
    // replayed from an idempotency record: the key header is refused here.
    if request.headers().contains_key("Idempotency-Key") {
        return Err(ApiError::bad_parameter(
            "Idempotency-Key",
            ViolationCode::NotSupported,
            "API keys are shown once and cannot be replayed.",
        ));
    }
    let mut violations = Violations::new();
    let name =
        violations.collect(DictionaryName::parse(&value.name).map_err(|code| Violation::new("name", code)));
    if !value.role.may_hold_api_key() {
        violations.push("role", ViolationCode::InvalidValue);
    }
    let Some(name) = name.filter(|_| violations.is_empty()) else {
        return Err(violations.into());
    };
    let prefix = random_token(6).replace(['-', '_'], "x");
    let secret = format!("{API_KEY_PREFIX}{prefix}_{}", random_token(32));
    let key = state
        .store
        .create_api_key(
            NewApiKey {
                name: name.as_str(),
                role: value.role,
                scope: value.scope,
                prefix: &prefix,
                secret_hash: &sha256_hex(&secret),
            },
            caller.user.id,
            AppState::now(),
        )
        .await?;
    let created = CreatedApiKey { key, secret };
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/api-keys/{}", created.key.id)))
        .json(created))
}

/// Revoke an API key; its integration stops working at once. Admins only.
#[utoipa::path(
    tag = "admin",
    params(("id" = i64, Path, description = "API key id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "No such key", body = Problem, content_type = "application/problem+json"),
        AdminOnly,
    )
)]
#[delete("/api-keys/{id}")]
pub async fn revoke_api_key(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    state
        .store
        .revoke_api_key(ApiKeyId(id.into_inner()), AppState::now())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
