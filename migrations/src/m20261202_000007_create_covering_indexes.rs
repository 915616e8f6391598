//! Counts and filtered lists under any combination of filters. The indexes
//! that order the list by creation date, expected close date, status,
//! source and stage also carry every column a non-text filter reads (after
//! the id, so they still give the list's order): a count, or a walk in
//! that order, reads index entries only and never the wide case rows, over
//! the narrowest range the filters allow. They replace the narrower
//! indexes on the same leading columns, which left the planner a choice
//! between a range it could answer from the index and the same range
//! needing a row read per entry. And search, which covers every campaign,
//! newest first.

use sea_orm_migration::prelude::*;

use crate::sql::sql_migration;

const UP: &str = r#"
DROP INDEX cases_created;
DROP INDEX cases_counts_created;
DROP INDEX cases_sort_close;
DROP INDEX cases_sort_status;
DROP INDEX cases_sort_source;
DROP INDEX cases_counts_source;
DROP INDEX cases_sort_stage;
CREATE INDEX cases_by_created ON cases (campaign_id, created_at, id, status, source, stage, owner_id, created_by, qualifier_id, expected_close_date);
CREATE INDEX cases_by_close ON cases (campaign_id, expected_close_date, id, status, source, stage, owner_id, created_by, qualifier_id, created_at);
CREATE INDEX cases_by_status ON cases (campaign_id, status, id, source, stage, owner_id, created_by, qualifier_id, created_at, expected_close_date);
CREATE INDEX cases_by_source ON cases (campaign_id, source, id, status, stage, owner_id, created_by, qualifier_id, created_at, expected_close_date);
CREATE INDEX cases_by_stage ON cases (campaign_id, stage, id, status, source, owner_id, created_by, qualifier_id, created_at, expected_close_date);
DROP INDEX cases_owner_created;
CREATE INDEX cases_by_owner ON cases (campaign_id, owner_id, status, created_at, id, source, stage, created_by, qualifier_id, expected_close_date);
CREATE INDEX cases_newest ON cases (created_at, id);
"#;

const DOWN: &str = r#"
DROP INDEX cases_newest;
DROP INDEX cases_by_owner;
CREATE INDEX cases_owner_created ON cases (campaign_id, owner_id, status, created_at, id);
DROP INDEX cases_by_stage;
DROP INDEX cases_by_source;
DROP INDEX cases_by_status;
DROP INDEX cases_by_close;
DROP INDEX cases_by_created;
CREATE INDEX cases_sort_stage ON cases (campaign_id, stage, id);
CREATE INDEX cases_counts_source ON cases (campaign_id, source, status);
CREATE INDEX cases_sort_source ON cases (campaign_id, source, id);
CREATE INDEX cases_sort_status ON cases (campaign_id, status, id);
CREATE INDEX cases_sort_close ON cases (campaign_id, expected_close_date, id);
CREATE INDEX cases_counts_created ON cases (campaign_id, created_at, status, source, owner_id);
CREATE INDEX cases_created ON cases (campaign_id, created_at, id);
"#;

sql_migration!("m20261202_000007_create_covering_indexes", UP, DOWN);
