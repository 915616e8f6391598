use leptos::prelude::*;

use crate::i18n::{T, tr};

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <main class="centered-page" data-testid="not-found">
            <div class="card narrow">
                <h1>{tr(T::NotFoundTitle)}</h1>
                <a class="button primary" href="/">
                    {tr(T::BackToPipeline)}
                </a>
            </div>
        </main>
    }
}
