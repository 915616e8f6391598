//! Refresh tokens, API keys and login throttling, all in the database so
//! any API node can serve any request.

use chrono::{DateTime, Duration, Utc};
use lejek_domain::dto::ApiKeyDto;
use lejek_domain::{ApiKeyId, ApiKeyScope, Role, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use crate::connect::{Backend, Store};
use crate::entity::{api_key, login_throttle, refresh_token, user};
use crate::error::{StoreError, StoreResult};
use crate::users::{NewUser, UserKind, UserRecord};

/// Why a refresh token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshRefusal {
    Unknown,
    Expired,
    /// A token that was already rotated or revoked was presented again:
    /// its whole family is revoked, since it may have been stolen.
    Reused,
}

/// How failed logins are throttled for one key (an account or an address).
#[derive(Debug, Clone, Copy)]
pub struct ThrottlePolicy {
    pub max_failures: i32,
    pub window: Duration,
    pub block: Duration,
}

impl Store {
    pub async fn insert_refresh_token(
        &self,
        user_id: UserId,
        token_hash: &str,
        family: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        refresh_token::ActiveModel {
            user_id: Set(user_id.0),
            token_hash: Set(token_hash.to_owned()),
            family: Set(family.to_owned()),
            created_at: Set(now),
            expires_at: Set(expires_at),
            rotated_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(self.connection())
        .await?;
        Ok(())
    }

    /// Exchanges a live refresh token for a new one of the same family.
    /// Of two concurrent exchanges of one token, only one succeeds.
    pub async fn rotate_refresh_token(
        &self,
        old_hash: &str,
        new_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<Result<UserId, RefreshRefusal>> {
        let transaction = self.begin_write().await?;
        let Some(token) = refresh_token::Entity::find()
            .filter(refresh_token::Column::TokenHash.eq(old_hash))
            .one(&transaction)
            .await?
        else {
            return Ok(Err(RefreshRefusal::Unknown));
        };
        if token.expires_at <= now {
            return Ok(Err(RefreshRefusal::Expired));
        }
        let claimed = refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::RotatedAt, Expr::value(now))
            .filter(refresh_token::Column::Id.eq(token.id))
            .filter(refresh_token::Column::RotatedAt.is_null())
            .filter(refresh_token::Column::RevokedAt.is_null())
            .exec(&transaction)
            .await?
            .rows_affected;
        if claimed != 1 {
            refresh_token::Entity::update_many()
                .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
                .filter(refresh_token::Column::Family.eq(token.family.clone()))
                .filter(refresh_token::Column::RevokedAt.is_null())
                .exec(&transaction)
                .await?;
            transaction.commit().await?;
            return Ok(Err(RefreshRefusal::Reused));
        }
        refresh_token::ActiveModel {
            user_id: Set(token.user_id),
            token_hash: Set(new_hash.to_owned()),
            family: Set(token.family),
            created_at: Set(now),
            expires_at: Set(expires_at),
            rotated_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&transaction)
        .await?;
        transaction.commit().await?;
        Ok(Ok(UserId(token.user_id)))
    }

    /// Revokes one of the user's refresh tokens (its family), or all of
    /// them when `token_hash` is `None`.
    pub async fn revoke_refresh_tokens(
        &self,
        user_id: UserId,
        token_hash: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut update = refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::RevokedAt, Expr::value(now))
            .filter(refresh_token::Column::UserId.eq(user_id.0))
            .filter(refresh_token::Column::RevokedAt.is_null());
        if let Some(hash) = token_hash {
            let family = refresh_token::Entity::find()
                .filter(refresh_token::Column::TokenHash.eq(hash))
                .filter(refresh_token::Column::UserId.eq(user_id.0))
                .one(self.connection())
                .await?
                .map(|token| token.family);
            let Some(family) = family else { return Ok(()) };
            update = update.filter(refresh_token::Column::Family.eq(family));
        }
        update.exec(self.connection()).await?;
        Ok(())
    }

    /// Until when `key` is blocked, if it is.
    pub async fn throttled_until(&self, key: &str, now: DateTime<Utc>) -> StoreResult<Option<DateTime<Utc>>> {
        Ok(login_throttle::Entity::find_by_id(key.to_owned())
            .one(self.connection())
            .await?
            .and_then(|row| row.blocked_until)
            .filter(|until| *until > now))
    }

    /// Counts a failed login for `key`; returns the block's end once the
    /// failures in the window reach the policy's maximum.
    pub async fn record_login_failure(
        &self,
        key: &str,
        policy: ThrottlePolicy,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        let transaction = self.begin_write().await?;
        // Concurrent failures for one key must each count: make sure the
        // row exists without racing on its insert, then hold its lock
        // (PostgreSQL; SQLite's write transaction is already exclusive).
        login_throttle::Entity::insert(login_throttle::ActiveModel {
            throttle_key: Set(key.to_owned()),
            failures: Set(0),
            window_started_at: Set(now),
            blocked_until: Set(None),
        })
        .on_conflict_do_nothing()
        .exec(&transaction)
        .await?;
        let mut select = login_throttle::Entity::find_by_id(key.to_owned());
        if self.backend() == Backend::Postgres {
            select = select.lock_exclusive();
        }
        let existing = select
            .one(&transaction)
            .await?
            .ok_or(StoreError::Corrupt("login throttle"))?;
        let (failures, window_started_at) = if existing.window_started_at + policy.window > now {
            (existing.failures + 1, existing.window_started_at)
        } else {
            (1, now)
        };
        let blocked_until = (failures >= policy.max_failures).then(|| now + policy.block);
        login_throttle::ActiveModel {
            throttle_key: Set(key.to_owned()),
            failures: Set(if blocked_until.is_some() { 0 } else { failures }),
            window_started_at: Set(if blocked_until.is_some() {
                now
            } else {
                window_started_at
            }),
            blocked_until: Set(blocked_until),
        }
        .update(&transaction)
        .await?;
        transaction.commit().await?;
        Ok(blocked_until)
    }

