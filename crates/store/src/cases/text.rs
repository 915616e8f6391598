//! Finding the few rows that contain a rare substring without reading the
//! whole table: trigram indexes. SQLite keeps a contentless FTS5 trigram
//! table per text column (kept in step by triggers, migration 6);
//! PostgreSQL has `pg_trgm` GIN indexes that serve `LIKE '%…%'` directly.
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

/// Whether `pg_trgm` finds a trigram inside a word of `stored`: it takes
/// trigrams from the words (runs of letters and digits) of a `LIKE`
/// pattern, so `n s` or `a.o` give it only padded one- and two-letter word
/// edges, which half the rows share; its index then hands back most of
/// the table to be checked row by row, slower than a scan.
fn has_trigram_word(stored: &str) -> bool {
    stored
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| word.chars().count() >= 3)
}

/// The ids of the rows whose `indexed` column may contain `stored`: rowids
/// of an FTS5 table on SQLite, a `LIKE` on PostgreSQL (its GIN index
/// answers it).
fn candidate_ids(backend: Backend, indexed: Indexed, stored: &str) -> Option<SelectStatement> {
    let query = trigram_query(stored)?;
    if backend == Backend::Postgres && !has_trigram_word(stored) {
        return None;
    }
    Some(match backend {
        Backend::Sqlite => {
            let table = indexed.fts_table();
            Query::select()
                .column((Alias::new(table), Alias::new("rowid")))
                .from(Alias::new(table))
                .and_where(Expr::col(Alias::new(table)).matches(query))
                .to_owned()
        }
        Backend::Postgres => {
            let pattern = like_pattern(stored);
            match indexed.contact_column() {
                Some(column) => Query::select()
                    .column(contact::Column::Id)
                    .from(contact::Entity)
                    .and_where(Expr::col(column).like(LikeExpr::new(pattern).escape('\\')))
                    .to_owned(),
                None => {
                    case_ids(Expr::col(case::Column::SubjectSearch).like(LikeExpr::new(pattern).escape('\\')))
                }
            }
        }
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
    Some(match indexed {
        Indexed::CaseSubject => col(case::Column::Id).in_subquery(ids),
        _ => col(case::Column::ContactId).in_subquery(ids),
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
/// condition on `contacts.id`.
pub fn contact_candidates(backend: Backend, indexed: Indexed, stored: &str) -> Option<Expr> {
    let ids = candidate_ids(backend, indexed, stored)?;
    Some(Expr::col((Alias::new("ct"), contact::Column::Id)).in_subquery(ids))
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
    fn pg_trgm_narrows_only_needles_with_a_word_of_three_letters() {
        for weak in ["n s", "a.o", "z sp.", "k e", "ab", "x sp. z"] {
            assert!(!has_trigram_word(weak), "{weak}");
        }
        for narrowing in ["kowal", " kowal", "sp. z o.o. łódź", "7273", "a.b@abc"] {
            assert!(has_trigram_word(narrowing), "{narrowing}");
        }
        assert!(candidate_ids(Backend::Postgres, Indexed::CaseSubject, "n s").is_none());
        assert!(candidate_ids(Backend::Sqlite, Indexed::CaseSubject, "n s").is_some());
    }
}
