use lejek_domain::OwnerFilter;
use lejek_domain::analytics::TeamRow;
use lejek_domain::dto::TeamBody;
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::load_state::load_state;
use crate::figures::{FigureView, amount, ratio};
use crate::i18n::{T, format_count, format_days, format_money, format_percent, tr, use_i18n};

/// The columns the table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortColumn {
    Owner,
    Open,
    Overdue,
    Stale,
    Acquired,
    Resigned,
    WinRate,
    Cycle,
    Moves,
}

impl SortColumn {
    const ALL: [(SortColumn, T); 9] = [
        (SortColumn::Owner, T::Owner),
        (SortColumn::Open, T::Open),
        (SortColumn::Overdue, T::OverdueFollowUps),
        (SortColumn::Stale, T::Stale),
        (SortColumn::Acquired, T::Won),
        (SortColumn::Resigned, T::Lost),
        (SortColumn::WinRate, T::WinRate),
        (SortColumn::Cycle, T::CycleMedian),
        (SortColumn::Moves, T::Moves),
    ];

    fn key(self, row: &TeamRow) -> (i64, String) {
        let number = |value: u64| (value as i64, String::new());
        match self {
            SortColumn::Owner => (0, row.owner.as_ref().map(|o| o.name.clone()).unwrap_or_default()),
            SortColumn::Open => number(row.open),
            SortColumn::Overdue => number(row.overdue_follow_ups),
            SortColumn::Stale => number(row.stale),
            SortColumn::Acquired => number(row.acquired),
            SortColumn::Resigned => number(row.resigned),
            SortColumn::WinRate => (
                (ratio(&row.win_rate).unwrap_or(-1.0) * 10_000.0) as i64,
                String::new(),
            ),
            SortColumn::Cycle => (row.cycle_median.unwrap_or(-1), String::new()),
            SortColumn::Moves => number(row.moves),
        }
    }
}

/// The manager's table: each owner's open work and results in the period,
/// sortable by any column, each owner linked to their pipeline.
#[component]
pub fn TeamTable(#[prop(into)] view: Signal<FigureView>) -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let report = LocalResource::new(move || {
        let query = view.get().api_query(true);
        async move { api.figure::<TeamBody>("team", &query).await }
    });
    let sort = RwSignal::new((SortColumn::Owner, false));
    let retry = Callback::new(move |_| report.refetch());
    let header = move |column: SortColumn, label: T| {
        let state = move || match sort.get() {
            (current, false) if current == column => "ascending",
            (current, true) if current == column => "descending",
            _ => "none",
        };
        view! {
            <th scope="col" aria-sort=state>
                <button
                    type="button"
                    class="sort-button"
                    on:click=move |_| sort.update(|(current, descending)| {
                        *descending = *current == column && !*descending;
                        *current = column;
                    })
                >
                    {tr(label)}
                </button>
            </th>
        }
    };
    let body = move |mut rows: Vec<TeamRow>| {
        let (column, descending) = sort.get();
        rows.sort_by_key(|row| column.key(row));
        if descending {
            rows.reverse();
        }
        let language = i18n.get();
        let current = view.get();
        rows.into_iter()
            .map(|row| {
                let owner = match &row.owner {
                    Some(owner) => {
                        let id = owner.id;
                        let href = current.pipeline_href(|f| f.owner = Some(OwnerFilter::User(id)));
                        view! { <a href=href data-testid="team-owner">{owner.name.clone()}</a> }.into_any()
                    }
                    None => {
                        let href = current.pipeline_href(|f| f.owner = Some(OwnerFilter::Unassigned));
                        view! { <a href=href data-testid="team-owner">{T::Unassigned.text(language)}</a> }.into_any()
                    }
                };
                let count = |value: u64| view! { <td data-raw=value.to_string()>{format_count(value, language)}</td> };
                let value = row
                    .acquired_value
                    .iter()
                    .map(|sum| format_money(amount(&sum.amount), &sum.currency, language))
                    .collect::<Vec<_>>()
                    .join("; ");
                view! {
                    <tr>
                        <th scope="row">{owner}</th>
                        {count(row.open)}
                        {count(row.overdue_follow_ups)}
                        {count(row.stale)}
                        <td data-raw=row.acquired.to_string()>
                            {format_count(row.acquired, language)}
                            <span class="muted">{if value.is_empty() { String::new() } else { format!(" · {value}") }}</span>
                        </td>
                        {count(row.resigned)}
                        <td data-raw=row.win_rate.clone().unwrap_or_default()>
                            {ratio(&row.win_rate).map(|share| format_percent(share, language)).unwrap_or_default()}
                        </td>
                        <td data-raw=row.cycle_median.map(|s| s.to_string()).unwrap_or_default()>
                            {row.cycle_median.map(|secs| format_days(secs, language)).unwrap_or_default()}
                        </td>
                        {count(row.moves)}
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <section class="chart-card team-card" data-testid="figure-team" aria-labelledby="team-title">
            <header class="chart-head">
                <h2 id="team-title">{tr(T::TeamTitle)}</h2>
            </header>
            {move || {
                load_state(report.get(), T::NoData, retry, move |team: TeamBody| {
                    view! {
                        <div class="figure-table-wrap">
                            <table class="figure-table team-table" data-testid="team-table">
                                <thead>
                                    <tr>
                                        {SortColumn::ALL
                                            .into_iter()
                                            .map(|(column, label)| header(column, label))
                                            .collect_view()}
                                    </tr>
                                </thead>
                                <tbody>{move || body(team.rows.clone())}</tbody>
                            </table>
                        </div>
                    }
                    .into_any()
                })
            }}
        </section>
    }
}
