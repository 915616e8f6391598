use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

use crate::api::use_api;
use crate::components::error_note::ErrorNote;
use crate::i18n::{T, tr};

/// Where a file to import is dropped or chosen: it is uploaded at once
/// and the page moves on to its preview.
#[component]
pub fn FileDrop() -> impl IntoView {
    let api = use_api();
    let navigate = StoredValue::new_local(use_navigate());
    let hovering = RwSignal::new(false);
    let upload = Action::new_local(move |file: &web_sys::File| {
        let file = file.clone();
        async move { api.upload_import(file).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(preview)) = upload.value().get() {
            navigate.with_value(|navigate| {
                navigate(&format!("/imports/{}", preview.import.id), Default::default())
            });
        }
    });
    let take = move |files: Option<web_sys::FileList>| {
        if let Some(file) = files.and_then(|files| files.get(0)) {
            upload.dispatch_local(file);
        }
    };
    let on_drop = move |event: web_sys::DragEvent| {
        event.prevent_default();
        hovering.set(false);
        take(event.data_transfer().and_then(|transfer| transfer.files()));
    };
    let on_change = move |event: web_sys::Event| {
        let input = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok());
        take(input.as_ref().and_then(|input| input.files()));
        if let Some(input) = input {
            input.set_value("");
        }
    };
    view! {
        <label
            class="file-drop"
            class:hovering=move || hovering.get()
            data-testid="file-drop"
            on:dragover=move |event: web_sys::DragEvent| {
                event.prevent_default();
                hovering.set(true);
            }
            on:dragleave=move |_| hovering.set(false)
            on:drop=on_drop
        >
            <span class="file-drop-icon" aria-hidden="true"></span>
            <span class="file-drop-title">{tr(T::DropFile)}</span>
            <span class="button">{tr(T::ChooseFile)}</span>
            <input
                type="file"
                class="sr-only"
                accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                data-testid="file-input"
                on:change=on_change
            />
        </label>
        <Show when=move || upload.pending().get()>
            <p class="muted" role="status">{tr(T::Uploading)}</p>
        </Show>
        {move || match upload.value().get() {
            Some(Err(error)) => Some(view! { <ErrorNote error=error /> }),
            _ => None,
        }}
    }
}
