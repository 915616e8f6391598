use leptos::prelude::*;

/// A friendly "nothing here" block with an optional action below.
#[component]
pub fn EmptyState(
    #[prop(into)] title: Signal<&'static str>,
    #[prop(optional, into)] hint: Option<Signal<&'static str>>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="empty" data-testid="empty">
            <div class="empty-icon" aria-hidden="true"></div>
            <p class="empty-title">{move || title.get()}</p>
            {hint.map(|hint| view! { <p class="muted">{move || hint.get()}</p> })}
            {children.map(|children| children())}
        </div>
    }
}
