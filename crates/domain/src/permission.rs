//! Who may do what to a case (spec section 1). A case an actor may not see
//! does not exist for them: refusals on unseen cases are `NotFound`.

use crate::ids::UserId;
use crate::role::{Actor, Role};

/// Something an actor wants to do to one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAction {
    See,
    Edit,
    Move,
    ChangeCampaign,
    AddNote,
    Assign,
    Reopen,
}

/// Why an action on a case was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    /// The actor may not see the case, so for them it does not exist.
    #[error("case not found")]
    NotFound,
    /// The actor sees the case but their role may not do this.
    #[error("not allowed for this role")]
    Forbidden,
}

/// Managers and admins see every case, unassigned ones included; an agent
/// sees only the cases they own.
pub fn may_see(actor: &Actor, owner: Option<UserId>) -> bool {
    actor.role.sees_every_case() || owner == Some(actor.user_id)
}

/// Whoever sees a case may edit it (agents: their own).
pub fn may_edit(actor: &Actor, owner: Option<UserId>) -> bool {
    may_see(actor, owner)
}

/// Whoever sees a case may move it through the open statuses.
pub fn may_move(actor: &Actor, owner: Option<UserId>) -> bool {
    may_see(actor, owner)
}

/// Only managers and admins assign, reassign and unassign owners.
pub fn may_assign(actor: &Actor, owner: Option<UserId>) -> bool {
    may_see(actor, owner) && actor.role.sees_every_case()
}

/// Only managers and admins reopen a closed case.
pub fn may_reopen(actor: &Actor, owner: Option<UserId>) -> bool {
    may_see(actor, owner) && actor.role.sees_every_case()
}

/// Which cases a list, count, search or export may include for an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListScope {
    /// Every case, unassigned ones included.
    Everything,
    /// Only the cases this user owns.
    OwnedBy(UserId),
}

/// The scope of every list the actor sees: the same rule as [`may_see`].
pub fn list_scope(actor: &Actor) -> ListScope {
    if actor.role.sees_every_case() {
        ListScope::Everything
    } else {
        ListScope::OwnedBy(actor.user_id)
    }
}

/// Decides one action on a case owned by `owner`.
pub fn authorize(actor: &Actor, owner: Option<UserId>, action: CaseAction) -> Result<(), Denied> {
    if !may_see(actor, owner) {
        return Err(Denied::NotFound);
    }
    let allowed = match action {
        CaseAction::See | CaseAction::AddNote | CaseAction::ChangeCampaign => true,
        CaseAction::Edit => may_edit(actor, owner),
        CaseAction::Move => may_move(actor, owner),
        CaseAction::Assign => may_assign(actor, owner),
        CaseAction::Reopen => may_reopen(actor, owner),
    };
    if allowed { Ok(()) } else { Err(Denied::Forbidden) }
}

/// Who may own a case the actor creates: an agent only themselves.
pub fn may_create_for(actor: &Actor, owner: Option<UserId>) -> bool {
    actor.role.sees_every_case() || owner == Some(actor.user_id)
}

/// The user list (owner pickers and filters) is for managers and admins.
pub fn may_list_users(actor: &Actor) -> bool {
    actor.role.sees_every_case()
}

/// Team analytics are for managers and admins.
pub fn may_see_team_analytics(actor: &Actor) -> bool {
    actor.role.sees_every_case()
}

