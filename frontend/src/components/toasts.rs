use std::time::Duration;

use leptos::prelude::*;

use crate::i18n::{T, tr};

#[derive(Debug, Clone, PartialEq)]
struct Toast {
    id: u64,
    text: String,
    error: bool,
}

/// Short confirmations and errors that disappear by themselves.
#[derive(Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Toasts {
    pub fn provide() {
        provide_context(Toasts {
            items: RwSignal::new(Vec::new()),
            next_id: StoredValue::new(0),
        });
    }

    pub fn success(self, text: impl Into<String>) {
        self.push(text.into(), false);
    }

    pub fn error(self, text: impl Into<String>) {
        self.push(text.into(), true);
    }

    fn push(self, text: String, error: bool) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.items.update(|items| items.push(Toast { id, text, error }));
        set_timeout(
            move || self.dismiss(id),
            Duration::from_millis(if error { 8000 } else { 4000 }),
        );
    }

    fn dismiss(self, id: u64) {
        self.items.update(|items| items.retain(|toast| toast.id != id));
    }
}

pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

/// Where toasts appear; announced to screen readers.
#[component]
pub fn ToastHost() -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <div class="toasts" role="status" aria-live="polite" data-testid="toasts">
            <For each=move || toasts.items.get() key=|toast| toast.id let:toast>
                <div class="toast" class:error=toast.error>
                    <span>{toast.text.clone()}</span>
                    <button
                        class="icon-button"
                        aria-label=tr(T::Dismiss)
                        on:click=move |_| toasts.dismiss(toast.id)
                    >
                        "×"
                    </button>
                </div>
            </For>
        </div>
    }
}
