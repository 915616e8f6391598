//! Opening the database, applying migrations and seeding what every
//! installation needs.

use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use lejek_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectOptions, Database, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};

use crate::entity::campaign;
use crate::error::StoreResult;

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
            .acquire_timeout(Duration::from_secs(10))
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
        Migrator::up(&db, None).await?;
        let store = Store { db, backend };
        store.seed_campaigns().await?;
        Ok(store)
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
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
