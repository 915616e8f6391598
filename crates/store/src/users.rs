//! User accounts: people who log in, and the identities integrations act as.

use chrono::{DateTime, Utc};
use lejek_domain::dto::{UserDto, UserRef};
use lejek_domain::{Role, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};

use crate::connect::Store;
use crate::entity::{case, user};
use crate::error::{StoreError, StoreResult};

/// Whether an account is a person or an integration's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserKind {
    Person,
    Integration,
}

impl UserKind {
    fn as_str(self) -> &'static str {
        match self {
            UserKind::Person => "person",
            UserKind::Integration => "integration",
        }
    }
}

/// A user as the API needs it for authentication and authorisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub kind: UserKind,
    pub active: bool,
    pub password_hash: Option<String>,
}

impl UserRecord {
    pub fn to_dto(&self) -> UserDto {
        UserDto {
            id: self.id,
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role,
            active: self.active,
        }
    }

    pub fn to_ref(&self) -> UserRef {
        UserRef {
            id: self.id,
            name: self.name.clone(),
        }
    }
}

impl TryFrom<user::Model> for UserRecord {
    type Error = StoreError;

    fn try_from(model: user::Model) -> StoreResult<Self> {
        Ok(UserRecord {
            id: UserId(model.id),
            role: model.role.parse().map_err(|_| StoreError::Corrupt("role"))?,
            kind: if model.kind == "integration" {
                UserKind::Integration
            } else {
                UserKind::Person
            },
            email: model.email,
            name: model.name,
            active: model.active,
            password_hash: model.password_hash,
        })
    }
}

/// A new account; `email` is stored lower-cased.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub kind: UserKind,
    pub password_hash: Option<String>,
}

/// Changes to an account; `None` keeps a value.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
}

impl Store {
    pub async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        user::Entity::find()
            .filter(user::Column::Email.eq(email.trim().to_lowercase()))
            .one(self.connection())
            .await?
            .map(UserRecord::try_from)
            .transpose()
    }

    pub async fn user(&self, id: UserId) -> StoreResult<Option<UserRecord>> {
        user::Entity::find_by_id(id.0)
            .one(self.connection())
            .await?
            .map(UserRecord::try_from)
            .transpose()
    }

    /// People (not integrations), by name.
    pub async fn people(&self) -> StoreResult<Vec<UserDto>> {
        user::Entity::find()
            .filter(user::Column::Kind.eq(UserKind::Person.as_str()))
            .order_by_asc(user::Column::Name)
            .order_by_asc(user::Column::Id)
            .all(self.connection())
            .await?
            .into_iter()
            .map(|model| UserRecord::try_from(model).map(|user| user.to_dto()))
            .collect()
    }

    pub async fn count_users(&self) -> StoreResult<u64> {
        Ok(user::Entity::find().count(self.connection()).await?)
    }

    pub async fn create_user(&self, new: NewUser, now: DateTime<Utc>) -> StoreResult<UserRecord> {
        let model = user::ActiveModel {
            email: Set(new.email.trim().to_lowercase()),
            name: Set(new.name),
            role: Set(new.role.as_str().to_owned()),
            kind: Set(new.kind.as_str().to_owned()),
            password_hash: Set(new.password_hash),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(self.connection())
        .await
        .map_err(|error| match StoreError::from(error) {
            StoreError::Conflict(_) => StoreError::Conflict("email"),
            other => other,
        })?;
        UserRecord::try_from(model)
    }

    /// Applies `changes`; a new name is also written to the cases the user
    /// owns, whose list rows carry it.
    pub async fn update_user(&self, id: UserId, changes: UserChanges) -> StoreResult<UserRecord> {
        let transaction = self.begin_write().await?;
        let model = user::Entity::find_by_id(id.0)
            .one(&transaction)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut active: user::ActiveModel = model.into();
        if let Some(name) = &changes.name {
            active.name = Set(name.clone());
            case::Entity::update_many()
                .col_expr(case::Column::OwnerName, Expr::value(name.clone()))
                .filter(case::Column::OwnerId.eq(id.0))
                .exec(&transaction)
                .await?;
        }
        if let Some(role) = changes.role {
            active.role = Set(role.as_str().to_owned());
        }
        if let Some(is_active) = changes.active {
            active.active = Set(is_active);
        }
        if let Some(hash) = changes.password_hash {
            active.password_hash = Set(Some(hash));
        }
        let model = active.update(&transaction).await?;
        transaction.commit().await?;
        UserRecord::try_from(model)
    }
}
