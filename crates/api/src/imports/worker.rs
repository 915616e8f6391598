//! The background worker: claims import jobs on the database and runs them
//! batch by batch. Any node runs one; a job whose node died is taken over
//! when its lease runs out and goes on after its last committed batch.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use chrono::Duration as Span;
use lejek_domain::dto::RunImportRequest;
use lejek_domain::{Actor, ContactMatch, ImportFormat};
use lejek_intake::Table;
use lejek_store::{BatchRow, IMPORT_JOB, ImportBatch, ImportRecord, JobLease, StoreError};
use tokio::sync::{Notify, mpsc};

use super::reading::options_of;
use super::rows::RowRules;
use crate::state::AppState;

/// Rows committed per transaction: small enough that a crash loses little
/// and SQLite's one writer is not held long, big enough to be fast.
pub const BATCH_ROWS: usize = 500;
/// Claims after which a job that keeps failing is given up.
const MAX_ATTEMPTS: i32 = 5;
/// How often an idle worker looks for work nobody woke it for (a job
/// queued on another node, a lease that ran out).
const IDLE_POLL: Duration = Duration::from_secs(1);

/// Why a job stopped before its end.
#[derive(Debug, thiserror::Error)]
enum JobError {
    /// The job cannot succeed: it is marked failed with this reason.
    #[error("{0}")]
    Fatal(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Wakes the worker when this node queued work.
#[derive(Debug, Clone, Default)]
pub struct WorkSignal(Arc<Notify>);

impl WorkSignal {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// A name for this node's worker, unique among the nodes.
pub fn worker_id() -> String {
    use rand::Rng;
    format!("{}-{:08x}", std::process::id(), rand::thread_rng().r#gen::<u32>())
}

/// Works until the task is dropped.
pub async fn run(state: web::Data<AppState>, worker: String) {
    let lease_for = Span::seconds(i64::try_from(state.settings.job_lease_seconds).unwrap_or(30));
    loop {
        match state
            .store
            .claim_job(&[IMPORT_JOB], &worker, AppState::now(), lease_for)
            .await
        {
            Ok(Some(lease)) => {
                tracing::info!(job = lease.job_id, attempt = lease.attempts, "import job claimed");
                if let Err(error) = run_import(&state, &lease, lease_for).await {
                    tracing::warn!(job = lease.job_id, %error, "import job stopped; it resumes later");
                    tokio::time::sleep(IDLE_POLL).await;
                }
            }
            Ok(None) => {
                let _ = tokio::time::timeout(IDLE_POLL, state.work.0.notified()).await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot claim jobs");
                tokio::time::sleep(IDLE_POLL).await;
            }
        }
    }
}

async fn run_import(state: &AppState, lease: &JobLease, lease_for: Span) -> Result<(), StoreError> {
    let import = state.store.import_of_job(lease.job_id).await?;
    match import_rows(state, lease, lease_for, &import).await {
        Ok(()) => {
            state
                .store
                .finish_import(import.id, lease, Ok(()), AppState::now())
                .await?;
            tracing::info!(import = import.id, "import done");
            Ok(())
        }
        Err(JobError::Fatal(why)) => {
            tracing::warn!(import = import.id, %why, "import failed");
            state
                .store
                .finish_import(import.id, lease, Err(&why), AppState::now())
                .await
        }
        Err(JobError::Store(error)) => Err(error),
    }
}

async fn import_rows(
    state: &AppState,
    lease: &JobLease,
    lease_for: Span,
    import: &ImportRecord,
) -> Result<(), JobError> {
    if lease.attempts > MAX_ATTEMPTS {
        return Err(JobError::Fatal(format!(
            "stopped after {MAX_ATTEMPTS} attempts that did not finish"
        )));
    }
    let settings: RunImportRequest = import
        .run_settings
        .as_deref()
        .and_then(|text| serde_json::from_str(text).ok())
        .ok_or_else(|| JobError::Fatal("the import has no run settings".to_owned()))?;
    let creator = state
        .store
        .user(import.created_by)
        .await?
        .filter(|user| user.active)
        .ok_or_else(|| JobError::Fatal("the person who started the import is deactivated".to_owned()))?;
    let match_phone = settings.contact_match == ContactMatch::EmailOrPhone;
    let rules = RowRules::load(state, Actor::new(creator.id, creator.role), settings)
        .await
        .map_err(|error| JobError::Fatal(error.to_string()))?;
    let format: ImportFormat = import
        .format
        .parse()
        .map_err(|_| JobError::Fatal("unknown file format".to_owned()))?;
    let content = state.store.import_content(import.id).await?;
    let options = options_of(&import.reading);
    let resume_after = import.last_row;
    let (sender, mut batches) = mpsc::channel::<Result<(Vec<BatchRow>, u64), String>>(2);
    let deciding_rules = rules.clone();
    // Reading and deciding rows is CPU work: on a blocking thread, one
    // batch ahead of the commits.
    let reader = tokio::task::spawn_blocking(move || {
        let table = match Table::open(&content, format, &options) {
            Ok(table) => table,
            Err(error) => {
                let _ = sender.blocking_send(Err(error.to_string()));
                return;
            }
        };
        let mut batch = Vec::with_capacity(BATCH_ROWS);
        let mut last_row = resume_after;
        for row in table.rows() {
            let (number, cells) = match row {
                Ok(row) => row,
                Err(error) => {
                    let _ = sender.blocking_send(Err(error.to_string()));
                    return;
                }
            };
            last_row = number;
            if number <= resume_after {
                continue;
            }
            batch.push(deciding_rules.decide(number, cells));
            if batch.len() == BATCH_ROWS
                && sender
                    .blocking_send(Ok((std::mem::take(&mut batch), last_row)))
                    .is_err()
            {
                return;
            }
        }
        let _ = sender.blocking_send(Ok((batch, last_row)));
    });
    let column_of = |field: &str| rules.column_of(field);
    while let Some(next) = batches.recv().await {
        let (rows, last_row) = next.map_err(JobError::Fatal)?;
        if rows.is_empty() && last_row <= resume_after {
            continue;
        }
        let batch = ImportBatch {
            import_id: import.id,
            rows,
            last_row,
            actor: creator.id,
            match_phone,
            column_of: &column_of,
        };
        state
            .store
            .commit_import_batch(batch, lease, lease_for, AppState::now())
            .await?;
    }
    reader
        .await
        .map_err(|error| JobError::Fatal(format!("the file reader stopped: {error}")))?;
    Ok(())
}
