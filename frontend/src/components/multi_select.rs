use leptos::prelude::*;

use crate::components::popover::Popover;
use crate::i18n::{T, tr, use_i18n};

/// A filter on several values of an enum or dictionary: a button that
/// says what is chosen and a list of checkboxes. Values are wire codes.
#[component]
pub fn MultiSelect(
    #[prop(into)] label: Signal<&'static str>,
    /// `(code, label)` in display order.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    #[prop(into)] selected: Signal<Vec<String>>,
    on_change: Callback<Vec<String>>,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let summary = Signal::derive(move || {
        let chosen = selected.get();
        let options = options.get();
        let what = match chosen.as_slice() {
            [] => T::AnyPlural.text(i18n.get()).to_owned(),
            [one] => options
                .iter()
                .find(|(code, _)| code == one)
                .map(|(_, label)| label.clone())
                .unwrap_or_else(|| one.clone()),
            many => format!("{} {}", many.len(), T::Selected.text(i18n.get())),
        };
        format!("{}: {what}", label.get())
    });
    let toggle = move |code: String, on: bool| {
        let mut chosen = selected.get_untracked();
        chosen.retain(|c| *c != code);
        if on {
            chosen.push(code);
        }
        // Keep the options' order, so links stay stable.
        let order = options.get_untracked();
        chosen.sort_by_key(|c| order.iter().position(|(code, _)| code == c));
        on_change.run(chosen);
    };
    let prefix = testid.clone();
    view! {
        <Popover label=summary testid=testid active=Signal::derive(move || !selected.get().is_empty())>
            <fieldset class="checklist">
                <legend class="sr-only">{move || label.get()}</legend>
                {
                    let prefix = prefix.clone();
                    move || {
                        let options = options.get();
                        if options.is_empty() {
                            return view! { <p class="muted">{tr(T::NoOptions)}</p> }.into_any();
                        }
                        options
                            .into_iter()
                            .map(|(code, text)| {
                                let checked_code = code.clone();
                                let change_code = code.clone();
                                view! {
                                    <label class="check" data-testid=format!("{prefix}-{code}")>
                                        <input
                                            type="checkbox"
                                            prop:checked=move || selected.with(|s| s.contains(&checked_code))
                                            on:change=move |event| toggle(change_code.clone(), event_target_checked(&event))
                                        />
                                        <span>{text}</span>
                                    </label>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }
                }
            </fieldset>
            <div class="popover-actions">
                <button
                    type="button"
                    class="button small ghost"
                    on:click=move |_| on_change.run(Vec::new())
                    disabled=move || selected.with(Vec::is_empty)
                >
                    {tr(T::Clear)}
                </button>
            </div>
        </Popover>
    }
}
