//! Cases: creating them, reading them, and writing accepted decisions with
//! their history in one transaction, guarded by the case's version.

mod batch;
mod drivers;
mod figures;
mod filter;
mod history;
mod list;
mod ranked_stays;
mod row;
mod sample;
mod sort;
mod stays;
mod tallies;
mod team_figures;
mod text;

use chrono::{DateTime, Utc};
use lejek_domain::dto::CaseCard;
use lejek_domain::{
    CampaignId, CaseDetailsPatch, CaseId, CaseState, Change, ContactChoice, NewCase, Patch, QualifierId,
    UserId, ViolationCode, Violations, digits_of,
};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult,
    QueryFilter, Set,
};

pub(crate) use batch::insert_cases;
pub(crate) use drivers::{BOUNDED_CANDIDATES, candidate_read};
pub(crate) use filter::every_row;
pub use filter::{CampaignScope, CaseFilter};
pub use list::CasePage;
use row::{CaseRecord, record_select};
pub use sample::ForcedPlan;
pub(crate) use sample::{SampleState, Sampled};
use tallies::TallyKey;
pub(crate) use text::{Indexed, candidate_count, contact_candidates};

use crate::codes::{source_code, stage_code, status_code};
use crate::connect::Store;
use crate::entity::{campaign, case, case_event, contact, counter, dictionary::qualifier, user};
use crate::error::{StoreError, StoreResult};
use crate::search::search_key;

/// A case as the rules see it, with the version a write must match.
#[derive(Debug, Clone)]
pub struct CaseSnapshot {
    pub id: CaseId,
    pub version: i64,
    pub state: CaseState,
}

/// A write to one case: the state its decision produced, the details the
/// caller changed, and the history it records.
#[derive(Debug, Clone)]
pub struct CaseWrite<'a> {
    pub id: CaseId,
    pub expected_version: i64,
    /// The state the decision was made on, at `expected_version`.
    pub previous: &'a CaseState,
    pub state: &'a CaseState,
    pub details: &'a CaseDetailsPatch,
    pub changes: &'a [Change],
}

impl Store {
    async fn case_record<C: ConnectionTrait>(
        &self,
        connection: &C,
        id: CaseId,
    ) -> StoreResult<Option<CaseRecord>> {
        let query = record_select()
            .and_where(filter::col(case::Column::Id).eq(id.0))
            .to_owned();
        let statement = connection.get_database_backend().build(&query);
        Ok(CaseRecord::find_by_statement(statement).one(connection).await?)
    }

    /// The case card and the state the rules decide on.
    pub async fn case_card(&self, id: CaseId) -> StoreResult<Option<(CaseCard, CaseSnapshot)>> {
        let Some(record) = self.case_record(self.connection(), id).await? else {
            return Ok(None);
        };
        let snapshot = CaseSnapshot {
            id,
            version: record.case.version,
            state: record.to_state()?,
        };
        Ok(Some((record.to_card()?, snapshot)))
    }

