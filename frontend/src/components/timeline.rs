use lejek_domain::dto::CaseEventDto;
use lejek_domain::{ChangeKind, Language, Stage, Status};
use leptos::prelude::*;

use crate::i18n::{T, format_datetime, tr, use_i18n};

/// A status or stage code in words; names for owners and campaigns.
fn describe(event: &CaseEventDto, code: Option<&str>, label: Option<&str>, language: Language) -> String {
    let translated = code.and_then(|code| match event.kind {
        ChangeKind::Status | ChangeKind::Created => {
            code.parse::<Status>().ok().map(|s| s.label(language).to_owned())
        }
        ChangeKind::Stage => code.parse::<Stage>().ok().map(|s| s.label(language).to_owned()),
        _ => None,
    });
    match (translated, label) {
        (Some(text), _) => text,
        (None, Some(label)) if !label.is_empty() => label.to_owned(),
        (None, _) => match event.kind {
            ChangeKind::Owner => T::Unassigned.text(language).to_owned(),
            _ => "—".to_owned(),
        },
    }
}

/// The case's history, newest first.
#[component]
pub fn Timeline(events: Vec<CaseEventDto>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = events.is_empty();
    view! {
        <section class="card" data-testid="history">
            <header>
                <h2>{tr(T::History)}</h2>
            </header>
            <div class="card-body">
                <Show when=move || !empty fallback=|| view! { <p class="muted">{tr(T::NoHistory)}</p> }>
                    <ol class="timeline">
                        {
                            let events = events.clone();
                            move || {
                                let language = i18n.get();
                                events
                                    .iter()
                                    .rev()
                                    .map(|event| {
                                        let change = match event.kind {
                                            ChangeKind::Created => describe(event, event.to.as_deref(), event.to_label.as_deref(), language),
                                            _ => format!(
                                                "{} → {}",
                                                describe(event, event.from.as_deref(), event.from_label.as_deref(), language),
                                                describe(event, event.to.as_deref(), event.to_label.as_deref(), language)
                                            ),
                                        };
                                        let who = event
                                            .actor
                                            .as_ref()
                                            .map(|actor| actor.name.clone())
                                            .unwrap_or_else(|| T::System.text(language).to_owned());
                                        view! {
                                            <li data-testid="history-event">
                                                <div class="what">{event.kind.label(language)}</div>
                                                <div>{change}</div>
                                                {event.reason.clone().map(|reason| view! { <div class="muted">{reason}</div> })}
                                                <div class="when">{format!("{} · {who}", format_datetime(event.at, language))}</div>
                                            </li>
                                        }
                                    })
                                    .collect_view()
                            }
                        }
                    </ol>
                </Show>
            </div>
        </section>
    }
}
