//! The funnel's figures (`analytics.md`) as aggregate SQL over the cases in
//! a filter, their stays and their history: the database counts, sums and
//! ranks; the domain assembles the reports from what it returns.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use lejek_domain::analytics::{
    ActualTally, DurationStats, DurationsReport, ForecastFrame, ForecastReport, FunnelReport, GroupBy,
    MoneySums, MonthKey, OutcomeGroup, OutcomeKey, Period, PlannedTally, ResignationsReport, Step,
    StepProbabilities, WorkCounts, stale_before,
};
use lejek_domain::{ChangeKind, Currency, QualifierId, Source, Stage, Status, UserId};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, Query, SelectStatement};
use sea_orm::{ConnectionTrait, FromQueryResult, Statement};

use super::filter::{C, CaseFilter, Drivers, col};
use super::stays::seconds_since;
use crate::codes::{StoredCode, stage_code, status_code};
use crate::connect::Store;
use crate::entity::{case, case_event, case_stay};
use crate::error::{StoreError, StoreResult};

const S: &str = "s";
const E: &str = "e";

/// `SELECT … FROM cases c WHERE <filter>`, without columns.
fn cases_in(filter: &CaseFilter<'_>) -> SelectStatement {
    Query::select()
        .from_as(case::Entity, C)
        .cond_where(filter.row_condition(&Drivers::Any))
        .to_owned()
}

/// `SUM(<expr>)` as a 64-bit integer on both databases (PostgreSQL sums
/// BIGINTs to NUMERIC).
pub(super) fn total(expr: impl Into<Expr>) -> Expr {
    Func::cast_as(Func::sum(expr.into()), Alias::new("BIGINT")).into()
}

/// Money sums may pass the 64-bit range (a million deals near the largest
/// amount): each is summed as its parts above and below 10^8 minor units,
/// `<alias>_high` and `<alias>_low`, joined again by [`joined`].
const MONEY_SPLIT: i64 = 100_000_000;

fn sum_money(query: &mut SelectStatement, minor_units: Expr, alias: &str) {
    query
        .expr_as(
            total(minor_units.clone().div(MONEY_SPLIT)),
            format!("{alias}_high"),
        )
        .expr_as(total(minor_units.modulo(MONEY_SPLIT)), format!("{alias}_low"));
}

fn joined(high: Option<i64>, low: Option<i64>) -> Option<i128> {
    match (high, low) {
        (Some(high), Some(low)) => Some(i128::from(high) * i128::from(MONEY_SPLIT) + i128::from(low)),
        _ => None,
    }
}

fn within(column: Expr, period: &Period) -> Expr {
    column.clone().gte(period.start).and(column.lt(period.end))
}

fn codes<T: StoredCode + Copy>(values: impl IntoIterator<Item = T>) -> Vec<i16> {
    values.into_iter().map(StoredCode::stored).collect()
}

fn open_statuses() -> Vec<i16> {
    codes(Status::ALL.iter().copied().filter(|status| status.is_open()))
}

fn currency(code: &str) -> StoreResult<Currency> {
    Currency::parse(code).map_err(|_| StoreError::Corrupt("currency"))
}

fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// A place's stays are grouped under `status * 10 + stage` (0: the status's own).
fn place_key(status: Status, stage: Option<Stage>) -> i64 {
    i64::from(status_code(status)) * 10 + i64::from(stage.map_or(0, stage_code))
}

impl Store {
    pub(super) async fn rows<T: FromQueryResult>(&self, query: &SelectStatement) -> StoreResult<Vec<T>> {
        let statement = self.connection().get_database_backend().build(query);
        Ok(T::find_by_statement(statement).all(self.connection()).await?)
    }

    /// The one value a query selects as `column`, if it finds a row.
    pub(super) async fn one_i64(&self, query: &SelectStatement, column: &str) -> StoreResult<Option<i64>> {
        let statement = self.connection().get_database_backend().build(query);
        Ok(match self.connection().query_one_raw(statement).await? {
            Some(row) => row.try_get::<Option<i64>>("", column)?,
            None => None,
        })
    }

    /// The one instant a query selects as `column`, if it finds a row.
    pub(super) async fn one_time(
        &self,
        query: &SelectStatement,
        column: &str,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        let statement = self.connection().get_database_backend().build(query);
        Ok(match self.connection().query_one_raw(statement).await? {
            Some(row) => row.try_get::<Option<DateTime<Utc>>>("", column)?,
            None => None,
        })
    }

