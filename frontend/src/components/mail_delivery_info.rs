use lejek_domain::dto::MailIntakeDto;
use leptos::prelude::*;

use crate::i18n::{T, format_datetime, tr, use_i18n};

/// The ways mail reaches Lejek: a mail gateway posting to the delivery
/// address, `lejek intake-mail` behind a pipe, and this server's IMAP
/// polling with how its last poll went.
#[component]
pub fn MailDeliveryInfo(settings: MailIntakeDto) -> impl IntoView {
    let i18n = use_i18n();
    let curl = format!(
        "curl -X POST {} \\\n  -H 'authorization: Bearer <klucz / key>' \\\n  -H 'content-type: message/rfc822' --data-binary @message.eml",
        settings.delivery_url
    );
    let imap = match settings.imap {
        None => view! { <p class="muted" data-testid="imap-status">{tr(T::ImapOff)}</p> }.into_any(),
        Some(imap) => {
            let mailbox = format!("{}@{} · {}", imap.user, imap.host, imap.mailbox);
            let last_poll = imap.last_poll_at;
            let error = imap.last_error.clone();
            view! {
                <dl class="facts" data-testid="imap-status">
                    <div><dt>{tr(T::ImapMailbox)}</dt><dd>{mailbox}</dd></div>
                    <div>
                        <dt>{tr(T::ImapLastPoll)}</dt>
                        <dd>{move || last_poll.map_or_else(|| "—".to_owned(), |at| format_datetime(at, i18n.get()))}</dd>
                    </div>
                    <div><dt>{tr(T::ImapFiled)}</dt><dd class="num">{imap.filed}</dd></div>
                    {error.map(|error| view! {
                        <div class="imap-error" data-testid="imap-error"><dt>{tr(T::ImapError)}</dt><dd>{error}</dd></div>
                    })}
                </dl>
            }
            .into_any()
        }
    };
    view! {
        <section class="card" data-testid="mail-delivery">
            <div class="card-body">
                <h2>{tr(T::MailGateway)}</h2>
                <p>{tr(T::MailGatewayHow)}</p>
                <label class="field">
                    <span>{tr(T::DeliveryUrl)}</span>
                    <input type="text" readonly data-testid="delivery-url" prop:value=settings.delivery_url.clone() />
                </label>
                <pre class="snippet">{curl}</pre>
                <p>{tr(T::MailPipeHow)}</p>
                <pre class="snippet">"sales: \"|/usr/local/bin/lejek intake-mail\""</pre>
                <h2>{tr(T::ImapPolling)}</h2>
                {imap}
            </div>
        </section>
    }
}
