//! Search across every campaign, SPAM included: where a case marked as
//! spam by mistake is found and restored to the funnel.

use std::time::Duration;

use lejek_domain::CaseId;
use lejek_domain::dto::CaseRow;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{ApiError, use_api};
use crate::browser;
use crate::components::case_list::CaseList;
use crate::components::empty_state::EmptyState;
use crate::components::error_note::ErrorNote;
use crate::components::loading::Loading;
use crate::components::toasts::use_toasts;
use crate::i18n::{T, tr, use_i18n};
use crate::state::{use_dictionaries, use_pipeline_state};

#[component]
pub fn SearchPage() -> impl IntoView {
    let api = use_api();
    let tasks = crate::task::Spawner::new();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let dictionaries = use_dictionaries();
    let pipeline = use_pipeline_state();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    Effect::new(move |_| browser::set_title(&format!("{} · Lejek", T::NavSearch.text(i18n.get()))));

    let q = Memo::new(move |_| query.with(|q| q.get("q")).unwrap_or_default());
    let text = RwSignal::new(q.get_untracked());
    let timer = StoredValue::new(None::<TimeoutHandle>);
    on_cleanup(move || {
        if let Some(Some(handle)) = timer.try_get_value() {
            handle.clear();
        }
    });
    let rows = RwSignal::new(Vec::<CaseRow>::new());
    let cursor = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<Result<(), ApiError>>);
    let loading = RwSignal::new(false);
    let restoring = RwSignal::new(Vec::<CaseId>::new());
    let generation = StoredValue::new(0_u64);

    // The URL's `q` drives the results, so a search can be linked.
    Effect::new(move |_| {
        let wanted = q.get();
        if text.get_untracked().trim() != wanted.trim() {
            text.set(wanted.clone());
        }
        let request = generation.get_value() + 1;
        generation.set_value(request);
        rows.set(Vec::new());
        cursor.set(None);
        if wanted.trim().is_empty() {
            status.set(None);
            loading.set(false);
            return;
        }
        loading.set(true);
        tasks.spawn(async move {
            let result = api.search(&wanted, None).await;
            if generation.get_value() != request {
                return;
            }
            match result {
                Ok(page) => {
                    rows.set(page.items);
                    cursor.set(page.next_cursor);
                    status.set(Some(Ok(())));
                }
                Err(error) => status.set(Some(Err(error))),
            }
            loading.set(false);
        });
    });
    let commit = move || {
        let value = text.get_untracked();
        let mut target = form_urlencoded::Serializer::new(String::new());
        if !value.trim().is_empty() {
            target.append_pair("q", value.trim());
        }
        let target = target.finish();
        let url = if target.is_empty() {
            "/search".to_owned()
        } else {
            format!("/search?{target}")
        };
        navigate.with_value(|navigate| {
            navigate(
                &url,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..NavigateOptions::default()
                },
            )
        });
    };
    let more = move |_| {
        let Some(after) = cursor.get_untracked() else {
            return;
        };
        let wanted = q.get_untracked();
        let request = generation.get_value();
        loading.set(true);
        tasks.spawn(async move {
            let result = api.search(&wanted, Some(&after)).await;
            if generation.get_value() == request {
                match result {
                    Ok(page) => {
                        rows.update(|rows| rows.extend(page.items));
                        cursor.set(page.next_cursor);
                    }
                    Err(error) => toasts.error(error.message(i18n.get_untracked())),
                }
                loading.set(false);
            }
        });
    };
    let restore = Callback::new(move |row: CaseRow| {
        let Some(funnel) = dictionaries.funnel() else {
            return;
        };
        restoring.update(|busy| busy.push(row.id));
        tasks.spawn(async move {
            let language = i18n.get_untracked();
            match api.set_campaign(row.id, row.version, funnel).await {
                Ok(updated) => {
                    rows.update(|rows| {
                        if let Some(slot) = rows.iter_mut().find(|r| r.id == updated.row.id) {
                            *slot = updated.row;
                        }
                    });
                    pipeline.invalidate();
                    toasts.success(format!("#{} — {}", row.number, T::Restored.text(language)));
                }
                Err(error) => toasts.error(error.message(language)),
            }
            restoring.update(|busy| busy.retain(|id| *id != row.id));
        });
    });

    view! {
        <div class="content" data-testid="search-page">
            <div class="page-head">
                <div>
                    <h1>{tr(T::SearchTitle)}</h1>
                    <p class="lead">{tr(T::SearchLead)}</p>
                </div>
            </div>
            <form
                class="search-box"
                role="search"
                on:submit=move |event: leptos::ev::SubmitEvent| {
                    event.prevent_default();
                    commit();
                }
            >
                <label for="search-q" class="sr-only">{tr(T::NavSearch)}</label>
                <input
                    id="search-q"
                    type="search"
                    autofocus
                    autocomplete="off"
                    data-testid="search-input"
                    placeholder=tr(T::SearchPlaceholder)
                    prop:value=move || text.get()
                    on:input=move |event| {
                        text.set(event_target_value(&event));
                        if let Some(handle) = timer.get_value() {
                            handle.clear();
                        }
                        timer.set_value(set_timeout_with_handle(commit, Duration::from_millis(300)).ok());
                    }
                />
                <button type="submit" class="button primary">{tr(T::NavSearch)}</button>
            </form>
            {move || match status.get() {
                Some(Err(error)) => view! { <ErrorNote error=error /> }.into_any(),
                _ if loading.get() && rows.with(Vec::is_empty) => view! { <Loading /> }.into_any(),
                None => view! { <EmptyState title=Signal::derive(move || T::SearchEmpty.text(i18n.get())) /> }.into_any(),
                Some(Ok(())) if rows.with(Vec::is_empty) => {
                    view! { <EmptyState title=Signal::derive(move || T::NoResults.text(i18n.get())) /> }.into_any()
                }
                Some(Ok(())) => view! {
                    <section class="card" data-testid="search-results">
                        <CaseList rows=rows on_restore=restore busy=restoring show_contact=true />
                    </section>
                }
                .into_any(),
            }}
            <Show when=move || cursor.get().is_some()>
                <div>
                    <button type="button" class="button" disabled=move || loading.get() on:click=more data-testid="search-more">
                        {tr(T::LoadMore)}
                    </button>
                </div>
            </Show>
        </div>
    }
}
