//! Saved views, dictionaries, campaigns and idempotency records.

use chrono::{DateTime, Duration, Utc};
use lejek_domain::dto::{CampaignDto, DictionaryEntry};
use lejek_domain::{CampaignId, DictionaryName, UserId, ViewSettings};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::connect::Store;
use crate::entity::dictionary::{qualifier, resignation_reason};
use crate::entity::{campaign, idempotency_record, saved_view};
use crate::error::{StoreError, StoreResult};

/// The two admin-managed dictionaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dictionary {
    Qualifiers,
    ResignationReasons,
}

/// A stored response to replay for a retried request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    pub etag: Option<String>,
}

/// What an idempotency key says about a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyClaim {
    /// First use: run the request, then `complete_idempotency(record)`.
    New(i64),
    /// Seen with the same body and finished: answer with this again.
    Replay(StoredResponse),
    /// Seen with another body.
    Mismatch,
    /// Seen with the same body and still running elsewhere.
    InProgress,
}

/// How long a key is remembered.
pub const IDEMPOTENCY_RETENTION: i64 = 24;

impl Store {
    pub async fn saved_view(
        &self,
        user: UserId,
        key: &str,
    ) -> StoreResult<Option<(ViewSettings, DateTime<Utc>)>> {
        let Some(row) = saved_view::Entity::find_by_id((user.0, key.to_owned()))
            .one(self.connection())
            .await?
        else {
            return Ok(None);
        };
        let settings = serde_json::from_str(&row.settings).map_err(|_| StoreError::Corrupt("saved view"))?;
        Ok(Some((settings, row.updated_at)))
    }

