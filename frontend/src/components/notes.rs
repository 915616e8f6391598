use lejek_domain::dto::NoteDto;
use lejek_domain::{CaseId, NoteText};
use leptos::prelude::*;

use crate::api::use_api;
use crate::browser;
use crate::forms::FormErrors;
use crate::i18n::{T, format_datetime, tr, use_i18n};

/// The notes of the case card and a box to add one (Ctrl+Enter adds).
#[component]
pub fn Notes(case_id: CaseId, notes: Vec<NoteDto>, on_added: Callback<NoteDto>) -> impl IntoView {
    let api = use_api();
    let tasks = crate::task::Spawner::new();
    let i18n = use_i18n();
    let draft = RwSignal::new(String::new());
    let errors = FormErrors::new(&["body"]);
    let saving = RwSignal::new(false);
    // One key per draft: a retry of the same note never adds it twice.
    let key = StoredValue::new(browser::random_key());
    let add = move || {
        let body = draft.get_untracked();
        if let Err(code) = NoteText::parse(&body) {
            errors.set_violations(&lejek_domain::Violations::single("body", code));
            return;
        }
        errors.clear();
        saving.set(true);
        tasks.spawn(async move {
            match api.add_note(case_id, body, key.get_value()).await {
                Ok(note) => {
                    draft.set(String::new());
                    key.set_value(browser::random_key());
                    on_added.run(note);
                }
                Err(error) => errors.set_api(error),
            }
            saving.set(false);
        });
    };
    let empty = notes.is_empty();
    view! {
        <section class="card" data-testid="notes">
            <header>
                <h2>{tr(T::Notes)}</h2>
            </header>
            <div class="card-body">
                <Show when=move || !empty fallback=|| view! { <p class="muted">{tr(T::NoNotes)}</p> }>
                    <ul class="notes">
                        {
                            let notes = notes.clone();
                            move || {
                                let language = i18n.get();
                                notes
                                    .iter()
                                    .rev()
                                    .map(|note| {
                                        view! {
                                            <li data-testid="note">
                                                <div class="meta">
                                                    {format!("{} · {}", note.author.name, format_datetime(note.created_at, language))}
                                                </div>
                                                <div class="body">{note.body.clone()}</div>
                                            </li>
                                        }
                                    })
                                    .collect_view()
                            }
                        }
                    </ul>
                </Show>
                <form
                    class="note-form"
                    novalidate
                    on:submit=move |event: leptos::ev::SubmitEvent| {
                        event.prevent_default();
                        add();
                    }
                >
                    <label for="note-body" class="sr-only">{tr(T::AddNote)}</label>
                    <textarea
                        id="note-body"
                        data-testid="note-body"
                        placeholder=tr(T::NotePlaceholder)
                        prop:value=move || draft.get()
                        on:input=move |e| draft.set(event_target_value(&e))
                        on:keydown=move |e: leptos::ev::KeyboardEvent| {
                            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                                e.prevent_default();
                                add();
                            }
                        }
                    ></textarea>
                    <Show when=move || errors.general().get().is_some() || errors.field("body").get().is_some()>
                        <p class="field-error" role="alert">
                            {move || errors.field("body").get().or_else(|| errors.general().get())}
                        </p>
                    </Show>
                    <button type="submit" class="button" data-testid="note-add" disabled=move || saving.get()>
                        {tr(T::AddNote)}
                    </button>
                </form>
            </div>
        </section>
    }
}
