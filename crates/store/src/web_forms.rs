//! Web forms: their settings, the submissions they receive, and a lead
//! created from one with its note and its submission in one transaction.

use chrono::{DateTime, Utc};
use lejek_domain::dto::{QualifierRef, UserRef};
use lejek_domain::{
    CaseId, FormAssignment, FormField, NewCase, NoteText, QualifierId, Source, UserId, WebFormSettings,
};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};

use crate::cases::{CaseOrigin, insert_case};
use crate::codes::{source_code, source_of};
use crate::connect::{Backend, Store};
use crate::entity::{case_note, dictionary::qualifier, form_submission, user, web_form};
use crate::error::{StoreError, StoreResult};

/// What became of a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmissionOutcome {
    Created,
    /// The same person sent the same message again within the window.
    Duplicate,
    /// A honeypot, a token too fresh, stale or forged.
    Bot,
    /// Over the limit per address or per form.
    Limited,
    /// The fields broke a rule (told to the person).
    Refused,
}

impl SubmissionOutcome {
    fn code(self) -> &'static str {
        match self {
            SubmissionOutcome::Created => "created",
            SubmissionOutcome::Duplicate => "duplicate",
            SubmissionOutcome::Bot => "bot",
            SubmissionOutcome::Limited => "limited",
            SubmissionOutcome::Refused => "refused",
        }
    }
}

/// A web form as stored.
#[derive(Debug, Clone)]
pub struct WebFormRecord {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub origins: Vec<String>,
    pub source: Source,
    pub qualifier: Option<QualifierRef>,
    pub assignment: FormAssignment,
    pub agents: Vec<UserRef>,
    pub fields: Vec<FormField>,
    pub close_in_days: u16,
    pub active: bool,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Cases created through it.
    pub leads: u64,
}

/// A lead to create from a submission.
pub struct FormLead<'a> {
    pub form_id: i64,
    pub new_case: &'a NewCase,
    pub note: Option<&'a NoteText>,
    pub client_address: &'a str,
    pub fingerprint: &'a str,
    /// Since when the same fingerprint makes it a double click.
    pub duplicate_since: DateTime<Utc>,
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serialises")
}

fn codes(fields: &[FormField]) -> Vec<&'static str> {
    fields.iter().map(|field| field.as_str()).collect()
}

fn settings_row(settings: &WebFormSettings, model: &mut web_form::ActiveModel, now: DateTime<Utc>) {
    model.name = Set(settings.name.as_str().to_owned());
    model.origins = Set(json(&settings.origins));
    model.source = Set(source_code(settings.source));
    model.qualifier_id = Set(settings.qualifier_id.map(|id| id.0));
    model.assignment = Set(settings.assignment.as_str().to_owned());
    model.agents = Set(json(&settings.agents.iter().map(|id| id.0).collect::<Vec<_>>()));
    model.fields = Set(json(&codes(&settings.fields)));
    model.close_in_days = Set(i32::from(settings.close_in_days));
    model.active = Set(settings.active);
    model.updated_at = Set(now);
}

