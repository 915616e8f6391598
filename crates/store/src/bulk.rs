//! Fast bulk loading of generated data (demo and benchmark data sets).
//!
//! The caller generates rows with explicit ids (from [`next_ids`]) and hands
//! them over in batches; [`load`] writes each batch in one transaction while
//! the next batch is being generated and encoded on a blocking thread:
//!
//! - SQLite: multi-row `INSERT`s with bound values (the same encoding the
//!   store's other writes use), on a dedicated connection with
//!   `synchronous=OFF` and a large page cache, for the load only;
//! - PostgreSQL: `COPY … FROM STDIN` on a dedicated connection with
//!   `synchronous_commit=off`; afterwards the identity sequences are moved
//!   past the loaded ids and the tables analysed.
//!
//! Denormalised columns (search keys, phone digits) are derived here from the
//! rows' own fields, exactly as the store derives them.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};
use lejek_domain::{
    CampaignId, CampaignKind, CampaignRef, CaseId, Change, ContactId, Currency, EventId, FunnelState,
    QualifierId, Role, Source, UserId, digits_of,
};
use sea_orm::sea_query::Value;
use sea_orm::sqlx;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, Set, SqlxSqliteConnector, Statement, TransactionTrait,
};

use crate::codes::{source_code, stage_code, status_code};
use crate::connect::{Backend, FUNNEL_CAMPAIGN_NAME, SPAM_CAMPAIGN_NAME, Store};
use crate::entity::{campaign, dictionary, user};
use crate::error::{StoreError, StoreResult};
use crate::search::search_key;

/// A user to create when no user has its e-mail yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUserRow {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
}

/// A user as stored: the demo adapts to what an existing row says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUser {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// A contact with its id; the search key and phone digits are derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRow {
    pub id: ContactId,
    pub name: String,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

/// A case with its id and number. The funnel columns come from `funnel`;
/// the contact's and owner's columns are the denormalised copies the
/// pipeline list reads; the search columns are derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub id: CaseId,
    pub number: i64,
    pub campaign_id: CampaignId,
    pub subject: String,
    pub source: Source,
    pub funnel: FunnelState,
    pub qualifier_id: Option<QualifierId>,
    pub contact_id: ContactId,
    pub owner_id: Option<UserId>,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
    pub expected_close_date: NaiveDate,
    pub value_minor: Option<i64>,
    pub currency: Currency,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    pub contact_name: String,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub owner_name: Option<String>,
}

/// One history event of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub id: EventId,
    pub case_id: CaseId,
    pub at: DateTime<Utc>,
    pub actor_id: Option<UserId>,
    pub change: Change,
}

/// Rows written together in one transaction: contacts before the cases that
/// refer to them, cases before their events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    pub contacts: Vec<ContactRow>,
    pub cases: Vec<CaseRow>,
    pub events: Vec<EventRow>,
}

/// The columns of a `case_events` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventColumns {
    pub kind: &'static str,
    pub from_value: Option<String>,
    pub to_value: Option<String>,
    pub reason: Option<String>,
}

/// How a history event is stored: `created` keeps the initial status in
/// `to_value`; statuses and stages are stored as wire codes, owners and
/// campaigns as decimal ids; `reason` is the resignation reason.
pub fn event_columns(change: &Change) -> EventColumns {
    let kind = change.kind().as_str();
    let (from_value, to_value, reason) = match change {
        Change::Created { status, .. } => (None, Some(status.as_str().to_owned()), None),
        Change::Status { from, to, reason } => (
            Some(from.as_str().to_owned()),
            Some(to.as_str().to_owned()),
            reason.as_ref().map(|reason| reason.as_str().to_owned()),
        ),
        Change::Stage { from, to } => (
            from.map(|stage| stage.as_str().to_owned()),
            to.map(|stage| stage.as_str().to_owned()),
            None,
        ),
        Change::Owner { from, to } => (
            from.map(|id| id.0.to_string()),
            to.map(|id| id.0.to_string()),
            None,
        ),
        Change::Campaign { from, to } => (Some(from.0.to_string()), Some(to.0.to_string()), None),
    };
    EventColumns {
        kind,
        from_value,
        to_value,
        reason,
    }
}

