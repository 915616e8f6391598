//! The OpenAPI document, derived from the handlers themselves.

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Lejek API",
        version = "1.0.0",
        description = "The sales funnel of a CRM: cases moving through five statuses under strict rules, \
                       their contacts, history and notes. Errors are RFC 9457 problem documents with a \
                       stable `code`. Agents see only their own cases: anything else answers 404."
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Logging in and tokens"),
        (name = "cases", description = "The pipeline and the case card"),
        (name = "contacts", description = "Contacts (leads)"),
        (name = "settings", description = "Saved view settings"),
        (name = "admin", description = "Campaigns, users, dictionaries and API keys"),
        (name = "health", description = "Liveness and readiness"),
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
    }
}
