//! Logging in and out, refreshing tokens, and who am I.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Duration;
use lejek_domain::dto::{LoginOptions, LoginRequest, LogoutRequest, Me, Problem, RefreshRequest, TokenPair};
use lejek_domain::{Role, UserId};
use lejek_store::{RefreshRefusal, ThrottlePolicy};

use crate::auth::tokens::{random_token, sha256_hex};
use crate::auth::{Caller, password};
use crate::error::ApiError;
use crate::json::{ApiJson, OptionalJson};
use crate::routes::responses::LoginRequired;
use crate::state::AppState;

/// Failed logins per account before it is blocked for a while.
const ACCOUNT_POLICY: ThrottlePolicy = ThrottlePolicy {
    max_failures: 5,
    window: Duration::minutes(15),
    block: Duration::minutes(15),
};

/// Failed logins per client address before it is blocked for a while.
const ADDRESS_POLICY: ThrottlePolicy = ThrottlePolicy {
    max_failures: 30,
    window: Duration::minutes(15),
    block: Duration::minutes(15),
};

pub(crate) fn client_address(request: &HttpRequest, trust_proxy: bool) -> String {
    let info = request.connection_info();
    let address = if trust_proxy {
        info.realip_remote_addr()
    } else {
        info.peer_addr()
    };
    let address = address.unwrap_or("unknown");
    // The port changes per connection; throttle the host.
    address
        .rsplit_once(':')
        .filter(|(host, _)| !host.ends_with(':') && !address.starts_with('['))
        .map_or(address, |(host, _)| host)
        .to_owned()
}

async fn issue_pair(state: &AppState, user: UserId, role: Role) -> Result<TokenPair, ApiError> {
    let now = AppState::now();
    let access_token = state
        .access_tokens
        .issue(user, role, now)
        .map_err(ApiError::internal)?;
    let refresh_token = random_token(32);
    state
        .store
        .insert_refresh_token(
            user,
            &sha256_hex(&refresh_token),
            &random_token(12),
            now,
            now + Duration::days(state.settings.refresh_token_days),
        )
        .await?;
    Ok(TokenPair {
        access_token,
        token_type: "Bearer".to_owned(),
        expires_in: u64::try_from(state.access_tokens.lifetime_seconds()).unwrap_or(900),
        refresh_token,
    })
}

/// What the login page may offer: the demo login, only on demo data.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "Login options", body = LoginOptions))
)]
#[get("/auth/login-options")]
pub async fn login_options(state: web::Data<AppState>) -> web::Json<LoginOptions> {
    web::Json(LoginOptions {
        demo_account: state.demo_account.clone(),
    })
}

/// Log in with e-mail and password.
///
/// Failed attempts are throttled per account and per client address: once
/// blocked, the answer is 429 with `Retry-After`.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Tokens", body = TokenPair),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong e-mail or password", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until the next attempt may be made"))),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: ApiJson<LoginRequest>,
) -> Result<web::Json<TokenPair>, ApiError> {
    let now = AppState::now();
    let email = body.value.email.trim().to_lowercase();
    let account_key = format!("account:{email}");
    let address_key = format!("address:{}", client_address(&request, state.settings.trust_proxy));
    for key in [&account_key, &address_key] {
        if let Some(until) = state.store.throttled_until(key, now).await? {
            state.count(crate::monitoring::LOGIN_THROTTLED_TOTAL);
            return Err(ApiError::RateLimited {
                retry_after_seconds: u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1),
            });
        }
    }
    let user = state.store.user_by_email(&email).await?;
    let hash = user
        .as_ref()
        .filter(|user| user.active)
        .and_then(|user| user.password_hash.clone());
    let matches = password::verify(body.value.password.clone(), hash).await?;
    match user.filter(|_| matches) {
        Some(user) => {
            state.store.clear_login_failures(&account_key).await?;
            Ok(web::Json(issue_pair(&state, user.id, user.role).await?))
        }
        None => {
            state.count(crate::monitoring::LOGIN_FAILURES_TOTAL);
            let mut blocked = None;
            for (key, policy) in [(&account_key, ACCOUNT_POLICY), (&address_key, ADDRESS_POLICY)] {
                blocked = blocked.or(state.store.record_login_failure(key, policy, now).await?);
            }
            match blocked {
                Some(until) => {
                    state.count(crate::monitoring::LOGIN_THROTTLED_TOTAL);
                    Err(ApiError::RateLimited {
                        retry_after_seconds: u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1),
                    })
                }
                None => Err(ApiError::Unauthorized("Wrong e-mail or password.")),
            }
        }
    }
}

/// Exchange a refresh token for a new pair; the old one stops working.
///
/// Presenting a refresh token that was already used revokes its whole
/// family (it may have been stolen).
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = TokenPair),
        (status = 401, description = "Unknown, expired, used or revoked refresh token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: ApiJson<RefreshRequest>,
) -> Result<web::Json<TokenPair>, ApiError> {
    let now = AppState::now();
    let new_refresh = random_token(32);
    let outcome = state
        .store
        .rotate_refresh_token(
            &sha256_hex(body.value.refresh_token.trim()),
            &sha256_hex(&new_refresh),
            now,
            now + Duration::days(state.settings.refresh_token_days),
        )
        .await?;
    let refused =
        |_: RefreshRefusal| ApiError::Unauthorized("The refresh token is invalid, expired or already used.");
    let user_id = outcome.map_err(refused)?;
    let user = state
        .store
        .user(user_id)
        .await?
        .filter(|user| user.active)
        .ok_or(ApiError::Unauthorized("The account is not active."))?;
    Ok(web::Json(TokenPair {
        access_token: state
            .access_tokens
            .issue(user.id, user.role, now)
            .map_err(ApiError::internal)?,
        token_type: "Bearer".to_owned(),
        expires_in: u64::try_from(state.access_tokens.lifetime_seconds()).unwrap_or(900),
        refresh_token: new_refresh,
    }))
}

/// Log out: revokes the given refresh token, or all of the caller's.
#[utoipa::path(
    tag = "auth",
    request_body(content = Option<LogoutRequest>, description = "The refresh token to revoke; omit the body to revoke all"),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked"),
        LoginRequired,
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    caller: Caller,
    body: OptionalJson<LogoutRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.0.unwrap_or_default();
    let hash = request
        .refresh_token
        .as_deref()
        .map(|token| sha256_hex(token.trim()));
    state
        .store
        .revoke_refresh_tokens(caller.user.id, hash.as_deref(), AppState::now())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's own account.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller", body = Me),
        LoginRequired,
    )
)]
#[get("/me")]
pub async fn me(caller: Caller) -> web::Json<Me> {
    web::Json(Me {
        id: caller.user.id,
        email: caller.user.email.clone(),
        name: caller.user.name.clone(),
        role: caller.user.role,
    })
}
