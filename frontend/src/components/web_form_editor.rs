use lejek_domain::dto::{WebFormDto, WebFormRequest};
use lejek_domain::{FormAssignment, FormField, Source};
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::error_note::ErrorNote;
use crate::components::lead_routing_fields::LeadRoutingFields;
use crate::components::toasts::use_toasts;
use crate::i18n::{T, tr, use_i18n};

/// A web form's settings, new or saved: name, sites, source, qualifier,
/// who gets the leads, the fields asked and the expected close date.
#[component]
pub fn WebFormEditor(
    form: Option<WebFormDto>,
    on_saved: Callback<WebFormDto>,
    on_closed: Callback<()>,
) -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let id = form.as_ref().map(|form| form.id);
    let name = RwSignal::new(form.as_ref().map(|form| form.name.clone()).unwrap_or_default());
    let origins = RwSignal::new(
        form.as_ref()
            .map(|form| form.origins.join("\n"))
            .unwrap_or_default(),
    );
    let source = RwSignal::new(form.as_ref().map_or(Source::ContactForm, |form| form.source));
    let qualifier = RwSignal::new(
        form.as_ref()
            .and_then(|form| form.qualifier.as_ref().map(|q| q.id)),
    );
    let assignment = RwSignal::new(
        form.as_ref()
            .map_or(FormAssignment::Unassigned, |form| form.assignment),
    );
    let agents = RwSignal::new(
        form.as_ref()
            .map(|form| form.agents.iter().map(|agent| agent.id).collect::<Vec<_>>())
            .unwrap_or_default(),
    );
    let fields = RwSignal::new(form.as_ref().map(|form| form.fields.clone()).unwrap_or_else(|| {
        vec![
            FormField::Name,
            FormField::Email,
            FormField::Phone,
            FormField::Message,
        ]
    }));
    let close_in_days = RwSignal::new(form.as_ref().map_or(30, |form| form.close_in_days).to_string());
    let active = RwSignal::new(form.as_ref().is_none_or(|form| form.active));
    let save = Action::new_local(move |request: &WebFormRequest| {
        let request = request.clone();
        async move { api.save_web_form(id, &request).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(saved)) = save.value().get() {
            toasts.success(T::Saved.text(i18n.get_untracked()).to_owned());
            on_saved.run(saved);
        }
    });
    let retire = Action::new_local(move |id: &i64| {
        let id = *id;
        async move { api.retire_web_form(id).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = retire.value().get() {
            on_closed.run(());
        }
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        save.dispatch_local(WebFormRequest {
            name: name.get_untracked(),
            origins: origins
                .get_untracked()
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect(),
            source: Some(source.get_untracked()),
            qualifier: qualifier.get_untracked(),
            assignment: assignment.get_untracked(),
            agents: if assignment.get_untracked() == FormAssignment::RoundRobin {
                agents.get_untracked()
            } else {
                Vec::new()
            },
            fields: fields.get_untracked(),
            close_in_days: close_in_days.get_untracked().trim().parse().unwrap_or(0),
            active: active.get_untracked(),
        });
    };
    let language = move || i18n.get();
    view! {
        <form class="card intake-editor" on:submit=submit novalidate data-testid="web-form-editor">
            <div class="card-body form-grid">
                <label class="field">
                    <span>{tr(T::FormName)}</span>
                    <input type="text" data-testid="form-name" prop:value=move || name.get() on:input=move |e| name.set(event_target_value(&e)) />
                </label>
                <label class="field">
                    <span>{tr(T::Source)}</span>
                    <select data-testid="form-source" on:change=move |e| {
                        if let Ok(chosen) = event_target_value(&e).parse() { source.set(chosen) }
                    }>
                        {Source::ALL.iter().map(|option| view! {
                            <option value=option.as_str() selected=move || source.get() == *option>{move || option.label(language())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field span-2">
                    <span>{tr(T::FormOrigins)}</span>
                    <textarea rows="2" data-testid="form-origins" prop:value=move || origins.get() on:input=move |e| origins.set(event_target_value(&e))></textarea>
                </label>
                <fieldset class="field span-2">
                    <legend>{tr(T::FormFields)}</legend>
                    {FormField::ALL.iter().map(|field| view! {
                        <label class="check">
                            <input type="checkbox" data-testid=format!("form-field-{}", field.as_str())
                                prop:checked=move || fields.get().contains(field)
                                on:change=move |_| fields.update(|list| match list.iter().position(|known| known == field) {
                                    Some(at) => { list.remove(at); }
                                    None => list.push(*field),
                                }) />
                            {move || field.label(language())}
                        </label>
                    }).collect_view()}
                </fieldset>
                <LeadRoutingFields qualifier assignment agents close_in_days />
                <label class="check">
                    <input type="checkbox" data-testid="form-active" prop:checked=move || active.get() on:change=move |_| active.update(|on| *on = !*on) />
                    {tr(T::FormActive)}
                </label>
            </div>
            {move || match save.value().get() {
                Some(Err(error)) => Some(view! { <ErrorNote error=error /> }),
                _ => None,
            }}
            <div class="card-body toolbar">
                <button type="submit" class="button primary" data-testid="save-web-form" disabled=move || save.pending().get()>{tr(T::Save)}</button>
                <button type="button" class="button ghost" on:click=move |_| on_closed.run(())>{tr(T::Cancel)}</button>
                {id.map(|id| view! {
                    <button type="button" class="button danger" data-testid="retire-web-form" on:click=move |_| {
                        let confirmed = web_sys::window()
                            .and_then(|window| window.confirm_with_message(T::RetireFormConfirm.text(i18n.get_untracked())).ok())
                            .unwrap_or(false);
                        if confirmed {
                            retire.dispatch_local(id);
                        }
                    }>{tr(T::RetireForm)}</button>
                })}
            </div>
        </form>
    }
}