/// Whether the database holds any case (in any campaign).
pub async fn has_cases(store: &Store) -> StoreResult<bool> {
    let row = store
        .connection()
        .query_one_raw(Statement::from_string(
            store.connection().get_database_backend(),
            "SELECT id FROM cases LIMIT 1",
        ))
        .await?;
    Ok(row.is_some())
}

/// The seeded funnel and spam campaigns.
pub async fn seeded_campaigns(store: &Store) -> StoreResult<(CampaignRef, CampaignRef)> {
    let funnel = seeded_campaign(store, "funnel", FUNNEL_CAMPAIGN_NAME).await?;
    let spam = seeded_campaign(store, "spam", SPAM_CAMPAIGN_NAME).await?;
    Ok((
        CampaignRef {
            id: funnel,
            kind: CampaignKind::Funnel,
        },
        CampaignRef {
            id: spam,
            kind: CampaignKind::Spam,
        },
    ))
}

/// The campaign of `kind`, preferring the seeded name, else the oldest.
async fn seeded_campaign(store: &Store, kind: &str, name: &str) -> StoreResult<CampaignId> {
    let campaigns = campaign::Entity::find()
        .filter(campaign::Column::Kind.eq(kind))
        .order_by_asc(campaign::Column::Id)
        .all(store.connection())
        .await?;
    campaigns
        .iter()
        .find(|campaign| campaign.name == name)
        .or(campaigns.first())
        .map(|campaign| CampaignId(campaign.id))
        .ok_or(StoreError::NotFound)
}

/// The users with the given e-mails, in the given order; each one missing is
/// created first. An existing user is returned as stored (its name and role
/// win over the requested ones).
pub async fn ensure_users(store: &Store, users: &[NewUserRow]) -> StoreResult<Vec<StoredUser>> {
    let db = store.connection();
    let mut stored = Vec::with_capacity(users.len());
    for wanted in users {
        let existing = user::Entity::find()
            .filter(user::Column::Email.eq(wanted.email.as_str()))
            .one(db)
            .await?;
        let model = match existing {
            Some(model) => model,
            None => {
                user::ActiveModel {
                    email: Set(wanted.email.clone()),
                    name: Set(wanted.name.clone()),
                    role: Set(wanted.role.as_str().to_owned()),
                    kind: Set("person".to_owned()),
                    password_hash: Set(Some(wanted.password_hash.clone())),
                    active: Set(true),
                    created_at: Set(wanted.created_at),
                    ..Default::default()
                }
                .insert(db)
                .await?
            }
        };
        let role = model.role.parse().map_err(|_| StoreError::Corrupt("user role"))?;
        stored.push(StoredUser {
            id: UserId(model.id),
            email: model.email,
            name: model.name,
            role,
        });
    }
    Ok(stored)
}

/// The admin-managed dictionaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dictionary {
    Qualifiers,
    ResignationReasons,
}

/// The ids of the active entries named `names`, in that order; each one
/// missing is created first, at `at`.
pub async fn ensure_dictionary(
    store: &Store,
    dictionary: Dictionary,
    names: &[&str],
    at: DateTime<Utc>,
) -> StoreResult<Vec<i64>> {
    use dictionary::{qualifier, resignation_reason};
    let db = store.connection();
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        let id = match dictionary {
            Dictionary::Qualifiers => {
                let existing = qualifier::Entity::find()
                    .filter(qualifier::Column::Name.eq(*name))
                    .filter(qualifier::Column::ArchivedAt.is_null())
                    .one(db)
                    .await?;
                match existing {
                    Some(model) => model.id,
                    None => {
                        qualifier::ActiveModel {
                            name: Set((*name).to_owned()),
                            created_at: Set(at),
                            archived_at: Set(None),
                            ..Default::default()
                        }
                        .insert(db)
                        .await?
                        .id
                    }
                }
            }
            Dictionary::ResignationReasons => {
                let existing = resignation_reason::Entity::find()
                    .filter(resignation_reason::Column::Name.eq(*name))
                    .filter(resignation_reason::Column::ArchivedAt.is_null())
                    .one(db)
                    .await?;
                match existing {
                    Some(model) => model.id,
                    None => {
                        resignation_reason::ActiveModel {
                            name: Set((*name).to_owned()),
                            created_at: Set(at),
                            archived_at: Set(None),
                            ..Default::default()
                        }
                        .insert(db)
                        .await?
                        .id
                    }
                }
            }
        };
        ids.push(id);
    }
    Ok(ids)
}

