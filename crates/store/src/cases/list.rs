//! The pipeline list, its tab counts and search: one filter builder, keyset
//! pagination over any sort with ties broken by id, empty values last.

use chrono::{DateTime, NaiveDate, Utc};
use lejek_domain::dto::{CaseRow, TabCounts};
use lejek_domain::{
    CampaignId, ContactId, Direction, ListScope, OwnerFilter, PipelineFilters, SortField, SortKey, Status,
    UserId, digits_of,
};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use serde_json::Value as Json;

use super::row::{CASE_COLUMNS, CASE_FROM, CaseRecord};
use crate::codes::{source_code, stage_code, status_code};
use crate::connect::Store;
use crate::error::{StoreError, StoreResult};
use crate::search::like_pattern;
use crate::sql::SqlBuilder;

/// Which campaigns a query covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CampaignScope {
    One(CampaignId),
    /// Every campaign, SPAM included (search).
    Any,
}

/// What to list; the API builds it from a parsed query and the actor.
#[derive(Debug, Clone, Copy)]
pub struct CaseFilter<'a> {
    pub scope: ListScope,
    /// The caller, for `owner=me`.
    pub caller: UserId,
    pub campaign: CampaignScope,
    /// `None`: any status; an empty list matches nothing.
    pub statuses: Option<&'a [Status]>,
    pub filters: &'a PipelineFilters,
    /// Search text matched against number, subject, contact, company,
    /// e-mail and phone.
    pub text: Option<&'a str>,
    /// Only the cases of this contact (the contact card).
    pub contact: Option<ContactId>,
}

/// One page of cases and, when more follow, the sort key of its last row.
#[derive(Debug, Clone)]
pub struct CasePage {
    pub rows: Vec<CaseRow>,
    /// The last row's sort values followed by its id; `None` on the last page.
    pub next_after: Option<Vec<Json>>,
}

/// How a sort field is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Integer,
    Timestamp,
    Date,
    Text,
}

/// The column, whether it may be NULL, and its kind.
fn sort_column(field: SortField) -> (&'static str, bool, KeyKind) {
    match field {
        SortField::Number => ("c.number", false, KeyKind::Integer),
        SortField::Source => ("c.source", false, KeyKind::Integer),
        SortField::Status => ("c.status", false, KeyKind::Integer),
        SortField::Stage => ("c.stage", true, KeyKind::Integer),
        SortField::CreatedAt => ("c.created_at", false, KeyKind::Timestamp),
        SortField::ExpectedCloseDate => ("c.expected_close_date", false, KeyKind::Date),
        SortField::FollowUpAt => ("c.follow_up_at", true, KeyKind::Timestamp),
        SortField::Contact => ("c.contact_search", false, KeyKind::Text),
        SortField::Company => ("c.company_search", true, KeyKind::Text),
        SortField::Email => ("c.email", true, KeyKind::Text),
        SortField::Subject => ("c.subject_search", false, KeyKind::Text),
        SortField::Owner => ("c.owner_name", true, KeyKind::Text),
    }
}

/// The value of a sort field on a row, as it goes into a cursor.
fn key_value(record: &CaseRecord, field: SortField) -> Json {
    let text = |value: &Option<String>| value.clone().map_or(Json::Null, Json::String);
    match field {
        SortField::Number => Json::from(record.number),
        SortField::Source => Json::from(record.source),
        SortField::Status => Json::from(record.status),
        SortField::Stage => record.stage.map_or(Json::Null, Json::from),
        SortField::CreatedAt => Json::String(record.created_at.to_rfc3339()),
        SortField::ExpectedCloseDate => Json::String(record.expected_close_date.to_string()),
        SortField::FollowUpAt => record
            .follow_up_at
            .map_or(Json::Null, |at| Json::String(at.to_rfc3339())),
        SortField::Contact => Json::String(record.contact_search.clone()),
        SortField::Company => text(&record.company_search),
        SortField::Email => text(&record.email),
        SortField::Subject => Json::String(record.subject_search.clone()),
        SortField::Owner => text(&record.owner_name),
    }
}

/// A cursor value back as a bindable value; `Ok(None)` for NULL. A value
/// of the wrong shape means the cursor was not made by this server.
fn bind_value(kind: KeyKind, value: &Json) -> Result<Option<Value>, StoreError> {
    let bad = || {
        StoreError::Invalid(lejek_domain::Violations::single(
            "cursor",
            lejek_domain::ViolationCode::InvalidValue,
        ))
    };
    if value.is_null() {
        return Ok(None);
    }
    Ok(Some(match kind {
        KeyKind::Integer => value.as_i64().ok_or_else(bad)?.into(),
        KeyKind::Timestamp => DateTime::parse_from_rfc3339(value.as_str().ok_or_else(bad)?)
            .map_err(|_| bad())?
            .with_timezone(&Utc)
            .into(),
        KeyKind::Date => NaiveDate::parse_from_str(value.as_str().ok_or_else(bad)?, "%Y-%m-%d")
            .map_err(|_| bad())?
            .into(),
        KeyKind::Text => value.as_str().ok_or_else(bad)?.to_owned().into(),
    }))
}

