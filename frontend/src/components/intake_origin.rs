use lejek_domain::dto::CaseIntake;
use lejek_domain::{IntakeChannel, Role};
use leptos::prelude::*;

use crate::api::use_api;
use crate::i18n::use_i18n;

/// How a case came in (a file import, a web form, an e-mail), linked to
/// where that intake is seen: the import for anyone who may open it, the
/// admin's form or mail screen for an admin.
#[component]
pub fn IntakeOrigin(intake: CaseIntake) -> impl IntoView {
    let api = use_api();
    let i18n = use_i18n();
    let admin = api.me().is_some_and(|me| me.role == Role::Admin);
    let href = match intake.channel {
        IntakeChannel::Import => intake.import_id.map(|id| format!("/imports/{id}")),
        IntakeChannel::WebForm if admin => Some("/admin/forms".to_owned()),
        IntakeChannel::Email if admin => Some("/admin/mail".to_owned()),
        _ => None,
    };
    let number = intake
        .import_id
        .or(intake.web_form_id)
        .or(intake.inbound_mail_id)
        .map(|id| format!(" #{id}"))
        .unwrap_or_default();
    let label = move || format!("{}{number}", intake.channel.label(i18n.get()));
    match href {
        Some(href) => view! { <a href=href data-testid="intake-link">{label}</a> }.into_any(),
        None => view! { <span>{label}</span> }.into_any(),
    }
}
