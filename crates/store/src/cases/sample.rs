//! The statistics query plans are chosen by: a systematic sample of the
//! cases and of the contacts (every k-th row by id, about five thousand
//! each) in tables with the same columns, made from the entities. Any
//! condition the store puts on a row runs on its sample too, so a filter's
//! selectivity is measured rather than guessed from per-column statistics:
//! correlations between columns (unassigned cases are rarely offered) and
//! substrings of text are counted as they are.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU8, Ordering};

use chrono::Utc;
use sea_orm::sea_query::{Alias, Condition, Expr, ExprTrait, Func, OnConflict, Query, Table};
use sea_orm::{ConnectionTrait, EntityTrait, FromQueryResult, Iterable, PrimaryKeyToColumn, Schema};

use crate::connect::Store;
use crate::entity::{case, contact, counter};
use crate::error::{StoreError, StoreResult};

/// About this many rows go into a sample.
const SAMPLE_ROWS: i64 = 5_000;
/// A sample is made again when its table grew this much…
const STALE_GROWTH: f64 = 0.1;
/// …or when it is this old (seconds), since statuses and owners change.
const STALE_AGE_SECONDS: i64 = 6 * 3600;

/// A sampled table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sampled {
    Cases,
    Contacts,
}

impl Sampled {
    /// The sample's table.
    pub fn table(self) -> &'static str {
        match self {
            Sampled::Cases => "case_sample",
            Sampled::Contacts => "contact_sample",
        }
    }

    fn counter(self, what: &str) -> String {
        format!("{}_{what}", self.table())
    }
}

/// Shared by every clone of a store: each sample's stride, 0 when there is
/// no sample, and a plan forced by a test.
#[derive(Debug, Clone, Default)]
pub struct SampleState {
    cases: Arc<AtomicI64>,
    contacts: Arc<AtomicI64>,
    forced: Arc<AtomicU8>,
}

/// A query plan a test can force, to check that every plan answers the
/// same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForcedPlan {
    /// Read rows in sort order, keeping the matches.
    Walk,
    /// Find the matches through the filters' indexes, then sort them;
    /// counts read their range in two halves wherever they can.
    FilterFirst,
    /// As `FilterFirst`, starting from the trigram indexes' candidates.
    FilterFirstFromTrigrams,
}

impl SampleState {
    fn stride(&self, sampled: Sampled) -> &AtomicI64 {
        match sampled {
            Sampled::Cases => &self.cases,
            Sampled::Contacts => &self.contacts,
        }
    }
}

#[derive(FromQueryResult)]
struct MaxId {
    max_id: Option<i64>,
}

impl Store {
    /// Makes every list and count use `plan` (`None`: choose per request).
    /// For tests: the answers must not depend on the plan.
    pub fn force_plan(&self, plan: Option<ForcedPlan>) {
        let code = match plan {
            None => 0,
            Some(ForcedPlan::Walk) => 1,
            Some(ForcedPlan::FilterFirst) => 2,
            Some(ForcedPlan::FilterFirstFromTrigrams) => 3,
        };
        self.sample.forced.store(code, Ordering::Relaxed);
    }

    pub(crate) fn forced_plan(&self) -> Option<ForcedPlan> {
        match self.sample.forced.load(Ordering::Relaxed) {
            1 => Some(ForcedPlan::Walk),
            2 => Some(ForcedPlan::FilterFirst),
            3 => Some(ForcedPlan::FilterFirstFromTrigrams),
            _ => None,
        }
    }

    /// Reads the strides of the samples made by any node.
    pub(crate) async fn load_sample_state(&self) -> StoreResult<()> {
        for sampled in [Sampled::Cases, Sampled::Contacts] {
            let stride = self.counter(&sampled.counter("stride")).await?.unwrap_or(0);
            self.sample.stride(sampled).store(stride, Ordering::Relaxed);
        }
        Ok(())
    }

