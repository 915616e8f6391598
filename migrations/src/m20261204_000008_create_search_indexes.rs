//! PostgreSQL's `pg_trgm` takes trigrams from the words of a value, so a
//! substring that spans words (`r Bo`, `a5@g`, `o-M`) gives its index only
//! the padded edges of short words, which most rows share: such a search
//! read every row. Its trigram indexes are now built on the value with
//! spaces and ASCII punctuation turned into rare letters (`þ`, `ð`, …),
//! which keeps the whole value one word: every three characters of a needle
//! narrow, whatever they are. The store maps a needle the same way
//! (`lejek_store::cases::text`). Phone digits have no separators and keep
//! their index. SQLite's FTS5 trigram tables index every character already.
//!
//! On both databases, the contacts' name index carries the other searched
//! columns and the creator: a contact look-up that walks the names tests
//! its `LIKE`s and an agent's scope from the index, reading a contact's
//! row only for the page it returns. An agent's look-up reads their own
//! cases' copies of those columns, by owner and name, and the contacts
//! they created, by creator and name.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261204_000008_create_search_indexes"
    }
}

/// (table, column) of every text column indexed as one word.
const INDEXED: [(&str, &str); 4] = [
    ("cases", "subject_search"),
    ("contacts", "name_search"),
    ("contacts", "company_search"),
    ("contacts", "email"),
];

/// The characters `trigram_words` replaces, and with what, position by
/// position: the space and the punctuation common in names, companies and
/// e-mail addresses each with a letter of its own, so that `o m` and `o-m`
/// stay apart; the rest of ASCII punctuation with `ß`. The store maps a
/// needle with the same two lists.
pub const TRIGRAM_WORDS_FROM: &str = " .-@,!\"#$%&'()*+/:;<=>?[\\]^_`{|}~";
pub const TRIGRAM_WORDS_TO: &str = "þðŧŋħßßßßßßßßßßßßßßßßßßßßßßßßßßßß";

fn create_function() -> String {
    format!(
        "CREATE FUNCTION trigram_words(value text) RETURNS text \
         LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE \
         RETURN translate(value, '{}', '{TRIGRAM_WORDS_TO}')",
        TRIGRAM_WORDS_FROM.replace('\'', "''")
    )
}

const CREATE_NAME_INDEXES: [&str; 3] = [
    "CREATE INDEX contacts_walk_name ON contacts (name_search, id, company_search, email, phone_digits, created_by)",
    "CREATE INDEX contacts_creator_name ON contacts (created_by, name_search, id, company_search, email, phone_digits)",
    // Led by an expression, not the owner column itself: the planners would
    // otherwise take it, with none of the filtered columns, for a read of
    // an owner's cases that the owner filter index serves. The owner comes
    // again at the end, which PostgreSQL needs to answer from the index
    // alone.
    "CREATE INDEX cases_owner_contact_name \
     ON cases (coalesce(owner_id, 0), contact_search, contact_id, company_search, email, phone_digits, owner_id)",
];

fn up(backend: DbBackend) -> Vec<String> {
    let mut statements = vec!["DROP INDEX contacts_name".to_owned()];
    statements.extend(CREATE_NAME_INDEXES.map(str::to_owned));
    if backend == DbBackend::Postgres {
        statements.extend(postgres_up());
    }
    statements
}

fn down(backend: DbBackend) -> Vec<String> {
    let mut statements = vec![
        "DROP INDEX contacts_walk_name".to_owned(),
        "DROP INDEX contacts_creator_name".to_owned(),
        "DROP INDEX cases_owner_contact_name".to_owned(),
        "CREATE INDEX contacts_name ON contacts (name_search, id)".to_owned(),
    ];
    if backend == DbBackend::Postgres {
        statements.extend(postgres_down());
    }
    statements
}

fn postgres_up() -> Vec<String> {
    let mut statements = vec![create_function()];
    for (table, column) in INDEXED {
        statements.push(format!("DROP INDEX {table}_{column}_trgm"));
        statements.push(format!(
            "CREATE INDEX {table}_{column}_words_trgm ON {table} USING gin (trigram_words({column}) gin_trgm_ops)"
        ));
    }
    statements.push("ANALYZE cases".to_owned());
    statements.push("ANALYZE contacts".to_owned());
    statements
}

fn postgres_down() -> Vec<String> {
    let mut statements = Vec::new();
    for (table, column) in INDEXED {
        statements.push(format!("DROP INDEX {table}_{column}_words_trgm"));
        statements.push(format!(
            "CREATE INDEX {table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)"
        ));
    }
    statements.push("DROP FUNCTION trigram_words(text)".to_owned());
    statements
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, up(manager.get_database_backend())).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, down(manager.get_database_backend())).await
    }
}

async fn run(manager: &SchemaManager<'_>, statements: Vec<String>) -> Result<(), DbErr> {
    let connection = manager.get_connection();
    for statement in statements {
        connection.execute_unprepared(&statement).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ascii_separator_has_one_letter() {
        assert_eq!(
            TRIGRAM_WORDS_FROM.chars().count(),
            TRIGRAM_WORDS_TO.chars().count()
        );
        let mut separators: Vec<char> = (' '..='~')
            .filter(|c| *c == ' ' || c.is_ascii_punctuation())
            .collect();
        let mut from: Vec<char> = TRIGRAM_WORDS_FROM.chars().collect();
        separators.sort_unstable();
        from.sort_unstable();
        assert_eq!(from, separators);
        assert!(TRIGRAM_WORDS_TO.chars().all(char::is_alphabetic));
    }
}
