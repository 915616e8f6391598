//! The pipeline list, its tab counts and search: keyset pagination over
//! any sort with ties broken by id and empty values last, under any
//! combination of filters, at a million cases.
//!
//! Each page is found in one of two ways:
//!
//! - **walk**: read the cases in sort order (an index gives it) and keep
//!   those that match, until the page is full. Cheap when matches are
//!   common and spread along the order: a filter matching 10 % fills a
//!   page of 50 after ~500 rows.
//! - **filter first**: find every match through the filters' indexes
//!   (trigram indexes for text), then sort just those. Cheap when matches
//!   are rare, or bunched far along the order (a contact filter "Kry…"
//!   sorted by contact), where a walk would read much of the table.
//!
//! The choice is made per request by walking the statistics sample
//! ([`super::sample`]) the same way: how far into the sample, in this
//! order and after this cursor, the page's share of matches lies tells how
//! far the real walk would go. Then the page's rows are read by id.

use std::collections::HashMap;

use lejek_domain::dto::{CaseRow, TabCounts};
use lejek_domain::{Direction, SortField, SortKey, Status};
use sea_orm::sea_query::{
    Alias, CommonTableExpression, Condition, Expr, ExprTrait, Func, NullOrdering, Order, Query,
    SelectStatement, WithClause,
};
use sea_orm::{ColumnTrait, ConnectionTrait, FromQueryResult, Iterable, ModelTrait, Value};
use serde_json::Value as Json;

use super::drivers::{
    BOUNDED_CANDIDATES, FILTER_INDEXED, FilterRead, ROW_READ, candidate_read, walk_drivers,
};
use super::filter::{C, CampaignScope, CaseFilter, Drivers, Term, col, every_row, same, search_number};
use super::row::{CaseRecord, record_select};
use super::sample::{ForcedPlan, Sampled};
use super::sort::{SortColumn, sort_column};
use super::text::{case_candidates, search_candidates};
use crate::codes::StoredCode;
use crate::connect::{Backend, Store};
use crate::entity::case;
use crate::error::{StoreError, StoreResult};

/// One page of cases and, when more follow, the sort key of its last row.
#[derive(Debug, Clone)]
pub struct CasePage {
    pub rows: Vec<CaseRow>,
    /// The last row's sort values followed by its id; `None` on the last page.
    pub next_after: Option<Vec<Json>>,
}

/// The cost (index entries read) a walk may be expected to take before
/// filtering first is considered.
const WALK_BUDGET: f64 = 40_000.0;
/// Reading the rows in the order they are stored costs this many index
/// entries each.
const IN_ORDER_ROW_READ: f64 = 3.0;
/// A count whose read costs more than this is split in two halves read at
/// once.
const SPLIT_COST: f64 = 150_000.0;
/// Rows a walk may read when the cost of filtering first is unknown and
/// there is no sample to tell the campaign's size.
const WALK_ROWS: f64 = 20_000.0;
/// Without an estimate of the filters' own read (PostgreSQL), up to this
/// many expected text matches the trigram index finds them faster than
/// reading the rows they are in: each costs a contact's and a case's heap
/// page read at random (~7 µs each here; `contact=złow`, 10,123 contacts
/// and 12,992 of their cases: 166 ms), against ~0.13 µs a row for a
/// parallel scan of the table (a million: ~130 ms).
const CANDIDATE_LIMIT: f64 = 6_000.0;
/// The CTE that holds the matches of a filter-first plan.
const MATCHES: &str = "m";

/// How a page is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    Walk,
    FilterFirst { candidates: bool },
}

/// Which rows of a nullable sort column a list part holds.
#[derive(Debug, Clone, Copy)]
enum Presence {
    Set(case::Column),
    Empty(case::Column),
}

impl Presence {
    fn condition(self, drivers: &Drivers) -> Expr {
        match self {
            Presence::Set(column) => drivers.col(column).is_not_null(),
            Presence::Empty(column) => drivers.col(column).is_null(),
        }
    }
}

