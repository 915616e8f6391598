//! Lejek's browser client: Leptos client-side-rendered WASM talking only to
//! the public REST API (`/api/v1`). Two bundles share this library: the
//! main app (`main.rs`) and the Analytics page (`analytics_main.rs`), which
//! only those who open it download.

mod api;
pub mod app;
mod browser;
mod components;
mod figures;
mod forms;
mod i18n;
mod pages;
mod route_params;
mod shapes;
mod state;
mod task;

/// Mounts `app` on the page.
pub fn start<V: leptos::prelude::IntoView + 'static>(app: fn() -> V) {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app);
}