impl Store {
    /// One page of cases under `filter`, ordered by `sort` then id, after
    /// the row whose sort values are `after` (from [`CasePage::next_after`]).
    pub async fn list_cases(
        &self,
        filter: &CaseFilter<'_>,
        sort: &[SortKey],
        limit: u16,
        after: Option<&[Json]>,
    ) -> StoreResult<CasePage> {
        let fetch = u32::from(limit) + 1;
        let id_direction = sort.last().map_or(Direction::Asc, |key| key.direction);
        let natural: Vec<(SortKey, bool)> = sort.iter().map(|key| (*key, sort_column(key.field).1)).collect();
        let mut records = match sort.first() {
            // Empty values come last in either direction. An index cannot
            // give that order in one scan, so the rows with a value and
            // the empty ones are read as two index-friendly parts.
            Some(first) if sort_column(first.field).1 => {
                let (column, _, _) = sort_column(first.field);
                let in_empty_part = after.is_some_and(|after| after.first().is_some_and(Json::is_null));
                let mut records = Vec::new();
                if !in_empty_part {
                    let mut keys = natural.clone();
                    keys[0].1 = false;
                    let part = ListPart {
                        keys: &keys,
                        id_direction,
                        condition: Some(format!("{column} IS NOT NULL")),
                        after,
                        fetch,
                    };
                    records = self.fetch_part(filter, &part).await?;
                }
                if records.len() < fetch as usize {
                    let part = ListPart {
                        keys: &natural[1..],
                        id_direction,
                        condition: Some(format!("{column} IS NULL")),
                        after: after.filter(|_| in_empty_part).map(|after| &after[1..]),
                        fetch: fetch - records.len() as u32,
                    };
                    records.extend(self.fetch_part(filter, &part).await?);
                }
                records
            }
            _ => {
                let part = ListPart {
                    keys: &natural,
                    id_direction,
                    condition: None,
                    after,
                    fetch,
                };
                self.fetch_part(filter, &part).await?
            }
        };
        let has_more = records.len() > usize::from(limit);
        records.truncate(usize::from(limit));
        let next_after = match records.last() {
            Some(last) if has_more => {
                let mut values: Vec<Json> = sort.iter().map(|key| key_value(last, key.field)).collect();
                values.push(Json::from(last.id));
                Some(values)
            }
            _ => None,
        };
        let rows = records
            .iter()
            .map(CaseRecord::to_row)
            .collect::<StoreResult<_>>()?;
        Ok(CasePage { rows, next_after })
    }

    async fn fetch_part(&self, filter: &CaseFilter<'_>, part: &ListPart<'_>) -> StoreResult<Vec<CaseRecord>> {
        let statement = list_statement(self.backend(), filter, part)?;
        Ok(CaseRecord::find_by_statement(statement)
            .all(self.connection())
            .await?)
    }

    /// How many cases each tab holds under `filter` (its statuses narrow
    /// the counts too), in one query.
    pub async fn count_cases(&self, filter: &CaseFilter<'_>) -> StoreResult<TabCounts> {
        if let Some(counts) = self.tallied_counts(filter).await? {
            return Ok(counts);
        }
        #[derive(FromQueryResult)]
        struct Counts {
            s1: i64,
            s2: i64,
            s3: i64,
            s4: i64,
            s5: i64,
        }
        // One aggregate per status rather than GROUP BY: with no grouping
        // to satisfy, the planner picks the index that fits the filters.
        let mut sql = SqlBuilder::new(self.backend());
        sql.push("SELECT ");
        for status in Status::ALL {
            let code = status_code(*status);
            sql.push(&format!("COUNT(*) FILTER (WHERE c.status = {code}) AS s{code}, "));
        }
        sql.push("0 AS unused FROM cases c WHERE ");
        push_filter(&mut sql, filter);
        let row = Counts::find_by_statement(sql.build())
            .one(self.connection())
            .await?
            .ok_or(StoreError::Corrupt("counts"))?;
        let mut counts = TabCounts::default();
        for (status, cases) in Status::ALL.iter().zip([row.s1, row.s2, row.s3, row.s4, row.s5]) {
            counts.add(*status, u64::try_from(cases).unwrap_or_default());
        }
        Ok(counts)
    }

