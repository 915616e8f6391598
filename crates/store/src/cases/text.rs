//! Finding the few rows that contain a rare substring without reading the
//! whole table: trigram indexes. SQLite keeps a contentless FTS5 trigram
//! table per text column (kept in step by triggers, migration 6);
//! PostgreSQL has `pg_trgm` GIN indexes on [`trigram_words`] of the column
//! (migration 8), which serve a `LIKE '%…%'` on the same expression.
//!
//! A trigram index only narrows: every candidate is still checked by the
//! exact `LIKE` of the row condition, so the candidate conditions here may
//! match more than the needle does, never less.

use sea_orm::sea_query::extension::sqlite::SqliteExpr;
use sea_orm::sea_query::{
    Alias, Condition, Expr, ExprTrait, Func, LikeExpr, Query, SelectStatement, UnionType,
};

use super::filter::{TextField, TextNeedle, col};
use crate::connect::Backend;
use crate::entity::{case, contact};
use crate::search::like_pattern;

/// A text column with a trigram index, and where that index lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indexed {
    /// `cases.subject_search`.
    CaseSubject,
    ContactName,
    ContactCompany,
    ContactEmail,
    ContactPhone,
}

impl Indexed {
    /// The FTS5 table of the column on SQLite.
    fn fts_table(self) -> &'static str {
        match self {
            Indexed::CaseSubject => "cases_subject_fts",
            Indexed::ContactName => "contacts_name_fts",
            Indexed::ContactCompany => "contacts_company_fts",
            Indexed::ContactEmail => "contacts_email_fts",
            Indexed::ContactPhone => "contacts_phone_fts",
        }
    }

    /// The contacts column (the case row holds a copy of it).
    fn contact_column(self) -> Option<contact::Column> {
        match self {
            Indexed::CaseSubject => None,
            Indexed::ContactName => Some(contact::Column::NameSearch),
            Indexed::ContactCompany => Some(contact::Column::CompanySearch),
            Indexed::ContactEmail => Some(contact::Column::Email),
            Indexed::ContactPhone => Some(contact::Column::PhoneDigits),
        }
    }

    /// Whether PostgreSQL indexes the column as [`trigram_words`] (phone
    /// digits have no separators and are indexed as they are).
    fn as_words(self) -> bool {
        self != Indexed::ContactPhone
    }

    pub fn of(field: TextField) -> Indexed {
        match field {
            TextField::Subject => Indexed::CaseSubject,
            TextField::Contact => Indexed::ContactName,
            TextField::Company => Indexed::ContactCompany,
            TextField::Email => Indexed::ContactEmail,
            TextField::Phone => Indexed::ContactPhone,
        }
    }
}

/// The FTS5 query that finds rows holding every trigram of `stored`
/// (already in the column's stored form); `None` for fewer than three
/// characters, which no trigram index can narrow.
pub fn trigram_query(stored: &str) -> Option<String> {
    let chars: Vec<char> = stored.chars().collect();
    if chars.len() < 3 {
        return None;
    }
    let mut trigrams: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
    trigrams.sort_unstable();
    trigrams.dedup();
    Some(
        trigrams
            .iter()
            .map(|trigram| format!("\"{}\"", trigram.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" AND "),
    )
}

/// What PostgreSQL's trigram indexes hold of a text: the space and ASCII
/// punctuation turned into letters, as the database function of the same
/// name does (migration 8), so that a value is one word to `pg_trgm`,
/// which takes trigrams from words only. A substring of a value maps to a
/// substring of the mapped value.
fn trigram_words(text: &str) -> String {
    use lejek_migrations::{TRIGRAM_WORDS_FROM, TRIGRAM_WORDS_TO};
    text.chars()
        .map(|c| {
            TRIGRAM_WORDS_FROM
                .chars()
                .zip(TRIGRAM_WORDS_TO.chars())
                .find_map(|(from, to)| (from == c).then_some(to))
                .unwrap_or(c)
        })
        .collect()
}

/// Whether `pg_trgm` finds a trigram inside a word of `mapped`: it takes
/// trigrams from the words (runs of letters and digits) of a `LIKE`
/// pattern, so a needle split by other characters into one- and two-letter
/// pieces gives it only padded word edges, which half the rows share; its
/// index then hands back most of the table to be checked row by row,
/// slower than a scan.
fn has_trigram_word(mapped: &str) -> bool {
    mapped
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word.chars().count() >= 3)
}

