use leptos::prelude::*;

use crate::figures::FigureTable;

/// A chart's numbers as a table; each cell carries its raw value.
#[component]
pub fn FigureTableView(#[prop(into)] table: Signal<FigureTable>) -> impl IntoView {
    view! {
        <div class="figure-table-wrap">
            <table class="figure-table" data-testid="figure-table">
                <thead>
                    <tr>
                        {move || {
                            table
                                .get()
                                .headers
                                .into_iter()
                                .map(|header| view! { <th scope="col">{header}</th> })
                                .collect_view()
                        }}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        table
                            .get()
                            .rows
                            .into_iter()
                            .map(|row| {
                                view! {
                                    <tr>
                                        {row
                                            .into_iter()
                                            .map(|cell| view! { <td data-raw=cell.raw>{cell.shown}</td> })
                                            .collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}