    pub async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        login_throttle::Entity::delete_by_id(key.to_owned())
            .exec(self.connection())
            .await?;
        Ok(())
    }

    /// Creates an API key and the identity it acts as (an integration user
    /// with the key's role); only the secret's hash is stored.
    pub async fn create_api_key(
        &self,
        key: NewApiKey<'_>,
        created_by: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<ApiKeyDto> {
        let NewApiKey {
            name,
            role,
            scope,
            prefix,
            secret_hash,
        } = key;
        let identity = self
            .create_user(
                NewUser {
                    email: format!("integration-{prefix}@integrations.lejek.invalid"),
                    name: name.to_owned(),
                    role,
                    kind: UserKind::Integration,
                    password_hash: None,
                },
                now,
            )
            .await?;
        let model = api_key::ActiveModel {
            name: Set(name.to_owned()),
            prefix: Set(prefix.to_owned()),
            secret_hash: Set(secret_hash.to_owned()),
            user_id: Set(identity.id.0),
            created_by: Set(created_by.0),
            created_at: Set(now),
            last_used_at: Set(None),
            revoked_at: Set(None),
            scope: Set(scope.as_str().to_owned()),
            ..Default::default()
        }
        .insert(self.connection())
        .await?;
        Ok(api_key_dto(model, role))
    }

    /// The identity behind a live API key, marking the key used (at most
    /// once a minute, to keep reads cheap).
    pub async fn authenticate_api_key(
        &self,
        secret_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(UserRecord, ApiKeyScope)>> {
        let Some(key) = api_key::Entity::find()
            .filter(api_key::Column::SecretHash.eq(secret_hash))
            .filter(api_key::Column::RevokedAt.is_null())
            .one(self.connection())
            .await?
        else {
            return Ok(None);
        };
        if key.last_used_at.is_none_or(|at| at + Duration::minutes(1) < now) {
            api_key::Entity::update_many()
                .col_expr(api_key::Column::LastUsedAt, Expr::value(now))
                .filter(api_key::Column::Id.eq(key.id))
                .exec(self.connection())
                .await?;
        }
        let scope = key
            .scope
            .parse()
            .map_err(|_| StoreError::Corrupt("api key scope"))?;
        Ok(self
            .user(UserId(key.user_id))
            .await?
            .filter(|user| user.active)
            .map(|user| (user, scope)))
    }

    pub async fn api_keys(&self) -> StoreResult<Vec<ApiKeyDto>> {
        let keys = api_key::Entity::find()
            .order_by_asc(api_key::Column::Id)
            .all(self.connection())
            .await?;
        let identities = user::Entity::find()
            .filter(user::Column::Id.is_in(keys.iter().map(|key| key.user_id)))
            .all(self.connection())
            .await?;
        keys.into_iter()
            .map(|key| {
                let role = identities
                    .iter()
                    .find(|identity| identity.id == key.user_id)
                    .and_then(|identity| identity.role.parse().ok())
                    .ok_or(StoreError::Corrupt("api key identity"))?;
                Ok(api_key_dto(key, role))
            })
            .collect()
    }

    /// Revokes a key and deactivates its identity; `NotFound` if unknown.
    pub async fn revoke_api_key(&self, id: ApiKeyId, now: DateTime<Utc>) -> StoreResult<()> {
        let transaction = self.begin_write().await?;
        let key = api_key::Entity::find_by_id(id.0)
            .one(&transaction)
            .await?
            .ok_or(StoreError::NotFound)?;
        if key.revoked_at.is_none() {
            let user_id = key.user_id;
            let mut active: api_key::ActiveModel = key.into();
            active.revoked_at = Set(Some(now));
            active.update(&transaction).await?;
            user::Entity::update_many()
                .col_expr(user::Column::Active, Expr::value(false))
                .filter(user::Column::Id.eq(user_id))
                .exec(&transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(())
    }
}

/// An API key to create: only its secret's hash is kept.
pub struct NewApiKey<'a> {
    pub name: &'a str,
    pub role: Role,
    pub scope: ApiKeyScope,
    /// The secret's first characters, shown to recognise it.
    pub prefix: &'a str,
    pub secret_hash: &'a str,
}

fn api_key_dto(model: api_key::Model, role: Role) -> ApiKeyDto {
    ApiKeyDto {
        scope: model.scope.parse().unwrap_or_default(),
        id: ApiKeyId(model.id),
        name: model.name,
        role,
        prefix: model.prefix,
        user_id: UserId(model.user_id),
        created_at: model.created_at,
        last_used_at: model.last_used_at,
        revoked_at: model.revoked_at,
    }
}
