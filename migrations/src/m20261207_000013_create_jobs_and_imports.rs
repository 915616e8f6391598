//! Work that outlives a request, and file imports, the first such work.
//!
//! - `jobs`: a queue any node may work from. A node claims a job by taking
//!   its lease (`lease_owner`, `lease_until`) and renews it while it works;
//!   a job whose lease ran out (its node died) is claimed again and resumes
//!   from what its last committed step recorded.
//! - `imports`: an uploaded file (its bytes in `import_files`, so reading an
//!   import's progress never reads the file), how it is read, the mapping
//!   it runs with and its progress, which each batch commits together with
//!   the cases it created.
//! - `import_refusals`: each refused row's cells and reasons (JSON), for
//!   the downloadable report the user fixes and imports again.
//! - `cases.external_id`: another system's id for the case, unique, so
//!   re-imports and integrations do not duplicate it; `cases.import_id`:
//!   the import that created the case; `contacts_phone_digits`: imports
//!   may match contacts by phone.

use sea_orm_migration::prelude::*;

use crate::sql::sql_migration;

const UP: &str = r#"
CREATE TABLE jobs (
    id {ID},
    kind TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    lease_owner TEXT NULL,
    lease_until {TS} NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT NULL,
    created_at {TS} NOT NULL,
    finished_at {TS} NULL,
    CHECK ((state = 'running') = (lease_until IS NOT NULL))
);
CREATE INDEX jobs_claimable ON jobs (state, lease_until, id);
CREATE TABLE imports (
    id {ID},
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at {TS} NOT NULL,
    file_name TEXT NULL,
    format TEXT NOT NULL CHECK (format IN ('csv', 'xlsx')),
    content_hash TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    encoding TEXT NULL,
    delimiter TEXT NULL,
    sheet TEXT NULL,
    sheets TEXT NOT NULL,
    header TEXT NOT NULL,
    total_rows BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('uploaded', 'queued', 'running', 'done', 'failed')),
    run_settings TEXT NULL,
    job_id BIGINT NULL REFERENCES jobs (id),
    rows_done BIGINT NOT NULL DEFAULT 0,
    last_row BIGINT NOT NULL DEFAULT 0,
    created_count BIGINT NOT NULL DEFAULT 0,
    contacts_reused BIGINT NOT NULL DEFAULT 0,
    refused_count BIGINT NOT NULL DEFAULT 0,
    started_at {TS} NULL,
    finished_at {TS} NULL,
    failure TEXT NULL
);
CREATE INDEX imports_hash ON imports (content_hash, id);
CREATE INDEX imports_creator ON imports (created_by, id);
CREATE UNIQUE INDEX imports_job ON imports (job_id);
CREATE TABLE import_files (
    import_id BIGINT NOT NULL PRIMARY KEY REFERENCES imports (id),
    content {BLOB} NOT NULL
);
CREATE TABLE import_refusals (
    id {ID},
    import_id BIGINT NOT NULL REFERENCES imports (id),
    row_number BIGINT NOT NULL,
    errors TEXT NOT NULL,
    cells TEXT NOT NULL
);
CREATE INDEX import_refusals_import ON import_refusals (import_id, row_number, id);
ALTER TABLE cases ADD COLUMN external_id TEXT NULL;
ALTER TABLE cases ADD COLUMN import_id BIGINT NULL REFERENCES imports (id);
CREATE UNIQUE INDEX cases_external_id ON cases (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX contacts_phone_digits ON contacts (phone_digits);
"#;

const DOWN: &str = r#"
DROP INDEX contacts_phone_digits;
DROP INDEX cases_external_id;
ALTER TABLE cases DROP COLUMN import_id;
ALTER TABLE cases DROP COLUMN external_id;
DROP TABLE import_refusals;
DROP TABLE import_files;
DROP TABLE imports;
DROP TABLE jobs;
"#;

sql_migration!("m20261207_000013_create_jobs_and_imports", UP, DOWN);