    /// The raw SQL of a list query, for the benchmark's API / SQL ratio.
    pub fn list_cases_statement(
        &self,
        filter: &CaseFilter<'_>,
        sort: &[SortKey],
        limit: u16,
    ) -> StoreResult<sea_orm::Statement> {
        let keys: Vec<(SortKey, bool)> = sort.iter().map(|key| (*key, sort_column(key.field).1)).collect();
        let part = ListPart {
            keys: &keys,
            id_direction: sort.last().map_or(Direction::Asc, |key| key.direction),
            condition: None,
            after: None,
            fetch: u32::from(limit) + 1,
        };
        list_statement(self.backend(), filter, &part)
    }

    /// Runs a statement and counts its rows (benchmark baseline).
    pub async fn run_statement(&self, statement: sea_orm::Statement) -> StoreResult<usize> {
        Ok(self.connection().query_all_raw(statement).await?.len())
    }
}

/// One index-friendly query of a list page: its sort keys (each with
/// whether it may be NULL here), an extra condition, and where it resumes.
struct ListPart<'a> {
    keys: &'a [(SortKey, bool)],
    id_direction: Direction,
    condition: Option<String>,
    after: Option<&'a [Json]>,
    /// Rows to read: one more than the page, to know if another follows.
    fetch: u32,
}

fn list_statement(
    backend: crate::Backend,
    filter: &CaseFilter<'_>,
    part: &ListPart<'_>,
) -> StoreResult<sea_orm::Statement> {
    let mut sql = SqlBuilder::new(backend);
    sql.push("SELECT ")
        .push(CASE_COLUMNS)
        .push(" FROM ")
        .push(CASE_FROM)
        .push(" WHERE ");
    push_filter(&mut sql, filter);
    if let Some(condition) = &part.condition {
        sql.push(" AND ").push(condition);
    }
    if let Some(after) = part.after {
        sql.push(" AND ");
        push_after(&mut sql, part.keys, part.id_direction, after)?;
    }
    sql.push(" ORDER BY ");
    for (key, nullable) in part.keys {
        sql.push(sort_column(key.field).0)
            .push(direction_sql(key.direction));
        if *nullable {
            sql.push(" NULLS LAST");
        }
        sql.push(", ");
    }
    sql.push("c.id").push(direction_sql(part.id_direction));
    sql.push(" LIMIT ").push(&part.fetch.to_string());
    Ok(sql.build())
}

fn direction_sql(direction: Direction) -> &'static str {
    match direction {
        Direction::Asc => " ASC",
        Direction::Desc => " DESC",
    }
}

/// Appends the WHERE conditions of `filter` (always at least one).
fn push_filter(sql: &mut SqlBuilder, filter: &CaseFilter<'_>) {
    let f = filter.filters;
    sql.push("1 = 1");
    match filter.campaign {
        CampaignScope::One(id) => {
            sql.push(" AND c.campaign_id = ").bind(id.0);
        }
        CampaignScope::Any => {}
    }
    if let ListScope::OwnedBy(owner) = filter.scope {
        sql.push(" AND c.owner_id = ").bind(owner.0);
    }
    if let Some(contact) = filter.contact {
        sql.push(" AND c.contact_id = ").bind(contact.0);
    }
    if let Some(statuses) = filter.statuses {
        if statuses.is_empty() {
            sql.push(" AND 1 = 0");
        } else {
            sql.push(" AND c.status IN ")
                .bind_list(statuses.iter().map(|s| status_code(*s)));
        }
    }
    if !f.source.is_empty() {
        sql.push(" AND c.source IN ")
            .bind_list(f.source.iter().map(|s| source_code(*s)));
    }
    if !f.stage.is_empty() {
        sql.push(" AND c.stage IN ")
            .bind_list(f.stage.iter().map(|s| stage_code(*s)));
    }
    if !f.qualifier.is_empty() {
        sql.push(" AND c.qualifier_id IN ")
            .bind_list(f.qualifier.iter().map(|q| q.0));
    }
    if let Some(number) = f.number {
        sql.push(" AND c.number = ").bind(number);
    }
    let (created_from, created_until) = f.created_between();
    if let Some(from) = created_from {
        sql.push(" AND c.created_at >= ").bind(from);
    }
    if let Some(until) = created_until {
        sql.push(" AND c.created_at < ").bind(until);
    }
    if let Some(from) = f.close_from {
        sql.push(" AND c.expected_close_date >= ").bind(from);
    }
    if let Some(to) = f.close_to {
        sql.push(" AND c.expected_close_date <= ").bind(to);
    }
    for (column, text) in [
        ("c.contact_search", &f.contact),
        ("c.company_search", &f.company),
        ("c.email", &f.email),
        ("c.subject_search", &f.subject),
    ] {
        if let Some(text) = text {
            sql.push(" AND ")
                .push(column)
                .push(" LIKE ")
                .bind(like_pattern(text.as_str()))
                .push(" ESCAPE '\\'");
        }
    }
    if let Some(digits) = f.phone_digits() {
        sql.push(" AND c.phone_digits LIKE ").bind(format!("%{digits}%"));
    }
    match f.owner {
        Some(OwnerFilter::Me) => {
            sql.push(" AND c.owner_id = ").bind(filter.caller.0);
        }
        Some(OwnerFilter::Unassigned) => {
            sql.push(" AND c.owner_id IS NULL");
        }
        Some(OwnerFilter::User(id)) => {
            sql.push(" AND c.owner_id = ").bind(id.0);
        }
        None => {}
    }
    if let Some(created_by) = f.created_by {
        sql.push(" AND c.created_by = ").bind(created_by.0);
    }
    if let Some(text) = filter.text.map(str::trim).filter(|text| !text.is_empty()) {
        let pattern = like_pattern(text);
        sql.push(" AND (c.subject_search LIKE ")
            .bind(pattern.clone())
            .push(" ESCAPE '\\'");
        sql.push(" OR c.contact_search LIKE ")
            .bind(pattern.clone())
            .push(" ESCAPE '\\'");
        sql.push(" OR c.company_search LIKE ")
            .bind(pattern.clone())
            .push(" ESCAPE '\\'");
        sql.push(" OR c.email LIKE ").bind(pattern).push(" ESCAPE '\\'");
        let digits = digits_of(text);
        if digits.len() >= 3 {
            sql.push(" OR c.phone_digits LIKE ").bind(format!("%{digits}%"));
        }
        if let Ok(number) = text.trim_start_matches('#').parse::<i64>() {
            sql.push(" OR c.number = ").bind(number);
        }
        sql.push(")");
    }
}

