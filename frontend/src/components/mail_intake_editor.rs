use lejek_domain::FormAssignment;
use lejek_domain::dto::{MailIntakeDto, MailIntakeRequest};
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::error_note::ErrorNote;
use crate::components::lead_routing_fields::LeadRoutingFields;
use crate::components::toasts::use_toasts;
use crate::i18n::{T, format_datetime, tr, use_i18n};

/// E-mail intake's settings: on or off, and where the leads that arrive by
/// mail go.
#[component]
pub fn MailIntakeEditor(settings: MailIntakeDto, on_saved: Callback<MailIntakeDto>) -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let active = RwSignal::new(settings.active);
    let qualifier = RwSignal::new(settings.qualifier.as_ref().map(|q| q.id));
    let assignment = RwSignal::new(settings.assignment);
    let agents = RwSignal::new(settings.agents.iter().map(|agent| agent.id).collect::<Vec<_>>());
    let close_in_days = RwSignal::new(settings.close_in_days.to_string());
    let save = Action::new_local(move |request: &MailIntakeRequest| {
        let request = request.clone();
        async move { api.save_mail_intake(&request).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            toasts.success(T::Saved.text(i18n.get_untracked()).to_owned());
            on_saved.run(saved);
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save.dispatch_local(MailIntakeRequest {
            active: active.get_untracked(),
            qualifier: qualifier.get_untracked(),
            assignment: assignment.get_untracked(),
            agents: if assignment.get_untracked() == FormAssignment::RoundRobin {
                agents.get_untracked()
            } else {
                Vec::new()
            },
            close_in_days: close_in_days.get_untracked().trim().parse().unwrap_or(0),
        });
    };
    let saved_by = settings.updated_by.clone().zip(settings.updated_at).map(|(user, at)| {
        view! {
            <p class="muted" data-testid="mail-saved-by">
                {move || format!("{} {} · {}", T::FiledAs.text(i18n.get()), user.name, format_datetime(at, i18n.get()))}
            </p>
        }
    });
    view! {
        <form class="card intake-editor" on:submit=submit novalidate data-testid="mail-intake-editor">
            <div class="card-body form-grid">
                <label class="check span-2">
                    <input type="checkbox" data-testid="mail-active" prop:checked=move || active.get() on:change=move |_| active.update(|on| *on = !*on) />
                    {tr(T::MailIntakeActive)}
                </label>
                <LeadRoutingFields qualifier assignment agents close_in_days />
            </div>
            {move || match save.value().get() {
                Some(Err(error)) => Some(view! { <ErrorNote error=error /> }),
                _ => None,
            }}
            <div class="card-body toolbar">
                <button type="submit" class="button primary" data-testid="save-mail-intake" disabled=move || save.pending().get()>{tr(T::Save)}</button>
                {saved_by}
            </div>
        </form>
    }
}
