//! The pipeline view (spec section 4): tabs with counts, filters, the
//! customisable table, spam toggles, and the view saved per user. Tab,
//! filters and sort live in the URL, so a link reproduces the view and the
//! browser's back and forward buttons work.

use lejek_domain::dto::{BulkAction, BulkRequest, TabCounts};
use lejek_domain::{
    Direction, PipelineQuery, SortField, SortKey, Tab, ViewSettings, ViolationCode, Violations,
};
use leptos::html::Div;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::{ApiError, use_api};
use crate::browser;
use crate::components::case_table::CaseTable;
use crate::components::column_chooser::ColumnChooser;
use crate::components::empty_state::EmptyState;
use crate::components::error_note::ErrorNote;
use crate::components::filter_bar::{FilterBar, active_filter_count};
use crate::components::loading::Loading;
use crate::components::row_height_picker::RowHeightPicker;
use crate::components::tabs::PipelineTabs;
use crate::components::toasts::use_toasts;
use crate::i18n::{T, format_count, tr, use_i18n};
use crate::state::use_pipeline_state;

/// The key of the pipeline's saved view on the server.
const VIEW_KEY: lejek_domain::ViewKey = lejek_domain::ViewKey::Pipeline;
/// Rows per page.
const PAGE_SIZE: u16 = 50;
/// How close to the bottom (pixels) the next page starts loading.
const LOAD_AHEAD: i32 = 320;

#[derive(Debug, Clone, PartialEq)]
enum ListState {
    Ready,
    Loading,
    LoadingMore,
    Failed(ApiError),
}

/// The query as the page shows it: no paging, no time zone.
fn view_query(query: PipelineQuery) -> PipelineQuery {
    PipelineQuery {
        cursor: None,
        limit: None,
        filters: lejek_domain::PipelineFilters {
            tz: None,
            ..query.filters
        },
        ..query
    }
}

/// The query as sent to the API: the page's, in the browser's time zone.
fn api_query(query: &PipelineQuery, cursor: Option<String>) -> PipelineQuery {
    let mut query = query.clone();
    query.filters.tz = Some(browser::time_zone());
    query.limit = Some(PAGE_SIZE);
    query.cursor = cursor;
    query
}

fn href(query: &PipelineQuery) -> String {
    match query.to_query_string() {
        text if text.is_empty() => "/".to_owned(),
        text => format!("/?{text}"),
    }
}

