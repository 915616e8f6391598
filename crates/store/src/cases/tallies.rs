//! Case counts per campaign, owner and status, kept in step with every
//! write so that the unfiltered tab counts need not count rows.

use lejek_domain::dto::TabCounts;
use lejek_domain::{CaseState, Change, ListScope, OwnerFilter, Status};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, OnConflict, Query};
use sea_orm::{ConnectionTrait, EntityTrait, FromQueryResult, IdenStatic, Iterable, TransactionTrait};

use super::filter::{CampaignScope, CaseFilter};
use crate::codes::StoredCode;
use crate::connect::Store;
use crate::entity::{case, case_tally};
use crate::error::StoreResult;

/// Unassigned cases are tallied under owner 0.
pub(super) const UNASSIGNED: i64 = 0;

/// The tally a case counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TallyKey {
    pub campaign: i64,
    pub owner: Option<i64>,
    pub status: Status,
}

impl TallyKey {
    pub fn of(state: &CaseState) -> TallyKey {
        TallyKey {
            campaign: state.campaign.id.0,
            owner: state.owner.map(|owner| owner.0),
            status: state.funnel.status(),
        }
    }

    /// The tally the case counted in before `changes`.
    fn before(self, changes: &[Change]) -> TallyKey {
        let mut old = self;
        for change in changes {
            match change {
                Change::Status { from, .. } => old.status = *from,
                Change::Owner { from, .. } => old.owner = from.map(|owner| owner.0),
                Change::Campaign { from, .. } => old.campaign = from.0,
                Change::Stage { .. } | Change::Created { .. } => {}
            }
        }
        old
    }
}

/// Adds `delta` cases to one tally.
pub(crate) async fn adjust<C: ConnectionTrait>(connection: &C, key: TallyKey, delta: i64) -> StoreResult<()> {
    let cases = Alias::new(case_tally::Column::Cases.as_str());
    let insert = Query::insert()
        .into_table(case_tally::Entity)
        .columns(case_tally::Column::iter())
        .values_panic([
            key.campaign.into(),
            key.owner.unwrap_or(UNASSIGNED).into(),
            key.status.stored().into(),
            delta.into(),
        ])
        .on_conflict(
            OnConflict::columns([
                case_tally::Column::CampaignId,
                case_tally::Column::OwnerKey,
                case_tally::Column::Status,
            ])
            .value(
                case_tally::Column::Cases,
                Expr::col((case_tally::Entity, case_tally::Column::Cases))
                    .add(Expr::col((Alias::new("excluded"), cases))),
            )
            .to_owned(),
        )
        .to_owned();
    connection.execute(&insert).await?;
    Ok(())
}

/// Moves one case between tallies when a write changed its campaign,
/// owner or status.
pub(crate) async fn follow_write<C: ConnectionTrait>(
    connection: &C,
    state: &CaseState,
    changes: &[Change],
) -> StoreResult<()> {
    let new = TallyKey::of(state);
    let old = new.before(changes);
    if old != new {
        adjust(connection, old, -1).await?;
        adjust(connection, new, 1).await?;
    }
    Ok(())
}

/// The owner a filter narrows counts to: `Ok(None)` for anyone, `Err(())`
/// when scope and owner filter exclude each other (nothing matches).
fn owner_constraint(filter: &CaseFilter<'_>) -> Result<Option<i64>, ()> {
    let wanted = match filter.filters.owner {
        None => None,
        Some(OwnerFilter::Me) => Some(filter.caller.0),
        Some(OwnerFilter::Unassigned) => Some(UNASSIGNED),
        Some(OwnerFilter::User(id)) => Some(id.0),
    };
    match (filter.scope, wanted) {
        (ListScope::Everything, wanted) => Ok(wanted),
        (ListScope::OwnedBy(user), None) => Ok(Some(user.0)),
        (ListScope::OwnedBy(user), Some(wanted)) if wanted == user.0 => Ok(Some(wanted)),
        (ListScope::OwnedBy(_), Some(_)) => Err(()),
    }
}

#[derive(FromQueryResult)]
struct Tally {
    status: i16,
    cases: i64,
}

impl Store {
    /// The counts from the tallies when `filter` narrows only by campaign,
    /// owner and status; `None` when it needs the rows themselves.
    pub(crate) async fn tallied_counts(&self, filter: &CaseFilter<'_>) -> StoreResult<Option<TabCounts>> {
        let CampaignScope::One(campaign) = filter.campaign else {
            return Ok(None);
        };
        if !filter.only_tallied() {
            return Ok(None);
        }
        let mut counts = TabCounts::default();
        let Ok(owner) = owner_constraint(filter) else {
            return Ok(Some(counts));
        };
        let mut query = Query::select();
        query
            .column(case_tally::Column::Status)
            .expr_as(
                Func::cast_as(
                    Func::sum(Expr::col(case_tally::Column::Cases)),
                    Alias::new("BIGINT"),
                ),
                Alias::new("cases"),
            )
            .from(case_tally::Entity)
            .and_where(Expr::col(case_tally::Column::CampaignId).eq(campaign.0))
            .group_by_col(case_tally::Column::Status);
        if let Some(owner) = owner {
            query.and_where(Expr::col(case_tally::Column::OwnerKey).eq(owner));
        }
        if let Some(statuses) = filter.statuses {
            if statuses.is_empty() {
                return Ok(Some(counts));
            }
            query.and_where(Expr::col(case_tally::Column::Status).is_in(statuses.iter().map(|s| s.stored())));
        }
        let statement = self.connection().get_database_backend().build(&query);
        for tally in Tally::find_by_statement(statement).all(self.connection()).await? {
            counts.add(
                Status::from_stored(tally.status)?,
                u64::try_from(tally.cases).unwrap_or_default(),
            );
        }
        Ok(Some(counts))
    }

    /// Recounts every tally from the cases (after a bulk load).
    pub async fn rebuild_tallies(&self) -> StoreResult<()> {
        let transaction = self.connection().begin().await?;
        case_tally::Entity::delete_many().exec(&transaction).await?;
        let recount = Query::select()
            .column(case::Column::CampaignId)
            .expr(Func::coalesce([
                Expr::col(case::Column::OwnerId),
                Expr::val(UNASSIGNED),
            ]))
            .column(case::Column::Status)
            .expr(Func::count(Expr::col(case::Column::Id)))
            .from(case::Entity)
            .group_by_col(case::Column::CampaignId)
            .group_by_col(case::Column::OwnerId)
            .group_by_col(case::Column::Status)
            .to_owned();
        let insert = Query::insert()
            .into_table(case_tally::Entity)
            .columns(case_tally::Column::iter())
            .select_from(recount)
            .map_err(|_| crate::error::StoreError::Corrupt("tally columns"))?
            .to_owned();
        transaction.execute(&insert).await?;
        transaction.commit().await?;
        Ok(())
    }
}
