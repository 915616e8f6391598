//! The jobs queue: work that outlives a request, done by whichever node
//! claims it. A claim is a lease that its node renews while it works and
//! that every step it commits re-checks in the same transaction, so a node
//! that lost its lease (it stalled, another node took the job over) cannot
//! commit a step twice.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, Order, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction, FromQueryResult};

use crate::connect::{Backend, Store};
use crate::entity::job;
use crate::error::{StoreError, StoreResult};

const QUEUED: &str = "queued";
const RUNNING: &str = "running";
const DONE: &str = "done";
const FAILED: &str = "failed";

/// A job this node holds the lease of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobLease {
    pub job_id: i64,
    pub kind: String,
    /// Claims so far, this one included.
    pub attempts: i32,
    /// Who holds it: the node's worker id.
    pub worker: String,
}

/// Queues a job in the transaction that creates its work.
pub(crate) async fn enqueue(
    transaction: &DatabaseTransaction,
    kind: &str,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    #[derive(FromQueryResult)]
    struct Inserted {
        id: i64,
    }
    let insert = Query::insert()
        .into_table(job::Entity)
        .columns([job::Column::Kind, job::Column::State, job::Column::CreatedAt])
        .values_panic([kind.into(), QUEUED.into(), now.into()])
        .returning_col(job::Column::Id)
        .to_owned();
    let statement = transaction.get_database_backend().build(&insert);
    Inserted::find_by_statement(statement)
        .one(transaction)
        .await?
        .map(|row| row.id)
        .ok_or(StoreError::Corrupt("job id"))
}

/// Fails with [`StoreError::LeaseLost`] unless `lease` is still held, and
/// extends it: a step commits only while its node holds the job.
pub(crate) async fn hold(
    transaction: &DatabaseTransaction,
    lease: &JobLease,
    until: DateTime<Utc>,
) -> StoreResult<()> {
    let update = Query::update()
        .table(job::Entity)
        .value(job::Column::LeaseUntil, until)
        .and_where(Expr::col(job::Column::Id).eq(lease.job_id))
        .and_where(Expr::col(job::Column::State).eq(RUNNING))
        .and_where(Expr::col(job::Column::LeaseOwner).eq(lease.worker.as_str()))
        .to_owned();
    let updated = transaction.execute(&update).await?.rows_affected();
    if updated == 1 {
        Ok(())
    } else {
        Err(StoreError::LeaseLost)
    }
}

impl Store {
    /// Claims the oldest job of one of `kinds` that is queued or whose
    /// lease ran out, for `lease_for`. On PostgreSQL nodes skip the rows
    /// another node is claiming (`SKIP LOCKED`) rather than wait on them.
    pub async fn claim_job(
        &self,
        kinds: &[&str],
        worker: &str,
        now: DateTime<Utc>,
        lease_for: Duration,
    ) -> StoreResult<Option<JobLease>> {
        #[derive(FromQueryResult)]
        struct Claimed {
            id: i64,
            kind: String,
            attempts: i32,
        }
        let mut pick = Query::select();
        pick.column(job::Column::Id)
            .from(job::Entity)
            .and_where(Expr::col(job::Column::Kind).is_in(kinds.iter().copied()))
            .and_where(
                Expr::col(job::Column::State)
                    .eq(QUEUED)
                    .or(Expr::col(job::Column::State)
                        .eq(RUNNING)
                        .and(Expr::col(job::Column::LeaseUntil).lt(now))),
            )
            .order_by(job::Column::Id, Order::Asc)
            .limit(1);
        if self.backend() == Backend::Postgres {
            pick.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let claim = Query::update()
            .table(job::Entity)
            .value(job::Column::State, RUNNING)
            .value(job::Column::LeaseOwner, worker)
            .value(job::Column::LeaseUntil, now + lease_for)
            .value(job::Column::Attempts, Expr::col(job::Column::Attempts).add(1))
            .and_where(Expr::col(job::Column::Id).in_subquery(pick))
            .returning(Query::returning().columns([
                job::Column::Id,
                job::Column::Kind,
                job::Column::Attempts,
            ]))
            .to_owned();
        let transaction = self.begin_write().await?;
        let statement = transaction.get_database_backend().build(&claim);
        let claimed = Claimed::find_by_statement(statement).one(&*transaction).await?;
        transaction.commit().await?;
        Ok(claimed.map(|row| JobLease {
            job_id: row.id,
            kind: row.kind,
            attempts: row.attempts,
            worker: worker.to_owned(),
        }))
    }

    /// Extends a held lease; [`StoreError::LeaseLost`] when another node
    /// has the job now.
    pub async fn renew_lease(&self, lease: &JobLease, until: DateTime<Utc>) -> StoreResult<()> {
        let transaction = self.begin_write().await?;
        hold(&transaction, lease, until).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Ends a held job: done, or failed with why.
    pub async fn finish_job(
        &self,
        lease: &JobLease,
        outcome: Result<(), &str>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let transaction = self.begin_write().await?;
        finish(&transaction, lease, outcome, now).await?;
        transaction.commit().await?;
        Ok(())
    }
}

/// Ends a held job in a transaction that commits its last step.
pub(crate) async fn finish(
    transaction: &DatabaseTransaction,
    lease: &JobLease,
    outcome: Result<(), &str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let (state, error) = match outcome {
        Ok(()) => (DONE, None),
        Err(why) => (FAILED, Some(why.to_owned())),
    };
    let update = Query::update()
        .table(job::Entity)
        .value(job::Column::State, state)
        .value(job::Column::Error, error)
        .value(job::Column::LeaseUntil, Option::<DateTime<Utc>>::None)
        .value(job::Column::FinishedAt, now)
        .and_where(Expr::col(job::Column::Id).eq(lease.job_id))
        .and_where(Expr::col(job::Column::State).eq(RUNNING))
        .and_where(Expr::col(job::Column::LeaseOwner).eq(lease.worker.as_str()))
        .to_owned();
    if transaction.execute(&update).await?.rows_affected() == 1 {
        Ok(())
    } else {
        Err(StoreError::LeaseLost)
    }
}
