use lejek_domain::dto::WebFormDto;
use leptos::prelude::*;

use crate::components::toasts::use_toasts;
use crate::i18n::{T, tr, use_i18n};

/// A saved form's snippet, to copy into a site, and its page.
#[component]
pub fn SnippetBox(form: WebFormDto) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let snippet = form.snippet.clone();
    let copy = move |_| {
        let snippet = snippet.clone();
        leptos::task::spawn_local(async move {
            let clipboard = web_sys::window().map(|window| window.navigator().clipboard());
            if let Some(clipboard) = clipboard {
                let written = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&snippet)).await;
                if written.is_ok() {
                    toasts.success(T::Copied.text(i18n.get_untracked()).to_owned());
                }
            }
        });
    };
    view! {
        <section class="card" data-testid="snippet-box">
            <div class="card-body">
                <label class="field">
                    <span>{tr(T::Snippet)}</span>
                    <textarea readonly class="snippet" rows="3" data-testid="snippet" prop:value=form.snippet.clone()></textarea>
                </label>
                <div class="toolbar">
                    <button type="button" class="button" data-testid="copy-snippet" on:click=copy>{tr(T::CopySnippet)}</button>
                    <a class="button ghost" href=form.page_url.clone() target="_blank" rel="noopener">{tr(T::OpenFormPage)}</a>
                </div>
            </div>
        </section>
    }
}
