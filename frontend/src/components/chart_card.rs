use leptos::prelude::*;

use crate::components::figure_table::FigureTableView;
use crate::figures::FigureTable;
use crate::i18n::{T, tr};

/// A chart with its title, a switch to its numbers as a table, and its
/// numbers as a CSV file.
#[component]
pub fn ChartCard(
    #[prop(into)] title: Signal<&'static str>,
    #[prop(into)] table: Signal<FigureTable>,
    /// The CSV file's name, without `.csv`; also the card's test id.
    name: &'static str,
    children: ChildrenFn,
) -> impl IntoView {
    let as_table = RwSignal::new(false);
    let csv_href = move || {
        let csv = table.get().to_csv();
        format!(
            "data:text/csv;charset=utf-8,{}",
            js_sys::encode_uri_component(&csv)
        )
    };
    let heading = format!("{name}-title");
    let labelled_by = heading.clone();
    view! {
        <section class="chart-card" data-testid=format!("figure-{name}") aria-labelledby=labelled_by>
            <header class="chart-head">
                <h2 id=heading>{move || title.get()}</h2>
                <div class="chart-actions">
                    <button
                        type="button"
                        class="button ghost small"
                        aria-pressed=move || as_table.get().to_string()
                        data-testid="toggle-table"
                        on:click=move |_| as_table.update(|shown| *shown = !*shown)
                    >
                        {move || if as_table.get() { tr(T::ShowAsChart)() } else { tr(T::ShowAsTable)() }}
                    </button>
                    <a
                        class="button ghost small"
                        href=csv_href
                        download=format!("lejek-{name}.csv")
                        data-testid="download-csv"
                    >
                        {tr(T::DownloadCsv)}
                    </a>
                </div>
            </header>
            <Show when=move || as_table.get() fallback=move || children()>
                <FigureTableView table=table />
            </Show>
        </section>
    }
}
