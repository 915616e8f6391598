//! The rules of the Lejek sales funnel, free of any framework: the enums of
//! the specification with their wire codes and labels, the state machine and
//! its history events, who may do what, and the pipeline query model that
//! the server and the WASM client share.

pub mod analytics;
mod campaign;
mod case;
mod contact;
pub mod dto;
mod event;
mod funnel;
mod ids;
mod intake;
mod mail_intake;
#[cfg(feature = "openapi")]
pub mod openapi;
mod patch;
mod permission;
mod problem;
mod query;
mod role;
mod source;
mod status;
mod values;
mod view;
mod violation;
mod web_form;
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
pub use intake::{
    ContactMatch, Delimiter, ImportField, ImportFormat, ImportOwner, ImportState, IntakeChannel, TextEncoding,
};
pub use mail_intake::{
    MAIL_LEADS_PER_SENDER, MAIL_LOOP_HOURS, MailChannel, MailIntakeInput, MailIntakeSettings, MailOutcome,
};
pub use patch::Patch;
pub use permission::{
    CaseAction, Denied, ListScope, authorize, list_scope, may_administer, may_assign, may_create_for,
    may_edit, may_list_users, may_move, may_reopen, may_see, may_see_team_analytics,
};
pub use problem::{ErrorCode, ProblemCode};
pub use query::{
    AnalyticsParam, AnalyticsQuery, CallerTimeZone, DEFAULT_LIMIT, Direction, ListParam, ListQuery,
    MAX_CURSOR_CHARS, MAX_LIMIT, MAX_TEXT_FILTER_CHARS, OwnerFilter, ParamShape, PipelineFilters,
    PipelineParam, PipelineQuery, SortField, SortKey, Tab, TextFilter, UtcOffset, ZoneName,
};
pub use role::{Actor, ApiKeyScope, Role};
pub use source::Source;
pub use status::{Stage, Status};
pub use values::{
    Amount, CURRENCY_PATTERN, CompanyName, Currency, DictionaryName, EMAIL_PATTERN, Email, ExternalId,
    MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, NO_NUL_PATTERN, NON_BLANK_PATTERN, NoteText,
    OPTIONAL_CURRENCY_PATTERN, OPTIONAL_EMAIL_PATTERN, OPTIONAL_PHONE_PATTERN, PersonName, Phone,
    ResignationReason, Subject, WHITESPACE_CLASS, check_password, digits_of,
};
pub use view::{COLUMN_WIDTHS, Column, ColumnSetting, RowHeight, ViewKey, ViewSettings};
pub use violation::{Violation, ViolationCode, Violations};
pub use web_form::{
    FormAnswers, FormAssignment, FormField, MAX_CLOSE_IN_DAYS, MAX_FORM_ORIGINS, MAX_ORIGIN_CHARS,
    ORIGIN_PATTERN, WebFormInput, WebFormSettings, parse_origin,
};
pub use wire::{Language, UnknownCode};

#[cfg(test)]
mod case_tests;