    /// Count, median, p75 and mean of `values` (columns `grp`, `secs`) per
    /// `grp`: nearest-rank quantiles by each value's rank in its group.
    async fn duration_stats(
        &self,
        values: &SelectStatement,
    ) -> StoreResult<BTreeMap<Option<i64>, DurationStats>> {
        #[derive(FromQueryResult)]
        struct Row {
            grp: Option<i64>,
            n: i64,
            total: i64,
            median: Option<i64>,
            p75: Option<i64>,
        }
        let backend = self.connection().get_database_backend();
        let inner = backend.build(values);
        let sql = format!(
            "SELECT CAST(grp AS BIGINT) AS grp, COUNT(*) AS n, CAST(SUM(secs) AS BIGINT) AS total, \
             MAX(CASE WHEN rn = (cnt + 1) / 2 THEN secs END) AS median, \
             MAX(CASE WHEN rn = (3 * cnt + 3) / 4 THEN secs END) AS p75 \
             FROM (SELECT grp, secs, ROW_NUMBER() OVER (PARTITION BY grp ORDER BY secs) AS rn, \
                   COUNT(*) OVER (PARTITION BY grp) AS cnt FROM ({}) v) r GROUP BY grp",
            inner.sql
        );
        let statement = Statement::from_sql_and_values(
            backend,
            sql,
            inner.values.map(|values| values.0).unwrap_or_default(),
        );
        let rows = Row::find_by_statement(statement).all(self.connection()).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let stats = DurationStats {
                    count: count(row.n),
                    median: row.median,
                    p75: row.p75,
                    mean: (row.n > 0).then(|| row.total.div_euclid(row.n)),
                };
                (row.grp, stats)
            })
            .collect())
    }

    /// The cohort funnel of the cases in `filter` created in `period`.
    pub async fn funnel_figures(
        &self,
        filter: &CaseFilter<'_>,
        period: &Period,
    ) -> StoreResult<FunnelReport> {
        #[derive(FromQueryResult)]
        struct Row {
            deepest_step: i16,
            status: i16,
            cases: i64,
        }
        let query = cases_in(filter)
            .column((C, case::Column::DeepestStep))
            .column((C, case::Column::Status))
            .expr_as(Expr::col((C, case::Column::Id)).count(), "cases")
            .and_where(within(col(case::Column::CreatedAt), period))
            .group_by_col((C, case::Column::DeepestStep))
            .group_by_col((C, case::Column::Status))
            .to_owned();
        let mut counts = Vec::new();
        for row in self.rows::<Row>(&query).await? {
            let step = usize::try_from(row.deepest_step - 1)
                .ok()
                .and_then(|index| Step::ALL.get(index).copied())
                .ok_or(StoreError::Corrupt("deepest step"))?;
            counts.push((step, Status::from_stored(row.status)?, count(row.cases)));
        }
        Ok(FunnelReport::of_counts(&counts))
    }

    /// The cases in `filter` closed in `period`, grouped: won and lost, the
    /// won ones' value and sales cycle.
    pub async fn outcome_figures(
        &self,
        filter: &CaseFilter<'_>,
        period: &Period,
        group_by: GroupBy,
    ) -> StoreResult<Vec<(OutcomeKey, OutcomeGroup)>> {
        #[derive(FromQueryResult)]
        struct Row {
            grp: Option<i64>,
            status: i16,
            currency: String,
            cases: i64,
            value_high: Option<i64>,
            value_low: Option<i64>,
        }
        let key: Expr = Func::cast_as(
            match group_by {
                GroupBy::None => Expr::val(0_i64),
                GroupBy::Source => col(case::Column::Source),
                GroupBy::Owner => col(case::Column::OwnerId),
                GroupBy::Qualifier => col(case::Column::QualifierId),
            },
            Alias::new("BIGINT"),
        )
        .into();
        let closed = |statuses: Vec<i16>| {
            let mut query = cases_in(filter);
            query
                .and_where(col(case::Column::Status).is_in(statuses))
                .and_where(within(col(case::Column::ClosedAt), period));
            query
        };
        let mut tallies = closed(codes([Status::Acquired, Status::Resigned]))
            .expr_as(key.clone(), "grp")
            .column((C, case::Column::Status))
            .column((C, case::Column::Currency))
            .expr_as(Expr::col((C, case::Column::Id)).count(), "cases")
            .add_group_by([
                key.clone(),
                col(case::Column::Status),
                col(case::Column::Currency),
            ])
            .to_owned();
        sum_money(&mut tallies, col(case::Column::ValueMinor), "value");
        let cycles = closed(codes([Status::Acquired]))
            .expr_as(key.clone(), "grp")
            .expr_as(
                self.whole_seconds(case::Column::ClosedAt, case::Column::CreatedAt),
                "secs",
            )
            .to_owned();
        let mut groups: BTreeMap<Option<i64>, (u64, u64, MoneySums)> = BTreeMap::new();
        for row in self.rows::<Row>(&tallies).await? {
            let group = groups.entry(row.grp).or_default();
            match Status::from_stored(row.status)? {
                Status::Acquired => {
                    group.0 += count(row.cases);
                    if let Some(value) = joined(row.value_high, row.value_low) {
                        group.2.add_minor_units(value, currency(&row.currency)?);
                    }
                }
                _ => group.1 += count(row.cases),
            }
        }
        let mut cycles = self.duration_stats(&cycles).await?;
        let mut report = Vec::new();
        for (grp, (acquired, resigned, value)) in groups {
            let key = match group_by {
                GroupBy::None => OutcomeKey::All,
                GroupBy::Source => OutcomeKey::Source(Source::from_stored(
                    grp.and_then(|code| i16::try_from(code).ok())
                        .ok_or(StoreError::Corrupt("source"))?,
                )?),
                GroupBy::Owner => OutcomeKey::Owner(grp.map(UserId)),
                GroupBy::Qualifier => OutcomeKey::Qualifier(grp.map(QualifierId)),
            };
            let cycle = cycles.remove(&grp).unwrap_or_default();
            report.push((key, OutcomeGroup::of(acquired, resigned, &value, cycle)));
        }
        report.sort_by_key(|(key, _)| *key);
        Ok(report)
    }

    /// The cases in `filter` resigned in `period`, by their reason.
    pub async fn resignation_figures(
        &self,
        filter: &CaseFilter<'_>,
        period: &Period,
    ) -> StoreResult<ResignationsReport> {
        #[derive(FromQueryResult)]
        struct Row {
            reason: Option<String>,
            cases: i64,
        }
        let reason = col(case::Column::ResignationReason);
        let query = cases_in(filter)
            .expr_as(reason.clone(), "reason")
            .expr_as(Expr::col((C, case::Column::Id)).count(), "cases")
            .and_where(col(case::Column::Status).eq(Status::Resigned.stored()))
            .and_where(within(col(case::Column::ClosedAt), period))
            .add_group_by([reason])
            .to_owned();
        let rows = self.rows::<Row>(&query).await?;
        let total = rows.iter().map(|row| count(row.cases)).sum();
        Ok(ResignationsReport::of_counts(
            total,
            rows.into_iter()
                .map(|row| (row.reason.unwrap_or_default(), count(row.cases))),
        ))
    }

    /// Time in each open status and stage of the cases in `filter`: the
    /// stays that ended in `period`, and those going on at `now`.
    pub async fn duration_figures(
        &self,
        filter: &CaseFilter<'_>,
        period: &Period,
        now: DateTime<Utc>,
    ) -> StoreResult<DurationsReport> {
        if let Some(report) = self.ranked_duration_figures(filter, period, now).await? {
            return Ok(report);
        }
        let backend = self.connection().get_database_backend();
        let stays = |secs: Expr| {
            let place = Expr::col((S, case_stay::Column::Status))
                .mul(10)
                .add(Func::coalesce([
                    Expr::col((S, case_stay::Column::Stage)),
                    Expr::val(0),
                ]));
            let mut query = cases_in(filter);
            query
                .join_as(
                    JoinType::InnerJoin,
                    case_stay::Entity,
                    Alias::new(S),
                    Expr::col((S, case_stay::Column::CaseId)).equals((C, case::Column::Id)),
                )
                .expr_as(place, "grp")
                .expr_as(secs, "secs");
            query
        };
        let mut left = stays(Expr::col((S, case_stay::Column::Seconds)));
        left.and_where(within(Expr::col((S, case_stay::Column::LeftAt)), period));
        let mut current = stays(seconds_since(backend, now, &format!("{S}.entered_at")));
        current.and_where(Expr::col((S, case_stay::Column::LeftAt)).is_null());
        let left = self.duration_stats(&left).await?;
        let current = self.duration_stats(&current).await?;
        Ok(DurationsReport::of(|status, stage| {
            let key = Some(place_key(status, stage));
            [
                left.get(&key).copied().unwrap_or_default(),
                current.get(&key).copied().unwrap_or_default(),
            ]
        }))
    }

    /// The forecast of the cases in `filter`: open ones by the month they
    /// are expected to close in, acquired ones by the month they closed in
    /// (`month_starts`: the past months' first instants in the caller's
    /// zone, oldest first, then the next month's).
    pub async fn forecast_figures(
        &self,
        filter: &CaseFilter<'_>,
        frame: &ForecastFrame,
        probabilities: StepProbabilities,
        month_starts: &[DateTime<Utc>],
    ) -> StoreResult<ForecastReport> {
        #[derive(FromQueryResult)]
        struct PlannedRow {
            day: chrono::NaiveDate,
            currency: String,
            cases: i64,
            value_high: Option<i64>,
            value_low: Option<i64>,
            weighted_high: Option<i64>,
            weighted_low: Option<i64>,
        }
        #[derive(FromQueryResult)]
        struct ActualRow {
            month: i64,
            currency: String,
            cases: i64,
            value_high: Option<i64>,
            value_low: Option<i64>,
        }
        let mut chance = Expr::case(Expr::val(1).eq(0), Expr::val(0_i64));
        for step in Step::ALL {
            let Some(probability) = probabilities.of(step) else {
                continue;
            };
            let on_step = col(case::Column::Status)
                .eq(step.status().stored())
                .and(match step.stage() {
                    Some(stage) => col(case::Column::Stage).eq(stage.stored()),
                    None => col(case::Column::Stage).is_null(),
                });
            chance = chance.case(on_step, Expr::val(i64::from(probability.ten_thousandths())));
        }
        let chance: Expr = chance.finally(Expr::val(0_i64)).into();
        // Each case's value times its chance, rounded half-up to the grosz,
        // as (v div 10^4)·p + ((v mod 10^4)·p + 5000) div 10^4: the same
        // number without a product past the 64-bit range.
        let value = col(case::Column::ValueMinor);
        let weighted = value
            .clone()
            .div(10_000)
            .mul(chance.clone())
            .add(value.modulo(10_000).mul(chance).add(5_000).div(10_000));
        let day = col(case::Column::ExpectedCloseDate);
        let mut planned_query = cases_in(filter)
            .expr_as(day.clone(), "day")
            .column((C, case::Column::Currency))
            .expr_as(Expr::col((C, case::Column::Id)).count(), "cases")
            .and_where(col(case::Column::Status).is_in(open_statuses()))
            .add_group_by([day, col(case::Column::Currency)])
            .to_owned();
        sum_money(&mut planned_query, col(case::Column::ValueMinor), "value");
        sum_money(&mut planned_query, weighted, "weighted");
        if let Some(after) = frame.behind_bounds.last() {
            let horizon = frame
                .ahead
                .last()
                .and_then(|_| after.checked_add_months(chrono::Months::new(frame.ahead.len() as u32 - 1)));
            if let Some(horizon) = horizon {
                planned_query.and_where(col(case::Column::ExpectedCloseDate).lt(horizon));
            }
        }
        let mut planned: BTreeMap<MonthKey, PlannedTally> = BTreeMap::new();
        for row in self.rows::<PlannedRow>(&planned_query).await? {
            let tally = planned.entry(frame.planned_month(row.day)).or_default();
            tally.count += count(row.cases);
            let currency = currency(&row.currency)?;
            if let Some(value) = joined(row.value_high, row.value_low) {
                tally.value.add_minor_units(value, currency);
            }
            if let Some(weighted) = joined(row.weighted_high, row.weighted_low) {
                tally.weighted.add_minor_units(weighted, currency);
            }
        }
        let mut actual: BTreeMap<MonthKey, ActualTally> = BTreeMap::new();
        if let (Some(first), Some(after)) = (month_starts.first(), month_starts.last()) {
            let closed_at = col(case::Column::ClosedAt);
            let mut month = Expr::case(closed_at.clone().lt(*first), Expr::val(-1_i64));
            for (index, start) in month_starts.iter().enumerate().skip(1) {
                month = month.case(closed_at.clone().lt(*start), Expr::val(index as i64 - 1));
            }
            let month: Expr = month.finally(Expr::val(-1_i64)).into();
            let mut query = cases_in(filter)
                .expr_as(month, "month")
                .column((C, case::Column::Currency))
                .expr_as(Expr::col((C, case::Column::Id)).count(), "cases")
                .and_where(col(case::Column::Status).eq(Status::Acquired.stored()))
                .and_where(closed_at.clone().gte(*first))
                .and_where(closed_at.lt(*after))
                // By position: PostgreSQL does not see the CASE in GROUP BY,
                // with parameters of its own, as the one selected.
                .add_group_by([Expr::cust("1"), col(case::Column::Currency)])
                .to_owned();
            sum_money(&mut query, col(case::Column::ValueMinor), "value");
            let months = frame.behind();
            for row in self.rows::<ActualRow>(&query).await? {
                let Some(month) = usize::try_from(row.month)
                    .ok()
                    .and_then(|index| months.get(index))
                else {
                    continue;
                };
                let tally = actual.entry(*month).or_default();
                tally.acquired += count(row.cases);
                if let Some(value) = joined(row.value_high, row.value_low) {
                    tally.value.add_minor_units(value, currency(&row.currency)?);
                }
            }
        }
        Ok(frame.report(probabilities, &planned, &actual))
    }

    /// Each owner's open work now among the cases in `filter` (`None`: the
    /// unassigned ones); every owner of a case in the filter is listed.
    pub async fn work_figures(
        &self,
        filter: &CaseFilter<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<(Option<UserId>, WorkCounts)>> {
        if let Some(work) = self.tallied_work_figures(filter, now).await? {
            return Ok(work);
        }
        #[derive(FromQueryResult)]
        struct Row {
            owner_id: Option<i64>,
            open: i64,
            overdue: i64,
            stale: i64,
        }
        let open = || col(case::Column::Status).is_in(open_statuses());
        let tally =
            |condition: Expr| total(Expr::case(condition, Expr::val(1_i64)).finally(Expr::val(0_i64)));
        let owner = col(case::Column::OwnerId);
        let query = cases_in(filter)
            .expr_as(owner.clone(), "owner_id")
            .expr_as(tally(open()), "open")
            .expr_as(
                tally(
                    col(case::Column::Status)
                        .eq(Status::Offered.stored())
                        .and(col(case::Column::FollowUpAt).lt(now)),
                ),
                "overdue",
            )
            .expr_as(
                tally(open().and(col(case::Column::LastEventAt).lte(stale_before(now)))),
                "stale",
            )
            .add_group_by([owner])
            .to_owned();
        Ok(self
            .rows::<Row>(&query)
            .await?
            .into_iter()
            .map(|row| {
                let work = WorkCounts {
                    open: count(row.open),
                    overdue_follow_ups: count(row.overdue),
                    stale: count(row.stale),
                };
                (row.owner_id.map(UserId), work)
            })
            .collect())
    }

    /// The status and stage changes each user made in `period` on the
    /// cases in `filter`.
    pub async fn move_figures(
        &self,
        filter: &CaseFilter<'_>,
        period: &Period,
    ) -> StoreResult<Vec<(UserId, u64)>> {
        if let Some(moves) = self.tallied_move_figures(filter, period).await? {
            return Ok(moves);
        }
        #[derive(FromQueryResult)]
        struct Row {
            actor_id: i64,
            moves: i64,
        }
        let actor = Expr::col((E, case_event::Column::ActorId));
        let query = cases_in(filter)
            .join_as(
                JoinType::InnerJoin,
                case_event::Entity,
                Alias::new(E),
                Expr::col((E, case_event::Column::CaseId)).equals((C, case::Column::Id)),
            )
            .expr_as(actor.clone(), "actor_id")
            .expr_as(Expr::col((E, case_event::Column::Id)).count(), "moves")
            .and_where(
                Expr::col((E, case_event::Column::Kind))
                    .is_in([ChangeKind::Status.as_str(), ChangeKind::Stage.as_str()]),
            )
            .and_where(actor.clone().is_not_null())
            .and_where(within(Expr::col((E, case_event::Column::At)), period))
            .add_group_by([actor])
            .to_owned();
        Ok(self
            .rows::<Row>(&query)
            .await?
            .into_iter()
            .map(|row| (UserId(row.actor_id), count(row.moves)))
            .collect())
    }

    /// `later − earlier` in whole seconds, rounded down.
    fn whole_seconds(&self, later: case::Column, earlier: case::Column) -> Expr {
        use sea_orm::IdenStatic;
        Expr::cust(lejek_migrations::whole_seconds_between(
            self.connection().get_database_backend(),
            &format!("{C}.{}", later.as_str()),
            &format!("{C}.{}", earlier.as_str()),
        ))
    }
}
