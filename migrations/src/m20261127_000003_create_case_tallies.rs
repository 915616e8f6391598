//! How many cases each campaign, owner and status holds, kept in step by
//! every write, so the tab counts of an unfiltered pipeline (what every
//! user sees first) are read in constant time instead of counting a
//! million rows.

use sea_orm_migration::prelude::*;

use crate::sql::sql_migration;

const UP: &str = r#"
CREATE TABLE case_tallies (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    owner_key BIGINT NOT NULL,
    status SMALLINT NOT NULL,
    cases BIGINT NOT NULL,
    PRIMARY KEY (campaign_id, owner_key, status)
);
INSERT INTO case_tallies (campaign_id, owner_key, status, cases)
    SELECT campaign_id, COALESCE(owner_id, 0), status, COUNT(*) FROM cases
    GROUP BY campaign_id, COALESCE(owner_id, 0), status;
"#;

const DOWN: &str = "DROP TABLE case_tallies;";

sql_migration!("m20261127_000003_create_case_tallies", UP, DOWN);
