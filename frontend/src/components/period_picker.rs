use chrono::NaiveDate;
use leptos::prelude::*;

use crate::browser;
use crate::figures::{FigureView, Preset};
use crate::i18n::{T, tr, use_i18n};

/// The period of the figures: a preset, or two days of one's own.
#[component]
pub fn PeriodPicker(
    #[prop(into)] view: Signal<FigureView>,
    on_change: Callback<FigureView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let choose = move |code: String| {
        let Some(preset) = Preset::from_code(&code) else {
            return;
        };
        let mut next = view.get_untracked();
        if preset != Preset::Custom {
            (next.from, next.to) = preset.days(browser::today());
        }
        next.preset = preset;
        on_change.run(next);
    };
    let set_day = move |which: &'static str, text: String| {
        let Ok(day) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") else {
            return;
        };
        let mut next = view.get_untracked();
        next.preset = Preset::Custom;
        if which == "from" {
            next.from = day;
        } else {
            next.to = day;
        }
        if next.from > next.to {
            std::mem::swap(&mut next.from, &mut next.to);
        }
        on_change.run(next);
    };
    view! {
        <div class="period-picker" role="group" aria-label=tr(T::Period)>
            <label class="inline-field">
                <span>{tr(T::Period)}</span>
                <select
                    data-testid="period"
                    prop:value=move || view.get().preset.code()
                    on:change=move |event| choose(event_target_value(&event))
                >
                    {Preset::ALL
                        .into_iter()
                        .map(|preset| {
                            view! { <option value=preset.code()>{move || preset.label().text(i18n.get())}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
            {[("from", T::From), ("to", T::To)]
                .into_iter()
                .map(|(which, label)| {
                    let day = move || {
                        let current = view.get();
                        if which == "from" { current.from } else { current.to }.to_string()
                    };
                    view! {
                        <label class="inline-field">
                            <span>{tr(label)}</span>
                            <input
                                type="date"
                                data-testid=format!("period-{which}")
                                prop:value=day
                                on:change=move |event| set_day(which, event_target_value(&event))
                            />
                        </label>
                    }
                })
                .collect_view()}
        </div>
    }
}
