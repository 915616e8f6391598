//! Who is acting (spec section 1).

use serde::{Deserialize, Serialize};

use crate::ids::UserId;
use crate::wire::wire_enum;

wire_enum! {
    /// A user's role; integrations act with the role their API key carries.
    pub enum Role {
        /// A salesperson: sees and touches only the cases they own.
        Agent => "agent", "Handlowiec", "Salesperson";
        /// A sales director or board member: every case, assigns and reopens.
        Manager => "manager", "Kierownik sprzedaży", "Sales manager";
        /// The system owner: as manager, plus users, dictionaries and API keys.
        Admin => "admin", "Administrator", "Administrator";
    }
}

wire_enum! {
    /// What an API key may do.
    #[derive(Default)]
    pub enum ApiKeyScope {
        /// Everything its role may.
        #[default]
        Full => "full", "pełny (jak rola)", "full (as its role)";
        /// Only deliver inbound e-mail (`POST /inbound/email`), for a mail gateway.
        Intake => "intake", "tylko przyjmowanie poczty", "inbound mail only";
    }
}

impl Role {
    /// Managers and admins see every case, unassigned ones included.
    pub const fn sees_every_case(self) -> bool {
        matches!(self, Role::Manager | Role::Admin)
    }

    /// Whether an integration's API key may act with this role: any but
    /// admin, so no key can manage users or keys.
    pub const fn may_hold_api_key(self) -> bool {
        !matches!(self, Role::Admin)
    }
}

/// The user (or the integration's service identity) behind a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: UserId,
    pub role: Role,
}

impl Actor {
    pub const fn new(user_id: UserId, role: Role) -> Self {
        Actor { user_id, role }
    }
}
