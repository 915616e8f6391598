//! Which index a case query reads, where the store decides it (SQLite; see
//! [`Drivers`] and migration 7): for a walk, the index that gives the
//! order; for a count or a filter-first page, the filter index whose range
//! holds the fewest rows, as the statistics sample measures each filter.

use lejek_domain::{SortField, Status};
use sea_orm::sea_query::{Condition, ExprTrait};

use super::filter::{CampaignScope, CaseFilter, Drivers, Term, col, every_row, same};
use super::sample::Sampled;
use crate::codes::StoredCode;
use crate::connect::{Backend, Store};
use crate::entity::case;

/// The columns every filter index holds (migration 7).
pub const FILTER_INDEXED: [case::Column; 9] = [
    case::Column::CampaignId,
    case::Column::Status,
    case::Column::Source,
    case::Column::Stage,
    case::Column::OwnerId,
    case::Column::CreatedBy,
    case::Column::QualifierId,
    case::Column::CreatedAt,
    case::Column::ExpectedCloseDate,
];

/// Columns that lead a filter index: a filter on one of them reads a range
/// of that index, which carries every other filtered column.
const LEADING: [case::Column; 6] = [
    case::Column::CreatedAt,
    case::Column::ExpectedCloseDate,
    case::Column::Status,
    case::Column::Source,
    case::Column::Stage,
    case::Column::OwnerId,
];

/// Whether `column` leads a filter index ahead of the campaign (the
/// dates); the other filter indexes have the campaign next.
fn date_led(column: case::Column) -> bool {
    [case::Column::CreatedAt, case::Column::ExpectedCloseDate]
        .iter()
        .any(|date| same(*date, column))
}

/// Up to this many rows in a filter's range, reading each one's text from
/// the table beats reading every row's text from the text index.
const TEXT_LOOKUP_LIMIT: f64 = 30_000.0;

/// Reading a row for an index entry costs about as much as reading this
/// many index entries (measured at a million cases: ~0.3 µs an entry in
/// index order, ~5 µs a row in rowid order and more at random).
pub const ROW_READ: f64 = 15.0;

/// A filter-first read: the index to start from, and a condition that
/// makes the database start there when no filter does.
#[derive(Debug, Clone, Default)]
pub struct FilterRead {
    pub drivers: Drivers,
    pub extra: Option<Condition>,
    /// Sampled estimate of what finding the matches costs, in index
    /// entries read (a row read counting [`ROW_READ`]).
    pub cost: Option<f64>,
    /// Sampled estimate of the rows that pass every non-text filter.
    pub matches: Option<f64>,
    /// The column that orders the index range read, where a count can
    /// split it in two.
    pub lead: Option<case::Column>,
}

/// A trigram candidate's row read on PostgreSQL, in index entries: a heap
/// page at random (~17–40 µs here when not in its own buffers) costs
/// about as much as fifty entries of a walk.
const PG_CANDIDATE_READ: f64 = 50.0;

/// Trigram candidates this cheap (in index entries) are read whatever a
/// walk is expected to cost: their work is bounded, while a walk's is not
/// when the sample misjudges where a few rare matches lie.
pub(crate) const BOUNDED_CANDIDATES: f64 = 100_000.0;

/// What reading a trigram candidate's row costs, in index entries.
pub(crate) fn candidate_read(backend: Backend) -> f64 {
    match backend {
        Backend::Sqlite => ROW_READ,
        Backend::Postgres => PG_CANDIDATE_READ,
    }
}

/// The index a walk in the order of `first` reads: the campaign's cases by
/// that column; for the dates, every campaign's by date (their filter
/// indexes), and for the number, which is unique across campaigns, all
/// cases by number.
pub fn walk_drivers(backend: Backend, first: SortField) -> Drivers {
    if backend == Backend::Postgres {
        return Drivers::Any;
    }
    let column = super::sort::sort_column(first).column;
    Drivers::Only(match first {
        SortField::Number | SortField::CreatedAt | SortField::ExpectedCloseDate => vec![column],
        _ => vec![case::Column::CampaignId, column],
    })
}

