//! The Import page: a file to drop, and the imports made before.

use lejek_domain::dto::ImportDetails;
use leptos::prelude::*;

use crate::api::use_api;
use crate::browser;
use crate::components::error_note::ErrorNote;
use crate::components::file_drop::FileDrop;
use crate::components::loading::Loading;
use crate::i18n::{T, format_datetime, tr, use_i18n};

#[component]
pub fn ImportsPage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    Effect::new(move |_| browser::set_title(&format!("{} · Lejek", T::ImportTitle.text(i18n.get()))));
    let imports = LocalResource::new(move || async move { api.imports().await });
    let row = move |import: ImportDetails| {
        let language = i18n.get();
        let progress = import.progress;
        view! {
            <tr data-testid="import-row">
                <td>
                    <a href=format!("/imports/{}", import.id)>
                        {import.file_name.clone().unwrap_or_else(|| format!("#{}", import.id))}
                    </a>
                </td>
                <td>{format_datetime(import.created_at, language)}</td>
                <td>{import.created_by.name.clone()}</td>
                <td>{import.state.label(language)}</td>
                <td class="num">{format!("{} / {}", progress.rows_done, progress.total_rows)}</td>
                <td class="num">{progress.created}</td>
                <td class="num">{progress.refused}</td>
            </tr>
        }
    };
    view! {
        <div class="content" data-testid="imports-page">
            <div class="page-head">
                <h1>{tr(T::ImportTitle)}</h1>
            </div>
            <p class="muted">{tr(T::ImportLead)}</p>
            <FileDrop />
            <section class="card">
                <h2 class="card-title">{tr(T::RecentImports)}</h2>
                <Suspense fallback=|| view! { <Loading /> }>
                    {move || {
                        imports.get().map(|loaded| match loaded {
                            Err(error) => view! { <ErrorNote error=error /> }.into_any(),
                            Ok(list) if list.is_empty() => view! { <p class="muted">{tr(T::NoImports)}</p> }.into_any(),
                            Ok(list) => view! {
                                <div class="table-scroll">
                                    <table class="data-table" data-testid="imports">
                                        <thead>
                                            <tr>
                                                <th>{tr(T::ImportFile)}</th>
                                                <th>{tr(T::ImportStarted)}</th>
                                                <th>{tr(T::CreatedBy)}</th>
                                                <th>{tr(T::ImportState)}</th>
                                                <th class="num">{tr(T::ImportRows)}</th>
                                                <th class="num">{tr(T::CreatedCases)}</th>
                                                <th class="num">{tr(T::RefusedRows)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                                    </table>
                                </div>
                            }
                            .into_any(),
                        })
                    }}
                </Suspense>
            </section>
        </div>
    }
}
