//! What a list, count or search asks for, as conditions on one `cases` row
//! (alias `c`). The same conditions run on the table itself and on its
//! statistics sample, which has the same columns.

use lejek_domain::{
    CampaignId, ContactId, ListScope, OwnerFilter, PipelineFilters, SortField, Status, UserId, digits_of,
};
use sea_orm::sea_query::{BinOper, ColumnType, Condition, Expr, ExprTrait, LikeExpr};
use sea_orm::{ColumnTrait, IdenStatic};

use crate::codes::StoredCode;
use crate::entity::case;
use crate::search::like_pattern;

/// The alias every case query gives the `cases` row.
pub const C: &str = "c";

/// `c.<column>`.
pub fn col(column: case::Column) -> Expr {
    Expr::col((C, column))
}

/// A condition every row meets (where a list of conditions needs one).
pub fn every_row() -> Condition {
    Condition::all().add(Expr::val(1).eq(1))
}

/// Whether two columns are the same.
pub fn same(a: case::Column, b: case::Column) -> bool {
    a.as_str() == b.as_str()
}

/// Which columns' conditions may lead the database to an index.
///
/// SQLite's planner at times reads one index and sorts when another gives
/// the order, or reads rows through a narrow index when a covering one
/// holds the same range. Where the store knows which index a query should
/// use, it leaves only that index's columns usable and writes the other
/// conditions on an expression of the column (`status + 0`, `email || ''`),
/// which no index answers and which compares the same. PostgreSQL's
/// planner, which combines indexes and knows its statistics, is left its
/// choice.
#[derive(Debug, Clone, Default)]
pub enum Drivers {
    #[default]
    Any,
    Only(Vec<case::Column>),
}

impl Drivers {
    /// The column as a condition on it should read it.
    pub fn col(&self, column: case::Column) -> Expr {
        match self {
            Drivers::Only(allowed) if !allowed.iter().any(|usable| same(*usable, column)) => {
                match column.def().get_column_type() {
                    ColumnType::SmallInteger | ColumnType::Integer | ColumnType::BigInteger => {
                        col(column).add(0)
                    }
                    _ => col(column).binary(BinOper::Custom("||"), ""),
                }
            }
            _ => col(column),
        }
    }
}

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

/// A substring condition on one text column of the case row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    Subject,
    Contact,
    Company,
    Email,
    /// Compared digit by digit.
    Phone,
}

impl TextField {
    pub fn column(self) -> case::Column {
        match self {
            TextField::Subject => case::Column::SubjectSearch,
            TextField::Contact => case::Column::ContactSearch,
            TextField::Company => case::Column::CompanySearch,
            TextField::Email => case::Column::Email,
            TextField::Phone => case::Column::PhoneDigits,
        }
    }

    /// The stored form of `needle` that the column holds a substring of.
    pub fn stored_needle(self, needle: &str) -> String {
        match self {
            TextField::Phone => digits_of(needle),
            _ => crate::search::search_key(needle),
        }
    }

    /// `c.<column> LIKE '%needle%'`, wildcards in the needle escaped.
    pub fn like(self, needle: &str) -> Expr {
        let pattern = match self {
            TextField::Phone => format!("%{}%", digits_of(needle)),
            _ => like_pattern(needle),
        };
        col(self.column()).like(LikeExpr::new(pattern).escape('\\'))
    }
}

/// One substring the rows must contain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextNeedle {
    pub field: TextField,
    pub needle: String,
}

