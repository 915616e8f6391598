use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::{T, tr, use_i18n};

/// An error box with the message in the user's language and an optional
/// retry button.
#[component]
pub fn ErrorNote(
    #[prop(into)] error: Signal<ApiError>,
    #[prop(optional)] on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="notice error" role="alert" data-testid="error">
            <div>
                <strong>{tr(T::ErrorTitle)}</strong>
                <p>{move || error.get().message(i18n.get())}</p>
            </div>
            {on_retry.map(|retry| {
                view! {
                    <button class="button" on:click=move |_| retry.run(())>
                        {tr(T::Retry)}
                    </button>
                }
            })}
        </div>
    }
}
