use lejek_domain::{Column, ColumnSetting};
use leptos::prelude::*;

use crate::components::popover::Popover;
use crate::i18n::{T, tr, use_i18n};

/// Which columns show, and in what order: a checkbox and two move buttons
/// per column (the keyboard alternative to dragging the headers).
#[component]
pub fn ColumnChooser(columns: RwSignal<Vec<ColumnSetting>>) -> impl IntoView {
    let i18n = use_i18n();
    let label = Signal::derive(move || T::Columns.text(i18n.get()).to_owned());
    let order =
        Memo::new(move |_| columns.with(|columns| columns.iter().map(|c| c.column).collect::<Vec<_>>()));
    let shift = move |column: Column, delta: isize| {
        columns.update(|columns| {
            let Some(from) = columns.iter().position(|c| c.column == column) else {
                return;
            };
            let to = from as isize + delta;
            if (0..columns.len() as isize).contains(&to) {
                columns.swap(from, to as usize);
            }
        });
        crate::browser::focus(&format!(
            "[data-testid='column-{}-{}']",
            column.as_str(),
            if delta < 0 { "up" } else { "down" }
        ));
    };
    let items = move || order.get().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <Popover label=label testid="columns" align_end=true>
            <p class="popover-help">{tr(T::ColumnsHelp)}</p>
            <ul class="column-list" data-testid="column-list">
                <For each=items key=|(index, column)| (*index, *column) let:item>
                    {
                        let (index, column) = item;
                        let id = format!("column-toggle-{}", column.as_str());
                        let last = move || order.with(|o| index + 1 == o.len());
                        view! {
                            <li>
                                <input
                                    type="checkbox"
                                    id=id.clone()
                                    data-testid=format!("column-{}-visible", column.as_str())
                                    prop:checked=move || columns.with(|c| c.iter().any(|s| s.column == column && s.visible))
                                    on:change=move |event| {
                                        let on = event_target_checked(&event);
                                        columns.update(|c| {
                                            if let Some(setting) = c.iter_mut().find(|s| s.column == column) {
                                                setting.visible = on;
                                            }
                                        });
                                    }
                                />
                                <label for=id>{move || column.label(i18n.get())}</label>
                                <button
                                    type="button"
                                    class="icon-button"
                                    data-testid=format!("column-{}-up", column.as_str())
                                    aria-label=move || format!("{}: {}", T::MoveUp.text(i18n.get()), column.label(i18n.get()))
                                    disabled=index == 0
                                    on:click=move |_| shift(column, -1)
                                >
                                    "↑"
                                </button>
                                <button
                                    type="button"
                                    class="icon-button"
                                    data-testid=format!("column-{}-down", column.as_str())
                                    aria-label=move || format!("{}: {}", T::MoveDown.text(i18n.get()), column.label(i18n.get()))
                                    disabled=last
                                    on:click=move |_| shift(column, 1)
                                >
                                    "↓"
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </Popover>
    }
}
