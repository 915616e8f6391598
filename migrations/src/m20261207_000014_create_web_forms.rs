//! Web forms (intake spec §2): a form an admin sets up, each submission
//! received (what the limits per address and per form count, and how a
//! double click is recognised), and the form that created a case.

use sea_orm_migration::prelude::*;

use crate::sql::sql_migration;

const UP: &str = r#"
CREATE TABLE web_forms (
    id {ID},
    public_key TEXT NOT NULL,
    name TEXT NOT NULL,
    origins TEXT NOT NULL,
    source SMALLINT NOT NULL CHECK (source BETWEEN 1 AND 8),
    qualifier_id BIGINT NULL REFERENCES qualifiers (id),
    assignment TEXT NOT NULL CHECK (assignment IN ('unassigned', 'round_robin')),
    agents TEXT NOT NULL,
    fields TEXT NOT NULL,
    close_in_days INTEGER NOT NULL CHECK (close_in_days BETWEEN 1 AND 730),
    active {BOOL} NOT NULL,
    turns BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at {TS} NOT NULL,
    updated_at {TS} NOT NULL,
    retired_at {TS} NULL
);
CREATE UNIQUE INDEX web_forms_key ON web_forms (public_key);
CREATE TABLE form_submissions (
    id {ID},
    form_id BIGINT NOT NULL REFERENCES web_forms (id),
    received_at {TS} NOT NULL,
    client_address TEXT NOT NULL,
    fingerprint TEXT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('created', 'duplicate', 'bot', 'limited', 'refused')),
    case_id BIGINT NULL REFERENCES cases (id)
);
CREATE INDEX form_submissions_address ON form_submissions (client_address, received_at);
CREATE INDEX form_submissions_form ON form_submissions (form_id, received_at, outcome);
CREATE INDEX form_submissions_fingerprint ON form_submissions (form_id, fingerprint, received_at);
ALTER TABLE cases ADD COLUMN web_form_id BIGINT NULL REFERENCES web_forms (id);
"#;

const DOWN: &str = r#"
ALTER TABLE cases DROP COLUMN web_form_id;
DROP TABLE form_submissions;
DROP TABLE web_forms;
"#;

sql_migration!("m20261207_000014_create_web_forms", UP, DOWN);
