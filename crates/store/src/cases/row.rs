//! Reading case rows: the one SELECT every case query shares, and its
//! mapping to the API's DTOs and the domain's state.

use chrono::{DateTime, NaiveDate, Utc};
use lejek_domain::dto::{CampaignBadge, CaseCard, CaseRow, ContactRef, QualifierRef, UserRef};
use lejek_domain::{
    Amount, CampaignId, CampaignKind, CampaignRef, CaseId, CaseState, ContactId, FunnelState, QualifierId,
    ResignationReason, UserId,
};
use sea_orm::FromQueryResult;

use crate::codes::{source_of, stage_of, status_of};
use crate::error::{StoreError, StoreResult};

/// Columns of [`CaseRecord`], from `cases c` joined to its creator `u`,
/// campaign `cp` and qualifier `q`.
pub const CASE_COLUMNS: &str = "c.id, c.number, c.campaign_id, cp.kind AS campaign_kind, c.subject, c.source, \
     c.status, c.stage, c.qualifier_id, q.name AS qualifier_name, c.contact_id, c.contact_name, c.company, \
     c.email, c.phone, c.owner_id, c.owner_name, c.created_by, u.name AS created_by_name, c.created_at, \
     c.expected_close_date, c.follow_up_at, c.resignation_reason, c.value_minor, c.currency, c.closed_at, \
     c.version, c.updated_at, c.contact_search, c.company_search, c.subject_search";

pub const CASE_FROM: &str = "cases c JOIN users u ON u.id = c.created_by \
     JOIN campaigns cp ON cp.id = c.campaign_id LEFT JOIN qualifiers q ON q.id = c.qualifier_id";

#[derive(Debug, Clone, FromQueryResult)]
pub struct CaseRecord {
    pub id: i64,
    pub number: i64,
    pub campaign_id: i64,
    pub campaign_kind: String,
    pub subject: String,
    pub source: i16,
    pub status: i16,
    pub stage: Option<i16>,
    pub qualifier_id: Option<i64>,
    pub qualifier_name: Option<String>,
    pub contact_id: i64,
    pub contact_name: String,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub created_by: i64,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub expected_close_date: NaiveDate,
    pub follow_up_at: Option<DateTime<Utc>>,
    pub resignation_reason: Option<String>,
    pub value_minor: Option<i64>,
    pub currency: String,
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    pub contact_search: String,
    pub company_search: Option<String>,
    pub subject_search: String,
}

impl CaseRecord {
    pub fn campaign(&self) -> StoreResult<CampaignRef> {
        Ok(CampaignRef {
            id: CampaignId(self.campaign_id),
            kind: self
                .campaign_kind
                .parse::<CampaignKind>()
                .map_err(|_| StoreError::Corrupt("campaign kind"))?,
        })
    }

    pub fn to_row(&self) -> StoreResult<CaseRow> {
        let campaign = self.campaign()?;
        Ok(CaseRow {
            id: CaseId(self.id),
            number: self.number,
            source: source_of(self.source)?,
            status: status_of(self.status)?,
            stage: self.stage.map(stage_of).transpose()?,
            qualifier: self.qualifier_id.map(|id| QualifierRef {
                id: QualifierId(id),
                name: self.qualifier_name.clone().unwrap_or_default(),
            }),
            created_at: self.created_at,
            expected_close_date: self.expected_close_date,
            follow_up_at: self.follow_up_at,
            contact: ContactRef {
                id: ContactId(self.contact_id),
                name: self.contact_name.clone(),
            },
            company: self.company.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            subject: self.subject.clone(),
            owner: self.owner_id.map(|id| UserRef {
                id: UserId(id),
                name: self.owner_name.clone().unwrap_or_default(),
            }),
            created_by: UserRef {
                id: UserId(self.created_by),
                name: self.created_by_name.clone(),
            },
            campaign: CampaignBadge {
                id: campaign.id,
                kind: campaign.kind,
            },
            value: self
                .value_minor
                .map(|minor| Amount::from_minor_units(minor).map(Amount::as_decimal))
                .transpose()
                .map_err(|_| StoreError::Corrupt("value"))?,
            currency: self.currency.clone(),
            version: self.version,
        })
    }

    pub fn to_card(&self) -> StoreResult<CaseCard> {
        Ok(CaseCard {
            row: self.to_row()?,
            resignation_reason: self.resignation_reason.clone(),
            closed_at: self.closed_at,
            updated_at: self.updated_at,
        })
    }

    /// The state the funnel's rules decide on; a stored state that breaks
    /// an invariant is reported as corrupt rather than acted on.
    pub fn to_state(&self) -> StoreResult<CaseState> {
        let reason = self
            .resignation_reason
            .as_deref()
            .map(ResignationReason::parse)
            .transpose()
            .map_err(|_| StoreError::Corrupt("resignation reason"))?;
        let funnel = FunnelState::restore(
            status_of(self.status)?,
            self.stage.map(stage_of).transpose()?,
            self.follow_up_at,
            reason,
            self.closed_at,
        )
        .map_err(|_| StoreError::Corrupt("funnel state"))?;
        Ok(CaseState {
            owner: self.owner_id.map(UserId),
            campaign: self.campaign()?,
            funnel,
        })
    }
}
