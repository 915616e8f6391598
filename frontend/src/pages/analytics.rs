//! The funnel's figures ("Analityka"): the period and the pipeline's
//! filters on top, kept in the URL; a chart per figure, each with its
//! numbers as a table and a CSV; the Team table for managers.

use lejek_domain::analytics::{DurationsReport, ForecastReport, FunnelReport, ResignationsReport};
use lejek_domain::dto::OutcomesBody;
use lejek_domain::{PipelineQuery, Role};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use serde::de::DeserializeOwned;

use crate::api::{Api, ApiError, use_api};
use crate::browser;
use crate::components::bar_figure::BarFigure;
use crate::components::filter_bar::FilterBar;
use crate::components::forecast_figure::ForecastFigure;
use crate::components::funnel_figure::FunnelFigure;
use crate::components::period_picker::PeriodPicker;
use crate::components::team_table::TeamTable;
use crate::figures::FigureView;
use crate::i18n::{T, tr, use_i18n};
use crate::shapes;

/// A figure's report, fetched again whenever the period or filters change.
fn figure<R: DeserializeOwned + 'static>(
    api: Api,
    view: Memo<FigureView>,
    figure: &'static str,
    extra: &'static str,
) -> LocalResource<Result<R, ApiError>> {
    LocalResource::new(move || {
        let current = view.get();
        let query = match figure {
            "forecast" => format!("months=6&{}", current.api_query(false)),
            _ => format!("{}{extra}", current.api_query(true)),
        };
        async move { api.figure::<R>(figure, &query).await }
    })
}

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let location = use_location();
    let navigate = StoredValue::new_local(use_navigate());
    Effect::new(move |_| browser::set_title(&format!("{} · Lejek", T::NavAnalytics.text(i18n.get()))));

    let view = Memo::new(move |_| FigureView::from_search(&location.search.get(), browser::today()));
    let go = Callback::new(move |next: FigureView| {
        navigate.with_value(|navigate| {
            navigate(
                &next.href(),
                NavigateOptions {
                    scroll: false,
                    ..NavigateOptions::default()
                },
            )
        })
    });
    let filter_query = Signal::derive(move || PipelineQuery {
        filters: view.get().filters,
        ..PipelineQuery::default()
    });
    let set_filters = Callback::new(move |query: PipelineQuery| {
        go.run(FigureView {
            filters: query.filters,
            ..view.get_untracked()
        })
    });
    let manager = Memo::new(move |_| api.me().is_some_and(|me| me.role != Role::Agent));

    let funnel = figure::<FunnelReport>(api, view, "funnel", "");
    let by_source = figure::<OutcomesBody>(api, view, "outcomes", "&group_by=source");
    let by_owner = figure::<OutcomesBody>(api, view, "outcomes", "&group_by=owner");
    let durations = figure::<DurationsReport>(api, view, "durations", "");
    let forecast = figure::<ForecastReport>(api, view, "forecast", "");
    let reasons = figure::<ResignationsReport>(api, view, "resignations", "");

    // Every chart has its answer (the browser tests wait for this).
    let settled = move || {
        funnel.get().is_some()
            && by_source.get().is_some()
            && by_owner.get().is_some()
            && durations.get().is_some()
            && forecast.get().is_some()
            && reasons.get().is_some()
    };
    view! {
        <div class="content analytics-page" data-testid="analytics-page" data-settled=move || settled().to_string()>
            <header class="page-head">
                <h1>{tr(T::AnalyticsTitle)}</h1>
                <PeriodPicker view=view on_change=go />
            </header>
            <FilterBar query=filter_query on_change=set_filters funnel_only=true />
            <div class="chart-grid">
                <FunnelFigure report=funnel view=view />
                <ForecastFigure report=forecast view=view />
                <BarFigure report=by_source shape=shapes::win_rate_by_source() view=view />
                <BarFigure report=by_owner shape=shapes::win_rate_by_owner() view=view />
                <BarFigure report=by_source shape=shapes::sales_cycle() view=view />
                <BarFigure report=durations shape=shapes::time_per_stage() view=view />
                <BarFigure report=reasons shape=shapes::resignation_reasons() view=view />
            </div>
            <Show when=move || manager.get()>
                <TeamTable view=view />
            </Show>
        </div>
    }
}