/// The first free ids (`MAX(id) + 1`) of the tables [`load`] fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextIds {
    pub contact: i64,
    pub case: i64,
    pub event: i64,
}

pub async fn next_ids(store: &Store) -> StoreResult<NextIds> {
    Ok(NextIds {
        contact: max_id(store, "contacts").await? + 1,
        case: max_id(store, "cases").await? + 1,
        event: max_id(store, "case_events").await? + 1,
    })
}

async fn max_id(store: &Store, table: &str) -> StoreResult<i64> {
    let db = store.connection();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            format!("SELECT COALESCE(MAX(id), 0) AS max_id FROM {table}"),
        ))
        .await?
        .ok_or(StoreError::Corrupt("max id"))?;
    Ok(row.try_get::<i64>("", "max_id")?)
}

/// What has been written so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadProgress {
    pub contacts: u64,
    pub cases: u64,
    pub events: u64,
    /// The highest case number written.
    pub max_number: i64,
}

/// Why a load stopped: the batches' source failed, or the database did.
#[derive(Debug, thiserror::Error)]
pub enum LoadError<E> {
    #[error("generating the rows failed: {0}")]
    Source(E),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl<E> From<sea_orm::DbErr> for LoadError<E> {
    fn from(error: sea_orm::DbErr) -> Self {
        LoadError::Store(error.into())
    }
}

impl<E> From<sqlx::Error> for LoadError<E> {
    fn from(error: sqlx::Error) -> Self {
        LoadError::Store(sea_orm::DbErr::Exec(sea_orm::RuntimeErr::SqlxError(error.into())).into())
    }
}

/// Writes every batch `batches` yields, each in its own transaction, and
/// calls `progress` after each. The batches are produced (and encoded for
/// the backend) on a blocking thread while the previous one is written.
///
/// Afterwards the `case_number` counter is set to the highest number
/// written, and on PostgreSQL the identity sequences of the filled tables
/// are moved past their highest id. On an error, the batches committed so
/// far stay written.
pub async fn load<E, I>(
    store: &Store,
    batches: I,
    mut progress: impl FnMut(&LoadProgress),
) -> Result<LoadProgress, LoadError<E>>
where
    E: Send + 'static,
    I: IntoIterator<Item = Result<Batch, E>>,
    I::IntoIter: Send + 'static,
{
    let backend = store.backend();
    let mut batches = batches.into_iter();
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Result<Encoded, E>>(2);
    let producer = tokio::task::spawn_blocking(move || {
        let mut encoder = Encoder::default();
        for item in batches.by_ref() {
            let encoded = item.map(|batch| encoder.encode(backend, batch));
            let failed = encoded.is_err();
            if sender.blocking_send(encoded).is_err() || failed {
                break;
            }
        }
    });

    let mut writer = Writer::open(store).await?;
    let mut done = LoadProgress::default();
    let mut outcome: Result<(), LoadError<E>> = Ok(());
    while let Some(item) = receiver.recv().await {
        let encoded = match item {
            Ok(encoded) => encoded,
            Err(error) => {
                outcome = Err(LoadError::Source(error));
                break;
            }
        };
        let written = LoadProgress {
            contacts: done.contacts + encoded.contacts,
            cases: done.cases + encoded.cases,
            events: done.events + encoded.events,
            max_number: done.max_number.max(encoded.max_number),
        };
        if let Err(error) = writer.write(encoded.payload).await {
            outcome = Err(error);
            break;
        }
        done = written;
        progress(&done);
    }
    drop(receiver);
    if let Err(panic) = producer.await
        && panic.is_panic()
    {
        std::panic::resume_unwind(panic.into_panic());
    }
    writer.close().await?;
    outcome?;
    finish(store, &done).await?;
    Ok(done)
}

/// After a load: the case counter, and on PostgreSQL the sequences and
/// planner statistics.
async fn finish<E>(store: &Store, done: &LoadProgress) -> Result<(), LoadError<E>> {
    let db = store.connection();
    if done.cases > 0 {
        let updated = db
            .execute_unprepared(&format!(
                "UPDATE counters SET value = {} WHERE name = 'case_number'",
                done.max_number
            ))
            .await?;
        if updated.rows_affected() == 0 {
            db.execute_unprepared(&format!(
                "INSERT INTO counters (name, value) VALUES ('case_number', {})",
                done.max_number
            ))
            .await?;
        }
    }
    if store.backend() == Backend::Postgres {
        let filled = [
            ("contacts", done.contacts),
            ("cases", done.cases),
            ("case_events", done.events),
        ];
        for (table, _) in filled.into_iter().filter(|(_, rows)| *rows > 0) {
            db.execute_unprepared(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            ))
            .await?;
            db.execute_unprepared(&format!("ANALYZE {table}")).await?;
        }
    }
    Ok(())
}

