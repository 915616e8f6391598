//! The chance an admin gives each open step of the funnel that a case in it
//! is won, for the weighted forecast. One row per step (1 = awaiting pickup
//! … 6 = contract sent), in ten-thousandths; no rows: the defaults.

use sea_orm_migration::prelude::*;

use crate::sql::sql_migration;

const UP: &str = r#"
CREATE TABLE forecast_probabilities (
    step SMALLINT NOT NULL PRIMARY KEY CHECK (step BETWEEN 1 AND 6),
    ten_thousandths INTEGER NOT NULL CHECK (ten_thousandths BETWEEN 0 AND 10000),
    updated_at {TS} NOT NULL,
    updated_by BIGINT NULL REFERENCES users (id)
);
"#;

const DOWN: &str = "DROP TABLE forecast_probabilities;";

sql_migration!("m20261204_000011_create_forecast_probabilities", UP, DOWN);
