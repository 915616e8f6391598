//! Which lead field each column holds, guessed from the header people wrote.

/// What a column holds: the domain's import field, with its wire code and
/// its label in both languages.
pub use lejek_domain::ImportField as Field;
use lejek_domain::Language;

use crate::text::key;

/// Headers that name the field besides its labels and wire code, in Polish
/// and English, compared by [`key`].
const fn synonyms(field: Field) -> &'static [&'static str] {
    match field {
        Field::Subject => &[
            "Temat sprawy",
            "Tytuł",
            "Tytuł sprawy",
            "Sprawa",
            "Nazwa sprawy",
            "Title",
            "Deal",
            "Deal name",
            "Lead name",
            "Opportunity",
        ],
        Field::Source => &[
            "Źródło leada",
            "Źródło pozyskania",
            "Kanał",
            "Kanał pozyskania",
            "Lead source",
            "Channel",
        ],
        Field::ContactName => &[
            "Kontakt",
            "Osoba kontaktowa",
            "Osoba",
            "Klient",
            "Imię nazwisko",
            "Name",
            "Contact",
            "Full name",
            "Contact person",
            "Person",
        ],
        Field::Company => &[
            "Nazwa firmy",
            "Organizacja",
            "Przedsiębiorstwo",
            "Company name",
            "Organization",
            "Organisation",
            "Account",
        ],
        Field::Email => &[
            "Adres e-mail",
            "Mail",
            "E-mail kontaktu",
            "Email address",
            "Contact e-mail",
            "Contact email",
        ],
        Field::Phone => &[
            "Tel",
            "Nr telefonu",
            "Numer telefonu",
            "Telefon komórkowy",
            "Komórka",
            "Phone number",
            "Mobile",
            "Telephone",
            "Contact phone",
        ],
        Field::ExpectedCloseDate => &[
            "Data zamknięcia",
            "Planowana data zamknięcia",
            "Termin zamknięcia",
            "Close date",
            "Expected close",
            "Closing date",
        ],
        Field::Value => &["Kwota", "Wartość sprawy", "Amount", "Deal value"],
        Field::Currency => &[],
        Field::Qualifier => &[],
        Field::OwnerEmail => &[
            "Właściciel",
            "Opiekun",
            "Opiekun (e-mail)",
            "Handlowiec",
            "Handlowiec (e-mail)",
            "Owner",
            "Owner email",
            "Salesperson",
            "Sales rep",
            "Assigned to",
        ],
        Field::ExternalId => &[
            "ID",
            "Identyfikator",
            "Id zewnętrzny",
            "Zewnętrzny identyfikator",
            "External ID",
        ],
    }
}

fn names(field: Field) -> impl Iterator<Item = &'static str> {
    [
        field.as_str(),
        field.label(Language::Pl),
        field.label(Language::En),
    ]
    .into_iter()
    .chain(synonyms(field).iter().copied())
}

/// The field a header names, in Polish or English, forgiving case, spaces,
/// punctuation and missing diacritics.
pub fn suggest_field(header: &str) -> Option<Field> {
    let wanted = key(header);
    if wanted.is_empty() {
        return None;
    }
    Field::ALL
        .iter()
        .copied()
        .find(|&field| names(field).any(|name| key(name) == wanted))
}

/// One suggestion per column; a field is suggested for its first matching
/// column only.
pub fn suggest_mapping(header: &[String]) -> Vec<Option<Field>> {
    let mut taken = Vec::new();
    header
        .iter()
        .map(|name| {
            let field = suggest_field(name).filter(|field| !taken.contains(field))?;
            taken.push(field);
            Some(field)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polish_headers_are_recognised_with_or_without_diacritics() {
        let cases = [
            ("Temat", Field::Subject),
            ("Tytuł", Field::Subject),
            ("Źródło", Field::Source),
            ("Zrodlo", Field::Source),
            ("Imię i nazwisko", Field::ContactName),
            ("Kontakt", Field::ContactName),
            ("Osoba kontaktowa", Field::ContactName),
            ("Firma", Field::Company),
            ("Nazwa firmy", Field::Company),
            ("E-mail", Field::Email),
            ("Adres e-mail", Field::Email),
            ("Tel.", Field::Phone),
            ("Telefon komórkowy", Field::Phone),
            ("Przewidywana data zamknięcia", Field::ExpectedCloseDate),
            ("Data zamknięcia", Field::ExpectedCloseDate),
            ("Wartość", Field::Value),
            ("Kwota", Field::Value),
            ("Waluta", Field::Currency),
            ("Kwalifikator", Field::Qualifier),
            ("Właściciel", Field::OwnerEmail),
            ("Opiekun", Field::OwnerEmail),
            ("Handlowiec", Field::OwnerEmail),
            ("Właściciel (e-mail)", Field::OwnerEmail),
            ("Identyfikator", Field::ExternalId),
            ("Identyfikator zewnętrzny", Field::ExternalId),
        ];
        for (header, field) in cases {
            assert_eq!(suggest_field(header), Some(field), "{header}");
        }
    }

    #[test]
    fn english_headers_and_wire_codes_are_recognised_forgiving_case_and_spaces() {
        let cases = [
            ("Subject", Field::Subject),
            ("Title", Field::Subject),
            ("Source", Field::Source),
            ("Lead source", Field::Source),
            ("Name", Field::ContactName),
            ("Contact", Field::ContactName),
            ("Full name", Field::ContactName),
            ("Company name", Field::Company),
            ("Organization", Field::Company),
            ("email", Field::Email),
            ("  EMAIL ", Field::Email),
            ("Phone number", Field::Phone),
            ("Mobile", Field::Phone),
            ("Close date", Field::ExpectedCloseDate),
            ("Expected close", Field::ExpectedCloseDate),
            ("expected_close_date", Field::ExpectedCloseDate),
            ("Amount", Field::Value),
            ("Deal value", Field::Value),
            ("Currency", Field::Currency),
            ("Owner", Field::OwnerEmail),
            ("Owner email", Field::OwnerEmail),
            ("owner_email", Field::OwnerEmail),
            ("ID", Field::ExternalId),
            ("External ID", Field::ExternalId),
            ("external_id", Field::ExternalId),
        ];
        for (header, field) in cases {
            assert_eq!(suggest_field(header), Some(field), "{header}");
        }
    }

    #[test]
    fn unknown_or_blank_headers_suggest_nothing() {
        for header in ["", "  ", "Uwagi", "Notes", "Data utworzenia", "-"] {
            assert_eq!(suggest_field(header), None, "{header}");
        }
    }

    #[test]
    fn a_field_is_suggested_for_its_first_column_only() {
        let header: Vec<String> = ["Temat", "Uwagi", "E-mail", "Tytuł", "Adres e-mail", "Firma"]
            .map(String::from)
            .into();
        assert_eq!(
            suggest_mapping(&header),
            [
                Some(Field::Subject),
                None,
                Some(Field::Email),
                None,
                None,
                Some(Field::Company)
            ]
        );
    }

    #[test]
    fn every_field_has_both_labels_and_round_trips_its_code() {
        for &field in Field::ALL {
            assert_eq!(field.as_str().parse::<Field>(), Ok(field));
            assert_eq!(suggest_field(field.label(Language::Pl)), Some(field));
            assert_eq!(suggest_field(field.label(Language::En)), Some(field));
        }
        assert!("nope".parse::<Field>().is_err());
    }
}
