use chrono::NaiveDate;
use lejek_domain::dto::{CaseCard, CasePatchRequest};
use lejek_domain::{
    CaseCommand, CaseDetailsInput, CaseDetailsPatch, CommandError, Currency, Patch, QualifierId, Source,
    Violation, ViolationCode, Violations, authorize_edit, decide,
};
use leptos::prelude::*;

use crate::api::use_api;
use crate::browser;
use crate::components::field::Field;
use crate::components::intake_origin::IntakeOrigin;
use crate::components::status_badge::StatusBadge;
use crate::components::toasts::use_toasts;
use crate::forms::{FormErrors, actor, case_state, parse_amount};
use crate::i18n::{T, format_date, format_datetime, format_money, tr, use_i18n};
use crate::state::use_dictionaries;

const FIELDS: &[&str] = &[
    "subject",
    "source",
    "qualifier",
    "expected_close_date",
    "follow_up_at",
    "value",
    "currency",
];

/// Every field of the case card, and the form that edits its details.
#[component]
pub fn CaseDetails(card: CaseCard, on_updated: Callback<CaseCard>, on_stale: Callback<()>) -> impl IntoView {
    let api = use_api();
    let tasks = crate::task::Spawner::new();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let dictionaries = use_dictionaries();
    let me = api.me();
    let state = case_state(&card);
    let can_edit = match (&me, &state) {
        (Some(me), Some(state)) => authorize_edit(&actor(me), state).is_ok(),
        _ => false,
    };
    let editing = RwSignal::new(false);
    let errors = FormErrors::new(FIELDS);
    let saving = RwSignal::new(false);
    let row = card.row.clone();

    // The form's values, as typed.
    let subject = RwSignal::new(row.subject.clone());
    let source = RwSignal::new(row.source.as_str().to_owned());
    let qualifier = RwSignal::new(
        row.qualifier
            .as_ref()
            .map(|q| q.id.to_string())
            .unwrap_or_default(),
    );
    let close = RwSignal::new(row.expected_close_date.to_string());
    let follow_up = RwSignal::new(row.follow_up_at.map(browser::to_local_input).unwrap_or_default());
    let value = RwSignal::new(row.value.map(|v| v.to_string()).unwrap_or_default());
    let currency = RwSignal::new(row.currency.clone());
    let status = row.status;

    let original = card.clone();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let card = &original;
        let row = &card.row;
        let mut violations = Violations::new();
        let subject_patch = match subject.get_untracked() {
            text if text.trim() != row.subject => Patch::Set(text),
            _ => Patch::Keep,
        };
        let source_patch = match source.get_untracked().parse::<Source>() {
            Ok(new) if new != row.source => Patch::Set(new),
            _ => Patch::Keep,
        };
        let qualifier_patch = match qualifier.get_untracked().parse::<i64>().ok().map(QualifierId) {
            None if row.qualifier.is_some() => Patch::Clear,
            Some(id) if row.qualifier.as_ref().map(|q| q.id) != Some(id) => Patch::Set(id),
            _ => Patch::Keep,
        };
        let close_patch = match NaiveDate::parse_from_str(&close.get_untracked(), "%Y-%m-%d") {
            Ok(day) if day != row.expected_close_date => Patch::Set(day),
            Ok(_) => Patch::Keep,
            Err(_) => Patch::Clear,
        };
        let follow_up_text = follow_up.get_untracked();
        let follow_up_patch =
            if follow_up_text == row.follow_up_at.map(browser::to_local_input).unwrap_or_default() {
                Patch::Keep
            } else {
                match browser::from_local_input(&follow_up_text) {
                    Some(at) => Patch::Set(at),
                    None => Patch::Clear,
                }
            };
        let value_text = value.get_untracked();
        let value_patch = match (value_text.trim().is_empty(), parse_amount(&value_text)) {
            (true, _) if row.value.is_some() => Patch::Clear,
            (true, _) => Patch::Keep,
            (false, Some(amount)) if Some(amount) != row.value => Patch::Set(amount),
            (false, Some(_)) => Patch::Keep,
            (false, None) => {
                violations
                    .0
                    .push(Violation::new("value", ViolationCode::InvalidAmount));
                Patch::Keep
            }
        };
        let currency_patch = match currency.get_untracked().trim().to_uppercase() {
            text if text == row.currency => Patch::Keep,
            text if text.is_empty() => Patch::Set(Currency::PLN.to_string()),
            text => Patch::Set(text),
        };
        let input = CaseDetailsInput {
            subject: subject_patch.clone(),
            source: source_patch.clone(),
            qualifier_id: qualifier_patch.clone(),
            expected_close_date: close_patch.clone(),
            value: value_patch.clone(),
            currency: currency_patch.clone(),
            contact_id: Patch::Keep,
        };
        if let Err(found) = CaseDetailsPatch::parse(input) {
            violations.0.extend(found.0);
        }
        if let (Some(me), Some(state)) = (api.me(), case_state(card)) {
            let command = CaseCommand::Edit {
                follow_up_at: follow_up_patch.clone(),
            };
            match decide(&actor(&me), &state, command, browser::now()) {
                Err(CommandError::Invalid(found)) => violations.0.extend(found.0),
                Err(CommandError::Refused(refusal)) => {
                    errors.set_refusal(refusal);
                    return;
                }
                _ => {}
            }
        }
        if !violations.is_empty() {
            errors.set_violations(&violations);
            return;
        }
        let patch = CasePatchRequest {
            subject: subject_patch,
            source: source_patch,
            qualifier: qualifier_patch,
            expected_close_date: close_patch,
            follow_up_at: follow_up_patch,
            value: value_patch,
            currency: currency_patch,
            contact_id: Patch::Keep,
        };
        errors.clear();
        if patch == CasePatchRequest::default() {
            editing.set(false);
            return;
        }
        let (id, version) = (row.id, row.version);
        saving.set(true);
        tasks.spawn(async move {
            match api.patch_case(id, version, &patch).await {
                Ok(updated) => {
                    toasts.success(T::Saved.text(i18n.get_untracked()));
                    on_updated.run(updated);
                }
                Err(error) if error.is_stale() => on_stale.run(()),
                Err(error) => errors.set_api(error),
            }
            saving.set(false);
        });
    };

    let facts = {
        let card = card.clone();
        move || {
            let language = i18n.get();
            let row = &card.row;
            let dash = || "—".to_owned();
            let item = |label: T, value: AnyView, testid: &'static str| {
                view! {
                    <div data-testid=testid>
                        <dt>{label.text(language)}</dt>
                        <dd>{value}</dd>
                    </div>
                }
            };
            let text = |value: String| view! { <span>{value}</span> }.into_any();
            view! {
                <dl class="facts" data-testid="case-facts">
                    {item(T::Subject, text(row.subject.clone()), "fact-subject")}
                    {item(T::Source, text(row.source.label(language).to_owned()), "fact-source")}
                    {item(T::Status, view! { <StatusBadge status=row.status /> }.into_any(), "fact-status")}
                    {item(T::Stage, text(row.stage.map(|s| s.label(language).to_owned()).unwrap_or_else(dash)), "fact-stage")}
                    {item(
                        T::Contact,
                        view! { <a href=format!("/contacts/{}", row.contact.id)>{row.contact.name.clone()}</a> }.into_any(),
                        "fact-contact",
                    )}
                    {item(T::Company, text(row.company.clone().unwrap_or_else(dash)), "fact-company")}
                    {item(T::Email, text(row.email.clone().unwrap_or_else(dash)), "fact-email")}
                    {item(T::Phone, text(row.phone.clone().unwrap_or_else(dash)), "fact-phone")}
                    {item(T::Qualifier, text(row.qualifier.as_ref().map(|q| q.name.clone()).unwrap_or_else(dash)), "fact-qualifier")}
                    {item(
                        T::Owner,
                        text(row.owner.as_ref().map(|o| o.name.clone()).unwrap_or_else(|| T::Unassigned.text(language).to_owned())),
                        "fact-owner",
                    )}
                    {item(T::ExpectedClose, text(format_date(row.expected_close_date, language)), "fact-close")}
                    {item(T::FollowUp, text(row.follow_up_at.map(|at| format_datetime(at, language)).unwrap_or_else(dash)), "fact-follow-up")}
                    {item(T::Value, text(row.value.map(|v| format_money(v, &row.currency, language)).unwrap_or_else(dash)), "fact-value")}
                    {item(T::Campaign, text(row.campaign.kind.label(language).to_owned()), "fact-campaign")}
                    {item(T::CreatedBy, text(row.created_by.name.clone()), "fact-created-by")}
                    {item(T::CreatedAt, text(format_datetime(row.created_at, language)), "fact-created")}
                    {card.intake.clone().map(|intake| item(
                        T::CameFrom,
                        view! { <IntakeOrigin intake /> }.into_any(),
                        "fact-intake",
                    ))}
                    {card.external_id.clone().map(|external| item(T::ExternalId, text(external), "fact-external-id"))}
                    {card.resignation_reason.clone().map(|reason| item(T::ResignationReason, text(reason), "fact-reason"))}
                    {card.closed_at.map(|at| item(T::ClosedAt, text(format_datetime(at, language)), "fact-closed"))}
                    {item(T::UpdatedAt, text(format_datetime(card.updated_at, language)), "fact-updated")}
                </dl>
            }
        }
    };

    let form = move || {
        view! {
            <form class="case-form" on:submit=submit.clone() novalidate data-testid="details-form">
                <div class="form-grid">
                    <div class="span-2">
                        <Field id="edit-subject" label=Signal::derive(move || T::Subject.text(i18n.get())) required=true error=errors.field("subject")>
                            <input id="edit-subject" type="text" data-testid="edit-subject" prop:value=move || subject.get() on:input=move |e| subject.set(event_target_value(&e)) />
                        </Field>
                    </div>
                    <Field id="edit-source" label=Signal::derive(move || T::Source.text(i18n.get())) required=true error=errors.field("source")>
                        <select id="edit-source" data-testid="edit-source" on:change=move |e| source.set(event_target_value(&e))>
                            {Source::ALL
                                .iter()
                                .map(|&s| view! { <option value=s.as_str() prop:selected=move || source.get() == s.as_str()>{move || s.label(i18n.get())}</option> })
                                .collect_view()}
                        </select>
                    </Field>
                    <Field id="edit-qualifier" label=Signal::derive(move || T::Qualifier.text(i18n.get())) error=errors.field("qualifier")>
                        <select id="edit-qualifier" data-testid="edit-qualifier" on:change=move |e| qualifier.set(event_target_value(&e))>
                            <option value="" prop:selected=move || qualifier.get().is_empty()>{tr(T::Nothing)}</option>
                            {move || {
                                dictionaries
                                    .qualifiers
                                    .get()
                                    .into_iter()
                                    .map(|q| {
                                        let id = q.id.to_string();
                                        let selected = id.clone();
                                        view! { <option value=id prop:selected=move || qualifier.get() == selected>{q.name}</option> }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </Field>
                    <Field id="edit-close" label=Signal::derive(move || T::ExpectedClose.text(i18n.get())) required=true error=errors.field("expected_close_date")>
                        <input id="edit-close" type="date" data-testid="edit-close" prop:value=move || close.get() on:input=move |e| close.set(event_target_value(&e)) />
                    </Field>
                    <Show when=move || status.is_open()>
                        <Field
                            id="edit-follow-up"
                            label=Signal::derive(move || T::FollowUp.text(i18n.get()))
                            required=status.requires_follow_up()
                            error=errors.field("follow_up_at")
                        >
                            <input id="edit-follow-up" type="datetime-local" data-testid="edit-follow-up" prop:value=move || follow_up.get() on:input=move |e| follow_up.set(event_target_value(&e)) />
                        </Field>
                    </Show>
                    <Field id="edit-value" label=Signal::derive(move || T::Value.text(i18n.get())) error=errors.field("value")>
                        <input id="edit-value" type="text" inputmode="decimal" data-testid="edit-value" prop:value=move || value.get() on:input=move |e| value.set(event_target_value(&e)) />
                    </Field>
                    <Field id="edit-currency" label=Signal::derive(move || T::Currency.text(i18n.get())) error=errors.field("currency")>
                        <input id="edit-currency" type="text" maxlength="3" data-testid="edit-currency" prop:value=move || currency.get() on:input=move |e| currency.set(event_target_value(&e)) />
                    </Field>
                </div>
                <Show when=move || errors.general().get().is_some()>
                    <div class="notice error" role="alert" data-testid="details-error">{move || errors.general().get()}</div>
                </Show>
                <div class="form-actions">
                    <span class="legend">{tr(T::RequiredLegend)}</span>
                    <button type="button" class="button ghost" on:click=move |_| { errors.clear(); editing.set(false); }>{tr(T::Cancel)}</button>
                    <button type="submit" class="button primary" disabled=move || saving.get() data-testid="details-save">
                        {move || if saving.get() { i18n.t(T::Saving) } else { i18n.t(T::Save) }}
                    </button>
                </div>
            </form>
        }
    };

    view! {
        <section class="card" data-testid="case-details">
            <header>
                <h2>{tr(T::Details)}</h2>
                <Show when=move || can_edit && !editing.get()>
                    <button type="button" class="button small" data-testid="edit-details" on:click=move |_| editing.set(true)>
                        {tr(T::Edit)}
                    </button>
                </Show>
            </header>
            <div class="card-body">
                <Show when=move || editing.get() fallback=facts.clone()>
                    {form()}
                </Show>
            </div>
        </section>
    }
}
