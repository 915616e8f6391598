use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::empty_state::EmptyState;
use crate::components::error_note::ErrorNote;
use crate::components::loading::Loading;
use crate::i18n::{T, use_i18n};

/// What a page shows for the thing it loads: a spinner while loading,
/// `not_found` for a 404, the error with a retry, or the thing itself.
pub fn load_state<V: 'static>(
    state: Option<Result<V, ApiError>>,
    not_found: T,
    on_retry: Callback<()>,
    ready: impl FnOnce(V) -> AnyView,
) -> AnyView {
    match state {
        None => view! { <Loading /> }.into_any(),
        Some(Err(error)) if error.is(lejek_domain::ErrorCode::NotFound) => {
            let i18n = use_i18n();
            view! { <EmptyState title=Signal::derive(move || not_found.text(i18n.get())) /> }.into_any()
        }
        Some(Err(error)) => view! { <ErrorNote error=error on_retry=on_retry /> }.into_any(),
        Some(Ok(found)) => ready(found),
    }
}
