//! The funnel state of a case and the rules of moving it (spec section 3).

use chrono::{DateTime, Utc};

use crate::event::Change;
use crate::status::{Stage, Status};
use crate::values::ResignationReason;
use crate::violation::{ViolationCode, Violations};

/// The part of a case the state machine governs. It can only be built by
/// [`FunnelState::initial`], by a transition, or by [`FunnelState::restore`],
/// each of which upholds the invariants of section 3.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunnelState {
    status: Status,
    stage: Option<Stage>,
    follow_up_at: Option<DateTime<Utc>>,
    resignation_reason: Option<ResignationReason>,
    closed_at: Option<DateTime<Utc>>,
}

/// A request to move a case in the funnel, as the caller sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransitionCommand {
    pub status: Status,
    pub stage: Option<Stage>,
    pub follow_up_at: Option<DateTime<Utc>>,
    pub resignation_reason: Option<String>,
}

impl TransitionCommand {
    /// A move to `status` with nothing else given.
    pub fn to(status: Status) -> Self {
        TransitionCommand {
            status,
            stage: None,
            follow_up_at: None,
            resignation_reason: None,
        }
    }

    pub fn with_stage(mut self, stage: Stage) -> Self {
        self.stage = Some(stage);
        self
    }

    pub fn with_follow_up(mut self, at: DateTime<Utc>) -> Self {
        self.follow_up_at = Some(at);
        self
    }

    pub fn with_reason(mut self, reason: &str) -> Self {
        self.resignation_reason = Some(reason.to_owned());
        self
    }

    /// The rules this move breaks whatever state the case is in: a stage of
    /// the target status (or none), no follow-up date when closing, a
    /// resignation reason exactly when resigning. Only the follow-up date
    /// an offer needs depends on the case (it may already have one).
    pub fn field_violations(&self) -> Violations {
        let mut violations = Violations::new();
        check_stage(self.status, self.stage, &mut violations);
        if self.status.is_closed() && self.follow_up_at.is_some() {
            violations.push("follow_up_at", ViolationCode::FollowUpNotAllowed);
        }
        if let Err(code) = self.checked_resignation_reason() {
            violations.push("resignation_reason", code);
        }
        violations
    }

    /// The resignation reason this move records, or the rule it breaks.
    fn checked_resignation_reason(&self) -> Result<Option<ResignationReason>, ViolationCode> {
        match (
            self.status.requires_resignation_reason(),
            &self.resignation_reason,
        ) {
            (true, None) => Err(ViolationCode::ResignationReasonRequired),
            (true, Some(raw)) => ResignationReason::parse(raw)
                .map(Some)
                .map_err(|code| match code {
                    ViolationCode::Blank => ViolationCode::ResignationReasonRequired,
                    other => other,
                }),
            (false, Some(_)) => Err(ViolationCode::ResignationReasonNotAllowed),
            (false, None) => Ok(None),
        }
    }
}

/// Why the state machine refused a move regardless of the fields given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MoveRefusal {
    /// A closed case may only go back to an open status.
    ClosedCaseIsFinal,
}

impl FunnelState {
    /// The state of every new case: awaiting pickup, nothing else set.
    pub fn initial() -> Self {
        FunnelState {
            status: Status::INITIAL,
            stage: None,
            follow_up_at: None,
            resignation_reason: None,
            closed_at: None,
        }
    }

    /// Rebuilds a stored state, refusing one that breaks an invariant.
    pub fn restore(
        status: Status,
        stage: Option<Stage>,
        follow_up_at: Option<DateTime<Utc>>,
        resignation_reason: Option<ResignationReason>,
        closed_at: Option<DateTime<Utc>>,
    ) -> Result<Self, Violations> {
        let state = FunnelState {
            status,
            stage,
            follow_up_at,
            resignation_reason,
            closed_at,
        };
        state.invariant_violations().into_result(state)
    }

