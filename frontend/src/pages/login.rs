use lejek_domain::dto::DemoAccount;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{ApiError, Session, use_api};
use crate::browser;
use crate::components::language_switch::LanguageSwitch;
use crate::i18n::{T, tr, use_i18n};

/// Where to go after logging in: a path of this app, never another site.
fn safe_next(next: Option<String>) -> String {
    next.filter(|next| next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/login"))
        .unwrap_or_else(|| "/".to_owned())
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let api = use_api();
    let tasks = crate::task::Spawner::new();
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    Effect::new(move |_| browser::set_title(&format!("{} · Lejek", T::LoginTitle.text(i18n.get()))));

    let next = Memo::new(move |_| safe_next(query.with(|q| q.get("next"))));
    let expired = Memo::new(move |_| query.with(|q| q.get("expired").is_some()));
    Effect::new(move |_| {
        if let Session::LoggedIn(_) = api.session() {
            let target = next.get_untracked();
            navigate.with_value(|navigate| {
                navigate(
                    &target,
                    NavigateOptions {
                        replace: true,
                        ..NavigateOptions::default()
                    },
                )
            });
        }
    });

    let demo = RwSignal::new(None::<DemoAccount>);
    tasks.spawn(async move {
        if let Ok(options) = api.login_options().await {
            demo.set(options.demo_account);
        }
    });

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        tasks.spawn(async move {
            if let Err(failure) = api
                .login(email.get_untracked().trim().to_owned(), password.get_untracked())
                .await
            {
                error.set(Some(failure));
                busy.set(false);
            }
        });
    };
    let message = move || {
        error.get().map(|error| {
            if error.is(lejek_domain::ErrorCode::Unauthorized) {
                T::WrongCredentials.text(i18n.get()).to_owned()
            } else {
                error.message(i18n.get())
            }
        })
    };

    view! {
        <main class="login-page" data-testid="login-page">
            <div class="login-top">
                <LanguageSwitch />
            </div>
            <div class="login-card card">
                <div class="brand big">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">{tr(T::AppName)}</span>
                </div>
                <h1>{tr(T::LoginTitle)}</h1>
                <p class="muted">{tr(T::LoginLead)}</p>
                <Show when=move || expired.get() && error.get().is_none()>
                    <div class="notice warning" role="status">{tr(T::SessionExpired)}</div>
                </Show>
                <form on:submit=submit novalidate data-testid="login-form">
                    <div class="field">
                        <label for="login-email">{tr(T::Email)}</label>
                        <input
                            id="login-email"
                            type="email"
                            name="email"
                            autocomplete="username"
                            required
                            autofocus
                            data-testid="login-email"
                            prop:value=move || email.get()
                            on:input=move |event| email.set(event_target_value(&event))
                        />
                    </div>
                    <div class="field">
                        <label for="login-password">{tr(T::Password)}</label>
                        <input
                            id="login-password"
                            type="password"
                            name="password"
                            autocomplete="current-password"
                            required
                            data-testid="login-password"
                            prop:value=move || password.get()
                            on:input=move |event| password.set(event_target_value(&event))
                        />
                    </div>
                    <Show when=move || error.get().is_some()>
                        <div class="notice error" role="alert" data-testid="login-error">{message}</div>
                    </Show>
                    <button
                        type="submit"
                        class="button primary wide"
                        disabled=move || busy.get()
                        data-testid="login-submit"
                    >
                        {move || if busy.get() { i18n.t(T::SigningIn) } else { i18n.t(T::SignIn) }}
                    </button>
                </form>
                {move || {
                    demo.get()
                        .map(|account| {
                            view! {
                                <p class="hint" data-testid="demo-hint">
                                    {tr(T::DemoAccount)} " " {account.email} ", " {tr(T::DemoPassword)} " "
                                    {account.password}
                                </p>
                            }
                        })
                }}
            </div>
        </main>
    }
}
