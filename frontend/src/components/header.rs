use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::api::use_api;
use crate::components::language_switch::LanguageSwitch;
use crate::i18n::{T, tr, use_i18n};
use crate::state::use_pipeline_state;

/// The bar on top of every page: where to go, the language, who is in.
#[component]
pub fn AppHeader() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let location = use_location();
    // Back to the pipeline as the user left it (tab, filters, sort).
    let pipeline_href = use_pipeline_state().last_href;
    let me = Memo::new(move |_| api.me());
    let current = move |section: &'static str| {
        let path = location.pathname.get();
        let active = match section {
            "pipeline" => path == "/",
            "search" => path.starts_with("/search"),
            "analytics" => path.starts_with("/analytics"),
            "imports" => path.starts_with("/imports"),
            "forms" => path.starts_with("/admin/forms"),
            "mail" => path.starts_with("/admin/mail"),
            _ => false,
        };
        if active { "page" } else { "false" }
    };
    let logout = move |_| {
        leptos::task::spawn_local(async move { api.logout().await });
    };
    view! {
        <header class="app-header">
            <a href=move || pipeline_href.get() class="brand" aria-label="Lejek">
                <span class="brand-mark" aria-hidden="true"></span>
                <span class="brand-name">{tr(T::AppName)}</span>
            </a>
            <nav class="main-nav" aria-label=tr(T::MainNavigation)>
                <a href=move || pipeline_href.get() aria-current=move || current("pipeline") data-testid="nav-pipeline">
                    {tr(T::NavPipeline)}
                </a>
                <a href="/search" aria-current=move || current("search") data-testid="nav-search">
                    {tr(T::NavSearch)}
                </a>
                <a href="/imports" aria-current=move || current("imports") data-testid="nav-imports">
                    {tr(T::NavImport)}
                </a>
                <Show when=move || me.get().is_some_and(|me| me.role == lejek_domain::Role::Admin)>
                    <a href="/admin/forms" aria-current=move || current("forms") data-testid="nav-forms">
                        {tr(T::NavWebForms)}
                    </a>
                    <a href="/admin/mail" aria-current=move || current("mail") data-testid="nav-mail">
                        {tr(T::NavMail)}
                    </a>
                </Show>
                // A bundle of its own: loaded by the browser, not the router.
                <a href="/analytics" rel="external" aria-current=move || current("analytics") data-testid="nav-analytics">
                    {tr(T::NavAnalytics)}
                </a>
            </nav>
            <div class="header-end">
                <a href="/cases/new" class="button primary" data-testid="nav-new-case">
                    <span aria-hidden="true">"+ "</span>
                    {tr(T::NewCase)}
                </a>
                <LanguageSwitch />
                <div class="user" data-testid="current-user">
                    <span class="avatar" aria-hidden="true">
                        {move || me.get().map(|me| initials(&me.name)).unwrap_or_default()}
                    </span>
                    <span class="user-text">
                        <span class="user-name">{move || me.get().map(|me| me.name).unwrap_or_default()}</span>
                        <span class="user-role">
                            {move || me.get().map(|me| me.role.label(i18n.get())).unwrap_or_default()}
                        </span>
                    </span>
                </div>
                <button class="button ghost" on:click=logout data-testid="logout">
                    {tr(T::Logout)}
                </button>
            </div>
        </header>
    }
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .take(2)
        .collect::<String>()
        .to_uppercase()
}
