//! Fast bulk loading of generated data (demo and benchmark data sets).
//!
//! The caller generates rows with explicit ids (from [`next_ids`]) and hands
//! them over in batches; [`load`] writes them all in one transaction, on a
//! connection of its own, while the next batch is being generated and
//! encoded on a blocking thread:
//!
//! - SQLite: multi-row `INSERT`s with bound values, on a connection with
//!   `synchronous=OFF` and in-memory temporary storage (for the sorts);
//! - PostgreSQL: `COPY … FROM STDIN` in text format, with
//!   `synchronous_commit=off`.
//!
//! Inside the transaction the secondary indexes of the three tables (and on
//! PostgreSQL their foreign keys, which are otherwise checked row by row)
//! are dropped, and built again from their stored definitions before the
//! commit: sorting once is much cheaper than millions of index insertions.
//!
//! Values are bound exactly as the store's sea-orm writes bind them (sea-orm
//! hands `DateTime<Utc>`, `NaiveDate`, integers and strings to sqlx as they
//! are), so the rows read back the same through the entities. Denormalised
//! columns (search keys, phone digits) are derived here from the rows' own
//! fields, as the store derives them.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, Utc};
use lejek_domain::{
    CampaignId, CaseId, Change, ContactId, Currency, EventId, FunnelState, QualifierId, Source, UserId,
    digits_of,
};
use sea_orm::sqlx::{self, Arguments as _, Connection as _, Executor as _};
use sea_orm::{ConnectionTrait, Statement};

use std::mem::take;

use lejek_domain::Stage;
use sea_orm::{EntityTrait, IdenStatic, Iterable};

use crate::cases::StoredChange;
use crate::codes::StoredCode;
use crate::connect::{Backend, Store};
use crate::entity::{case, case_event, contact};
use crate::error::{StoreError, StoreResult};
use crate::search::search_key;

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

/// One history event of a case, stored as the store stores every change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    pub id: EventId,
    pub case_id: CaseId,
    pub at: DateTime<Utc>,
    pub actor_id: Option<UserId>,
    pub change: Change,
}

/// Rows written together: contacts before the cases that refer to them,
/// cases before their events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    pub contacts: Vec<ContactRow>,
    pub cases: Vec<CaseRow>,
    pub events: Vec<EventRow>,
}

/// Whether the database holds any case (in any campaign).
pub async fn has_cases(store: &Store) -> StoreResult<bool> {
    let db = store.connection();
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM cases LIMIT 1",
        ))
        .await?;
    Ok(row.is_some())
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
/// Either way nothing of the load was committed.
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

/// Writes every batch `batches` yields, all in one transaction: either the
/// whole data set is stored or nothing is. `progress` is called after each
/// batch is written (not yet committed).
///
/// The `case_number` counter is set to the highest number written, in the
/// same transaction. Afterwards, on PostgreSQL, the identity sequences of
/// the filled tables are moved past their highest id and the tables are
/// analysed; SQLite's `AUTOINCREMENT` follows explicit ids by itself.
///
/// The load holds SQLite's write lock, or exclusive locks on the three
/// tables on PostgreSQL, until it commits: it is meant for a database that
/// is not serving requests at the time.
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

    let mut writer: Option<Writer> = None;
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
        let step = match writer.as_mut() {
            Some(writer) => writer.write(encoded.payload).await,
            None => match Writer::open(store).await {
                Ok(opened) => writer.insert(opened).write(encoded.payload).await,
                Err(error) => Err(error),
            },
        };
        if let Err(error) = step {
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
    let Some(writer) = writer else {
        return outcome.map(|()| done);
    };
    if let Err(error) = outcome {
        writer.abandon().await;
        return Err(error);
    }
    writer.commit(&done).await?;
    match backend {
        Backend::Postgres => after_postgres_load(store, &done).await?,
        Backend::Sqlite => {
            // Planner statistics for the loaded tables. Connections read
            // them when they open: a server should open its pool after this.
            store.connection().execute_unprepared("ANALYZE").await?;
        }
    }
    Ok(done)
}

