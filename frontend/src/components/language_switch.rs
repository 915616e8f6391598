use lejek_domain::Language;
use leptos::prelude::*;

use crate::i18n::{T, tr, use_i18n};

/// PL | EN, remembered in this browser.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="segmented" role="group" aria-label=tr(T::Language) data-testid="language-switch">
            {Language::ALL
                .iter()
                .map(|&language| {
                    view! {
                        <button
                            type="button"
                            data-testid=format!("lang-{}", language.code())
                            aria-pressed=move || if i18n.get() == language { "true" } else { "false" }
                            on:click=move |_| i18n.set(language)
                        >
                            {language.code().to_uppercase()}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
