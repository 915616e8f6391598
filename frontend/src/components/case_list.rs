use lejek_domain::dto::CaseRow;
use lejek_domain::{CampaignKind, CaseId};
use leptos::prelude::*;

use crate::components::status_badge::StatusBadge;
use crate::i18n::{T, format_datetime, format_datetime_short, tr, use_i18n};

/// A plain list of cases (contact card, search), with an optional action
/// to bring a SPAM case back to the funnel.
#[component]
pub fn CaseList(
    #[prop(into)] rows: Signal<Vec<CaseRow>>,
    #[prop(optional)] on_restore: Option<Callback<CaseRow>>,
    #[prop(optional, into)] busy: Signal<Vec<CaseId>>,
    #[prop(optional)] show_contact: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let items = move || rows.get();
    view! {
        <div class="table-scroll static">
            <table class="simple-table" data-testid="case-list">
                <colgroup>
                    <col style:width="84px" />
                    <col />
                    {show_contact.then(|| view! { <col style:width="15%" /> })}
                    <col style:width="160px" />
                    <col style:width="120px" />
                    <col style:width="13%" />
                    <col style:width="130px" />
                    {on_restore.is_some().then(|| view! { <col style:width="190px" /> })}
                </colgroup>
                <thead>
                    <tr>
                        <th scope="col">{move || lejek_domain::Column::Number.label(i18n.get())}</th>
                        <th scope="col">{tr(T::Subject)}</th>
                        {show_contact.then(|| view! { <th scope="col">{tr(T::Contact)}</th> })}
                        <th scope="col">{tr(T::Status)}</th>
                        <th scope="col">{tr(T::Campaign)}</th>
                        <th scope="col">{tr(T::Owner)}</th>
                        <th scope="col">{tr(T::CreatedAt)}</th>
                        {on_restore.is_some().then(|| view! { <th scope="col"><span class="sr-only">{tr(T::RestoreToFunnel)}</span></th> })}
                    </tr>
                </thead>
                <tbody>
                    <For each=items key=|row| (row.id, row.version) let:row>
                        {
                            let spam = row.campaign.kind == CampaignKind::Spam;
                            let kind = row.campaign.kind;
                            let id = row.id;
                            let subject = row.subject.clone();
                            let title = subject.clone();
                            let created = row.created_at;
                            let owner = row.owner.as_ref().map(|o| o.name.clone());
                            let contact = row.contact.clone();
                            let restore_row = row.clone();
                            view! {
                                <tr data-testid="case-list-row" data-case=row.number>
                                    <td>
                                        <a class="case-link mono" href=format!("/cases/{id}")>{row.number}</a>
                                    </td>
                                    <td>
                                        <a class="case-link" href=format!("/cases/{id}") title=title>{subject}</a>
                                    </td>
                                    {show_contact.then(|| view! {
                                        <td><a href=format!("/contacts/{}", contact.id)>{contact.name.clone()}</a></td>
                                    })}
                                    <td><StatusBadge status=row.status /></td>
                                    <td>
                                        <span class="badge" class:spam=spam class:funnel=!spam data-testid="campaign-badge">
                                            {move || kind.label(i18n.get())}
                                        </span>
                                    </td>
                                    <td>
                                        {match owner {
                                            Some(name) => view! { <span>{name}</span> }.into_any(),
                                            None => view! { <span class="muted">{tr(T::Unassigned)}</span> }.into_any(),
                                        }}
                                    </td>
                                    <td class="nowrap" title=move || format_datetime(created, i18n.get())>
                                        {move || format_datetime_short(created, i18n.get())}
                                    </td>
                                    {on_restore.map(|restore| {
                                        let row = restore_row.clone();
                                        view! {
                                            <td class="actions">
                                                <Show when=move || spam>
                                                    <button
                                                        type="button"
                                                        class="button small"
                                                        data-testid="restore"
                                                        disabled=move || busy.with(|b| b.contains(&id))
                                                        on:click={
                                                            let row = row.clone();
                                                            move |_| restore.run(row.clone())
                                                        }
                                                    >
                                                        {tr(T::RestoreToFunnel)}
                                                    </button>
                                                </Show>
                                            </td>
                                        }
                                    })}
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </div>
    }
}
