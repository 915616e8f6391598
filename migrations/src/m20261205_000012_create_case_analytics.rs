//! What the funnel's figures read besides the case row itself, kept in step
//! with every write so that no figure replays the history:
//!
//! - `cases.deepest_step`: the highest funnel step (1 = awaiting pickup …
//!   7 = acquired) the case has ever been in;
//! - `cases.last_event_at`: the time of its latest history event;
//! - `case_stays`: every stay of a case in an open status (`stage` NULL) or
//!   in a stage, `[entered_at, left_at)`, with its length in whole seconds
//!   once it has ended, and the case's campaign and owner now (so that the
//!   unfiltered figures rank the stays without reading the cases).
//!
//! Existing cases get theirs from their history ([`backfill`]), as do
//! bulk-loaded ones.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000012_create_case_analytics"
    }
}

const UP: &str = r#"
ALTER TABLE cases ADD COLUMN deepest_step SMALLINT NOT NULL DEFAULT 1 CHECK (deepest_step BETWEEN 1 AND 7);
ALTER TABLE cases ADD COLUMN last_event_at {TS} NULL;
CREATE TABLE case_stays (
    id {ID},
    case_id BIGINT NOT NULL REFERENCES cases (id),
    campaign_id BIGINT NOT NULL,
    owner_id BIGINT NULL,
    status SMALLINT NOT NULL CHECK (status BETWEEN 1 AND 3),
    stage SMALLINT NULL CHECK (stage BETWEEN 1 AND 5),
    entered_at {TS} NOT NULL,
    left_at {TS} NULL,
    seconds BIGINT NULL CHECK ((left_at IS NULL) = (seconds IS NULL))
);
CREATE INDEX case_stays_case ON case_stays (case_id, left_at);
CREATE INDEX case_stays_left ON case_stays (left_at, status, stage, seconds, case_id, campaign_id, owner_id);
CREATE INDEX case_stays_rank ON case_stays (campaign_id, status, stage, seconds, left_at, owner_id);
CREATE INDEX case_stays_owner_rank ON case_stays (campaign_id, owner_id, status, stage, seconds, left_at);
CREATE INDEX case_stays_open ON case_stays (campaign_id, status, stage, entered_at, owner_id) WHERE left_at IS NULL;
CREATE INDEX cases_analytics_created ON cases (campaign_id, created_at, deepest_step, status, owner_id);
CREATE INDEX cases_analytics_closed ON cases (campaign_id, closed_at, status, source, owner_id, qualifier_id, created_at, currency, value_minor);
CREATE INDEX cases_last_event ON cases (campaign_id, status, last_event_at, owner_id);
CREATE INDEX case_events_moves ON case_events (kind, at, actor_id);
"#;

const DOWN: &str = r#"
DROP INDEX case_events_moves;
DROP INDEX cases_last_event;
DROP INDEX cases_analytics_closed;
DROP INDEX cases_analytics_created;
DROP TABLE case_stays;
ALTER TABLE cases DROP COLUMN last_event_at;
ALTER TABLE cases DROP COLUMN deepest_step;
"#;

/// `later − earlier` in whole seconds, rounded down, exactly: on SQLite,
/// whose timestamps are RFC 3339 text with 0, 3, 6 or 9 fraction digits
/// (the shortest that holds the value), from the whole seconds and a
/// comparison of the fractions as text.
pub fn whole_seconds_between(backend: DbBackend, later: &str, earlier: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("CAST(FLOOR(EXTRACT(EPOCH FROM ({later} - {earlier}))) AS BIGINT)"),
        _ => {
            let fraction = |at: &str| format!("substr({at}, 20, length({at}) - 25)");
            format!(
                "(unixepoch({later}) - unixepoch({earlier}) - ({} < {}))",
                fraction(later),
                fraction(earlier)
            )
        }
    }
}

/// The statements that fill the analytics columns and stays of the cases
/// with `id >= first_case` from their history (the stays of those cases
/// must not exist yet).
pub fn backfill(backend: DbBackend, first_case: i64) -> Vec<String> {
    const STATUS: &str = "CASE to_value WHEN 'awaiting_pickup' THEN 1 WHEN 'in_acquisition' THEN 2 \
                          WHEN 'offered' THEN 3 END";
    const STAGE: &str = "CASE to_value WHEN 'call_scheduled' THEN 1 WHEN 'after_call_meeting' THEN 2 \
                         WHEN 'to_offer' THEN 3 WHEN 'in_negotiation' THEN 4 WHEN 'contract_sent' THEN 5 END";
    // A stage names its status and its step; `acquired` is step 7.
    const STEP: &str = "CASE WHEN kind = 'status' AND to_value = 'acquired' THEN 7 \
                        WHEN kind = 'stage' THEN CASE to_value WHEN 'call_scheduled' THEN 2 \
                        WHEN 'after_call_meeting' THEN 3 WHEN 'to_offer' THEN 4 WHEN 'in_negotiation' THEN 5 \
                        WHEN 'contract_sent' THEN 6 ELSE 1 END ELSE 1 END";
    let seconds = whole_seconds_between(backend, "next_at", "at");
    let stays = |kinds: &str, place: &str, status: &str, stage: &str| {
        format!(
            "INSERT INTO case_stays (case_id, campaign_id, owner_id, status, stage, entered_at, left_at, seconds) \
             SELECT case_id, c.campaign_id, c.owner_id, {status}, {stage}, at, next_at, \
             CASE WHEN next_at IS NULL THEN NULL ELSE {seconds} END \
             FROM (SELECT case_id, kind, to_value, at, \
                   LEAD(at) OVER (PARTITION BY case_id ORDER BY at, id) AS next_at \
                   FROM case_events WHERE kind IN ({kinds}) AND case_id >= {first_case}) e \
             JOIN cases c ON c.id = e.case_id \
             WHERE {place} ORDER BY case_id, at"
        )
    };
    vec![
        format!(
            "UPDATE cases SET deepest_step = history.step, last_event_at = history.last_at \
             FROM (SELECT case_id, MAX({STEP}) AS step, MAX(at) AS last_at FROM case_events \
                   WHERE case_id >= {first_case} GROUP BY case_id) history \
             WHERE cases.id = history.case_id"
        ),
        stays(
            "'created', 'status'",
            "to_value IN ('awaiting_pickup', 'in_acquisition', 'offered')",
            STATUS,
            "NULL",
        ),
        stays(
            "'status', 'stage'",
            "kind = 'stage' AND to_value IS NOT NULL",
            "CASE WHEN to_value IN ('call_scheduled', 'after_call_meeting', 'to_offer') THEN 2 ELSE 3 END",
            STAGE,
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::sql::run(manager, UP).await?;
        let connection = manager.get_connection();
        for statement in backfill(manager.get_database_backend(), 0) {
            connection.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::sql::run(manager, DOWN).await
    }
}
