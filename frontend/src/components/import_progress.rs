use lejek_domain::ImportState;
use lejek_domain::dto::ImportDetails;
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::error_note::ErrorNote;
use crate::i18n::{T, format_count, tr, use_i18n};

/// A started import: a progress bar while it runs, then what it did, with
/// the refused rows to download, fix and import again.
#[component]
pub fn ImportProgressView(import: ImportDetails) -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let progress = import.progress;
    let id = import.id;
    let finished = matches!(import.state, ImportState::Done | ImportState::Failed);
    let title = match import.state {
        ImportState::Done => T::ImportDone,
        ImportState::Failed => T::ImportFailed,
        ImportState::Queued => T::ImportQueued,
        _ => T::ImportRunning,
    };
    let report = LocalResource::new(move || async move {
        if finished && progress.refused > 0 {
            Some(api.import_refusals(id, i18n.get()).await)
        } else {
            None
        }
    });
    let number = move |value: u64| format_count(value, i18n.get());
    view! {
        <div class="page-head">
            <h1>{tr(T::ImportTitle)}</h1>
            <span class="muted">{import.file_name.clone().unwrap_or_default()}</span>
        </div>
        <section class="card" data-testid="import-progress" data-state=import.state.as_str()>
            <div class="card-body">
                <h2 class="card-title">{tr(title)}</h2>
                // A native bar: announced by screen readers, and no inline
                // style for the page's CSP to refuse.
                <progress
                    class="progress"
                    data-testid="progress-bar"
                    max=progress.total_rows.max(1).to_string()
                    value=progress.rows_done.to_string()
                ></progress>
                <p data-testid="rows-done">
                    {move || number(progress.rows_done)} " " {tr(T::RowsDoneOf)} " " {move || number(progress.total_rows)}
                </p>
                <dl class="facts">
                    <dt>{tr(T::CreatedCases)}</dt>
                    <dd data-testid="created">{move || number(progress.created)}</dd>
                    <dt>{tr(T::ReusedContacts)}</dt>
                    <dd data-testid="contacts-reused">{move || number(progress.contacts_reused)}</dd>
                    <dt>{tr(T::RefusedRows)}</dt>
                    <dd data-testid="refused">{move || number(progress.refused)}</dd>
                </dl>
                {import.failure.clone().map(|why| view! { <p class="notice error" role="alert">{why}</p> })}
                // Decoding the answer as text drops its BOM, which Excel
                // needs to read UTF-8: the link puts it back.
                {move || report.get().flatten().map(|loaded| match loaded {
                    Ok(csv) => view! {
                        <p>
                            <a
                                class="button"
                                data-testid="download-refused"
                                download=format!("import-{id}-refused.csv")
                                href=format!("data:text/csv;charset=utf-8,%EF%BB%BF{}", js_sys::encode_uri_component(&csv))
                            >
                                {tr(T::DownloadRefused)}
                            </a>
                        </p>
                        <p class="muted">{tr(T::RefusedHint)}</p>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorNote error=error /> }.into_any(),
                })}
                <Show when=move || finished>
                    <div class="toolbar">
                        <a class="button primary" href="/imports" data-testid="import-another">{tr(T::ImportAnother)}</a>
                        <a class="button" href="/">{tr(T::ShowImportedCases)}</a>
                    </div>
                </Show>
            </div>
        </section>
    }
}
