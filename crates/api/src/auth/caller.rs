//! The authenticated caller of a request: a user with an access token, or
//! an integration with an API key. Every request re-reads the account, so
//! a deactivated user or revoked key stops working at once.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use chrono::Utc;
use lejek_domain::{Actor, ApiKeyScope, ListScope, list_scope};
use lejek_store::UserRecord;

use crate::auth::tokens::sha256_hex;
use crate::error::ApiError;
use crate::state::AppState;

/// API keys start with this, so they are told apart from JWTs.
pub const API_KEY_PREFIX: &str = "lejek_";

#[derive(Debug, Clone)]
pub struct Caller {
    pub user: UserRecord,
}

/// The caller of the inbound mail endpoint: an API key with the `intake`
/// scope (which may do nothing else), or an admin.
#[derive(Debug, Clone)]
pub struct MailDeliverer {
    pub user: UserRecord,
}

/// Who a bearer token names, and what its key may do.
async fn authenticate(request: &HttpRequest) -> Result<(UserRecord, ApiKeyScope), ApiError> {
    let state = request
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("application state missing"))?;
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let (scheme, token) = value.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().to_owned())
        })
        .ok_or(ApiError::Unauthorized("Send `Authorization: Bearer <token>`."))?;
    let found = if token.starts_with(API_KEY_PREFIX) {
        state
            .store
            .authenticate_api_key(&sha256_hex(&token), Utc::now())
            .await?
    } else {
        match state.access_tokens.verify(&token) {
            Some(id) => state.store.user(id).await?.map(|user| (user, ApiKeyScope::Full)),
            None => None,
        }
    };
    match found {
        Some((user, scope)) if user.active => Ok((user, scope)),
        _ => Err(ApiError::Unauthorized(
            "The token is invalid, expired or revoked.",
        )),
    }
}

impl Caller {
    pub fn actor(&self) -> Actor {
        Actor::new(self.user.id, self.user.role)
    }

    pub fn scope(&self) -> ListScope {
        list_scope(&self.actor())
    }

    /// Managers and admins only; others get 403 on these routes.
    pub fn require_manager(&self) -> Result<(), ApiError> {
        if lejek_domain::may_list_users(&self.actor()) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    pub fn require_admin(&self) -> Result<(), ApiError> {
        if lejek_domain::may_administer(&self.actor()) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            match authenticate(&request).await? {
                (user, ApiKeyScope::Full) => Ok(Caller { user }),
                (_, ApiKeyScope::Intake) => Err(ApiError::Forbidden),
            }
        })
    }
}

impl FromRequest for MailDeliverer {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let request = request.clone();
        Box::pin(async move {
            let (user, scope) = authenticate(&request).await?;
            if scope == ApiKeyScope::Intake || lejek_domain::may_administer(&Actor::new(user.id, user.role)) {
                Ok(MailDeliverer { user })
            } else {
                Err(ApiError::Forbidden)
            }
        })
    }
}
