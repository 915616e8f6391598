//! The admin's e-mail intake: where the leads that arrive by mail go, how
//! mail reaches Lejek, and the latest messages with what became of them.

use leptos::prelude::*;

use crate::api::use_api;
use crate::browser;
use crate::components::error_note::ErrorNote;
use crate::components::inbound_mail_log::InboundMailLog;
use crate::components::loading::Loading;
use crate::components::mail_delivery_info::MailDeliveryInfo;
use crate::components::mail_intake_editor::MailIntakeEditor;
use crate::i18n::{T, tr, use_i18n};

#[component]
pub fn MailIntakePage() -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    Effect::new(move |_| browser::set_title(&format!("{} · Lejek", T::MailIntakeTitle.text(i18n.get()))));
    let settings = LocalResource::new(move || async move { api.mail_intake().await });
    let mails = LocalResource::new(move || async move { api.inbound_mails().await });
    let saved = Callback::new(move |_| settings.refetch());
    view! {
        <div class="content" data-testid="mail-intake-page">
            <div class="page-head">
                <h1>{tr(T::MailIntakeTitle)}</h1>
                <button type="button" class="button" data-testid="refresh-inbound-mail" on:click=move |_| mails.refetch()>
                    {tr(T::Refresh)}
                </button>
            </div>
            <p class="muted">{tr(T::MailIntakeLead)}</p>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || settings.get().map(|loaded| match loaded {
                    Err(error) => view! { <ErrorNote error=error /> }.into_any(),
                    Ok(settings) => view! {
                        <MailIntakeEditor settings=settings.clone() on_saved=saved />
                        <MailDeliveryInfo settings />
                    }
                    .into_any(),
                })}
            </Suspense>
            <section class="card">
                <div class="card-body"><h2>{tr(T::InboundMailTitle)}</h2></div>
                <Suspense fallback=|| view! { <Loading /> }>
                    {move || mails.get().map(|loaded| match loaded {
                        Err(error) => view! { <ErrorNote error=error /> }.into_any(),
                        Ok(list) => view! { <InboundMailLog mails=list /> }.into_any(),
                    })}
                </Suspense>
            </section>
        </div>
    }
}
