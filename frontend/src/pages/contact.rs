//! The contact card with the contact's cases.

use lejek_domain::ContactId;
use lejek_domain::dto::{CaseRow, ContactDto};
use leptos::prelude::*;

use crate::api::{ApiError, use_api};
use crate::browser;
use crate::components::case_list::CaseList;
use crate::components::contact_form::ContactForm;
use crate::components::empty_state::EmptyState;
use crate::components::load_state::load_state;
use crate::components::loading::Loading;
use crate::components::toasts::use_toasts;
use crate::i18n::{T, format_datetime, tr, use_i18n};
use crate::route_params::id_param;
use crate::state::use_pipeline_state;

#[component]
pub fn ContactPage() -> impl IntoView {
    let api = use_api();
    let tasks = crate::task::Spawner::new();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let pipeline = use_pipeline_state();
    let id = id_param(ContactId);
    let contact = RwSignal::new(None::<Result<ContactDto, ApiError>>);
    let rows = RwSignal::new(Vec::<CaseRow>::new());
    let cursor = RwSignal::new(None::<String>);
    let loading_cases = RwSignal::new(true);
    let editing = RwSignal::new(false);

    let load_cases = move |id: ContactId, after: Option<String>| {
        loading_cases.set(true);
        tasks.spawn(async move {
            match api.contact_cases(id, after.as_deref()).await {
                Ok(page) => {
                    if after.is_some() {
                        rows.update(|rows| rows.extend(page.items));
                    } else {
                        rows.set(page.items);
                    }
                    cursor.set(page.next_cursor);
                }
                Err(error) => toasts.error(error.message(i18n.get_untracked())),
            }
            loading_cases.set(false);
        });
    };
    let load = move |id: ContactId| {
        editing.set(false);
        contact.set(None);
        rows.set(Vec::new());
        tasks.spawn(async move {
            contact.set(Some(api.contact(id).await));
        });
        load_cases(id, None);
    };
    Effect::new(move |_| {
        if let Some(id) = id.get() {
            load(id);
        }
    });
    Effect::new(move |_| {
        let name = match contact.get() {
            Some(Ok(contact)) => contact.name,
            _ => T::ContactTitle.text(i18n.get()).to_owned(),
        };
        browser::set_title(&format!("{name} · Lejek"));
    });

    let contact_view = move |found: ContactDto| {
        let language = i18n.get();
        let dash = || "—".to_owned();
        let email = found.email.clone();
        let phone = found.phone.clone();
        let editable = found.clone();
        view! {
            <div class="case-head">
                <div class="case-title">
                    <span class="muted">{tr(T::ContactTitle)}</span>
                    <h1 data-testid="contact-name">{found.name.clone()}</h1>
                    <span class="muted">{found.company.clone().unwrap_or_default()}</span>
                </div>
                <div class="toolbar">
                    <button type="button" class="button" data-testid="edit-contact" disabled=move || editing.get() on:click=move |_| editing.set(true)>
                        {tr(T::Edit)}
                    </button>
                    <a class="button primary" href=format!("/cases/new?contact={}", found.id) data-testid="new-case-for-contact">
                        {tr(T::NewCaseForContact)}
                    </a>
                </div>
            </div>
            <Show when=move || editing.get()>
                <ContactForm
                    contact=editable.clone()
                    on_saved=Callback::new(move |updated: ContactDto| {
                        let id = updated.id;
                        contact.set(Some(Ok(updated)));
                        editing.set(false);
                        // The cases' rows carry the contact's fields.
                        pipeline.invalidate();
                        load_cases(id, None);
                    })
                    on_cancel=Callback::new(move |()| editing.set(false))
                />
            </Show>
            <section class="card" data-testid="contact-facts">
                <div class="card-body">
                    <dl class="facts">
                        <div>
                            <dt>{tr(T::Company)}</dt>
                            <dd>{found.company.clone().unwrap_or_else(dash)}</dd>
                        </div>
                        <div>
                            <dt>{tr(T::Email)}</dt>
                            <dd>
                                {match email {
                                    Some(email) => view! { <a href=format!("mailto:{email}")>{email.clone()}</a> }.into_any(),
                                    None => view! { <span>{dash()}</span> }.into_any(),
                                }}
                            </dd>
                        </div>
                        <div>
                            <dt>{tr(T::Phone)}</dt>
                            <dd>
                                {match phone {
                                    Some(phone) => view! { <a href=format!("tel:{phone}")>{phone.clone()}</a> }.into_any(),
                                    None => view! { <span>{dash()}</span> }.into_any(),
                                }}
                            </dd>
                        </div>
                        <div>
                            <dt>{tr(T::CreatedAt)}</dt>
                            <dd>{format_datetime(found.created_at, language)}</dd>
                        </div>
                    </dl>
                </div>
            </section>
            <section class="card" data-testid="contact-cases">
                <header>
                    <h2>{tr(T::ContactCases)}</h2>
                </header>
                {move || {
                    if rows.with(Vec::is_empty) {
                        if loading_cases.get() {
                            view! { <Loading /> }.into_any()
                        } else {
                            view! { <EmptyState title=Signal::derive(move || T::NoCases.text(i18n.get())) /> }.into_any()
                        }
                    } else {
                        view! { <CaseList rows=rows /> }.into_any()
                    }
                }}
                <Show when=move || cursor.get().is_some()>
                    <div class="card-body">
                        <button
                            type="button"
                            class="button"
                            disabled=move || loading_cases.get()
                            on:click=move |_| {
                                if let Some(id) = id.get_untracked() {
                                    load_cases(id, cursor.get_untracked());
                                }
                            }
                        >
                            {tr(T::LoadMore)}
                        </button>
                    </div>
                </Show>
            </section>
        }
    };

    let retry = Callback::new(move |()| {
        if let Some(id) = id.get_untracked() {
            load(id);
        }
    });
    view! {
        <div class="content" data-testid="contact-card">
            <a class="breadcrumb" href=move || pipeline.last_href.get()>
                "← "
                {tr(T::BackToPipeline)}
            </a>
            {move || load_state(contact.get(), T::ContactNotFound, retry, |found| contact_view(found).into_any())}
        </div>
    }
}
