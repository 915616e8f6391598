//! Editing a contact: which fields change, each one checked.

use crate::dto::ContactPatchRequest;
use crate::{CompanyName, Email, Patch, PersonName, Phone, Violation, ViolationCode, Violations};

/// A checked edit of a contact. `None` / `Keep` leave a field as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactChanges {
    pub name: Option<PersonName>,
    pub company: Patch<CompanyName>,
    pub email: Patch<Email>,
    pub phone: Patch<Phone>,
}

impl ContactChanges {
    /// Every broken field at once. The name cannot be cleared; a blank
    /// company, e-mail or phone clears it.
    pub fn parse(request: &ContactPatchRequest) -> Result<ContactChanges, Violations> {
        let mut violations = Violations::new();
        let name = match &request.name {
            Patch::Keep => None,
            Patch::Clear => {
                violations.push("name", ViolationCode::Required);
                None
            }
            Patch::Set(text) => {
                violations.collect(PersonName::parse(text).map_err(|code| Violation::new("name", code)))
            }
        };
        let changes = ContactChanges {
            name,
            company: optional(&request.company, "company", CompanyName::parse, &mut violations),
            email: optional(&request.email, "email", Email::parse, &mut violations),
            phone: optional(&request.phone, "phone", Phone::parse, &mut violations),
        };
        violations.into_result(changes)
    }
}

fn optional<T>(
    patch: &Patch<String>,
    field: &'static str,
    parse: fn(&str) -> Result<T, ViolationCode>,
    violations: &mut Violations,
) -> Patch<T> {
    match patch {
        Patch::Keep => Patch::Keep,
        Patch::Clear => Patch::Clear,
        Patch::Set(text) if text.trim().is_empty() => Patch::Clear,
        Patch::Set(text) => match parse(text) {
            Ok(value) => Patch::Set(value),
            Err(code) => {
                violations.push(field, code);
                Patch::Keep
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(
        name: Patch<&str>,
        company: Patch<&str>,
        email: Patch<&str>,
        phone: Patch<&str>,
    ) -> ContactPatchRequest {
        let owned = |patch: Patch<&str>| match patch {
            Patch::Keep => Patch::Keep,
            Patch::Clear => Patch::Clear,
            Patch::Set(text) => Patch::Set(text.to_owned()),
        };
        ContactPatchRequest {
            name: owned(name),
            company: owned(company),
            email: owned(email),
            phone: owned(phone),
        }
    }

    #[test]
    fn an_empty_edit_changes_nothing() {
        let changes = ContactChanges::parse(&request(Patch::Keep, Patch::Keep, Patch::Keep, Patch::Keep));
        assert_eq!(changes, Ok(ContactChanges::default()));
    }

    #[test]
    fn blank_optional_fields_clear_them_and_the_name_is_trimmed() {
        let changes = ContactChanges::parse(&request(
            Patch::Set(" Ewa Nowak "),
            Patch::Set("  "),
            Patch::Clear,
            Patch::Set(""),
        ))
        .unwrap();
        assert_eq!(
            changes.name.map(|n| n.as_str().to_owned()),
            Some("Ewa Nowak".to_owned())
        );
        assert_eq!(changes.company, Patch::Clear);
        assert_eq!(changes.email, Patch::Clear);
        assert_eq!(changes.phone, Patch::Clear);
    }

    #[test]
    fn every_broken_field_is_named_at_once_and_the_name_cannot_be_cleared() {
        let errors = ContactChanges::parse(&request(
            Patch::Clear,
            Patch::Keep,
            Patch::Set("zly-email"),
            Patch::Set("12"),
        ))
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|v| v.field.as_ref()).collect();
        assert_eq!(fields, ["name", "email", "phone"]);
        assert_eq!(
            errors.iter().next().map(|v| v.code),
            Some(ViolationCode::Required)
        );
    }
}
