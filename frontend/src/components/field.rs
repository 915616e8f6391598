use leptos::prelude::*;

use crate::i18n::{T, tr};

/// A labelled form field: the required marker before the user saves, and
/// the error (from the domain rules or the API) right below the input.
#[component]
pub fn Field(
    /// The id of the input inside, for the label.
    #[prop(into)]
    id: String,
    #[prop(into)] label: Signal<&'static str>,
    #[prop(optional, into)] required: Signal<bool>,
    #[prop(optional, into)] error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:invalid=move || error.get().is_some() data-field=id.clone()>
            <label for=id.clone()>
                {move || label.get()}
                <Show when=move || required.get()>
                    <span class="required" title=tr(T::Required)>" *"</span>
                </Show>
            </label>
            {children()}
            <Show when=move || error.get().is_some()>
                <p class="field-error" id=error_id.clone() data-testid="field-error">
                    {move || error.get().unwrap_or_default()}
                </p>
            </Show>
        </div>
    }
}
