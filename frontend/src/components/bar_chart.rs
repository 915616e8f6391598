use leptos::prelude::*;

use crate::browser;
use crate::figures::Bar;
use crate::i18n::{T, tr};

/// Height of one bar's row, in SVG units.
const ROW: f64 = 30.0;
/// Room for the labels on the left and the numbers on the right.
const LABEL: f64 = 190.0;
const NUMBER: f64 = 150.0;
const WIDTH: f64 = 760.0;

/// Horizontal bars, longest to scale, each with its label, its exact number
/// and, where a pipeline filter expresses the cases behind it, a link.
#[component]
pub fn BarChart(
    #[prop(into)] bars: Signal<Vec<Bar>>,
    /// What the bars' length measures (the axis's label).
    #[prop(into)]
    axis: Signal<&'static str>,
) -> impl IntoView {
    let chart = move || {
        let bars = bars.get();
        if bars.is_empty() {
            return view! { <p class="chart-empty">{tr(T::NoData)}</p> }.into_any();
        }
        let longest = bars
            .iter()
            .map(|bar| bar.value)
            .fold(0.0_f64, f64::max)
            .max(f64::EPSILON);
        let span = WIDTH - LABEL - NUMBER;
        let height = ROW * bars.len() as f64 + 24.0;
        let rows = bars
            .into_iter()
            .enumerate()
            .map(|(index, bar)| {
                let y = ROW * index as f64;
                let length = (bar.value / longest * span).max(if bar.value > 0.0 { 2.0 } else { 0.0 });
                let part = (bar.part / longest * span).min(length);
                let title = format!("{}: {}", bar.label, bar.text);
                let linked = bar.href.is_some();
                let (click, key) = browser::link_actions(bar.href.clone());
                view! {
                    <g
                        class=if linked { "bar linked" } else { "bar" }
                        data-value=bar.value.to_string()
                        data-label=bar.label.clone()
                        role=linked.then_some("link")
                        tabindex=linked.then_some("0")
                        on:click=click
                        on:keydown=key
                    >
                        <title>{title}</title>
                        // The whole row answers the pointer, however short the bar.
                        <rect x="0" y=y width=WIDTH height=ROW class="hit" />
                        <text x=LABEL - 8.0 y=y + ROW / 2.0 class="bar-label" text-anchor="end" dominant-baseline="middle">
                            {bar.label.clone()}
                        </text>
                        <rect x=LABEL y=y + 5.0 width=length height=ROW - 10.0 rx="3" class="bar-fill" />
                        <rect x=LABEL + length - part y=y + 5.0 width=part height=ROW - 10.0 rx="3" class="bar-part" />
                        <text x=LABEL + length + 6.0 y=y + ROW / 2.0 class="bar-number" dominant-baseline="middle">
                            {bar.text.clone()}
                        </text>
                    </g>
                }
            })
            .collect_view();
        view! {
            <svg
                class="bar-chart"
                viewBox=format!("0 0 {WIDTH} {height}")
                role="img"
                aria-label=move || axis.get()
                preserveAspectRatio="xMinYMin meet"
            >
                {rows}
                <text x=LABEL y=height - 6.0 class="axis-label">{move || axis.get()}</text>
            </svg>
        }
        .into_any()
    };
    view! { <div class="chart">{chart}</div> }
}
