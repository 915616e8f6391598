//! Two read paths the client's budgets found slow at a million cases: an
//! owner's (or the unassigned) cases newest first without a status — an
//! agent's landing page — and tab counts under a source filter, which had
//! to visit every matching row for its status.

use sea_orm_migration::prelude::*;

use crate::sql::sql_migration;

const UP: &str = r#"
CREATE INDEX cases_owner_newest ON cases (campaign_id, owner_id, created_at, id);
CREATE INDEX cases_counts_source ON cases (campaign_id, source, status);
"#;

const DOWN: &str = r#"
DROP INDEX cases_owner_newest;
DROP INDEX cases_counts_source;
"#;

sql_migration!("m20261127_000005_create_owner_and_source_indexes", UP, DOWN);
