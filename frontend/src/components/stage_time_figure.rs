use lejek_domain::Language;
use lejek_domain::analytics::{DurationStats, DurationsReport, StayFigures};
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::bar_chart::BarChart;
use crate::components::chart_card::ChartCard;
use crate::components::load_state::load_state;
use crate::figures::{Bar, Cell, FigureTable, FigureView};
use crate::i18n::{T, format_count, format_days, tr, use_i18n};

fn place_label(row: &StayFigures, language: Language) -> String {
    match row.stage {
        Some(stage) => stage.label(language).to_owned(),
        None => row.status.label(language).to_owned(),
    }
}

/// The statuses without stages, then every stage: where a case sits.
fn places(report: &DurationsReport) -> impl Iterator<Item = &StayFigures> {
    report
        .statuses
        .iter()
        .filter(|row| row.status.stages().is_empty())
        .chain(&report.stages)
}

fn bars(report: &DurationsReport, view: &FigureView, language: Language) -> Vec<Bar> {
    places(report)
        .map(|row| {
            let median = row.left.median.unwrap_or_default();
            let (status, stage) = (row.status, row.stage);
            Bar {
                label: place_label(row, language),
                value: median as f64 / 86_400.0,
                part: 0.0,
                text: row
                    .left
                    .median
                    .map(|secs| format_days(secs, language))
                    .unwrap_or_else(|| "—".to_owned()),
                // The cases sitting there now.
                href: Some(view.pipeline_href(|filters| {
                    filters.status = vec![status];
                    filters.stage = stage.into_iter().collect();
                })),
            }
        })
        .collect()
}

fn table(report: &DurationsReport, language: Language) -> FigureTable {
    let seconds = |value: Option<i64>| {
        Cell::new(
            value.map(|secs| format_days(secs, language)).unwrap_or_default(),
            value.map(|secs| secs.to_string()).unwrap_or_default(),
        )
    };
    let count =
        |stats: &DurationStats| Cell::new(format_count(stats.count, language), stats.count.to_string());
    FigureTable {
        headers: [
            T::Stage,
            T::Count,
            T::Median,
            T::P75,
            T::Mean,
            T::SittingNow,
            T::AgeMedian,
        ]
        .map(|key| key.text(language).to_owned())
        .to_vec(),
        rows: report
            .statuses
            .iter()
            .chain(&report.stages)
            .map(|row| {
                vec![
                    Cell::new(
                        place_label(row, language),
                        row.stage
                            .map_or_else(|| row.status.as_str(), |stage| stage.as_str()),
                    ),
                    count(&row.left),
                    seconds(row.left.median),
                    seconds(row.left.p75),
                    seconds(row.left.mean),
                    count(&row.current),
                    seconds(row.current.median),
                ]
            })
            .collect(),
    }
}

/// How long cases stay in each status and stage: the median of the stays
/// that ended in the period; each bar opens the cases sitting there now.
#[component]
pub fn StageTimeFigure(
    report: LocalResource<Result<DurationsReport, ApiError>>,
    #[prop(into)] view: Signal<FigureView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = move || report.get().and_then(Result::ok);
    let bars = Signal::derive(move || {
        loaded()
            .map(|r| bars(&r, &view.get(), i18n.get()))
            .unwrap_or_default()
    });
    let table = Signal::derive(move || loaded().map(|r| table(&r, i18n.get())).unwrap_or_default());
    let retry = Callback::new(move |_| report.refetch());
    view! {
        <ChartCard title=tr(T::StageChart) table=table name="stages">
            {move || {
                load_state(report.get(), T::NoData, retry, move |_| {
                    view! { <BarChart bars=bars axis=tr(T::StageAxis) /> }.into_any()
                })
            }}
        </ChartCard>
    }
}
