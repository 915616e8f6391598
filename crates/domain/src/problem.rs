//! The stable machine codes of error answers (RFC 9457 problems): one
//! table the server answers with and the client matches on.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::violation::ViolationCode;
use crate::wire::wire_enum;

wire_enum! {
    /// What went wrong with a request as a whole. A problem whose only
    /// error is one field rule carries that rule's [`ViolationCode`]
    /// instead (see [`ProblemCode`]).
    pub enum ErrorCode {
        ValidationFailed => "validation_failed",
            "Niepoprawne dane", "Validation failed";
        InvalidParameter => "invalid_parameter",
            "Niepoprawny parametr", "Invalid parameter";
        MalformedJson => "malformed_json",
            "Niepoprawny JSON", "Malformed JSON";
        MalformedBody => "malformed_body",
            "Nie można odczytać treści żądania", "Unreadable request body";
        Unauthorized => "unauthorized",
            "Brak uwierzytelnienia", "Unauthorized";
        Forbidden => "forbidden",
            "Brak uprawnień", "Forbidden";
        TransitionForbidden => "transition_forbidden",
            "Niedozwolona zmiana statusu", "Transition forbidden";
        SelfLockout => "self_lockout",
            "Nie można odebrać sobie dostępu administratora", "An admin cannot lock themselves out";
        NotFound => "not_found",
            "Nie znaleziono", "Not found";
        MethodNotAllowed => "method_not_allowed",
            "Niedozwolona metoda", "Method not allowed";
        Conflict => "conflict",
            "Konflikt", "Conflict";
        IdempotencyInProgress => "idempotency_in_progress",
            "Żądanie w toku", "Request in progress";
        VersionMismatch => "version_mismatch",
            "Nieaktualna wersja", "Version mismatch";
        PayloadTooLarge => "payload_too_large",
            "Za duża treść żądania", "Payload too large";
        UnsupportedMediaType => "unsupported_media_type",
            "Nieobsługiwany typ treści", "Unsupported media type";
        IdempotencyKeyReused => "idempotency_key_reused",
            "Klucz idempotencji użyty ponownie", "Idempotency key reused";
        PreconditionRequired => "precondition_required",
            "Wymagany nagłówek If-Match", "Precondition required";
        RateLimited => "rate_limited",
            "Za dużo prób", "Too many requests";
        InternalError => "internal_error",
            "Błąd serwera", "Internal error";
        ServiceUnavailable => "service_unavailable",
            "Usługa niedostępna", "Service unavailable";
        Timeout => "timeout",
            "Przekroczony czas", "Timeout";
    }
}

impl ErrorCode {
    /// The HTTP status a problem with this code answers with.
    pub const fn status(self) -> u16 {
        match self {
            ErrorCode::InvalidParameter | ErrorCode::MalformedJson | ErrorCode::MalformedBody => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden | ErrorCode::TransitionForbidden | ErrorCode::SelfLockout => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Conflict | ErrorCode::IdempotencyInProgress => 409,
            ErrorCode::VersionMismatch => 412,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::ValidationFailed | ErrorCode::IdempotencyKeyReused => 422,
            ErrorCode::PreconditionRequired => 428,
            ErrorCode::RateLimited => 429,
            ErrorCode::InternalError => 500,
            ErrorCode::ServiceUnavailable => 503,
            ErrorCode::Timeout => 504,
        }
    }

    /// The code to assume for an error answer whose body is not a problem
    /// document (a proxy's page, say): the most general code of its status.
    pub fn for_status(status: u16) -> ErrorCode {
        match status {
            400 => ErrorCode::InvalidParameter,
            401 => ErrorCode::Unauthorized,
            403 => ErrorCode::Forbidden,
            404 => ErrorCode::NotFound,
            405 => ErrorCode::MethodNotAllowed,
            409 => ErrorCode::Conflict,
            412 => ErrorCode::VersionMismatch,
            413 => ErrorCode::PayloadTooLarge,
            415 => ErrorCode::UnsupportedMediaType,
            422 => ErrorCode::ValidationFailed,
            428 => ErrorCode::PreconditionRequired,
            429 => ErrorCode::RateLimited,
            502..=503 => ErrorCode::ServiceUnavailable,
            504 => ErrorCode::Timeout,
            _ => ErrorCode::InternalError,
        }
    }
}

/// The `code` of a problem: a general [`ErrorCode`], or the
/// [`ViolationCode`] of the one field rule a request broke (`stage_required`).
/// On the wire it is the plain code; the two tables share no code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemCode {
    Error(ErrorCode),
    Violation(ViolationCode),
}

impl ProblemCode {
    pub const fn as_str(self) -> &'static str {
        match self {
            ProblemCode::Error(code) => code.as_str(),
            ProblemCode::Violation(code) => code.as_str(),
        }
    }

    /// Every code a problem may carry: the general ones, then the field rules.
    pub fn codes() -> impl Iterator<Item = &'static str> {
        ErrorCode::CODES.iter().chain(ViolationCode::CODES).copied()
    }
}

impl From<ErrorCode> for ProblemCode {
    fn from(code: ErrorCode) -> Self {
        ProblemCode::Error(code)
    }
}

impl From<ViolationCode> for ProblemCode {
    fn from(code: ViolationCode) -> Self {
        ProblemCode::Violation(code)
    }
}

impl PartialEq<ErrorCode> for ProblemCode {
    fn eq(&self, other: &ErrorCode) -> bool {
        *self == ProblemCode::Error(*other)
    }
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ProblemCode {
    type Err = crate::UnknownCode;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        code.parse::<ErrorCode>()
            .map(ProblemCode::Error)
            .or_else(|_| code.parse::<ViolationCode>().map(ProblemCode::Violation))
            .map_err(|_| crate::UnknownCode {
                kind: "ProblemCode",
                code: code.to_owned(),
            })
    }
}

impl Serialize for ProblemCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ProblemCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        code.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ProblemCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let codes: Vec<&str> = ProblemCode::codes().collect();
        crate::openapi::codes_schema(
            &codes,
            "A general code (see `ErrorCode`), or the code of the one field rule the request broke \
             (see `ViolationCode`).",
        )
        .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ProblemCode {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn general_and_field_codes_never_share_a_code() {
        for code in ErrorCode::CODES {
            assert!(
                code.parse::<ViolationCode>().is_err(),
                "`{code}` is both an error and a violation code"
            );
        }
    }

    #[test]
    fn a_problem_code_reads_back_as_itself() {
        for code in ProblemCode::codes() {
            let parsed: ProblemCode = code.parse().unwrap();
            assert_eq!(parsed.as_str(), code);
            let json = serde_json::to_string(&parsed).unwrap();
            assert_eq!(serde_json::from_str::<ProblemCode>(&json).unwrap(), parsed);
        }
        assert_eq!(
            "stage_required".parse::<ProblemCode>().unwrap(),
            ProblemCode::Violation(ViolationCode::StageRequired)
        );
    }

    #[test]
    fn each_status_has_a_general_code_of_that_status() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::for_status(code.status()).status(), code.status());
        }
    }
}
