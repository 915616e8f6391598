//! The app: contexts, routes, and the authenticated layout.

use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::{NavigateOptions, path};

use crate::api::{Api, Session};
use crate::components::header::AppHeader;
use crate::components::loading::Loading;
use crate::components::toasts::{ToastHost, Toasts};
use crate::i18n::I18n;
use crate::pages::analytics::AnalyticsPage;
use crate::pages::case_card::CaseCardPage;
use crate::pages::contact::ContactPage;
use crate::pages::import::ImportPage;
use crate::pages::imports::ImportsPage;
use crate::pages::login::LoginPage;
use crate::pages::mail_intake::MailIntakePage;
use crate::pages::new_case::NewCasePage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::pipeline::PipelinePage;
use crate::pages::search::SearchPage;
use crate::pages::web_forms::WebFormsPage;
use crate::state::{Dictionaries, PipelineState};

/// What every page of either bundle reads from its context.
fn provide_app_contexts() {
    I18n::provide();
    Api::provide();
    Toasts::provide();
    Dictionaries::provide();
    PipelineState::provide();
}

#[component]
pub fn App() -> impl IntoView {
    provide_app_contexts();
    view! {
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view=LoginPage />
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("") view=PipelinePage />
                    <Route path=path!("cases/new") view=NewCasePage />
                    <Route path=path!("cases/:id") view=CaseCardPage />
                    <Route path=path!("contacts/:id") view=ContactPage />
                    <Route path=path!("search") view=SearchPage />
                    <Route path=path!("imports") view=ImportsPage />
                    <Route path=path!("imports/:id") view=ImportPage />
                    <Route path=path!("admin/forms") view=WebFormsPage />
                    <Route path=path!("admin/mail") view=MailIntakePage />
                    <Route path=path!("analytics") view=OtherBundle />
                </ParentRoute>
            </Routes>
        </Router>
        <ToastHost />
    }
}

/// The Analytics page's own bundle: the page, and for any other route the
/// main app, loaded afresh.
#[component]
pub fn AnalyticsApp() -> impl IntoView {
    provide_app_contexts();
    view! {
        <Router>
            <Routes fallback=OtherBundle>
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("analytics") view=AnalyticsPage />
                </ParentRoute>
            </Routes>
        </Router>
        <ToastHost />
    }
}

/// A route the other bundle serves: the page is loaded again from the
/// server, which answers it with that bundle (where it does not, the page
/// is not found rather than loaded over and over).
#[component]
fn OtherBundle() -> impl IntoView {
    if crate::browser::reload_once() {
        view! { <Loading /> }.into_any()
    } else {
        view! { <NotFoundPage /> }.into_any()
    }
}

/// The layout of every page behind the login: the header and the page.
/// Without a session it sends the user to the login page, remembering
/// where they were so they come back there.
#[component]
fn Shell() -> impl IntoView {
    let api = crate::api::use_api();
    let location = use_location();
    let navigate = use_navigate();
    let logged_in = Memo::new(move |_| matches!(api.session(), Session::LoggedIn(_)));
    Effect::new(move |_| {
        if let Session::LoggedOut { expired } = api.session() {
            let here = location.pathname.get_untracked();
            let search = location.search.get_untracked();
            let next = if search.is_empty() {
                here
            } else {
                format!("{here}?{search}")
            };
            let mut target = form_urlencoded::Serializer::new(String::new());
            target.append_pair("next", &next);
            if expired {
                target.append_pair("expired", "1");
            }
            navigate(
                &format!("/login?{}", target.finish()),
                NavigateOptions {
                    replace: true,
                    ..NavigateOptions::default()
                },
            );
        }
    });
    view! {
        <Show when=move || logged_in.get() fallback=|| view! { <Loading /> }>
            <a class="skip-link" href="#main">{crate::i18n::tr(crate::i18n::T::SkipToContent)}</a>
            <AppHeader />
            <main id="main" class="page" tabindex="-1">
                <Outlet />
            </main>
        </Show>
    }
}
