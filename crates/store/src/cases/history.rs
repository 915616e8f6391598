//! A case's history and notes.

use chrono::{DateTime, Utc};
use lejek_domain::dto::{CaseEventDto, NoteDto, UserRef};
use lejek_domain::{CaseId, ChangeKind, EventId, NoteId, NoteText, UserId};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::connect::Store;
use crate::entity::{campaign, case_event, case_note, user};
use crate::error::{StoreError, StoreResult};

impl Store {
    /// The case's history, oldest first, with names for people and campaigns.
    pub async fn case_events(&self, id: CaseId) -> StoreResult<Vec<CaseEventDto>> {
        let events = case_event::Entity::find()
            .filter(case_event::Column::CaseId.eq(id.0))
            .order_by_asc(case_event::Column::Id)
            .all(self.connection())
            .await?;
        let mut user_ids: Vec<i64> = events.iter().filter_map(|event| event.actor_id).collect();
        for event in events.iter().filter(|event| event.kind == "owner") {
            for value in [&event.from_value, &event.to_value].into_iter().flatten() {
                if let Ok(id) = value.parse() {
                    user_ids.push(id);
                }
            }
        }
        user_ids.sort_unstable();
        user_ids.dedup();
        let users = user::Entity::find()
            .filter(user::Column::Id.is_in(user_ids))
            .all(self.connection())
            .await?;
        let campaigns = campaign::Entity::find().all(self.connection()).await?;
        let user_name = |value: &Option<String>| {
            let id: i64 = value.as_deref()?.parse().ok()?;
            users
                .iter()
                .find(|user| user.id == id)
                .map(|user| user.name.clone())
        };
        let campaign_name = |value: &Option<String>| {
            let id: i64 = value.as_deref()?.parse().ok()?;
            campaigns
                .iter()
                .find(|campaign| campaign.id == id)
                .map(|campaign| campaign.name.clone())
        };
        events
            .into_iter()
            .map(|event| {
                let kind: ChangeKind = event
                    .kind
                    .parse()
                    .map_err(|_| StoreError::Corrupt("event kind"))?;
                let (from_label, to_label) = match kind {
                    ChangeKind::Owner => (user_name(&event.from_value), user_name(&event.to_value)),
                    ChangeKind::Campaign => {
                        (campaign_name(&event.from_value), campaign_name(&event.to_value))
                    }
                    _ => (None, None),
                };
                let actor = event.actor_id.map(|actor_id| UserRef {
                    id: UserId(actor_id),
                    name: users
                        .iter()
                        .find(|user| user.id == actor_id)
                        .map(|user| user.name.clone())
                        .unwrap_or_default(),
                });
                Ok(CaseEventDto {
                    id: EventId(event.id),
                    at: event.at,
                    actor,
                    kind,
                    from: event.from_value,
                    to: event.to_value,
                    from_label,
                    to_label,
                    reason: event.reason,
                })
            })
            .collect()
    }

    /// The case's notes, oldest first.
    pub async fn case_notes(&self, id: CaseId) -> StoreResult<Vec<NoteDto>> {
        let notes = case_note::Entity::find()
            .filter(case_note::Column::CaseId.eq(id.0))
            .order_by_asc(case_note::Column::Id)
            .all(self.connection())
            .await?;
        let authors = user::Entity::find()
            .filter(user::Column::Id.is_in(notes.iter().map(|note| note.author_id)))
            .all(self.connection())
            .await?;
        Ok(notes.into_iter().map(|note| note_dto(note, &authors)).collect())
    }

    pub async fn add_note(
        &self,
        id: CaseId,
        author: UserId,
        body: &NoteText,
        now: DateTime<Utc>,
    ) -> StoreResult<NoteDto> {
        let note = case_note::ActiveModel {
            case_id: Set(id.0),
            author_id: Set(author.0),
            body: Set(body.as_str().to_owned()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(self.connection())
        .await?;
        let authors = user::Entity::find_by_id(author.0).all(self.connection()).await?;
        Ok(note_dto(note, &authors))
    }
}

fn note_dto(note: case_note::Model, authors: &[user::Model]) -> NoteDto {
    NoteDto {
        id: NoteId(note.id),
        author: UserRef {
            id: UserId(note.author_id),
            name: authors
                .iter()
                .find(|author| author.id == note.author_id)
                .map(|author| author.name.clone())
                .unwrap_or_default(),
        },
        body: note.body,
        created_at: note.created_at,
    }
}
