//! Reading an inbound e-mail (spec `intake.md`, section 3): one RFC 5322
//! message in any charset and transfer encoding, reduced to what a lead or a
//! note needs, with what marks it as machine mail.

use std::fmt;

use chrono::{DateTime, Utc};
use mail_parser::{HeaderValue, MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

/// The most text a message contributes; the rest is cut (a note holds
/// 10,000 characters, with room for the header lines).
const MAX_TEXT_CHARS: usize = 9_000;

/// Why a message is not a person writing: it creates nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MachineMail {
    /// `Auto-Submitted` other than `no` (RFC 3834): vacation replies, robots.
    AutoSubmitted,
    /// `Precedence: bulk`, `junk` or `list`.
    Bulk,
    /// A mailing list's message (`List-Id`).
    List,
    /// A delivery report: a null sender, `MAILER-DAEMON`, or
    /// `multipart/report`.
    Bounce,
}

impl MachineMail {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AutoSubmitted => "auto_submitted",
            Self::Bulk => "bulk",
            Self::List => "list",
            Self::Bounce => "bounce",
        }
    }
}

/// The message's author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    /// Lower-cased.
    pub email: String,
    pub name: Option<String>,
}

/// An inbound message as Lejek files it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundMail {
    /// Its `Message-ID` without the angle brackets, or, when it has none,
    /// one derived from its bytes (so the same message twice is still one).
    pub message_id: String,
    /// The messages it answers: `In-Reply-To` then `References`, nearest
    /// first, without angle brackets.
    pub answers: Vec<String>,
    pub sender: Option<Sender>,
    /// The subject, whitespace collapsed; empty when it has none.
    pub subject: String,
    /// The case number a `[#1234]` in the subject names.
    pub case_tag: Option<u64>,
    /// The text body (an HTML-only message reduced to text), trimmed.
    pub text: String,
    /// The names of its attachments.
    pub attachments: Vec<String>,
    pub machine: Option<MachineMail>,
    pub date: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailError {
    /// Nothing in it reads as a message's headers.
    NotAMessage,
}

impl fmt::Display for MailError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("the data is not an RFC 5322 message")
    }
}

impl std::error::Error for MailError {}

fn without_brackets(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_owned()
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => vec![without_brackets(id)],
        HeaderValue::TextList(list) => list.iter().map(|id| without_brackets(id)).collect(),
        _ => Vec::new(),
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `1234` of the first `[#1234]` in a subject.
pub fn case_tag(subject: &str) -> Option<u64> {
    subject.match_indices("[#").find_map(|(at, _)| {
        let rest = &subject[at + 2..];
        let end = rest.find(']')?;
        let digits = &rest[..end];
        (!digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|byte| byte.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
    })
}

/// The text without trailing blank space on its lines and without runs of
/// more than one empty line, cut to [`MAX_TEXT_CHARS`].
fn tidy(text: &str) -> String {
    let mut tidy = String::new();
    let mut blank_lines = 0;
    for line in text.replace("\r\n", "\n").lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_lines += 1;
            if blank_lines > 1 {
                continue;
            }
        } else {
            blank_lines = 0;
        }
        tidy.push_str(line);
        tidy.push('\n');
    }
    let tidy = tidy.trim().replace('\0', "");
    if tidy.chars().count() > MAX_TEXT_CHARS {
        tidy.chars().take(MAX_TEXT_CHARS).collect::<String>() + "\n[…]"
    } else {
        tidy
    }
}

fn header_text<'a>(message: &'a mail_parser::Message<'_>, name: &'static str) -> Option<&'a str> {
    message.header(name).and_then(HeaderValue::as_text).map(str::trim)
}

fn machine_mail(message: &mail_parser::Message<'_>, sender: Option<&Sender>) -> Option<MachineMail> {
    if header_text(message, "Auto-Submitted").is_some_and(|value| {
        !value
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .eq_ignore_ascii_case("no")
    }) {
        return Some(MachineMail::AutoSubmitted);
    }
    if header_text(message, "Precedence").is_some_and(|value| {
        ["bulk", "junk", "list"]
            .iter()
            .any(|kind| value.eq_ignore_ascii_case(kind))
    }) {
        return Some(MachineMail::Bulk);
    }
    if message.header("List-Id").is_some() {
        return Some(MachineMail::List);
    }
    let null_return_path = message
        .header_raw("Return-Path")
        .is_some_and(|path| path.trim() == "<>");
    let daemon = sender.is_none_or(|sender| {
        let local = sender.email.split('@').next().unwrap_or_default();
        local.eq_ignore_ascii_case("mailer-daemon") || local.eq_ignore_ascii_case("postmaster")
    });
    let report = message.root_part().content_type().is_some_and(|kind| {
        kind.ctype().eq_ignore_ascii_case("multipart")
            && kind
                .subtype()
                .is_some_and(|sub| sub.eq_ignore_ascii_case("report"))
    });
    (null_return_path || daemon || report).then_some(MachineMail::Bounce)
}

