//! Web forms (intake spec §2): what an admin sets up, and how a submission
//! becomes the fields of a new case.

use crate::ids::{QualifierId, UserId};
use crate::source::Source;
use crate::values::{NoteText, PersonName};
use crate::violation::{ViolationCode, Violations};
use crate::wire::wire_enum;

wire_enum! {
    /// Who gets a web form's leads.
    #[derive(Default)]
    pub enum FormAssignment {
        #[default]
        Unassigned => "unassigned", "nieprzypisane (do podjęcia)", "unassigned (to be picked up)";
        RoundRobin => "round_robin", "po kolei wybranym handlowcom", "in turn to the chosen salespeople";
    }
}

wire_enum! {
    /// A field a web form asks for.
    pub enum FormField {
        Name => "name", "Imię i nazwisko", "Name";
        Email => "email", "E-mail", "E-mail";
        Phone => "phone", "Telefon", "Phone";
        Company => "company", "Firma", "Company";
        Subject => "subject", "Temat", "Subject";
        Message => "message", "Wiadomość", "Message";
    }
}

/// The most origins a form may be embedded on.
pub const MAX_FORM_ORIGINS: usize = 20;
/// The longest an expected close date may be put after a submission.
pub const MAX_CLOSE_IN_DAYS: u16 = 730;
/// The longest origin, as sent.
pub const MAX_ORIGIN_CHARS: usize = 300;
/// An origin as [`parse_origin`] takes it: `http` or `https`, host labels
/// of letters, digits and inner hyphens, an optional port 1–65535 and an
/// optional final slash.
pub const ORIGIN_PATTERN: &str = r"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?/?$";

/// A web form's settings as an admin sends them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebFormInput {
    pub name: Option<String>,
    pub origins: Vec<String>,
    pub source: Option<Source>,
    pub qualifier_id: Option<QualifierId>,
    pub assignment: FormAssignment,
    pub agents: Vec<UserId>,
    pub fields: Vec<FormField>,
    pub close_in_days: u16,
    pub active: bool,
}

impl Default for WebFormInput {
    fn default() -> Self {
        WebFormInput {
            name: None,
            origins: Vec::new(),
            source: None,
            qualifier_id: None,
            assignment: FormAssignment::Unassigned,
            agents: Vec::new(),
            fields: vec![
                FormField::Name,
                FormField::Email,
                FormField::Phone,
                FormField::Message,
            ],
            close_in_days: 30,
            active: true,
        }
    }
}

/// Valid web form settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebFormSettings {
    pub name: PersonName,
    /// `scheme://host[:port]`, lower-case, each once.
    pub origins: Vec<String>,
    pub source: Source,
    pub qualifier_id: Option<QualifierId>,
    pub assignment: FormAssignment,
    pub agents: Vec<UserId>,
    pub fields: Vec<FormField>,
    pub close_in_days: u16,
    pub active: bool,
}

/// A browser origin as a page's address gives it (`https://example.pl`,
/// `http://localhost:8080`), lower-cased; no path, query or credentials.
pub fn parse_origin(raw: &str) -> Result<String, ViolationCode> {
    if raw.chars().count() > MAX_ORIGIN_CHARS {
        return Err(ViolationCode::TooLong);
    }
    let origin = raw.trim().trim_end_matches('/').to_ascii_lowercase();
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or(ViolationCode::InvalidValue)?;
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) => {
            (host, Some(port))
        }
        _ => (rest, None),
    };
    let host_ok = !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    let port_ok =
        port.is_none_or(|port| !port.starts_with('0') && port.parse::<u16>().is_ok_and(|port| port > 0));
    if host_ok && port_ok {
        Ok(origin)
    } else {
        Err(ViolationCode::InvalidValue)
    }
}

/// The salespeople of a round robin, each once, and the close date's
/// distance: the rules every intake channel's lead routing shares.
pub(crate) fn check_assignment(
    assignment: FormAssignment,
    chosen: &[UserId],
    close_in_days: u16,
    violations: &mut Violations,
) -> Vec<UserId> {
    let mut agents = Vec::new();
    for agent in chosen {
        if agents.contains(agent) {
            violations.push("agents", ViolationCode::Duplicate);
        } else {
            agents.push(*agent);
        }
    }
    match assignment {
        FormAssignment::RoundRobin if agents.is_empty() => violations.push("agents", ViolationCode::Required),
        FormAssignment::Unassigned if !agents.is_empty() => {
            violations.push("agents", ViolationCode::InvalidValue)
        }
        _ => {}
    }
    if !(1..=MAX_CLOSE_IN_DAYS).contains(&close_in_days) {
        violations.push("close_in_days", ViolationCode::OutOfRange);
    }
    agents
}

