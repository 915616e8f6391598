//! Commands on a case and the one function that decides them.

use chrono::{DateTime, NaiveDate, Utc};

use crate::campaign::CampaignRef;
use crate::event::Change;
use crate::funnel::{FunnelState, MoveRefusal, TransitionCommand};
use crate::ids::{ContactId, QualifierId, UserId};
use crate::patch::Patch;
use crate::permission::{self, CaseAction, Denied};
use crate::role::Actor;
use crate::source::Source;
use crate::values::{Amount, CompanyName, Currency, Email, ExternalId, PersonName, Phone, Subject};
use crate::violation::{Violation, ViolationCode, Violations};
use crate::wire::wire_enum;

/// What the rules need to know of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseState {
    pub owner: Option<UserId>,
    pub campaign: CampaignRef,
    pub funnel: FunnelState,
}

/// A change someone asks for on an existing case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseCommand {
    /// Move in the funnel.
    Transition(TransitionCommand),
    /// Assign, reassign or unassign the owner.
    Assign { owner: Option<UserId> },
    /// Move to another campaign, e.g. to SPAM and back.
    ChangeCampaign { to: CampaignRef },
    /// Edit the case's details; only the follow-up date touches the funnel.
    Edit { follow_up_at: Patch<DateTime<Utc>> },
}

wire_enum! {
    /// A rule that refuses a command whatever fields it carries.
    pub enum Refusal {
        ReopenRequiresManager => "reopen_requires_manager",
            "Zamkniętą sprawę może wznowić tylko kierownik lub administrator.",
            "Only a manager or an admin can reopen a closed case.";
        ClosedCaseIsFinal => "closed_case_is_final",
            "Zamkniętą sprawę można tylko wznowić do otwartego statusu.",
            "A closed case can only be reopened to an open status.";
        AssignRequiresManager => "assign_requires_manager",
            "Właściciela sprawy przypisuje kierownik lub administrator.",
            "Only a manager or an admin assigns owners.";
        ClosedCaseIsReadOnly => "closed_case_is_read_only",
            "Zamkniętą sprawę może zmieniać tylko kierownik lub administrator.",
            "Only a manager or an admin can edit a closed case.";
    }
}

/// Why a command was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// The actor may not see the case: for them it does not exist.
    #[error("case not found")]
    NotFound,
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error(transparent)]
    Invalid(#[from] Violations),
}

/// An accepted command: the case's new state and the history it writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub state: CaseState,
    pub changes: Vec<Change>,
}

fn refuse_as(refusal: Refusal) -> impl Fn(Denied) -> CommandError {
    move |denied| match denied {
        Denied::NotFound => CommandError::NotFound,
        Denied::Forbidden => CommandError::Refused(refusal),
    }
}

/// Decides a command by `actor` on a case in state `current`.
pub fn decide(
    actor: &Actor,
    current: &CaseState,
    command: CaseCommand,
    now: DateTime<Utc>,
) -> Result<Decision, CommandError> {
    let owner = current.owner;
    match command {
        CaseCommand::Transition(transition) => {
            permission::authorize(actor, owner, CaseAction::Move)
                .map_err(refuse_as(Refusal::ReopenRequiresManager))?;
            let reopening = current.funnel.is_closed() && transition.status.is_open();
            if reopening {
                permission::authorize(actor, owner, CaseAction::Reopen)
                    .map_err(refuse_as(Refusal::ReopenRequiresManager))?;
            }
            match current.funnel.moved(transition, now) {
                Err(MoveRefusal::ClosedCaseIsFinal) => Err(CommandError::Refused(Refusal::ClosedCaseIsFinal)),
                Ok(Err(violations)) => Err(CommandError::Invalid(violations)),
                Ok(Ok((funnel, changes))) => Ok(Decision {
                    state: CaseState {
                        funnel,
                        ..current.clone()
                    },
                    changes,
                }),
            }
        }
        CaseCommand::Assign { owner: new_owner } => {
            permission::authorize(actor, owner, CaseAction::Assign)
                .map_err(refuse_as(Refusal::AssignRequiresManager))?;
            let changes = if new_owner == owner {
                vec![]
            } else {
                vec![Change::Owner {
                    from: owner,
                    to: new_owner,
                }]
            };
            Ok(Decision {
                state: CaseState {
                    owner: new_owner,
                    ..current.clone()
                },
                changes,
            })
        }
        CaseCommand::ChangeCampaign { to } => {
            permission::authorize(actor, owner, CaseAction::ChangeCampaign)
                .map_err(refuse_as(Refusal::AssignRequiresManager))?;
            let changes = if to.id == current.campaign.id {
                vec![]
            } else {
                vec![Change::Campaign {
                    from: current.campaign.id,
                    to: to.id,
                }]
            };
            Ok(Decision {
                state: CaseState {
                    campaign: to,
                    ..current.clone()
                },
                changes,
            })
        }
        CaseCommand::Edit { follow_up_at } => {
            authorize_edit(actor, current)?;
            let funnel = match follow_up_at {
                Patch::Keep => current.funnel.clone(),
                patch => current.funnel.with_follow_up(patch.apply(None))?,
            };
            Ok(Decision {
                state: CaseState {
                    funnel,
                    ..current.clone()
                },
                changes: vec![],
            })
        }
    }
}