    pub fn status(&self) -> Status {
        self.status
    }
    pub fn stage(&self) -> Option<Stage> {
        self.stage
    }
    pub fn follow_up_at(&self) -> Option<DateTime<Utc>> {
        self.follow_up_at
    }
    pub fn resignation_reason(&self) -> Option<&ResignationReason> {
        self.resignation_reason.as_ref()
    }
    pub fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.closed_at
    }
    pub fn is_closed(&self) -> bool {
        self.status.is_closed()
    }

    /// The rules every state must satisfy, as violations.
    pub fn invariant_violations(&self) -> Violations {
        let mut violations = Violations::new();
        check_stage(self.status, self.stage, &mut violations);
        if self.status.requires_follow_up() && self.follow_up_at.is_none() {
            violations.push("follow_up_at", ViolationCode::FollowUpRequired);
        }
        if self.status.is_closed() && self.follow_up_at.is_some() {
            violations.push("follow_up_at", ViolationCode::FollowUpNotAllowed);
        }
        match (
            self.status.requires_resignation_reason(),
            &self.resignation_reason,
        ) {
            (true, None) => violations.push("resignation_reason", ViolationCode::ResignationReasonRequired),
            (false, Some(_)) => {
                violations.push("resignation_reason", ViolationCode::ResignationReasonNotAllowed)
            }
            _ => {}
        }
        match (self.status.is_closed(), self.closed_at) {
            (true, None) => violations.push("closed_at", ViolationCode::ClosedAtRequired),
            (false, Some(_)) => violations.push("closed_at", ViolationCode::ClosedAtNotAllowed),
            _ => {}
        }
        violations
    }

    /// The state a move leads to, and the changes it makes; who may make it
    /// is decided by the caller. Every broken field rule is reported at once.
    pub(crate) fn moved(
        &self,
        command: TransitionCommand,
        now: DateTime<Utc>,
    ) -> Result<Result<(FunnelState, Vec<Change>), Violations>, MoveRefusal> {
        let target = command.status;
        if self.status.is_closed() && target.is_closed() {
            return Err(MoveRefusal::ClosedCaseIsFinal);
        }

        let mut violations = command.field_violations();
        let follow_up_at = if target.is_closed() {
            None
        } else {
            command.follow_up_at.or(self.follow_up_at)
        };
        if target.requires_follow_up() && follow_up_at.is_none() {
            violations.push("follow_up_at", ViolationCode::FollowUpRequired);
        }
        let resignation_reason = command.checked_resignation_reason().ok().flatten();

        // A closed case never moves to another closed status, so entering a
        // closed status always starts the clock now.
        let closed_at = target.is_closed().then_some(now);

        let next = FunnelState {
            status: target,
            stage: command.stage,
            follow_up_at,
            resignation_reason,
            closed_at,
        };
        if !violations.is_empty() {
            return Ok(Err(violations));
        }

        let mut changes = Vec::new();
        if self.status != next.status {
            changes.push(Change::Status {
                from: self.status,
                to: next.status,
                reason: next.resignation_reason.clone(),
            });
        }
        if self.stage != next.stage {
            changes.push(Change::Stage {
                from: self.stage,
                to: next.stage,
            });
        }
        Ok(Ok((next, changes)))
    }

    /// Sets or clears the follow-up date outside a transition.
    pub(crate) fn with_follow_up(
        &self,
        follow_up_at: Option<DateTime<Utc>>,
    ) -> Result<FunnelState, Violations> {
        let next = FunnelState {
            follow_up_at,
            ..self.clone()
        };
        let mut violations = Violations::new();
        if next.status.requires_follow_up() && next.follow_up_at.is_none() {
            violations.push("follow_up_at", ViolationCode::FollowUpRequired);
        }
        if next.status.is_closed() && next.follow_up_at.is_some() {
            violations.push("follow_up_at", ViolationCode::FollowUpNotAllowed);
        }
        violations.into_result(next)
    }
}

/// A status with stages needs one of its own; a status without stages has none.
fn check_stage(status: Status, stage: Option<Stage>, violations: &mut Violations) {
    match stage {
        None if status.requires_stage() => violations.push("stage", ViolationCode::StageRequired),
        Some(_) if !status.requires_stage() => violations.push("stage", ViolationCode::StageNotAllowed),
        Some(stage) if !stage.belongs_to(status) => violations.push("stage", ViolationCode::StageNotInStatus),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 10, 0, 0).unwrap()
    }

    #[test]
    fn the_initial_state_is_awaiting_pickup_with_nothing_else_set() {
        let state = FunnelState::initial();
        assert_eq!(state.status(), Status::AwaitingPickup);
        assert_eq!(state.stage(), None);
        assert_eq!(state.closed_at(), None);
        assert!(state.invariant_violations().is_empty());
    }

    #[test]
    fn restoring_a_stage_of_another_status_is_refused() {
        let restored =
            FunnelState::restore(Status::InAcquisition, Some(Stage::ContractSent), None, None, None);
        assert!(
            restored
                .unwrap_err()
                .has("stage", ViolationCode::StageNotInStatus)
        );
    }

    #[test]
    fn restoring_a_closed_case_without_closing_time_is_refused() {
        let restored = FunnelState::restore(Status::Acquired, None, None, None, None);
        assert!(
            restored
                .unwrap_err()
                .has("closed_at", ViolationCode::ClosedAtRequired)
        );
    }

    #[test]
    fn restoring_an_open_case_with_a_closing_time_is_refused() {
        let restored = FunnelState::restore(Status::AwaitingPickup, None, None, None, Some(now()));
        assert!(
            restored
                .unwrap_err()
                .has("closed_at", ViolationCode::ClosedAtNotAllowed)
        );
    }

    #[test]
    fn restoring_an_offered_case_without_follow_up_is_refused() {
        let restored = FunnelState::restore(Status::Offered, Some(Stage::InNegotiation), None, None, None);
        assert!(
            restored
                .unwrap_err()
                .has("follow_up_at", ViolationCode::FollowUpRequired)
        );
    }

    #[test]
    fn restoring_a_resigned_case_without_reason_is_refused() {
        let restored = FunnelState::restore(Status::Resigned, None, None, None, Some(now()));
        assert!(
            restored
                .unwrap_err()
                .has("resignation_reason", ViolationCode::ResignationReasonRequired)
        );
    }

    #[test]
    fn a_valid_stored_state_is_restored() {
        let reason = ResignationReason::parse("Wybrali konkurencję").unwrap();
        let restored = FunnelState::restore(Status::Resigned, None, None, Some(reason), Some(now())).unwrap();
        assert!(restored.is_closed());
    }

    #[test]
    fn a_follow_up_date_cannot_be_removed_from_an_offered_case() {
        let offered = FunnelState::restore(
            Status::Offered,
            Some(Stage::InNegotiation),
            Some(now()),
            None,
            None,
        )
        .unwrap();
        assert!(
            offered
                .with_follow_up(None)
                .unwrap_err()
                .has("follow_up_at", ViolationCode::FollowUpRequired)
        );
        assert!(offered.with_follow_up(Some(now())).is_ok());
    }
}