/// One batch, ready for its backend.
struct Encoded {
    payload: Payload,
    contacts: u64,
    cases: u64,
    events: u64,
    max_number: i64,
}

enum Payload {
    /// Multi-row INSERT statements with their bound values.
    Sqlite(Vec<Statement>),
    /// `COPY` statements with their data in text format.
    Postgres(Vec<(String, Vec<u8>)>),
}

const CONTACT_COLUMNS: &[&str] = &[
    "id",
    "name",
    "company",
    "email",
    "phone",
    "phone_digits",
    "name_search",
    "created_by",
    "created_at",
];

const CASE_COLUMNS: &[&str] = &[
    "id",
    "number",
    "campaign_id",
    "subject",
    "source",
    "status",
    "stage",
    "qualifier_id",
    "contact_id",
    "owner_id",
    "created_by",
    "created_at",
    "expected_close_date",
    "follow_up_at",
    "resignation_reason",
    "value_minor",
    "currency",
    "closed_at",
    "version",
    "updated_at",
    "contact_name",
    "company",
    "email",
    "phone",
    "owner_name",
    "contact_search",
    "company_search",
    "phone_digits",
    "subject_search",
];

const EVENT_COLUMNS: &[&str] = &[
    "id",
    "case_id",
    "at",
    "actor_id",
    "kind",
    "from_value",
    "to_value",
    "reason",
];

/// A column value, before it is bound (SQLite) or written as COPY text.
enum Field {
    Int(Option<i64>),
    Small(Option<i16>),
    Text(Option<String>),
    Time(Option<DateTime<Utc>>),
    Date(NaiveDate),
}

impl Field {
    fn text(text: impl Into<String>) -> Field {
        Field::Text(Some(text.into()))
    }

    fn into_value(self) -> Value {
        match self {
            Field::Int(value) => Value::BigInt(value),
            Field::Small(value) => Value::SmallInt(value),
            Field::Text(value) => Value::String(value),
            Field::Time(value) => Value::ChronoDateTimeUtc(value),
            Field::Date(value) => Value::ChronoDate(Some(value)),
        }
    }

