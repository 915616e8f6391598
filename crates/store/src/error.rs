//! The persistence layer's one error type.

use lejek_domain::Violations;
use sea_orm::{DbErr, SqlErr};

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
    #[error("database: {0}")]
    Database(DbErr),
}

impl From<DbErr> for StoreError {
    fn from(error: DbErr) -> Self {
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict("unique"),
            _ => StoreError::Database(error),
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
