//! Filing one inbound message, whichever way it came: machine mail creates
//! nothing, a reply becomes a note on its case, a sender's loop is held
//! back, and anything else becomes a lead decided by the same rules as any
//! new case — once per Message-ID.

use chrono::{Duration, Utc};
use lejek_domain::dto::InboundMailDto;
use lejek_domain::{
    Actor, CampaignRef, CaseId, CommandError, ContactInput, FormAssignment, MAIL_LEADS_PER_SENDER,
    MAIL_LOOP_HOURS, MailChannel, MailOutcome, NewCaseCommand, NoteText, Role, Source, Subject, UserId,
    Violation, ViolationCode, Violations, decide_new_case,
};
use lejek_intake::{InboundMail, read_mail};
use lejek_store::{FiledMail, InboundMailRecord, MailFiling, MailIntakeRecord, Store, UserKind};

use crate::error::ApiError;
use crate::state::AppState;

pub fn dto(record: InboundMailRecord, duplicate: bool) -> InboundMailDto {
    InboundMailDto {
        id: record.id,
        message_id: record.message_id,
        channel: record.channel,
        received_at: record.received_at,
        sender: record.sender,
        subject: record.subject,
        outcome: record.outcome,
        detail: record.detail,
        case_id: record.case_id,
        case_number: record.case_number,
        duplicate,
    }
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() > max {
        text.chars().take(max - 1).collect::<String>() + "…"
    } else {
        text.to_owned()
    }
}

/// The lead's subject: the message's, or the start of its text.
fn lead_subject(mail: &InboundMail) -> String {
    let subject = if mail.subject.trim().is_empty() {
        mail.text
            .split_whitespace()
            .take(12)
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        mail.subject.clone()
    };
    if subject.trim().is_empty() {
        "E-mail".to_owned()
    } else {
        cut(&subject, Subject::MAX_CHARS)
    }
}

/// The note a message leaves: who wrote, about what, the text, and the
/// names of what was attached (the files stay in the mailbox).
fn note(mail: &InboundMail) -> Result<NoteText, ApiError> {
    let mut body = String::new();
    if let Some(sender) = &mail.sender {
        match &sender.name {
            Some(name) => body.push_str(&format!("E-mail: {name} <{}>\n", sender.email)),
            None => body.push_str(&format!("E-mail: {}\n", sender.email)),
        }
    }
    if !mail.subject.is_empty() {
        body.push_str(&format!("{}\n", cut(&mail.subject, 300)));
    }
    body.push('\n');
    body.push_str(if mail.text.is_empty() { "(—)" } else { &mail.text });
    if !mail.attachments.is_empty() {
        let names: Vec<String> = mail
            .attachments
            .iter()
            .take(20)
            .map(|name| cut(name, 100))
            .collect();
        body.push_str(&format!("\n\n📎 {}", names.join(", ")));
    }
    NoteText::parse(&cut(&body, NoteText::MAX_CHARS))
        .map_err(|code| Violations::single("message", code).into())
}

/// The salesperson whose turn it is, skipping those deactivated since.
async fn next_owner(store: &Store, settings: &MailIntakeRecord) -> Result<Option<UserId>, ApiError> {
    if settings.assignment != FormAssignment::RoundRobin || settings.agents.is_empty() {
        return Ok(None);
    }
    let count = settings.agents.len() as u64;
    for _ in 0..count {
        let turn = store.take_mail_turn().await?;
        let agent = &settings.agents[(turn % count) as usize];
        if store
            .user(agent.id)
            .await?
            .is_some_and(|user| user.active && user.kind == UserKind::Person)
        {
            return Ok(Some(agent.id));
        }
    }
    Ok(None)
}

/// A rule's field as the message names it.
fn mail_field(violation: &Violation) -> Violation {
    let field = match &*violation.field {
        "contact" | "contact.name" | "contact.email" => "from",
        "subject" => "subject",
        _ => "message",
    };
    Violation::new(field, violation.code)
}

/// The case a reply answers: a message filed on it, else its `[#number]`.
async fn answered_case(store: &Store, mail: &InboundMail) -> Result<Option<CaseId>, ApiError> {
    if let Some(case) = store.case_of_messages(&mail.answers).await? {
        return Ok(Some(case));
    }
    Ok(match mail.case_tag {
        Some(number) => store.case_with_number(number).await?,
        None => None,
    })
}

/// Files one raw RFC 5322 message; `duplicate` in the answer tells a
/// Message-ID filed before (nothing changed).
pub async fn file_mail(
    store: &Store,
    funnel: CampaignRef,
    raw: &[u8],
    channel: MailChannel,
) -> Result<InboundMailDto, ApiError> {
    let mail = read_mail(raw).map_err(|_| Violations::single("message", ViolationCode::NotAnEmail))?;
    if let Some(earlier) = store.inbound_mail(&mail.message_id).await? {
        return Ok(dto(earlier, true));
    }
    let settings = store.mail_intake().await?;
    if !settings.active {
        return Err(ApiError::MailIntakeOff);
    }
    let actor = store
        .mail_intake_actor()
        .await?
        .ok_or_else(|| ApiError::internal("no active admin to file mail as"))?;
    let now = AppState::now();
    let sender = mail.sender.as_ref().map(|sender| sender.email.as_str());
    let filed = |outcome, detail, filing| FiledMail {
        message_id: &mail.message_id,
        channel,
        sender,
        subject: &mail.subject,
        outcome,
        detail,
        filing,
    };
    let note = note(&mail)?;
    let new_case;
    let filing = if let Some(machine) = mail.machine {
        filed(
            MailOutcome::Automatic,
            Some(machine.as_str()),
            MailFiling::Nothing,
        )
    } else if let Some(case_id) = answered_case(store, &mail).await? {
        filed(
            MailOutcome::Reply,
            None,
            MailFiling::Note { case_id, note: &note },
        )
    } else if store
        .mail_leads_from(sender.unwrap_or_default(), now - Duration::hours(MAIL_LOOP_HOURS))
        .await?
        >= MAIL_LEADS_PER_SENDER
    {
        filed(MailOutcome::Loop, None, MailFiling::Nothing)
    } else {
        let from = mail.sender.as_ref().expect("mail without a sender is a bounce");
        let command = NewCaseCommand {
            subject: Some(lead_subject(&mail)),
            source: Some(Source::Email),
            expected_close_date: Some(
                Utc::now().date_naive() + Duration::days(i64::from(settings.close_in_days)),
            ),
            contact: Some(ContactInput {
                name: Some(cut(from.name.as_deref().unwrap_or(&from.email), 200)),
                company: None,
                email: Some(from.email.clone()),
                phone: None,
            }),
            qualifier_id: settings.qualifier.as_ref().map(|qualifier| qualifier.id),
            owner_id: next_owner(store, &settings).await?,
            ..NewCaseCommand::default()
        };
        new_case =
            decide_new_case(&Actor::new(actor, Role::Admin), command, funnel).map_err(
                |error| match error {
                    CommandError::Invalid(found) => {
                        ApiError::from(Violations(found.iter().map(mail_field).collect()))
                    }
                    other => ApiError::from(other),
                },
            )?;
        filed(
            MailOutcome::Created,
            None,
            MailFiling::Lead {
                new_case: &new_case,
                note: Some(&note),
            },
        )
    };
    let (record, new) = store.file_inbound_mail(filing, actor, now).await?;
    Ok(dto(record, !new))
}