    /// Appends the field in PostgreSQL's COPY text format.
    fn write_copy_text(&self, out: &mut String) {
        match self {
            Field::Int(None) | Field::Small(None) | Field::Text(None) | Field::Time(None) => {
                out.push_str("\\N")
            }
            Field::Int(Some(value)) => {
                let _ = write!(out, "{value}");
            }
            Field::Small(Some(value)) => {
                let _ = write!(out, "{value}");
            }
            Field::Text(Some(text)) => {
                for c in text.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\t' => out.push_str("\\t"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        c => out.push(c),
                    }
                }
            }
            Field::Time(Some(at)) => {
                let _ = write!(out, "{}", at.format("%Y-%m-%d %H:%M:%S%.6f+00"));
            }
            Field::Date(date) => {
                let _ = write!(out, "{}", date.format("%Y-%m-%d"));
            }
        }
    }
}

fn contact_fields(row: ContactRow) -> Vec<Field> {
    let phone_digits = row.phone.as_deref().map(digits_of);
    let name_search = search_key(&row.name);
    vec![
        Field::Int(Some(row.id.0)),
        Field::text(row.name),
        Field::Text(row.company),
        Field::Text(row.email),
        Field::Text(row.phone),
        Field::Text(phone_digits),
        Field::text(name_search),
        Field::Int(row.created_by.map(|id| id.0)),
        Field::Time(Some(row.created_at)),
    ]
}

fn case_fields(row: CaseRow) -> Vec<Field> {
    let funnel = &row.funnel;
    let contact_search = search_key(&row.contact_name);
    let company_search = row.company.as_deref().map(search_key);
    let phone_digits = row.phone.as_deref().map(digits_of);
    let subject_search = search_key(&row.subject);
    vec![
        Field::Int(Some(row.id.0)),
        Field::Int(Some(row.number)),
        Field::Int(Some(row.campaign_id.0)),
        Field::text(row.subject),
        Field::Small(Some(source_code(row.source))),
        Field::Small(Some(status_code(funnel.status()))),
        Field::Small(funnel.stage().map(stage_code)),
        Field::Int(row.qualifier_id.map(|id| id.0)),
        Field::Int(Some(row.contact_id.0)),
        Field::Int(row.owner_id.map(|id| id.0)),
        Field::Int(Some(row.created_by.0)),
        Field::Time(Some(row.created_at)),
        Field::Date(row.expected_close_date),
        Field::Time(funnel.follow_up_at()),
        Field::Text(
            funnel
                .resignation_reason()
                .map(|reason| reason.as_str().to_owned()),
        ),
        Field::Int(row.value_minor),
        Field::text(row.currency.as_str()),
        Field::Time(funnel.closed_at()),
        Field::Int(Some(row.version)),
        Field::Time(Some(row.updated_at)),
        Field::text(row.contact_name),
        Field::Text(row.company),
        Field::Text(row.email),
        Field::Text(row.phone),
        Field::Text(row.owner_name),
        Field::text(contact_search),
        Field::Text(company_search),
        Field::Text(phone_digits),
        Field::text(subject_search),
    ]
}

fn event_fields(row: EventRow) -> Vec<Field> {
    let columns = event_columns(&row.change);
    vec![
        Field::Int(Some(row.id.0)),
        Field::Int(Some(row.case_id.0)),
        Field::Time(Some(row.at)),
        Field::Int(row.actor_id.map(|id| id.0)),
        Field::text(columns.kind),
        Field::Text(columns.from_value),
        Field::Text(columns.to_value),
        Field::Text(columns.reason),
    ]
}

/// SQLite's limit on bound parameters per statement.
const SQLITE_MAX_PARAMETERS: usize = 32_766;
/// Rows per INSERT; more gains little and makes statements slow to prepare.
const SQLITE_MAX_ROWS_PER_INSERT: usize = 1_000;

