//! The rules of the Lejek sales funnel, free of any framework: the enums of
//! the specification with their wire codes and labels, the state machine and
//! its history events, who may do what, and the pipeline query model that
//! the server and the WASM client share.

mod campaign;
mod case;
mod contact;
pub mod dto;
mod event;
mod funnel;
mod ids;
mod patch;
mod permission;
mod query;
mod role;
mod source;
mod status;
mod values;
mod view;
mod violation;
mod wire;

pub use campaign::{CampaignKind, CampaignRef};
pub use case::{
    CaseCommand, CaseDetailsInput, CaseDetailsPatch, CaseState, CommandError, ContactChoice, ContactFields,
    ContactInput, Decision, NewCase, NewCaseCommand, NewContact, Refusal, authorize_edit, decide,
    decide_new_case,
};
pub use contact::ContactChanges;
pub use event::{Change, ChangeKind};
pub use funnel::{FunnelState, TransitionCommand};
pub use ids::{
    ApiKeyId, CampaignId, CaseId, ContactId, EventId, NoteId, QualifierId, ResignationReasonId, UserId,
};
pub use patch::Patch;
pub use permission::{
    CaseAction, Denied, ListScope, authorize, list_scope, may_administer, may_assign, may_create_for,
    may_edit, may_list_users, may_move, may_reopen, may_see, may_see_team_analytics,
};
pub use query::{
    DEFAULT_LIMIT, Direction, MAX_LIMIT, OwnerFilter, PipelineFilters, PipelineQuery, SortField, SortKey,
    Tab, TextFilter, UtcOffset,
};
pub use role::{Actor, Role};
pub use source::Source;
pub use status::{Stage, Status};
pub use values::{
    Amount, CompanyName, Currency, DictionaryName, Email, NoteText, PersonName, Phone, ResignationReason,
    Subject, digits_of,
};
pub use view::{COLUMN_WIDTHS, Column, ColumnSetting, RowHeight, ViewSettings};
pub use violation::{Violation, ViolationCode, Violations};
pub use wire::{Language, UnknownCode};

#[cfg(test)]
mod case_tests;
