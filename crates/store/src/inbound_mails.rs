//! E-mail intake: its settings, and every inbound message filed with what
//! it became (a lead, a note on its case, or nothing) in one transaction,
//! once per Message-ID.

use chrono::{DateTime, Utc};
use lejek_domain::dto::{QualifierRef, UserRef};
use lejek_domain::{
    CaseId, FormAssignment, MailChannel, MailIntakeSettings, MailOutcome, NewCase, NoteText, Role, UserId,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::cases::{CaseOrigin, insert_case};
use crate::connect::Store;
use crate::entity::{case, case_note, inbound_mail, mail_intake_setting, user};
use crate::error::{StoreError, StoreResult};

/// The only row of `mail_intake_settings`.
const SETTINGS_ROW: i64 = 1;

/// E-mail intake's settings as stored.
#[derive(Debug, Clone)]
pub struct MailIntakeRecord {
    pub active: bool,
    pub qualifier: Option<QualifierRef>,
    pub assignment: FormAssignment,
    pub agents: Vec<UserRef>,
    pub close_in_days: u16,
    pub updated_by: Option<UserRef>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// An inbound message as filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundMailRecord {
    pub id: i64,
    pub message_id: String,
    pub channel: MailChannel,
    pub received_at: DateTime<Utc>,
    pub sender: Option<String>,
    pub subject: String,
    pub outcome: MailOutcome,
    pub detail: Option<String>,
    pub case_id: Option<CaseId>,
    /// The case's number, as people quote it.
    pub case_number: Option<i64>,
}

/// What filing a message writes besides its own row.
pub enum MailFiling<'a> {
    /// A new lead, with the message as its first note.
    Lead {
        new_case: &'a NewCase,
        note: Option<&'a NoteText>,
    },
    /// A note on the case the message answers.
    Note {
        case_id: CaseId,
        note: &'a NoteText,
    },
    Nothing,
}

/// A message to file.
pub struct FiledMail<'a> {
    pub message_id: &'a str,
    pub channel: MailChannel,
    pub sender: Option<&'a str>,
    pub subject: &'a str,
    pub outcome: MailOutcome,
    pub detail: Option<&'a str>,
    pub filing: MailFiling<'a>,
}

fn record(model: inbound_mail::Model, case_number: Option<i64>) -> StoreResult<InboundMailRecord> {
    Ok(InboundMailRecord {
        id: model.id,
        channel: model
            .channel
            .parse()
            .map_err(|_| StoreError::Corrupt("inbound mail channel"))?,
        outcome: model
            .outcome
            .parse()
            .map_err(|_| StoreError::Corrupt("inbound mail outcome"))?,
        message_id: model.message_id,
        received_at: model.received_at,
        sender: model.sender,
        subject: model.subject,
        detail: model.detail,
        case_id: model.case_id.map(CaseId),
        case_number,
    })
}

