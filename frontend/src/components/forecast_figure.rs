use chrono::{Days, Months, NaiveDate};
use lejek_domain::Language;
use lejek_domain::Status;
use lejek_domain::analytics::{ForecastReport, MoneySum, MonthKey};
use leptos::prelude::*;

use crate::api::ApiError;
use crate::browser;
use crate::components::chart_card::ChartCard;
use crate::components::column_chart::{Column, ColumnChart};
use crate::components::load_state::load_state;
use crate::figures::{Cell, FigureTable, FigureView, amount, headers};
use crate::i18n::{T, format_count, format_money, format_month, tr, use_i18n};

fn in_currency(sums: &[MoneySum], currency: &str) -> f64 {
    sums.iter()
        .find(|sum| sum.currency == currency)
        .map(|sum| amount(&sum.amount))
        .unwrap_or_default()
}

/// Every currency in the forecast, PLN first when there is any.
fn currencies(report: &ForecastReport) -> Vec<String> {
    let mut found: Vec<String> = report
        .months
        .iter()
        .flat_map(|month| &month.value)
        .chain(report.actual.iter().flat_map(|month| &month.value))
        .map(|sum| sum.currency.clone())
        .collect();
    found.sort_by_key(|currency| (currency != "PLN", currency.clone()));
    found.dedup();
    found
}

fn month_label(month: MonthKey, language: Language) -> String {
    match month {
        MonthKey::Overdue => T::OverdueMonth.text(language).to_owned(),
        MonthKey::Month { year, month } => format_month(year, month, language),
    }
}

/// The open cases planned in a month (or overdue), in the pipeline.
fn month_href(view: &FigureView, month: MonthKey) -> String {
    let today = browser::today();
    let (from, to) = match month {
        MonthKey::Overdue => (None, today.checked_sub_days(Days::new(1))),
        MonthKey::Month { year, month } => {
            let first = NaiveDate::from_ymd_opt(year, month, 1);
            let first_shown = first.map(|first| first.max(today));
            let last = first
                .and_then(|first| first.checked_add_months(Months::new(1)))
                .and_then(|next| next.pred_opt());
            (first_shown, last)
        }
    };
    view.pipeline_href(|filters| {
        filters.status = Status::ALL
            .iter()
            .copied()
            .filter(|status| status.is_open())
            .collect();
        filters.close_from = from;
        filters.close_to = to;
    })
}

fn columns(report: &ForecastReport, currency: &str, view: &FigureView, language: Language) -> Vec<Column> {
    let actual = report.actual.iter().map(|month| {
        let value = in_currency(&month.value, currency);
        Column {
            key: month.month.to_string(),
            label: month_label(month.month, language),
            value,
            part: None,
            actual: true,
            text: format!(
                "{}: {} ({})",
                T::Actual.text(language),
                format_money(value, currency, language),
                format_count(month.acquired, language)
            ),
            href: None,
        }
    });
    let planned = report.months.iter().map(|month| {
        let value = in_currency(&month.value, currency);
        let weighted = in_currency(&month.weighted, currency);
        Column {
            key: month.month.to_string(),
            label: month_label(month.month, language),
            value,
            part: Some(weighted),
            actual: false,
            text: format!(
                "{} {}, {} {} ({})",
                T::FullValue.text(language),
                format_money(value, currency, language),
                T::Weighted.text(language),
                format_money(weighted, currency, language),
                format_count(month.count, language)
            ),
            href: Some(month_href(view, month.month)),
        }
    });
    actual.chain(planned).collect()
}

fn table(report: &ForecastReport, language: Language) -> FigureTable {
    let money = |sums: &[MoneySum]| {
        Cell::new(
            sums.iter()
                .map(|sum| format_money(amount(&sum.amount), &sum.currency, language))
                .collect::<Vec<_>>()
                .join("; "),
            sums.iter()
                .map(|sum| format!("{} {}", sum.amount, sum.currency))
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    let count = |value: u64| Cell::new(format_count(value, language), value.to_string());
    let actual = report.actual.iter().map(|month| {
        vec![
            Cell::new(month_label(month.month, language), month.month.to_string()),
            Cell::text(T::Actual.text(language)),
            count(month.acquired),
            money(&month.value),
            Cell::text(""),
        ]
    });
    let planned = report.months.iter().map(|month| {
        vec![
            Cell::new(month_label(month.month, language), month.month.to_string()),
            Cell::text(T::FullValue.text(language)),
            count(month.count),
            money(&month.value),
            money(&month.weighted),
        ]
    });
    FigureTable {
        headers: headers(
            &[T::Month, T::Status, T::Count, T::FullValue, T::Weighted],
            language,
        ),
        rows: actual.chain(planned).collect(),
    }
}

/// The forecast: open cases by expected close month at full value, the
/// weighted value darker, beside the past months' actual acquisitions.
#[component]
pub fn ForecastFigure(
    report: LocalResource<Result<ForecastReport, ApiError>>,
    #[prop(into)] view: Signal<FigureView>,
) -> impl IntoView {
    let i18n = use_i18n();
    let loaded = move || report.get().and_then(Result::ok);
    let chosen = RwSignal::new(None::<String>);
    let currencies = Memo::new(move |_| loaded().map(|r| currencies(&r)).unwrap_or_default());
    let currency = Signal::derive(move || {
        chosen
            .get()
            .filter(|currency| currencies.get().contains(currency))
            .or_else(|| currencies.get().first().cloned())
            .unwrap_or_else(|| "PLN".to_owned())
    });
    let columns = Signal::derive(move || {
        loaded()
            .map(|r| columns(&r, &currency.get(), &view.get(), i18n.get()))
            .unwrap_or_default()
    });
    let table = Signal::derive(move || loaded().map(|r| table(&r, i18n.get())).unwrap_or_default());
    let retry = Callback::new(move |_| report.refetch());
    view! {
        <ChartCard title=tr(T::ForecastChart) table=table name="forecast">
            <Show when=move || { currencies.get().len() > 1 }>
                <label class="inline-field">
                    <span>{tr(T::Currency)}</span>
                    <select
                        data-testid="forecast-currency"
                        on:change=move |event| chosen.set(Some(event_target_value(&event)))
                        prop:value=move || currency.get()
                    >
                        {move || {
                            currencies
                                .get()
                                .into_iter()
                                .map(|code| view! { <option value=code.clone()>{code.clone()}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
            </Show>
            {move || {
                load_state(report.get(), T::NoData, retry, move |_| {
                    view! { <ColumnChart columns=columns axis=tr(T::ForecastAxis) /> }.into_any()
                })
            }}
        </ChartCard>
    }
}