#[component]
pub fn PipelinePage() -> impl IntoView {
    let api = use_api();
    let tasks = crate::task::Spawner::new();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let state = use_pipeline_state();
    let location = use_location();
    let navigate = StoredValue::new_local(use_navigate());
    Effect::new(move |_| browser::set_title(&format!("{} · Lejek", T::PipelineTitle.text(i18n.get()))));

    let parsed = Memo::new(move |_| PipelineQuery::from_query_string(&location.search.get()));
    let query = Memo::new(move |_| view_query(parsed.get().unwrap_or_default()));
    let invalid_link = Memo::new(move |_| parsed.with(Result::is_err));
    Effect::new(move |_| state.last_href.set(href(&query.get())));
    let go = move |next: PipelineQuery, replace: bool| {
        let url = href(&view_query(next));
        navigate.with_value(|navigate| {
            navigate(
                &url,
                NavigateOptions {
                    replace,
                    scroll: false,
                    ..NavigateOptions::default()
                },
            )
        });
    };

    // The saved view, read once per session (it stays while the user
    // visits cases). A link with its own query wins over the saved one.
    if !state.loaded.get_untracked() {
        tasks.spawn(async move {
            match api.view(VIEW_KEY).await {
                Ok(saved) => {
                    state.columns.set(saved.settings.complete_columns());
                    state.row_height.set(saved.settings.row_height);
                    if location.search.get_untracked().is_empty()
                        && let Ok(saved_query) = PipelineQuery::from_query_string(&saved.settings.query)
                        && saved_query != PipelineQuery::default()
                    {
                        go(saved_query, true);
                    }
                    state.saved.set(saved.settings);
                }
                Err(error) => toasts.error(error.message(i18n.get_untracked())),
            }
            state.loaded.set(true);
        });
    }

    let list_state = RwSignal::new(if state.rows_key.get_untracked().is_some() {
        ListState::Ready
    } else {
        ListState::Loading
    });
    let counts = RwSignal::new(None::<TabCounts>);
    // The filters the shown counts were read for (their query string).
    let counts_for = RwSignal::new(None::<String>);
    let total = Memo::new(move |_| counts.get().map(|c| c.for_status(query.get().tab.status())));
    let generation = StoredValue::new(0_u64);
    let counts_generation = StoredValue::new(0_u64);
    let counts_asked = StoredValue::new(None::<(String, u64)>);
    let reload = RwSignal::new(0_u64);
    let scroller = NodeRef::<Div>::new();

    // Rows and counts follow the URL.
    Effect::new(move |_| {
        let reloads = reload.get();
        if !state.loaded.get() {
            return;
        }
        let current = query.get();
        let key = current.to_query_string();

        let counts_key = counts_key(&current);
        if counts_asked.get_value().as_ref() != Some(&(counts_key.clone(), reloads)) {
            counts_asked.set_value(Some((counts_key.clone(), reloads)));
            counts_for.set(None);
            let counts_request = counts_generation.get_value() + 1;
            counts_generation.set_value(counts_request);
            let counts_query = api_query(&current, None);
            tasks.spawn(async move {
                let result = api.counts(&counts_query).await;
                if counts_generation.get_value() == counts_request
                    && let Ok(found) = result
                {
                    counts.set(Some(found));
                    counts_for.set(Some(counts_key));
                }
            });
        }

        if state.rows_key.get_untracked().as_deref() == Some(key.as_str()) {
            // Coming back to the same view: same rows, same place.
            let top = state.scroll_top.get_value();
            request_animation_frame(move || {
                if let Some(Some(scroller)) = scroller.try_get_untracked() {
                    scroller.set_scroll_top(top);
                }
            });
            list_state.set(ListState::Ready);
            return;
        }
        let request = generation.get_value() + 1;
        generation.set_value(request);
        list_state.set(ListState::Loading);
        if state.marked.with_untracked(|marked| !marked.is_empty())
            && state.rows_key.get_untracked().is_some_and(|old| {
                PipelineQuery::from_query_string(&old)
                    .is_ok_and(|old| old.filters.spam != current.filters.spam)
            })
        {
            state.marked.set(Vec::new());
        }
        let first_page = api_query(&current, None);
        tasks.spawn(async move {
            let result = api.cases(&first_page).await;
            if generation.get_value() != request {
                return;
            }
            match result {
                Ok(page) => {
                    state.rows.set(page.items);
                    state.next_cursor.set(page.next_cursor);
                    state.rows_key.set(Some(key));
                    state.scroll_top.set_value(0);
                    if let Some(scroller) = scroller.get_untracked() {
                        scroller.set_scroll_top(0);
                    }
                    list_state.set(ListState::Ready);
                }
                Err(error) => list_state.set(ListState::Failed(error)),
            }
        });
    });

    let load_more = move || {
        if list_state.get_untracked() != ListState::Ready {
            return;
        }
        let Some(cursor) = state.next_cursor.get_untracked() else {
            return;
        };
        let request = generation.get_value();
        list_state.set(ListState::LoadingMore);
        let next_page = api_query(&query.get_untracked(), Some(cursor));
        tasks.spawn(async move {
            let result = api.cases(&next_page).await;
            if generation.get_value() != request {
                return;
            }
            match result {
                Ok(page) => {
                    // Appended to keyed rows: nothing above moves.
                    state.rows.update(|rows| rows.extend(page.items));
                    state.next_cursor.set(page.next_cursor);
                    list_state.set(ListState::Ready);
                }
                Err(error) => {
                    toasts.error(error.message(i18n.get_untracked()));
                    list_state.set(ListState::Ready);
                }
            }
        });
    };
    let on_scroll = Callback::new(move |()| {
        let Some(scroller) = scroller.get_untracked() else {
            return;
        };
        let top = scroller.scroll_top();
        state.scroll_top.set_value(top);
        if top + scroller.client_height() >= scroller.scroll_height() - LOAD_AHEAD {
            load_more();
        }
    });

    let sort = Memo::new(move |_| query.get().effective_sort());
    let on_sort = Callback::new(move |field: SortField| {
        let mut next = query.get_untracked();
        let direction = match next.effective_sort().first() {
            Some(key) if key.field == field && key.direction == Direction::Asc => Direction::Desc,
            _ => Direction::Asc,
        };
        next.sort = vec![SortKey { field, direction }];
        go(next, false);
    });
    let on_tab = Callback::new(move |tab: Tab| {
        let mut next = query.get_untracked();
        if next.tab != tab {
            next.tab = tab;
            go(next, false);
        }
    });
    let on_filters = Callback::new(move |next: PipelineQuery| go(next, false));

    // The view as it is now, and whether that differs from the saved one.
    let current_settings = move || ViewSettings {
        columns: state.columns.get(),
        row_height: state.row_height.get(),
        query: query.get().to_query_string(),
    };
    let dirty = Memo::new(move |_| {
        let now = current_settings();
        state.saved.with(|saved| {
            saved.complete_columns() != now.columns
                || saved.row_height != now.row_height
                || PipelineQuery::from_query_string(&saved.query)
                    .map(view_query)
                    .ok()
                    != Some(query.get())
        })
    });
    let saving = RwSignal::new(false);
    let spam_list = Memo::new(move |_| query.get().filters.spam);

    let save = move |_| {
        saving.set(true);
        tasks.spawn(async move {
            let language = i18n.get_untracked();
            let marked = state.marked.get_untracked();
            if !marked.is_empty() {
                let restore = spam_list.get_untracked();
                let request = BulkRequest {
                    ids: marked.clone(),
                    action: if restore {
                        BulkAction::Restore
                    } else {
                        BulkAction::Spam
                    },
                    owner_id: None,
                };
                match api.bulk(&request).await {
                    Ok(result) => {
                        let what = if restore {
                            T::RestoredToFunnel
                        } else {
                            T::MovedToSpam
                        };
                        toasts.success(format!("{} {}", what.text(language), result.updated.len()));
                        state.marked.set(Vec::new());
                        state.invalidate();
                        reload.update(|n| *n += 1);
                    }
                    Err(error) => {
                        toasts.error(error.message(language));
                        saving.set(false);
                        return;
                    }
                }
            }
            let settings = ViewSettings {
                columns: state.columns.get_untracked(),
                row_height: state.row_height.get_untracked(),
                query: query.get_untracked().to_query_string(),
            };
            match api.save_view(VIEW_KEY, &settings).await {
                Ok(saved) => {
                    state.saved.set(saved.settings);
                    toasts.success(T::ViewSaved.text(language));
                }
                Err(error) => toasts.error(error.message(language)),
            }
            saving.set(false);
        });
    };
    let reset = move |_| {
        tasks.spawn(async move {
            let language = i18n.get_untracked();
            match api.reset_view(VIEW_KEY).await {
                Ok(()) => {
                    let defaults = ViewSettings::default();
                    state.columns.set(defaults.complete_columns());
                    state.row_height.set(defaults.row_height);
                    state.saved.set(defaults);
                    state.marked.set(Vec::new());
                    go(PipelineQuery::default(), false);
                    toasts.success(T::ViewReset.text(language));
                }
                Err(error) => toasts.error(error.message(language)),
            }
        });
    };

    let filter_count = Memo::new(move |_| active_filter_count(&query.get().filters));
    let toggle_filters = move |_| {
        state.filters_open.update(|open| *open = !*open);
        browser::store_local(
            "lejek.filters_open",
            if state.filters_open.get_untracked() {
                "1"
            } else {
                "0"
            },
        );
    };
    let marked_count = Memo::new(move |_| state.marked.with(Vec::len));
    // The query whose rows and counts are both on screen, for scripts and
    // the browser tests to wait on; absent while either is still loading.
    let settled_for = Memo::new(move |_| {
        let current = query.get();
        let key = current.to_query_string();
        let rows_current = state.rows_key.with(|rows| rows.as_deref() == Some(key.as_str()));
        let counts_current =
            counts_for.with(|counts| counts.as_deref() == Some(counts_key(&current).as_str()));
        (list_state.get() == ListState::Ready && rows_current && counts_current).then_some(key)
    });

    view! {
        <section class="pipeline" data-testid="pipeline" data-settled-for=move || settled_for.get()>
            <div class="page-head">
                <h1>{tr(T::PipelineTitle)}</h1>
                <div class="toolbar">
                    <button
                        type="button"
                        class="button"
                        class:active=move || { filter_count.get() > 0 }
                        aria-expanded=move || if state.filters_open.get() { "true" } else { "false" }
                        aria-controls="filters"
                        data-testid="toggle-filters"
                        on:click=toggle_filters
                    >
                        {tr(T::Filters)}
                        <Show when=move || { filter_count.get() > 0 }>
                            <span class="pill">{move || filter_count.get()}</span>
                        </Show>
                    </button>
                    <ColumnChooser columns=state.columns />
                    <RowHeightPicker row_height=state.row_height />
                    <button type="button" class="button ghost" data-testid="reset-view" on:click=reset>
                        {tr(T::ResetView)}
                    </button>
                    <button
                        type="button"
                        class="button primary"
                        data-testid="save-view"
                        disabled=move || saving.get()
                        on:click=save
                    >
                        <Show when=move || { dirty.get() || marked_count.get() > 0 }>
                            <span class="dot" title=tr(T::UnsavedChanges)></span>
                        </Show>
                        {move || if saving.get() { i18n.t(T::Saving) } else { i18n.t(T::SaveView) }}
                    </button>
                </div>
            </div>
            <PipelineTabs active=Signal::derive(move || query.get().tab) counts=counts on_select=on_tab />
            <Show when=move || state.filters_open.get()>
                <div id="filters">
                    <FilterBar query=query on_change=on_filters />
                </div>
            </Show>
            <Show when=move || invalid_link.get()>
                <div class="notice warning" role="status">
                    {tr(T::InvalidLink)}
                    {move || {
                        parsed
                            .get()
                            .err()
                            .map(|violations: Violations| {
                                violations
                                    .iter()
                                    .map(|v| format!(" {} ({})", v.field, describe(v.code, i18n.get())))
                                    .collect::<String>()
                            })
                    }}
                </div>
            </Show>
            <Show when=move || { marked_count.get() > 0 }>
                <div class="notice info" role="status" data-testid="marked-notice">
                    <span>
                        {move || if spam_list.get() { i18n.t(T::MarkedForRestore) } else { i18n.t(T::MarkedForSpam) }}
                        " "
                        <strong>{move || marked_count.get()}</strong>
                    </span>
                    <button type="button" class="button small" on:click=move |_| state.marked.set(Vec::new())>
                        {tr(T::UnmarkSpam)}
                    </button>
                </div>
            </Show>
            <div class="table-area">
                {move || match list_state.get() {
                    ListState::Failed(error) => view! {
                        <ErrorNote error=error on_retry=Callback::new(move |()| {
                            state.invalidate();
                            reload.update(|n| *n += 1);
                        }) />
                    }
                    .into_any(),
                    _ => ().into_any(),
                }}
                <CaseTable
                    rows=state.rows
                    columns=state.columns
                    row_height=state.row_height
                    tab=Signal::derive(move || query.get().tab)
                    sort=sort
                    marked=state.marked
                    spam_list=spam_list
                    busy=Signal::derive(move || list_state.get() == ListState::Loading && !state.rows.with(Vec::is_empty))
                    on_sort=on_sort
                    on_scroll=on_scroll
                    scroller=scroller
                >
                    {move || {
                        let empty = state.rows.with(Vec::is_empty);
                        match list_state.get() {
                            ListState::Loading if empty => view! { <Loading /> }.into_any(),
                            ListState::Ready if empty => view! {
                                <EmptyState title=Signal::derive(move || T::NoCases.text(i18n.get())) hint=Signal::derive(move || T::NoCasesHint.text(i18n.get()))>
                                    <Show when=move || { filter_count.get() > 0 }>
                                        <button
                                            type="button"
                                            class="button"
                                            on:click=move |_| {
                                                let current = query.get_untracked();
                                                go(PipelineQuery { tab: current.tab, sort: current.sort, ..PipelineQuery::default() }, false);
                                            }
                                        >
                                            {tr(T::ClearFilters)}
                                        </button>
                                    </Show>
                                </EmptyState>
                            }
                            .into_any(),
                            _ => ().into_any(),
                        }
                    }}
                </CaseTable>
                <div class="table-foot" data-testid="table-foot">
                    <span class="muted" data-testid="shown-count">
                        {move || {
                            let language = i18n.get();
                            let shown = state.rows.with(Vec::len) as u64;
                            match total.get() {
                                Some(total) => format!(
                                    "{} {} {} {}",
                                    T::Shown.text(language),
                                    format_count(shown, language),
                                    T::ShowingOf.text(language),
                                    format_count(total, language)
                                ),
                                None => format!("{} {}", T::Shown.text(language), format_count(shown, language)),
                            }
                        }}
                    </span>
                    {move || match (state.next_cursor.get().is_some(), list_state.get()) {
                        (_, ListState::LoadingMore) => view! { <Loading /> }.into_any(),
                        (true, _) => view! {
                            <button type="button" class="button" data-testid="load-more" on:click=move |_| load_more()>
                                {tr(T::LoadMore)}
                            </button>
                        }
                        .into_any(),
                        (false, ListState::Ready) if !state.rows.with(Vec::is_empty) => {
                            view! { <span class="muted">{tr(T::AllLoaded)}</span> }.into_any()
                        }
                        _ => ().into_any(),
                    }}
                </div>
            </div>
        </section>
    }
}

/// The counts ignore tab and sort: switching tabs does not ask again.
fn counts_key(query: &PipelineQuery) -> String {
    PipelineQuery {
        tab: Tab::All,
        sort: Vec::new(),
        ..query.clone()
    }
    .to_query_string()
}

fn describe(code: ViolationCode, language: lejek_domain::Language) -> &'static str {
    code.label(language)
}
