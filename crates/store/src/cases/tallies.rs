//! Case counts per campaign, owner and status, kept in step with every
//! write so that the unfiltered tab counts need not count rows.

use lejek_domain::dto::TabCounts;
use lejek_domain::{CaseState, Change, ListScope, OwnerFilter, PipelineFilters};
use sea_orm::{ConnectionTrait, FromQueryResult, TransactionTrait};

use super::list::{CampaignScope, CaseFilter};
use crate::codes::{status_code, status_of};
use crate::connect::{Backend, Store};
use crate::error::StoreResult;
use crate::sql::SqlBuilder;

/// Unassigned cases are tallied under owner 0.
fn owner_key(owner: Option<i64>) -> i64 {
    owner.unwrap_or(0)
}

/// Adds `delta` cases to one tally.
pub(crate) async fn adjust<C: ConnectionTrait>(
    connection: &C,
    backend: Backend,
    campaign: i64,
    owner: Option<i64>,
    status: i16,
    delta: i64,
) -> StoreResult<()> {
    let mut sql = SqlBuilder::new(backend);
    sql.push("INSERT INTO case_tallies (campaign_id, owner_key, status, cases) VALUES (")
        .bind(campaign)
        .push(", ")
        .bind(owner_key(owner))
        .push(", ")
        .bind(status)
        .push(", ")
        .bind(delta)
        .push(
            ") ON CONFLICT (campaign_id, owner_key, status) \
             DO UPDATE SET cases = case_tallies.cases + excluded.cases",
        );
    connection.execute_raw(sql.build()).await?;
    Ok(())
}

/// Moves one case between tallies when a write changed its campaign,
/// owner or status.
pub(crate) async fn follow_write<C: ConnectionTrait>(
    connection: &C,
    backend: Backend,
    state: &CaseState,
    changes: &[Change],
) -> StoreResult<()> {
    let new = (
        state.campaign.id.0,
        state.owner.map(|o| o.0),
        status_code(state.funnel.status()),
    );
    let mut old = new;
    for change in changes {
        match change {
            Change::Status { from, .. } => old.2 = status_code(*from),
            Change::Owner { from, .. } => old.1 = from.map(|o| o.0),
            Change::Campaign { from, .. } => old.0 = from.0,
            Change::Stage { .. } | Change::Created { .. } => {}
        }
    }
    if old != new {
        adjust(connection, backend, old.0, old.1, old.2, -1).await?;
        adjust(connection, backend, new.0, new.1, new.2, 1).await?;
    }
    Ok(())
}

/// The owner a filter narrows counts to: `Ok(None)` for anyone, `Err(())`
/// when scope and owner filter exclude each other (nothing matches).
fn owner_constraint(filter: &CaseFilter<'_>) -> Result<Option<i64>, ()> {
    let wanted = match filter.filters.owner {
        None => None,
        Some(OwnerFilter::Me) => Some(filter.caller.0),
        Some(OwnerFilter::Unassigned) => Some(0),
        Some(OwnerFilter::User(id)) => Some(id.0),
    };
    match (filter.scope, wanted) {
        (ListScope::Everything, wanted) => Ok(wanted),
        (ListScope::OwnedBy(user), None) => Ok(Some(user.0)),
        (ListScope::OwnedBy(user), Some(wanted)) if wanted == user.0 => Ok(Some(wanted)),
        (ListScope::OwnedBy(_), Some(_)) => Err(()),
    }
}

impl Store {
    /// The counts from the tallies when `filter` narrows only by campaign,
    /// owner and status; `None` when it needs the rows themselves.
    pub(crate) async fn tallied_counts(&self, filter: &CaseFilter<'_>) -> StoreResult<Option<TabCounts>> {
        let CampaignScope::One(campaign) = filter.campaign else {
            return Ok(None);
        };
        let only_tallied = PipelineFilters {
            status: Vec::new(),
            owner: None,
            campaign: None,
            spam: false,
            tz: None,
            ..filter.filters.clone()
        } == PipelineFilters::default();
        if !only_tallied || filter.text.is_some() || filter.contact.is_some() {
            return Ok(None);
        }
        let mut counts = TabCounts::default();
        let Ok(owner) = owner_constraint(filter) else {
            return Ok(Some(counts));
        };
        #[derive(FromQueryResult)]
        struct Tally {
            status: i16,
            cases: i64,
        }
        let mut sql = SqlBuilder::new(self.backend());
        sql.push("SELECT status, CAST(SUM(cases) AS BIGINT) AS cases FROM case_tallies WHERE campaign_id = ")
            .bind(campaign.0);
        if let Some(owner) = owner {
            sql.push(" AND owner_key = ").bind(owner);
        }
        if let Some(statuses) = filter.statuses {
            if statuses.is_empty() {
                return Ok(Some(counts));
            }
            sql.push(" AND status IN ")
                .bind_list(statuses.iter().map(|s| status_code(*s)));
        }
        sql.push(" GROUP BY status");
        for tally in Tally::find_by_statement(sql.build())
            .all(self.connection())
            .await?
        {
            counts.add(
                status_of(tally.status)?,
                u64::try_from(tally.cases).unwrap_or_default(),
            );
        }
        Ok(Some(counts))
    }

    /// Recounts every tally from the cases (after a bulk load).
    pub async fn rebuild_tallies(&self) -> StoreResult<()> {
        let transaction = self.connection().begin().await?;
        transaction.execute_unprepared("DELETE FROM case_tallies").await?;
        transaction
            .execute_unprepared(
                "INSERT INTO case_tallies (campaign_id, owner_key, status, cases) \
                 SELECT campaign_id, COALESCE(owner_id, 0), status, COUNT(*) FROM cases \
                 GROUP BY campaign_id, COALESCE(owner_id, 0), status",
            )
            .await?;
        transaction.commit().await?;
        Ok(())
    }
}
