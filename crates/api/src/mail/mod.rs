//! E-mail intake (intake spec §3): filing a message, and polling an IMAP
//! mailbox for messages to file.

pub mod filing;
pub mod imap;

use lejek_domain::dto::InboundMailDto;
use lejek_domain::{CampaignKind, CampaignRef, MailChannel};
use lejek_store::Store;

use crate::error::ApiError;

/// Why `lejek intake-mail` filed nothing.
#[derive(Debug, thiserror::Error)]
pub enum IntakeMailError {
    /// The input is not a message, or its sender breaks a contact's rules:
    /// delivering it again cannot help.
    #[error("the message cannot be filed: {0}")]
    Refused(String),
    /// Intake is switched off, or the database is away: deliver it later.
    #[error("the message cannot be filed now: {0}")]
    Later(String),
}

/// Files one message read from standard input (a Postfix pipe).
pub async fn intake_mail(store: &Store, raw: &[u8]) -> Result<InboundMailDto, IntakeMailError> {
    let later = |error: &dyn std::fmt::Display| IntakeMailError::Later(error.to_string());
    let funnel = store
        .campaigns()
        .await
        .map_err(|error| later(&error))?
        .into_iter()
        .find(|campaign| campaign.kind == CampaignKind::Funnel)
        .map(|campaign| CampaignRef {
            id: campaign.id,
            kind: campaign.kind,
        })
        .ok_or_else(|| IntakeMailError::Later("the funnel campaign is missing".to_owned()))?;
    filing::file_mail(store, funnel, raw, MailChannel::Stdin)
        .await
        .map_err(|error| match error {
            ApiError::Validation(violations) => IntakeMailError::Refused(
                violations
                    .iter()
                    .map(|found| format!("{}: {}", found.field, found.code.as_str()))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ApiError::MailIntakeOff => IntakeMailError::Later("e-mail intake is switched off".to_owned()),
            other => later(&other),
        })
}