/// `column LIKE '%stored%'` as PostgreSQL's trigram index on the column
/// answers it; `None` when that index cannot narrow the needle.
fn trigram_like(indexed: Indexed, column: Expr, stored: &str) -> Option<Expr> {
    let (column, needle) = match indexed.as_words() {
        true => (
            Func::cust(Alias::new("trigram_words")).arg(column).into(),
            trigram_words(stored),
        ),
        false => (column, stored.to_owned()),
    };
    has_trigram_word(&needle).then(|| column.like(LikeExpr::new(like_pattern(&needle)).escape('\\')))
}

/// The ids of the rows whose `indexed` column may contain `stored`: rowids
/// of an FTS5 table on SQLite, a trigram `LIKE` on PostgreSQL.
fn candidate_ids(backend: Backend, indexed: Indexed, stored: &str) -> Option<SelectStatement> {
    let query = trigram_query(stored)?;
    Some(match backend {
        Backend::Sqlite => {
            let table = indexed.fts_table();
            Query::select()
                .column((Alias::new(table), Alias::new("rowid")))
                .from(Alias::new(table))
                .and_where(Expr::col(Alias::new(table)).matches(query))
                .to_owned()
        }
        Backend::Postgres => match indexed.contact_column() {
            Some(column) => Query::select()
                .column(contact::Column::Id)
                .from(contact::Entity)
                .and_where(trigram_like(indexed, Expr::col(column), stored)?)
                .to_owned(),
            None => case_ids(trigram_like(
                indexed,
                Expr::col(case::Column::SubjectSearch),
                stored,
            )?),
        },
    })
}

/// `SELECT id FROM cases WHERE <condition>`.
fn case_ids(condition: Expr) -> SelectStatement {
    Query::select()
        .column(case::Column::Id)
        .from(case::Entity)
        .and_where(condition)
        .to_owned()
}

/// [`case_ids`] of the cases of `owner` only, when every match has that
/// owner (`Some(None)`: unassigned): the index by contact and owner then
/// hands back an agent's few cases of a common name, not every case.
fn owned_case_ids(condition: Expr, owner: Option<Option<i64>>) -> SelectStatement {
    let mut ids = case_ids(condition);
    restrict_to_owner(&mut ids, owner);
    ids
}

/// Narrows a `SELECT … FROM cases` to the cases of `owner`.
fn restrict_to_owner(cases: &mut SelectStatement, owner: Option<Option<i64>>) {
    match owner {
        Some(Some(owner)) => cases.and_where(Expr::col(case::Column::OwnerId).eq(owner)),
        Some(None) => cases.and_where(Expr::col(case::Column::OwnerId).is_null()),
        None => cases,
    };
}

/// A condition on the case row `c` that its trigram index can answer:
/// `c.id IN (…)` for the subject, `c.contact_id IN (…)` for the contact's
/// columns. `None` when the needle is too short to narrow anything.
pub fn case_candidates(backend: Backend, needle: &TextNeedle) -> Option<Expr> {
    let indexed = Indexed::of(needle.field);
    let ids = candidate_ids(backend, indexed, &needle.field.stored_needle(&needle.needle))?;
    Some(match (indexed, backend) {
        (Indexed::CaseSubject, _) => col(case::Column::Id).in_subquery(ids),
        (_, Backend::Sqlite) => col(case::Column::ContactId).in_subquery(ids),
        // PostgreSQL cannot estimate a trigram LIKE on the contacts and,
        // given `IN (…)`, may test every case of a tab against the contacts
        // instead (`tab=offered&contact=akrzewsk`: 137,648 cases read for
        // 968). `ANY(ARRAY(…))` makes it find the contacts first and then
        // their cases through the index by contact.
        (_, Backend::Postgres) => {
            col(case::Column::ContactId).eq(Func::cust("ANY").arg(Func::cust("ARRAY").arg(Expr::from(ids))))
        }
    })
}