/// Users, dictionaries, API keys and web-form tokens are the admin's.
pub fn may_administer(actor: &Actor) -> bool {
    actor.role == Role::Admin
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANNA: UserId = UserId(1);
    const BARTEK: UserId = UserId(2);

    fn agent() -> Actor {
        Actor::new(ANNA, Role::Agent)
    }
    fn manager() -> Actor {
        Actor::new(UserId(10), Role::Manager)
    }
    fn admin() -> Actor {
        Actor::new(UserId(20), Role::Admin)
    }

    #[test]
    fn an_agent_sees_the_cases_they_own() {
        assert!(may_see(&agent(), Some(ANNA)));
    }

    #[test]
    fn an_agent_does_not_see_another_agents_case() {
        assert!(!may_see(&agent(), Some(BARTEK)));
        assert_eq!(
            authorize(&agent(), Some(BARTEK), CaseAction::See),
            Err(Denied::NotFound)
        );
    }

    #[test]
    fn an_agent_does_not_see_unassigned_cases() {
        assert!(!may_see(&agent(), None));
    }

    #[test]
    fn a_manager_and_an_admin_see_every_case_including_unassigned_ones() {
        for actor in [manager(), admin()] {
            for owner in [Some(ANNA), Some(BARTEK), None] {
                assert!(may_see(&actor, owner));
            }
        }
    }

    #[test]
    fn an_agent_edits_and_moves_their_own_cases() {
        for action in [
            CaseAction::Edit,
            CaseAction::Move,
            CaseAction::ChangeCampaign,
            CaseAction::AddNote,
        ] {
            assert_eq!(authorize(&agent(), Some(ANNA), action), Ok(()), "{action:?}");
        }
    }

    #[test]
    fn every_action_on_another_agents_case_is_not_found_never_forbidden() {
        for action in [
            CaseAction::See,
            CaseAction::Edit,
            CaseAction::Move,
            CaseAction::ChangeCampaign,
            CaseAction::AddNote,
            CaseAction::Assign,
            CaseAction::Reopen,
        ] {
            assert_eq!(
                authorize(&agent(), Some(BARTEK), action),
                Err(Denied::NotFound),
                "{action:?}"
            );
            assert_eq!(
                authorize(&agent(), None, action),
                Err(Denied::NotFound),
                "{action:?}"
            );
        }
    }

    #[test]
    fn an_agent_may_not_assign_even_their_own_case() {
        assert!(!may_assign(&agent(), Some(ANNA)));
        assert_eq!(
            authorize(&agent(), Some(ANNA), CaseAction::Assign),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn an_agent_may_not_reopen_even_their_own_case() {
        assert!(!may_reopen(&agent(), Some(ANNA)));
        assert_eq!(
            authorize(&agent(), Some(ANNA), CaseAction::Reopen),
            Err(Denied::Forbidden)
        );
    }

    #[test]
    fn a_manager_and_an_admin_assign_and_reopen_any_case() {
        for actor in [manager(), admin()] {
            for owner in [Some(ANNA), None] {
                assert_eq!(authorize(&actor, owner, CaseAction::Assign), Ok(()));
                assert_eq!(authorize(&actor, owner, CaseAction::Reopen), Ok(()));
                assert_eq!(authorize(&actor, owner, CaseAction::Edit), Ok(()));
            }
        }
    }

    #[test]
    fn an_agents_lists_hold_only_their_own_cases_and_a_managers_everything() {
        assert_eq!(list_scope(&agent()), ListScope::OwnedBy(ANNA));
        assert_eq!(list_scope(&manager()), ListScope::Everything);
        assert_eq!(list_scope(&admin()), ListScope::Everything);
    }

    #[test]
    fn an_agent_creates_cases_only_for_themselves() {
        assert!(may_create_for(&agent(), Some(ANNA)));
        assert!(!may_create_for(&agent(), Some(BARTEK)));
        assert!(!may_create_for(&agent(), None));
    }

    #[test]
    fn a_manager_creates_cases_for_anyone_or_no_one() {
        assert!(may_create_for(&manager(), Some(BARTEK)));
        assert!(may_create_for(&manager(), None));
    }

    #[test]
    fn only_managers_and_admins_list_users_and_see_team_analytics() {
        assert!(!may_list_users(&agent()));
        assert!(!may_see_team_analytics(&agent()));
        for actor in [manager(), admin()] {
            assert!(may_list_users(&actor));
            assert!(may_see_team_analytics(&actor));
        }
    }

    #[test]
    fn only_an_admin_manages_users_dictionaries_and_api_keys() {
        assert!(!may_administer(&agent()));
        assert!(!may_administer(&manager()));
        assert!(may_administer(&admin()));
    }
}
