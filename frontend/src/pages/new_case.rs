//! A new case: an existing contact or a new one inline; source and
//! expected close date required. It starts awaiting pickup.

use std::time::Duration;

use chrono::NaiveDate;
use lejek_domain::dto::{ContactDto, NewCaseRequest, NewContactRequest};
use lejek_domain::{
    CampaignId, CampaignKind, CampaignRef, CommandError, ContactId, ContactInput, NewCaseCommand,
    QualifierId, Source, UserId, Violation, ViolationCode, Violations, decide_new_case,
};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::use_api;
use crate::browser;
use crate::components::field::Field;
use crate::components::text_input::TextInput;
use crate::components::toasts::use_toasts;
use crate::forms::{FormErrors, actor, parse_amount};
use crate::i18n::{T, tr, use_i18n};
use crate::state::{use_dictionaries, use_pipeline_state};

const FIELDS: &[&str] = &[
    "subject",
    "source",
    "expected_close_date",
    "contact",
    "contact_id",
    "contact.name",
    "contact.company",
    "contact.email",
    "contact.phone",
    "qualifier",
    "value",
    "currency",
    "owner_id",
];

fn optional(text: String) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

#[component]
pub fn NewCasePage() -> impl IntoView {
    let api = use_api();
    let tasks = crate::task::Spawner::new();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let dictionaries = use_dictionaries();
    let pipeline = use_pipeline_state();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    Effect::new(move |_| browser::set_title(&format!("{} · Lejek", T::NewCaseTitle.text(i18n.get()))));
    let manager = Memo::new(move |_| api.me().is_some_and(|me| me.role.sees_every_case()));

    let subject = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let close = RwSignal::new(String::new());
    let qualifier = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let currency = RwSignal::new("PLN".to_owned());
    let owner = RwSignal::new(String::new());
    let new_contact = RwSignal::new(false);
    let picked = RwSignal::new(None::<ContactDto>);
    let search = RwSignal::new(String::new());
    let results = RwSignal::new(None::<Vec<ContactDto>>);
    let name = RwSignal::new(String::new());
    let company = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let errors = FormErrors::new(FIELDS);
    let saving = RwSignal::new(false);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    on_cleanup(move || {
        if let Some(Some(handle)) = timer.try_get_value() {
            handle.clear();
        }
    });
    let search_generation = StoredValue::new(0_u64);
    // The same body retried keeps its key, so a lost answer never creates
    // the case twice; a changed body gets a new key.
    let attempt = StoredValue::new(None::<(String, String)>);

    // `?contact=ID` (from a contact card) picks that contact.
    if let Some(id) = query
        .with_untracked(|q| q.get("contact"))
        .and_then(|id| id.parse::<i64>().ok())
    {
        tasks.spawn(async move {
            if let Ok(contact) = api.contact(ContactId(id)).await {
                picked.set(Some(contact));
            }
        });
    }

    let run_search = move || {
        let text = search.get_untracked();
        let request = search_generation.get_value() + 1;
        search_generation.set_value(request);
        if text.trim().is_empty() {
            results.set(None);
            return;
        }
        tasks.spawn(async move {
            let found = api.contacts(&text, 8).await;
            if search_generation.get_value() == request {
                results.set(Some(found.map(|page| page.items).unwrap_or_default()));
            }
        });
    };

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(me) = api.me() else { return };
        let mut violations = Violations::new();
        let value_text = value.get_untracked();
        let amount = match parse_amount(&value_text) {
            Some(amount) => Some(amount),
            None if value_text.trim().is_empty() => None,
            None => {
                violations
                    .0
                    .push(Violation::new("value", ViolationCode::InvalidAmount));
                None
            }
        };
        let contact = new_contact.get_untracked().then(|| NewContactRequest {
            name: optional(name.get_untracked()),
            company: optional(company.get_untracked()),
            email: optional(email.get_untracked()),
            phone: optional(phone.get_untracked()),
        });
        let request = NewCaseRequest {
            subject: optional(subject.get_untracked()),
            source: source.get_untracked().parse::<Source>().ok(),
            expected_close_date: NaiveDate::parse_from_str(&close.get_untracked(), "%Y-%m-%d").ok(),
            contact_id: if new_contact.get_untracked() {
                None
            } else {
                picked.get_untracked().map(|c| c.id)
            },
            contact: contact.clone(),
            qualifier: qualifier.get_untracked().parse::<i64>().ok().map(QualifierId),
            value: amount,
            currency: optional(currency.get_untracked().to_uppercase()),
            owner_id: if manager.get_untracked() {
                owner.get_untracked().parse::<i64>().ok().map(UserId)
            } else {
                Some(me.id)
            },
            external_id: None,
        };
        // The domain's own rules, before anything is sent.
        let command = NewCaseCommand {
            subject: request.subject.clone(),
            source: request.source,
            expected_close_date: request.expected_close_date,
            contact_id: request.contact_id,
            contact: contact.map(|c| ContactInput {
                name: c.name,
                company: c.company,
                email: c.email,
                phone: c.phone,
            }),
            qualifier_id: request.qualifier,
            value: request.value,
            currency: request.currency.clone(),
            owner_id: request.owner_id,
            external_id: None,
        };
        let funnel = CampaignRef {
            id: dictionaries.funnel().unwrap_or(CampaignId(0)),
            kind: CampaignKind::Funnel,
        };
        if let Err(CommandError::Invalid(found)) = decide_new_case(&actor(&me), command, funnel) {
            violations.0.extend(found.0);
        }
        if !violations.is_empty() {
            errors.set_violations(&violations);
            return;
        }
        errors.clear();
        let body = serde_json::to_string(&request).unwrap_or_default();
        let key = match attempt.get_value() {
            Some((last, key)) if last == body => key,
            _ => browser::random_key(),
        };
        attempt.set_value(Some((body, key.clone())));
        saving.set(true);
        tasks.spawn(async move {
            match api.create_case(&request, key).await {
                Ok(card) => {
                    pipeline.invalidate();
                    toasts.success(format!(
                        "{} #{}",
                        T::CaseCreated.text(i18n.get_untracked()),
                        card.row.number
                    ));
                    let url = format!("/cases/{}", card.row.id);
                    navigate.with_value(|navigate| navigate(&url, NavigateOptions::default()));
                }
                Err(error) => {
                    errors.set_api(error);
                    saving.set(false);
                }
            }
        });
    };

    view! {
        <div class="content narrow-content" data-testid="new-case-page">
            <div class="page-head">
                <div>
                    <h1>{tr(T::NewCaseTitle)}</h1>
                    <p class="lead">{tr(T::NewCaseLead)}</p>
                </div>
            </div>
            <form class="card card-body" on:submit=submit novalidate data-testid="new-case-form">
                <div class="form-grid">
                    <div class="span-2">
                        <Field id="new-subject" label=Signal::derive(move || T::Subject.text(i18n.get())) required=true error=errors.field("subject")>
                            <TextInput id="new-subject" kind="text" value=subject />
                        </Field>
                    </div>
                    <Field id="new-source" label=Signal::derive(move || T::Source.text(i18n.get())) required=true error=errors.field("source")>
                        <select id="new-source" data-testid="new-source" on:change=move |e| source.set(event_target_value(&e))>
                            <option value="" prop:selected=move || source.get().is_empty()>"—"</option>
                            {Source::ALL
                                .iter()
                                .map(|&s| view! { <option value=s.as_str() prop:selected=move || source.get() == s.as_str()>{move || s.label(i18n.get())}</option> })
                                .collect_view()}
                        </select>
                    </Field>
                    <Field id="new-close" label=Signal::derive(move || T::ExpectedClose.text(i18n.get())) required=true error=errors.field("expected_close_date")>
                        <TextInput id="new-close" kind="date" value=close />
                    </Field>

                    <fieldset class="span-2 contact-choice">
                        <legend>
                            {tr(T::Contact)}
                            <span class="required">" *"</span>
                        </legend>
                        <div class="radio-row">
                            <label class="check">
                                <input type="radio" name="contact-mode" data-testid="contact-existing" prop:checked=move || !new_contact.get() on:change=move |_| new_contact.set(false) />
                                <span>{tr(T::ExistingContact)}</span>
                            </label>
                            <label class="check">
                                <input type="radio" name="contact-mode" data-testid="contact-new" prop:checked=move || new_contact.get() on:change=move |_| new_contact.set(true) />
                                <span>{tr(T::NewContact)}</span>
                            </label>
                        </div>
                        <Show
                            when=move || new_contact.get()
                            fallback=move || {
                                view! {
                                    <div class="field" class:invalid=move || errors.field("contact").get().is_some() || errors.field("contact_id").get().is_some()>
                                        {move || match picked.get() {
                                            Some(contact) => view! {
                                                <div class="picked" data-testid="picked-contact">
                                                    <div>
                                                        <strong>{contact.name.clone()}</strong>
                                                        <div class="muted">
                                                            {[contact.company.clone(), contact.email.clone(), contact.phone.clone()]
                                                                .into_iter()
                                                                .flatten()
                                                                .collect::<Vec<_>>()
                                                                .join(" · ")}
                                                        </div>
                                                    </div>
                                                    <button type="button" class="button small" on:click=move |_| picked.set(None)>
                                                        {tr(T::ChangeContact)}
                                                    </button>
                                                </div>
                                            }
                                            .into_any(),
                                            None => view! {
                                                <label for="contact-search" class="sr-only">{tr(T::SearchContacts)}</label>
                                                <input
                                                    id="contact-search"
                                                    type="search"
                                                    autocomplete="off"
                                                    data-testid="contact-search"
                                                    placeholder=tr(T::SearchContacts)
                                                    prop:value=move || search.get()
                                                    on:input=move |e| {
                                                        search.set(event_target_value(&e));
                                                        if let Some(handle) = timer.get_value() {
                                                            handle.clear();
                                                        }
                                                        timer.set_value(set_timeout_with_handle(run_search, Duration::from_millis(250)).ok());
                                                    }
                                                />
                                                {move || results.get().map(|found| {
                                                    if found.is_empty() {
                                                        view! { <p class="muted">{tr(T::NoContactsFound)}</p> }.into_any()
                                                    } else {
                                                        view! {
                                                            <ul class="results" data-testid="contact-results">
                                                                {found
                                                                    .into_iter()
                                                                    .map(|contact| {
                                                                        let label = contact.name.clone();
                                                                        let detail = [contact.company.clone(), contact.email.clone()]
                                                                            .into_iter()
                                                                            .flatten()
                                                                            .collect::<Vec<_>>()
                                                                            .join(" · ");
                                                                        view! {
                                                                            <li>
                                                                                <button type="button" on:click=move |_| picked.set(Some(contact.clone()))>
                                                                                    <strong>{label}</strong>
                                                                                    <span class="muted">{detail}</span>
                                                                                </button>
                                                                            </li>
                                                                        }
                                                                    })
                                                                    .collect_view()}
                                                            </ul>
                                                        }
                                                        .into_any()
                                                    }
                                                })}
                                            }
                                            .into_any(),
                                        }}
                                        <Show when=move || errors.field("contact").get().or_else(|| errors.field("contact_id").get()).is_some()>
                                            <p class="field-error" data-testid="field-error">
                                                {move || errors.field("contact").get().or_else(|| errors.field("contact_id").get())}
                                            </p>
                                        </Show>
                                    </div>
                                }
                            }
                        >
                            <div class="form-grid">
                                <Field id="new-contact-name" label=Signal::derive(move || T::Name.text(i18n.get())) required=true error=errors.field("contact.name")>
                                    <TextInput id="new-contact-name" kind="text" value=name />
                                </Field>
                                <Field id="new-contact-company" label=Signal::derive(move || T::Company.text(i18n.get())) error=errors.field("contact.company")>
                                    <TextInput id="new-contact-company" kind="text" value=company />
                                </Field>
                                <Field id="new-contact-email" label=Signal::derive(move || T::Email.text(i18n.get())) error=errors.field("contact.email")>
                                    <TextInput id="new-contact-email" kind="email" value=email />
                                </Field>
                                <Field id="new-contact-phone" label=Signal::derive(move || T::Phone.text(i18n.get())) error=errors.field("contact.phone")>
                                    <TextInput id="new-contact-phone" kind="tel" value=phone />
                                </Field>
                            </div>
                        </Show>
                    </fieldset>

                    <Field id="new-qualifier" label=Signal::derive(move || T::Qualifier.text(i18n.get())) error=errors.field("qualifier")>
                        <select id="new-qualifier" data-testid="new-qualifier" on:change=move |e| qualifier.set(event_target_value(&e))>
                            <option value="">{tr(T::Nothing)}</option>
                            {move || {
                                dictionaries
                                    .qualifiers
                                    .get()
                                    .into_iter()
                                    .map(|q| view! { <option value=q.id.to_string()>{q.name}</option> })
                                    .collect_view()
                            }}
                        </select>
                    </Field>
                    <Show when=move || manager.get()>
                        <Field id="new-owner" label=Signal::derive(move || T::Owner.text(i18n.get())) error=errors.field("owner_id")>
                            <select id="new-owner" data-testid="new-owner" on:change=move |e| owner.set(event_target_value(&e))>
                                <option value="">{tr(T::Unassigned)}</option>
                                {move || {
                                    dictionaries
                                        .users
                                        .get()
                                        .into_iter()
                                        .filter(|user| user.active)
                                        .map(|user| view! { <option value=user.id.to_string()>{user.name}</option> })
                                        .collect_view()
                                }}
                            </select>
                        </Field>
                    </Show>
                    <Field id="new-value" label=Signal::derive(move || T::Value.text(i18n.get())) error=errors.field("value")>
                        <input id="new-value" type="text" inputmode="decimal" data-testid="new-value" prop:value=move || value.get() on:input=move |e| value.set(event_target_value(&e)) />
                    </Field>
                    <Field id="new-currency" label=Signal::derive(move || T::Currency.text(i18n.get())) error=errors.field("currency")>
                        <input id="new-currency" type="text" maxlength="3" data-testid="new-currency" prop:value=move || currency.get() on:input=move |e| currency.set(event_target_value(&e)) />
                    </Field>
                </div>
                <Show when=move || errors.general().get().is_some()>
                    <div class="notice error" role="alert" data-testid="new-case-error">{move || errors.general().get()}</div>
                </Show>
                <div class="form-actions">
                    <span class="legend">{tr(T::RequiredLegend)}</span>
                    <a class="button ghost" href=move || pipeline.last_href.get()>{tr(T::Cancel)}</a>
                    <button type="submit" class="button primary" disabled=move || saving.get() data-testid="new-case-submit">
                        {move || if saving.get() { i18n.t(T::Creating) } else { i18n.t(T::CreateCase) }}
                    </button>
                </div>
            </form>
        </div>
    }
}
