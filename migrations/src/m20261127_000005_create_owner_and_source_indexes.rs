//! Two read paths the client's budgets found slow at a million cases: an
//! owner's (or the unassigned) cases newest first without a status — an
//! agent's landing page — and tab counts under a source filter, which had
//! to visit every matching row for its status.

use sea_orm_migration::prelude::*;

use crate::sql;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261127_000005_create_owner_and_source_indexes"
    }
}

const UP: &str = r#"
CREATE INDEX cases_owner_newest ON cases (campaign_id, owner_id, created_at, id);
CREATE INDEX cases_counts_source ON cases (campaign_id, source, status);
"#;

const DOWN: &str = r#"
DROP INDEX cases_owner_newest;
DROP INDEX cases_counts_source;
"#;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sql::run(manager, DOWN).await
    }
}
