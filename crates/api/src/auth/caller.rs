//! The authenticated caller of a request: a user with an access token, or
//! an integration with an API key. Every request re-reads the account, so
//! a deactivated user or revoked key stops working at once.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use chrono::Utc;
use lejek_domain::{Actor, ListScope, list_scope};
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
        let state = request.app_data::<web::Data<AppState>>().cloned();
        let token = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| {
                let (scheme, token) = value.split_once(' ')?;
                scheme
                    .eq_ignore_ascii_case("bearer")
                    .then(|| token.trim().to_owned())
            });
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("application state missing"))?;
            let token = token.ok_or(ApiError::Unauthorized("Send `Authorization: Bearer <token>`."))?;
            let user = if token.starts_with(API_KEY_PREFIX) {
                state
                    .store
                    .authenticate_api_key(&sha256_hex(&token), Utc::now())
                    .await?
            } else {
                match state.access_tokens.verify(&token) {
                    Some(id) => state.store.user(id).await?,
                    None => None,
                }
            };
            match user {
                Some(user) if user.active => Ok(Caller { user }),
                _ => Err(ApiError::Unauthorized(
                    "The token is invalid, expired or revoked.",
                )),
            }
        })
    }
}