/// Turns batches into backend payloads, reusing the INSERT texts.
#[derive(Default)]
struct Encoder {
    /// (table, rows) → the INSERT statement's text.
    insert_sql: Vec<((&'static str, usize), String)>,
}

impl Encoder {
    fn encode(&mut self, backend: Backend, batch: Batch) -> Encoded {
        let contacts = batch.contacts.len() as u64;
        let cases = batch.cases.len() as u64;
        let events = batch.events.len() as u64;
        let max_number = batch.cases.iter().map(|case| case.number).max().unwrap_or(0);
        let tables = [
            (
                "contacts",
                CONTACT_COLUMNS,
                batch.contacts.into_iter().map(contact_fields).collect::<Vec<_>>(),
            ),
            (
                "cases",
                CASE_COLUMNS,
                batch.cases.into_iter().map(case_fields).collect(),
            ),
            (
                "case_events",
                EVENT_COLUMNS,
                batch.events.into_iter().map(event_fields).collect(),
            ),
        ];
        let payload = match backend {
            Backend::Sqlite => {
                let mut statements = Vec::new();
                for (table, columns, rows) in tables {
                    self.sqlite_inserts(table, columns, rows, &mut statements);
                }
                Payload::Sqlite(statements)
            }
            Backend::Postgres => Payload::Postgres(
                tables
                    .into_iter()
                    .filter(|(_, _, rows)| !rows.is_empty())
                    .map(|(table, columns, rows)| postgres_copy(table, columns, rows))
                    .collect(),
            ),
        };
        Encoded {
            payload,
            contacts,
            cases,
            events,
            max_number,
        }
    }

    fn sqlite_inserts(
        &mut self,
        table: &'static str,
        columns: &[&str],
        rows: Vec<Vec<Field>>,
        statements: &mut Vec<Statement>,
    ) {
        let per_statement = (SQLITE_MAX_PARAMETERS / columns.len()).min(SQLITE_MAX_ROWS_PER_INSERT);
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let mut values = Vec::with_capacity(per_statement * columns.len());
            let mut count = 0;
            for row in rows.by_ref().take(per_statement) {
                values.extend(row.into_iter().map(Field::into_value));
                count += 1;
            }
            let sql = self.insert_sql(table, columns, count);
            statements.push(Statement::from_sql_and_values(DbBackend::Sqlite, sql, values));
        }
    }

    fn insert_sql(&mut self, table: &'static str, columns: &[&str], rows: usize) -> String {
        if let Some((_, sql)) = self.insert_sql.iter().find(|(key, _)| *key == (table, rows)) {
            return sql.clone();
        }
        let placeholders = format!("({})", vec!["?"; columns.len()].join(","));
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES {}",
            columns.join(", "),
            vec![placeholders.as_str(); rows].join(",")
        );
        // Only full-size statements repeat; keep those few.
        if self.insert_sql.len() < 16 {
            self.insert_sql.push(((table, rows), sql.clone()));
        }
        sql
    }
}

fn postgres_copy(table: &str, columns: &[&str], rows: Vec<Vec<Field>>) -> (String, Vec<u8>) {
    let statement = format!("COPY {table} ({}) FROM STDIN", columns.join(", "));
    let mut text = String::with_capacity(rows.len() * columns.len() * 12);
    for row in rows {
        for (index, field) in row.iter().enumerate() {
            if index > 0 {
                text.push('\t');
            }
            field.write_copy_text(&mut text);
        }
        text.push('\n');
    }
    (statement, text.into_bytes())
}

/// The dedicated connection a load writes through.
enum Writer {
    /// A one-connection pool to the same SQLite file, tuned for loading.
    Sqlite(DatabaseConnection),
    Postgres(sqlx::PgConnection),
}

/// The SQLite page cache during a load, in KiB (negative: size, not pages).
const SQLITE_LOAD_CACHE: &str = "-131072";