impl CaseFilter<'_> {
    /// Whether the funnel rules leave `field` empty on every case this
    /// filter can match: closed cases have no follow-up date.
    pub fn never_set(&self, field: SortField) -> bool {
        field == SortField::FollowUpAt
            && self
                .statuses
                .is_some_and(|statuses| statuses.iter().all(|status| status.is_closed()))
    }

    /// Whether every case this filter can match holds the same value in
    /// `field`: ordering by it then orders nothing.
    pub fn fixes(&self, field: SortField) -> bool {
        let f = self.filters;
        match field {
            SortField::Status => self.statuses.is_some_and(|statuses| statuses.len() == 1),
            SortField::Source => f.source.len() == 1,
            SortField::Stage => f.stage.len() == 1,
            SortField::Owner => self.fixed_owner().is_some(),
            SortField::Number => f.number.is_some(),
            _ => false,
        }
    }

    /// The text filters (not search), each a substring of one column.
    pub fn needles(&self) -> Vec<TextNeedle> {
        let f = self.filters;
        [
            (TextField::Contact, &f.contact),
            (TextField::Company, &f.company),
            (TextField::Email, &f.email),
            (TextField::Phone, &f.phone),
            (TextField::Subject, &f.subject),
        ]
        .into_iter()
        .filter_map(|(field, text)| {
            text.as_ref().map(|text| TextNeedle {
                field,
                needle: text.as_str().to_owned(),
            })
        })
        .collect()
    }

    /// The search text, trimmed; `None` when blank.
    pub fn search_text(&self) -> Option<&str> {
        self.text.map(str::trim).filter(|text| !text.is_empty())
    }

    /// Whether only the campaign, the owner and the status narrow this:
    /// what the tallies count and the indexes led by those columns serve.
    pub fn only_tallied(&self) -> bool {
        PipelineFilters {
            status: Vec::new(),
            owner: None,
            campaign: None,
            spam: false,
            tz: None,
            ..self.filters.clone()
        } == PipelineFilters::default()
            && self.text.is_none()
            && self.contact.is_none()
    }

    /// Every condition on the row `c`.
    pub fn row_condition(&self, drivers: &Drivers) -> Condition {
        let mut all = self.filter_condition(drivers);
        for needle in self.needles() {
            all = all.add(needle.field.like(&needle.needle));
        }
        if let Some(text) = self.search_text() {
            all = all.add(search_condition(text));
        }
        all
    }

    /// Every condition except the text ones.
    pub fn filter_condition(&self, drivers: &Drivers) -> Condition {
        self.terms(drivers)
            .into_iter()
            .fold(Condition::all(), |all, term| all.add(term.condition))
    }

    /// The non-text conditions, each on the one column it reads.
    pub fn terms(&self, drivers: &Drivers) -> Vec<Term> {
        let f = self.filters;
        let col = |column| drivers.col(column);
        let mut terms = Vec::new();
        let mut on = |column: case::Column, condition: Expr| {
            terms.push(Term {
                column,
                condition: Condition::all().add(condition),
            })
        };
        if let CampaignScope::One(id) = self.campaign {
            on(case::Column::CampaignId, col(case::Column::CampaignId).eq(id.0));
        }
        if let ListScope::OwnedBy(owner) = self.scope {
            on(case::Column::OwnerId, col(case::Column::OwnerId).eq(owner.0));
        }
        if let Some(contact) = self.contact {
            on(
                case::Column::ContactId,
                col(case::Column::ContactId).eq(contact.0),
            );
        }
        if let Some(statuses) = self.statuses {
            on(
                case::Column::Status,
                in_codes(col(case::Column::Status), stored(statuses)),
            );
        }
        if !f.source.is_empty() {
            on(
                case::Column::Source,
                in_codes(col(case::Column::Source), stored(&f.source)),
            );
        }
        if !f.stage.is_empty() {
            on(
                case::Column::Stage,
                in_codes(col(case::Column::Stage), stored(&f.stage)),
            );
        }
        if !f.qualifier.is_empty() {
            on(
                case::Column::QualifierId,
                col(case::Column::QualifierId).is_in(f.qualifier.iter().map(|q| q.0)),
            );
        }
        if let Some(number) = f.number {
            on(case::Column::Number, col(case::Column::Number).eq(number));
        }
        let (created_from, created_until) = f.created_between();
        if let Some(from) = created_from {
            on(case::Column::CreatedAt, col(case::Column::CreatedAt).gte(from));
        }
        if let Some(until) = created_until {
            on(case::Column::CreatedAt, col(case::Column::CreatedAt).lt(until));
        }
        if let Some(from) = f.close_from {
            on(
                case::Column::ExpectedCloseDate,
                col(case::Column::ExpectedCloseDate).gte(from),
            );
        }
        if let Some(to) = f.close_to {
            on(
                case::Column::ExpectedCloseDate,
                col(case::Column::ExpectedCloseDate).lte(to),
            );
        }
        match f.owner {
            Some(OwnerFilter::Me) => on(
                case::Column::OwnerId,
                col(case::Column::OwnerId).eq(self.caller.0),
            ),
            Some(OwnerFilter::Unassigned) => on(case::Column::OwnerId, col(case::Column::OwnerId).is_null()),
            Some(OwnerFilter::User(id)) => on(case::Column::OwnerId, col(case::Column::OwnerId).eq(id.0)),
            None => {}
        }
        if let Some(created_by) = f.created_by {
            on(
                case::Column::CreatedBy,
                col(case::Column::CreatedBy).eq(created_by.0),
            );
        }
        terms
    }

    /// Whether the filter has a substring condition (a text filter or the
    /// search box).
    pub fn has_text(&self) -> bool {
        !self.needles().is_empty() || self.search_text().is_some()
    }

    /// The owner every case this filter matches has, when it fixes one
    /// (`Some(None)`: unassigned): an agent's scope, or the owner filter.
    pub fn fixed_owner(&self) -> Option<Option<i64>> {
        if let ListScope::OwnedBy(owner) = self.scope {
            return Some(Some(owner.0));
        }
        match self.filters.owner? {
            OwnerFilter::Me => Some(Some(self.caller.0)),
            OwnerFilter::User(id) => Some(Some(id.0)),
            OwnerFilter::Unassigned => Some(None),
        }
    }
}

/// One non-text condition of a filter and the column it reads.
#[derive(Debug, Clone)]
pub struct Term {
    pub column: case::Column,
    pub condition: Condition,
}

fn stored<T: StoredCode>(values: &[T]) -> Vec<i16> {
    values.iter().map(|value| value.stored()).collect()
}

/// `<column> IN (codes)`; nothing matches an empty list.
fn in_codes(column: Expr, codes: Vec<i16>) -> Expr {
    if codes.is_empty() {
        Expr::val(1).eq(0)
    } else {
        column.is_in(codes)
    }
}

/// The search box: the text in the subject, contact, company or e-mail,
/// its digits (three or more) in the phone, or the case number.
pub fn search_condition(text: &str) -> Condition {
    let mut any = Condition::any();
    for field in [
        TextField::Subject,
        TextField::Contact,
        TextField::Company,
        TextField::Email,
    ] {
        any = any.add(field.like(text));
    }
    if digits_of(text).len() >= 3 {
        any = any.add(TextField::Phone.like(text));
    }
    if let Some(number) = search_number(text) {
        any = any.add(col(case::Column::Number).eq(number));
    }
    any
}

/// A case number typed into the search box (`1234` or `#1234`).
pub fn search_number(text: &str) -> Option<i64> {
    text.trim().trim_start_matches('#').parse::<i64>().ok()
}