    async fn counter(&self, name: &str) -> StoreResult<Option<i64>> {
        Ok(counter::Entity::find_by_id(name.to_owned())
            .one(self.connection())
            .await?
            .map(|row| row.value))
    }

    /// Every how many rows of its table the sample holds one; `None`
    /// without a sample.
    pub(crate) fn sample_stride(&self, sampled: Sampled) -> Option<i64> {
        let stride = self.sample.stride(sampled).load(Ordering::Relaxed);
        (stride > 0).then_some(stride)
    }

    /// How many rows of the sampled table hold `condition`, from the sample
    /// rows (named `alias`) that do; `None` without a sample.
    pub(crate) async fn sampled_rows(
        &self,
        sampled: Sampled,
        alias: &'static str,
        condition: Condition,
    ) -> Option<f64> {
        let stride = self.sample_stride(sampled)?;
        let query = Query::select()
            .expr_as(Func::count(Expr::val(1)), Alias::new("n"))
            .from_as(Alias::new(sampled.table()), alias)
            .cond_where(condition)
            .to_owned();
        let backend = self.connection().get_database_backend();
        let rows = self
            .connection()
            .query_one_raw(backend.build(&query))
            .await
            .ok()
            .flatten()?
            .try_get::<i64>("", "n")
            .ok()?;
        Some(rows as f64 * stride as f64)
    }

    /// How many rows of `domain` match `condition`, measured on the sample
    /// whose rows go by `alias`; `None` without a sample.
    pub(crate) async fn estimate(
        &self,
        sampled: Sampled,
        alias: &'static str,
        domain: Condition,
        condition: Condition,
    ) -> Option<f64> {
        self.estimates(sampled, alias, domain, vec![condition])
            .await
            .and_then(|counts| counts.first().copied())
    }

    /// For each condition, how many rows of `domain` match it, from one
    /// pass over the sample; `None` without a sample.
    pub(crate) async fn estimates(
        &self,
        sampled: Sampled,
        alias: &'static str,
        domain: Condition,
        conditions: Vec<Condition>,
    ) -> Option<Vec<f64>> {
        let stride = self.sample_stride(sampled)?;
        let mut query = Query::select();
        let count = conditions.len();
        for (index, condition) in conditions.into_iter().enumerate() {
            query.expr_as(
                Func::cast_as(
                    Func::sum(Expr::case(condition, 1).finally(0)),
                    Alias::new("BIGINT"),
                ),
                Alias::new(format!("m{index}")),
            );
        }
        query
            .from_as(Alias::new(sampled.table()), alias)
            .cond_where(domain);
        let statement = self.connection().get_database_backend().build(&query);
        // A missing or changing sample only costs a plan, never the query.
        let row = self.connection().query_one_raw(statement).await.ok().flatten()?;
        (0..count)
            .map(|index| {
                let matches: Option<i64> = row.try_get("", &format!("m{index}")).ok()?;
                Some(matches.unwrap_or(0) as f64 * stride as f64)
            })
            .collect()
    }

    /// Makes each sample again when it is missing, old, or its table grew
    /// since; cheap when they are current. Returns whether any was made.
    pub async fn refresh_statistics_if_stale(&self) -> StoreResult<bool> {
        let mut made = false;
        for sampled in [Sampled::Cases, Sampled::Contacts] {
            let rows = self.max_id(sampled).await?;
            let made_rows = self.counter(&sampled.counter("rows")).await?;
            let made_at = self.counter(&sampled.counter("made_at")).await?.unwrap_or(0);
            let stale = match made_rows {
                None => true,
                Some(made_rows) => {
                    let growth = (rows - made_rows).abs() as f64 / Ord::max(made_rows, 1) as f64;
                    growth > STALE_GROWTH || Utc::now().timestamp() - made_at > STALE_AGE_SECONDS
                }
            };
            if stale {
                self.make_sample(sampled).await?;
                made = true;
            }
        }
        self.load_sample_state().await?;
        Ok(made)
    }

