//! The API's one error type and its single mapping to RFC 9457
//! `application/problem+json` responses with a stable `code`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use lejek_domain::dto::{FieldError, Problem};
use lejek_domain::{CommandError, Language, Refusal, Violation, Violations};
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
        code: &'static str,
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    #[error("forbidden")]
    Forbidden,
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error("not found")]
    NotFound,
    #[error("version mismatch")]
    VersionMismatch,
    #[error("If-Match required")]
    PreconditionRequired,
    #[error("conflict on {0}")]
    Conflict(&'static str),
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
    #[error("timed out")]
    Timeout,
    /// The database is out of reach; 503 with `Retry-After`.
    #[error("service unavailable")]
    Unavailable,
    /// Anything unexpected: logged in full, answered with no detail.
    #[error("internal: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        ApiError::Internal(error.to_string())
    }

    /// A 400 naming one bad parameter.
    pub fn bad_parameter(field: &str, code: &str, message: &str) -> ApiError {
        ApiError::BadRequest {
            code: "invalid_parameter",
            detail: format!("The parameter `{field}` is not valid: {message}"),
            errors: vec![FieldError {
                field: field.to_owned(),
                code: code.to_owned(),
                message: message.to_owned(),
            }],
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Validation(violations) => match violations.0.as_slice() {
                [only] => only.code.as_str(),
                _ => "validation_failed",
            },
            ApiError::InvalidBody(_) => "validation_failed",
            ApiError::BadRequest { code, .. } => code,
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::Refused(Refusal::ReopenRequiresManager | Refusal::ClosedCaseIsFinal) => {
                "transition_forbidden"
            }
            ApiError::Refused(_) => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::VersionMismatch => "version_mismatch",
            ApiError::PreconditionRequired => "precondition_required",
            ApiError::Conflict(_) => "conflict",
            ApiError::IdempotencyMismatch => "idempotency_key_reused",
            ApiError::IdempotencyInProgress => "idempotency_in_progress",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::Timeout => "timeout",
            ApiError::Unavailable => "service_unavailable",
            ApiError::Internal(_) => "internal_error",
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
            ApiError::NotFound => ("Not found", "No such resource.".to_owned()),
            ApiError::VersionMismatch => (
                "Version mismatch",
                "Someone else changed this case since you read it; reload it and try again.".to_owned(),
            ),
            ApiError::PreconditionRequired => (
                "Precondition required",
                "Send the case's ETag in If-Match to change it.".to_owned(),
            ),
            ApiError::Conflict(field) => ("Conflict", format!("The {field} is already taken.")),
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
            ApiError::Timeout => ("Timeout", "The request took too long.".to_owned()),
            ApiError::Unavailable => ("Service unavailable", "The database is not reachable.".to_owned()),
            ApiError::Internal(_) => ("Internal error", "Something went wrong on our side.".to_owned()),
        }
    }

    fn field_errors(&self) -> Vec<FieldError> {
        match self {
            ApiError::Validation(violations) => violations.iter().map(field_error).collect(),
            ApiError::BadRequest { errors, .. } | ApiError::InvalidBody(errors) => errors.clone(),
            ApiError::Conflict(field) => vec![FieldError {
                field: (*field).to_owned(),
                code: "taken".to_owned(),
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
            code: code.to_owned(),
            errors: self.field_errors(),
        }
    }
}

pub fn field_error(violation: &Violation) -> FieldError {
    FieldError {
        field: violation.field.to_string(),
        code: violation.code.as_str().to_owned(),
        message: violation.code.label(Language::En).to_owned(),
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) | ApiError::InvalidBody(_) | ApiError::IdempotencyMismatch => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::Refused(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::VersionMismatch => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::Conflict(_) | ApiError::IdempotencyInProgress => StatusCode::CONFLICT,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Timeout => StatusCode::GATEWAY_TIMEOUT,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
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
            ApiError::Unavailable => {
                response.insert_header((header::RETRY_AFTER, UNAVAILABLE_RETRY_AFTER_SECONDS.to_string()));
            }
            ApiError::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
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
            StoreError::Invalid(violations) => ApiError::Validation(violations),
            StoreError::Unavailable(cause) => {
                tracing::warn!(%cause, "database unavailable");
                ApiError::Unavailable
            }
            other => ApiError::internal(other),
        }
    }
}
