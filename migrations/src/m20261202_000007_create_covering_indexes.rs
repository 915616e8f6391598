//! Lists, counts and search under any combination of filters, at a
//! million cases, with the store choosing which index each query reads
//! (`lejek_store::cases::drivers`). Two families:
//!
//! - **filter** indexes, led by a column a filter narrows by (creation and
//!   expected close dates, status, source, stage, owner) and carrying every
//!   other column a non-text filter reads: a count or a filter-first page
//!   reads one range of index entries, never the wide case rows. The date
//!   ones, in date order across campaigns, also give the list's order by
//!   date and search's (every campaign, newest first). One more carries the
//!   text columns too, for a count under a common substring, which has to
//!   read every row's text: from this index rather than from the rows.
//! - **walk** indexes, `(campaign, sort column, id, status, owner)`, which
//!   give the list's order for every other sort key and carry what a tab
//!   and an agent's scope check on every row walked.
//!
//! They replace the earlier per-column and composite indexes, whose
//! overlapping prefixes left the planner choosing between a range it could
//! answer from an index and the same range needing a row read per entry.
//! A case's contact index carries the owner, so whether an agent may see a
//! contact is answered from it; the history's index by kind and time,
//! which no query reads, goes (every write paid for it).

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
DROP INDEX cases_status_created;
DROP INDEX cases_status_follow_up;
DROP INDEX cases_status_close;
DROP INDEX cases_owner_created;
DROP INDEX cases_owner_follow_up;
DROP INDEX cases_owner_newest;
DROP INDEX cases_sort_follow_up;
DROP INDEX cases_sort_contact;
DROP INDEX cases_sort_company;
DROP INDEX cases_sort_email;
DROP INDEX cases_sort_subject;
DROP INDEX cases_sort_owner;
CREATE INDEX cases_filter_created ON cases (created_at, campaign_id, status, source, stage, owner_id, created_by, qualifier_id, expected_close_date);
CREATE INDEX cases_filter_close ON cases (expected_close_date, campaign_id, status, source, stage, owner_id, created_by, qualifier_id, created_at);
CREATE INDEX cases_filter_source ON cases (source, campaign_id, status, stage, owner_id, created_by, qualifier_id, created_at, expected_close_date);
CREATE INDEX cases_filter_stage ON cases (stage, campaign_id, status, source, owner_id, created_by, qualifier_id, created_at, expected_close_date);
CREATE INDEX cases_filter_owner ON cases (owner_id, campaign_id, status, source, stage, created_by, qualifier_id, created_at, expected_close_date);
CREATE INDEX cases_filter_status ON cases (status, campaign_id, source, stage, owner_id, created_by, qualifier_id, created_at, expected_close_date, contact_search, company_search, email, phone_digits, subject_search);
DROP INDEX cases_contact;
CREATE INDEX cases_contact_owner ON cases (contact_id, owner_id, id);
DROP INDEX case_events_kind_at;
CREATE INDEX cases_walk_status ON cases (campaign_id, status, id, owner_id);
CREATE INDEX cases_walk_source ON cases (campaign_id, source, id, status, owner_id);
CREATE INDEX cases_walk_stage ON cases (campaign_id, stage, id, status, owner_id);
CREATE INDEX cases_walk_owner ON cases (campaign_id, owner_name, id, status, owner_id);
CREATE INDEX cases_walk_follow_up ON cases (campaign_id, follow_up_at, id, status, owner_id);
CREATE INDEX cases_walk_contact ON cases (campaign_id, contact_search, id, status, owner_id);
CREATE INDEX cases_walk_company ON cases (campaign_id, company_search, id, status, owner_id);
CREATE INDEX cases_walk_email ON cases (campaign_id, email, id, status, owner_id);
CREATE INDEX cases_walk_subject ON cases (campaign_id, subject_search, id, status, owner_id);
"#;

const DOWN: &str = r#"
DROP INDEX cases_walk_subject;
DROP INDEX cases_walk_email;
DROP INDEX cases_walk_company;
DROP INDEX cases_walk_contact;
DROP INDEX cases_walk_follow_up;
DROP INDEX cases_walk_owner;
DROP INDEX cases_walk_stage;
DROP INDEX cases_walk_source;
DROP INDEX cases_walk_status;
CREATE INDEX case_events_kind_at ON case_events (kind, at);
DROP INDEX cases_contact_owner;
CREATE INDEX cases_contact ON cases (contact_id, id);
DROP INDEX cases_filter_owner;
DROP INDEX cases_filter_stage;
DROP INDEX cases_filter_source;
DROP INDEX cases_filter_status;
DROP INDEX cases_filter_close;
DROP INDEX cases_filter_created;
CREATE INDEX cases_sort_owner ON cases (campaign_id, owner_name, id);
CREATE INDEX cases_sort_subject ON cases (campaign_id, subject_search, id);
CREATE INDEX cases_sort_email ON cases (campaign_id, email, id);
CREATE INDEX cases_sort_company ON cases (campaign_id, company_search, id);
CREATE INDEX cases_sort_contact ON cases (campaign_id, contact_search, id);
CREATE INDEX cases_sort_follow_up ON cases (campaign_id, follow_up_at, id);
CREATE INDEX cases_owner_newest ON cases (campaign_id, owner_id, created_at, id);
CREATE INDEX cases_owner_follow_up ON cases (campaign_id, owner_id, status, follow_up_at, id);
CREATE INDEX cases_owner_created ON cases (campaign_id, owner_id, status, created_at, id);
CREATE INDEX cases_status_close ON cases (campaign_id, status, expected_close_date, id);
CREATE INDEX cases_status_follow_up ON cases (campaign_id, status, follow_up_at, id);
CREATE INDEX cases_status_created ON cases (campaign_id, status, created_at, id);
CREATE INDEX cases_sort_stage ON cases (campaign_id, stage, id);
CREATE INDEX cases_counts_source ON cases (campaign_id, source, status);
CREATE INDEX cases_sort_source ON cases (campaign_id, source, id);
CREATE INDEX cases_sort_status ON cases (campaign_id, status, id);
CREATE INDEX cases_sort_close ON cases (campaign_id, expected_close_date, id);
CREATE INDEX cases_counts_created ON cases (campaign_id, created_at, status, source, owner_id);
CREATE INDEX cases_created ON cases (campaign_id, created_at, id);
"#;

sql_migration!("m20261202_000007_create_covering_indexes", UP, DOWN);