/// Whether `actor` may edit the case's details (and add notes is separate):
/// a closed case is read-only except for managers and admins.
pub fn authorize_edit(actor: &Actor, current: &CaseState) -> Result<(), CommandError> {
    permission::authorize(actor, current.owner, CaseAction::Edit)
        .map_err(refuse_as(Refusal::ClosedCaseIsReadOnly))?;
    if current.funnel.is_closed() {
        permission::authorize(actor, current.owner, CaseAction::Reopen)
            .map_err(refuse_as(Refusal::ClosedCaseIsReadOnly))?;
    }
    Ok(())
}

/// A new contact's fields as the caller sent them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactInput {
    pub name: Option<String>,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A validated new contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact {
    pub name: PersonName,
    pub company: Option<CompanyName>,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
}

/// The wire names of a contact's fields, top-level or nested in a case.
#[derive(Debug, Clone, Copy)]
pub struct ContactFields {
    pub name: &'static str,
    pub company: &'static str,
    pub email: &'static str,
    pub phone: &'static str,
}

impl ContactFields {
    pub const TOP_LEVEL: ContactFields = ContactFields {
        name: "name",
        company: "company",
        email: "email",
        phone: "phone",
    };
    pub const IN_CASE: ContactFields = ContactFields {
        name: "contact.name",
        company: "contact.company",
        email: "contact.email",
        phone: "contact.phone",
    };
}

/// Parses an optional text field where a blank value means "not given".
fn optional<T>(
    raw: Option<&str>,
    field: &'static str,
    parse: impl Fn(&str) -> Result<T, ViolationCode>,
) -> Result<Option<T>, Violation> {
    match raw.map(str::trim).filter(|text| !text.is_empty()) {
        None => Ok(None),
        Some(text) => parse(text).map(Some).map_err(|code| Violation::new(field, code)),
    }
}

/// Parses a required text field.
fn required<T>(
    raw: Option<&str>,
    field: &'static str,
    parse: impl Fn(&str) -> Result<T, ViolationCode>,
) -> Result<T, Violation> {
    match raw {
        None => Err(Violation::new(field, ViolationCode::Required)),
        Some(text) => parse(text).map_err(|code| Violation::new(field, code)),
    }
}

impl NewContact {
    pub fn parse(input: &ContactInput, fields: ContactFields) -> Result<NewContact, Violations> {
        let mut violations = Violations::new();
        let name = violations.collect(required(input.name.as_deref(), fields.name, PersonName::parse));
        let company = violations.collect(optional(
            input.company.as_deref(),
            fields.company,
            CompanyName::parse,
        ));
        let email = violations.collect(optional(input.email.as_deref(), fields.email, Email::parse));
        let phone = violations.collect(optional(input.phone.as_deref(), fields.phone, Phone::parse));
        match (name, company, email, phone) {
            (Some(name), Some(company), Some(email), Some(phone)) if violations.is_empty() => {
                Ok(NewContact {
                    name,
                    company,
                    email,
                    phone,
                })
            }
            _ => Err(violations),
        }
    }
}

/// The contact of a new case: an existing one or one created with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactChoice {
    Existing(ContactId),
    New(NewContact),
}

/// A new case as the caller sent it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewCaseCommand {
    pub subject: Option<String>,
    pub source: Option<Source>,
    pub expected_close_date: Option<NaiveDate>,
    pub contact_id: Option<ContactId>,
    pub contact: Option<ContactInput>,
    pub qualifier_id: Option<QualifierId>,
    pub value: Option<f64>,
    pub currency: Option<String>,
    pub owner_id: Option<UserId>,
    pub external_id: Option<String>,
}

/// An accepted new case, ready to be stored with its first history event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub subject: Subject,
    pub source: Source,
    pub expected_close_date: NaiveDate,
    pub contact: ContactChoice,
    pub qualifier_id: Option<QualifierId>,
    pub value: Option<Amount>,
    pub currency: Currency,
    pub external_id: Option<ExternalId>,
    pub state: CaseState,
    pub changes: Vec<Change>,
}

