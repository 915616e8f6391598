use leptos::prelude::*;

/// A text-like input bound to a signal; its id is also its test id, and
/// the id its `Field` label points at.
#[component]
pub fn TextInput(id: &'static str, kind: &'static str, value: RwSignal<String>) -> impl IntoView {
    view! {
        <input
            id=id
            type=kind
            data-testid=id
            prop:value=move || value.get()
            on:input=move |e| value.set(event_target_value(&e))
        />
    }
}
