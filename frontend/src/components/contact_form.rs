use lejek_domain::dto::{ContactDto, ContactPatchRequest};
use lejek_domain::{ContactChanges, Patch};
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::field::Field;
use crate::components::text_input::TextInput;
use crate::components::toasts::use_toasts;
use crate::forms::FormErrors;
use crate::i18n::{T, tr, use_i18n};

const FIELDS: &[&str] = &["name", "company", "email", "phone"];

/// Edits a contact's name, company, e-mail and phone, checked by the
/// domain's rules before it is sent; its cases show the new values at once.
#[component]
pub fn ContactForm(
    contact: ContactDto,
    on_saved: Callback<ContactDto>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let api = use_api();
    let tasks = crate::task::Spawner::new();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let errors = FormErrors::new(FIELDS);
    let saving = RwSignal::new(false);
    let name = RwSignal::new(contact.name.clone());
    let company = RwSignal::new(contact.company.clone().unwrap_or_default());
    let email = RwSignal::new(contact.email.clone().unwrap_or_default());
    let phone = RwSignal::new(contact.phone.clone().unwrap_or_default());

    let original = contact.clone();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        // Only what the user changed is sent; a cleared field clears.
        let changed = |typed: String, stored: Option<&str>| {
            if typed.trim() == stored.unwrap_or_default() {
                Patch::Keep
            } else if typed.trim().is_empty() {
                Patch::Clear
            } else {
                Patch::Set(typed.trim().to_owned())
            }
        };
        let patch = ContactPatchRequest {
            name: changed(name.get_untracked(), Some(&original.name)),
            company: changed(company.get_untracked(), original.company.as_deref()),
            email: changed(email.get_untracked(), original.email.as_deref()),
            phone: changed(phone.get_untracked(), original.phone.as_deref()),
        };
        if let Err(violations) = ContactChanges::parse(&patch) {
            errors.set_violations(&violations);
            return;
        }
        errors.clear();
        if patch == ContactPatchRequest::default() {
            on_cancel.run(());
            return;
        }
        let id = original.id;
        saving.set(true);
        tasks.spawn(async move {
            match api.patch_contact(id, &patch).await {
                Ok(updated) => {
                    toasts.success(T::Saved.text(i18n.get_untracked()));
                    on_saved.run(updated);
                }
                Err(error) => errors.set_api(error),
            }
            saving.set(false);
        });
    };

    view! {
        <section class="card" data-testid="contact-form">
            <header>
                <h2>{tr(T::EditContact)}</h2>
            </header>
            <form class="card-body" on:submit=submit novalidate>
                <div class="form-grid">
                    <Field id="contact-name" label=Signal::derive(move || T::Name.text(i18n.get())) required=true error=errors.field("name")>
                        <TextInput id="contact-name" kind="text" value=name />
                    </Field>
                    <Field id="contact-company" label=Signal::derive(move || T::Company.text(i18n.get())) error=errors.field("company")>
                        <TextInput id="contact-company" kind="text" value=company />
                    </Field>
                    <Field id="contact-email" label=Signal::derive(move || T::Email.text(i18n.get())) error=errors.field("email")>
                        <TextInput id="contact-email" kind="email" value=email />
                    </Field>
                    <Field id="contact-phone" label=Signal::derive(move || T::Phone.text(i18n.get())) error=errors.field("phone")>
                        <TextInput id="contact-phone" kind="tel" value=phone />
                    </Field>
                </div>
                <Show when=move || errors.general().get().is_some()>
                    <div class="notice error" role="alert" data-testid="contact-error">{move || errors.general().get()}</div>
                </Show>
                <div class="form-actions">
                    <span class="legend">{tr(T::RequiredLegend)}</span>
                    <button type="button" class="button ghost" on:click=move |_| on_cancel.run(())>{tr(T::Cancel)}</button>
                    <button type="submit" class="button primary" disabled=move || saving.get() data-testid="contact-save">
                        {move || if saving.get() { i18n.t(T::Saving) } else { i18n.t(T::Save) }}
                    </button>
                </div>
            </form>
        </section>
    }
}
