//! The stays of a case in its open statuses and stages, and its deepest
//! step and latest event, kept in step with every write (see the migration
//! `m20261205_000012_create_case_analytics`).

use chrono::{DateTime, SecondsFormat, Utc};
use lejek_domain::analytics::Step;
use lejek_domain::{CaseId, CaseState, Change};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, DbBackend};

use crate::codes::{stage_code, status_code};
use crate::entity::case_stay;
use crate::error::StoreResult;

/// The stored step number (1–7) of a funnel step.
pub fn step_code(step: Step) -> i16 {
    Step::ALL
        .iter()
        .position(|each| *each == step)
        .map_or(1, |index| index as i16 + 1)
}

/// `at` as an SQL timestamp literal, compared and subtracted as the stored
/// timestamps are (SQLite keeps RFC 3339 text).
pub fn timestamp_literal(backend: DbBackend, at: DateTime<Utc>) -> String {
    let text = at.to_rfc3339_opts(SecondsFormat::AutoSi, false);
    match backend {
        DbBackend::Postgres => format!("CAST('{text}' AS TIMESTAMPTZ)"),
        _ => format!("'{text}'"),
    }
}

/// `now − <column>` in whole seconds, rounded down.
pub fn seconds_since(backend: DbBackend, now: DateTime<Utc>, column: &str) -> Expr {
    Expr::cust(lejek_migrations::whole_seconds_between(
        backend,
        &timestamp_literal(backend, now),
        column,
    ))
}

/// The row of a stay of the case in its status (or, with `stage_stay`, in
/// its stage) from `now`; none when it has no such stay.
fn stay_row(case: CaseId, state: &CaseState, stage_stay: bool, now: DateTime<Utc>) -> Option<[Expr; 8]> {
    let funnel = &state.funnel;
    let stage = if stage_stay {
        Some(stage_code(funnel.stage()?))
    } else if funnel.status().is_open() {
        None
    } else {
        return None;
    };
    Some([
        case.0.into(),
        state.campaign.id.0.into(),
        state.owner.map(|owner| owner.0).into(),
        status_code(funnel.status()).into(),
        stage.into(),
        now.into(),
        Option::<DateTime<Utc>>::None.into(),
        Option::<i64>::None.into(),
    ])
}

/// Inserts stays, in one statement.
async fn insert_stays<C: ConnectionTrait>(connection: &C, rows: Vec<[Expr; 8]>) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert.into_table(case_stay::Entity).columns([
        case_stay::Column::CaseId,
        case_stay::Column::CampaignId,
        case_stay::Column::OwnerId,
        case_stay::Column::Status,
        case_stay::Column::Stage,
        case_stay::Column::EnteredAt,
        case_stay::Column::LeftAt,
        case_stay::Column::Seconds,
    ]);
    for row in rows {
        insert.values_panic(row);
    }
    connection.execute(&insert).await?;
    Ok(())
}

/// Opens a stay of the case in `status` (and `stage`) from `now`.
async fn open<C: ConnectionTrait>(
    connection: &C,
    case: CaseId,
    state: &CaseState,
    stage_stay: bool,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    insert_stays(
        connection,
        stay_row(case, state, stage_stay, now).into_iter().collect(),
    )
    .await
}

/// Opens the first stays of many new cases at once (an import's batch).
pub(crate) async fn open_first<C: ConnectionTrait>(
    connection: &C,
    cases: &[(CaseId, &CaseState)],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let rows = cases
        .iter()
        .flat_map(|(case, state)| {
            [
                stay_row(*case, state, false, now),
                stay_row(*case, state, true, now),
            ]
        })
        .flatten()
        .collect();
    insert_stays(connection, rows).await
}

/// Ends the case's open stays at `now`: its stage's only, or its status's too.
async fn close<C: ConnectionTrait>(
    connection: &C,
    case: CaseId,
    only_the_stage: bool,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let backend = connection.get_database_backend();
    let mut update = Query::update()
        .table(case_stay::Entity)
        .value(case_stay::Column::LeftAt, now)
        .value(
            case_stay::Column::Seconds,
            seconds_since(backend, now, "entered_at"),
        )
        .and_where(Expr::col(case_stay::Column::CaseId).eq(case.0))
        .and_where(Expr::col(case_stay::Column::LeftAt).is_null())
        .to_owned();
    if only_the_stage {
        update.and_where(Expr::col(case_stay::Column::Stage).is_not_null());
    }
    connection.execute(&update).await?;
    Ok(())
}

