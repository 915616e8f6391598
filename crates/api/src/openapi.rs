//! The OpenAPI document, derived from the handlers themselves, plus the
//! answers every operation of a kind shares (documented once here rather
//! than on each handler), and the route table that answers 405 with `Allow`
//! for a documented path asked with a method it does not have.

use std::sync::OnceLock;

use actix_web::http::Method;
use lejek_domain::dto::Problem;
use lejek_domain::{Column, ColumnSetting, ErrorCode, ProblemCode, ViolationCode};
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Lejek API",
        version = "1.0.0",
        description = "The sales funnel of a CRM: cases moving through five statuses under strict rules, \
                       their contacts, history and notes. Errors are RFC 9457 problem documents with a \
                       stable `code` (`ProblemCode`). Agents see only their own cases: anything else \
                       answers 404. A documented path asked with another method answers 405 with `Allow`."
    ),
    components(schemas(Problem, ProblemCode, ErrorCode, ViolationCode, ColumnSetting, Column)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Logging in and tokens"),
        (name = "cases", description = "The pipeline and the case card"),
        (name = "contacts", description = "Contacts (leads)"),
        (name = "settings", description = "Saved view settings"),
        (name = "admin", description = "Campaigns, users, dictionaries and API keys"),
        (name = "analytics", description = "The funnel's figures and the forecast's settings"),
        (name = "imports", description = "File import: upload, preview, run, refused rows"),
        (name = "forms", description = "Web forms: admin set-up and public submissions"),
        (name = "inbound", description = "E-mail intake: messages from mail gateways, its settings and log"),
        (name = "health", description = "Liveness, readiness and metrics"),
    )
)]
pub struct ApiDoc;

/// Adds the bearer scheme: a user's access token or an integration's key.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("JWT access token, or an API key (`lejek_…`)".to_owned());
        scheme.description = Some("`Authorization: Bearer <token>`".to_owned());
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
        let mut metrics = Http::new(HttpAuthScheme::Bearer);
        metrics.description = Some("The server's metrics token (`LEJEK_METRICS_TOKEN`)".to_owned());
        components.add_security_scheme("metrics_token", SecurityScheme::Http(metrics));
    }
}

/// A problem answer with `description`.
fn problem(description: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        "application/problem+json",
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("Problem")))
            .build(),
    )
}

fn retry_after(response: ResponseBuilder, description: &str) -> ResponseBuilder {
    response.header(
        "Retry-After",
        HeaderBuilder::new()
            .schema(Some(
                ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)),
            ))
            .description(Some(description))
            .build(),
    )
}

/// Adds the answers whole kinds of operations share, where the handler
/// does not document them itself: every operation can time out (504), lose
/// its database (503) or fail unexpectedly (500); a secured one refuses a
/// missing or bad token (401); one with a JSON body refuses broken JSON
/// (400), a body over the limit (413), another media type (415) and a body
/// of the wrong shape (422).
pub struct SharedAnswers;

impl Modify for SharedAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in operations_mut(item) {
                let mut add = |status: u16, response: ResponseBuilder| {
                    operation
                        .responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| RefOr::T(response.build()));
                };
                if operation.request_body.is_some() {
                    add(400, problem("`malformed_json`: the body is not JSON"));
                    add(
                        413,
                        problem("`payload_too_large`: the body is over the size limit"),
                    );
                    add(
                        415,
                        problem("`unsupported_media_type`: the body is not `application/json`"),
                    );
                    add(
                        422,
                        problem(
                            "`validation_failed` or a field rule's code: the body breaks a rule, each field named in `errors`",
                        ),
                    );
                }
                if operation
                    .security
                    .as_ref()
                    .is_some_and(|security| !security.is_empty())
                {
                    add(
                        401,
                        problem("`unauthorized`: no token, or an invalid, expired or revoked one"),
                    );
                }
                add(
                    500,
                    problem("`internal_error`: something went wrong on the server"),
                );
                add(
                    503,
                    retry_after(
                        problem("`service_unavailable`: the database cannot be reached"),
                        "Seconds to wait before retrying",
                    ),
                );
                add(504, problem("`timeout`: the request took too long"));
            }
        }
    }
}

fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .filter_map(Option::as_mut)
}

/// The documented paths and the methods each answers.
pub struct RouteTable {
    routes: Vec<(Vec<Segment>, Vec<Method>)>,
}

enum Segment {
    Literal(String),
    Parameter,
}

impl RouteTable {
    fn from_document(document: &utoipa::openapi::OpenApi) -> RouteTable {
        let routes = document
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .split('/')
                    .filter(|segment| !segment.is_empty())
                    .map(|segment| {
                        if segment.starts_with('{') {
                            Segment::Parameter
                        } else {
                            Segment::Literal(segment.to_owned())
                        }
                    })
                    .collect();
                let methods = [
                    (&item.get, Method::GET),
                    (&item.put, Method::PUT),
                    (&item.post, Method::POST),
                    (&item.delete, Method::DELETE),
                    (&item.patch, Method::PATCH),
                ]
                .into_iter()
                .filter_map(|(operation, method)| operation.is_some().then_some(method))
                .collect();
                (segments, methods)
            })
            .collect();
        RouteTable { routes }
    }

    /// The table of the served document.
    pub fn get() -> &'static RouteTable {
        static TABLE: OnceLock<RouteTable> = OnceLock::new();
        TABLE.get_or_init(|| RouteTable::from_document(&crate::startup::openapi()))
    }

    /// The methods of the documented path that `path` names, if any: the
    /// most specific one (most literal segments), so `/cases/counts` is
    /// itself and not a case id.
    pub fn allowed(&self, path: &str) -> Option<&[Method]> {
        let segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
        self.routes
            .iter()
            .filter(|(template, _)| {
                template.len() == segments.len()
                    && template.iter().zip(&segments).all(|(part, segment)| match part {
                        Segment::Literal(literal) => literal == segment,
                        Segment::Parameter => true,
                    })
            })
            .max_by_key(|(template, _)| {
                template
                    .iter()
                    .filter(|part| matches!(part, Segment::Literal(_)))
                    .count()
            })
            .map(|(_, methods)| methods.as_slice())
    }
}
