use chrono::NaiveDate;
use lejek_domain::dto::{ImportDetails, ImportPreview, ImportReadingRequest, RunImportRequest};
use lejek_domain::{ContactMatch, Delimiter, ImportOwner, Source, TextEncoding, UserId};
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::error_note::ErrorNote;
use crate::components::import_preview_table::ImportPreviewTable;
use crate::components::loading::Loading;
use crate::i18n::{T, format_datetime, tr, use_i18n};
use crate::state::use_dictionaries;

/// An uploaded file before it runs: how it is read, which field each
/// column holds (checked on the first rows as the user picks), who owns
/// the new cases, and the button that starts it.
#[component]
pub fn ImportMapping(import: ImportDetails, on_started: Callback<()>) -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let dictionaries = use_dictionaries();
    let id = import.id;
    let is_csv = import.sheets.is_empty();
    let manager = api.me().is_some_and(|me| me.role.sees_every_case());
    let reading = RwSignal::new(ImportReadingRequest {
        encoding: import.encoding,
        delimiter: import.delimiter,
        sheet: import.sheet.clone(),
        mapping: None,
    });
    let mapping = RwSignal::new(import.mapping.clone());
    let owner = RwSignal::new(ImportOwner::Unassigned);
    let owner_id = RwSignal::new(None::<UserId>);
    let contact_match = RwSignal::new(ContactMatch::Email);
    let default_source = RwSignal::new(None::<Source>);
    let default_date = RwSignal::new(None::<NaiveDate>);

    let preview = LocalResource::new(move || {
        let request = ImportReadingRequest {
            mapping: Some(mapping.get()),
            ..reading.get()
        };
        async move { api.preview_import(id, &request).await }
    });
    // Read another way, the file may have another header: its suggested
    // mapping replaces the one that no longer fits.
    Effect::new(move |_| {
        if let Some(Ok(ImportPreview { import, .. })) = preview.get()
            && import.header.len() != mapping.get_untracked().len()
        {
            mapping.set(import.mapping);
        }
    });
    let run = Action::new_local(move |request: &RunImportRequest| {
        let request = request.clone();
        async move { api.run_import(id, &request).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = run.value().get() {
            on_started.run(());
        }
    });
    let start = move |_| {
        run.dispatch_local(RunImportRequest {
            mapping: mapping.get_untracked(),
            contact_match: contact_match.get_untracked(),
            owner: owner.get_untracked(),
            owner_id: (owner.get_untracked() == ImportOwner::User)
                .then(|| owner_id.get_untracked())
                .flatten(),
            default_source: default_source.get_untracked(),
            default_expected_close_date: default_date.get_untracked(),
        });
    };
    let same_file = import.same_file_imports.clone();
    let language = move || i18n.get();
    view! {
        <div class="page-head">
            <h1>{tr(T::ImportTitle)}</h1>
            <span class="muted" data-testid="import-file">
                {import.file_name.clone().unwrap_or_default()} " · " {move || format_datetime(import.created_at, language())}
            </span>
        </div>
        {(!same_file.is_empty()).then(|| view! {
            <div class="notice warning" role="status" data-testid="same-file">
                {tr(T::SameFileWarning)} " "
                {same_file.iter().map(|earlier| view! { <a href=format!("/imports/{earlier}")>{format!("#{earlier}")}</a> " " }).collect_view()}
            </div>
        })}
        <section class="card import-options">
            <div class="card-body form-grid">
                {is_csv.then(|| view! {
                    <label class="field">
                        <span>{tr(T::Encoding)}</span>
                        <select data-testid="encoding" on:change=move |event| {
                            let chosen = event_target_value(&event).parse::<TextEncoding>().ok();
                            reading.update(|reading| reading.encoding = chosen);
                        }>
                            {TextEncoding::ALL.iter().map(|encoding| view! {
                                <option value=encoding.as_str() selected=move || reading.get().encoding == Some(*encoding)>
                                    {move || encoding.label(language())}
                                </option>
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        <span>{tr(T::Delimiter)}</span>
                        <select data-testid="delimiter" on:change=move |event| {
                            let chosen = event_target_value(&event).parse::<Delimiter>().ok();
                            reading.update(|reading| reading.delimiter = chosen);
                        }>
                            {Delimiter::ALL.iter().map(|delimiter| view! {
                                <option value=delimiter.as_str() selected=move || reading.get().delimiter == Some(*delimiter)>
                                    {move || delimiter.label(language())}
                                </option>
                            }).collect_view()}
                        </select>
                    </label>
                })}
                {(!is_csv).then(|| {
                    let sheets = import.sheets.clone();
                    view! {
                        <label class="field">
                            <span>{tr(T::Sheet)}</span>
                            <select data-testid="sheet" on:change=move |event| {
                                let chosen = event_target_value(&event);
                                reading.update(|reading| reading.sheet = Some(chosen));
                            }>
                                {sheets.into_iter().map(|sheet| {
                                    let name = sheet.clone();
                                    let value = sheet.clone();
                                    view! { <option value=value selected=move || reading.get().sheet.as_deref() == Some(name.as_str())>{sheet}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                    }
                })}
                <label class="field">
                    <span>{tr(T::ContactMatching)}</span>
                    <select data-testid="contact-match" on:change=move |event| {
                        if let Ok(chosen) = event_target_value(&event).parse::<ContactMatch>() {
                            contact_match.set(chosen);
                        }
                    }>
                        {ContactMatch::ALL.iter().map(|choice| view! {
                            <option value=choice.as_str()>{move || choice.label(language())}</option>
                        }).collect_view()}
                    </select>
                </label>
                {manager.then(|| view! {
                    <label class="field">
                        <span>{tr(T::ImportOwnerLabel)}</span>
                        <select data-testid="import-owner" on:change=move |event| {
                            if let Ok(chosen) = event_target_value(&event).parse::<ImportOwner>() {
                                owner.set(chosen);
                            }
                        }>
                            {ImportOwner::ALL.iter().map(|choice| view! {
                                <option value=choice.as_str()>{move || choice.label(language())}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <Show when=move || owner.get() == ImportOwner::User>
                        <label class="field">
                            <span>{tr(T::OwnerPerson)}</span>
                            <select data-testid="import-owner-person" on:change=move |event| {
                                owner_id.set(event_target_value(&event).parse::<i64>().ok().map(UserId));
                            }>
                                <option value="">{tr(T::NoDefault)}</option>
                                {move || dictionaries.users.get().into_iter().filter(|user| user.active).map(|user| view! {
                                    <option value=user.id.0.to_string()>{user.name}</option>
                                }).collect_view()}
                            </select>
                        </label>
                    </Show>
                })}
                <label class="field">
                    <span>{tr(T::DefaultSource)}</span>
                    <select data-testid="default-source" on:change=move |event| {
                        default_source.set(event_target_value(&event).parse::<Source>().ok());
                    }>
                        <option value="">{tr(T::NoDefault)}</option>
                        {Source::ALL.iter().map(|source| view! {
                            <option value=source.as_str()>{move || source.label(language())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{tr(T::DefaultCloseDate)}</span>
                    <input type="date" data-testid="default-close-date" on:change=move |event| {
                        default_date.set(NaiveDate::parse_from_str(&event_target_value(&event), "%Y-%m-%d").ok());
                    } />
                </label>
            </div>
        </section>
        <section class="card">
            <p class="card-body muted">{tr(T::PreviewLead)}</p>
            <Transition fallback=|| view! { <Loading /> }>
                {move || preview.get().map(|loaded| match loaded {
                    Ok(preview) => view! { <ImportPreviewTable preview=preview mapping=mapping /> }.into_any(),
                    Err(error) => view! { <ErrorNote error=error /> }.into_any(),
                })}
            </Transition>
        </section>
        {move || match run.value().get() {
            Some(Err(error)) => Some(view! { <ErrorNote error=error /> }),
            _ => None,
        }}
        <div class="toolbar">
            <button type="button" class="button primary" data-testid="run-import" disabled=move || run.pending().get() on:click=start>
                {tr(T::RunImport)} " " {move || format!("({})", import.progress.total_rows)}
            </button>
        </div>
    }
}
