use leptos::prelude::*;

use crate::components::popover::Popover;

/// A filter on one value out of a list (the first option means "any"): a
/// button that says what is chosen and a list of radio buttons.
#[component]
pub fn ChoiceFilter(
    #[prop(into)] label: Signal<&'static str>,
    /// `(code, label)`; the empty code means no filter.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    #[prop(into)] selected: Signal<String>,
    on_change: Callback<String>,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let summary = Signal::derive(move || {
        let chosen = selected.get();
        let what = options.with(|options| {
            options
                .iter()
                .find(|(code, _)| *code == chosen)
                .or_else(|| options.first())
                .map(|(_, text)| text.clone())
                .unwrap_or_default()
        });
        format!("{}: {what}", label.get())
    });
    let name = format!("{testid}-choice");
    let open = RwSignal::new(false);
    let prefix = testid.clone();
    view! {
        <Popover label=summary testid=testid open=open active=Signal::derive(move || !selected.get().is_empty())>
            <fieldset class="checklist">
                <legend class="sr-only">{move || label.get()}</legend>
                {
                    let prefix = prefix.clone();
                    let name = name.clone();
                    move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(code, text)| {
                            let checked = code.clone();
                            let chosen = code.clone();
                            let testid = if code.is_empty() { format!("{prefix}-any") } else { format!("{prefix}-{code}") };
                            view! {
                                <label class="check" data-testid=testid>
                                    <input
                                        type="radio"
                                        name=name.clone()
                                        prop:checked=move || selected.get() == checked
                                        on:change=move |_| {
                                            open.set(false);
                                            on_change.run(chosen.clone());
                                        }
                                    />
                                    <span>{text}</span>
                                </label>
                            }
                        })
                        .collect_view()
                    }
                }
            </fieldset>
        </Popover>
    }
}