impl Store {
    /// Where a count or a filter-first page starts reading: the trigram
    /// candidates when they are used, a number or a contact, else the
    /// filter whose range the sample says is smallest; with no such filter,
    /// the whole campaign through its status index, which holds every
    /// filtered column.
    pub(crate) async fn filter_read(&self, filter: &CaseFilter<'_>, candidates: bool) -> FilterRead {
        if self.backend() == Backend::Postgres {
            return FilterRead::default();
        }
        let only = |columns: Vec<case::Column>| FilterRead {
            drivers: Drivers::Only(columns),
            ..FilterRead::default()
        };
        if candidates {
            return only(vec![
                case::Column::Id,
                case::Column::ContactId,
                case::Column::Number,
            ]);
        }
        if filter.filters.number.is_some() {
            return only(vec![case::Column::Number]);
        }
        if filter.contact.is_some() {
            return only(vec![case::Column::ContactId]);
        }
        let CampaignScope::One(campaign) = filter.campaign else {
            return FilterRead::default();
        };
        let every_term = filter.terms(&Drivers::Any);
        let all_terms = every_term
            .iter()
            .fold(Condition::all(), |all, term| all.add(term.condition.clone()));
        let terms: Vec<Term> = every_term
            .into_iter()
            .filter(|term| LEADING.iter().any(|leading| same(*leading, term.column)))
            .collect();
        let mut options: Vec<(case::Column, Condition)> = Vec::new();
        for term in terms {
            match options.iter_mut().find(|(column, _)| same(*column, term.column)) {
                Some((_, condition)) => *condition = condition.clone().add(term.condition),
                None => options.push((term.column, term.condition)),
            }
        }
        let in_campaign = |condition: Condition| condition.add(col(case::Column::CampaignId).eq(campaign.0));
        // What each range holds: a date leads its index, ahead of the
        // campaign, so its range holds every campaign's rows (most of them
        // outside a small campaign such as SPAM); the other filter indexes
        // have the campaign next, which narrows their range.
        let mut conditions: Vec<Condition> = options
            .iter()
            .map(|(column, condition)| match date_led(*column) {
                true => condition.clone(),
                false => in_campaign(condition.clone()),
            })
            .collect();
        conditions.push(in_campaign(all_terms));
        conditions.push(in_campaign(every_row()));
        let mut rows = self
            .estimates(Sampled::Cases, super::filter::C, Condition::all(), conditions)
            .await;
        let campaign_rows = rows.as_mut().and_then(Vec::pop);
        let matches = rows.as_mut().and_then(Vec::pop);
        let smallest = match &rows {
            Some(rows) => options
                .iter()
                .zip(rows.iter().copied())
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|((column, _), rows)| (*column, rows)),
            None => options.first().map(|(column, _)| (*column, f64::INFINITY)),
        };
        let text = filter.has_text();
        // The campaign narrows the range of an index it comes second in.
        let range_of = |column: case::Column| match date_led(column) {
            true => only(vec![column]),
            false => only(vec![column, case::Column::CampaignId]),
        };
        let read = match smallest {
            // A range small enough to read the rows' text from the table.
            Some((column, rows)) if !text || rows <= TEXT_LOOKUP_LIMIT => FilterRead {
                cost: Some(if text { rows * (1.0 + ROW_READ) } else { rows }),
                lead: Some(column),
                ..range_of(column)
            },
            // Every row's text is needed: read it from the status index,
            // which holds the text columns with every filtered one.
            _ if text => whole_status_index(
                filter,
                options
                    .iter()
                    .zip(rows.as_deref().unwrap_or_default())
                    .find(|((column, _), _)| same(*column, case::Column::Status))
                    .map(|(_, rows)| *rows)
                    .or(campaign_rows)
                    .map(|rows| rows * TEXT_ENTRY_READ),
            ),
            Some((column, rows)) => FilterRead {
                cost: Some(rows),
                lead: Some(column),
                ..range_of(column)
            },
            None => whole_status_index(filter, campaign_rows),
        };
        FilterRead { matches, ..read }
    }
}

/// Testing a substring on the text an index entry carries costs about
/// this many plain entries read (measured at a million cases: ~0.35 µs an
/// entry of the status index under a text filter, ~0.1 µs one read for
/// its columns alone).
const TEXT_ENTRY_READ: f64 = 3.0;

/// A read of the status index over every status the filter allows (when
/// it names none, a condition on every status lets the index be used),
/// costing `cost`.
fn whole_status_index(filter: &CaseFilter<'_>, cost: Option<f64>) -> FilterRead {
    FilterRead {
        drivers: Drivers::Only(vec![case::Column::Status, case::Column::CampaignId]),
        extra: filter.statuses.is_none().then(|| {
            Condition::all()
                .add(col(case::Column::Status).is_in(Status::ALL.iter().map(|status| status.stored())))
        }),
        cost,
        lead: Some(case::Column::Status),
        ..FilterRead::default()
    }
}
