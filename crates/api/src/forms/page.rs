//! The form page the embed snippet frames: plain HTML with no script, the
//! honeypot hidden by the page's own stylesheet, a fresh token, and the
//! sites allowed to frame it named in its CSP.

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use html_escape::{encode_double_quoted_attribute as attribute, encode_text as text};
use lejek_domain::dto::FormSubmission;
use lejek_domain::{FormField, Language, Violation};
use lejek_store::WebFormRecord;
use sha2::{Digest, Sha256};

const STYLE: &str = "body{margin:0;font:15px/1.4 system-ui,-apple-system,\"Segoe UI\",Arial,sans-serif;color:#172033;background:#fff}\
form,.sent{max-width:520px;padding:16px}label{display:block;margin:0 0 12px;font-weight:600}\
input,textarea{box-sizing:border-box;width:100%;margin-top:4px;padding:8px 10px;border:1px solid #cdd5e1;border-radius:6px;font:inherit}\
textarea{min-height:120px}button{padding:9px 18px;border:0;border-radius:6px;background:#2456d6;color:#fff;font:inherit;font-weight:600;cursor:pointer}\
.error{display:block;margin-top:4px;color:#c62f3a;font-weight:400}.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}";

/// The `style-src` source of [`STYLE`]: its hash, so no other inline style runs.
fn style_source() -> &'static str {
    static SOURCE: OnceLock<String> = OnceLock::new();
    SOURCE.get_or_init(|| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(STYLE))))
}

/// The page's CSP: nothing but its own style and a post to this server,
/// framed only by the form's sites.
pub fn content_security_policy(form: &WebFormRecord) -> String {
    let ancestors = if form.origins.is_empty() {
        "'self'".to_owned()
    } else {
        format!("'self' {}", form.origins.join(" "))
    };
    format!(
        "default-src 'none'; style-src {}; form-action 'self'; base-uri 'none'; frame-ancestors {ancestors}",
        style_source()
    )
}

fn words(language: Language) -> [&'static str; 4] {
    match language {
        Language::Pl => [
            "Wyślij",
            "Dziękujemy! Odezwiemy się wkrótce.",
            "Nie wypełniaj tego pola",
            "Formularz jest nieaktywny.",
        ],
        Language::En => [
            "Send",
            "Thank you! We will be in touch soon.",
            "Leave this field empty",
            "This form is not active.",
        ],
    }
}

fn value_of(submission: &FormSubmission, field: FormField) -> &str {
    match field {
        FormField::Name => submission.name.as_deref(),
        FormField::Email => submission.email.as_deref(),
        FormField::Phone => submission.phone.as_deref(),
        FormField::Company => submission.company.as_deref(),
        FormField::Subject => submission.subject.as_deref(),
        FormField::Message => submission.message.as_deref(),
    }
    .unwrap_or_default()
}

fn input(field: FormField, value: &str, error: Option<&str>, language: Language) -> String {
    let name = field.as_str();
    let label = text(field.label(language));
    let error = error
        .map(|message| format!("<span class=\"error\" role=\"alert\">{}</span>", text(message)))
        .unwrap_or_default();
    let control = match field {
        FormField::Message => format!(
            "<textarea name=\"{name}\" maxlength=\"10000\">{}</textarea>",
            text(value)
        ),
        _ => {
            let (kind, autocomplete) = match field {
                FormField::Email => ("email", "email"),
                FormField::Phone => ("tel", "tel"),
                FormField::Name => ("text", "name"),
                FormField::Company => ("text", "organization"),
                _ => ("text", "off"),
            };
            format!(
                "<input type=\"{kind}\" name=\"{name}\" autocomplete=\"{autocomplete}\" maxlength=\"200\" value=\"{}\">",
                attribute(value)
            )
        }
    };
    format!("<label>{label}{control}{error}</label>")
}

/// The page: the form, or the thanks once sent.
pub fn render(
    form: &WebFormRecord,
    language: Language,
    token: &str,
    sent: bool,
    values: &FormSubmission,
    errors: &[Violation],
) -> String {
    let [send, thanks, honeypot, inactive] = words(language);
    let body = if sent {
        format!("<p class=\"sent\" role=\"status\">{}</p>", text(thanks))
    } else if !form.active {
        format!("<p class=\"sent\">{}</p>", text(inactive))
    } else {
        let fields: String = form
            .fields
            .iter()
            .map(|field| {
                let error = errors
                    .iter()
                    .find(|violation| violation.field == field.as_str())
                    .map(|violation| violation.code.label(language));
                input(*field, value_of(values, *field), error, language)
            })
            .collect();
        format!(
            "<form method=\"post\" action=\"/api/v1/forms/{key}/submissions?lang={lang}\">{fields}\
             <div class=\"hp\" aria-hidden=\"true\"><label>{honeypot}<input type=\"text\" name=\"website\" tabindex=\"-1\" autocomplete=\"off\"></label></div>\
             <input type=\"hidden\" name=\"token\" value=\"{token}\"><button type=\"submit\">{send}</button></form>",
            key = attribute(&form.key),
            lang = language.code(),
            token = attribute(token),
            honeypot = text(honeypot),
            send = text(send),
        )
    };
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <style>{STYLE}</style></head><body>{body}</body></html>",
        lang = language.code(),
        title = text(&form.name),
    )
}
