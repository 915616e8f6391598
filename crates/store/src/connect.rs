//! Opening the database, applying migrations and seeding what every
//! installation needs.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use chrono::Utc;
use lejek_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection,
    DatabaseTransaction, DbBackend, DbErr, EntityTrait, ExecResult, FromQueryResult, QueryFilter,
    QueryResult, Set, Statement, TransactionTrait,
};
use tokio::sync::OwnedMutexGuard;

use crate::cases::SampleState;
use crate::entity::campaign;
use crate::error::{StoreError, StoreResult};

/// Which database engine is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The engine a database URL names: PostgreSQL for `postgres://` and
    /// `postgresql://`, SQLite otherwise.
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// The database behind the API: cheap to clone, shared by all workers.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
    backend: Backend,
    pub(crate) sample: SampleState,
    /// SQLite writes one transaction at a time: writers queue here, in
    /// order, rather than in SQLite's busy handler, which sleeps and
    /// retries and so lets an unlucky writer wait far longer than its turn.
    writer: Arc<tokio::sync::Mutex<()>>,
    /// How many writers wait for their turn on `writer` right now.
    writers_waiting: Arc<AtomicUsize>,
    max_connections: u32,
}

/// How the store's connections are used, for monitoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    /// The pool's ceiling (`db_max_connections`).
    pub max_connections: u32,
    /// Connections open now, busy or idle.
    pub open: u32,
    /// Open connections no request holds.
    pub idle: u32,
    /// SQLite writers queued for their turn to write (0 on PostgreSQL,
    /// where writers wait on row locks instead).
    pub writers_waiting: usize,
    /// Requests since the process started that found no free connection
    /// within the acquire timeout (each answered 503).
    pub acquire_timeouts: u64,
}

/// A write transaction and, on SQLite, this process's turn to write; the
/// turn ends when this is dropped, after the commit.
pub(crate) struct WriteTransaction {
    pub transaction: DatabaseTransaction,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl std::ops::Deref for WriteTransaction {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        &self.transaction
    }
}

impl WriteTransaction {
    pub async fn commit(self) -> Result<(), sea_orm::DbErr> {
        self.transaction.commit().await
    }
}

#[sea_orm::prelude::async_trait::async_trait]
impl ConnectionTrait for WriteTransaction {
    fn get_database_backend(&self) -> DbBackend {
        self.transaction.get_database_backend()
    }

    async fn execute_raw(&self, statement: Statement) -> Result<ExecResult, DbErr> {
        self.transaction.execute_raw(statement).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.transaction.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.transaction.query_one_raw(statement).await
    }

    async fn query_all_raw(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.transaction.query_all_raw(statement).await
    }
}

/// How long a request waits for a database connection. With the database
/// down the pool keeps retrying to connect until then, so this bounds how
/// soon a request learns it (503) instead of hanging; with it up, a free
/// connection comes in milliseconds.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(1);

/// Why `lejek backup` does not copy a PostgreSQL database.
pub const POSTGRES_BACKUP: &str =
    "lejek backup copies a SQLite database; back PostgreSQL up with pg_dump (see the README)";

/// How much of a SQLite file is read through a memory map (the bundled
/// SQLite's ceiling is just under 2 GiB, and it maps no more than that).
const SQLITE_MMAP_BYTES: u64 = 2 << 30;
/// Each SQLite connection's page cache.
const SQLITE_CACHE_KIB: u32 = 64 << 10;

/// The seeded campaigns: the sales funnel and the spam bin.
pub const FUNNEL_CAMPAIGN_NAME: &str = "Lejek sprzedaży";
pub const SPAM_CAMPAIGN_NAME: &str = "SPAM";

/// A row of a query that selects only `id`.
#[derive(FromQueryResult)]
pub(crate) struct IdRow {
    pub id: i64,
}

async fn read_ids<C: ConnectionTrait>(connection: &C, statement: Statement) -> StoreResult<Vec<i64>> {
    Ok(IdRow::find_by_statement(statement)
        .all(connection)
        .await?
        .into_iter()
        .map(|row| row.id)
        .collect())
}