/// Appends "comes after the row with these sort values" with NULLs last
/// in either direction. When no key can be NULL and all go one way, a row
/// comparison lets the database seek straight to the spot in its index.
fn push_after(
    sql: &mut SqlBuilder,
    sort: &[(SortKey, bool)],
    id_direction: Direction,
    after: &[Json],
) -> StoreResult<()> {
    let bad_cursor = || {
        StoreError::Invalid(lejek_domain::Violations::single(
            "cursor",
            lejek_domain::ViolationCode::InvalidValue,
        ))
    };
    if after.len() != sort.len() + 1 {
        return Err(bad_cursor());
    }
    let id = after[sort.len()].as_i64().ok_or_else(bad_cursor)?;
    let mut keys: Vec<(&'static str, bool, Direction, Option<Value>)> = Vec::with_capacity(sort.len() + 1);
    for ((key, nullable), value) in sort.iter().zip(after) {
        let (column, _, kind) = sort_column(key.field);
        let nullable = *nullable;
        let value = bind_value(kind, value)?;
        if value.is_none() && !nullable {
            return Err(bad_cursor());
        }
        keys.push((column, nullable, key.direction, value));
    }
    keys.push(("c.id", false, id_direction, Some(id.into())));

    let uniform = keys
        .iter()
        .all(|(_, nullable, direction, _)| !nullable && *direction == id_direction);
    if uniform {
        let columns: Vec<&str> = keys.iter().map(|(column, ..)| *column).collect();
        sql.push("(").push(&columns.join(", ")).push(")");
        sql.push(if id_direction == Direction::Asc {
            " > "
        } else {
            " < "
        });
        sql.bind_list(keys.into_iter().filter_map(|(.., value)| value));
        return Ok(());
    }

    sql.push("(");
    let mut first = true;
    for position in 0..keys.len() {
        let (column, nullable, direction, value) = &keys[position];
        // After a NULL nothing but NULLs follow, so this branch is empty.
        let Some(value) = value else { continue };
        if !first {
            sql.push(" OR ");
        }
        first = false;
        sql.push("(");
        for (earlier, _, _, earlier_value) in &keys[..position] {
            match earlier_value {
                Some(v) => sql.push(earlier).push(" = ").bind(v.clone()),
                None => sql.push(earlier).push(" IS NULL"),
            };
            sql.push(" AND ");
        }
        let comparison = if *direction == Direction::Asc {
            " > "
        } else {
            " < "
        };
        if *nullable {
            sql.push("(").push(column).push(comparison).bind(value.clone());
            sql.push(" OR ").push(column).push(" IS NULL)");
        } else {
            sql.push(column).push(comparison).bind(value.clone());
        }
        sql.push(")");
    }
    sql.push(")");
    Ok(())
}