    /// Snapshots of many cases (bulk actions); missing ids are left out.
    pub async fn case_snapshots(&self, ids: &[CaseId]) -> StoreResult<Vec<CaseSnapshot>> {
        let mut snapshots = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let query = record_select()
                .and_where(filter::col(case::Column::Id).is_in(chunk.iter().map(|id| id.0)))
                .to_owned();
            let statement = self.connection().get_database_backend().build(&query);
            for record in CaseRecord::find_by_statement(statement)
                .all(self.connection())
                .await?
            {
                snapshots.push(CaseSnapshot {
                    id: CaseId(record.case.id),
                    version: record.case.version,
                    state: record.to_state()?,
                });
            }
        }
        Ok(snapshots)
    }

    /// Stores a new case, its contact when new (or the existing contact
    /// with the same e-mail), its number and its first history event.
    pub async fn create_case(
        &self,
        new: &NewCase,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<CaseCard> {
        let transaction = self.begin_write().await?;
        let created = insert_case(
            &transaction,
            self.backend(),
            new,
            actor,
            now,
            CaseOrigin::default(),
        )
        .await?;
        let record = self
            .case_record(&transaction, created.id)
            .await?
            .ok_or(StoreError::NotFound)?;
        transaction.commit().await?;
        record.to_card()
    }

    /// Writes one accepted change; `VersionMismatch` if the case moved on.
    pub async fn write_case(
        &self,
        write: CaseWrite<'_>,
        actor: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<CaseCard> {
        let transaction = self.begin_write().await?;
        write_in(&transaction, &write, actor, now).await?;
        let record = self
            .case_record(&transaction, write.id)
            .await?
            .ok_or(StoreError::NotFound)?;
        transaction.commit().await?;
        record.to_card()
    }

    /// Writes many accepted changes, all or nothing; returns the new versions.
    pub async fn write_cases(
        &self,
        writes: &[CaseWrite<'_>],
        actor: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<(CaseId, i64)>> {
        let transaction = self.begin_write().await?;
        let mut versions = Vec::with_capacity(writes.len());
        for write in writes {
            write_in(&transaction, write, actor, now).await?;
            versions.push((write.id, write.expected_version + 1));
        }
        transaction.commit().await?;
        Ok(versions)
    }

    /// The campaign with this id, if any.
    pub async fn campaign_ref(&self, id: CampaignId) -> StoreResult<Option<lejek_domain::CampaignRef>> {
        campaign::Entity::find_by_id(id.0)
            .one(self.connection())
            .await?
            .map(|model| {
                Ok(lejek_domain::CampaignRef {
                    id: CampaignId(model.id),
                    kind: model
                        .kind
                        .parse()
                        .map_err(|_| StoreError::Corrupt("campaign kind"))?,
                })
            })
            .transpose()
    }
}

/// Where a new case comes from and how its contact is found.
#[derive(Debug, Clone, Copy, Default)]
pub struct CaseOrigin {
    /// The import creating it.
    pub import_id: Option<i64>,
    /// The web form creating it.
    pub web_form_id: Option<i64>,
    /// The e-mail creating it.
    pub inbound_mail_id: Option<i64>,
    /// A new contact without an e-mail match is matched by phone too.
    pub match_phone: bool,
}

/// A case just inserted.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InsertedCase {
    pub id: CaseId,
    /// Whether its contact existed before.
    pub contact_reused: bool,
}

/// Inserts a new case in `transaction`: its contact when new (or the
/// existing contact with the same e-mail, or phone when asked), its number,
/// its first history event, its stay and its tally.
pub(crate) async fn insert_case(
    transaction: &DatabaseTransaction,
    backend: crate::Backend,
    new: &NewCase,
    actor: UserId,
    now: DateTime<Utc>,
    origin: CaseOrigin,
) -> StoreResult<InsertedCase> {
    if let Some(external_id) = &new.external_id {
        let taken = case::Entity::find()
            .filter(case::Column::ExternalId.eq(external_id.as_str()))
            .one(transaction)
            .await?
            .is_some();
        if taken {
            return Err(Violations::single("external_id", ViolationCode::Duplicate).into());
        }
    }
    // Every check comes before the first write, so that a refused case
    // leaves nothing behind in a transaction that goes on (an import's batch).
    if let Some(qualifier_id) = new.qualifier_id {
        check_qualifier(transaction, qualifier_id, "qualifier").await?;
    }
    let owner_name = match new.state.owner {
        // The creator owns their case whatever their kind: an agent-role
        // integration's cases are its own, as an agent's are. Anyone
        // else named as owner must be an active person.
        Some(owner) if owner == actor => Some(
            user::Entity::find_by_id(owner.0)
                .one(transaction)
                .await?
                .filter(|user| user.active)
                .map(|user| user.name)
                .ok_or_else(|| Violations::single("owner_id", ViolationCode::UnknownReference))?,
        ),
        Some(owner) => Some(assignable_owner_name(transaction, owner).await?),
        None => None,
    };
    let mut contact_reused = true;
    let contact = match &new.contact {
        ContactChoice::Existing(id) => contact::Entity::find_by_id(id.0)
            .one(transaction)
            .await?
            .ok_or_else(|| Violations::single("contact_id", ViolationCode::UnknownReference))?,
        ContactChoice::New(details) => {
            let same_email = match &details.email {
                Some(email) => {
                    // Creates naming one new e-mail at once must not
                    // each miss the other's contact: on PostgreSQL they
                    // take turns on the address (SQLite runs one write
                    // transaction at a time anyway).
                    if backend == crate::Backend::Postgres {
                        // The first key names the lock space: "Lejk".
                        let lock = Query::select()
                            .expr(Func::cust("pg_advisory_xact_lock").args([
                                Expr::val(1_281_714_795),
                                Func::cust("hashtext").arg(email.as_str()).into(),
                            ]))
                            .to_owned();
                        transaction.execute(&lock).await?;
                    }
                    contact::Entity::find()
                        .filter(contact::Column::Email.eq(email.as_str()))
                        .one(transaction)
                        .await?
                }
                None => None,
            };
            let same_email = match (same_email, &details.phone) {
                (None, Some(phone)) if origin.match_phone => {
                    contact::Entity::find()
                        .filter(contact::Column::PhoneDigits.eq(phone.digits()))
                        .one(transaction)
                        .await?
                }
                (found, _) => found,
            };
            match same_email {
                Some(existing) => existing,
                None => {
                    contact_reused = false;
                    crate::contacts::new_contact_row(details, actor, now)
                        .insert(transaction)
                        .await?
                }
            }
        }
    };
    let number = next_case_number(transaction).await?;
    let model = case_row(new, &contact, owner_name, number, actor, now, origin)
        .insert(transaction)
        .await
        .map_err(|error| match StoreError::from(error) {
            // A concurrent create took the external id after the check.
            StoreError::Conflict(_) => Violations::single("external_id", ViolationCode::Duplicate).into(),
            other => other,
        })?;
    let id = CaseId(model.id);
    insert_events(transaction, id, &new.changes, actor, now).await?;
    stays::follow_write(transaction, id, &new.state, &new.changes, now).await?;
    tallies::adjust(transaction, TallyKey::of(&new.state), 1).await?;
    Ok(InsertedCase { id, contact_reused })
}

/// A new case's row: its fields, its contact's and owner's names copied in
/// for the list, and where it came from.
pub(crate) fn case_row(
    new: &NewCase,
    contact: &contact::Model,
    owner_name: Option<String>,
    number: i64,
    actor: UserId,
    now: DateTime<Utc>,
    origin: CaseOrigin,
) -> case::ActiveModel {
    let funnel = &new.state.funnel;
    case::ActiveModel {
        number: Set(number),
        campaign_id: Set(new.state.campaign.id.0),
        subject: Set(new.subject.as_str().to_owned()),
        source: Set(source_code(new.source)),
        status: Set(status_code(funnel.status())),
        stage: Set(funnel.stage().map(stage_code)),
        qualifier_id: Set(new.qualifier_id.map(|q| q.0)),
        contact_id: Set(contact.id),
        owner_id: Set(new.state.owner.map(|o| o.0)),
        created_by: Set(actor.0),
        created_at: Set(now),
        expected_close_date: Set(new.expected_close_date),
        follow_up_at: Set(funnel.follow_up_at()),
        resignation_reason: Set(funnel.resignation_reason().map(|r| r.as_str().to_owned())),
        value_minor: Set(new.value.map(|v| v.minor_units())),
        currency: Set(new.currency.as_str().to_owned()),
        closed_at: Set(funnel.closed_at()),
        version: Set(1),
        updated_at: Set(now),
        contact_name: Set(contact.name.clone()),
        company: Set(contact.company.clone()),
        email: Set(contact.email.clone()),
        phone: Set(contact.phone.clone()),
        owner_name: Set(owner_name),
        contact_search: Set(search_key(&contact.name)),
        company_search: Set(contact.company.as_deref().map(search_key)),
        phone_digits: Set(contact.phone.as_deref().map(digits_of)),
        subject_search: Set(search_key(new.subject.as_str())),
        deepest_step: Set(1),
        last_event_at: Set(Some(now)),
        external_id: Set(new.external_id.as_ref().map(|id| id.as_str().to_owned())),
        import_id: Set(origin.import_id),
        web_form_id: Set(origin.web_form_id),
        inbound_mail_id: Set(origin.inbound_mail_id),
        ..Default::default()
    }
}

async fn write_in(
    transaction: &DatabaseTransaction,
    write: &CaseWrite<'_>,
    actor: UserId,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let state = write.state;
    let funnel = &state.funnel;
    let before = &write.previous.funnel;
    let details = write.details;
    // Only what changed is written: every column set is an entry to move in
    // each index that holds it.
    let mut update = case::Entity::update_many()
        .col_expr(case::Column::Version, Expr::col(case::Column::Version).add(1))
        .col_expr(case::Column::UpdatedAt, Expr::value(now));
    if !write.changes.is_empty() {
        update = update.col_expr(case::Column::LastEventAt, Expr::value(now));
    }
    if (funnel.status() != before.status() || funnel.stage() != before.stage())
        && let Some(deepest) = stays::deepest_step_after(state)
    {
        update = update.col_expr(case::Column::DeepestStep, deepest);
    }
    if funnel.status() != before.status() {
        update = update.col_expr(case::Column::Status, Expr::value(status_code(funnel.status())));
    }
    if funnel.stage() != before.stage() {
        update = update.col_expr(case::Column::Stage, Expr::value(funnel.stage().map(stage_code)));
    }
    if funnel.follow_up_at() != before.follow_up_at() {
        update = update.col_expr(case::Column::FollowUpAt, Expr::value(funnel.follow_up_at()));
    }
    if funnel.resignation_reason() != before.resignation_reason() {
        update = update.col_expr(
            case::Column::ResignationReason,
            Expr::value(funnel.resignation_reason().map(|r| r.as_str().to_owned())),
        );
    }
    if funnel.closed_at() != before.closed_at() {
        update = update.col_expr(case::Column::ClosedAt, Expr::value(funnel.closed_at()));
    }
    if state.campaign.id != write.previous.campaign.id {
        update = update.col_expr(case::Column::CampaignId, Expr::value(state.campaign.id.0));
    }
    if write
        .changes
        .iter()
        .any(|change| matches!(change, Change::Owner { .. }))
    {
        let owner_name = match state.owner {
            Some(owner) => Some(assignable_owner_name(transaction, owner).await?),
            None => None,
        };
        update = update
            .col_expr(case::Column::OwnerId, Expr::value(state.owner.map(|o| o.0)))
            .col_expr(case::Column::OwnerName, Expr::value(owner_name));
    }
    if let Some(subject) = &details.subject {
        update = update
            .col_expr(case::Column::Subject, Expr::value(subject.as_str().to_owned()))
            .col_expr(
                case::Column::SubjectSearch,
                Expr::value(search_key(subject.as_str())),
            );
    }
    if let Some(source) = details.source {
        update = update.col_expr(case::Column::Source, Expr::value(source_code(source)));
    }
    match details.qualifier_id {
        Patch::Keep => {}
        Patch::Clear => update = update.col_expr(case::Column::QualifierId, Expr::value(Option::<i64>::None)),
        Patch::Set(id) => {
            check_qualifier(transaction, id, "qualifier").await?;
            update = update.col_expr(case::Column::QualifierId, Expr::value(id.0));
        }
    }
    if let Some(date) = details.expected_close_date {
        update = update.col_expr(case::Column::ExpectedCloseDate, Expr::value(date));
    }
    match details.value {
        Patch::Keep => {}
        Patch::Clear => update = update.col_expr(case::Column::ValueMinor, Expr::value(Option::<i64>::None)),
        Patch::Set(amount) => {
            update = update.col_expr(case::Column::ValueMinor, Expr::value(amount.minor_units()))
        }
    }
    if let Some(currency) = details.currency {
        update = update.col_expr(case::Column::Currency, Expr::value(currency.as_str().to_owned()));
    }
    if let Some(contact_id) = details.contact_id {
        let contact = contact::Entity::find_by_id(contact_id.0)
            .one(transaction)
            .await?
            .ok_or_else(|| Violations::single("contact_id", ViolationCode::UnknownReference))?;
        update = update
            .col_expr(case::Column::ContactId, Expr::value(contact.id))
            .col_expr(case::Column::ContactName, Expr::value(contact.name.clone()))
            .col_expr(
                case::Column::ContactSearch,
                Expr::value(search_key(&contact.name)),
            )
            .col_expr(case::Column::Company, Expr::value(contact.company.clone()))
            .col_expr(
                case::Column::CompanySearch,
                Expr::value(contact.company.as_deref().map(search_key)),
            )
            .col_expr(case::Column::Email, Expr::value(contact.email.clone()))
            .col_expr(case::Column::Phone, Expr::value(contact.phone.clone()))
            .col_expr(
                case::Column::PhoneDigits,
                Expr::value(contact.phone.as_deref().map(digits_of)),
            );
    }
    let updated = update
        .filter(case::Column::Id.eq(write.id.0))
        .filter(case::Column::Version.eq(write.expected_version))
        .exec(transaction)
        .await?
        .rows_affected;
    if updated != 1 {
        let exists = case::Entity::find_by_id(write.id.0)
            .one(transaction)
            .await?
            .is_some();
        return Err(if exists {
            StoreError::VersionMismatch
        } else {
            StoreError::NotFound
        });
    }
    insert_events(transaction, write.id, write.changes, actor, now).await?;
    stays::follow_write(transaction, write.id, state, write.changes, now).await?;
    tallies::follow_write(transaction, write.state, write.changes).await
}

/// The name of a user who may own cases: an active person.
async fn assignable_owner_name<C: ConnectionTrait>(connection: &C, owner: UserId) -> StoreResult<String> {
    user::Entity::find_by_id(owner.0)
        .one(connection)
        .await?
        .filter(|user| user.active && user.kind == "person")
        .map(|user| user.name)
        .ok_or_else(|| Violations::single("owner_id", ViolationCode::UnknownReference).into())
}

async fn check_qualifier<C: ConnectionTrait>(
    connection: &C,
    id: QualifierId,
    field: &'static str,
) -> StoreResult<()> {
    let usable = qualifier::Entity::find_by_id(id.0)
        .one(connection)
        .await?
        .is_some_and(|entry| entry.archived_at.is_none());
    if usable {
        Ok(())
    } else {
        Err(Violations::single(field, ViolationCode::UnknownReference).into())
    }
}

/// The next case number, taken inside the creating transaction so numbers
/// have no gaps and never repeat.
async fn next_case_number(transaction: &DatabaseTransaction) -> StoreResult<i64> {
    #[derive(FromQueryResult)]
    struct Counter {
        value: i64,
    }
    let update = Query::update()
        .table(counter::Entity)
        .value(counter::Column::Value, Expr::col(counter::Column::Value).add(1))
        .and_where(Expr::col(counter::Column::Name).eq("case_number"))
        .returning_col(counter::Column::Value)
        .to_owned();
    let statement = transaction.get_database_backend().build(&update);
    Counter::find_by_statement(statement)
        .one(transaction)
        .await?
        .map(|counter| counter.value)
        .ok_or(StoreError::Corrupt("case number counter"))
}

/// A history event as stored: its kind and values as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredChange {
    pub kind: &'static str,
    pub from: Option<String>,
    pub to: Option<String>,
    pub reason: Option<String>,
}

impl StoredChange {
    pub fn of(change: &Change) -> StoredChange {
        let id = |value: Option<UserId>| value.map(|id| id.0.to_string());
        let (kind, from, to, reason) = match change {
            Change::Created { status, .. } => ("created", None, Some(status.as_str().to_owned()), None),
            Change::Status { from, to, reason } => (
                "status",
                Some(from.as_str().to_owned()),
                Some(to.as_str().to_owned()),
                reason.as_ref().map(|r| r.as_str().to_owned()),
            ),
            Change::Stage { from, to } => (
                "stage",
                from.map(|s| s.as_str().to_owned()),
                to.map(|s| s.as_str().to_owned()),
                None,
            ),
            Change::Owner { from, to } => ("owner", id(*from), id(*to), None),
            Change::Campaign { from, to } => {
                ("campaign", Some(from.0.to_string()), Some(to.0.to_string()), None)
            }
        };
        StoredChange {
            kind,
            from,
            to,
            reason,
        }
    }
}

async fn insert_events<C: ConnectionTrait>(
    connection: &C,
    case_id: CaseId,
    changes: &[Change],
    actor: UserId,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    for change in changes {
        let stored = StoredChange::of(change);
        case_event::ActiveModel {
            case_id: Set(case_id.0),
            at: Set(now),
            actor_id: Set(Some(actor.0)),
            kind: Set(stored.kind.to_owned()),
            from_value: Set(stored.from),
            to_value: Set(stored.to),
            reason: Set(stored.reason),
            ..Default::default()
        }
        .insert(connection)
        .await?;
    }
    Ok(())
}