impl Store {
    async fn form_record(&self, model: web_form::Model) -> StoreResult<WebFormRecord> {
        let corrupt = |_| StoreError::Corrupt("web form");
        let origins: Vec<String> = serde_json::from_str(&model.origins).map_err(corrupt)?;
        let field_codes: Vec<String> = serde_json::from_str(&model.fields).map_err(corrupt)?;
        let fields = field_codes
            .iter()
            .map(|code| {
                code.parse::<FormField>()
                    .map_err(|_| StoreError::Corrupt("web form field"))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let agents = self.user_refs(&model.agents).await?;
        let qualifier = self.qualifier_ref(model.qualifier_id).await?;
        let leads = form_submission::Entity::find()
            .filter(form_submission::Column::FormId.eq(model.id))
            .filter(form_submission::Column::Outcome.eq(SubmissionOutcome::Created.code()))
            .count(self.connection())
            .await?;
        Ok(WebFormRecord {
            id: model.id,
            key: model.public_key,
            name: model.name,
            origins,
            source: source_of(model.source)?,
            qualifier,
            assignment: model
                .assignment
                .parse()
                .map_err(|_| StoreError::Corrupt("web form assignment"))?,
            agents,
            fields,
            close_in_days: u16::try_from(model.close_in_days)
                .map_err(|_| StoreError::Corrupt("close_in_days"))?,
            active: model.active,
            created_by: UserId(model.created_by),
            created_at: model.created_at,
            updated_at: model.updated_at,
            leads,
        })
    }

    /// Checks the people and the qualifier a form names.
    async fn check_form_references(&self, settings: &WebFormSettings) -> StoreResult<()> {
        self.check_lead_routing(&settings.agents, settings.qualifier_id)
            .await
    }

    /// Checks that every salesperson of a round robin can own cases and
    /// that the qualifier given to the leads is in use: the references any
    /// intake channel's settings make.
    pub(crate) async fn check_lead_routing(
        &self,
        agents: &[UserId],
        qualifier_id: Option<QualifierId>,
    ) -> StoreResult<()> {
        for agent in agents {
            let assignable = user::Entity::find_by_id(agent.0)
                .one(self.connection())
                .await?
                .is_some_and(|user| user.active && user.kind == "person");
            if !assignable {
                return Err(lejek_domain::Violations::single(
                    "agents",
                    lejek_domain::ViolationCode::UnknownReference,
                )
                .into());
            }
        }
        if let Some(id) = qualifier_id {
            let usable = qualifier::Entity::find_by_id(id.0)
                .one(self.connection())
                .await?
                .is_some_and(|entry| entry.archived_at.is_none());
            if !usable {
                return Err(lejek_domain::Violations::single(
                    "qualifier",
                    lejek_domain::ViolationCode::UnknownReference,
                )
                .into());
            }
        }
        Ok(())
    }

    /// The people a stored JSON list of ids names, those still there.
    pub(crate) async fn user_refs(&self, ids_json: &str) -> StoreResult<Vec<UserRef>> {
        let ids: Vec<i64> = serde_json::from_str(ids_json).map_err(|_| StoreError::Corrupt("agents"))?;
        let mut people = Vec::new();
        for id in ids {
            if let Some(person) = user::Entity::find_by_id(id).one(self.connection()).await? {
                people.push(UserRef {
                    id: UserId(person.id),
                    name: person.name,
                });
            }
        }
        Ok(people)
    }

    pub(crate) async fn qualifier_ref(&self, id: Option<i64>) -> StoreResult<Option<QualifierRef>> {
        Ok(match id {
            Some(id) => qualifier::Entity::find_by_id(id)
                .one(self.connection())
                .await?
                .map(|entry| QualifierRef {
                    id: QualifierId(entry.id),
                    name: entry.name,
                }),
            None => None,
        })
    }

    pub async fn create_form(
        &self,
        settings: &WebFormSettings,
        key: &str,
        creator: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<WebFormRecord> {
        self.check_form_references(settings).await?;
        let mut model = web_form::ActiveModel {
            public_key: Set(key.to_owned()),
            created_by: Set(creator.0),
            created_at: Set(now),
            ..Default::default()
        };
        settings_row(settings, &mut model, now);
        let transaction = self.begin_write().await?;
        let model = model.insert(&*transaction).await?;
        transaction.commit().await?;
        self.form_record(model).await
    }

    pub async fn update_form(
        &self,
        id: i64,
        settings: &WebFormSettings,
        now: DateTime<Utc>,
    ) -> StoreResult<WebFormRecord> {
        let existing = self.live_form(id).await?.ok_or(StoreError::NotFound)?;
        self.check_form_references(settings).await?;
        let mut model: web_form::ActiveModel = existing.into();
        settings_row(settings, &mut model, now);
        let transaction = self.begin_write().await?;
        let model = model.update(&*transaction).await?;
        transaction.commit().await?;
        self.form_record(model).await
    }

    /// Retires a form: gone from the list, its key answers nothing. Its
    /// leads keep naming it.
    pub async fn retire_form(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        let existing = self.live_form(id).await?.ok_or(StoreError::NotFound)?;
        let mut model: web_form::ActiveModel = existing.into();
        model.retired_at = Set(Some(now));
        model.active = Set(false);
        let transaction = self.begin_write().await?;
        model.update(&*transaction).await?;
        transaction.commit().await?;
        Ok(())
    }

    async fn live_form(&self, id: i64) -> StoreResult<Option<web_form::Model>> {
        Ok(web_form::Entity::find_by_id(id)
            .filter(web_form::Column::RetiredAt.is_null())
            .one(self.connection())
            .await?)
    }

    pub async fn form(&self, id: i64) -> StoreResult<Option<WebFormRecord>> {
        match self.live_form(id).await? {
            Some(model) => self.form_record(model).await.map(Some),
            None => Ok(None),
        }
    }

    pub async fn forms(&self) -> StoreResult<Vec<WebFormRecord>> {
        let mut records = Vec::new();
        for model in web_form::Entity::find()
            .filter(web_form::Column::RetiredAt.is_null())
            .order_by_asc(web_form::Column::Name)
            .order_by_asc(web_form::Column::Id)
            .all(self.connection())
            .await?
        {
            records.push(self.form_record(model).await?);
        }
        Ok(records)
    }

    /// The live form with this public key.
    pub async fn form_by_key(&self, key: &str) -> StoreResult<Option<WebFormRecord>> {
        let model = web_form::Entity::find()
            .filter(web_form::Column::PublicKey.eq(key))
            .filter(web_form::Column::RetiredAt.is_null())
            .one(self.connection())
            .await?;
        match model {
            Some(model) => self.form_record(model).await.map(Some),
            None => Ok(None),
        }
    }

    /// Submissions since `since` from one address (any form) and to one form.
    pub async fn submissions_since(
        &self,
        form_id: i64,
        client_address: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<(u64, u64)> {
        let from_address = form_submission::Entity::find()
            .filter(form_submission::Column::ClientAddress.eq(client_address))
            .filter(form_submission::Column::ReceivedAt.gte(since))
            .count(self.connection())
            .await?;
        let to_form = form_submission::Entity::find()
            .filter(form_submission::Column::FormId.eq(form_id))
            .filter(form_submission::Column::ReceivedAt.gte(since))
            .count(self.connection())
            .await?;
        Ok((from_address, to_form))
    }

    /// Records a submission that created nothing.
    pub async fn record_submission(
        &self,
        form_id: i64,
        client_address: &str,
        outcome: SubmissionOutcome,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let transaction = self.begin_write().await?;
        submission_row(form_id, client_address, None, outcome, None, now)
            .insert(&*transaction)
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// The next salesperson in turn among `agents` (round robin): the
    /// form's turn counter goes up by one for every lead.
    pub async fn take_form_turn(&self, form_id: i64) -> StoreResult<u64> {
        #[derive(FromQueryResult)]
        struct Turn {
            turns: i64,
        }
        let update = Query::update()
            .table(web_form::Entity)
            .value(web_form::Column::Turns, Expr::col(web_form::Column::Turns).add(1))
            .and_where(Expr::col(web_form::Column::Id).eq(form_id))
            .returning_col(web_form::Column::Turns)
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

    /// The case an earlier click of the same submission created, if any.
    pub async fn earlier_form_lead(
        &self,
        form_id: i64,
        fingerprint: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<Option<CaseId>> {
        Ok(form_submission::Entity::find()
            .filter(form_submission::Column::FormId.eq(form_id))
            .filter(form_submission::Column::Fingerprint.eq(fingerprint))
            .filter(form_submission::Column::ReceivedAt.gte(since))
            .filter(form_submission::Column::Outcome.eq(SubmissionOutcome::Created.code()))
            .one(self.connection())
            .await?
            .and_then(|earlier| earlier.case_id)
            .map(CaseId))
    }

    /// Creates the lead with its first note and records the submission, or
    /// finds the case the same submission already created (a double click).
    /// Returns the case and whether it is new.
    pub async fn create_form_lead(
        &self,
        lead: FormLead<'_>,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<(CaseId, bool)> {
        let transaction = self.begin_write().await?;
        if self.backend() == Backend::Postgres {
            // Two clicks at once must not both miss the other's case.
            let lock = Query::select()
                .expr(Func::cust("pg_advisory_xact_lock").args([
                    Expr::val(1_281_714_796),
                    Func::cust("hashtext").arg(lead.fingerprint).into(),
                ]))
                .to_owned();
            transaction.execute(&lock).await?;
        }
        let earlier = form_submission::Entity::find()
            .filter(form_submission::Column::FormId.eq(lead.form_id))
            .filter(form_submission::Column::Fingerprint.eq(lead.fingerprint))
            .filter(form_submission::Column::ReceivedAt.gte(lead.duplicate_since))
            .filter(form_submission::Column::Outcome.eq(SubmissionOutcome::Created.code()))
            .one(&*transaction)
            .await?;
        if let Some(case_id) = earlier.and_then(|earlier| earlier.case_id) {
            submission_row(
                lead.form_id,
                lead.client_address,
                Some(lead.fingerprint),
                SubmissionOutcome::Duplicate,
                Some(case_id),
                now,
            )
            .insert(&*transaction)
            .await?;
            transaction.commit().await?;
            return Ok((CaseId(case_id), false));
        }
        let origin = CaseOrigin {
            web_form_id: Some(lead.form_id),
            ..CaseOrigin::default()
        };
        let inserted = insert_case(&transaction, self.backend(), lead.new_case, actor, now, origin).await?;
        if let Some(note) = lead.note {
            case_note::ActiveModel {
                case_id: Set(inserted.id.0),
                author_id: Set(actor.0),
                body: Set(note.as_str().to_owned()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&*transaction)
            .await?;
        }
        submission_row(
            lead.form_id,
            lead.client_address,
            Some(lead.fingerprint),
            SubmissionOutcome::Created,
            Some(inserted.id.0),
            now,
        )
        .insert(&*transaction)
        .await?;
        transaction.commit().await?;
        Ok((inserted.id, true))
    }
}

fn submission_row(
    form_id: i64,
    client_address: &str,
    fingerprint: Option<&str>,
    outcome: SubmissionOutcome,
    case_id: Option<i64>,
    now: DateTime<Utc>,
) -> form_submission::ActiveModel {
    form_submission::ActiveModel {
        form_id: Set(form_id),
        received_at: Set(now),
        client_address: Set(client_address.to_owned()),
        fingerprint: Set(fingerprint.map(str::to_owned)),
        outcome: Set(outcome.code().to_owned()),
        case_id: Set(case_id),
        ..Default::default()
    }
}
