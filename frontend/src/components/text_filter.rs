use std::time::Duration;

use leptos::prelude::*;

/// A text filter that tells its change 250 ms after the user stops typing
/// (at once on Enter), so the list is not reloaded on every key.
#[component]
pub fn TextFilter(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] value: Signal<String>,
    on_change: Callback<String>,
    #[prop(optional)] numeric: bool,
) -> impl IntoView {
    let text = RwSignal::new(value.get_untracked());
    let committed = StoredValue::new(value.get_untracked());
    let timer = StoredValue::new(None::<TimeoutHandle>);
    on_cleanup(move || {
        if let Some(Some(handle)) = timer.try_get_value() {
            handle.clear();
        }
    });
    // A change from outside (back button, reset) replaces what is typed,
    // but the echo of our own change does not.
    Effect::new(move |_| {
        let outside = value.get();
        if outside.trim() != committed.get_value().trim() {
            committed.set_value(outside.clone());
            text.set(outside);
        }
    });
    let commit = move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        timer.set_value(None);
        let typed = text.get_untracked();
        if typed.trim() != committed.get_value().trim() {
            committed.set_value(typed.clone());
            on_change.run(typed);
        }
    };
    view! {
        <div class="field compact">
            <label for=id.clone()>{move || label.get()}</label>
            <input
                id=id.clone()
                data-testid=format!("filter-{id}")
                type=if numeric { "number" } else { "search" }
                inputmode=if numeric { "numeric" } else { "text" }
                min=if numeric { Some("1") } else { None }
                autocomplete="off"
                placeholder=move || label.get()
                prop:value=move || text.get()
                on:input=move |event| {
                    text.set(event_target_value(&event));
                    if let Some(handle) = timer.get_value() {
                        handle.clear();
                    }
                    timer.set_value(set_timeout_with_handle(commit, Duration::from_millis(250)).ok());
                }
                on:keydown=move |event: leptos::ev::KeyboardEvent| {
                    if event.key() == "Enter" {
                        commit();
                    }
                }
            />
        </div>
    }
}
