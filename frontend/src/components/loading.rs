use leptos::prelude::*;

use crate::i18n::{T, tr};

/// A spinner with a label for screen readers.
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <div class="loading" role="status" data-testid="loading">
            <span class="spinner" aria-hidden="true"></span>
            <span>{tr(T::Loading)}</span>
        </div>
    }
}
