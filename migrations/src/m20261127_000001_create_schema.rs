//! Users and their credentials, the funnel's cases with their contacts and
//! history, dictionaries, saved views and idempotency records.
//!
//! Codes of statuses, stages and sources are stored as small integers in
//! funnel order (1 = awaiting_pickup … 5 = acquired; stages 1 = call_scheduled
//! … 5 = contract_sent; sources in the article's order), so sorting on them
//! follows the funnel and indexes stay small.

use sea_orm_migration::prelude::*;

use crate::sql::sql_migration;

const UP: &str = r#"
CREATE TABLE users (
    id {ID},
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('agent', 'manager', 'admin')),
    kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'integration')),
    password_hash TEXT NULL,
    active {BOOL} NOT NULL DEFAULT TRUE,
    created_at {TS} NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE refresh_tokens (
    id {ID},
    user_id BIGINT NOT NULL REFERENCES users (id),
    token_hash TEXT NOT NULL,
    family TEXT NOT NULL,
    created_at {TS} NOT NULL,
    expires_at {TS} NOT NULL,
    rotated_at {TS} NULL,
    revoked_at {TS} NULL
);
CREATE UNIQUE INDEX refresh_tokens_hash ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE api_keys (
    id {ID},
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at {TS} NOT NULL,
    last_used_at {TS} NULL,
    revoked_at {TS} NULL
);
CREATE UNIQUE INDEX api_keys_secret_hash ON api_keys (secret_hash);

CREATE TABLE login_throttles (
    throttle_key TEXT NOT NULL PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_started_at {TS} NOT NULL,
    blocked_until {TS} NULL
);

CREATE TABLE campaigns (
    id {ID},
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('funnel', 'spam')),
    created_at {TS} NOT NULL
);
CREATE UNIQUE INDEX campaigns_name ON campaigns (name);

CREATE TABLE contacts (
    id {ID},
    name TEXT NOT NULL,
    company TEXT NULL,
    email TEXT NULL,
    phone TEXT NULL,
    phone_digits TEXT NULL,
    name_search TEXT NOT NULL,
    created_by BIGINT NULL REFERENCES users (id),
    created_at {TS} NOT NULL
);
CREATE INDEX contacts_email ON contacts (email);
CREATE INDEX contacts_name ON contacts (name_search, id);

CREATE TABLE qualifiers (
    id {ID},
    name TEXT NOT NULL,
    created_at {TS} NOT NULL,
    archived_at {TS} NULL
);
CREATE UNIQUE INDEX qualifiers_active_name ON qualifiers (name) WHERE archived_at IS NULL;

CREATE TABLE resignation_reasons (
    id {ID},
    name TEXT NOT NULL,
    created_at {TS} NOT NULL,
    archived_at {TS} NULL
);
CREATE UNIQUE INDEX resignation_reasons_active_name ON resignation_reasons (name) WHERE archived_at IS NULL;

CREATE TABLE counters (
    name TEXT NOT NULL PRIMARY KEY,
    value BIGINT NOT NULL
);

CREATE TABLE cases (
    id {ID},
    number BIGINT NOT NULL,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    subject TEXT NOT NULL,
    source SMALLINT NOT NULL CHECK (source BETWEEN 1 AND 8),
    status SMALLINT NOT NULL CHECK (status BETWEEN 1 AND 5),
    stage SMALLINT NULL CHECK (
        (status = 2 AND stage BETWEEN 1 AND 3)
        OR (status = 3 AND stage BETWEEN 4 AND 5)
        OR (status IN (1, 4, 5) AND stage IS NULL)
    ),
    qualifier_id BIGINT NULL REFERENCES qualifiers (id),
    contact_id BIGINT NOT NULL REFERENCES contacts (id),
    owner_id BIGINT NULL REFERENCES users (id),
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at {TS} NOT NULL,
    expected_close_date {DATE} NOT NULL,
    follow_up_at {TS} NULL CHECK (status <> 3 OR follow_up_at IS NOT NULL),
    resignation_reason TEXT NULL CHECK ((status = 4) = (resignation_reason IS NOT NULL)),
    value_minor BIGINT NULL CHECK (value_minor >= 0),
    currency TEXT NOT NULL,
    closed_at {TS} NULL CHECK ((status IN (4, 5)) = (closed_at IS NOT NULL)),
    version BIGINT NOT NULL,
    updated_at {TS} NOT NULL,
    contact_name TEXT NOT NULL,
    company TEXT NULL,
    email TEXT NULL,
    phone TEXT NULL,
    owner_name TEXT NULL,
    contact_search TEXT NOT NULL,
    company_search TEXT NULL,
    phone_digits TEXT NULL,
    subject_search TEXT NOT NULL
);
CREATE UNIQUE INDEX cases_number ON cases (number);
CREATE INDEX cases_contact ON cases (contact_id, id);
CREATE INDEX cases_owner_created ON cases (campaign_id, owner_id, status, created_at, id);
CREATE INDEX cases_status_created ON cases (campaign_id, status, created_at, id);
CREATE INDEX cases_created ON cases (campaign_id, created_at, id);
CREATE INDEX cases_status_follow_up ON cases (campaign_id, status, follow_up_at, id);
CREATE INDEX cases_status_close ON cases (campaign_id, status, expected_close_date, id);

CREATE TABLE case_events (
    id {ID},
    case_id BIGINT NOT NULL REFERENCES cases (id),
    at {TS} NOT NULL,
    actor_id BIGINT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('created', 'status', 'stage', 'owner', 'campaign')),
    from_value TEXT NULL,
    to_value TEXT NULL,
    reason TEXT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, id);
CREATE INDEX case_events_kind_at ON case_events (kind, at);

CREATE TABLE case_notes (
    id {ID},
    case_id BIGINT NOT NULL REFERENCES cases (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    body TEXT NOT NULL,
    created_at {TS} NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, id);

CREATE TABLE saved_views (
    user_id BIGINT NOT NULL REFERENCES users (id),
    view_key TEXT NOT NULL,
    settings TEXT NOT NULL,
    updated_at {TS} NOT NULL,
    PRIMARY KEY (user_id, view_key)
);

CREATE TABLE idempotency_records (
    id {ID},
    user_id BIGINT NOT NULL REFERENCES users (id),
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER NULL,
    response_body TEXT NULL,
    location TEXT NULL,
    etag TEXT NULL,
    created_at {TS} NOT NULL
);
CREATE UNIQUE INDEX idempotency_records_key ON idempotency_records (user_id, idempotency_key);
CREATE INDEX idempotency_records_created ON idempotency_records (created_at);

INSERT INTO counters (name, value) VALUES ('case_number', 0);
"#;

const DOWN: &str = r#"
DROP TABLE idempotency_records;
DROP TABLE saved_views;
DROP TABLE case_notes;
DROP TABLE case_events;
DROP TABLE cases;
DROP TABLE counters;
DROP TABLE resignation_reasons;
DROP TABLE qualifiers;
DROP TABLE contacts;
DROP TABLE campaigns;
DROP TABLE login_throttles;
DROP TABLE api_keys;
DROP TABLE refresh_tokens;
DROP TABLE users;
"#;

sql_migration!("m20261127_000001_create_schema", UP, DOWN);