/// Reads one message.
pub fn read_mail(raw: &[u8]) -> Result<InboundMail, MailError> {
    let message = MessageParser::default()
        .parse(raw)
        .filter(|message| !message.root_part().headers.is_empty())
        .ok_or(MailError::NotAMessage)?;
    let sender = message.from().and_then(|from| from.first()).and_then(|address| {
        let email = address.address()?.trim().to_lowercase();
        email.contains('@').then(|| Sender {
            email,
            name: address.name().map(collapse).filter(|name| !name.is_empty()),
        })
    });
    let message_id = message
        .message_id()
        .map(without_brackets)
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| {
            let digest = Sha256::digest(raw);
            let hex: String = digest.iter().take(16).map(|byte| format!("{byte:02x}")).collect();
            format!("{hex}@no-message-id.lejek.invalid")
        });
    let mut answers = ids(message.in_reply_to());
    for reference in ids(message.references()).into_iter().rev() {
        if !answers.contains(&reference) {
            answers.push(reference);
        }
    }
    answers.retain(|id| !id.is_empty());
    let subject = collapse(message.subject().unwrap_or_default());
    let text = message.body_text(0).map(|text| tidy(&text)).unwrap_or_default();
    let attachments = message
        .attachments()
        .map(|part| part.attachment_name().unwrap_or("attachment").to_owned())
        .collect();
    let date = message
        .date()
        .and_then(|date| DateTime::from_timestamp(date.to_timestamp(), 0));
    Ok(InboundMail {
        machine: machine_mail(&message, sender.as_ref()),
        message_id,
        answers,
        case_tag: case_tag(&subject),
        subject,
        sender,
        text,
        attachments,
        date,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(headers: &str, body: &str) -> InboundMail {
        read_mail(
            format!("{headers}\r\n\r\n{body}")
                .replace('\n', "\r\n")
                .replace("\r\r", "\r")
                .as_bytes(),
        )
        .unwrap()
    }

    const PERSON: &str = "From: Jan Kowalski <Jan.Kowalski@Firma.pl>\nTo: sprzedaz@lejek.pl\nSubject: Zapytanie o  ofertę\nMessage-ID: <abc@firma.pl>\nDate: Mon, 7 Dec 2026 09:30:00 +0100";

    #[test]
    fn a_plain_message_gives_its_sender_subject_and_text() {
        let read = mail(PERSON, "Dzień dobry,\n\n\n\nproszę o ofertę.  \n");
        assert_eq!(
            read.sender,
            Some(Sender {
                email: "jan.kowalski@firma.pl".to_owned(),
                name: Some("Jan Kowalski".to_owned())
            })
        );
        assert_eq!(read.message_id, "abc@firma.pl");
        assert_eq!(read.subject, "Zapytanie o ofertę");
        assert_eq!(read.text, "Dzień dobry,\n\nproszę o ofertę.");
        assert_eq!(read.machine, None);
        assert_eq!(read.date.unwrap().to_rfc3339(), "2026-12-07T08:30:00+00:00");
    }

    #[test]
    fn a_reply_names_what_it_answers_nearest_first() {
        let read = mail(
            &format!("{PERSON}\nIn-Reply-To: <b@x>\nReferences: <a@x> <b@x>"),
            "ok",
        );
        assert_eq!(read.answers, vec!["b@x".to_owned(), "a@x".to_owned()]);
    }

    #[test]
    fn the_case_tag_is_the_first_bracketed_number() {
        assert_eq!(case_tag("Re: Oferta [#1234] [#99]"), Some(1234));
        assert_eq!(case_tag("[#] [#12a] [#7]"), Some(7));
        assert_eq!(case_tag("#1234"), None);
        assert_eq!(case_tag("[#99999999999999999999]"), None);
    }

    #[test]
    fn machine_mail_is_recognised_by_its_headers() {
        let cases = [
            ("Auto-Submitted: auto-replied", Some(MachineMail::AutoSubmitted)),
            ("Auto-Submitted: no", None),
            ("Precedence: bulk", Some(MachineMail::Bulk)),
            ("Precedence: JUNK", Some(MachineMail::Bulk)),
            ("List-Id: <sales.lists.firma.pl>", Some(MachineMail::List)),
            ("Return-Path: <>", Some(MachineMail::Bounce)),
        ];
        for (header, expected) in cases {
            assert_eq!(
                mail(&format!("{PERSON}\n{header}"), "x").machine,
                expected,
                "{header}"
            );
        }
        let daemon = mail(
            "From: Mail Delivery System <MAILER-DAEMON@mx.firma.pl>\nSubject: Undelivered",
            "x",
        );
        assert_eq!(daemon.machine, Some(MachineMail::Bounce));
        let anonymous = mail("Subject: no sender", "x");
        assert_eq!(anonymous.machine, Some(MachineMail::Bounce));
    }

    #[test]
    fn a_message_without_an_id_gets_one_from_its_bytes() {
        let first = mail("From: a@b.pl\nSubject: x", "body");
        let again = mail("From: a@b.pl\nSubject: x", "body");
        let other = mail("From: a@b.pl\nSubject: x", "other body");
        assert_eq!(first.message_id, again.message_id);
        assert_ne!(first.message_id, other.message_id);
        assert!(first.message_id.ends_with("@no-message-id.lejek.invalid"));
    }

    #[test]
    fn long_text_is_cut() {
        let read = mail(PERSON, &"słowo ".repeat(3_000));
        assert!(read.text.chars().count() <= MAX_TEXT_CHARS + 4);
        assert!(read.text.ends_with("[…]"));
    }

    #[test]
    fn garbage_is_not_a_message() {
        assert_eq!(read_mail(b""), Err(MailError::NotAMessage));
    }
}
