use lejek_domain::ImportField;
use lejek_domain::dto::ImportPreview;
use leptos::prelude::*;

use crate::i18n::{T, tr, use_i18n};

/// The first rows of a file under its header, a field picker on each
/// column, and each row's errors as the chosen mapping gives them.
#[component]
pub fn ImportPreviewTable(
    preview: ImportPreview,
    mapping: RwSignal<Vec<Option<ImportField>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let header = preview.import.header.clone();
    let picker = move |column: usize| {
        view! {
            <select
                data-testid="column-field"
                aria-label=move || format!("{}: {}", T::ColumnField.text(i18n.get()), column + 1)
                on:change=move |event| {
                    let chosen = event_target_value(&event).parse::<ImportField>().ok();
                    mapping.update(|mapping| {
                        if let Some(slot) = mapping.get_mut(column) {
                            *slot = chosen;
                        }
                    });
                }
            >
                <option value="" selected=move || mapping.get().get(column).copied().flatten().is_none()>
                    {tr(T::SkipColumn)}
                </option>
                {ImportField::ALL.iter().map(|field| view! {
                    <option value=field.as_str() selected=move || mapping.get().get(column).copied().flatten() == Some(*field)>
                        {move || field.label(i18n.get())}
                    </option>
                }).collect_view()}
            </select>
        }
    };
    let rows = preview.rows.into_iter().map(|row| {
        let errors = row.errors.clone();
        let bad_columns: Vec<u32> = errors.iter().filter_map(|error| error.column).collect();
        let ok = errors.is_empty();
        view! {
            <tr class:row-refused=!ok data-testid="preview-row">
                <td class="num">{row.row}</td>
                {row.cells.into_iter().enumerate().map(|(column, cell)| {
                    let bad = bad_columns.contains(&(column as u32));
                    view! { <td class:cell-error=bad>{cell}</td> }
                }).collect_view()}
                <td data-testid="row-errors">
                    {if ok {
                        view! { <span class="ok">{tr(T::RowOk)}</span> }.into_any()
                    } else {
                        let header = header.clone();
                        view! {
                            <ul class="row-errors">
                                {errors.into_iter().map(|error| {
                                    let column = error.column.and_then(|column| header.get(column as usize).cloned());
                                    let code = error.code;
                                    view! {
                                        <li data-code=code.as_str()>
                                            {column.map(|name| format!("{name}: "))}
                                            {move || code.label(i18n.get())}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    }}
                </td>
            </tr>
        }
    }).collect_view();
    view! {
        <div class="table-scroll">
            <table class="data-table import-preview" data-testid="import-preview">
                <thead>
                    <tr>
                        <th class="num">{tr(T::RowNumber)}</th>
                        {preview.import.header.iter().enumerate().map(|(column, name)| view! {
                            <th>
                                <div class="column-name">{name.clone()}</div>
                                {picker(column)}
                            </th>
                        }).collect_view()}
                        <th>{tr(T::ErrorTitle)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
