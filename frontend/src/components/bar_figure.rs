use lejek_domain::Language;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::bar_chart::BarChart;
use crate::components::chart_card::ChartCard;
use crate::components::load_state::load_state;
use crate::figures::{Bar, FigureTable, FigureView};
use crate::i18n::{T, tr, use_i18n};

/// How a report is drawn as bars and told as a table.
pub struct BarShape<R: 'static> {
    pub title: T,
    pub axis: T,
    /// The CSV file's name and the card's test id.
    pub name: &'static str,
    pub bars: fn(&R, &FigureView, Language) -> Vec<Bar>,
    pub table: fn(&R, Language) -> FigureTable,
}

/// A figure drawn as horizontal bars, with its table and CSV.
#[component]
pub fn BarFigure<R: Clone + Send + Sync + 'static>(
    report: LocalResource<Result<R, ApiError>>,
    shape: BarShape<R>,
    #[prop(into)] view: Signal<FigureView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let BarShape {
        title,
        axis,
        name,
        bars,
        table,
    } = shape;
    let loaded = move || report.get().and_then(Result::ok);
    let drawn = Signal::derive(move || {
        loaded()
            .map(|report| bars(&report, &view.get(), i18n.get()))
            .unwrap_or_default()
    });
    let told = Signal::derive(move || {
        loaded()
            .map(|report| table(&report, i18n.get()))
            .unwrap_or_default()
    });
    let retry = Callback::new(move |_| report.refetch());
    view! {
        <ChartCard title=tr(title) table=told name=name>
            {move || {
                load_state(report.get(), T::NoData, retry, move |_| {
                    view! { <BarChart bars=drawn axis=tr(axis) /> }.into_any()
                })
            }}
        </ChartCard>
    }
}
