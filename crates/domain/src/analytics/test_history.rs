//! Hand-made case histories for the figures' tests.

use chrono::{DateTime, Utc};

use super::{CaseHistory, HistoryEvent, Period};
use crate::event::Change;
use crate::ids::{CampaignId, UserId};
use crate::source::Source;
use crate::status::{Stage, Status};
use crate::values::{Amount, Currency, ResignationReason};

pub fn at(moment: &str) -> DateTime<Utc> {
    moment.parse().unwrap_or_else(|_| panic!("a test time: {moment}"))
}

/// November 2026 in UTC.
pub fn november() -> Period {
    Period {
        start: at("2026-11-01T00:00:00Z"),
        end: at("2026-12-01T00:00:00Z"),
    }
}

/// A case created at `created`, awaiting pickup, unassigned, by e-mail.
pub fn case(created: &str) -> CaseHistory {
    let created_at = at(created);
    CaseHistory {
        created_at,
        status: Status::AwaitingPickup,
        stage: None,
        owner: None,
        source: Source::Email,
        qualifier: None,
        closed_at: None,
        expected_close_date: created_at.date_naive(),
        follow_up_at: None,
        value: None,
        events: vec![HistoryEvent {
            at: created_at,
            actor: None,
            change: Change::Created {
                status: Status::AwaitingPickup,
                owner: None,
                campaign: CampaignId(1),
            },
        }],
    }
}

pub trait Build {
    /// Moves the case as a transition does: a status event, then a stage
    /// event, each only when it changes.
    fn to(self, moment: &str, status: Status, stage: Option<Stage>) -> Self;
    fn resign(self, moment: &str, reason: &str) -> Self;
    fn owned_by(self, owner: i64) -> Self;
    fn came_by(self, source: Source) -> Self;
    fn worth(self, minor_units: i64, currency: &str) -> Self;
    fn closing(self, expected: &str) -> Self;
    fn follow_up(self, moment: &str) -> Self;
    /// Who made the events of the last transition.
    fn moved_by(self, actor: i64) -> Self;
}

impl Build for CaseHistory {
    fn to(mut self, moment: &str, status: Status, stage: Option<Stage>) -> Self {
        record(&mut self, moment, status, stage, None);
        self
    }

    fn resign(mut self, moment: &str, reason: &str) -> Self {
        let reason = ResignationReason::parse(reason).ok();
        record(&mut self, moment, Status::Resigned, None, reason);
        self
    }

    fn owned_by(mut self, owner: i64) -> Self {
        self.owner = Some(UserId(owner));
        self
    }

    fn came_by(mut self, source: Source) -> Self {
        self.source = source;
        self
    }

    fn closing(mut self, expected: &str) -> Self {
        self.expected_close_date = expected.parse().expect("a test date");
        self
    }

    fn follow_up(mut self, moment: &str) -> Self {
        self.follow_up_at = Some(at(moment));
        self
    }

    fn moved_by(mut self, actor: i64) -> Self {
        let last = self.events.last().map(|event| event.at);
        for event in self.events.iter_mut().filter(|event| Some(event.at) == last) {
            event.actor = Some(UserId(actor));
        }
        self
    }

    fn worth(mut self, minor_units: i64, currency: &str) -> Self {
        let amount = Amount::from_minor_units(minor_units).expect("a test amount");
        self.value = Some((amount, Currency::parse(currency).expect("a test currency")));
        self
    }
}

fn record(
    case: &mut CaseHistory,
    moment: &str,
    status: Status,
    stage: Option<Stage>,
    reason: Option<ResignationReason>,
) {
    let moment = at(moment);
    if status != case.status {
        case.events.push(HistoryEvent {
            at: moment,
            actor: None,
            change: Change::Status {
                from: case.status,
                to: status,
                reason,
            },
        });
    }
    if stage != case.stage {
        case.events.push(HistoryEvent {
            at: moment,
            actor: None,
            change: Change::Stage {
                from: case.stage,
                to: stage,
            },
        });
    }
    if status.is_closed() && status != case.status {
        case.closed_at = Some(moment);
    }
    if status.is_open() {
        case.closed_at = None;
    }
    case.status = status;
    case.stage = stage;
}
