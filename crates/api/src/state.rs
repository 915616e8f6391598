//! What every handler shares: the store, the token services, the settings
//! and the two seeded campaigns.

use chrono::{DateTime, SubsecRound, Utc};
use lejek_domain::CampaignRef;
use lejek_domain::dto::DemoAccount;
use lejek_store::Store;

use crate::auth::tokens::{AccessTokens, Signer};
use crate::settings::Settings;

#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub settings: Settings,
    pub access_tokens: AccessTokens,
    pub cursors: Signer,
    /// Signs the moment a web form was shown.
    pub form_tokens: Signer,
    /// The sales funnel campaign, the default of every list.
    pub funnel: CampaignRef,
    /// Where spam goes.
    pub spam: CampaignRef,
    /// The demo login the login page offers; only with demo data.
    pub demo_account: Option<DemoAccount>,
    /// Whether requests are counted for `/metrics` (a metrics token is set).
    pub record_metrics: bool,
    /// Wakes this node's job worker when a request queued work.
    pub work: crate::imports::worker::WorkSignal,
    /// This node's IMAP polling, when a mailbox is configured.
    pub mail_poll: crate::mail::imap::MailPoll,
}

impl AppState {
    /// The current time at the database's precision (microseconds), so a
    /// value written and read back compares equal.
    pub fn now() -> DateTime<Utc> {
        Utc::now().trunc_subsecs(6)
    }

    /// Adds one to the counter `name` when this server records metrics.
    pub fn count(&self, name: &'static str) {
        if self.record_metrics {
            metrics::counter!(name).increment(1);
        }
    }
}
