use lejek_domain::analytics::{FunnelReport, FunnelStep, Step};
use lejek_domain::{Language, Status};
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::bar_chart::BarChart;
use crate::components::chart_card::ChartCard;
use crate::components::load_state::load_state;
use crate::figures::{Bar, Cell, FigureTable, FigureView, headers, ratio};
use crate::i18n::{T, format_count, format_percent, tr, use_i18n};

/// A step's name: its stage's, or its status's.
pub fn step_label(step: Step, language: Language) -> String {
    match step.stage() {
        Some(stage) => stage.label(language).to_owned(),
        None => step.status().label(language).to_owned(),
    }
}

/// The resigned cases whose furthest step is `row`'s (none for `acquired`).
fn dropped_at(report: &FunnelReport, row: &FunnelStep) -> Option<u64> {
    report
        .resigned_at
        .iter()
        .find(|at| at.status == row.status && at.stage == row.stage)
        .map(|at| at.count)
}

fn bars(report: &FunnelReport, language: Language) -> Vec<Bar> {
    report
        .steps
        .iter()
        .zip(Step::ALL)
        .map(|(row, step)| {
            let dropped = dropped_at(report, row).unwrap_or_default();
            let mut text = format_count(row.reached, language);
            if let Some(conversion) = ratio(&row.conversion) {
                text.push_str(&format!(" · {}", format_percent(conversion, language)));
            }
            Bar {
                label: step_label(step, language),
                value: row.reached as f64,
                part: dropped as f64,
                text,
                href: None,
            }
        })
        .collect()
}

fn table(report: &FunnelReport, language: Language) -> FigureTable {
    FigureTable {
        headers: headers(&[T::Step, T::Reached, T::Conversion, T::DroppedOut], language),
        rows: report
            .steps
            .iter()
            .zip(Step::ALL)
            .map(|(row, step)| {
                let dropped = dropped_at(report, row);
                vec![
                    Cell::text(step_label(step, language)),
                    Cell::new(format_count(row.reached, language), row.reached.to_string()),
                    Cell::new(
                        ratio(&row.conversion)
                            .map(|share| format_percent(share, language))
                            .unwrap_or_default(),
                        row.conversion.clone().unwrap_or_default(),
                    ),
                    Cell::new(
                        dropped
                            .map(|count| format_count(count, language))
                            .unwrap_or_default(),
                        dropped.map(|count| count.to_string()).unwrap_or_default(),
                    ),
                ]
            })
            .collect(),
    }
}

/// The cohort funnel: the cases created in the period by the furthest step
/// each reached, the conversion between steps, where the resigned ones
/// dropped out (darker), and where the cohort stands now.
#[component]
pub fn FunnelFigure(
    report: LocalResource<Result<FunnelReport, ApiError>>,
    #[prop(into)] view: Signal<FigureView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = move || report.get().and_then(Result::ok);
    let bars = Signal::derive(move || loaded().map(|r| bars(&r, i18n.get())).unwrap_or_default());
    let table = Signal::derive(move || loaded().map(|r| table(&r, i18n.get())).unwrap_or_default());
    // The cohort now, each group linked to the pipeline: created in the
    // period, in the group's statuses.
    let now_link = move |statuses: Vec<Status>| {
        let current = view.get();
        current.pipeline_href(|filters| {
            filters.created_from = Some(current.from);
            filters.created_to = Some(current.to);
            filters.status = statuses;
        })
    };
    let retry = Callback::new(move |_| report.refetch());
    view! {
        <ChartCard title=tr(T::FunnelChart) table=table name="funnel">
            {move || {
                load_state(report.get(), T::NoData, retry, move |report: FunnelReport| {
                    let language = i18n.get();
                    let open = Status::ALL.iter().copied().filter(|status| status.is_open()).collect::<Vec<_>>();
                    let groups = [
                        (T::Cohort, report.cohort, None),
                        (T::OpenNow, report.now.open, Some(open)),
                        (T::ResignedNow, report.now.resigned, Some(vec![Status::Resigned])),
                        (T::AcquiredNow, report.now.acquired, Some(vec![Status::Acquired])),
                    ];
                    view! {
                        <BarChart bars=bars axis=tr(T::FunnelAxis) />
                        <ul class="figure-totals" data-testid="funnel-now">
                            {groups
                                .into_iter()
                                .map(|(label, count, statuses)| {
                                    let shown = format_count(count, language);
                                    let number = match statuses {
                                        Some(statuses) => {
                                            view! { <a href=now_link(statuses) data-value=count.to_string()>{shown}</a> }
                                                .into_any()
                                        }
                                        None => view! { <strong data-value=count.to_string()>{shown}</strong> }.into_any(),
                                    };
                                    view! { <li>{label.text(language)}": " {number}</li> }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                })
            }}
        </ChartCard>
    }
}
