//! An index per sortable column of the funnel, so a page sorted on any
//! column is read in index order instead of sorting the whole campaign,
//! a covering index for counts over a creation-date range, and an agent's
//! Offered tab in follow-up order (their daily call list).

use sea_orm_migration::prelude::*;

use crate::sql::sql_migration;

const UP: &str = r#"
CREATE INDEX cases_sort_source ON cases (campaign_id, source, id);
CREATE INDEX cases_sort_status ON cases (campaign_id, status, id);
CREATE INDEX cases_sort_stage ON cases (campaign_id, stage, id);
CREATE INDEX cases_sort_close ON cases (campaign_id, expected_close_date, id);
CREATE INDEX cases_sort_follow_up ON cases (campaign_id, follow_up_at, id);
CREATE INDEX cases_sort_contact ON cases (campaign_id, contact_search, id);
CREATE INDEX cases_sort_company ON cases (campaign_id, company_search, id);
CREATE INDEX cases_sort_email ON cases (campaign_id, email, id);
CREATE INDEX cases_sort_subject ON cases (campaign_id, subject_search, id);
CREATE INDEX cases_sort_owner ON cases (campaign_id, owner_name, id);
CREATE INDEX cases_counts_created ON cases (campaign_id, created_at, status, source, owner_id);
CREATE INDEX cases_owner_follow_up ON cases (campaign_id, owner_id, status, follow_up_at, id);
"#;

const DOWN: &str = r#"
DROP INDEX cases_sort_source;
DROP INDEX cases_sort_status;
DROP INDEX cases_sort_stage;
DROP INDEX cases_sort_close;
DROP INDEX cases_sort_follow_up;
DROP INDEX cases_sort_contact;
DROP INDEX cases_sort_company;
DROP INDEX cases_sort_email;
DROP INDEX cases_sort_subject;
DROP INDEX cases_sort_owner;
DROP INDEX cases_counts_created;
DROP INDEX cases_owner_follow_up;
"#;

sql_migration!("m20261127_000002_create_sort_indexes", UP, DOWN);