/// Moves the identity sequences past the loaded ids, refreshes the
/// planner's statistics and sets the visibility map, without which counts
/// cannot be answered from the indexes alone (index-only scans) until
/// autovacuum comes by.
async fn after_postgres_load<E>(store: &Store, done: &LoadProgress) -> Result<(), LoadError<E>> {
    let db = store.connection();
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
        db.execute_unprepared(&format!("VACUUM (ANALYZE) {table}"))
            .await?;
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
    Sqlite(Vec<SqliteInsert>),
    /// `COPY` statements with their data in text format.
    Postgres(Vec<(Arc<str>, Vec<u8>)>),
}

/// An INSERT's text, its arguments, and the texts to free after it.
type SqliteInsert = (Arc<str>, sqlx::sqlite::SqliteArguments, Vec<Arc<str>>);

/// A table the load fills: its name and columns, in the entity's order.
struct Table {
    name: &'static str,
    columns: Vec<&'static str>,
    /// `COPY <name> (<columns>) FROM STDIN`.
    copy: Arc<str>,
}

impl Table {
    fn of<E: EntityTrait>(entity: E) -> Table {
        let name = entity.table_name();
        let columns: Vec<&'static str> = E::Column::iter().map(|column| column.as_str()).collect();
        let copy = format!("COPY {name} ({}) FROM STDIN", columns.join(", ")).into();
        Table { name, columns, copy }
    }
}

/// The three tables a load fills, described by their entities.
struct Tables {
    contacts: Table,
    cases: Table,
    events: Table,
}

impl Tables {
    fn new() -> Tables {
        Tables {
            contacts: Table::of(contact::Entity),
            cases: Table::of(case::Entity),
            events: Table::of(case_event::Entity),
        }
    }
}

/// The tables a load fills, whose secondary indexes it rebuilds.
const LOADED_TABLES: &str = "'contacts', 'cases', 'case_events', 'case_stays'";

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

    /// Binds the value as sea-orm binds its `Value` of the same type: sqlx
    /// stores a `DateTime<Utc>` as `to_rfc3339_opts(AutoSi, false)` text and
    /// a `NaiveDate` as `%F` text, which is what is bound here. Texts are
    /// bound as shared strings and a second reference is kept in `keep`, so
    /// they are freed after the statement on the caller's thread rather than
    /// on SQLite's, the bottleneck of the load.
    fn bind(self, arguments: &mut sqlx::sqlite::SqliteArguments, keep: &mut Vec<Arc<str>>) {
        let mut text = |text: Arc<str>| {
            keep.push(Arc::clone(&text));
            text
        };
        // Encoding these types cannot fail.
        let _ = match self {
            Field::Int(value) => arguments.add(value),
            Field::Small(value) => arguments.add(value),
            Field::Text(None) | Field::Time(None) => arguments.add(Option::<i64>::None),
            Field::Text(Some(value)) => arguments.add(text(Arc::from(value))),
            Field::Time(Some(value)) => arguments.add(text(Arc::from(
                value.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
            ))),
            Field::Date(value) => arguments.add(text(Arc::from(value.format("%F").to_string()))),
        };
    }

    /// Appends the value in PostgreSQL's COPY text format.
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

