use lejek_domain::Language;
use lejek_domain::analytics::ResignationsReport;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::bar_chart::BarChart;
use crate::components::chart_card::ChartCard;
use crate::components::load_state::load_state;
use crate::figures::{Bar, Cell, FigureTable};
use crate::i18n::{T, format_count, format_percent, tr, use_i18n};

fn bars(report: &ResignationsReport, language: Language) -> Vec<Bar> {
    report
        .reasons
        .iter()
        .map(|reason| Bar {
            label: reason.reason.clone(),
            value: reason.count as f64,
            part: 0.0,
            text: format!(
                "{} ({})",
                format_count(reason.count, language),
                format_percent(reason.count as f64 / report.total.max(1) as f64, language)
            ),
            href: None,
        })
        .collect()
}

fn table(report: &ResignationsReport, language: Language) -> FigureTable {
    FigureTable {
        headers: [T::Reason, T::Count]
            .map(|key| key.text(language).to_owned())
            .to_vec(),
        rows: report
            .reasons
            .iter()
            .map(|reason| {
                vec![
                    Cell::text(reason.reason.clone()),
                    Cell::new(format_count(reason.count, language), reason.count.to_string()),
                ]
            })
            .collect(),
    }
}

/// Why the cases resigned in the period were lost, most frequent first.
#[component]
pub fn ReasonsFigure(report: LocalResource<Result<ResignationsReport, ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = move || report.get().and_then(Result::ok);
    let bars = Signal::derive(move || loaded().map(|r| bars(&r, i18n.get())).unwrap_or_default());
    let table = Signal::derive(move || loaded().map(|r| table(&r, i18n.get())).unwrap_or_default());
    let retry = Callback::new(move |_| report.refetch());
    view! {
        <ChartCard title=tr(T::ReasonsChart) table=table name="reasons">
            {move || {
                load_state(report.get(), T::NoData, retry, move |_| {
                    view! { <BarChart bars=bars axis=tr(T::ReasonsAxis) /> }.into_any()
                })
            }}
        </ChartCard>
    }
}
