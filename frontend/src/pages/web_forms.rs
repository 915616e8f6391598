//! The admin's web forms: each with its leads and its snippet, one open
//! in the editor at a time.

use lejek_domain::dto::WebFormDto;
use leptos::prelude::*;

use crate::api::use_api;
use crate::browser;
use crate::components::error_note::ErrorNote;
use crate::components::loading::Loading;
use crate::components::snippet_box::SnippetBox;
use crate::components::web_form_editor::WebFormEditor;
use crate::i18n::{T, tr, use_i18n};

/// Which form the editor shows.
#[derive(Debug, Clone, PartialEq)]
enum Editing {
    Nothing,
    New,
    Form(Box<WebFormDto>),
}

#[component]
pub fn WebFormsPage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    Effect::new(move |_| browser::set_title(&format!("{} · Lejek", T::WebFormsTitle.text(i18n.get()))));
    let forms = LocalResource::new(move || async move { api.web_forms().await });
    let editing = RwSignal::new(Editing::Nothing);
    let saved = Callback::new(move |form: WebFormDto| {
        editing.set(Editing::Form(Box::new(form)));
        forms.refetch();
    });
    let closed = Callback::new(move |()| {
        editing.set(Editing::Nothing);
        forms.refetch();
    });
    let row = move |form: WebFormDto| {
        let language = i18n.get();
        let edited = form.clone();
        view! {
            <tr data-testid="web-form-row">
                <td>
                    <button type="button" class="button ghost" on:click=move |_| editing.set(Editing::Form(Box::new(edited.clone())))>
                        {form.name.clone()}
                    </button>
                </td>
                <td>{if form.active { T::FormActive.text(language) } else { T::FormInactive.text(language) }}</td>
                <td>{form.assignment.label(language)}</td>
                <td class="num" data-testid="web-form-leads">{form.leads}</td>
                <td>{form.origins.join(", ")}</td>
            </tr>
        }
    };
    view! {
        <div class="content" data-testid="web-forms-page">
            <div class="page-head">
                <h1>{tr(T::WebFormsTitle)}</h1>
                <button type="button" class="button primary" data-testid="new-web-form" on:click=move |_| editing.set(Editing::New)>
                    {tr(T::NewWebForm)}
                </button>
            </div>
            <p class="muted">{tr(T::WebFormsLead)}</p>
            {move || match editing.get() {
                Editing::Nothing => None,
                Editing::New => Some(view! { <WebFormEditor form=None on_saved=saved on_closed=closed /> }.into_any()),
                Editing::Form(form) => Some(view! {
                    <SnippetBox form=(*form).clone() />
                    <WebFormEditor form=Some(*form) on_saved=saved on_closed=closed />
                }.into_any()),
            }}
            <section class="card">
                <Suspense fallback=|| view! { <Loading /> }>
                    {move || forms.get().map(|loaded| match loaded {
                        Err(error) => view! { <ErrorNote error=error /> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p class="card-body muted">{tr(T::NoWebForms)}</p> }.into_any(),
                        Ok(list) => view! {
                            <div class="table-scroll">
                                <table class="data-table" data-testid="web-forms">
                                    <thead>
                                        <tr>
                                            <th>{tr(T::FormName)}</th>
                                            <th>{tr(T::ImportState)}</th>
                                            <th>{tr(T::FormAssignmentLabel)}</th>
                                            <th class="num">{tr(T::Leads)}</th>
                                            <th>{tr(T::FormOrigins)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                                </table>
                            </div>
                        }
                        .into_any(),
                    })}
                </Suspense>
            </section>
        </div>
    }
}
