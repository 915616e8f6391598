//! The pipeline list, its tab counts and search: keyset pagination over
//! any sort with ties broken by id and empty values last, under any
//! combination of filters, at a million cases.
//!
//! Each page is found in one of two ways, chosen per request by how many
//! cases the sample says match ([`super::sample`]):
//!
//! - **walk**: read the cases in sort order (an index gives it) and keep
//!   those that match, until the page is full. Cheap when matches are
//!   common: a filter matching 10 % fills a page of 50 after ~500 rows.
//! - **filter first**: find every match through the filters' indexes
//!   (trigram indexes for text), then sort just those. Cheap when matches
//!   are rare, where a walk would read most of the table to fill a page.
//!
//! Then the page's rows are read by id.

use std::collections::HashMap;

use lejek_domain::dto::{CaseRow, TabCounts};
use lejek_domain::{Direction, SortKey, Status};
use sea_orm::sea_query::{
    Alias, CommonTableExpression, Condition, Expr, ExprTrait, Func, NullOrdering, Order, Query,
    SelectStatement, WithClause,
};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use serde_json::Value as Json;

use super::filter::{C, CampaignScope, CaseFilter, col, search_number};
use super::row::{CaseRecord, record_select};
use super::sample::{Estimate, Sampled};
use super::sort::{SortColumn, sort_column};
use super::text::{case_candidates, search_candidates};
use crate::codes::StoredCode;
use crate::connect::Store;
use crate::entity::case;
use crate::error::{StoreError, StoreResult};

/// One page of cases and, when more follow, the sort key of its last row.
#[derive(Debug, Clone)]
pub struct CasePage {
    pub rows: Vec<CaseRow>,
    /// The last row's sort values followed by its id; `None` on the last page.
    pub next_after: Option<Vec<Json>>,
}

/// Rows a walk may be expected to read before filtering first is cheaper.
const WALK_BUDGET: f64 = 20_000.0;
/// Up to this many expected text matches, the trigram index finds them
/// faster than reading the rows they are in.
const CANDIDATE_LIMIT: f64 = 40_000.0;
/// The CTE that holds the matches of a filter-first plan.
const MATCHES: &str = "m";

/// How a page is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    Walk,
    FilterFirst { candidates: bool },
}

/// One sort key with its column.
#[derive(Debug, Clone, Copy)]
struct Key {
    key: SortKey,
    column: SortColumn,
    /// Whether this query's rows may hold NULL in it.
    nullable: bool,
}

/// One index-friendly query of a list page: its keys, an extra condition,
/// and where it resumes.
struct ListPart<'a> {
    keys: &'a [Key],
    id_direction: Direction,
    condition: Option<Expr>,
    after: Option<&'a [Json]>,
    /// Rows to read: one more than the page, to know if another follows.
    fetch: u32,
}

#[derive(FromQueryResult)]
struct IdRow {
    id: i64,
}