impl WebFormSettings {
    pub fn parse(input: WebFormInput) -> Result<WebFormSettings, Violations> {
        let mut violations = Violations::new();
        let name = match input.name.as_deref() {
            None => {
                violations.push("name", ViolationCode::Required);
                None
            }
            Some(raw) => match PersonName::parse(raw) {
                Ok(name) => Some(name),
                Err(code) => {
                    violations.push("name", code);
                    None
                }
            },
        };
        let mut origins = Vec::new();
        if input.origins.len() > MAX_FORM_ORIGINS {
            violations.push("origins", ViolationCode::OutOfRange);
        }
        for raw in &input.origins {
            match parse_origin(raw) {
                Ok(origin) if origins.contains(&origin) => {
                    violations.push("origins", ViolationCode::Duplicate)
                }
                Ok(origin) => origins.push(origin),
                Err(code) => violations.push("origins", code),
            }
        }
        let mut fields = Vec::new();
        for field in &input.fields {
            if fields.contains(field) {
                violations.push("fields", ViolationCode::Duplicate);
            } else {
                fields.push(*field);
            }
        }
        if !fields.contains(&FormField::Email) && !fields.contains(&FormField::Phone) {
            violations.push("fields", ViolationCode::ContactDetailRequired);
        }
        let agents = check_assignment(
            input.assignment,
            &input.agents,
            input.close_in_days,
            &mut violations,
        );
        match name {
            Some(name) if violations.is_empty() => Ok(WebFormSettings {
                name,
                origins,
                source: input.source.unwrap_or(Source::ContactForm),
                qualifier_id: input.qualifier_id,
                assignment: input.assignment,
                agents,
                fields,
                close_in_days: input.close_in_days,
                active: input.active,
            }),
            _ => Err(violations),
        }
    }
}

/// What a person sent through a web form, as the form's fields give it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormAnswers {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company: Option<String>,
    pub subject: Option<String>,
    pub message: Option<String>,
}

impl FormAnswers {
    /// Only the fields the form asks for; blanks as none.
    pub fn asked_by(self, fields: &[FormField]) -> FormAnswers {
        let keep = |field: FormField, value: Option<String>| {
            value
                .map(|text| text.trim().to_owned())
                .filter(|text| !text.is_empty() && fields.contains(&field))
        };
        FormAnswers {
            name: keep(FormField::Name, self.name),
            email: keep(FormField::Email, self.email),
            phone: keep(FormField::Phone, self.phone),
            company: keep(FormField::Company, self.company),
            subject: keep(FormField::Subject, self.subject),
            message: keep(FormField::Message, self.message),
        }
    }

    /// The message as the case's first note, when there is one.
    pub fn note(&self) -> Result<Option<NoteText>, Violations> {
        self.message
            .as_deref()
            .map(NoteText::parse)
            .transpose()
            .map_err(|code| Violations::single("message", code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> WebFormInput {
        WebFormInput {
            name: Some("Kontakt ze strony".to_owned()),
            origins: vec!["https://Firma.PL/".to_owned(), "http://localhost:8080".to_owned()],
            fields: vec![FormField::Name, FormField::Email, FormField::Message],
            close_in_days: 30,
            active: true,
            ..WebFormInput::default()
        }
    }

    #[test]
    fn a_form_keeps_its_origins_lower_cased_and_defaults_to_the_contact_form_source() {
        let settings = WebFormSettings::parse(input()).unwrap();
        assert_eq!(settings.origins, ["https://firma.pl", "http://localhost:8080"]);
        assert_eq!(settings.source, Source::ContactForm);
    }

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        for bad in [
            "firma.pl",
            "ftp://firma.pl",
            "https://firma.pl/kontakt",
            "https://",
            "https://a..pl",
            "https://firma.pl:99999",
            "https://user@firma.pl",
        ] {
            assert_eq!(parse_origin(bad), Err(ViolationCode::InvalidValue), "{bad}");
        }
        assert_eq!(
            parse_origin("https://xn--fiza-8ra.pl:8443").as_deref(),
            Ok("https://xn--fiza-8ra.pl:8443")
        );
    }

    proptest::proptest! {
        /// The document's pattern for an origin takes exactly what the
        /// parser takes (the parser also trims spaces around it).
        #[test]
        fn the_documented_origin_pattern_is_the_parsers_rule(
            origin in "[hH][tT][tT][pP][sS]?://[a-zA-Z0-9.-]{0,12}(:[0-9]{0,6})?/?",
        ) {
            let pattern = regex::Regex::new(ORIGIN_PATTERN).unwrap();
            proptest::prop_assert_eq!(pattern.is_match(&origin), parse_origin(&origin).is_ok(), "{}", origin);
        }
    }

    #[test]
    fn a_form_must_ask_for_a_way_to_reach_the_lead_and_round_robin_needs_agents() {
        let mut no_contact = input();
        no_contact.fields = vec![FormField::Name, FormField::Message];
        let violations = WebFormSettings::parse(no_contact).unwrap_err();
        assert_eq!(violations.0[0].field, "fields");
        let mut nobody = input();
        nobody.assignment = FormAssignment::RoundRobin;
        assert_eq!(WebFormSettings::parse(nobody).unwrap_err().0[0].field, "agents");
        let mut zero = input();
        zero.close_in_days = 0;
        assert_eq!(
            WebFormSettings::parse(zero).unwrap_err().0[0].code,
            ViolationCode::OutOfRange
        );
    }

    #[test]
    fn answers_keep_only_the_fields_the_form_asks_for() {
        let answers = FormAnswers {
            name: Some("  Ewa  ".to_owned()),
            phone: Some("600 700 800".to_owned()),
            message: Some(" ".to_owned()),
            ..FormAnswers::default()
        }
        .asked_by(&[FormField::Name, FormField::Email, FormField::Message]);
        assert_eq!(answers.name.as_deref(), Some("Ewa"));
        assert_eq!((answers.phone, answers.message), (None, None));
    }
}