/// The search box's candidates: any indexed column may hold the text;
/// `None` when the text is too short for every index (then only a scan
/// finds its rows). One `c.id IN (…)` over the union of the subject's
/// candidates, the cases of the candidate contacts and the numbered case,
/// which both databases answer from their indexes (an `OR` of several
/// `IN`s leads PostgreSQL to test every row against each). `owner` is the
/// owner every match has, when the filter fixes one.
pub fn search_candidates(
    backend: Backend,
    text: &str,
    number: Option<i64>,
    owner: Option<Option<i64>>,
) -> Option<Condition> {
    let mut subject = None;
    let mut contacts: Option<SelectStatement> = None;
    for field in [
        TextField::Subject,
        TextField::Contact,
        TextField::Company,
        TextField::Email,
        TextField::Phone,
    ] {
        if field == TextField::Phone && lejek_domain::digits_of(text).len() < 3 {
            continue;
        }
        let indexed = Indexed::of(field);
        match candidate_ids(backend, indexed, &field.stored_needle(text)) {
            Some(mut ids) if indexed == Indexed::CaseSubject => {
                // PostgreSQL's candidates are case rows (SQLite's are rowids
                // of the trigram table).
                if backend == Backend::Postgres {
                    restrict_to_owner(&mut ids, owner);
                }
                subject = Some(ids);
            }
            Some(ids) => match contacts.as_mut() {
                Some(all) => {
                    all.union(UnionType::All, ids);
                }
                None => contacts = Some(ids),
            },
            // A short needle in one column means that column needs a scan.
            None if field != TextField::Phone => return None,
            None => {}
        }
    }
    let mut cases = subject?;
    if let Some(contacts) = contacts {
        cases.union(
            UnionType::All,
            owned_case_ids(Expr::col(case::Column::ContactId).in_subquery(contacts), owner),
        );
    }
    if let Some(number) = number {
        cases.union(
            UnionType::All,
            owned_case_ids(Expr::col(case::Column::Number).eq(number), owner),
        );
    }
    Some(Condition::all().add(col(case::Column::Id).in_subquery(cases)))
}

/// On SQLite, the query that counts the rows whose `indexed` column may
/// contain `stored`: FTS5 counts them from its index alone, in about a
/// millisecond even for common trigrams. `None` on PostgreSQL (its GIN
/// index has no cheap count) and for needles too short to narrow.
pub fn candidate_count(backend: Backend, indexed: Indexed, stored: &str) -> Option<SelectStatement> {
    if backend != Backend::Sqlite {
        return None;
    }
    let table = indexed.fts_table();
    Some(
        Query::select()
            .expr_as(Func::count(Expr::val(1)), Alias::new("n"))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new(table)).matches(trigram_query(stored)?))
            .to_owned(),
    )
}

/// The contacts whose `indexed` column may contain `stored`, as a
/// condition on the contacts row `ct`: its id among the FTS5 table's
/// rowids on SQLite, the trigram `LIKE` on its column on PostgreSQL.
pub fn contact_candidates(backend: Backend, indexed: Indexed, stored: &str) -> Option<Expr> {
    let contact = Alias::new("ct");
    match (backend, indexed.contact_column()) {
        (Backend::Postgres, Some(column)) => trigram_like(indexed, Expr::col((contact, column)), stored),
        _ => {
            let ids = candidate_ids(backend, indexed, stored)?;
            Some(Expr::col((contact, contact::Column::Id)).in_subquery(ids))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_needle_becomes_the_and_of_its_distinct_trigrams() {
        assert_eq!(trigram_query("kowal").unwrap(), "\"kow\" AND \"owa\" AND \"wal\"");
        assert_eq!(trigram_query("aaaa").unwrap(), "\"aaa\"");
        assert_eq!(trigram_query("a\"bc").unwrap(), "\"\"\"bc\" AND \"a\"\"b\"");
        assert!(trigram_query("ab").is_none());
        assert_eq!(trigram_query("łód").unwrap(), "\"łód\"");
    }

    #[test]
    fn pg_trgm_narrows_needles_mapped_to_one_word() {
        assert_eq!(trigram_words("sp. z o.o. Łódź"), "spðþzþoðoðþŁódź");
        assert_eq!(trigram_words("a-b@c,d!e"), "aŧbŋcħdße");
        for weak in ["n s", "a.o", "z sp.", "k e", "ab", "x sp. z"] {
            assert!(!has_trigram_word(weak), "{weak}");
        }
        for narrowing in ["kowal", " kowal", "sp. z o.o. łódź", "7273", "a.b@abc"] {
            assert!(has_trigram_word(narrowing), "{narrowing}");
        }
        // Indexed as one word, any three characters narrow.
        for weak in ["n s", "a.o", "r Bo", "a5@g", "x sp. z"] {
            assert!(has_trigram_word(&trigram_words(weak)), "{weak}");
        }
        assert!(candidate_ids(Backend::Postgres, Indexed::CaseSubject, "n s").is_some());
        assert!(candidate_ids(Backend::Postgres, Indexed::ContactPhone, "12").is_none());
        assert!(candidate_ids(Backend::Sqlite, Indexed::CaseSubject, "n s").is_some());
    }
}
