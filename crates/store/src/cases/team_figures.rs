//! The Team table's figures when the filter narrows by nothing but the
//! campaign (a manager's unfiltered view): each owner's open cases from the
//! tallies, the overdue and stale ones from index ranges, and the moves
//! from the history's own index, without reading every case.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use lejek_domain::analytics::{Period, WorkCounts, stale_before};
use lejek_domain::{ChangeKind, ListScope, PipelineFilters, Status, UserId};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, FromQueryResult, QueryFilter};

use super::filter::{CampaignScope, CaseFilter};
use super::tallies::UNASSIGNED;
use crate::codes::StoredCode;
use crate::connect::Store;
use crate::entity::{campaign, case, case_event, case_tally};
use crate::error::StoreResult;

/// The campaign a filter narrows by, when that is all it does.
fn campaign_only(filter: &CaseFilter<'_>) -> Option<i64> {
    let CampaignScope::One(campaign) = filter.campaign else {
        return None;
    };
    let others = PipelineFilters {
        campaign: None,
        tz: None,
        spam: false,
        ..filter.filters.clone()
    };
    let unfiltered = filter.scope == ListScope::Everything
        && filter.statuses.is_none()
        && !filter.has_text()
        && filter.contact.is_none()
        && others == PipelineFilters::default();
    unfiltered.then_some(campaign.0)
}

fn owner_of(key: i64) -> Option<UserId> {
    (key != UNASSIGNED).then_some(UserId(key))
}

impl Store {
    /// Each owner's open work, or `None` when the filter says more than the
    /// campaign.
    pub(crate) async fn tallied_work_figures(
        &self,
        filter: &CaseFilter<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Vec<(Option<UserId>, WorkCounts)>>> {
        #[derive(FromQueryResult)]
        struct Owned {
            owner_id: Option<i64>,
            cases: i64,
        }
        let Some(campaign) = campaign_only(filter) else {
            return Ok(None);
        };
        let mut work: BTreeMap<Option<UserId>, WorkCounts> = BTreeMap::new();
        let tallies = case_tally::Entity::find()
            .filter(case_tally::Column::CampaignId.eq(campaign))
            .all(self.connection())
            .await?;
        for tally in tallies {
            if tally.cases <= 0 {
                continue;
            }
            let counts = work.entry(owner_of(tally.owner_key)).or_default();
            if Status::from_stored(tally.status)?.is_open() {
                counts.open += tally.cases as u64;
            }
        }
        let open: Vec<i16> = Status::ALL
            .iter()
            .filter(|status| status.is_open())
            .map(|status| status.stored())
            .collect();
        let count_by_owner = |condition: Expr| {
            Query::select()
                .from(case::Entity)
                .column(case::Column::OwnerId)
                .expr_as(Expr::col(case::Column::Id).count(), "cases")
                .and_where(Expr::col(case::Column::CampaignId).eq(campaign))
                .and_where(condition)
                .group_by_col(case::Column::OwnerId)
                .to_owned()
        };
        let overdue = count_by_owner(
            Expr::col(case::Column::Status)
                .eq(Status::Offered.stored())
                .and(Expr::col(case::Column::FollowUpAt).lt(now)),
        );
        for row in self.rows::<Owned>(&overdue).await? {
            work.entry(row.owner_id.map(UserId))
                .or_default()
                .overdue_follow_ups = row.cases as u64;
        }
        let stale = count_by_owner(
            Expr::col(case::Column::Status)
                .is_in(open)
                .and(Expr::col(case::Column::LastEventAt).lte(stale_before(now))),
        );
        for row in self.rows::<Owned>(&stale).await? {
            work.entry(row.owner_id.map(UserId)).or_default().stale = row.cases as u64;
        }
        Ok(Some(work.into_iter().collect()))
    }

    /// The status and stage changes each user made in `period`, or `None`
    /// when the filter says more than the campaign: every such change in
    /// the period, less those on cases now in another campaign.
    pub(crate) async fn tallied_move_figures(
        &self,
        filter: &CaseFilter<'_>,
        period: &Period,
    ) -> StoreResult<Option<Vec<(UserId, u64)>>> {
        #[derive(FromQueryResult)]
        struct Made {
            actor_id: i64,
            moves: i64,
        }
        let Some(campaign) = campaign_only(filter) else {
            return Ok(None);
        };
        let moves = || {
            let at = Expr::col((case_event::Entity, case_event::Column::At));
            let actor = Expr::col((case_event::Entity, case_event::Column::ActorId));
            Query::select()
                .from(case_event::Entity)
                .expr_as(actor.clone(), "actor_id")
                .expr_as(
                    Expr::col((case_event::Entity, case_event::Column::Id)).count(),
                    "moves",
                )
                .and_where(
                    Expr::col((case_event::Entity, case_event::Column::Kind))
                        .is_in([ChangeKind::Status.as_str(), ChangeKind::Stage.as_str()]),
                )
                .and_where(at.clone().gte(period.start))
                .and_where(at.lt(period.end))
                .and_where(actor.clone().is_not_null())
                .add_group_by([actor])
                .to_owned()
        };
        let mut made: BTreeMap<i64, i64> = BTreeMap::new();
        for row in self.rows::<Made>(&moves()).await? {
            *made.entry(row.actor_id).or_default() += row.moves;
        }
        // The other campaigns by id, so that the planner sees how few
        // cases they hold and reads their events case by case.
        let elsewhere: Vec<i64> = campaign::Entity::find()
            .filter(campaign::Column::Id.ne(campaign))
            .all(self.connection())
            .await?
            .into_iter()
            .map(|other| other.id)
            .collect();
        if elsewhere.is_empty() {
            return Ok(Some(positive(made)));
        }
        let mut outside = moves();
        outside
            .inner_join(
                case::Entity,
                Expr::col((case::Entity, case::Column::Id))
                    .equals((case_event::Entity, case_event::Column::CaseId)),
            )
            .and_where(Expr::col((case::Entity, case::Column::CampaignId)).is_in(elsewhere));
        for row in self.rows::<Made>(&outside).await? {
            *made.entry(row.actor_id).or_default() -= row.moves;
        }
        Ok(Some(positive(made)))
    }
}

/// The actors with moves left, by id.
fn positive(made: BTreeMap<i64, i64>) -> Vec<(UserId, u64)> {
    made.into_iter()
        .filter(|(_, moves)| *moves > 0)
        .map(|(actor, moves)| (UserId(actor), moves as u64))
        .collect()
}
