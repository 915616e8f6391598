//! A web form submission: told apart from a bot's, limited per address
//! and per form, then decided as a new case by the same rules as any other
//! and stored with its message as the first note — once, however many
//! times it is clicked.

use chrono::{Duration, Utc};
use lejek_domain::dto::FormSubmission;
use lejek_domain::{
    Actor, CaseId, ContactInput, FormAnswers, FormAssignment, NewCaseCommand, Role, UserId, Violation,
    Violations, decide_new_case,
};
use lejek_store::{FormLead, SubmissionOutcome, WebFormRecord};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// The window the limits and the double-click check look back over.
const WINDOW_MINUTES: i64 = 10;

/// What a submission came to. A bot's and one over a limit answer as a
/// person's would: they are told apart only here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    Created(CaseId),
    /// The same person sent the same message again: their first case.
    Duplicate(CaseId),
    Ignored,
}

/// A rule's field as the form names it (`contact.email` is `email`).
fn form_field(violation: &Violation) -> Violation {
    let field = match &*violation.field {
        "contact" | "contact.name" => "name",
        "contact.email" => "email",
        "contact.phone" => "phone",
        "contact.company" => "company",
        _ => return violation.clone(),
    };
    Violation::new(field, violation.code)
}

fn fingerprint(answers: &FormAnswers) -> String {
    let who = answers
        .email
        .as_deref()
        .or(answers.phone.as_deref())
        .unwrap_or_default()
        .to_lowercase();
    let digest = Sha256::digest(format!(
        "{who}\n{}",
        answers.message.as_deref().unwrap_or_default()
    ));
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The subject of a lead that gave none: the form's name and the start of
/// the message.
fn subject(form: &WebFormRecord, answers: &FormAnswers) -> String {
    let gist = answers
        .message
        .as_deref()
        .or(answers.name.as_deref())
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut subject = if gist.is_empty() {
        form.name.clone()
    } else {
        format!("{}: {gist}", form.name)
    };
    if subject.chars().count() > 120 {
        subject = subject.chars().take(119).collect::<String>() + "…";
    }
    subject
}

/// The salesperson whose turn it is, skipping those deactivated since.
async fn next_owner(state: &AppState, form: &WebFormRecord) -> Result<Option<UserId>, ApiError> {
    if form.assignment != FormAssignment::RoundRobin || form.agents.is_empty() {
        return Ok(None);
    }
    let count = form.agents.len() as u64;
    for _ in 0..count {
        let turn = state.store.take_form_turn(form.id).await?;
        let agent = &form.agents[(turn % count) as usize];
        if state
            .store
            .user(agent.id)
            .await?
            .is_some_and(|user| user.active && user.kind == lejek_store::UserKind::Person)
        {
            return Ok(Some(agent.id));
        }
    }
    Ok(None)
}

pub async fn receive(
    state: &AppState,
    form: &WebFormRecord,
    submission: FormSubmission,
    client_address: &str,
) -> Result<Received, ApiError> {
    let now = AppState::now();
    let settings = &state.settings;
    let ignore = |outcome| async move {
        state
            .store
            .record_submission(form.id, client_address, outcome, now)
            .await?;
        Ok::<_, ApiError>(Received::Ignored)
    };
    let human_timed = submission.token.as_deref().is_some_and(|token| {
        super::token::accepts(
            &state.form_tokens,
            token,
            form.id,
            now,
            Duration::seconds(i64::try_from(settings.form_min_fill_seconds).unwrap_or(3)),
        )
    });
    if submission
        .website
        .as_deref()
        .is_some_and(|text| !text.trim().is_empty())
        || !human_timed
    {
        return ignore(SubmissionOutcome::Bot).await;
    }
    let since = now - Duration::minutes(WINDOW_MINUTES);
    let (from_address, to_form) = state
        .store
        .submissions_since(form.id, client_address, since)
        .await?;
    if from_address >= settings.form_limit_per_address || to_form >= settings.form_limit_per_form {
        return ignore(SubmissionOutcome::Limited).await;
    }
    let answers = FormAnswers {
        name: submission.name,
        email: submission.email,
        phone: submission.phone,
        company: submission.company,
        subject: submission.subject,
        message: submission.message,
    }
    .asked_by(&form.fields);
    let fingerprint = fingerprint(&answers);
    // A second click takes no salesperson's turn.
    if let Some(case) = state
        .store
        .earlier_form_lead(form.id, &fingerprint, since)
        .await?
    {
        state
            .store
            .record_submission(form.id, client_address, SubmissionOutcome::Duplicate, now)
            .await?;
        return Ok(Received::Duplicate(case));
    }
    let note = answers.note();
    let command = NewCaseCommand {
        subject: Some(answers.subject.clone().unwrap_or_else(|| subject(form, &answers))),
        source: Some(form.source),
        expected_close_date: Some(Utc::now().date_naive() + Duration::days(i64::from(form.close_in_days))),
        contact: Some(ContactInput {
            name: answers
                .name
                .clone()
                .or_else(|| answers.email.clone())
                .or_else(|| answers.phone.clone()),
            company: answers.company.clone(),
            email: answers.email.clone(),
            phone: answers.phone.clone(),
        }),
        qualifier_id: form.qualifier.as_ref().map(|qualifier| qualifier.id),
        owner_id: next_owner(state, form).await?,
        ..NewCaseCommand::default()
    };
    // The form acts for the admin who set it up.
    let actor = Actor::new(form.created_by, Role::Admin);
    let decided = decide_new_case(&actor, command, state.funnel);
    let (new_case, note) = match (decided, note) {
        (Ok(new_case), Ok(note)) => (new_case, note),
        (decided, note) => {
            let mut violations = Violations::new();
            if let Err(lejek_domain::CommandError::Invalid(found)) = decided {
                violations.0.extend(found.iter().map(form_field));
            }
            if let Err(found) = note {
                violations.0.extend(found.0);
            }
            ignore(SubmissionOutcome::Refused).await?;
            return Err(violations.into());
        }
    };
    let lead = FormLead {
        form_id: form.id,
        new_case: &new_case,
        note: note.as_ref(),
        client_address,
        fingerprint: &fingerprint,
        duplicate_since: since,
    };
    let (case, created) = state.store.create_form_lead(lead, form.created_by, now).await?;
    Ok(if created {
        Received::Created(case)
    } else {
        Received::Duplicate(case)
    })
}
