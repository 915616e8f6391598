//! Fresh databases for tests: a new SQLite file, or a new PostgreSQL
//! database on the server named by `LEJEK_TEST_POSTGRES_URL`.

use std::path::PathBuf;

use sea_orm::{ConnectionTrait, Database};

/// The environment variable `.ci/run` sets to the PostgreSQL server's URL.
pub const POSTGRES_URL_VAR: &str = "LEJEK_TEST_POSTGRES_URL";

/// A database made for one test run; dropped when the value is dropped
/// (PostgreSQL) or left in the temp folder (SQLite).
#[derive(Debug)]
pub struct TestDatabase {
    pub url: String,
    postgres_admin: Option<(String, String)>,
    sqlite_file: Option<PathBuf>,
}

fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

impl TestDatabase {
    /// A new, empty SQLite file in the temp folder.
    pub fn sqlite() -> TestDatabase {
        let file = std::env::temp_dir().join(format!("lejek_test_{}.db", unique_suffix()));
        TestDatabase {
            url: format!("sqlite://{}?mode=rwc", file.display()),
            postgres_admin: None,
            sqlite_file: Some(file),
        }
    }

    /// A new, empty PostgreSQL database, or `None` when the variable is unset.
    pub async fn postgres() -> Option<TestDatabase> {
        let admin_url = std::env::var(POSTGRES_URL_VAR)
            .ok()
            .filter(|url| !url.is_empty())?;
        let name = format!("lejek_test_{}", unique_suffix());
        let admin = Database::connect(admin_url.clone())
            .await
            .unwrap_or_else(|error| panic!("cannot reach PostgreSQL at {admin_url}: {error}"));
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap_or_else(|error| panic!("cannot create database {name}: {error}"));
        let _ = admin.close().await;
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(base, _)| base);
        Some(TestDatabase {
            url: format!("{base}/{name}"),
            postgres_admin: Some((admin_url, name)),
            sqlite_file: None,
        })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some(file) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
        if let Some((admin_url, name)) = self.postgres_admin.take() {
            // Dropping needs a runtime; a plain thread with its own one works
            // whether or not the test is inside a runtime.
            let _ = std::thread::spawn(move || {
                let Ok(runtime) = tokio_runtime() else { return };
                runtime.block_on(async move {
                    if let Ok(admin) = Database::connect(admin_url).await {
                        let _ = admin
                            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

fn tokio_runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build()
}