/// The estimates a plan is chosen by.
#[derive(Debug, Clone, Copy, Default)]
struct Selectivity {
    /// The expected number of matches and the walk's domain.
    whole: Option<Estimate>,
    /// Expected matches of the text conditions alone.
    text_matches: Option<f64>,
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
        let plan = self.list_plan(filter, fetch).await;
        let id_direction = sort.last().map_or(Direction::Asc, |key| key.direction);
        let keys: Vec<Key> = sort
            .iter()
            .map(|key| {
                let column = sort_column(key.field);
                Key {
                    key: *key,
                    column,
                    nullable: column.nullable,
                }
            })
            .collect();
        let ids = match keys.first() {
            // Empty values come last in either direction. An index cannot
            // give that order in one scan, so the rows with a value and
            // the empty ones are read as two index-friendly parts.
            Some(first) if first.nullable => {
                let column = col(first.column.column);
                let in_empty_part = after.is_some_and(|after| after.first().is_some_and(Json::is_null));
                let mut ids = Vec::new();
                if !in_empty_part {
                    let mut with_value = keys.clone();
                    with_value[0].nullable = false;
                    let part = ListPart {
                        keys: &with_value,
                        id_direction,
                        condition: Some(column.clone().is_not_null()),
                        after,
                        fetch,
                    };
                    ids = self.part_ids(filter, plan, &part).await?;
                }
                if ids.len() < fetch as usize {
                    let part = ListPart {
                        keys: &keys[1..],
                        id_direction,
                        condition: Some(column.is_null()),
                        after: after.filter(|_| in_empty_part).map(|after| &after[1..]),
                        fetch: fetch - ids.len() as u32,
                    };
                    ids.extend(self.part_ids(filter, plan, &part).await?);
                }
                ids
            }
            _ => {
                let part = ListPart {
                    keys: &keys,
                    id_direction,
                    condition: None,
                    after,
                    fetch,
                };
                self.part_ids(filter, plan, &part).await?
            }
        };
        let has_more = ids.len() > usize::from(limit);
        let mut records = self
            .records_in_order(&ids[..ids.len().min(usize::from(limit))])
            .await?;
        let next_after = match records.last() {
            Some(last) if has_more => {
                let mut values: Vec<Json> = keys
                    .iter()
                    .map(|key| key.column.cursor_value(&last.case))
                    .collect();
                values.push(Json::from(last.case.id));
                Some(values)
            }
            _ => None,
        };
        let rows = records
            .drain(..)
            .map(|record| record.to_row())
            .collect::<StoreResult<_>>()?;
        Ok(CasePage { rows, next_after })
    }

    /// The records of `ids`, in that order.
    async fn records_in_order(&self, ids: &[i64]) -> StoreResult<Vec<CaseRecord>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let query = record_select()
            .and_where(col(case::Column::Id).is_in(ids.iter().copied()))
            .to_owned();
        let statement = self.connection().get_database_backend().build(&query);
        let mut by_id: HashMap<i64, CaseRecord> = CaseRecord::find_by_statement(statement)
            .all(self.connection())
            .await?
            .into_iter()
            .map(|record| (record.case.id, record))
            .collect();
        // A row deleted in between is simply left out.
        Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    async fn selectivity(&self, filter: &CaseFilter<'_>, with_text: bool) -> Selectivity {
        let domain = match filter.campaign {
            CampaignScope::One(id) => Condition::all().add(col(case::Column::CampaignId).eq(id.0)),
            CampaignScope::Any => Condition::all(),
        };
        let whole = self
            .estimate(Sampled::Cases, C, domain.clone(), filter.row_condition())
            .await;
        let text_matches = if with_text {
            let mut text = Condition::all();
            for needle in filter.needles() {
                text = text.add(needle.field.like(&needle.needle));
            }
            if let Some(search) = filter.search_text() {
                text = text.add(super::filter::search_condition(search));
            }
            self.estimate(Sampled::Cases, C, domain, text)
                .await
                .map(|estimate| estimate.matches)
        } else {
            None
        };
        Selectivity { whole, text_matches }
    }

    fn has_text(filter: &CaseFilter<'_>) -> bool {
        !filter.needles().is_empty() || filter.search_text().is_some()
    }

    async fn list_plan(&self, filter: &CaseFilter<'_>, fetch: u32) -> Plan {
        let text = Self::has_text(filter);
        // A number or a contact picks a handful of rows through its index.
        if filter.filters.number.is_some() || filter.contact.is_some() {
            return Plan::FilterFirst { candidates: false };
        }
        let selectivity = self.selectivity(filter, text).await;
        let Some(whole) = selectivity.whole else {
            return Plan::Walk;
        };
        let share = whole.selectivity();
        if share > 0.0 && f64::from(fetch) / share <= WALK_BUDGET {
            Plan::Walk
        } else {
            Plan::FilterFirst {
                candidates: text && selectivity.text_matches.is_some_and(|m| m <= CANDIDATE_LIMIT),
            }
        }
    }

    /// The condition of `filter` on `c`, with trigram candidates when asked.
    fn condition(&self, filter: &CaseFilter<'_>, candidates: bool) -> Condition {
        let mut condition = filter.row_condition();
        if candidates {
            for needle in filter.needles() {
                if let Some(narrowed) = case_candidates(self.backend(), &needle) {
                    condition = condition.add(narrowed);
                }
            }
            if let Some(text) = filter.search_text()
                && let Some(narrowed) = search_candidates(self.backend(), text, search_number(text))
            {
                condition = condition.add(narrowed);
            }
        }
        condition
    }

    async fn part_ids(
        &self,
        filter: &CaseFilter<'_>,
        plan: Plan,
        part: &ListPart<'_>,
    ) -> StoreResult<Vec<i64>> {
        let candidates = matches!(plan, Plan::FilterFirst { candidates: true });
        let mut condition = self.condition(filter, candidates);
        if let Some(extra) = &part.condition {
            condition = condition.add(extra.clone());
        }
        if let Some(after) = part.after {
            condition = condition.add(after_condition(part.keys, part.id_direction, after)?);
        }
        let query = match plan {
            Plan::Walk => {
                let mut query = Query::select();
                query
                    .column((C, case::Column::Id))
                    .from_as(case::Entity, C)
                    .cond_where(condition);
                order_by(&mut query, C, part);
                query.limit(u64::from(part.fetch));
                self.connection().get_database_backend().build(&query)
            }
            Plan::FilterFirst { .. } => {
                // The matches are found on their own (MATERIALIZED keeps the
                // database from walking a sort index instead), then sorted.
                let mut matches = Query::select();
                matches.column((C, case::Column::Id));
                for key in part.keys {
                    matches.column((C, key.column.column));
                }
                matches.from_as(case::Entity, C).cond_where(condition);
                let cte = CommonTableExpression::new()
                    .query(matches)
                    .table_name(Alias::new(MATCHES))
                    .materialized(true)
                    .to_owned();
                let mut query = Query::select();
                query
                    .column((MATCHES, case::Column::Id))
                    .from(Alias::new(MATCHES));
                order_by(&mut query, MATCHES, part);
                query.limit(u64::from(part.fetch));
                let with = WithClause::new().cte(cte).to_owned();
                self.connection().get_database_backend().build(&query.with(with))
            }
        };
        Ok(IdRow::find_by_statement(query)
            .all(self.connection())
            .await?
            .into_iter()
            .map(|row| row.id)
            .collect())
    }

    /// How many cases each tab holds under `filter` (its statuses narrow
    /// the counts too), in one query.
    pub async fn count_cases(&self, filter: &CaseFilter<'_>) -> StoreResult<TabCounts> {
        if let Some(counts) = self.tallied_counts(filter).await? {
            return Ok(counts);
        }
        let candidates = Self::has_text(filter)
            && self
                .selectivity(filter, true)
                .await
                .text_matches
                .is_some_and(|matches| matches <= CANDIDATE_LIMIT);
        let mut query = Query::select();
        // One aggregate per status rather than GROUP BY: with no grouping
        // to satisfy, the planner picks the index that fits the filters.
        for status in Status::ALL {
            query.expr_as(
                Func::cast_as(
                    Func::sum(Expr::case(col(case::Column::Status).eq(status.stored()), 1).finally(0)),
                    Alias::new("BIGINT"),
                ),
                Alias::new(format!("s{}", status.stored())),
            );
        }
        query
            .from_as(case::Entity, C)
            .cond_where(self.condition(filter, candidates));
        let statement = self.connection().get_database_backend().build(&query);
        let row = self
            .connection()
            .query_one_raw(statement)
            .await?
            .ok_or(StoreError::Corrupt("counts"))?;
        let mut counts = TabCounts::default();
        for status in Status::ALL {
            let cases: Option<i64> = row.try_get("", &format!("s{}", status.stored()))?;
            counts.add(*status, u64::try_from(cases.unwrap_or(0)).unwrap_or_default());
        }
        Ok(counts)
    }
}

