use lejek_domain::{FormAssignment, QualifierId, Role, UserId};
use leptos::prelude::*;

use crate::i18n::{T, tr, use_i18n};
use crate::state::use_dictionaries;

/// Where the leads of an intake channel go: their qualifier, their
/// expected close date, and who owns them (nobody, or salespeople in turn).
/// Shared by the web form and e-mail intake editors.
#[component]
pub fn LeadRoutingFields(
    qualifier: RwSignal<Option<QualifierId>>,
    assignment: RwSignal<FormAssignment>,
    agents: RwSignal<Vec<UserId>>,
    /// As typed: the server names a value out of range.
    close_in_days: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let dictionaries = use_dictionaries();
    let language = move || i18n.get();
    let toggle = move |id: UserId| {
        agents.update(|list| match list.iter().position(|known| *known == id) {
            Some(at) => {
                list.remove(at);
            }
            None => list.push(id),
        })
    };
    view! {
        <label class="field">
            <span>{tr(T::Qualifier)}</span>
            <select data-testid="form-qualifier" on:change=move |e| {
                qualifier.set(event_target_value(&e).parse::<i64>().ok().map(QualifierId))
            }>
                <option value="">{tr(T::NoDefault)}</option>
                {move || dictionaries.qualifiers.get().into_iter().map(|entry| {
                    let id = QualifierId(entry.id);
                    view! { <option value=entry.id.to_string() selected=move || qualifier.get() == Some(id)>{entry.name}</option> }
                }).collect_view()}
            </select>
        </label>
        <label class="field">
            <span>{tr(T::CloseInDays)}</span>
            <input type="number" min="1" max="730" data-testid="form-close-in-days" prop:value=move || close_in_days.get() on:input=move |e| close_in_days.set(event_target_value(&e)) />
        </label>
        <fieldset class="field span-2">
            <legend>{tr(T::FormAssignmentLabel)}</legend>
            {FormAssignment::ALL.iter().map(|choice| view! {
                <label class="check">
                    <input type="radio" name="assignment" data-testid=format!("form-assignment-{}", choice.as_str())
                        prop:checked=move || assignment.get() == *choice
                        on:change=move |_| assignment.set(*choice) />
                    {move || choice.label(language())}
                </label>
            }).collect_view()}
        </fieldset>
        <Show when=move || assignment.get() == FormAssignment::RoundRobin>
            <fieldset class="field span-2">
                <legend>{tr(T::FormAgents)}</legend>
                {move || dictionaries.users.get().into_iter()
                    .filter(|user| user.active && user.role == Role::Agent)
                    .map(|user| {
                        let id = user.id;
                        view! {
                            <label class="check">
                                <input type="checkbox" data-testid="form-agent" prop:checked=move || agents.get().contains(&id) on:change=move |_| toggle(id) />
                                {user.name}
                            </label>
                        }
                    }).collect_view()}
            </fieldset>
        </Show>
    }
}
