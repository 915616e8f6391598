//! Campaigns: every case belongs to exactly one.

use serde::{Deserialize, Serialize};

use crate::ids::CampaignId;
use crate::wire::wire_enum;

wire_enum! {
    /// What a campaign is for.
    pub enum CampaignKind {
        /// A sales funnel, such as the seeded "Lejek sprzedaży".
        Funnel => "funnel", "Lejek sprzedaży", "Sales funnel";
        /// Where cases marked as spam go; they leave the funnel.
        Spam => "spam", "Spam", "Spam";
    }
}

/// A campaign as the rules need it: its id and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CampaignRef {
    pub id: CampaignId,
    pub kind: CampaignKind,
}