fn direction(direction: Direction) -> Order {
    match direction {
        Direction::Asc => Order::Asc,
        Direction::Desc => Order::Desc,
    }
}

/// `ORDER BY <keys>, id` on the rows of `table`.
fn order_by(query: &mut SelectStatement, table: &'static str, part: &ListPart<'_>) {
    for key in part.keys {
        let column = (table, key.column.column);
        if key.nullable {
            query.order_by_with_nulls(column, direction(key.key.direction), NullOrdering::Last);
        } else {
            query.order_by(column, direction(key.key.direction));
        }
    }
    query.order_by((table, case::Column::Id), direction(part.id_direction));
}

fn bad_cursor() -> StoreError {
    StoreError::Invalid(lejek_domain::Violations::single(
        "cursor",
        lejek_domain::ViolationCode::InvalidValue,
    ))
}

/// A key of the cursor condition: its column, direction and value.
struct After {
    column: case::Column,
    nullable: bool,
    direction: Direction,
    value: Option<Value>,
}

/// "Comes after the row with these sort values" with NULLs last in either
/// direction. When no key can be NULL and all go one way, a row comparison
/// lets the database seek straight to the spot in its index.
fn after_condition(keys: &[Key], id_direction: Direction, after: &[Json]) -> StoreResult<Condition> {
    if after.len() != keys.len() + 1 {
        return Err(bad_cursor());
    }
    let id = after[keys.len()].as_i64().ok_or_else(bad_cursor)?;
    let mut parts: Vec<After> = Vec::with_capacity(keys.len() + 1);
    for (key, value) in keys.iter().zip(after) {
        let value = key.column.bind_value(value)?;
        if value.is_none() && !key.nullable {
            return Err(bad_cursor());
        }
        parts.push(After {
            column: key.column.column,
            nullable: key.nullable,
            direction: key.key.direction,
            value,
        });
    }
    parts.push(After {
        column: case::Column::Id,
        nullable: false,
        direction: id_direction,
        value: Some(id.into()),
    });

    let beyond = |direction: Direction, left: Expr, right: Expr| match direction {
        Direction::Asc => left.gt(right),
        Direction::Desc => left.lt(right),
    };
    let uniform = parts
        .iter()
        .all(|part| !part.nullable && part.direction == id_direction);
    if uniform {
        let columns = Expr::tuple(parts.iter().map(|part| col(part.column)));
        let values = Expr::tuple(parts.iter().filter_map(|part| part.value.clone().map(Expr::val)));
        return Ok(Condition::all().add(beyond(id_direction, columns, values)));
    }

    let mut any = Condition::any();
    for position in 0..parts.len() {
        let part = &parts[position];
        // After a NULL nothing but NULLs follow, so this branch is empty.
        let Some(value) = &part.value else { continue };
        let mut branch = Condition::all();
        for earlier in &parts[..position] {
            branch = branch.add(match &earlier.value {
                Some(v) => col(earlier.column).eq(Expr::val(v.clone())),
                None => col(earlier.column).is_null(),
            });
        }
        let step = beyond(part.direction, col(part.column), Expr::val(value.clone()));
        branch = branch.add(if part.nullable {
            Condition::any().add(step).add(col(part.column).is_null())
        } else {
            Condition::all().add(step)
        });
        any = any.add(branch);
    }
    Ok(any)
}