/// A contact's values, one per column of the entity, in its order.
fn contact_fields(mut row: ContactRow) -> Vec<Field> {
    let mut phone_digits = Some(row.phone.as_deref().map(digits_of));
    let mut name_search = Some(search_key(&row.name));
    let mut company_search = Some(row.company.as_deref().map(search_key));
    contact::Column::iter()
        .map(|column| match column {
            contact::Column::Id => Field::Int(Some(row.id.0)),
            contact::Column::Name => Field::text(take(&mut row.name)),
            contact::Column::Company => Field::Text(row.company.take()),
            contact::Column::Email => Field::Text(row.email.take()),
            contact::Column::Phone => Field::Text(row.phone.take()),
            contact::Column::PhoneDigits => Field::Text(phone_digits.take().flatten()),
            contact::Column::NameSearch => Field::Text(name_search.take()),
            contact::Column::CompanySearch => Field::Text(company_search.take().flatten()),
            contact::Column::CreatedBy => Field::Int(row.created_by.map(|id| id.0)),
            contact::Column::CreatedAt => Field::Time(Some(row.created_at)),
        })
        .collect()
}

/// A case's values, one per column of the entity, in its order.
fn case_fields(mut row: CaseRow) -> Vec<Field> {
    let funnel = row.funnel.clone();
    let mut contact_search = Some(search_key(&row.contact_name));
    let mut company_search = Some(row.company.as_deref().map(search_key));
    let mut phone_digits = Some(row.phone.as_deref().map(digits_of));
    let mut subject_search = Some(search_key(&row.subject));
    case::Column::iter()
        .map(|column| match column {
            case::Column::Id => Field::Int(Some(row.id.0)),
            case::Column::Number => Field::Int(Some(row.number)),
            case::Column::CampaignId => Field::Int(Some(row.campaign_id.0)),
            case::Column::Subject => Field::text(take(&mut row.subject)),
            case::Column::Source => Field::Small(Some(row.source.stored())),
            case::Column::Status => Field::Small(Some(funnel.status().stored())),
            case::Column::Stage => Field::Small(funnel.stage().map(Stage::stored)),
            case::Column::QualifierId => Field::Int(row.qualifier_id.map(|id| id.0)),
            case::Column::ContactId => Field::Int(Some(row.contact_id.0)),
            case::Column::OwnerId => Field::Int(row.owner_id.map(|id| id.0)),
            case::Column::CreatedBy => Field::Int(Some(row.created_by.0)),
            case::Column::CreatedAt => Field::Time(Some(row.created_at)),
            case::Column::ExpectedCloseDate => Field::Date(row.expected_close_date),
            case::Column::FollowUpAt => Field::Time(funnel.follow_up_at()),
            case::Column::ResignationReason => Field::Text(
                funnel
                    .resignation_reason()
                    .map(|reason| reason.as_str().to_owned()),
            ),
            case::Column::ValueMinor => Field::Int(row.value_minor),
            case::Column::Currency => Field::text(row.currency.as_str()),
            case::Column::ClosedAt => Field::Time(funnel.closed_at()),
            case::Column::Version => Field::Int(Some(row.version)),
            case::Column::UpdatedAt => Field::Time(Some(row.updated_at)),
            case::Column::ContactName => Field::text(take(&mut row.contact_name)),
            case::Column::Company => Field::Text(row.company.take()),
            case::Column::Email => Field::Text(row.email.take()),
            case::Column::Phone => Field::Text(row.phone.take()),
            case::Column::OwnerName => Field::Text(row.owner_name.take()),
            case::Column::ContactSearch => Field::Text(contact_search.take()),
            case::Column::CompanySearch => Field::Text(company_search.take().flatten()),
            case::Column::PhoneDigits => Field::Text(phone_digits.take().flatten()),
            case::Column::SubjectSearch => Field::Text(subject_search.take()),
            // Read from the history once the load is in: see `Writer::commit`.
            case::Column::DeepestStep => Field::Small(Some(1)),
            case::Column::LastEventAt => Field::Time(None),
            case::Column::ExternalId => Field::Text(None),
            case::Column::ImportId | case::Column::WebFormId | case::Column::InboundMailId => {
                Field::Int(None)
            }
        })
        .collect()
}

