//! E-mail intake (intake spec §3): its settings (one row), every inbound
//! message filed (so the same Message-ID twice is one, a reply finds its
//! case and a sender's loop is counted), the message that created a case,
//! and API keys limited to delivering mail.

use sea_orm_migration::prelude::*;

use crate::sql::sql_migration;

const UP: &str = r#"
CREATE TABLE mail_intake_settings (
    id BIGINT NOT NULL PRIMARY KEY CHECK (id = 1),
    active {BOOL} NOT NULL,
    qualifier_id BIGINT NULL REFERENCES qualifiers (id),
    assignment TEXT NOT NULL CHECK (assignment IN ('unassigned', 'round_robin')),
    agents TEXT NOT NULL,
    close_in_days INTEGER NOT NULL CHECK (close_in_days BETWEEN 1 AND 730),
    turns BIGINT NOT NULL DEFAULT 0,
    updated_by BIGINT NULL REFERENCES users (id),
    updated_at {TS} NULL
);
INSERT INTO mail_intake_settings (id, active, assignment, agents, close_in_days)
VALUES (1, TRUE, 'unassigned', '[]', 30);
CREATE TABLE inbound_mails (
    id {ID},
    message_id TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('http', 'stdin', 'imap')),
    received_at {TS} NOT NULL,
    sender TEXT NULL,
    subject TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('created', 'reply', 'automatic', 'loop')),
    detail TEXT NULL,
    case_id BIGINT NULL REFERENCES cases (id)
);
CREATE UNIQUE INDEX inbound_mails_message_id ON inbound_mails (message_id);
CREATE INDEX inbound_mails_sender ON inbound_mails (sender, outcome, received_at);
CREATE INDEX inbound_mails_received ON inbound_mails (received_at, id);
ALTER TABLE cases ADD COLUMN inbound_mail_id BIGINT NULL REFERENCES inbound_mails (id);
ALTER TABLE api_keys ADD COLUMN scope TEXT NOT NULL DEFAULT 'full' CHECK (scope IN ('full', 'intake'));
"#;

const DOWN: &str = r#"
ALTER TABLE api_keys DROP COLUMN scope;
ALTER TABLE cases DROP COLUMN inbound_mail_id;
DROP TABLE inbound_mails;
DROP TABLE mail_intake_settings;
"#;

sql_migration!("m20261207_000015_create_mail_intake", UP, DOWN);
