//! The append-only history of a case: every change of status, stage, owner
//! or campaign becomes one event.

use serde::{Deserialize, Serialize};

use crate::ids::{CampaignId, UserId};
use crate::status::{Stage, Status};
use crate::values::ResignationReason;
use crate::wire::wire_enum;

/// What one history event recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The case came into being, in its initial status.
    Created {
        status: Status,
        owner: Option<UserId>,
        campaign: CampaignId,
    },
    Status {
        from: Status,
        to: Status,
        /// The resignation reason, on a move to `resigned`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<ResignationReason>,
    },
    Stage {
        from: Option<Stage>,
        to: Option<Stage>,
    },
    Owner {
        from: Option<UserId>,
        to: Option<UserId>,
    },
    Campaign {
        from: CampaignId,
        to: CampaignId,
    },
}

wire_enum! {
    /// The kind of a history event, for filtering and labels.
    pub enum ChangeKind {
        Created => "created", "Utworzenie sprawy", "Case created";
        Status => "status", "Zmiana statusu", "Status changed";
        Stage => "stage", "Zmiana etapu", "Stage changed";
        Owner => "owner", "Zmiana właściciela", "Owner changed";
        Campaign => "campaign", "Zmiana kampanii", "Campaign changed";
    }
}

impl Change {
    pub fn kind(&self) -> ChangeKind {
        match self {
            Change::Created { .. } => ChangeKind::Created,
            Change::Status { .. } => ChangeKind::Status,
            Change::Stage { .. } => ChangeKind::Stage,
            Change::Owner { .. } => ChangeKind::Owner,
            Change::Campaign { .. } => ChangeKind::Campaign,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_change_is_stored_with_its_kind_and_reason() {
        let change = Change::Status {
            from: Status::Offered,
            to: Status::Resigned,
            reason: Some(ResignationReason::parse("Za drogo").unwrap()),
        };
        let json = serde_json::to_value(&change).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "status", "from": "offered", "to": "resigned", "reason": "Za drogo"})
        );
        assert_eq!(serde_json::from_value::<Change>(json).unwrap(), change);
        assert_eq!(change.kind(), ChangeKind::Status);
    }
}
