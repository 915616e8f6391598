use std::sync::Arc;

use lejek_domain::dto::CaseRow;
use lejek_domain::{CaseId, Column, ColumnSetting, Direction, RowHeight, SortField, SortKey, Tab};
use leptos::ev;
use leptos::html::Div;
use leptos::prelude::*;

use crate::browser;
use crate::components::status_badge::StatusBadge;
use crate::i18n::{T, format_date, format_datetime, format_datetime_short, tr, use_i18n};

/// The step, in pixels, of resizing a column with the keyboard.
const RESIZE_STEP: i32 = 20;

/// The column a table column sorts on; phone, qualifier and spam do not sort.
pub fn sort_field(column: Column) -> Option<SortField> {
    column.as_str().parse().ok()
}

/// Whether a column shows: chosen visible, or the follow-up date in the
/// Offered tab, which is read by it.
pub fn is_shown(setting: &ColumnSetting, tab: Tab) -> bool {
    setting.visible || (setting.column == Column::FollowUpAt && tab == Tab::Offered)
}

/// Moves `column` past its next shown neighbour in the direction of `delta`.
pub fn move_column(columns: &mut Vec<ColumnSetting>, column: Column, delta: isize, tab: Tab) {
    let Some(from) = columns.iter().position(|c| c.column == column) else {
        return;
    };
    let mut to = from as isize;
    loop {
        to += delta;
        if to < 0 || to >= columns.len() as isize {
            return;
        }
        if is_shown(&columns[to as usize], tab) {
            break;
        }
    }
    let setting = columns.remove(from);
    columns.insert(to as usize, setting);
}

/// Puts `dragged` where `target` is: after it when coming from the left.
fn drop_column(columns: &mut Vec<ColumnSetting>, dragged: Column, target: Column) {
    if dragged == target {
        return;
    }
    let (Some(from), Some(at)) = (
        columns.iter().position(|c| c.column == dragged),
        columns.iter().position(|c| c.column == target),
    ) else {
        return;
    };
    let setting = columns.remove(from);
    let at = if from < at { at } else { at.min(columns.len()) };
    columns.insert(at, setting);
}

fn resize(columns: &mut [ColumnSetting], column: Column, width: i32) {
    if let Some(setting) = columns.iter_mut().find(|c| c.column == column) {
        let range = lejek_domain::COLUMN_WIDTHS;
        setting.width = width.clamp(i32::from(*range.start()), i32::from(*range.end())) as u16;
    }
}