async fn insert_note(
    transaction: &DatabaseTransaction,
    case_id: CaseId,
    author: UserId,
    note: &NoteText,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    case_note::ActiveModel {
        case_id: Set(case_id.0),
        author_id: Set(author.0),
        body: Set(note.as_str().to_owned()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(transaction)
    .await?;
    Ok(())
}

impl Store {
    pub async fn mail_intake(&self) -> StoreResult<MailIntakeRecord> {
        let model = mail_intake_setting::Entity::find_by_id(SETTINGS_ROW)
            .one(self.connection())
            .await?
            .ok_or(StoreError::Corrupt("mail intake settings missing"))?;
        let updated_by = match model.updated_by {
            Some(id) => user::Entity::find_by_id(id)
                .one(self.connection())
                .await?
                .map(|person| UserRef {
                    id: UserId(person.id),
                    name: person.name,
                }),
            None => None,
        };
        Ok(MailIntakeRecord {
            active: model.active,
            qualifier: self.qualifier_ref(model.qualifier_id).await?,
            assignment: model
                .assignment
                .parse()
                .map_err(|_| StoreError::Corrupt("mail intake assignment"))?,
            agents: self.user_refs(&model.agents).await?,
            close_in_days: u16::try_from(model.close_in_days)
                .map_err(|_| StoreError::Corrupt("close_in_days"))?,
            updated_by,
            updated_at: model.updated_at,
        })
    }

    pub async fn update_mail_intake(
        &self,
        settings: &MailIntakeSettings,
        admin: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<MailIntakeRecord> {
        self.check_lead_routing(&settings.agents, settings.qualifier_id)
            .await?;
        let agents: Vec<i64> = settings.agents.iter().map(|id| id.0).collect();
        let transaction = self.begin_write().await?;
        mail_intake_setting::ActiveModel {
            id: Set(SETTINGS_ROW),
            active: Set(settings.active),
            qualifier_id: Set(settings.qualifier_id.map(|id| id.0)),
            assignment: Set(settings.assignment.as_str().to_owned()),
            agents: Set(serde_json::to_string(&agents).expect("ids serialise")),
            close_in_days: Set(i32::from(settings.close_in_days)),
            updated_by: Set(Some(admin.0)),
            updated_at: Set(Some(now)),
            ..Default::default()
        }
        .update(&*transaction)
        .await?;
        transaction.commit().await?;
        self.mail_intake().await
    }

    /// Who files mail: the admin who last set e-mail intake up while still
    /// an active admin, else the longest-standing active admin.
    pub async fn mail_intake_actor(&self) -> StoreResult<Option<UserId>> {
        let setting = mail_intake_setting::Entity::find_by_id(SETTINGS_ROW)
            .one(self.connection())
            .await?;
        let admin = || {
            user::Entity::find()
                .filter(user::Column::Active.eq(true))
                .filter(user::Column::Kind.eq("person"))
                .filter(user::Column::Role.eq(Role::Admin.as_str()))
        };
        if let Some(id) = setting.and_then(|setting| setting.updated_by)
            && admin()
                .filter(user::Column::Id.eq(id))
                .one(self.connection())
                .await?
                .is_some()
        {
            return Ok(Some(UserId(id)));
        }
        Ok(admin()
            .order_by_asc(user::Column::Id)
            .one(self.connection())
            .await?
            .map(|person| UserId(person.id)))
    }

    /// The next turn of e-mail intake's round robin.
    pub async fn take_mail_turn(&self) -> StoreResult<u64> {
        #[derive(FromQueryResult)]
        struct Turn {
            turns: i64,
        }
        let update = Query::update()
            .table(mail_intake_setting::Entity)
            .value(
                mail_intake_setting::Column::Turns,
                Expr::col(mail_intake_setting::Column::Turns).add(1),
            )
            .and_where(Expr::col(mail_intake_setting::Column::Id).eq(SETTINGS_ROW))
            .returning_col(mail_intake_setting::Column::Turns)
            .to_owned();
        let transaction = self.begin_write().await?;
        let statement = transaction.get_database_backend().build(&update);
        let turn = Turn::find_by_statement(statement)
            .one(&*transaction)
            .await?
            .ok_or(StoreError::NotFound)?;
        transaction.commit().await?;
        Ok(u64::try_from(turn.turns - 1).unwrap_or_default())
    }

    async fn case_number(&self, case_id: Option<i64>) -> StoreResult<Option<i64>> {
        Ok(match case_id {
            Some(id) => case::Entity::find_by_id(id)
                .one(self.connection())
                .await?
                .map(|found| found.number),
            None => None,
        })
    }

    /// The message filed under `message_id`, if one was.
    pub async fn inbound_mail(&self, message_id: &str) -> StoreResult<Option<InboundMailRecord>> {
        let Some(model) = inbound_mail::Entity::find()
            .filter(inbound_mail::Column::MessageId.eq(message_id))
            .one(self.connection())
            .await?
        else {
            return Ok(None);
        };
        let number = self.case_number(model.case_id).await?;
        record(model, number).map(Some)
    }

    /// The case of the first of `message_ids` that was filed on one.
    pub async fn case_of_messages(&self, message_ids: &[String]) -> StoreResult<Option<CaseId>> {
        if message_ids.is_empty() {
            return Ok(None);
        }
        let filed = inbound_mail::Entity::find()
            .filter(inbound_mail::Column::MessageId.is_in(message_ids.iter().take(100).cloned()))
            .filter(inbound_mail::Column::CaseId.is_not_null())
            .all(self.connection())
            .await?;
        Ok(message_ids.iter().find_map(|id| {
            filed
                .iter()
                .find(|model| &model.message_id == id)
                .and_then(|model| model.case_id)
                .map(CaseId)
        }))
    }

    /// The case with this number, if there is one.
    pub async fn case_with_number(&self, number: u64) -> StoreResult<Option<CaseId>> {
        let Ok(number) = i64::try_from(number) else {
            return Ok(None);
        };
        Ok(case::Entity::find()
            .filter(case::Column::Number.eq(number))
            .one(self.connection())
            .await?
            .map(|found| CaseId(found.id)))
    }

    /// How many leads mail from `sender` created since `since`.
    pub async fn mail_leads_from(&self, sender: &str, since: DateTime<Utc>) -> StoreResult<u64> {
        Ok(inbound_mail::Entity::find()
            .filter(inbound_mail::Column::Sender.eq(sender))
            .filter(inbound_mail::Column::Outcome.eq(MailOutcome::Created.as_str()))
            .filter(inbound_mail::Column::ReceivedAt.gte(since))
            .count(self.connection())
            .await?)
    }

    /// Files a message with what it becomes, in one transaction. A message
    /// filed before under the same Message-ID (also by another node at the
    /// same moment) changes nothing: the earlier filing is returned, with
    /// `false`.
    pub async fn file_inbound_mail(
        &self,
        mail: FiledMail<'_>,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<(InboundMailRecord, bool)> {
        if let Some(earlier) = self.inbound_mail(mail.message_id).await? {
            return Ok((earlier, false));
        }
        match self.write_inbound_mail(&mail, actor, now).await {
            Ok(model) => {
                let number = self.case_number(model.case_id).await?;
                Ok((record(model, number)?, true))
            }
            Err(error) => match self.inbound_mail(mail.message_id).await? {
                Some(earlier) => Ok((earlier, false)),
                None => Err(error),
            },
        }
    }

    async fn write_inbound_mail(
        &self,
        mail: &FiledMail<'_>,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<inbound_mail::Model> {
        let transaction = self.begin_write().await?;
        let mut model = inbound_mail::ActiveModel {
            message_id: Set(mail.message_id.to_owned()),
            channel: Set(mail.channel.as_str().to_owned()),
            received_at: Set(now),
            sender: Set(mail.sender.map(str::to_owned)),
            subject: Set(mail.subject.to_owned()),
            outcome: Set(mail.outcome.as_str().to_owned()),
            detail: Set(mail.detail.map(str::to_owned)),
            case_id: Set(None),
            ..Default::default()
        }
        .insert(&*transaction)
        .await?;
        let case_id = match &mail.filing {
            MailFiling::Lead { new_case, note } => {
                let origin = CaseOrigin {
                    inbound_mail_id: Some(model.id),
                    ..CaseOrigin::default()
                };
                let inserted =
                    insert_case(&transaction, self.backend(), new_case, actor, now, origin).await?;
                if let Some(note) = note {
                    insert_note(&transaction, inserted.id, actor, note, now).await?;
                }
                Some(inserted.id)
            }
            MailFiling::Note { case_id, note } => {
                insert_note(&transaction, *case_id, actor, note, now).await?;
                Some(*case_id)
            }
            MailFiling::Nothing => None,
        };
        if let Some(case_id) = case_id {
            inbound_mail::Entity::update_many()
                .col_expr(inbound_mail::Column::CaseId, Expr::value(case_id.0))
                .filter(inbound_mail::Column::Id.eq(model.id))
                .exec(&*transaction)
                .await?;
            model.case_id = Some(case_id.0);
        }
        transaction.commit().await?;
        Ok(model)
    }

    /// The latest `limit` messages filed, newest first.
    pub async fn inbound_mails(&self, limit: u64) -> StoreResult<Vec<InboundMailRecord>> {
        let models = inbound_mail::Entity::find()
            .order_by_desc(inbound_mail::Column::Id)
            .limit(limit)
            .all(self.connection())
            .await?;
        let case_ids: Vec<i64> = models.iter().filter_map(|model| model.case_id).collect();
        let numbers = case::Entity::find()
            .filter(case::Column::Id.is_in(case_ids))
            .all(self.connection())
            .await?;
        models
            .into_iter()
            .map(|model| {
                let number = model
                    .case_id
                    .and_then(|id| numbers.iter().find(|found| found.id == id))
                    .map(|found| found.number);
                record(model, number)
            })
            .collect()
    }
}
