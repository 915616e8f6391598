use lejek_domain::RowHeight;
use leptos::prelude::*;

use crate::i18n::{T, tr, use_i18n};

/// Compact, normal or tall rows.
#[component]
pub fn RowHeightPicker(row_height: RwSignal<RowHeight>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="segmented" role="group" aria-label=tr(T::RowHeight) data-testid="row-height">
            {RowHeight::ALL
                .iter()
                .map(|&height| {
                    view! {
                        <button
                            type="button"
                            data-testid=format!("row-height-{}", height.as_str())
                            aria-pressed=move || if row_height.get() == height { "true" } else { "false" }
                            on:click=move |_| row_height.set(height)
                        >
                            {move || height.label(i18n.get())}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