/// Decides a new case in `campaign`. Every path that creates a case (form,
/// API, import, web form, e-mail) goes through here, so every case starts
/// awaiting pickup with a subject, source, expected close date and contact.
/// An agent's case is theirs; a manager may set any owner or none.
pub fn decide_new_case(
    actor: &Actor,
    command: NewCaseCommand,
    campaign: CampaignRef,
) -> Result<NewCase, CommandError> {
    let mut violations = Violations::new();
    let subject = violations.collect(required(command.subject.as_deref(), "subject", Subject::parse));
    let source = violations.collect(
        command
            .source
            .ok_or(Violation::new("source", ViolationCode::Required)),
    );
    let expected_close_date = violations.collect(
        command
            .expected_close_date
            .ok_or(Violation::new("expected_close_date", ViolationCode::Required)),
    );
    let contact = match (command.contact_id, command.contact) {
        (Some(_), Some(_)) => {
            violations.push("contact", ViolationCode::ContactAmbiguous);
            None
        }
        (None, None) => {
            violations.push("contact", ViolationCode::Required);
            None
        }
        (Some(id), None) => Some(ContactChoice::Existing(id)),
        (None, Some(input)) => match NewContact::parse(&input, ContactFields::IN_CASE) {
            Ok(contact) => Some(ContactChoice::New(contact)),
            Err(contact_violations) => {
                violations.0.extend(contact_violations.0);
                None
            }
        },
    };
    let value = match command.value {
        None => Some(None),
        Some(value) => violations.collect(
            Amount::from_decimal(value)
                .map(Some)
                .map_err(|code| Violation::new("value", code)),
        ),
    };
    let currency = violations.collect(
        optional(command.currency.as_deref(), "currency", Currency::parse).map(Option::unwrap_or_default),
    );
    let external_id = violations.collect(optional(
        command.external_id.as_deref(),
        "external_id",
        ExternalId::parse,
    ));
    let owner = if actor.role.sees_every_case() {
        command.owner_id
    } else {
        Some(actor.user_id)
    };
    if !permission::may_create_for(actor, command.owner_id.or(Some(actor.user_id))) {
        violations.push("owner_id", ViolationCode::OwnerMustBeSelf);
    }

    match (
        subject,
        source,
        expected_close_date,
        contact,
        value,
        currency,
        external_id,
    ) {
        (
            Some(subject),
            Some(source),
            Some(expected_close_date),
            Some(contact),
            Some(value),
            Some(currency),
            Some(external_id),
        ) if violations.is_empty() => {
            let state = CaseState {
                owner,
                campaign,
                funnel: FunnelState::initial(),
            };
            let changes = vec![Change::Created {
                status: state.funnel.status(),
                owner,
                campaign: campaign.id,
            }];
            Ok(NewCase {
                subject,
                source,
                expected_close_date,
                contact,
                qualifier_id: command.qualifier_id,
                value,
                currency,
                external_id,
                state,
                changes,
            })
        }
        _ => Err(CommandError::Invalid(violations)),
    }
}

/// The editable details of a case (PATCH), as the caller sent them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseDetailsInput {
    pub subject: Patch<String>,
    pub source: Patch<Source>,
    pub qualifier_id: Patch<QualifierId>,
    pub expected_close_date: Patch<NaiveDate>,
    pub value: Patch<f64>,
    pub currency: Patch<String>,
    pub contact_id: Patch<ContactId>,
}

/// Validated detail edits; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseDetailsPatch {
    pub subject: Option<Subject>,
    pub source: Option<Source>,
    pub qualifier_id: Patch<QualifierId>,
    pub expected_close_date: Option<NaiveDate>,
    pub value: Patch<Amount>,
    pub currency: Option<Currency>,
    pub contact_id: Option<ContactId>,
}

/// A field that may be changed but never cleared.
fn not_cleared<T>(patch: Patch<T>, field: &'static str) -> Result<Option<T>, Violation> {
    match patch {
        Patch::Keep => Ok(None),
        Patch::Set(value) => Ok(Some(value)),
        Patch::Clear => Err(Violation::new(field, ViolationCode::Required)),
    }
}

impl CaseDetailsPatch {
    pub fn parse(input: CaseDetailsInput) -> Result<CaseDetailsPatch, Violations> {
        let mut violations = Violations::new();
        let subject = violations.collect(not_cleared(input.subject, "subject").and_then(|raw| {
            raw.map(|text| Subject::parse(&text))
                .transpose()
                .map_err(|code| Violation::new("subject", code))
        }));
        let source = violations.collect(not_cleared(input.source, "source"));
        let expected_close_date =
            violations.collect(not_cleared(input.expected_close_date, "expected_close_date"));
        let contact_id = violations.collect(not_cleared(input.contact_id, "contact_id"));
        let currency = violations.collect(not_cleared(input.currency, "currency").and_then(|raw| {
            raw.map(|text| Currency::parse(&text))
                .transpose()
                .map_err(|code| Violation::new("currency", code))
        }));
        let value = match input.value {
            Patch::Keep => Some(Patch::Keep),
            Patch::Clear => Some(Patch::Clear),
            Patch::Set(value) => violations.collect(
                Amount::from_decimal(value)
                    .map(Patch::Set)
                    .map_err(|code| Violation::new("value", code)),
            ),
        };
        violations.into_result(())?;
        Ok(CaseDetailsPatch {
            subject: subject.flatten(),
            source: source.flatten(),
            qualifier_id: input.qualifier_id,
            expected_close_date: expected_close_date.flatten(),
            value: value.unwrap_or_default(),
            currency: currency.flatten(),
            contact_id: contact_id.flatten(),
        })
    }
}