/// Follows one accepted write (or a creation) of the case, now in `state`:
/// a status change ends both stays and opens the new ones; a stage change
/// alone ends and opens the stage's.
pub(crate) async fn follow_write<C: ConnectionTrait>(
    connection: &C,
    case: CaseId,
    state: &CaseState,
    changes: &[Change],
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let changed = |wanted: fn(&Change) -> bool| changes.iter().any(wanted);
    if changed(|change| matches!(change, Change::Owner { .. } | Change::Campaign { .. })) {
        let update = Query::update()
            .table(case_stay::Entity)
            .value(case_stay::Column::CampaignId, state.campaign.id.0)
            .value(case_stay::Column::OwnerId, state.owner.map(|owner| owner.0))
            .and_where(Expr::col(case_stay::Column::CaseId).eq(case.0))
            .to_owned();
        connection.execute(&update).await?;
    }
    if changed(|change| matches!(change, Change::Created { .. })) {
        open(connection, case, state, false, now).await?;
    } else if changed(|change| matches!(change, Change::Status { .. })) {
        close(connection, case, false, now).await?;
        open(connection, case, state, false, now).await?;
        open(connection, case, state, true, now).await?;
    } else if changed(|change| matches!(change, Change::Stage { .. })) {
        close(connection, case, true, now).await?;
        open(connection, case, state, true, now).await?;
    }
    Ok(())
}

/// The deepest step after a write that left the case in `state`:
/// `deepest_step` raised to the state's step, where it has one.
pub(crate) fn deepest_step_after(state: &CaseState) -> Option<Expr> {
    let step = step_code(Step::of(state.funnel.status(), state.funnel.stage())?);
    let deepest = || Expr::col(crate::entity::case::Column::DeepestStep);
    Some(
        Expr::case(deepest().lt(step), Expr::val(step))
            .finally(deepest())
            .into(),
    )
}

impl crate::connect::Store {
    /// Derives every case's deepest step, latest event and stays from its
    /// history again, in one transaction: what the migration did for the
    /// cases that existed before it.
    pub async fn rebuild_case_analytics(&self) -> StoreResult<()> {
        use sea_orm::TransactionTrait;
        let backend = self.connection().get_database_backend();
        let transaction = self.connection().begin().await?;
        transaction.execute_unprepared("DELETE FROM case_stays").await?;
        for statement in lejek_migrations::backfill_case_analytics(backend, 0) {
            transaction.execute_unprepared(&statement).await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// Every case's deepest step and latest event, and every stay, as
    /// comparable text, in id order (stays by case and entry).
    pub async fn case_analytics_rows(&self) -> StoreResult<Vec<String>> {
        use sea_orm::Statement;
        let connection = self.connection();
        let backend = connection.get_database_backend();
        let mut lines = Vec::new();
        for sql in [
            "SELECT id, deepest_step, last_event_at FROM cases ORDER BY id",
            "SELECT case_id, campaign_id, owner_id, status, stage, entered_at, left_at, seconds FROM case_stays \
             ORDER BY case_id, entered_at, stage IS NOT NULL",
        ] {
            for row in connection
                .query_all_raw(Statement::from_string(backend, sql))
                .await?
            {
                let mut line = String::new();
                for index in 0..8 {
                    let text = row
                        .try_get_by_index::<Option<i64>>(index)
                        .map(|value| format!("{value:?}"))
                        .or_else(|_| {
                            row.try_get_by_index::<Option<i16>>(index)
                                .map(|value| format!("{value:?}"))
                        })
                        .or_else(|_| {
                            row.try_get_by_index::<Option<DateTime<Utc>>>(index)
                                .map(|value| format!("{value:?}"))
                        });
                    match text {
                        Ok(text) => line.push_str(&text),
                        Err(_) => break,
                    }
                    line.push(' ');
                }
                lines.push(line);
            }
        }
        Ok(lines)
    }
}