    /// Makes both samples anew.
    pub async fn refresh_statistics(&self) -> StoreResult<()> {
        self.make_sample(Sampled::Cases).await?;
        self.make_sample(Sampled::Contacts).await
    }

    /// The highest id of the sampled table: ids are never reused, so it
    /// tells how many rows were ever added.
    async fn max_id(&self, sampled: Sampled) -> StoreResult<i64> {
        let query = match sampled {
            Sampled::Cases => Query::select()
                .expr_as(Func::max(Expr::col(case::Column::Id)), Alias::new("max_id"))
                .from(case::Entity)
                .to_owned(),
            Sampled::Contacts => Query::select()
                .expr_as(Func::max(Expr::col(contact::Column::Id)), Alias::new("max_id"))
                .from(contact::Entity)
                .to_owned(),
        };
        let statement = self.connection().get_database_backend().build(&query);
        Ok(MaxId::find_by_statement(statement)
            .one(self.connection())
            .await?
            .and_then(|row| row.max_id)
            .unwrap_or(0))
    }

    /// Makes one sample anew, in one transaction: readers see the old
    /// sample or the new one.
    async fn make_sample(&self, sampled: Sampled) -> StoreResult<()> {
        let rows = self.max_id(sampled).await?;
        let stride = Ord::max(rows / SAMPLE_ROWS, 1);
        let transaction = self.begin_write().await?;
        if self.backend() == crate::Backend::Postgres {
            // Nodes starting together take turns: two cannot both create
            // the table. The first key names the lock space: "Lejk".
            let turn = Query::select()
                .expr(
                    Func::cust("pg_advisory_xact_lock")
                        .args([Expr::val(1_281_714_795), Expr::val(sampled as i32 + 1)]),
                )
                .to_owned();
            transaction.execute(&turn).await?;
        }
        match sampled {
            Sampled::Cases => copy_every(&transaction, case::Entity, sampled.table(), stride).await?,
            Sampled::Contacts => copy_every(&transaction, contact::Entity, sampled.table(), stride).await?,
        }
        for (what, value) in [
            ("stride", stride),
            ("rows", rows),
            ("made_at", Utc::now().timestamp()),
        ] {
            let upsert = Query::insert()
                .into_table(counter::Entity)
                .columns([counter::Column::Name, counter::Column::Value])
                .values_panic([sampled.counter(what).into(), value.into()])
                .on_conflict(
                    OnConflict::column(counter::Column::Name)
                        .update_column(counter::Column::Value)
                        .to_owned(),
                )
                .to_owned();
            transaction.execute(&upsert).await?;
        }
        transaction.commit().await?;
        self.sample.stride(sampled).store(stride, Ordering::Relaxed);
        tracing::info!(table = sampled.table(), rows, stride, "statistics sample made");
        Ok(())
    }
}

/// Replaces `table` with a copy of every `stride`-th row of `entity`'s
/// table by id, with the entity's columns.
async fn copy_every<C, E>(transaction: &C, entity: E, table: &'static str, stride: i64) -> StoreResult<()>
where
    C: ConnectionTrait,
    E: EntityTrait,
{
    let backend = transaction.get_database_backend();
    transaction
        .execute(&Table::drop().table(Alias::new(table)).if_exists().to_owned())
        .await?;
    let mut create = Schema::new(backend).create_table_from_entity(entity);
    create.table(Alias::new(table));
    transaction.execute(&create).await?;
    let id = E::PrimaryKey::iter()
        .next()
        .map(|key| key.into_column())
        .ok_or(StoreError::Corrupt("sampled table without a key"))?;
    let copy = Query::select()
        .columns(E::Column::iter())
        .from(entity)
        .and_where(Expr::col(id).modulo(stride).eq(0))
        .to_owned();
    let insert = Query::insert()
        .into_table(Alias::new(table))
        .columns(E::Column::iter())
        .select_from(copy)
        .map_err(|_| StoreError::Corrupt("sample columns"))?
        .to_owned();
    transaction.execute(&insert).await?;
    Ok(())
}