/// An event's values, one per column of the entity, in its order.
fn event_fields(row: EventRow) -> Vec<Field> {
    let mut stored = StoredChange::of(&row.change);
    case_event::Column::iter()
        .map(|column| match column {
            case_event::Column::Id => Field::Int(Some(row.id.0)),
            case_event::Column::CaseId => Field::Int(Some(row.case_id.0)),
            case_event::Column::At => Field::Time(Some(row.at)),
            case_event::Column::ActorId => Field::Int(row.actor_id.map(|id| id.0)),
            case_event::Column::Kind => Field::text(stored.kind),
            case_event::Column::FromValue => Field::Text(stored.from.take()),
            case_event::Column::ToValue => Field::Text(stored.to.take()),
            case_event::Column::Reason => Field::Text(stored.reason.take()),
        })
        .collect()
}

/// SQLite's limit on bound parameters per statement.
const SQLITE_MAX_PARAMETERS: usize = 32_766;
/// Rows per INSERT: beyond this, longer statements gain nothing.
const SQLITE_MAX_ROWS_PER_INSERT: usize = 1_000;

/// Turns batches into backend payloads, reusing the INSERT texts.
struct Encoder {
    tables: Tables,
    /// (table, rows) → the INSERT statement's text.
    insert_sql: Vec<((&'static str, usize), Arc<str>)>,
}

impl Default for Encoder {
    fn default() -> Self {
        Encoder {
            tables: Tables::new(),
            insert_sql: Vec::new(),
        }
    }
}

impl Encoder {
    fn encode(&mut self, backend: Backend, batch: Batch) -> Encoded {
        let contacts = batch.contacts.len() as u64;
        let cases = batch.cases.len() as u64;
        let events = batch.events.len() as u64;
        let max_number = batch.cases.iter().map(|case| case.number).max().unwrap_or(0);
        let contact_rows = batch.contacts.into_iter().map(contact_fields);
        let case_rows = batch.cases.into_iter().map(case_fields);
        let event_rows = batch.events.into_iter().map(event_fields);
        let payload = match backend {
            Backend::Sqlite => {
                let mut statements = Vec::new();
                let tables = Tables::new();
                self.sqlite_inserts(&tables.contacts, contact_rows, &mut statements);
                self.sqlite_inserts(&tables.cases, case_rows, &mut statements);
                self.sqlite_inserts(&tables.events, event_rows, &mut statements);
                Payload::Sqlite(statements)
            }
            Backend::Postgres => {
                let mut copies = Vec::new();
                postgres_copy(&self.tables.contacts, contact_rows, &mut copies);
                postgres_copy(&self.tables.cases, case_rows, &mut copies);
                postgres_copy(&self.tables.events, event_rows, &mut copies);
                Payload::Postgres(copies)
            }
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
        table: &Table,
        rows: impl Iterator<Item = Vec<Field>>,
        statements: &mut Vec<SqliteInsert>,
    ) {
        let n = table.columns.len();
        let per_statement = (SQLITE_MAX_PARAMETERS / n).min(SQLITE_MAX_ROWS_PER_INSERT);
        let mut rows = rows.peekable();
        while rows.peek().is_some() {
            let mut arguments = sqlx::sqlite::SqliteArguments::default();
            arguments.reserve(per_statement * n, 0);
            let mut keep = Vec::with_capacity(per_statement * n);
            let mut count = 0;
            for row in rows.by_ref().take(per_statement) {
                for field in row {
                    field.bind(&mut arguments, &mut keep);
                }
                count += 1;
            }
            statements.push((self.insert_sql(table, count), arguments, keep));
        }
    }

    fn insert_sql(&mut self, table: &Table, rows: usize) -> Arc<str> {
        let key = (table.name, rows);
        if let Some((_, sql)) = self.insert_sql.iter().find(|(cached, _)| *cached == key) {
            return Arc::clone(sql);
        }
        let placeholders = format!("({})", vec!["?"; table.columns.len()].join(","));
        let sql: Arc<str> = format!(
            "INSERT INTO {} ({}) VALUES {}",
            table.name,
            table.columns.join(", "),
            vec![placeholders.as_str(); rows].join(",")
        )
        .into();
        // Only the full-size statements repeat; keep those few.
        if self.insert_sql.len() < 8 {
            self.insert_sql.push((key, Arc::clone(&sql)));
        }
        sql
    }
}

fn postgres_copy(
    table: &Table,
    rows: impl Iterator<Item = Vec<Field>>,
    copies: &mut Vec<(Arc<str>, Vec<u8>)>,
) {
    let mut text = String::new();
    for row in rows {
        for (index, field) in row.iter().enumerate() {
            if index > 0 {
                text.push('\t');
            }
            field.write_copy_text(&mut text);
        }
        text.push('\n');
    }
    if !text.is_empty() {
        copies.push((Arc::clone(&table.copy), text.into_bytes()));
    }
}

/// The SQLite page cache during a load, in KiB (negative: size, not pages).
/// The load only appends and then sorts, so a bigger cache gains nothing.
const SQLITE_LOAD_CACHE: &str = "-65536";

/// The connection a load writes through, inside its one transaction, with
/// the statements that restore what it dropped.
struct Writer {
    connection: Connection,
    backend: Backend,
    /// The first case this load writes: its analytics are derived from
    /// their history before the commit.
    first_case: i64,
    /// Builds the dropped indexes, then adds back the dropped foreign keys.
    restore: Vec<String>,
}

enum Connection {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Writer {
    /// Connects, begins the transaction and drops the secondary indexes
    /// (and on PostgreSQL the foreign keys) of the loaded tables.
    async fn open<E>(store: &Store) -> Result<Writer, LoadError<E>> {
        let mut drops = Vec::new();
        let mut restore = Vec::new();
        let mut connection = match store.backend() {
            Backend::Sqlite => {
                let pool = store.connection().get_sqlite_connection_pool();
                let options = (*pool.connect_options())
                    .clone()
                    .synchronous(sqlx::sqlite::SqliteSynchronous::Off)
                    .pragma("cache_size", SQLITE_LOAD_CACHE)
                    .pragma("temp_store", "MEMORY")
                    .pragma("threads", "2");
                let mut connection = sqlx::SqliteConnection::connect_with(&options).await?;
                connection.execute("BEGIN IMMEDIATE").await?;
                let indexes: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
                     AND tbl_name IN ({LOADED_TABLES}) ORDER BY name"
                )))
                .fetch_all(&mut connection)
                .await?;
                for (name, create) in indexes {
                    drops.push(format!("DROP INDEX \"{name}\""));
                    restore.push(create);
                }
                Connection::Sqlite(connection)
            }
            Backend::Postgres => {
                let pool = store.connection().get_postgres_connection_pool();
                let mut connection = sqlx::PgConnection::connect_with(&pool.connect_options()).await?;
                connection
                    .execute(
                        "SET synchronous_commit = off; SET maintenance_work_mem = '256MB'; \
                         SET work_mem = '64MB'; BEGIN",
                    )
                    .await?;
                let indexes: Vec<(String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT i.relname::text, pg_get_indexdef(i.oid) \
                     FROM pg_index x \
                     JOIN pg_class i ON i.oid = x.indexrelid \
                     JOIN pg_class t ON t.oid = x.indrelid \
                     JOIN pg_namespace n ON n.oid = t.relnamespace \
                     WHERE n.nspname = current_schema() AND t.relname IN ({LOADED_TABLES}) \
                     AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid) \
                     ORDER BY i.relname"
                )))
                .fetch_all(&mut connection)
                .await?;
                let foreign_keys: Vec<(String, String, String)> =
                    sqlx::query_as(sqlx::AssertSqlSafe(format!(
                        "SELECT t.relname::text, c.conname::text, pg_get_constraintdef(c.oid) \
                     FROM pg_constraint c \
                     JOIN pg_class t ON t.oid = c.conrelid \
                     JOIN pg_namespace n ON n.oid = t.relnamespace \
                     WHERE c.contype = 'f' AND n.nspname = current_schema() \
                     AND t.relname IN ({LOADED_TABLES}) \
                     ORDER BY t.relname, c.conname"
                    )))
                    .fetch_all(&mut connection)
                    .await?;
                for (name, create) in indexes {
                    drops.push(format!("DROP INDEX \"{name}\""));
                    restore.push(create);
                }
                // Checked row by row, foreign keys cost more than the rest of
                // the load together; added back, each is checked in one pass.
                for (table, name, definition) in foreign_keys {
                    drops.push(format!("ALTER TABLE {table} DROP CONSTRAINT \"{name}\""));
                    restore.push(format!(
                        "ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}"
                    ));
                }
                Connection::Postgres(connection)
            }
        };
        const FIRST_NEW_CASE: &str = "SELECT COALESCE(MAX(id), 0) + 1 FROM cases";
        let first_case: i64 = match &mut connection {
            Connection::Sqlite(connection) => {
                sqlx::query_scalar(FIRST_NEW_CASE).fetch_one(connection).await?
            }
            Connection::Postgres(connection) => {
                sqlx::query_scalar(FIRST_NEW_CASE).fetch_one(connection).await?
            }
        };
        let mut writer = Writer {
            connection,
            backend: store.backend(),
            first_case,
            restore,
        };
        for statement in drops {
            writer.execute(&statement).await?;
        }
        Ok(writer)
    }

    async fn execute<E>(&mut self, sql: &str) -> Result<(), LoadError<E>> {
        match &mut self.connection {
            Connection::Sqlite(connection) => {
                connection.execute(sqlx::AssertSqlSafe(sql)).await?;
            }
            Connection::Postgres(connection) => {
                connection.execute(sqlx::AssertSqlSafe(sql)).await?;
            }
        }
        Ok(())
    }

    async fn write<E>(&mut self, payload: Payload) -> Result<(), LoadError<E>> {
        match (&mut self.connection, payload) {
            (Connection::Sqlite(connection), Payload::Sqlite(statements)) => {
                for (sql, arguments, keep) in statements {
                    sqlx::query_with(sqlx::AssertSqlSafe(sql), arguments)
                        .execute(&mut *connection)
                        .await?;
                    drop(keep);
                }
                Ok(())
            }
            (Connection::Postgres(connection), Payload::Postgres(copies)) => {
                for (statement, data) in copies {
                    let mut copy = connection.copy_in_raw(&statement).await?;
                    copy.send(data).await?;
                    copy.finish().await?;
                }
                Ok(())
            }
            _ => Err(LoadError::Store(StoreError::Corrupt(
                "bulk payload for another backend",
            ))),
        }
    }

    /// Restores the indexes and foreign keys, sets the case counter,
    /// commits, and closes the connection.
    async fn commit<E>(mut self, done: &LoadProgress) -> Result<(), LoadError<E>> {
        let started = Instant::now();
        let backend = match self.backend {
            Backend::Sqlite => sea_orm::DbBackend::Sqlite,
            Backend::Postgres => sea_orm::DbBackend::Postgres,
        };
        for statement in lejek_migrations::backfill_case_analytics(backend, self.first_case) {
            self.execute(&statement).await?;
        }
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "bulk load: analytics derived from the history"
        );
        tracing::info!(
            statements = self.restore.len(),
            "bulk load: rebuilding indexes and constraints"
        );
        for statement in std::mem::take(&mut self.restore) {
            let step = Instant::now();
            self.execute(&statement).await?;
            tracing::debug!(elapsed_ms = step.elapsed().as_millis() as u64, "{statement}");
        }
        if done.cases > 0 {
            let number = done.max_number;
            self.execute(&format!(
                "INSERT INTO counters (name, value) SELECT 'case_number', {number} \
                 WHERE NOT EXISTS (SELECT 1 FROM counters WHERE name = 'case_number')"
            ))
            .await?;
            self.execute(&format!(
                "UPDATE counters SET value = {number} WHERE name = 'case_number'"
            ))
            .await?;
        }
        self.execute("COMMIT").await?;
        match self.connection {
            Connection::Sqlite(mut connection) => {
                // Leave no write-ahead log the size of the whole load behind.
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").await?;
                connection.close().await?;
            }
            Connection::Postgres(connection) => connection.close().await?,
        }
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "bulk load: committed"
        );
        Ok(())
    }

    /// Rolls everything back, the dropped indexes included.
    async fn abandon(mut self) {
        let _ = self.execute::<()>("ROLLBACK").await;
        let _ = match self.connection {
            Connection::Sqlite(connection) => connection.close().await,
            Connection::Postgres(connection) => connection.close().await,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_and_marks_nulls() {
        let mut out = String::new();
        Field::text("a\tb\\c\nd").write_copy_text(&mut out);
        out.push('|');
        Field::Text(None).write_copy_text(&mut out);
        out.push('|');
        let at = NaiveDate::from_ymd_opt(2026, 11, 27)
            .unwrap()
            .and_hms_opt(10, 30, 5)
            .unwrap()
            .and_utc();
        Field::Time(Some(at)).write_copy_text(&mut out);
        out.push('|');
        Field::Date(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()).write_copy_text(&mut out);
        assert_eq!(out, "a\\tb\\\\c\\nd|\\N|2026-11-27 10:30:05.000000+00|2026-11-27");
    }

    async fn schema_objects(store: &Store) -> Vec<String> {
        let sql = match store.backend() {
            Backend::Sqlite => format!(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({LOADED_TABLES}) \
                 ORDER BY name"
            ),
            Backend::Postgres => format!(
                "SELECT name FROM (SELECT indexname::text AS name FROM pg_indexes \
                 WHERE tablename IN ({LOADED_TABLES}) UNION ALL SELECT c.conname::text FROM pg_constraint c \
                 JOIN pg_class t ON t.oid = c.conrelid WHERE t.relname IN ({LOADED_TABLES})) AS objects \
                 ORDER BY name"
            ),
        };
        let db = store.connection();
        db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap()
            .iter()
            .map(|row| row.try_get::<String>("", "name").unwrap())
            .collect()
    }

    async fn contacts(store: &Store) -> i64 {
        let db = store.connection();
        db.query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM contacts",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
    }

    #[tokio::test]
    async fn a_failed_load_leaves_nothing_behind_and_a_good_one_restores_the_schema() {
        use crate::test_support::TestDatabase;
        let databases = [Some(TestDatabase::sqlite()), TestDatabase::postgres().await];
        for db in databases.into_iter().flatten() {
            let store = Store::open(&db.url, 2).await.unwrap();
            let schema = schema_objects(&store).await;
            assert!(schema.iter().any(|name| name == "cases_number"), "{schema:?}");
            let batch = Batch {
                contacts: vec![ContactRow {
                    id: ContactId(1),
                    name: "Jan Kowalski".to_owned(),
                    company: Some("Techmet S.A.".to_owned()),
                    email: Some("jan.kowalski@techmet.pl".to_owned()),
                    phone: Some("+48 601 234 567".to_owned()),
                    created_by: None,
                    created_at: Utc::now(),
                }],
                cases: Vec::new(),
                events: Vec::new(),
            };

            let failed = load(&store, vec![Ok(batch.clone()), Err("generator failed")], |_| {}).await;
            assert!(
                matches!(failed, Err(LoadError::Source("generator failed"))),
                "{failed:?}"
            );
            assert_eq!(contacts(&store).await, 0);
            assert_eq!(schema_objects(&store).await, schema);

            let mut calls = 0;
            let done = load(&store, vec![Ok::<_, &str>(batch)], |_| calls += 1)
                .await
                .unwrap();
            assert_eq!((done.contacts, done.cases, calls), (1, 0, 1));
            assert_eq!(contacts(&store).await, 1);
            assert_eq!(schema_objects(&store).await, schema);
            store.close().await.unwrap();
        }
    }

    #[tokio::test]
    async fn loaded_values_are_stored_as_the_store_stores_them() {
        use sea_orm::{ActiveModelTrait, Set};

        use crate::entity::contact;
        use crate::test_support::TestDatabase;
        let db = TestDatabase::sqlite();
        let store = Store::open(&db.url, 2).await.unwrap();
        let whole = NaiveDate::from_ymd_opt(2026, 11, 27)
            .unwrap()
            .and_hms_opt(9, 5, 0)
            .unwrap()
            .and_utc();
        let fractional = whole + chrono::Duration::nanoseconds(123_456_789);
        let mut rows = Vec::new();
        for (id, at) in [(1, whole), (2, fractional)] {
            contact::ActiveModel {
                id: Set(id),
                name: Set("Anna Nowak".to_owned()),
                company: Set(None),
                email: Set(None),
                phone: Set(Some("+48 601 234 567".to_owned())),
                phone_digits: Set(Some("48601234567".to_owned())),
                name_search: Set("anna nowak".to_owned()),
                company_search: Set(None),
                created_by: Set(None),
                created_at: Set(at),
            }
            .insert(store.connection())
            .await
            .unwrap();
            rows.push(ContactRow {
                id: ContactId(id + 10),
                name: "Anna Nowak".to_owned(),
                company: None,
                email: None,
                phone: Some("+48 601 234 567".to_owned()),
                created_by: None,
                created_at: at,
            });
        }
        load(
            &store,
            [Ok::<_, ()>(Batch {
                contacts: rows,
                ..Batch::default()
            })],
            |_| {},
        )
        .await
        .unwrap();
        let db = store.connection();
        let stored: Vec<String> = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT id, name, company, email, phone, phone_digits, name_search, created_by, \
                 created_at, typeof(created_at) AS type FROM contacts ORDER BY id",
            ))
            .await
            .unwrap()
            .iter()
            .map(|row| {
                format!(
                    "{:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {}",
                    row.try_get::<String>("", "name").unwrap(),
                    row.try_get::<Option<String>>("", "company").unwrap(),
                    row.try_get::<Option<String>>("", "email").unwrap(),
                    row.try_get::<Option<String>>("", "phone").unwrap(),
                    row.try_get::<Option<String>>("", "phone_digits").unwrap(),
                    row.try_get::<String>("", "name_search").unwrap(),
                    row.try_get::<Option<i64>>("", "created_by").unwrap(),
                    row.try_get::<String>("", "created_at").unwrap(),
                    row.try_get::<String>("", "type").unwrap(),
                )
            })
            .collect();
        assert_eq!(stored.len(), 4);
        assert_eq!(stored[0], stored[2], "whole seconds");
        assert_eq!(stored[1], stored[3], "fractional seconds");
        assert!(stored[0].contains("2026-11-27T09:05:00+00:00"), "{}", stored[0]);
        store.close().await.unwrap();
    }

    #[test]
    fn inserts_stay_within_the_sqlite_parameter_limit() {
        let mut encoder = Encoder::default();
        let cases = Table::of(case::Entity);
        let width = cases.columns.len();
        let sql = encoder.insert_sql(&cases, SQLITE_MAX_PARAMETERS / width);
        assert_eq!(sql.matches('?').count(), SQLITE_MAX_PARAMETERS / width * width);
        assert!(sql.matches('?').count() <= SQLITE_MAX_PARAMETERS);
        assert!(sql.starts_with("INSERT INTO cases (id, number, campaign_id,"));
        assert!(Arc::ptr_eq(
            &sql,
            &encoder.insert_sql(&cases, SQLITE_MAX_PARAMETERS / width)
        ));
    }
}