impl Store {
    /// The ids `statement` selects, in its order.
    pub(crate) async fn ids(&self, statement: Statement) -> StoreResult<Vec<i64>> {
        read_ids(self.connection(), statement).await
    }

    /// The ids a walk in index order selects, read by one process: on
    /// PostgreSQL each parallel worker reads its own stretch of the index
    /// before their merge can stop at the page's last match, which
    /// multiplies a walk's work (`search?q=-Gum`: 100 → 24 ms alone).
    pub(crate) async fn walked_ids(&self, statement: Statement) -> StoreResult<Vec<i64>> {
        if self.backend() != Backend::Postgres {
            return self.ids(statement).await;
        }
        let transaction = self.connection().begin().await?;
        transaction
            .execute_unprepared("SET LOCAL max_parallel_workers_per_gather = 0")
            .await?;
        let ids = read_ids(&transaction, statement).await?;
        transaction.commit().await?;
        Ok(ids)
    }

    /// Connects to `url` (`sqlite://path` or `postgres://…`), applies the
    /// migrations and seeds the campaigns. A SQLite file's folder is
    /// created when missing; SQLite runs in WAL mode with foreign keys on.
    pub async fn open(url: &str, max_connections: u32) -> StoreResult<Store> {
        let backend = Backend::of_url(url);
        if backend == Backend::Sqlite {
            create_sqlite_folder(url);
        }
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .max_connections(max_connections)
            .min_connections(1)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(|sqlite| {
                sqlite
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    // Pages are read straight from the mapped file rather
                    // than copied in through a system call each, and each
                    // connection keeps more of them: the pipeline's reads
                    // touch tens of thousands of pages at a million cases
                    // (measured there: random lists' p95 ~165 → ~117 ms,
                    // contact look-ups' ~136 → ~76 ms).
                    .pragma("mmap_size", SQLITE_MMAP_BYTES.to_string())
                    .pragma("cache_size", format!("-{SQLITE_CACHE_KIB}"))
            })
            // Compiling a query to machine code (JIT) pays off for long
            // analytical scans, not for these short reads, some of which
            // the planner still costs above its threshold (an agent's
            // contact look-up spent 35 ms of its 530 compiling).
            .map_sqlx_postgres_opts(|postgres| postgres.options([("jit", "off")]));
        let db = Database::connect(options).await?;
        let store = Store {
            db,
            backend,
            sample: SampleState::default(),
            writer: Arc::new(tokio::sync::Mutex::new(())),
            writers_waiting: Arc::new(AtomicUsize::new(0)),
            max_connections,
        };
        store.migrate_and_seed().await?;
        store.refresh_statistics_if_stale().await?;
        Ok(store)
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    /// A transaction that writes. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`), waiting its turn: a deferred transaction
    /// that reads before it writes fails at once with `SQLITE_BUSY_SNAPSHOT`
    /// when another connection commits in between. PostgreSQL ignores it.
    pub(crate) async fn begin_write(&self) -> StoreResult<WriteTransaction> {
        use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
        let turn = match self.backend {
            Backend::Sqlite => {
                self.writers_waiting.fetch_add(1, Ordering::Relaxed);
                let turn = Arc::clone(&self.writer).lock_owned().await;
                self.writers_waiting.fetch_sub(1, Ordering::Relaxed);
                Some(turn)
            }
            Backend::Postgres => None,
        };
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        Ok(WriteTransaction {
            transaction: self.db.begin_with_options(options).await?,
            _turn: turn,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers (readiness).
    pub async fn ping(&self) -> bool {
        self.db.ping().await.is_ok()
    }

    /// How the connections are used right now.
    pub fn pool_stats(&self) -> PoolStats {
        let (open, idle) = match self.backend {
            Backend::Sqlite => {
                let pool = self.db.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle())
            }
            Backend::Postgres => {
                let pool = self.db.get_postgres_connection_pool();
                (pool.size(), pool.num_idle())
            }
        };
        PoolStats {
            max_connections: self.max_connections,
            open,
            idle: u32::try_from(idle).unwrap_or(u32::MAX),
            writers_waiting: self.writers_waiting.load(Ordering::Relaxed),
            acquire_timeouts: crate::error::acquire_timeouts(),
        }
    }

    /// Writes a consistent copy of a SQLite database to `target` while it
    /// keeps serving (`VACUUM INTO`: one read transaction, so the copy is
    /// the database as of one commit, compacted). Written beside `target`
    /// first and renamed into place, so an interrupted backup never leaves
    /// a file that looks whole. Refuses an existing `target`.
    pub async fn backup_sqlite(&self, target: &Path) -> StoreResult<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Unsupported(POSTGRES_BACKUP));
        }
        if target.exists() {
            return Err(StoreError::Unsupported(
                "the backup file exists already; choose a new path",
            ));
        }
        let mut partial = target.as_os_str().to_owned();
        partial.push(".partial");
        let partial = std::path::PathBuf::from(partial);
        let _ = std::fs::remove_file(&partial);
        let statement = Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "VACUUM INTO ?",
            [partial.to_string_lossy().into_owned().into()],
        );
        self.db.execute_raw(statement).await?;
        std::fs::File::open(&partial)
            .and_then(|file| file.sync_all())
            .and_then(|()| std::fs::rename(&partial, target))
            .map_err(StoreError::Io)?;
        Ok(())
    }

    pub async fn close(self) -> StoreResult<()> {
        self.db.close().await?;
        Ok(())
    }

    /// Applies migrations and seeds, one API node at a time: on PostgreSQL
    /// a session advisory lock, held on a connection of its own, keeps
    /// nodes starting together from racing each other.
    async fn migrate_and_seed(&self) -> StoreResult<()> {
        const MIGRATION_LOCK: i64 = 0x4c_656a_656b; // "Lejek"
        let lock = match self.backend {
            Backend::Postgres => {
                let mut connection = self
                    .db
                    .get_postgres_connection_pool()
                    .acquire()
                    .await
                    .map_err(StoreError::from)?;
                sea_orm::sqlx::query(sea_orm::sqlx::AssertSqlSafe(advisory(
                    "pg_advisory_lock",
                    MIGRATION_LOCK,
                )))
                .execute(&mut *connection)
                .await
                .map_err(StoreError::from)?;
                Some(connection)
            }
            Backend::Sqlite => None,
        };
        let result = async {
            Migrator::up(&self.db, None).await?;
            if self.backend == Backend::Sqlite {
                // Gathers planner statistics where they are missing (a new
                // index, a bulk load); cheap when they are current.
                self.db.execute_unprepared("PRAGMA optimize=0x10002").await?;
            }
            self.seed_campaigns().await
        }
        .await;
        if let Some(mut connection) = lock {
            let _ = sea_orm::sqlx::query(sea_orm::sqlx::AssertSqlSafe(advisory(
                "pg_advisory_unlock",
                MIGRATION_LOCK,
            )))
            .execute(&mut *connection)
            .await;
        }
        result
    }

    async fn seed_campaigns(&self) -> StoreResult<()> {
        for (name, kind) in [(FUNNEL_CAMPAIGN_NAME, "funnel"), (SPAM_CAMPAIGN_NAME, "spam")] {
            let exists = campaign::Entity::find()
                .filter(campaign::Column::Kind.eq(kind))
                .one(&self.db)
                .await?
                .is_some();
            if !exists {
                campaign::ActiveModel {
                    name: Set(name.to_owned()),
                    kind: Set(kind.to_owned()),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(&self.db)
                .await?;
            }
        }
        Ok(())
    }
}

/// `SELECT <function>(<key>)` for a session advisory lock, run on a
/// connection of its own.
fn advisory(function: &str, key: i64) -> String {
    use sea_orm::sea_query::{Func, PostgresQueryBuilder, Query};
    Query::select()
        .expr(Func::cust(function.to_owned()).arg(key))
        .to_string(PostgresQueryBuilder)
}

/// `sqlite://data/lejek.db?mode=rwc` → creates `data/`.
fn create_sqlite_folder(url: &str) {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return;
    }
    if let Some(folder) = Path::new(path)
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        let _ = std::fs::create_dir_all(folder);
    }
}
