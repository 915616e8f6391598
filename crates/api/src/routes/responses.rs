//! Error answers that many routes share, documented once for the OpenAPI
//! description (`responses(...)` of each handler lists these next to its
//! own answers). Every one is an RFC 9457 problem.

// Never built: the answers themselves come from `ApiError`; these types
// only describe them.
#![allow(dead_code)]

use lejek_domain::dto::Problem;
use utoipa::IntoResponses;

/// Any route behind a login.
#[derive(IntoResponses)]
pub enum LoginRequired {
    #[response(
        status = 401,
        description = "Not logged in",
        content_type = "application/problem+json"
    )]
    Unauthorized(Problem),
}

/// Routes for admins only.
#[derive(IntoResponses)]
pub enum AdminOnly {
    #[response(
        status = 401,
        description = "Not logged in",
        content_type = "application/problem+json"
    )]
    Unauthorized(Problem),
    #[response(
        status = 403,
        description = "Not an admin",
        content_type = "application/problem+json"
    )]
    Forbidden(Problem),
}

/// Routes for managers (and admins) only.
#[derive(IntoResponses)]
pub enum ManagerOnly {
    #[response(
        status = 401,
        description = "Not logged in",
        content_type = "application/problem+json"
    )]
    Unauthorized(Problem),
    #[response(
        status = 403,
        description = "Not a manager",
        content_type = "application/problem+json"
    )]
    Forbidden(Problem),
}

/// Reading one case (agents only see their own).
#[derive(IntoResponses)]
pub enum CaseRead {
    #[response(
        status = 401,
        description = "Not logged in",
        content_type = "application/problem+json"
    )]
    Unauthorized(Problem),
    #[response(
        status = 404,
        description = "No such case, or not yours",
        content_type = "application/problem+json"
    )]
    NotFound(Problem),
}

/// A write to one case, which names the version it read.
#[derive(IntoResponses)]
pub enum VersionedCaseWrite {
    #[response(
        status = 401,
        description = "Not logged in",
        content_type = "application/problem+json"
    )]
    Unauthorized(Problem),
    #[response(
        status = 404,
        description = "No such case, or not yours",
        content_type = "application/problem+json"
    )]
    NotFound(Problem),
    #[response(
        status = 412,
        description = "Stale version",
        content_type = "application/problem+json"
    )]
    StaleVersion(Problem),
    #[response(
        status = 428,
        description = "If-Match missing",
        content_type = "application/problem+json"
    )]
    VersionMissing(Problem),
}
