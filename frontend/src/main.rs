//! Lejek's browser client: a Leptos client-side-rendered WASM app talking
//! only to the public REST API (`/api/v1`).

mod api;
mod app;
mod browser;
mod components;
mod forms;
mod i18n;
mod pages;
mod route_params;
mod state;
mod task;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