/// One sort key with its column.
#[derive(Debug, Clone, Copy)]
struct Key {
    key: SortKey,
    column: SortColumn,
    /// Whether this query's rows may hold NULL in it.
    nullable: bool,
}

/// `key` with its column.
fn key_of(key: SortKey) -> Key {
    let column = sort_column(key.field);
    Key {
        key,
        column,
        nullable: column.nullable,
    }
}

/// One index-friendly query of a list page: its keys, an extra condition,
/// and where it resumes.
struct ListPart<'a> {
    keys: &'a [Key],
    id_direction: Direction,
    condition: Option<Presence>,
    after: Option<&'a [Json]>,
    /// Rows to read: one more than the page, to know if another follows.
    fetch: u32,
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
        // Keys the filter holds constant order nothing: leaving them out
        // lets an index serve the ones that do (the cursor keeps them).
        let ordering = |position: usize| sort.get(position).is_none_or(|key| !filter.fixes(key.field));
        let after: Option<Vec<Json>> = after.map(|after| {
            (0..after.len())
                .filter(|position| ordering(*position))
                .map(|position| after[position].clone())
                .collect()
        });
        let after = after.as_deref();
        let all_keys: Vec<Key> = sort.iter().copied().map(key_of).collect();
        let keys: Vec<Key> = (0..sort.len())
            .filter(|position| ordering(*position))
            .map(|position| all_keys[position])
            .collect();
        let ids = match keys.first() {
            // Empty values come last in either direction. An index cannot
            // give that order in one scan, so the rows with a value and
            // the empty ones are read as two index-friendly parts.
            Some(first) if first.nullable => {
                let column = first.column.column;
                let in_empty_part = after.is_some_and(|after| after.first().is_some_and(Json::is_null));
                let mut ids = Vec::new();
                if !in_empty_part && !filter.never_set(first.key.field) {
                    let mut with_value = keys.clone();
                    with_value[0].nullable = false;
                    let part = ListPart {
                        keys: &with_value,
                        id_direction,
                        condition: Some(Presence::Set(column)),
                        after,
                        fetch,
                    };
                    ids = self.part_ids(filter, &part).await?;
                }
                if ids.len() < fetch as usize {
                    let part = ListPart {
                        keys: &keys[1..],
                        id_direction,
                        condition: Some(Presence::Empty(column)),
                        after: after.filter(|_| in_empty_part).map(|after| &after[1..]),
                        fetch: fetch - ids.len() as u32,
                    };
                    ids.extend(self.part_ids(filter, &part).await?);
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
                self.part_ids(filter, &part).await?
            }
        };
        let has_more = ids.len() > usize::from(limit);
        let mut records = self
            .records_in_order(&ids[..ids.len().min(usize::from(limit))])
            .await?;
        let next_after = match records.last() {
            Some(last) if has_more => {
                let mut values: Vec<Json> = all_keys
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

    /// Whether a trigram index narrows some text condition of `filter`.
    fn has_candidates(&self, filter: &CaseFilter<'_>) -> bool {
        let backend = self.backend();
        filter
            .needles()
            .iter()
            .any(|needle| case_candidates(backend, needle).is_some())
            || filter.search_text().is_some_and(|text| {
                search_candidates(backend, text, search_number(text), filter.fixed_owner()).is_some()
            })
    }

    /// Expected cases matching the text conditions of `filter` alone, in
    /// every campaign (the trigram candidates span them all, so the SPAM
    /// campaign's few cases do not make a common substring's candidates
    /// look few): when few, the trigram indexes find them faster than
    /// reading rows.
    async fn text_matches(&self, filter: &CaseFilter<'_>) -> Option<f64> {
        let mut text = Condition::all();
        for needle in filter.needles() {
            text = text.add(needle.field.like(&needle.needle));
        }
        if let Some(search) = filter.search_text() {
            text = text.add(super::filter::search_condition(search));
        }
        self.estimate(Sampled::Cases, C, Condition::all(), text).await
    }

    /// How this part of a page is best found, with the filter read it
    /// costed when that is the way.
    async fn part_plan(
        &self,
        filter: &CaseFilter<'_>,
        part: &ListPart<'_>,
        condition: &Condition,
    ) -> StoreResult<(Plan, Option<FilterRead>)> {
        match self.forced_plan() {
            Some(ForcedPlan::Walk) => return Ok((Plan::Walk, None)),
            Some(ForcedPlan::FilterFirst) => return Ok((Plan::FilterFirst { candidates: false }, None)),
            Some(ForcedPlan::FilterFirstFromTrigrams) => {
                let candidates = filter.has_text();
                return Ok((Plan::FilterFirst { candidates }, None));
            }
            None => {}
        }
        // A number or a contact picks a handful of rows through its index.
        if filter.filters.number.is_some() || filter.contact.is_some() {
            return Ok((Plan::FilterFirst { candidates: false }, None));
        }
        // Narrowed only by what the campaign, owner and status indexes
        // serve in any order: walking is what the database does best (in
        // a sort key's index, which carries them; not in the table's own
        // order, which does not).
        if part.condition.is_none() && !part.keys.is_empty() && filter.only_tallied() {
            return Ok((Plan::Walk, None));
        }
        // Costs in index entries read; a row read for an entry costs more.
        let walk = match self.simulated_walk(filter, part, condition).await? {
            Some(walk) if walk.cost > WALK_BUDGET => walk,
            _ => return Ok((Plan::Walk, None)),
        };
        // A long walk still beats filtering first when the filters' best
        // read is longer, counting a row read per match for its sort key.
        let (first, plan, read) = if filter.has_text() {
            let read = self.filter_read(filter, false).await;
            match self.text_matches(filter).await {
                Some(text) if self.has_candidates(filter) && candidates_beat(text, &read) => (
                    Some(text * candidate_read(self.backend())),
                    Plan::FilterFirst { candidates: true },
                    None,
                ),
                _ => (read.cost, Plan::FilterFirst { candidates: false }, Some(read)),
            }
        } else {
            let read = self.filter_read(filter, false).await;
            let cost = match read.cost.zip(read.matches) {
                Some((cost, matches)) => Some(cost + matches * ROW_READ),
                // PostgreSQL picks the filters' index itself; each match
                // costs a row read there.
                None if self.backend() == Backend::Postgres => self
                    .estimate(
                        Sampled::Cases,
                        C,
                        campaign_domain(filter),
                        filter.row_condition(&Drivers::Any),
                    )
                    .await
                    .map(|matches| matches * ROW_READ),
                None => None,
            };
            (cost, Plan::FilterFirst { candidates: false }, Some(read))
        };
        tracing::debug!(
            walk_rows = walk.rows,
            walk_cost = walk.cost,
            ?first,
            ?plan,
            "plan costs"
        );
        let first = match first {
            Some(first) => first,
            // Without an estimate of the other way (PostgreSQL, search over
            // every campaign), it reads every row of the campaign.
            None => self
                .sampled_rows(Sampled::Cases, C, campaign_domain(filter))
                .await
                .unwrap_or(WALK_ROWS),
        };
        let bounded = plan == Plan::FilterFirst { candidates: true } && first <= BOUNDED_CANDIDATES;
        Ok(match walk.cost < first && !bounded {
            true => (Plan::Walk, None),
            false => (plan, read),
        })
    }

    /// What a walk for this part would read, from the same walk on the
    /// sample: the rows in its order up to the one where the page's share
    /// of matches is reached. `None` without a sample.
    async fn simulated_walk(
        &self,
        filter: &CaseFilter<'_>,
        part: &ListPart<'_>,
        condition: &Condition,
    ) -> StoreResult<Option<WalkEstimate>> {
        let Some(stride) = self.sample_stride(Sampled::Cases) else {
            return Ok(None);
        };
        let backend = self.connection().get_database_backend();
        let mut domain = walk_domain(filter, part.keys);
        if let Some(presence) = &part.condition {
            domain = domain.add(presence.condition(&Drivers::Any));
        }
        if let Some(after) = part.after {
            domain = domain.add(after_condition(part.keys, part.id_direction, after)?);
        }
        let sample = Alias::new(Sampled::Cases.table());
        // The sample row that stands for the page's last match.
        let wanted = (f64::from(part.fetch) / stride as f64).ceil().max(1.0) as u64;
        let mut last = record_columns();
        last.from_as(sample.clone(), C)
            .cond_where(domain.clone().add(condition.clone()));
        order_by(&mut last, C, part);
        last.limit(1).offset(wanted - 1);
        let Some(row) = case::Model::find_by_statement(backend.build(&last))
            .one(self.connection())
            .await
            .ok()
            .flatten()
        else {
            // Fewer matches in the sample than the page wants: the walk
            // would read everything after the cursor.
            return Ok(self.walk_estimate(filter, part, domain, None).await);
        };
        // An index orders by the first key only: under more keys the walk
        // reads the last match's whole group of equal first keys to sort it.
        let up_to_last = match part.keys {
            [first, _, ..] => {
                let extreme = match first.key.direction {
                    Direction::Asc => i64::MAX,
                    Direction::Desc => i64::MIN,
                };
                let values = [first.column.cursor_value(&row), Json::from(extreme)];
                after_condition(std::slice::from_ref(first), first.key.direction, &values)?.not()
            }
            _ => {
                let mut values: Vec<Json> = part
                    .keys
                    .iter()
                    .map(|key| key.column.cursor_value(&row))
                    .collect();
                values.push(Json::from(row.id));
                after_condition(part.keys, part.id_direction, &values)?.not()
            }
        };
        Ok(self
            .walk_estimate(filter, part, domain, Some((up_to_last, condition)))
            .await)
    }

    /// The rows a walk through `domain` reads, up to the page's last match
    /// when `last` gives where it lies and the rows `matching`, and its
    /// cost: an index entry each, and a row read for each entry that passes
    /// the conditions the walk's index carries when others need the row.
    /// One pass over the sample.
    async fn walk_estimate(
        &self,
        filter: &CaseFilter<'_>,
        part: &ListPart<'_>,
        domain: Condition,
        last: Option<(Condition, &Condition)>,
    ) -> Option<WalkEstimate> {
        let first = part.keys.first().map(|key| key.key.field);
        let carried = walk_carries(first);
        let terms = filter.terms(&Drivers::Any);
        let (in_index, in_row): (Vec<Term>, Vec<Term>) = terms
            .into_iter()
            .partition(|term| carried.iter().any(|column| same(*column, term.column)));
        let needs_rows = first.is_some() && (filter.has_text() || !in_row.is_empty());
        let passing = in_index
            .into_iter()
            .fold(every_row(), |all, term| all.add(term.condition));
        let walked = match &last {
            Some((up_to_last, _)) => every_row().add(up_to_last.clone()),
            None => every_row(),
        };
        let mut conditions = vec![walked.clone(), walked.add(passing)];
        if let Some((_, matching)) = last {
            conditions.extend([matching.clone(), every_row()]);
        }
        let counts = self.estimates(Sampled::Cases, C, domain, conditions).await?;
        let (mut rows, passing) = (counts[0], counts[1]);
        // Walking the table itself in id order reads whole rows.
        let entry = if first.is_none() { 2.0 } else { 1.0 };
        // Cases are stored in the order they were created (and numbered):
        // a walk in that order reads its rows one page after another.
        let row_read = match first {
            Some(SortField::CreatedAt | SortField::Number) => IN_ORDER_ROW_READ,
            _ => ROW_READ,
        };
        let mut reads = if needs_rows { passing * row_read } else { 0.0 };
        // A rare substring's one match early in the sample stands for many
        // it lacks: the walk reads at least what evenly spread matches take.
        if let [_, _, matches, all] = counts[..]
            && matches > 0.0
        {
            let even = f64::from(part.fetch) * all / matches;
            if even > rows {
                reads *= even / rows.max(1.0);
                rows = even;
            }
        }
        Some(WalkEstimate {
            rows,
            cost: rows * entry + reads,
        })
    }

    /// The condition of `filter` on `c` as `drivers` let indexes read it,
    /// with trigram candidates when asked.
    fn condition(&self, filter: &CaseFilter<'_>, drivers: &Drivers, candidates: bool) -> Condition {
        let mut condition = filter.row_condition(drivers);
        if candidates {
            let narrowing = filter.needles().into_iter().filter_map(|needle| {
                case_candidates(self.backend(), &needle)
                    .map(|narrowed| (needle.needle.chars().count(), narrowed))
            });
            match self.backend() {
                // SQLite reads each candidate list into an index of its own.
                Backend::Sqlite => {
                    for (_, narrowed) in narrowing {
                        condition = condition.add(narrowed);
                    }
                }
                // PostgreSQL reads the contacts' candidates as an array,
                // which it searches row by row where another list drives
                // the read: one list, the longest needle's (the fewest
                // candidates, as a rule), drives; the others' LIKEs test
                // the rows it finds.
                Backend::Postgres => {
                    if let Some((_, narrowed)) = narrowing.max_by_key(|(length, _)| *length) {
                        condition = condition.add(narrowed);
                    }
                }
            }
            if let Some(text) = filter.search_text()
                && let Some(narrowed) =
                    search_candidates(self.backend(), text, search_number(text), filter.fixed_owner())
            {
                condition = condition.add(narrowed);
            }
        }
        condition
    }

    async fn part_ids(&self, filter: &CaseFilter<'_>, part: &ListPart<'_>) -> StoreResult<Vec<i64>> {
        let started = std::time::Instant::now();
        let (plan, costed) = self
            .part_plan(filter, part, &filter.row_condition(&Drivers::Any))
            .await?;
        let (mut condition, drivers) = match plan {
            Plan::Walk => {
                let first = part
                    .keys
                    .first()
                    .map_or(SortField::CreatedAt, |key| key.key.field);
                let drivers = walk_drivers(self.backend(), first);
                (self.condition(filter, &drivers, false), drivers)
            }
            Plan::FilterFirst { candidates } => {
                let read = match costed {
                    Some(read) => read,
                    None => self.filter_read(filter, candidates).await,
                };
                let mut condition = self.condition(filter, &read.drivers, candidates);
                if let Some(extra) = read.extra {
                    condition = condition.add(extra);
                }
                (condition, read.drivers)
            }
        };
        if let Some(presence) = &part.condition {
            condition = condition.add(presence.condition(&drivers));
        }
        if let Some(after) = part.after {
            condition = condition.add(after_condition(part.keys, part.id_direction, after)?);
        }
        let chosen = started.elapsed();
        if plan == Plan::Walk
            && part.keys.len() > 1
            && let Some(bound) = self.walk_bound(&condition, part).await?
        {
            condition = condition.add(bound);
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
        tracing::debug!(?plan, ?chosen, planned = ?started.elapsed(), sql = %query, "list part");
        let ids = match plan {
            Plan::Walk => self.walked_ids(query).await?,
            Plan::FilterFirst { .. } => self.ids(query).await?,
        };
        tracing::debug!(took = ?started.elapsed(), "list part read");
        Ok(ids)
    }

    /// Conditions that split a count's index range in two halves of about
    /// the same size, at the median, in the sample, of the column that
    /// orders it (statuses as two lists: a range next to a list of them
    /// leads SQLite to skip-scan another index). `None` when it has no
    /// such column, the column may be empty, or the sample is missing.
    async fn split_halves(
        &self,
        filter: &CaseFilter<'_>,
        read: &FilterRead,
    ) -> Option<(Condition, Condition)> {
        let column = read.lead?;
        if column.def().is_null() {
            return None;
        }
        // The sample's row at the middle of the read, in the column's order.
        let matching = filter.row_condition(&Drivers::Any);
        let stride = self.sample_stride(Sampled::Cases)?;
        let rows = self.sampled_rows(Sampled::Cases, C, matching.clone()).await? / stride as f64;
        let mut middle = record_columns();
        middle
            .from_as(Alias::new(Sampled::Cases.table()), C)
            .cond_where(matching)
            .order_by((C, column), Order::Asc)
            .limit(1)
            .offset((rows / 2.0) as u64);
        let backend = self.connection().get_database_backend();
        let median = case::Model::find_by_statement(backend.build(&middle))
            .one(self.connection())
            .await
            .ok()??
            .get(column);
        let half = |low: Expr, high: Expr| Some((Condition::all().add(low), Condition::all().add(high)));
        if same(column, case::Column::Status) {
            let Value::SmallInt(Some(median)) = median else {
                return None;
            };
            let allowed: Vec<i16> = filter
                .statuses
                .unwrap_or(Status::ALL)
                .iter()
                .map(|status| status.stored())
                .collect();
            let (low, high): (Vec<i16>, Vec<i16>) = allowed.into_iter().partition(|code| *code < median);
            if low.is_empty() || high.is_empty() {
                return None;
            }
            return half(col(column).is_in(low), col(column).is_in(high));
        }
        half(
            col(column).lt(Expr::val(median.clone())),
            col(column).gte(Expr::val(median)),
        )
    }

    /// For a walk under several sort keys: the rows up to the first key's
    /// value at the page's last row. An index gives only the first key's
    /// order; the page's rows all lie within this range, which a walk in
    /// that order finds first, and sorting just the range by every key is
    /// cheap. `None` when fewer rows than a page remain (they are few).
    async fn walk_bound(&self, condition: &Condition, part: &ListPart<'_>) -> StoreResult<Option<Expr>> {
        let Some(first) = part.keys.first() else {
            return Ok(None);
        };
        let mut probe = record_columns();
        probe.from_as(case::Entity, C).cond_where(condition.clone());
        let order = direction(first.key.direction);
        if first.nullable {
            probe.order_by_with_nulls((C, first.column.column), order, NullOrdering::Last);
        } else {
            probe.order_by((C, first.column.column), order);
        }
        // Only the first key's value at that row matters, whatever order its
        // ties are in: ordering by the id too would make SQLite sort every
        // row rather than stop early along the first key's index.
        probe.limit(1).offset(u64::from(part.fetch) - 1);
        let backend = self.connection().get_database_backend();
        let Some(last) = case::Model::find_by_statement(backend.build(&probe))
            .one(self.connection())
            .await?
        else {
            return Ok(None);
        };
        let Some(value) = first.column.bind_value(&first.column.cursor_value(&last))? else {
            // Only empty values from here on: every non-empty one is before.
            return Ok(None);
        };
        let column = col(first.column.column);
        Ok(Some(match first.key.direction {
            Direction::Asc => column.lte(Expr::val(value)),
            Direction::Desc => column.gte(Expr::val(value)),
        }))
    }

    /// How many cases each tab holds under `filter` (its statuses narrow
    /// the counts too), in one query.
    pub async fn count_cases(&self, filter: &CaseFilter<'_>) -> StoreResult<TabCounts> {
        if let Some(counts) = self.tallied_counts(filter).await? {
            return Ok(counts);
        }
        let plain = self.filter_read(filter, false).await;
        let candidates = match self.forced_plan() {
            Some(forced) => forced == ForcedPlan::FilterFirstFromTrigrams,
            None => {
                self.has_candidates(filter)
                    && self
                        .text_matches(filter)
                        .await
                        .is_some_and(|matches| candidates_beat(matches, &plain))
            }
        };
        let mut query = Query::select();
        // One aggregate per status rather than GROUP BY: with no grouping
        // to satisfy, the planner picks the index that fits the filters.
        // `COUNT … FILTER` rather than `SUM(CASE …)`: SQLite steps it in
        // about half the time (a million rows: ~110 against ~200 ms).
        for status in Status::ALL {
            query.expr_as(
                Func::count(Expr::val(1))
                    .filter(Condition::all().add(col(case::Column::Status).eq(status.stored()))),
                Alias::new(format!("s{}", status.stored())),
            );
        }
        let read = match candidates {
            true => self.filter_read(filter, true).await,
            false => plain,
        };
        let mut condition = self.condition(filter, &read.drivers, candidates);
        query.from_as(case::Entity, C);
        let long = self.forced_plan() == Some(ForcedPlan::FilterFirst)
            || read.cost.is_some_and(|cost| cost > SPLIT_COST);
        let halves = match long {
            true => self.split_halves(filter, &read).await,
            false => None,
        };
        let mut counts = TabCounts::default();
        let queries = match halves {
            // A long range is read as two halves at once, one per core.
            Some((low, high)) => vec![
                query.clone().cond_where(condition.clone().add(low)).to_owned(),
                query.cond_where(condition.add(high)).to_owned(),
            ],
            None => {
                if let Some(extra) = read.extra {
                    condition = condition.add(extra);
                }
                vec![query.cond_where(condition).to_owned()]
            }
        };
        let rows = futures_util::future::try_join_all(queries.iter().map(|query| {
            let statement = self.connection().get_database_backend().build(query);
            tracing::debug!(candidates, sql = %statement, "count");
            self.connection().query_one_raw(statement)
        }))
        .await?;
        for row in rows {
            let row = row.ok_or(StoreError::Corrupt("counts"))?;
            for status in Status::ALL {
                let cases: Option<i64> = row.try_get("", &format!("s{}", status.stored()))?;
                counts.add(*status, u64::try_from(cases.unwrap_or(0)).unwrap_or_default());
            }
        }
        Ok(counts)
    }
}

/// The campaign a query covers, as a condition.
fn campaign_domain(filter: &CaseFilter<'_>) -> Condition {
    match filter.campaign {
        CampaignScope::One(id) => Condition::all().add(col(case::Column::CampaignId).eq(id.0)),
        CampaignScope::Any => Condition::all(),
    }
}

/// The rows a walk in this order reads through: every campaign's in the
/// order of the number, the dates or the id (those indexes span
/// campaigns), else the campaign's (the walk indexes lead with it).
fn walk_domain(filter: &CaseFilter<'_>, keys: &[Key]) -> Condition {
    match keys.first().map(|key| key.key.field) {
        None | Some(SortField::Number | SortField::CreatedAt | SortField::ExpectedCloseDate) => {
            Condition::all()
        }
        Some(_) => campaign_domain(filter),
    }
}

/// `SELECT c.<every column>` of the entity, without a FROM.
fn record_columns() -> SelectStatement {
    let mut select = Query::select();
    for column in case::Column::iter() {
        select.column((C, column));
    }
    select
}

fn direction(direction: Direction) -> Order {
    match direction {
        Direction::Asc => Order::Asc,
        Direction::Desc => Order::Desc,
    }
}

/// The filtered columns the index a walk in the order of `first` holds
/// (see [`walk_drivers`]): the date indexes carry every one, the walk
/// indexes the campaign, status and owner, the number's none; walking the
/// table in id order reads the rows themselves.
fn walk_carries(first: Option<SortField>) -> &'static [case::Column] {
    match first {
        Some(SortField::CreatedAt | SortField::ExpectedCloseDate) => &FILTER_INDEXED,
        Some(SortField::Number) | None => &[],
        Some(_) => &[
            case::Column::CampaignId,
            case::Column::Status,
            case::Column::OwnerId,
        ],
    }
}

/// Whether finding the `text` expected matches of the text filters through
/// their trigram candidates (a row read each; the candidates come in
/// rowid order) costs less than the filters' best `read`.
fn candidates_beat(text: f64, read: &FilterRead) -> bool {
    match read.cost {
        Some(cost) => text * ROW_READ < cost,
        None => text <= CANDIDATE_LIMIT,
    }
}

/// What a walk is expected to read.
#[derive(Debug, Clone, Copy)]
struct WalkEstimate {
    rows: f64,
    /// In index entries read, a row read counting [`ROW_READ`].
    cost: f64,
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
