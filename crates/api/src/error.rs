//! The API's one error type and its single mapping to RFC 9457
//! `application/problem+json` responses with a stable `code`.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use lejek_domain::dto::{FieldError, Problem};
use lejek_domain::{
    CommandError, ErrorCode, Language, ProblemCode, Refusal, Violation, ViolationCode, Violations,
};
use lejek_store::StoreError;

/// How long a client should wait before retrying while the database is
/// out of reach: long enough not to hammer it, short enough that users
/// barely notice a restart of the database.
const UNAVAILABLE_RETRY_AFTER_SECONDS: u64 = 5;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Field rules broken; 422 with every field named.
    #[error("validation failed")]
    Validation(Violations),
    /// Well-formed JSON of the wrong shape (type, unknown or missing
    /// field); 422 naming the field.
    #[error("invalid body")]
    InvalidBody(Vec<FieldError>),
    /// A request the server cannot read (syntax, bad query or cursor); 400.
    #[error("bad request: {detail}")]
    BadRequest {
        code: ErrorCode,
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    #[error("forbidden")]
    Forbidden,
    #[error("refused: {0}")]
    Refused(Refusal),
    /// An admin taking away their own access (deactivating themselves or
    /// dropping their admin role): nobody could undo it.
    #[error("self lockout")]
    SelfLockout,
    #[error("not found")]
    NotFound,
    /// A documented path asked with a method it does not answer; `Allow`
    /// lists the ones it does.
    #[error("method not allowed")]
    MethodNotAllowed { allow: Vec<Method> },
    #[error("version mismatch")]
    VersionMismatch,
    #[error("If-Match required")]
    PreconditionRequired,
    #[error("conflict on {0}")]
    Conflict(&'static str),
    /// An import's reading or run asked for after it started.
    #[error("import already started")]
    ImportStarted,
    /// Mail delivered while an admin has switched e-mail intake off.
    #[error("mail intake off")]
    MailIntakeOff,
    #[error("idempotency key reused with another request")]
    IdempotencyMismatch,
    #[error("request with this idempotency key still running")]
    IdempotencyInProgress,
    #[error("too many attempts")]
    RateLimited { retry_after_seconds: u64 },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// An upload that is not a CSV or XLSX file by its content type.
    #[error("unsupported file type")]
    UnsupportedFileType,
    /// Inbound mail that is not labelled as a message.
    #[error("unsupported mail type")]
    UnsupportedMailType,
    #[error("timed out")]
    Timeout,
    /// The database is out of reach; 503 with `Retry-After`.
    #[error("service unavailable")]
    ServiceUnavailable,
    /// Anything unexpected: logged in full, answered with no detail.
    #[error("internal: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        ApiError::Internal(error.to_string())
    }

    /// A 400 naming one bad parameter.
    pub fn bad_parameter(field: &str, code: ViolationCode, message: &str) -> ApiError {
        ApiError::BadRequest {
            code: ErrorCode::InvalidParameter,
            detail: format!("The parameter `{field}` is not valid: {message}"),
            errors: vec![FieldError {
                field: field.to_owned(),
                code,
                message: message.to_owned(),
            }],
        }
    }

    /// The general code of this error; its status comes with it.
    fn error_code(&self) -> ErrorCode {
        match self {
            ApiError::Validation(_) | ApiError::InvalidBody(_) => ErrorCode::ValidationFailed,
            ApiError::BadRequest { code, .. } => *code,
            ApiError::Unauthorized(_) => ErrorCode::Unauthorized,
            ApiError::Forbidden => ErrorCode::Forbidden,
            ApiError::Refused(Refusal::ReopenRequiresManager | Refusal::ClosedCaseIsFinal) => {
                ErrorCode::TransitionForbidden
            }
            ApiError::Refused(_) => ErrorCode::Forbidden,
            ApiError::SelfLockout => ErrorCode::SelfLockout,
            ApiError::NotFound => ErrorCode::NotFound,
            ApiError::MethodNotAllowed { .. } => ErrorCode::MethodNotAllowed,
            ApiError::VersionMismatch => ErrorCode::VersionMismatch,
            ApiError::PreconditionRequired => ErrorCode::PreconditionRequired,
            ApiError::Conflict(_) | ApiError::ImportStarted | ApiError::MailIntakeOff => ErrorCode::Conflict,
            ApiError::IdempotencyMismatch => ErrorCode::IdempotencyKeyReused,
            ApiError::IdempotencyInProgress => ErrorCode::IdempotencyInProgress,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            ApiError::UnsupportedMediaType
            | ApiError::UnsupportedFileType
            | ApiError::UnsupportedMailType => ErrorCode::UnsupportedMediaType,
            ApiError::Timeout => ErrorCode::Timeout,
            ApiError::ServiceUnavailable => ErrorCode::ServiceUnavailable,
            ApiError::Internal(_) => ErrorCode::InternalError,
        }
    }

    /// The problem's `code`: the general one, or the code of the only field
    /// rule broken.
    fn code(&self) -> ProblemCode {
        match self {
            ApiError::Validation(violations) => match violations.0.as_slice() {
                [only] => only.code.into(),
                _ => ErrorCode::ValidationFailed.into(),
            },
            other => other.error_code().into(),
        }
    }

    fn title_and_detail(&self) -> (&'static str, String) {
        match self {
            ApiError::Validation(violations) => (
                "Validation failed",
                violations
                    .iter()
                    .map(|violation| format!("{}: {}", violation.field, violation.code.label(Language::En)))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            ApiError::InvalidBody(errors) => (
                "Validation failed",
                errors
                    .first()
                    .map(|error| format!("The field `{}` is not valid: {}", error.field, error.message))
                    .unwrap_or_default(),
            ),
            ApiError::BadRequest { detail, .. } => ("Bad request", detail.clone()),
            ApiError::Unauthorized(why) => ("Unauthorized", (*why).to_owned()),
            ApiError::Forbidden => ("Forbidden", "Your role may not do this.".to_owned()),
            ApiError::Refused(refusal) => ("Forbidden", refusal.label(Language::En).to_owned()),
            ApiError::SelfLockout => (
                "Forbidden",
                "An admin cannot deactivate themselves or take away their own admin role.".to_owned(),
            ),
            ApiError::NotFound => ("Not found", "No such resource.".to_owned()),
            ApiError::MethodNotAllowed { allow } => (
                "Method not allowed",
                format!("This resource answers {}.", allow_header(allow)),
            ),
            ApiError::VersionMismatch => (
                "Version mismatch",
                "Someone else changed this case since you read it; reload it and try again.".to_owned(),
            ),
            ApiError::PreconditionRequired => (
                "Precondition required",
                "Send the case's ETag in If-Match to change it.".to_owned(),
            ),
            ApiError::Conflict(field) => ("Conflict", format!("The {field} is already taken.")),
            ApiError::ImportStarted => (
                "Conflict",
                "This import has been started: how it is read and mapped can no longer change.".to_owned(),
            ),
            ApiError::MailIntakeOff => (
                "Conflict",
                "E-mail intake is switched off: an admin can switch it on under Admin → E-mail; deliver the message again then."
                    .to_owned(),
            ),
            ApiError::IdempotencyMismatch => (
                "Idempotency key reused",
                "This Idempotency-Key was used with a different request.".to_owned(),
            ),
            ApiError::IdempotencyInProgress => (
                "Request in progress",
                "A request with this Idempotency-Key is still being processed; retry shortly.".to_owned(),
            ),
            ApiError::RateLimited { retry_after_seconds } => (
                "Too many requests",
                format!("Too many failed attempts; try again in {retry_after_seconds} seconds."),
            ),
            ApiError::PayloadTooLarge => ("Payload too large", "The request body is too large.".to_owned()),
            ApiError::UnsupportedMediaType => (
                "Unsupported media type",
                "Send the body as application/json.".to_owned(),
            ),
            ApiError::UnsupportedMailType => (
                "Unsupported media type",
                format!(
                    "Send the raw RFC 5322 message as {}.",
                    crate::upload::MAIL_TYPES.join(", ")
                ),
            ),
            ApiError::UnsupportedFileType => (
                "Unsupported media type",
                format!(
                    "Send a CSV or XLSX file as {}.",
                    crate::upload::FILE_TYPES.join(", ")
                ),
            ),
            ApiError::Timeout => ("Timeout", "The request took too long.".to_owned()),
            ApiError::ServiceUnavailable => {
                ("Service unavailable", "The database is not reachable.".to_owned())
            }
            ApiError::Internal(_) => ("Internal error", "Something went wrong on our side.".to_owned()),
        }
    }

    fn field_errors(&self) -> Vec<FieldError> {
        match self {
            ApiError::Validation(violations) => violations.iter().map(field_error).collect(),
            ApiError::BadRequest { errors, .. } | ApiError::InvalidBody(errors) => errors.clone(),
            ApiError::Conflict(field) => vec![FieldError {
                field: (*field).to_owned(),
                code: ViolationCode::Taken,
                message: format!("This {field} is already taken."),
            }],
            _ => Vec::new(),
        }
    }

    /// The problem document this error answers with.
    pub fn problem(&self) -> Problem {
        let (title, detail) = self.title_and_detail();
        let code = self.code();
        Problem {
            problem_type: format!("urn:lejek:problem:{code}"),
            title: title.to_owned(),
            status: self.status_code().as_u16(),
            detail,
            code,
            errors: self.field_errors(),
            request_id: crate::observe::current_request_id(),
        }
    }
}

pub fn field_error(violation: &Violation) -> FieldError {
    FieldError {
        field: violation.field.to_string(),
        code: violation.code,
        message: violation.code.label(Language::En).to_owned(),
    }
}

/// The value of an `Allow` header.
pub fn allow_header(methods: &[Method]) -> String {
    methods.iter().map(Method::as_str).collect::<Vec<_>>().join(", ")
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.error_code().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(detail) = self {
            tracing::error!(%detail, "internal error");
        }
        let problem = self.problem();
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("application/problem+json");
        match self {
            ApiError::RateLimited { retry_after_seconds } => {
                response.insert_header((header::RETRY_AFTER, retry_after_seconds.to_string()));
            }
            ApiError::ServiceUnavailable => {
                response.insert_header((header::RETRY_AFTER, UNAVAILABLE_RETRY_AFTER_SECONDS.to_string()));
            }
            ApiError::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            ApiError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow_header(allow)));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&problem).unwrap_or_default())
    }
}

impl From<Violations> for ApiError {
    fn from(violations: Violations) -> Self {
        ApiError::Validation(violations)
    }
}

impl From<CommandError> for ApiError {
    fn from(error: CommandError) -> Self {
        match error {
            CommandError::NotFound => ApiError::NotFound,
            CommandError::Refused(refusal) => ApiError::Refused(refusal),
            CommandError::Invalid(violations) => ApiError::Validation(violations),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::VersionMismatch => ApiError::VersionMismatch,
            StoreError::Conflict(field) => ApiError::Conflict(field),
            StoreError::LeaseLost => ApiError::Conflict("job"),
            StoreError::Invalid(violations) => ApiError::Validation(violations),
            StoreError::Unavailable(cause) => {
                tracing::warn!(%cause, "database unavailable");
                ApiError::ServiceUnavailable
            }
            other => ApiError::internal(other),
        }
    }
}
