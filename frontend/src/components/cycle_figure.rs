use lejek_domain::Language;
use lejek_domain::dto::OutcomesBody;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::bar_chart::BarChart;
use crate::components::chart_card::ChartCard;
use crate::components::load_state::load_state;
use crate::components::win_rate_figure::group_label;
use crate::figures::{Bar, Cell, FigureTable};
use crate::i18n::{T, format_count, format_days, tr, use_i18n};

fn bars(body: &OutcomesBody, language: Language) -> Vec<Bar> {
    body.groups
        .iter()
        .filter_map(|group| {
            let median = group.figures.cycle.median?;
            Some(Bar {
                label: group_label(&group.key, &group.name, language),
                value: median as f64 / 86_400.0,
                part: 0.0,
                text: format_days(median, language),
                href: None,
            })
        })
        .collect()
}

fn table(body: &OutcomesBody, language: Language) -> FigureTable {
    let seconds = |value: Option<i64>| {
        Cell::new(
            value.map(|secs| format_days(secs, language)).unwrap_or_default(),
            value.map(|secs| secs.to_string()).unwrap_or_default(),
        )
    };
    FigureTable {
        headers: [T::Source, T::Count, T::Median, T::P75, T::Mean]
            .map(|key| key.text(language).to_owned())
            .to_vec(),
        rows: body
            .groups
            .iter()
            .map(|group| {
                let cycle = group.figures.cycle;
                vec![
                    Cell::new(
                        group_label(&group.key, &group.name, language),
                        group.key.clone().unwrap_or_default(),
                    ),
                    Cell::new(format_count(cycle.count, language), cycle.count.to_string()),
                    seconds(cycle.median),
                    seconds(cycle.p75),
                    seconds(cycle.mean),
                ]
            })
            .collect(),
    }
}

/// The sales cycle (creation to acquisition) of the cases won in the
/// period, per source.
#[component]
pub fn CycleFigure(report: LocalResource<Result<OutcomesBody, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = move || report.get().and_then(Result::ok);
    let bars = Signal::derive(move || loaded().map(|r| bars(&r, i18n.get())).unwrap_or_default());
    let table = Signal::derive(move || loaded().map(|r| table(&r, i18n.get())).unwrap_or_default());
    let retry = Callback::new(move |_| report.refetch());
    view! {
        <ChartCard title=tr(T::CycleChart) table=table name="cycle">
            {move || {
                load_state(report.get(), T::NoData, retry, move |_| {
                    view! { <BarChart bars=bars axis=tr(T::CycleAxis) /> }.into_any()
                })
            }}
        </ChartCard>
    }
}
