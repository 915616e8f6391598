//! One import, wherever it stands: its preview and mapping before it runs,
//! its progress while it runs (read again every second, so a reload picks
//! it up where it is), its summary once done.

use lejek_domain::ImportState;
use leptos::prelude::*;

use crate::api::use_api;
use crate::browser;
use crate::components::import_mapping::ImportMapping;
use crate::components::import_progress::ImportProgressView;
use crate::components::load_state::load_state;
use crate::i18n::{T, use_i18n};
use crate::route_params::id_param;

/// How often a running import's progress is read.
const POLL_MILLIS: u64 = 1_000;

#[component]
pub fn ImportPage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let id = id_param(|id| id);
    Effect::new(move |_| browser::set_title(&format!("{} · Lejek", T::ImportTitle.text(i18n.get()))));
    // An address without a number asks for import 0, which the server
    // answers as not found.
    let import = LocalResource::new(move || {
        let id = id.get().unwrap_or(0);
        async move { api.import(id).await }
    });
    Effect::new(move |_| {
        let running = import
            .get()
            .and_then(Result::ok)
            .is_some_and(|import| matches!(import.state, ImportState::Queued | ImportState::Running));
        if running {
            set_timeout(
                move || import.refetch(),
                std::time::Duration::from_millis(POLL_MILLIS),
            );
        }
    });
    let started = Callback::new(move |()| import.refetch());
    view! {
        <div class="content" data-testid="import-page">
            <Transition>
                {move || {
                    load_state(import.get(), T::ImportNotFound, Callback::new(move |()| import.refetch()), move |found| {
                        if found.state == ImportState::Uploaded {
                            view! { <ImportMapping import=found on_started=started /> }.into_any()
                        } else {
                            view! { <ImportProgressView import=found /> }.into_any()
                        }
                    })
                }}
            </Transition>
        </div>
    }
}
