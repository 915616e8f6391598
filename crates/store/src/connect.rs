//! Opening the database, applying migrations and seeding what every
//! installation needs.

use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use lejek_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection,
    EntityTrait, QueryFilter, Set,
};

use crate::entity::campaign;
use crate::error::{StoreError, StoreResult};

/// Which database engine is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database behind the API: cheap to clone, shared by all workers.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
    backend: Backend,
}

/// How long a request waits for a database connection. With the database
/// down the pool keeps retrying to connect until then, so this bounds how
/// soon a request learns it (503) instead of hanging; with it up, a free
/// connection comes in milliseconds.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(1);

/// The seeded campaigns: the sales funnel and the spam bin.
pub const FUNNEL_CAMPAIGN_NAME: &str = "Lejek sprzedaży";
pub const SPAM_CAMPAIGN_NAME: &str = "SPAM";

impl Store {
    /// Connects to `url` (`sqlite://path` or `postgres://…`), applies the
    /// migrations and seeds the campaigns. A SQLite file's folder is
    /// created when missing; SQLite runs in WAL mode with foreign keys on.
    pub async fn open(url: &str, max_connections: u32) -> StoreResult<Store> {
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        };
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
            });
        let db = Database::connect(options).await?;
        let store = Store { db, backend };
        store.migrate_and_seed().await?;
        Ok(store)
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    /// A transaction that writes. On SQLite it takes the write lock at
    /// once (`BEGIN IMMEDIATE`), waiting its turn: a deferred transaction
    /// that reads before it writes fails at once with `SQLITE_BUSY_SNAPSHOT`
    /// when another connection commits in between. PostgreSQL ignores it.
    pub(crate) async fn begin_write(&self) -> StoreResult<sea_orm::DatabaseTransaction> {
        use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        Ok(self.db.begin_with_options(options).await?)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers (readiness).
    pub async fn ping(&self) -> bool {
        self.db.ping().await.is_ok()
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
                sea_orm::sqlx::query("SELECT pg_advisory_lock($1)")
                    .bind(MIGRATION_LOCK)
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
            let _ = sea_orm::sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(MIGRATION_LOCK)
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
