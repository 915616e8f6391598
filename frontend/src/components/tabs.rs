use lejek_domain::Tab;
use lejek_domain::dto::TabCounts;
use leptos::prelude::*;

use crate::i18n::{T, format_count, tr, use_i18n};

/// The six sub-views with their counts under the current filters. Arrow
/// keys move between them.
#[component]
pub fn PipelineTabs(
    #[prop(into)] active: Signal<Tab>,
    #[prop(into)] counts: Signal<Option<TabCounts>>,
    on_select: Callback<Tab>,
) -> impl IntoView {
    let i18n = use_i18n();
    let step = move |delta: isize| {
        let all = Tab::ALL;
        let index = all.iter().position(|t| *t == active.get_untracked()).unwrap_or(0) as isize;
        let next = all[(index + delta).rem_euclid(all.len() as isize) as usize];
        on_select.run(next);
        crate::browser::focus(&format!("[data-testid='tab-{}']", next.as_str()));
    };
    view! {
        <div
            class="tabs"
            role="tablist"
            aria-label=tr(T::Tabs)
            data-testid="tabs"
            on:keydown=move |event: leptos::ev::KeyboardEvent| match event.key().as_str() {
                "ArrowRight" => step(1),
                "ArrowLeft" => step(-1),
                _ => {}
            }
        >
            {Tab::ALL
                .iter()
                .map(|&tab| {
                    let selected = move || active.get() == tab;
                    view! {
                        <button
                            type="button"
                            role="tab"
                            class="tab"
                            data-testid=format!("tab-{}", tab.as_str())
                            aria-selected=move || if selected() { "true" } else { "false" }
                            tabindex=move || if selected() { "0" } else { "-1" }
                            on:click=move |_| on_select.run(tab)
                        >
                            <span>{move || tab.label(i18n.get())}</span>
                            <span class="count" data-testid=format!("count-{}", tab.as_str())>
                                {move || {
                                    counts
                                        .get()
                                        .map(|counts| format_count(counts.for_status(tab.status()), i18n.get()))
                                        .unwrap_or_else(|| "…".to_owned())
                                }}
                            </span>
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
