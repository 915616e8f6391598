//! Time per status and stage when the filter narrows by nothing but the
//! campaign and the owner: read from the stays alone (they carry both), the
//! count and total per place in one pass, each quantile as the value at
//! its rank in an index ordered by it. No case is read and nothing sorted.

use chrono::{DateTime, Utc};
use lejek_domain::analytics::{DurationStats, DurationsReport, Period};
use lejek_domain::{ListScope, OwnerFilter, PipelineFilters, Stage, Status};
use sea_orm::FromQueryResult;
use sea_orm::sea_query::{Expr, ExprTrait, Order, Query, SelectStatement};

use super::filter::{CampaignScope, CaseFilter};
use super::stays::seconds_since;
use crate::codes::StoredCode;
use crate::connect::Store;
use crate::entity::case_stay;
use crate::error::StoreResult;

/// Whose stays count.
#[derive(Debug, Clone, Copy)]
enum StayOwner {
    Anyone,
    Unassigned,
    User(i64),
}

/// The campaign and owner a filter narrows by, when that is all it does.
fn campaign_and_owner(filter: &CaseFilter<'_>) -> Option<(i64, StayOwner)> {
    let CampaignScope::One(campaign) = filter.campaign else {
        return None;
    };
    let f = filter.filters;
    let others = PipelineFilters {
        owner: None,
        campaign: None,
        tz: None,
        spam: false,
        ..f.clone()
    };
    if filter.statuses.is_some()
        || filter.has_text()
        || filter.contact.is_some()
        || others != PipelineFilters::default()
    {
        return None;
    }
    let owner = match (filter.scope, f.owner) {
        (ListScope::Everything, None) => StayOwner::Anyone,
        (ListScope::OwnedBy(owner), None) => StayOwner::User(owner.0),
        (ListScope::Everything, Some(OwnerFilter::Me)) => StayOwner::User(filter.caller.0),
        (ListScope::Everything, Some(OwnerFilter::User(owner))) => StayOwner::User(owner.0),
        (ListScope::Everything, Some(OwnerFilter::Unassigned)) => StayOwner::Unassigned,
        // Scope and owner filter together: the general path combines them.
        (ListScope::OwnedBy(_), Some(_)) => return None,
    };
    Some((campaign.0, owner))
}

/// The places reported: every open status, then every stage.
fn places() -> impl Iterator<Item = (Status, Option<Stage>)> {
    Status::ALL
        .iter()
        .filter(|status| status.is_open())
        .map(|status| (*status, None))
        .chain(Stage::ALL.iter().map(|stage| (stage.status(), Some(*stage))))
}

/// The queries for the median's and the p75's value among the `count`
/// rows `query` finds (nearest rank), in `column`'s `order`: none without
/// rows.
fn at_ranks(
    query: SelectStatement,
    column: case_stay::Column,
    order: Order,
    count: u64,
) -> Vec<SelectStatement> {
    [count.div_ceil(2), (3 * count).div_ceil(4)]
        .into_iter()
        .filter(|rank| *rank > 0)
        .map(|rank| {
            let mut ranked = query.clone();
            ranked
                .column(column)
                .order_by(column, order.clone())
                .limit(1)
                .offset(rank - 1);
            ranked
        })
        .collect()
}