    pub async fn save_view(
        &self,
        user: UserId,
        key: &str,
        settings: &ViewSettings,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let json = serde_json::to_string(settings).map_err(|_| StoreError::Corrupt("saved view"))?;
        saved_view::Entity::insert(saved_view::ActiveModel {
            user_id: Set(user.0),
            view_key: Set(key.to_owned()),
            settings: Set(json),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([saved_view::Column::UserId, saved_view::Column::ViewKey])
                .update_columns([saved_view::Column::Settings, saved_view::Column::UpdatedAt])
                .to_owned(),
        )
        .exec(self.connection())
        .await?;
        Ok(())
    }

    pub async fn delete_view(&self, user: UserId, key: &str) -> StoreResult<()> {
        saved_view::Entity::delete_by_id((user.0, key.to_owned()))
            .exec(self.connection())
            .await?;
        Ok(())
    }

    pub async fn campaigns(&self) -> StoreResult<Vec<CampaignDto>> {
        campaign::Entity::find()
            .order_by_asc(campaign::Column::Id)
            .all(self.connection())
            .await?
            .into_iter()
            .map(|model| {
                Ok(CampaignDto {
                    id: CampaignId(model.id),
                    name: model.name,
                    kind: model
                        .kind
                        .parse()
                        .map_err(|_| StoreError::Corrupt("campaign kind"))?,
                })
            })
            .collect()
    }

    /// The active entries of a dictionary, by name.
    pub async fn dictionary(&self, dictionary: Dictionary) -> StoreResult<Vec<DictionaryEntry>> {
        let entries = match dictionary {
            Dictionary::Qualifiers => {
                self.qualifier_entries(
                    qualifier::Entity::find()
                        .filter(qualifier::Column::ArchivedAt.is_null())
                        .order_by_asc(qualifier::Column::Name),
                )
                .await?
            }
            Dictionary::ResignationReasons => resignation_reason::Entity::find()
                .filter(resignation_reason::Column::ArchivedAt.is_null())
                .order_by_asc(resignation_reason::Column::Name)
                .all(self.connection())
                .await?
                .into_iter()
                .map(|m| DictionaryEntry {
                    id: m.id,
                    name: m.name,
                })
                .collect(),
        };
        Ok(entries)
    }

    /// Every qualifier, retired ones too (closed cases still name them).
    pub async fn qualifier_names(&self) -> StoreResult<Vec<DictionaryEntry>> {
        self.qualifier_entries(qualifier::Entity::find()).await
    }

    async fn qualifier_entries(
        &self,
        query: sea_orm::Select<qualifier::Entity>,
    ) -> StoreResult<Vec<DictionaryEntry>> {
        Ok(query
            .all(self.connection())
            .await?
            .into_iter()
            .map(|m| DictionaryEntry {
                id: m.id,
                name: m.name,
            })
            .collect())
    }

    /// Adds an entry; `Conflict("name")` when an active one has the name.
    pub async fn add_dictionary_entry(
        &self,
        dictionary: Dictionary,
        name: &DictionaryName,
        now: DateTime<Utc>,
    ) -> StoreResult<DictionaryEntry> {
        let name = name.as_str().to_owned();
        let result = match dictionary {
            Dictionary::Qualifiers => qualifier::ActiveModel {
                name: Set(name),
                created_at: Set(now),
                archived_at: Set(None),
                ..Default::default()
            }
            .insert(self.connection())
            .await
            .map(|m| DictionaryEntry {
                id: m.id,
                name: m.name,
            }),
            Dictionary::ResignationReasons => resignation_reason::ActiveModel {
                name: Set(name),
                created_at: Set(now),
                archived_at: Set(None),
                ..Default::default()
            }
            .insert(self.connection())
            .await
            .map(|m| DictionaryEntry {
                id: m.id,
                name: m.name,
            }),
        };
        result.map_err(|error| match StoreError::from(error) {
            StoreError::Conflict(_) => StoreError::Conflict("name"),
            other => other,
        })
    }

    /// Archives an entry: cases keep it, new ones cannot pick it.
    pub async fn archive_dictionary_entry(
        &self,
        dictionary: Dictionary,
        id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let updated = match dictionary {
            Dictionary::Qualifiers => {
                qualifier::Entity::update_many()
                    .col_expr(qualifier::Column::ArchivedAt, Expr::value(now))
                    .filter(qualifier::Column::Id.eq(id))
                    .filter(qualifier::Column::ArchivedAt.is_null())
                    .exec(self.connection())
                    .await?
            }
            Dictionary::ResignationReasons => {
                resignation_reason::Entity::update_many()
                    .col_expr(resignation_reason::Column::ArchivedAt, Expr::value(now))
                    .filter(resignation_reason::Column::Id.eq(id))
                    .filter(resignation_reason::Column::ArchivedAt.is_null())
                    .exec(self.connection())
                    .await?
            }
        };
        if updated.rows_affected == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// Claims an idempotency key for a request with this body hash.
    pub async fn claim_idempotency(
        &self,
        user: UserId,
        key: &str,
        request_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<IdempotencyClaim> {
        idempotency_record::Entity::delete_many()
            .filter(idempotency_record::Column::CreatedAt.lt(now - Duration::hours(IDEMPOTENCY_RETENTION)))
            .exec(self.connection())
            .await?;
        let inserted = idempotency_record::ActiveModel {
            user_id: Set(user.0),
            idempotency_key: Set(key.to_owned()),
            request_hash: Set(request_hash.to_owned()),
            status_code: Set(None),
            response_body: Set(None),
            location: Set(None),
            etag: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(self.connection())
        .await;
        match inserted {
            Ok(record) => Ok(IdempotencyClaim::New(record.id)),
            Err(error) => match StoreError::from(error) {
                StoreError::Conflict(_) => {
                    let existing = idempotency_record::Entity::find()
                        .filter(idempotency_record::Column::UserId.eq(user.0))
                        .filter(idempotency_record::Column::IdempotencyKey.eq(key))
                        .one(self.connection())
                        .await?
                        .ok_or(StoreError::NotFound)?;
                    Ok(if existing.request_hash != request_hash {
                        IdempotencyClaim::Mismatch
                    } else {
                        match (existing.status_code, existing.response_body) {
                            (Some(status), Some(body)) => IdempotencyClaim::Replay(StoredResponse {
                                status: u16::try_from(status).unwrap_or(200),
                                body,
                                location: existing.location,
                                etag: existing.etag,
                            }),
                            _ => IdempotencyClaim::InProgress,
                        }
                    })
                }
                other => Err(other),
            },
        }
    }

    pub async fn complete_idempotency(&self, record: i64, response: &StoredResponse) -> StoreResult<()> {
        idempotency_record::Entity::update_many()
            .col_expr(
                idempotency_record::Column::StatusCode,
                Expr::value(i32::from(response.status)),
            )
            .col_expr(
                idempotency_record::Column::ResponseBody,
                Expr::value(response.body.clone()),
            )
            .col_expr(
                idempotency_record::Column::Location,
                Expr::value(response.location.clone()),
            )
            .col_expr(
                idempotency_record::Column::Etag,
                Expr::value(response.etag.clone()),
            )
            .filter(idempotency_record::Column::Id.eq(record))
            .exec(self.connection())
            .await?;
        Ok(())
    }

    /// Forgets a claim whose request failed, so a retry can run it.
    pub async fn release_idempotency(&self, record: i64) -> StoreResult<()> {
        idempotency_record::Entity::delete_by_id(record)
            .exec(self.connection())
            .await?;
        Ok(())
    }
}