impl Writer {
    async fn open<E>(store: &Store) -> Result<Writer, LoadError<E>> {
        match store.backend() {
            Backend::Sqlite => {
                let pool = store.connection().get_sqlite_connection_pool();
                let options = (*pool.connect_options())
                    .clone()
                    .synchronous(sqlx::sqlite::SqliteSynchronous::Off)
                    .pragma("cache_size", SQLITE_LOAD_CACHE);
                let loader = sqlx::sqlite::SqlitePoolOptions::new()
                    .max_connections(1)
                    .min_connections(1)
                    .connect_with(options)
                    .await?;
                Ok(Writer::Sqlite(SqlxSqliteConnector::from_sqlx_sqlite_pool(loader)))
            }
            Backend::Postgres => {
                use sqlx::{Connection, Executor};
                let pool = store.connection().get_postgres_connection_pool();
                let mut connection = sqlx::PgConnection::connect_with(&pool.connect_options()).await?;
                connection.execute("SET synchronous_commit = off").await?;
                Ok(Writer::Postgres(connection))
            }
        }
    }

    async fn write<E>(&mut self, payload: Payload) -> Result<(), LoadError<E>> {
        match (self, payload) {
            (Writer::Sqlite(db), Payload::Sqlite(statements)) => {
                let transaction = db.begin().await?;
                for statement in statements {
                    transaction.execute_raw(statement).await?;
                }
                transaction.commit().await?;
                Ok(())
            }
            (Writer::Postgres(connection), Payload::Postgres(copies)) => {
                use sqlx::Connection;
                let mut transaction = connection.begin().await?;
                for (statement, data) in copies {
                    let mut copy = transaction.copy_in_raw(&statement).await?;
                    copy.send(data).await?;
                    copy.finish().await?;
                }
                transaction.commit().await?;
                Ok(())
            }
            _ => Err(LoadError::Store(StoreError::Corrupt(
                "bulk payload for another backend",
            ))),
        }
    }

    async fn close<E>(self) -> Result<(), LoadError<E>> {
        match self {
            Writer::Sqlite(db) => db.close().await?,
            Writer::Postgres(connection) => {
                use sqlx::Connection;
                connection.close().await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lejek_domain::{ResignationReason, Stage, Status};

    #[test]
    fn events_are_stored_as_wire_codes_and_decimal_ids() {
        let created = event_columns(&Change::Created {
            status: Status::AwaitingPickup,
            owner: None,
            campaign: CampaignId(1),
        });
        assert_eq!(
            (created.kind, created.from_value, created.to_value.as_deref()),
            ("created", None, Some("awaiting_pickup"))
        );
        let resigned = event_columns(&Change::Status {
            from: Status::Offered,
            to: Status::Resigned,
            reason: Some(ResignationReason::parse("Za wysoka cena").unwrap()),
        });
        assert_eq!(resigned.kind, "status");
        assert_eq!(resigned.from_value.as_deref(), Some("offered"));
        assert_eq!(resigned.reason.as_deref(), Some("Za wysoka cena"));
        let stage = event_columns(&Change::Stage {
            from: Some(Stage::ContractSent),
            to: None,
        });
        assert_eq!(
            (stage.from_value.as_deref(), stage.to_value),
            (Some("contract_sent"), None)
        );
        let owner = event_columns(&Change::Owner {
            from: None,
            to: Some(UserId(42)),
        });
        assert_eq!((owner.from_value, owner.to_value.as_deref()), (None, Some("42")));
        let campaign = event_columns(&Change::Campaign {
            from: CampaignId(1),
            to: CampaignId(2),
        });
        assert_eq!(
            (
                campaign.kind,
                campaign.from_value.as_deref(),
                campaign.to_value.as_deref()
            ),
            ("campaign", Some("1"), Some("2"))
        );
    }

    #[test]
    fn copy_text_escapes_and_marks_nulls() {
        let mut out = String::new();
        Field::text("a\tb\\c\nd").write_copy_text(&mut out);
        out.push('|');
        Field::Text(None).write_copy_text(&mut out);
        out.push('|');
        Field::Time(Some(DateTime::from_timestamp(1_795_000_000, 0).unwrap())).write_copy_text(&mut out);
        assert_eq!(out, "a\\tb\\\\c\\nd|\\N|2026-11-19 08:26:40.000000+00");
    }
}
