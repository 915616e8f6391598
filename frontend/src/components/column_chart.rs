use leptos::prelude::*;

use crate::browser;
use crate::i18n::{T, tr};

/// One column: a full value with, darker, a part of it (the weighted
/// value), or a past month's actual value.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The column's key (`2026-12`, `overdue`), for tests and tools.
    pub key: String,
    pub label: String,
    pub value: f64,
    pub part: Option<f64>,
    /// A past month's actual result rather than a plan.
    pub actual: bool,
    /// The exact numbers, for the tooltip and the label.
    pub text: String,
    pub href: Option<String>,
}

const HEIGHT: f64 = 240.0;
const BASE: f64 = 200.0;
const SLOT: f64 = 46.0;

/// Vertical columns to scale, past months and plans side by side.
#[component]
pub fn ColumnChart(
    #[prop(into)] columns: Signal<Vec<Column>>,
    #[prop(into)] axis: Signal<&'static str>,
) -> impl IntoView {
    let chart = move || {
        let columns = columns.get();
        let highest = columns.iter().map(|column| column.value).fold(0.0_f64, f64::max);
        if columns.is_empty() || highest <= 0.0 {
            return view! { <p class="chart-empty">{tr(T::NoData)}</p> }.into_any();
        }
        let width = SLOT * columns.len() as f64 + 20.0;
        let scale = (BASE - 30.0) / highest;
        let drawn = columns
            .into_iter()
            .enumerate()
            .map(|(index, column)| {
                let x = 10.0 + SLOT * index as f64;
                let height = column.value * scale;
                let part = column.part.map(|part| part * scale).unwrap_or_default();
                let class = if column.actual { "column-actual" } else { "column-fill" };
                let linked = column.href.is_some();
                let (click, key) = browser::link_actions(column.href.clone());
                view! {
                    <g
                        class=if linked { "column linked" } else { "column" }
                        data-value=column.value.to_string()
                        data-part=column.part.map(|p| p.to_string())
                        data-key=column.key.clone()
                        role=linked.then_some("link")
                        tabindex=linked.then_some("0")
                        on:click=click
                        on:keydown=key
                    >
                        <title>{format!("{}: {}", column.label, column.text)}</title>
                        // The whole slot answers the pointer, however short the column.
                        <rect x=x y="0" width=SLOT height=HEIGHT - 20.0 class="hit" />
                        <rect x=x + 6.0 y=BASE - height width=SLOT - 12.0 height=height rx="3" class=class />
                        <rect x=x + 6.0 y=BASE - part width=SLOT - 12.0 height=part rx="3" class="column-part" />
                        <text x=x + SLOT / 2.0 y=BASE + 16.0 text-anchor="middle" class="column-label">{column.label.clone()}</text>
                    </g>
                }
            })
            .collect_view();
        view! {
            <svg class="column-chart" viewBox=format!("0 0 {width} {HEIGHT}") role="img" aria-label=move || axis.get()>
                <line x1="10" x2=width - 10.0 y1=BASE y2=BASE class="axis" />
                {drawn}
                <text x="10" y=HEIGHT - 6.0 class="axis-label">{move || axis.get()}</text>
            </svg>
        }
        .into_any()
    };
    view! { <div class="chart chart-scroll">{chart}</div> }
}
