//! The persistence layer's one error type.

use lejek_domain::Violations;
use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::sqlx;
use sea_orm::{DbErr, RuntimeErr, SqlErr};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// The row changed since the caller read it (optimistic concurrency).
    #[error("version mismatch")]
    VersionMismatch,
    /// A unique value is already taken; names what.
    #[error("conflict on {0}")]
    Conflict(&'static str),
    /// Input that refers to something that does not exist or may not be used.
    #[error(transparent)]
    Invalid(#[from] Violations),
    /// A stored value the code cannot read.
    #[error("corrupt stored {0}")]
    Corrupt(&'static str),
    /// The database cannot be reached or is shutting down: nothing was
    /// decided, and the same request may succeed later.
    #[error("database unavailable: {0}")]
    Unavailable(DbErr),
    #[error("database: {0}")]
    Database(DbErr),
    /// Not something this database or this state allows.
    #[error("{0}")]
    Unsupported(&'static str),
    #[error("file: {0}")]
    Io(std::io::Error),
    /// A job's lease ran out and another node holds the job now: this
    /// node's step was not committed.
    #[error("the job's lease was lost")]
    LeaseLost,
}

/// Requests that found no free connection in time, since the process started.
static ACQUIRE_TIMEOUTS: AtomicU64 = AtomicU64::new(0);

pub(crate) fn acquire_timeouts() -> u64 {
    ACQUIRE_TIMEOUTS.load(Ordering::Relaxed)
}

fn acquire_timed_out(error: &DbErr) -> bool {
    match error {
        DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout) => true,
        DbErr::Conn(RuntimeErr::SqlxError(error))
        | DbErr::Exec(RuntimeErr::SqlxError(error))
        | DbErr::Query(RuntimeErr::SqlxError(error)) => matches!(**error, sqlx::Error::PoolTimedOut),
        _ => false,
    }
}

impl From<DbErr> for StoreError {
    fn from(error: DbErr) -> Self {
        if unreachable(&error) {
            if acquire_timed_out(&error) {
                ACQUIRE_TIMEOUTS.fetch_add(1, Ordering::Relaxed);
            }
            return StoreError::Unavailable(error);
        }
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict("unique"),
            _ => StoreError::Database(error),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        StoreError::from(DbErr::Conn(RuntimeErr::SqlxError(error.into())))
    }
}

/// Whether `error` says the database is out of reach rather than that the
/// statement was wrong: no connection within the pool's acquire timeout,
/// a connection that broke, or the server refusing work while it starts or
/// stops.
fn unreachable(error: &DbErr) -> bool {
    match error {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(error))
        | DbErr::Exec(RuntimeErr::SqlxError(error))
        | DbErr::Query(RuntimeErr::SqlxError(error)) => sqlx_unreachable(error),
        DbErr::Conn(_) => true,
        _ => false,
    }
}

fn sqlx_unreachable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        // PostgreSQL's class 08 (connection exception), 57P01–57P03 (shut
        // down by an administrator or a crash, cannot connect now) and
        // 53300 (too many connections).
        sqlx::Error::Database(error) => error.code().is_some_and(|code| {
            code.starts_with("08") || ["57P01", "57P02", "57P03", "53300"].contains(&code.as_ref())
        }),
        _ => false,
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

#[cfg(test)]
mod tests {
    use std::io;

    use sea_orm::ConnAcquireErr;

    use super::*;

    fn sqlx_error(error: sqlx::Error) -> RuntimeErr {
        RuntimeErr::SqlxError(error.into())
    }

    #[test]
    fn a_pool_timeout_or_a_broken_connection_is_unavailable() {
        for error in [
            DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
            DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
            DbErr::Conn(sqlx_error(sqlx::Error::PoolTimedOut)),
            DbErr::Query(sqlx_error(sqlx::Error::Io(io::ErrorKind::ConnectionReset.into()))),
            DbErr::Exec(sqlx_error(sqlx::Error::Io(io::ErrorKind::UnexpectedEof.into()))),
            DbErr::Conn(RuntimeErr::Internal("connection closed".to_owned())),
        ] {
            let shown = error.to_string();
            assert!(
                matches!(StoreError::from(error), StoreError::Unavailable(_)),
                "{shown}"
            );
        }
    }

    #[test]
    fn a_statement_the_database_refused_is_not_unavailable() {
        for error in [
            DbErr::Query(sqlx_error(sqlx::Error::RowNotFound)),
            DbErr::Query(sqlx_error(sqlx::Error::Protocol("unexpected message".to_owned()))),
            DbErr::Exec(RuntimeErr::Internal("syntax error".to_owned())),
            DbErr::RecordNotUpdated,
        ] {
            let shown = error.to_string();
            assert!(
                matches!(StoreError::from(error), StoreError::Database(_)),
                "{shown}"
            );
        }
    }
}
