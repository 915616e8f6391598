//! Field-level rule violations: what failed, on which field, in words for
//! people in both languages.

use std::borrow::Cow;

use serde::Serialize;

use crate::wire::wire_enum;

wire_enum! {
    /// The stable machine code of a broken field rule.
    pub enum ViolationCode {
        Required => "required",
            "To pole jest wymagane.",
            "This field is required.";
        Blank => "blank",
            "Wartość nie może być pusta.",
            "The value must not be blank.";
        TooLong => "too_long",
            "Wartość jest za długa.",
            "The value is too long.";
        InvalidValue => "invalid_value",
            "Niepoprawna wartość.",
            "The value is not valid.";
        UnreadableFile => "unreadable_file",
            "Nie można odczytać pliku: wyślij CSV (z wierszem nagłówka) albo XLSX.",
            "The file cannot be read: send a CSV (with a header row) or an XLSX file.";
        NotAnEmail => "not_an_email",
            "To nie jest wiadomość e-mail (RFC 5322).",
            "This is not an e-mail message (RFC 5322).";
        ContactDetailRequired => "contact_detail_required",
            "Formularz musi pytać o e-mail albo telefon.",
            "The form must ask for an e-mail address or a phone number.";
        ColumnRequired => "column_required",
            "Wskaż kolumnę pliku z tym polem.",
            "Map a column of the file to this field.";
        TooManyRows => "too_many_rows",
            "Plik ma więcej niż 500 000 wierszy: podziel go na mniejsze.",
            "The file has more than 500,000 rows: split it into smaller files.";
        OutOfRange => "out_of_range",
            "Wartość jest poza dozwolonym zakresem.",
            "The value is out of the allowed range.";
        InvertedRange => "inverted_range",
            "Początek zakresu jest późniejszy niż jego koniec.",
            "The start of the range is after its end.";
        Duplicate => "duplicate",
            "Ta wartość występuje więcej niż raz.",
            "This value appears more than once.";
        UnknownParameter => "unknown_parameter",
            "Nieznany parametr.",
            "Unknown parameter.";
        InvalidEmail => "invalid_email",
            "Niepoprawny adres e-mail.",
            "This is not a valid e-mail address.";
        InvalidPhone => "invalid_phone",
            "Niepoprawny numer telefonu (6–15 cyfr).",
            "This is not a valid phone number (6–15 digits).";
        InvalidCurrency => "invalid_currency",
            "Kod waluty to trzy wielkie litery, np. PLN.",
            "A currency code is three capital letters, e.g. PLN.";
        InvalidAmount => "invalid_amount",
            "Kwota musi być nieujemna i mieć najwyżej dwa miejsca po przecinku.",
            "The amount must be non-negative with at most two decimal places.";
        StageRequired => "stage_required",
            "Ten status wymaga etapu.",
            "This status requires a stage.";
        StageNotInStatus => "stage_not_in_status",
            "Ten etap nie należy do wybranego statusu.",
            "This stage does not belong to the chosen status.";
        StageNotAllowed => "stage_not_allowed",
            "Ten status nie ma etapów.",
            "This status has no stages.";
        FollowUpRequired => "follow_up_required",
            "Status Zaofertowany wymaga terminu kontaktu.",
            "The status Offered requires a follow-up date.";
        FollowUpNotAllowed => "follow_up_not_allowed",
            "Zamknięta sprawa nie ma terminu kontaktu.",
            "A closed case has no follow-up date.";
        ResignationReasonRequired => "resignation_reason_required",
            "Status Rezygnacja wymaga przyczyny rezygnacji.",
            "The status Resigned requires a resignation reason.";
        ResignationReasonNotAllowed => "resignation_reason_not_allowed",
            "Przyczynę rezygnacji podaje się tylko dla statusu Rezygnacja.",
            "A resignation reason is given only with the status Resigned.";
        ClosedAtRequired => "closed_at_required",
            "Zamknięta sprawa musi mieć datę zamknięcia.",
            "A closed case must have a closing time.";
        ClosedAtNotAllowed => "closed_at_not_allowed",
            "Otwarta sprawa nie ma daty zamknięcia.",
            "An open case has no closing time.";
        UnknownReference => "unknown_reference",
            "Nie ma takiego obiektu albo nie masz do niego dostępu.",
            "No such item exists, or you have no access to it.";
        OwnerMustBeSelf => "owner_must_be_self",
            "Handlowiec może zakładać sprawy tylko dla siebie.",
            "A salesperson can create cases only for themselves.";
        ContactAmbiguous => "contact_ambiguous",
            "Podaj istniejący kontakt albo dane nowego, nie oba.",
            "Give either an existing contact or a new one, not both.";
        Taken => "taken",
            "Ta wartość jest już zajęta.",
            "This value is already taken.";
        UnknownField => "unknown_field",
            "Nieznane pole.",
            "Unknown field.";
        InvalidType => "invalid_type",
            "Wartość ma niewłaściwy typ.",
            "The value has the wrong type.";
        InvalidCursor => "invalid_cursor",
            "Ten kursor nie został wydany przez serwer dla tego zapytania.",
            "The cursor is not one this server issued for this query.";
        NotSupported => "not_supported",
            "To nie jest tu obsługiwane.",
            "This is not supported here.";
    }
}

/// One broken rule on one field; `field` is the wire name of the field or
/// parameter (`stage`, `contact.email`, `created_from`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub field: Cow<'static, str>,
    pub code: ViolationCode,
}

impl Violation {
    pub const fn new(field: &'static str, code: ViolationCode) -> Self {
        Violation {
            field: Cow::Borrowed(field),
            code,
        }
    }

    /// A violation on a field whose name is only known at run time, such
    /// as an unknown query parameter.
    pub fn on(field: impl Into<String>, code: ViolationCode) -> Self {
        Violation {
            field: Cow::Owned(field.into()),
            code,
        }
    }
}

/// Every broken field rule of one command, so a form can show them all at
/// once instead of one per round trip.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, thiserror::Error)]
#[serde(transparent)]
#[error("{} field rule(s) broken, first: {}", .0.len(), first_description(.0))]
pub struct Violations(pub Vec<Violation>);

fn first_description(violations: &[Violation]) -> String {
    violations
        .first()
        .map(|v| format!("{} ({})", v.field, v.code))
        .unwrap_or_default()
}

impl Violations {
    pub fn new() -> Self {
        Violations::default()
    }

    pub fn single(field: &'static str, code: ViolationCode) -> Self {
        Violations(vec![Violation::new(field, code)])
    }

    pub fn push(&mut self, field: &'static str, code: ViolationCode) {
        self.0.push(Violation::new(field, code));
    }

    /// Records the error of a parse result and gives back its value, if any.
    pub fn collect<T>(&mut self, result: Result<T, Violation>) -> Option<T> {
        result.map_err(|violation| self.0.push(violation)).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Violation> {
        self.0.iter()
    }

    pub fn has(&self, field: &str, code: ViolationCode) -> bool {
        self.0.iter().any(|v| v.field == field && v.code == code)
    }

    /// `Ok(value)` when nothing was violated.
    pub fn into_result<T>(self, value: T) -> Result<T, Violations> {
        if self.0.is_empty() { Ok(value) } else { Err(self) }
    }
}

impl From<Violation> for Violations {
    fn from(violation: Violation) -> Self {
        Violations(vec![violation])
    }
}
