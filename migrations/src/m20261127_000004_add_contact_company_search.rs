//! The contact's company, lower-cased by the application (Unicode, so
//! "ŁÓDŹ" finds "Łódź"), for the contact search: SQLite's `LOWER()` only
//! knows ASCII. Existing rows take the value already kept on their cases,
//! else the database's lower case.

use sea_orm_migration::prelude::*;

use crate::sql::sql_migration;

const UP: &str = r#"
ALTER TABLE contacts ADD COLUMN company_search TEXT;
UPDATE contacts SET company_search = COALESCE(
    (SELECT c.company_search FROM cases c WHERE c.contact_id = contacts.id AND c.company_search IS NOT NULL LIMIT 1),
    LOWER(company)
) WHERE company IS NOT NULL;
"#;

const DOWN: &str = "ALTER TABLE contacts DROP COLUMN company_search;";

sql_migration!("m20261127_000004_add_contact_company_search", UP, DOWN);
