use lejek_domain::dto::OutcomesBody;
use lejek_domain::{Language, Source};
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::bar_chart::BarChart;
use crate::components::chart_card::ChartCard;
use crate::components::load_state::load_state;
use crate::figures::{Bar, Cell, FigureTable, amount, ratio};
use crate::i18n::{T, format_count, format_days, format_money, format_percent, tr, use_i18n};

/// A group's name: the source's label, the owner's name, or unassigned.
pub fn group_label(key: &Option<String>, name: &Option<String>, language: Language) -> String {
    match (name, key) {
        (Some(name), _) => name.clone(),
        (None, Some(code)) => code
            .parse::<Source>()
            .map(|source| source.label(language).to_owned())
            .unwrap_or_else(|_| code.clone()),
        (None, None) => T::Unassigned.text(language).to_owned(),
    }
}

fn bars(body: &OutcomesBody, language: Language) -> Vec<Bar> {
    body.groups
        .iter()
        .map(|group| {
            let figures = &group.figures;
            let share = ratio(&figures.win_rate).unwrap_or_default();
            Bar {
                label: group_label(&group.key, &group.name, language),
                value: share,
                part: 0.0,
                text: format!(
                    "{} ({}/{})",
                    format_percent(share, language),
                    format_count(figures.acquired, language),
                    format_count(figures.acquired + figures.resigned, language)
                ),
                href: None,
            }
        })
        .collect()
}

/// The outcomes as a table: won, lost, win rate, won value, cycle.
pub fn outcomes_table(body: &OutcomesBody, first: T, language: Language) -> FigureTable {
    FigureTable {
        headers: [first, T::Won, T::Lost, T::WinRate, T::WonValue, T::CycleMedian]
            .map(|key| key.text(language).to_owned())
            .to_vec(),
        rows: body
            .groups
            .iter()
            .map(|group| {
                let figures = &group.figures;
                let value = &figures.acquired_value;
                vec![
                    Cell::new(
                        group_label(&group.key, &group.name, language),
                        group.key.clone().unwrap_or_default(),
                    ),
                    Cell::new(
                        format_count(figures.acquired, language),
                        figures.acquired.to_string(),
                    ),
                    Cell::new(
                        format_count(figures.resigned, language),
                        figures.resigned.to_string(),
                    ),
                    Cell::new(
                        ratio(&figures.win_rate)
                            .map(|share| format_percent(share, language))
                            .unwrap_or_default(),
                        figures.win_rate.clone().unwrap_or_default(),
                    ),
                    Cell::new(
                        value
                            .iter()
                            .map(|sum| format_money(amount(&sum.amount), &sum.currency, language))
                            .collect::<Vec<_>>()
                            .join("; "),
                        value
                            .iter()
                            .map(|sum| format!("{} {}", sum.amount, sum.currency))
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                    Cell::new(
                        figures
                            .cycle
                            .median
                            .map(|secs| format_days(secs, language))
                            .unwrap_or_default(),
                        figures
                            .cycle
                            .median
                            .map(|secs| secs.to_string())
                            .unwrap_or_default(),
                    ),
                ]
            })
            .collect(),
    }
}

/// Won among the closed cases of the period, per source or per owner.
#[component]
pub fn WinRateFigure(
    report: LocalResource<Result<OutcomesBody, ApiError>>,
    title: T,
    /// The first column's name: the source or the owner.
    first: T,
    name: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = move || report.get().and_then(Result::ok);
    let bars = Signal::derive(move || loaded().map(|r| bars(&r, i18n.get())).unwrap_or_default());
    let table = Signal::derive(move || {
        loaded()
            .map(|r| outcomes_table(&r, first, i18n.get()))
            .unwrap_or_default()
    });
    let retry = Callback::new(move |_| report.refetch());
    view! {
        <ChartCard title=tr(title) table=table name=name>
            {move || {
                load_state(report.get(), T::NoData, retry, move |_| {
                    view! { <BarChart bars=bars axis=tr(T::WinRateAxis) /> }.into_any()
                })
            }}
        </ChartCard>
    }
}