/// The pipeline table: sortable, reorderable (drag a header, or Alt+arrows
/// on it) and resizable (drag a header's right edge, or Alt+Shift+arrows)
/// columns, keyed rows, spam toggles.
#[component]
pub fn CaseTable(
    #[prop(into)] rows: Signal<Vec<CaseRow>>,
    columns: RwSignal<Vec<ColumnSetting>>,
    #[prop(into)] row_height: Signal<RowHeight>,
    #[prop(into)] tab: Signal<Tab>,
    #[prop(into)] sort: Signal<Vec<SortKey>>,
    marked: RwSignal<Vec<CaseId>>,
    #[prop(into)] spam_list: Signal<bool>,
    #[prop(into)] busy: Signal<bool>,
    on_sort: Callback<SortField>,
    on_scroll: Callback<()>,
    scroller: NodeRef<Div>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let visible = Memo::new(move |_| {
        let tab = tab.get();
        columns.with(|columns| {
            columns
                .iter()
                .filter(|setting| is_shown(setting, tab))
                .map(|setting| setting.column)
                .collect::<Vec<_>>()
        })
    });
    let width_of = move |column: Column| {
        columns.with(|columns| {
            columns
                .iter()
                .find(|c| c.column == column)
                .map(|c| c.width)
                .unwrap_or(150)
        })
    };
    let total_width = move || {
        visible
            .get()
            .into_iter()
            .map(|c| u32::from(width_of(c)))
            .sum::<u32>()
    };

    // Resizing with the mouse: the grab point, then window-wide moves.
    let resizing = StoredValue::new(None::<(Column, i32, u16)>);
    let move_listener = window_event_listener(ev::mousemove, move |event| {
        if let Some((column, start_x, start_width)) = resizing.get_value() {
            let width = i32::from(start_width) + event.client_x() - start_x;
            columns.update(|columns| resize(columns, column, width));
        }
    });
    let up_listener = window_event_listener(ev::mouseup, move |_| {
        if resizing.get_value().is_some() {
            resizing.set_value(None);
        }
    });
    on_cleanup(move || {
        move_listener.remove();
        up_listener.remove();
    });

    let dragging = RwSignal::new(None::<Column>);
    let drop_target = RwSignal::new(None::<Column>);

    let sort_state = move |column: Column| -> Option<&'static str> {
        let field = sort_field(column)?;
        Some(match sort.with(|keys| keys.first().copied()) {
            Some(key) if key.field == field && key.direction == Direction::Asc => "ascending",
            Some(key) if key.field == field => "descending",
            _ => "none",
        })
    };

    let header_cell = move |column: Column| {
        let keys = move |event: ev::KeyboardEvent| {
            if !event.alt_key() {
                return;
            }
            let delta = match event.key().as_str() {
                "ArrowLeft" => -1,
                "ArrowRight" => 1,
                _ => return,
            };
            event.prevent_default();
            if event.shift_key() {
                let width = i32::from(width_of(column)) + delta as i32 * RESIZE_STEP;
                columns.update(|columns| resize(columns, column, width));
            } else {
                let tab = tab.get_untracked();
                columns.update(|columns| move_column(columns, column, delta, tab));
                request_animation_frame(move || {
                    crate::browser::focus(&format!("th[data-col='{}'] .th-focus", column.as_str()));
                });
            }
        };
        let label = move || column.label(i18n.get());
        let inner = match sort_field(column) {
            Some(field) => view! {
                <button
                    type="button"
                    class="th-button th-focus"
                    title=label
                    data-testid=format!("sort-{}", column.as_str())
                    on:click=move |_| on_sort.run(field)
                    on:keydown=keys
                >
                    <span class="th-text">{label}</span>
                    <span class="sort-icon" aria-hidden="true">
                        {move || match sort_state(column) {
                            Some("ascending") => "▲",
                            Some("descending") => "▼",
                            _ => "↕",
                        }}
                    </span>
                </button>
            }
            .into_any(),
            None => view! {
                <span class="th-text th-focus" tabindex="0" on:keydown=keys>
                    {label}
                </span>
            }
            .into_any(),
        };
        view! {
            <th
                scope="col"
                data-col=column.as_str()
                data-testid=format!("header-{}", column.as_str())
                aria-sort=move || sort_state(column)
                draggable="true"
                class:dragging=move || dragging.get() == Some(column)
                class:droptarget=move || drop_target.get() == Some(column) && dragging.get() != Some(column)
                on:dragstart=move |event: ev::DragEvent| {
                    dragging.set(Some(column));
                    if let Some(transfer) = event.data_transfer() {
                        let _ = transfer.set_data("text/plain", column.as_str());
                        transfer.set_effect_allowed("move");
                    }
                }
                on:dragover=move |event: ev::DragEvent| {
                    if dragging.get_untracked().is_some() {
                        event.prevent_default();
                        if drop_target.get_untracked() != Some(column) {
                            drop_target.set(Some(column));
                        }
                    }
                }
                on:drop=move |event: ev::DragEvent| {
                    event.prevent_default();
                    if let Some(dragged) = dragging.get_untracked() {
                        columns.update(|columns| drop_column(columns, dragged, column));
                    }
                    dragging.set(None);
                    drop_target.set(None);
                }
                on:dragend=move |_| {
                    dragging.set(None);
                    drop_target.set(None);
                }
            >
                <div class="th-inner">
                    {inner}
                    <span
                        class="resize-handle"
                        aria-hidden="true"
                        data-testid=format!("resize-{}", column.as_str())
                        on:mousedown=move |event: ev::MouseEvent| {
                            event.prevent_default();
                            event.stop_propagation();
                            resizing.set_value(Some((column, event.client_x(), width_of(column))));
                        }
                        on:click=move |event: ev::MouseEvent| event.stop_propagation()
                    ></span>
                </div>
            </th>
        }
    };

    let now = browser::now();
    let cell = move |column: Column, row: Arc<CaseRow>| -> AnyView {
        let dash = || view! { <span class="muted">"—"</span> }.into_any();
        let text = |value: Option<String>| match value {
            Some(value) if !value.is_empty() => {
                let title = value.clone();
                view! { <span title=title>{value}</span> }.into_any()
            }
            _ => dash(),
        };
        match column {
            Column::Number => view! {
                <a class="case-link mono" href=format!("/cases/{}", row.id) data-testid="case-number">
                    {row.number}
                </a>
            }
            .into_any(),
            Column::Subject => {
                let subject = row.subject.clone();
                let title = subject.clone();
                view! {
                    <a class="case-link" href=format!("/cases/{}", row.id) title=title data-testid="case-subject">
                        {subject}
                    </a>
                }
                .into_any()
            }
            Column::Source => {
                let source = row.source;
                view! { <span>{move || source.label(i18n.get())}</span> }.into_any()
            }
            Column::Status => view! { <StatusBadge status=row.status /> }.into_any(),
            Column::Stage => match row.stage {
                Some(stage) => view! { <span>{move || stage.label(i18n.get())}</span> }.into_any(),
                None => dash(),
            },
            Column::CreatedAt => {
                let at = row.created_at;
                view! {
                    <span class="nowrap" title=move || format_datetime(at, i18n.get())>
                        {move || format_datetime_short(at, i18n.get())}
                    </span>
                }
                .into_any()
            }
            Column::ExpectedCloseDate => {
                let day = row.expected_close_date;
                view! { <span class="nowrap">{move || format_date(day, i18n.get())}</span> }.into_any()
            }
            Column::FollowUpAt => match row.follow_up_at {
                Some(at) => {
                    let overdue = move || tab.get() == Tab::Offered && at < now;
                    view! {
                        <span class="nowrap" class:overdue-text=overdue title=move || format_datetime(at, i18n.get())>
                            {move || format_datetime_short(at, i18n.get())}
                        </span>
                        <Show when=overdue>
                            <span class="badge overdue" data-testid="overdue">{tr(T::Overdue)}</span>
                        </Show>
                    }
                    .into_any()
                }
                None => dash(),
            },
            Column::Contact => {
                let name = row.contact.name.clone();
                let title = name.clone();
                view! {
                    <a href=format!("/contacts/{}", row.contact.id) title=title data-testid="contact-link">
                        {name}
                    </a>
                }
                .into_any()
            }
            Column::Company => text(row.company.clone()),
            Column::Email => text(row.email.clone()),
            Column::Phone => text(row.phone.clone()),
            Column::Qualifier => text(row.qualifier.as_ref().map(|q| q.name.clone())),
            Column::Owner => match &row.owner {
                Some(owner) => text(Some(owner.name.clone())),
                None => view! { <span class="muted">{tr(T::Unassigned)}</span> }.into_any(),
            },
            Column::Spam => {
                let id = row.id;
                let number = row.number;
                view! {
                    <input
                        type="checkbox"
                        class="spam-toggle"
                        data-testid="spam-toggle"
                        aria-label=move || {
                            let what = if spam_list.get() { T::RestoreToFunnel } else { T::MarkAsSpam };
                            format!("{} #{number}", what.text(i18n.get()))
                        }
                        prop:checked=move || marked.with(|marked| marked.contains(&id))
                        on:change=move |event| {
                            let on = event_target_checked(&event);
                            marked.update(|marked| {
                                marked.retain(|m| *m != id);
                                if on {
                                    marked.push(id);
                                }
                            });
                        }
                    />
                }
                .into_any()
            }
        }
    };

    let row_items = move || rows.get().into_iter().map(Arc::new).collect::<Vec<_>>();
    view! {
        <div
            class="table-scroll"
            class:busy=move || busy.get()
            node_ref=scroller
            data-testid="table-scroll"
            on:scroll=move |_| on_scroll.run(())
        >
            <table
                class=move || format!("cases rows-{}", row_height.get().as_str())
                style:width=move || format!("{}px", total_width())
                data-testid="cases-table"
            >
                <colgroup>
                    <For each=move || visible.get() key=|column| *column let:column>
                        <col style:width=move || format!("{}px", width_of(column)) />
                    </For>
                </colgroup>
                <thead>
                    <tr>
                        <For each=move || visible.get() key=|column| *column let:column>
                            {header_cell(column)}
                        </For>
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=row_items
                        key=|row| (row.id, row.version)
                        let:row
                    >
                        {
                            let id = row.id;
                            let follow_up = row.follow_up_at;
                            let number = row.number;
                            view! {
                                <tr
                                    data-testid="case-row"
                                    data-case=number
                                    class:overdue=move || {
                                        tab.get() == Tab::Offered && follow_up.is_some_and(|at| at < now)
                                    }
                                    class:marked=move || marked.with(|marked| marked.contains(&id))
                                >
                                    <For each=move || visible.get() key=|column| *column let:column>
                                        <td class=format!("col-{}", column.as_str())>{cell(column, row.clone())}</td>
                                    </For>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
            {children()}
        </div>
    }
}
