use lejek_domain::dto::InboundMailDto;
use leptos::prelude::*;

use crate::i18n::{T, format_datetime_short, tr, use_i18n};

/// The latest inbound messages, newest first, each with what became of it
/// and the case it made or joined.
#[component]
pub fn InboundMailLog(mails: Vec<InboundMailDto>) -> impl IntoView {
    let i18n = use_i18n();
    if mails.is_empty() {
        return view! { <p class="card-body muted" data-testid="no-inbound-mail">{tr(T::NoInboundMail)}</p> }
            .into_any();
    }
    let row = move |mail: InboundMailDto| {
        let outcome = mail.outcome;
        let detail = mail.detail.clone();
        let channel = mail.channel;
        let case = mail.case_id.zip(mail.case_number).map(|(id, number)| {
            view! { <a href=format!("/cases/{id}") data-testid="inbound-mail-case">{format!("#{number}")}</a> }
        });
        view! {
            <tr data-testid="inbound-mail-row">
                <td>{move || format_datetime_short(mail.received_at, i18n.get())}</td>
                <td>{move || channel.label(i18n.get())}</td>
                <td>{mail.sender.clone().unwrap_or_else(|| "—".to_owned())}</td>
                <td>{mail.subject.clone()}</td>
                <td class=format!("outcome-{}", outcome.as_str()) data-testid="inbound-mail-outcome" data-outcome=outcome.as_str()>
                    {move || match &detail {
                        Some(detail) => format!("{} ({detail})", outcome.label(i18n.get())),
                        None => outcome.label(i18n.get()).to_owned(),
                    }}
                    {mail.duplicate.then(|| view! { <span class="muted">{" · "}{tr(T::DuplicateMail)}</span> })}
                </td>
                <td>{case}</td>
            </tr>
        }
    };
    view! {
        <div class="table-scroll">
            <table class="data-table mail-log" data-testid="inbound-mails">
                <thead>
                    <tr>
                        <th>{tr(T::ReceivedAt)}</th>
                        <th>{tr(T::MailChannelLabel)}</th>
                        <th>{tr(T::MailSender)}</th>
                        <th>{tr(T::Subject)}</th>
                        <th>{tr(T::MailOutcomeLabel)}</th>
                        <th>{tr(T::CaseTitle)}</th>
                    </tr>
                </thead>
                <tbody>{mails.into_iter().map(row).collect_view()}</tbody>
            </table>
        </div>
    }
    .into_any()
}
