use lejek_domain::Status;
use leptos::prelude::*;

use crate::i18n::use_i18n;

/// A status as a coloured pill.
#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge status-{}", status.as_str())>{move || status.label(i18n.get())}</span>
    }
}
