//! E-mail intake (intake spec §3): what an admin sets for the leads that
//! arrive by mail, and the words a filed message is described in.

use crate::ids::{QualifierId, UserId};
use crate::violation::Violations;
use crate::web_form::{FormAssignment, check_assignment};
use crate::wire::wire_enum;

/// One sender creating more leads than this within [`MAIL_LOOP_HOURS`] is
/// held back: a mail loop, not a customer.
pub const MAIL_LEADS_PER_SENDER: u64 = 20;
pub const MAIL_LOOP_HOURS: i64 = 2;

wire_enum! {
    /// What became of an inbound message.
    pub enum MailOutcome {
        Created => "created", "nowy lead", "new lead";
        Reply => "reply", "notatka w sprawie", "note on its case";
        Automatic => "automatic", "pominięta (automat, zwrot lub lista)", "skipped (auto-reply, bounce or list)";
        Loop => "loop", "wstrzymana (pętla nadawcy)", "held back (sender loop)";
    }
}

wire_enum! {
    /// How a message reached Lejek.
    pub enum MailChannel {
        Http => "http", "bramka pocztowa (HTTP)", "mail gateway (HTTP)";
        Stdin => "stdin", "lejek intake-mail", "lejek intake-mail";
        Imap => "imap", "skrzynka IMAP", "IMAP mailbox";
    }
}

/// E-mail intake's settings as an admin sends them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailIntakeInput {
    pub active: bool,
    pub qualifier_id: Option<QualifierId>,
    pub assignment: FormAssignment,
    pub agents: Vec<UserId>,
    pub close_in_days: u16,
}

impl Default for MailIntakeInput {
    fn default() -> Self {
        MailIntakeInput {
            active: true,
            qualifier_id: None,
            assignment: FormAssignment::Unassigned,
            agents: Vec::new(),
            close_in_days: 30,
        }
    }
}

/// Valid e-mail intake settings: whether mail creates leads, their
/// qualifier, who gets them and when they are expected to close.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailIntakeSettings {
    pub active: bool,
    pub qualifier_id: Option<QualifierId>,
    pub assignment: FormAssignment,
    pub agents: Vec<UserId>,
    pub close_in_days: u16,
}

impl Default for MailIntakeSettings {
    fn default() -> Self {
        MailIntakeSettings::parse(MailIntakeInput::default()).expect("the defaults are valid")
    }
}

impl MailIntakeSettings {
    pub fn parse(input: MailIntakeInput) -> Result<MailIntakeSettings, Violations> {
        let mut violations = Violations::new();
        let agents = check_assignment(
            input.assignment,
            &input.agents,
            input.close_in_days,
            &mut violations,
        );
        if !violations.is_empty() {
            return Err(violations);
        }
        Ok(MailIntakeSettings {
            active: input.active,
            qualifier_id: input.qualifier_id,
            assignment: input.assignment,
            agents,
            close_in_days: input.close_in_days,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::violation::ViolationCode;

    #[test]
    fn the_defaults_take_mail_unassigned_for_a_month() {
        let settings = MailIntakeSettings::default();
        assert!(settings.active);
        assert_eq!(settings.assignment, FormAssignment::Unassigned);
        assert_eq!(settings.close_in_days, 30);
    }

    #[test]
    fn a_round_robin_needs_its_salespeople_each_once() {
        let refused = MailIntakeSettings::parse(MailIntakeInput {
            assignment: FormAssignment::RoundRobin,
            ..MailIntakeInput::default()
        })
        .unwrap_err();
        assert!(
            refused
                .iter()
                .any(|found| found.field == "agents" && found.code == ViolationCode::Required)
        );
        let refused = MailIntakeSettings::parse(MailIntakeInput {
            assignment: FormAssignment::RoundRobin,
            agents: vec![UserId(3), UserId(3)],
            close_in_days: 0,
            ..MailIntakeInput::default()
        })
        .unwrap_err();
        assert!(
            refused
                .iter()
                .any(|found| found.field == "agents" && found.code == ViolationCode::Duplicate)
        );
        assert!(refused.iter().any(|found| found.field == "close_in_days"));
    }
}
