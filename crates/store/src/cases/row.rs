//! Reading case rows: the one SELECT every case query shares (every column
//! of the entity plus three names from joined tables), and its mapping to
//! the API's DTOs and the domain's state.

use lejek_domain::dto::{CampaignBadge, CaseCard, CaseIntake, CaseRow, ContactRef, QualifierRef, UserRef};
use lejek_domain::{
    Amount, CampaignId, CampaignKind, CampaignRef, CaseId, CaseState, ContactId, FunnelState, IntakeChannel,
    QualifierId, ResignationReason, Source, Stage, Status, UserId,
};
use sea_orm::sea_query::{Expr, ExprTrait, JoinType, Query, SelectStatement};
use sea_orm::{DbErr, FromQueryResult, Iterable, QueryResult};

use super::filter::{C, col};
use crate::codes::StoredCode;
use crate::entity::{campaign, case, dictionary::qualifier, user};
use crate::error::{StoreError, StoreResult};

/// A case row with the names the card and the list show.
#[derive(Debug, Clone)]
pub struct CaseRecord {
    pub case: case::Model,
    pub campaign_kind: String,
    pub qualifier_name: Option<String>,
    pub created_by_name: String,
}

const CAMPAIGN_KIND: &str = "campaign_kind";
const QUALIFIER_NAME: &str = "qualifier_name";
const CREATED_BY_NAME: &str = "created_by_name";

impl FromQueryResult for CaseRecord {
    fn from_query_result(row: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(CaseRecord {
            case: case::Model::from_query_result(row, pre)?,
            campaign_kind: row.try_get(pre, CAMPAIGN_KIND)?,
            qualifier_name: row.try_get(pre, QUALIFIER_NAME)?,
            created_by_name: row.try_get(pre, CREATED_BY_NAME)?,
        })
    }
}

/// `SELECT c.*, <names> FROM cases c JOIN …`, without a WHERE.
pub fn record_select() -> SelectStatement {
    const CP: &str = "cp";
    const Q: &str = "q";
    const U: &str = "u";
    let mut select = Query::select();
    for column in case::Column::iter() {
        select.column((C, column));
    }
    select
        .expr_as(Expr::col((CP, campaign::Column::Kind)), CAMPAIGN_KIND)
        .expr_as(Expr::col((Q, qualifier::Column::Name)), QUALIFIER_NAME)
        .expr_as(Expr::col((U, user::Column::Name)), CREATED_BY_NAME)
        .from_as(case::Entity, C)
        .join_as(
            JoinType::InnerJoin,
            user::Entity,
            U,
            Expr::col((U, user::Column::Id)).eq(col(case::Column::CreatedBy)),
        )
        .join_as(
            JoinType::InnerJoin,
            campaign::Entity,
            CP,
            Expr::col((CP, campaign::Column::Id)).eq(col(case::Column::CampaignId)),
        )
        .join_as(
            JoinType::LeftJoin,
            qualifier::Entity,
            Q,
            Expr::col((Q, qualifier::Column::Id)).eq(col(case::Column::QualifierId)),
        );
    select
}

impl CaseRecord {
    pub fn campaign(&self) -> StoreResult<CampaignRef> {
        Ok(CampaignRef {
            id: CampaignId(self.case.campaign_id),
            kind: self
                .campaign_kind
                .parse::<CampaignKind>()
                .map_err(|_| StoreError::Corrupt("campaign kind"))?,
        })
    }

    pub fn to_row(&self) -> StoreResult<CaseRow> {
        let case = &self.case;
        let campaign = self.campaign()?;
        Ok(CaseRow {
            id: CaseId(case.id),
            number: case.number,
            source: Source::from_stored(case.source)?,
            status: Status::from_stored(case.status)?,
            stage: case.stage.map(Stage::from_stored).transpose()?,
            qualifier: case.qualifier_id.map(|id| QualifierRef {
                id: QualifierId(id),
                name: self.qualifier_name.clone().unwrap_or_default(),
            }),
            created_at: case.created_at,
            expected_close_date: case.expected_close_date,
            follow_up_at: case.follow_up_at,
            contact: ContactRef {
                id: ContactId(case.contact_id),
                name: case.contact_name.clone(),
            },
            company: case.company.clone(),
            email: case.email.clone(),
            phone: case.phone.clone(),
            subject: case.subject.clone(),
            owner: case.owner_id.map(|id| UserRef {
                id: UserId(id),
                name: case.owner_name.clone().unwrap_or_default(),
            }),
            created_by: UserRef {
                id: UserId(case.created_by),
                name: self.created_by_name.clone(),
            },
            campaign: CampaignBadge {
                id: campaign.id,
                kind: campaign.kind,
            },
            value: case
                .value_minor
                .map(|minor| Amount::from_minor_units(minor).map(Amount::as_decimal))
                .transpose()
                .map_err(|_| StoreError::Corrupt("value"))?,
            currency: case.currency.clone(),
            version: case.version,
        })
    }

    pub fn to_card(&self) -> StoreResult<CaseCard> {
        Ok(CaseCard {
            row: self.to_row()?,
            resignation_reason: self.case.resignation_reason.clone(),
            closed_at: self.case.closed_at,
            updated_at: self.case.updated_at,
            external_id: self.case.external_id.clone(),
            intake: intake(&self.case),
        })
    }

    /// The state the funnel's rules decide on; a stored state that breaks
    /// an invariant is reported as corrupt rather than acted on.
    pub fn to_state(&self) -> StoreResult<CaseState> {
        let case = &self.case;
        let reason = case
            .resignation_reason
            .as_deref()
            .map(ResignationReason::parse)
            .transpose()
            .map_err(|_| StoreError::Corrupt("resignation reason"))?;
        let funnel = FunnelState::restore(
            Status::from_stored(case.status)?,
            case.stage.map(Stage::from_stored).transpose()?,
            case.follow_up_at,
            reason,
            case.closed_at,
        )
        .map_err(|_| StoreError::Corrupt("funnel state"))?;
        Ok(CaseState {
            owner: case.owner_id.map(UserId),
            campaign: self.campaign()?,
            funnel,
        })
    }
}

/// The intake channel that created a case, if one did.
fn intake(case: &case::Model) -> Option<CaseIntake> {
    let channel = if case.import_id.is_some() {
        IntakeChannel::Import
    } else if case.web_form_id.is_some() {
        IntakeChannel::WebForm
    } else if case.inbound_mail_id.is_some() {
        IntakeChannel::Email
    } else {
        return None;
    };
    Some(CaseIntake {
        channel,
        import_id: case.import_id,
        web_form_id: case.web_form_id,
        inbound_mail_id: case.inbound_mail_id,
    })
}
