use chrono::{Days, NaiveDate};
use leptos::prelude::*;

use crate::browser;
use crate::components::popover::Popover;
use crate::i18n::{T, format_date, tr, use_i18n};

/// A range of days (both ends inclusive, either open) with quick picks.
#[component]
pub fn DateRange(
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] from: Signal<Option<NaiveDate>>,
    #[prop(into)] to: Signal<Option<NaiveDate>>,
    on_change: Callback<(Option<NaiveDate>, Option<NaiveDate>)>,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let summary = Signal::derive(move || {
        let language = i18n.get();
        let what = match (from.get(), to.get()) {
            (None, None) => T::Any.text(language).to_owned(),
            (Some(from), None) => format!("{} {}", T::Since.text(language), format_date(from, language)),
            (None, Some(to)) => format!("{} {}", T::Until.text(language), format_date(to, language)),
            (Some(from), Some(to)) if from == to => format_date(from, language),
            (Some(from), Some(to)) => {
                format!("{} – {}", format_date(from, language), format_date(to, language))
            }
        };
        format!("{}: {what}", label.get())
    });
    let set = move |from: Option<NaiveDate>, to: Option<NaiveDate>| match (from, to) {
        (Some(a), Some(b)) if a > b => on_change.run((Some(b), Some(a))),
        range => on_change.run(range),
    };
    let quick = move |pick: &'static str| {
        let today = browser::today();
        match pick {
            "since-yesterday" => set(today.checked_sub_days(Days::new(1)), None),
            "this-week" => set(
                Some(browser::week_start(today)),
                browser::week_start(today).checked_add_days(Days::new(6)),
            ),
            _ => set(Some(browser::month_start(today)), Some(browser::month_end(today))),
        }
    };
    let parse = |text: String| NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok();
    let from_id = format!("{testid}-from");
    let to_id = format!("{testid}-to");
    let picks = [
        ("since-yesterday", T::SinceYesterday),
        ("this-week", T::ThisWeek),
        ("this-month", T::ThisMonth),
    ];
    let prefix = testid.clone();
    view! {
        <Popover
            label=summary
            testid=testid
            active=Signal::derive(move || from.get().is_some() || to.get().is_some())
        >
            <div class="quick-picks" role="group">
                {picks
                    .into_iter()
                    .map(|(pick, text)| {
                        view! {
                            <button
                                type="button"
                                class="chip"
                                data-testid=format!("{prefix}-{pick}")
                                on:click=move |_| quick(pick)
                            >
                                {tr(text)}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="date-inputs">
                <label for=from_id.clone()>{tr(T::From)}</label>
                <input
                    id=from_id.clone()
                    type="date"
                    prop:value=move || from.get().map(|d| d.to_string()).unwrap_or_default()
                    on:change=move |event| set(parse(event_target_value(&event)), to.get_untracked())
                />
                <label for=to_id.clone()>{tr(T::To)}</label>
                <input
                    id=to_id.clone()
                    type="date"
                    prop:value=move || to.get().map(|d| d.to_string()).unwrap_or_default()
                    on:change=move |event| set(from.get_untracked(), parse(event_target_value(&event)))
                />
            </div>
            <div class="popover-actions">
                <button
                    type="button"
                    class="button small ghost"
                    on:click=move |_| on_change.run((None, None))
                    disabled=move || from.get().is_none() && to.get().is_none()
                >
                    {tr(T::Clear)}
                </button>
            </div>
        </Popover>
    }
}
