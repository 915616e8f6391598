//! What forms share: errors by field (from the domain's rules before
//! sending, or from the API's problem after), and the domain state of a
//! case card, so the client applies exactly the server's rules.

use lejek_domain::dto::{CaseCard, FieldError};
use lejek_domain::{
    Actor, CampaignRef, CaseState, FunnelState, Language, Refusal, ResignationReason, Violations,
};
use leptos::prelude::*;

use crate::api::{ApiError, violation_text};
use crate::i18n::{T, use_i18n};

/// The funnel state of a card, as the rules need it.
pub fn case_state(card: &CaseCard) -> Option<CaseState> {
    let reason = card
        .resignation_reason
        .as_deref()
        .and_then(|reason| ResignationReason::parse(reason).ok());
    let funnel = FunnelState::restore(
        card.row.status,
        card.row.stage,
        card.row.follow_up_at,
        reason,
        card.closed_at,
    )
    .ok()?;
    Some(CaseState {
        owner: card.row.owner.as_ref().map(|owner| owner.id),
        campaign: CampaignRef {
            id: card.row.campaign.id,
            kind: card.row.campaign.kind,
        },
        funnel,
    })
}

/// The logged-in user as the rules see them.
pub fn actor(me: &lejek_domain::dto::Me) -> Actor {
    Actor::new(me.id, me.role)
}

#[derive(Debug, Clone, PartialEq)]
enum General {
    Api(ApiError),
    Refused(Refusal),
}

/// The errors of one form. Messages are rendered in the current language.
#[derive(Clone, Copy)]
pub struct FormErrors {
    fields: RwSignal<Vec<FieldError>>,
    general: RwSignal<Option<General>>,
    /// The fields the form shows; errors on others go to the general line.
    known: &'static [&'static str],
}

impl FormErrors {
    pub fn new(known: &'static [&'static str]) -> FormErrors {
        FormErrors {
            fields: RwSignal::new(Vec::new()),
            general: RwSignal::new(None),
            known,
        }
    }

    pub fn clear(self) {
        self.fields.set(Vec::new());
        self.general.set(None);
    }

    pub fn set_violations(self, violations: &Violations) {
        self.general.set(None);
        self.fields.set(
            violations
                .iter()
                .map(|violation| FieldError {
                    field: violation.field.to_string(),
                    code: violation.code,
                    message: violation.code.label(Language::En).to_owned(),
                })
                .collect(),
        );
    }

    pub fn set_refusal(self, refusal: Refusal) {
        self.fields.set(Vec::new());
        self.general.set(Some(General::Refused(refusal)));
    }

    pub fn set_api(self, error: ApiError) {
        self.fields.set(error.field_errors().to_vec());
        self.general.set(Some(General::Api(error)));
    }

    /// The message for one field, if any.
    pub fn field(self, name: &'static str) -> Signal<Option<String>> {
        let i18n = use_i18n();
        Signal::derive(move || {
            self.fields.with(|fields| {
                fields
                    .iter()
                    .find(|error| error.field == name)
                    .map(|error| violation_text(error.code, i18n.get()))
            })
        })
    }

    /// The message for the form as a whole: the API's error, a refusal, or
    /// errors on fields the form does not show.
    pub fn general(self) -> Signal<Option<String>> {
        let i18n = use_i18n();
        let known = self.known;
        Signal::derive(move || {
            let language = i18n.get();
            let stray: Vec<String> = self.fields.with(|fields| {
                fields
                    .iter()
                    .filter(|error| !known.contains(&error.field.as_str()))
                    .map(|error| format!("{}: {}", error.field, violation_text(error.code, language)))
                    .collect()
            });
            let head = match self.general.get() {
                Some(General::Refused(refusal)) => Some(refusal.label(language).to_owned()),
                Some(General::Api(error)) => Some(error.message(language)),
                None if !stray.is_empty() => Some(T::FixFields.text(language).to_owned()),
                None => None,
            };
            head.map(|head| {
                if stray.is_empty() {
                    head
                } else {
                    format!("{head} {}", stray.join(" "))
                }
            })
        })
    }
}

/// Reads a decimal amount as people type it: `12 500,50` or `12500.5`.
pub fn parse_amount(text: &str) -> Option<f64> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    cleaned.parse::<f64>().ok().filter(|value| value.is_finite())
}