impl Store {
    /// `DurationsReport` from the stays alone; `None` when the filter says
    /// more than the campaign and the owner.
    pub(crate) async fn ranked_duration_figures(
        &self,
        filter: &CaseFilter<'_>,
        period: &Period,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<DurationsReport>> {
        #[derive(FromQueryResult)]
        struct Tally {
            status: i16,
            stage: Option<i16>,
            n: i64,
            total: Option<i64>,
        }
        let Some((campaign, owner)) = campaign_and_owner(filter) else {
            return Ok(None);
        };
        let backend = self.connection().get_database_backend();
        let base = || {
            let mut query = Query::select();
            query
                .from(case_stay::Entity)
                .and_where(Expr::col(case_stay::Column::CampaignId).eq(campaign));
            match owner {
                StayOwner::Anyone => {}
                StayOwner::Unassigned => {
                    query.and_where(Expr::col(case_stay::Column::OwnerId).is_null());
                }
                StayOwner::User(id) => {
                    query.and_where(Expr::col(case_stay::Column::OwnerId).eq(id));
                }
            }
            query
        };
        let ended = |query: &mut SelectStatement| {
            let left = Expr::col(case_stay::Column::LeftAt);
            query
                .and_where(left.clone().gte(period.start))
                .and_where(left.lt(period.end));
        };
        let going_on = |query: &mut SelectStatement| {
            query.and_where(Expr::col(case_stay::Column::LeftAt).is_null());
        };
        let at_place = |query: &mut SelectStatement, status: Status, stage: Option<Stage>| {
            query.and_where(Expr::col(case_stay::Column::Status).eq(status.stored()));
            query.and_where(match stage {
                Some(stage) => Expr::col(case_stay::Column::Stage).eq(stage.stored()),
                None => Expr::col(case_stay::Column::Stage).is_null(),
            });
        };
        let tallies = |length: Expr, narrow: &dyn Fn(&mut SelectStatement)| {
            let mut query = base();
            narrow(&mut query);
            query
                .column(case_stay::Column::Status)
                .column(case_stay::Column::Stage)
                .expr_as(Expr::col(case_stay::Column::Id).count(), "n")
                .expr_as(super::figures::total(length), "total")
                .group_by_col(case_stay::Column::Status)
                .group_by_col(case_stay::Column::Stage);
            query
        };
        let left_tallies = self
            .rows::<Tally>(&tallies(Expr::col(case_stay::Column::Seconds), &ended))
            .await?;
        let current_tallies = self
            .rows::<Tally>(&tallies(seconds_since(backend, now, "entered_at"), &going_on))
            .await?;
        let tally_of = |tallies: &[Tally], status: Status, stage: Option<Stage>| {
            tallies
                .iter()
                .find(|tally| tally.status == status.stored() && tally.stage == stage.map(Stage::stored))
                .map_or((0, 0), |tally| (tally.n, tally.total.unwrap_or_default()))
        };

        let mut figures = Vec::new();
        for (status, stage) in places() {
            let (n, total) = tally_of(&left_tallies, status, stage);
            let mut left = DurationStats {
                count: u64::try_from(n).unwrap_or_default(),
                mean: (n > 0).then(|| total.div_euclid(n)),
                ..DurationStats::default()
            };
            let mut query = base();
            ended(&mut query);
            at_place(&mut query, status, stage);
            let mut values = Vec::new();
            for ranked in at_ranks(query, case_stay::Column::Seconds, Order::Asc, left.count) {
                values.push(self.one_i64(&ranked, "seconds").await?);
            }
            [left.median, left.p75] = [
                values.first().copied().flatten(),
                values.get(1).copied().flatten(),
            ];

            let (n, total) = tally_of(&current_tallies, status, stage);
            let mut current = DurationStats {
                count: u64::try_from(n).unwrap_or_default(),
                mean: (n > 0).then(|| total.div_euclid(n)),
                ..DurationStats::default()
            };
            // The youngest stay has the shortest age: ages rise as the
            // entries go back in time.
            let mut query = base();
            going_on(&mut query);
            at_place(&mut query, status, stage);
            let mut ages = Vec::new();
            for ranked in at_ranks(query, case_stay::Column::EnteredAt, Order::Desc, current.count) {
                let entered = self.one_time(&ranked, "entered_at").await?;
                ages.push(entered.map(|entered| (now - entered).num_seconds()));
            }
            [current.median, current.p75] = [ages.first().copied().flatten(), ages.get(1).copied().flatten()];
            figures.push(((status, stage), [left, current]));
        }
        Ok(Some(DurationsReport::of(|status, stage| {
            figures
                .iter()
                .find(|(place, _)| *place == (status, stage))
                .map(|(_, stats)| *stats)
                .unwrap_or_default()
        })))
    }
}
