//! Building and running the HTTP server.

use std::net::TcpListener;
use std::time::Duration;

use actix_cors::Cors;
use actix_web::dev::{Server, ServerHandle, Service};
use actix_web::http::{Method, header};
use actix_web::middleware::{Compress, DefaultHeaders};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use lejek_domain::dto::DemoAccount;
use lejek_domain::{CampaignKind, CampaignRef};
use lejek_store::Store;
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::tokens::{AccessTokens, Signer};
use crate::error::{ApiError, allow_header};
use crate::openapi::{ApiDoc, RouteTable, SharedAnswers};
use crate::routes::{
    admin, analytics, auth, case_actions, cases, contacts, forms, health, imports, mail, metrics, views,
};
use crate::settings::{Settings, SettingsError};
use crate::state::AppState;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error("cannot listen on {address}: {source}")]
    Listen { address: String, source: std::io::Error },
    #[error("database: {0}")]
    Store(#[from] lejek_store::StoreError),
    #[error("the {0} campaign is missing")]
    MissingCampaign(&'static str),
}

/// Every `/api/v1` route, registered so utoipa documents them all.
fn api_v1(config: &mut ServiceConfig) {
    config
        .service(auth::login_options)
        .service(auth::login)
        .service(auth::refresh)
        .service(auth::logout)
        .service(auth::me)
        .service(cases::count_cases)
        .service(case_actions::bulk)
        .service(cases::list_cases)
        .service(cases::create_case)
        .service(cases::get_case)
        .service(cases::patch_case)
        .service(case_actions::transition)
        .service(case_actions::set_owner)
        .service(case_actions::set_campaign)
        .service(case_actions::events)
        .service(case_actions::notes)
        .service(case_actions::add_note)
        .service(cases::search)
        .service(contacts::list_contacts)
        .service(contacts::create_contact)
        .service(contacts::get_contact)
        .service(contacts::patch_contact)
        .service(contacts::contact_cases)
        .service(admin::campaigns)
        .service(admin::users)
        .service(admin::create_user)
        .service(admin::patch_user)
        .service(admin::qualifiers)
        .service(admin::add_qualifier)
        .service(admin::delete_qualifier)
        .service(admin::resignation_reasons)
        .service(admin::add_resignation_reason)
        .service(admin::delete_resignation_reason)
        .service(admin::api_keys)
        .service(admin::create_api_key)
        .service(admin::revoke_api_key)
        .service(views::get_view)
        .service(views::put_view)
        .service(views::delete_view)
        .service(analytics::probabilities)
        .service(analytics::put_probabilities)
        .service(analytics::funnel)
        .service(analytics::outcomes)
        .service(analytics::resignations)
        .service(analytics::durations)
        .service(analytics::forecast)
        .service(analytics::team)
        .service(imports::upload)
        .service(imports::list_imports)
        .service(imports::get_import)
        .service(imports::preview_import)
        .service(imports::run_import)
        .service(imports::refusals)
        .service(forms::list_forms)
        .service(forms::create_form)
        .service(forms::get_form)
        .service(forms::put_form)
        .service(forms::retire_form)
        .service(forms::form_token)
        .service(forms::submit_form)
        .service(mail::deliver_mail)
        .service(mail::mail_settings)
        .service(mail::put_mail_settings)
        .service(mail::inbound_messages);
}

/// The OpenAPI document the server serves at `/api/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut document = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(health::healthz)
        .service(health::readyz)
        .service(metrics::metrics)
        .service(scope("/api/v1").configure(api_v1))
        .split_for_parts()
        .1;
    SharedAnswers.modify(&mut document);
    document
}

/// What a request that no route took gets, when its path is a documented
/// one: `OPTIONS` lists the methods, another method not among them is 405
/// with `Allow`, and one among them (a path parameter that names nothing,
/// such as `/cases/abc`) is 404. `None` for undocumented paths.
fn documented_path_answer(request: &HttpRequest) -> Option<Result<HttpResponse, ApiError>> {
    let allowed = RouteTable::get().allowed(request.path())?;
    let method = request.method();
    Some(if method == Method::OPTIONS {
        Ok(HttpResponse::NoContent()
            .insert_header((header::ALLOW, allow_header(allowed)))
            .finish())
    } else if allowed.contains(method) {
        Err(ApiError::NotFound)
    } else {
        Err(ApiError::MethodNotAllowed {
            allow: allowed.to_vec(),
        })
    })
}

/// A path parameter that does not parse (`/cases/abc`): 404, or 405 when
/// the path is another documented path this method is not for
/// (`PATCH /cases/counts`).
fn path_error(request: &HttpRequest) -> ApiError {
    match documented_path_answer(request) {
        Some(Err(error)) => error,
        _ => ApiError::NotFound,
    }
}

/// What the client's page may load and run: its own scripts, compiled
/// WebAssembly (`'wasm-unsafe-eval'`, which allows no JavaScript `eval`),
/// its own stylesheet with the `data:` icons in it, calls to its own
/// origin; no inline script or style, no plugins, frames or form posts.
const CLIENT_CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
    form-action 'none'; frame-ancestors 'none'";

/// The page that loads the main app.
const MAIN_PAGE: &str = "index.html";
/// The page that loads the Analytics page, a bundle of its own that only
/// those who open it download.
const ANALYTICS_PAGE: &str = "analytics.html";

/// Everything the routes above do not answer. Under `/api/`, `/healthz`
/// and `/readyz` an unknown path is a 404 problem document, not an HTML
/// page. Any other GET is a file of the built client (`client_dir`), or
/// the page that loads the app a route belongs to: `analytics.html` under
/// `/analytics`, `index.html` for the rest, such as `/cases/12`. Assets
/// carry a content hash in their names, so they may be cached for a
/// year; the pages never are.
async fn client_or_not_found(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if let Some(answer) = documented_path_answer(&request) {
        return answer;
    }
    let path = request.path();
    let reserved = ["/api", "/healthz", "/readyz", "/metrics"]
        .iter()
        .any(|prefix| path == *prefix || path.starts_with(&format!("{prefix}/")));
    let method = request.method();
    if reserved || !(method == actix_web::http::Method::GET || method == actix_web::http::Method::HEAD) {
        return Err(ApiError::NotFound);
    }
    let dir = &state.settings.client_dir;
    let segments: Vec<&str> = path.split('/').filter(|segment| !segment.is_empty()).collect();
    let plain = |segment: &&str| {
        !segment.starts_with('.')
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    };
    let asset = (!segments.is_empty() && segments.iter().all(plain))
        .then(|| {
            segments
                .iter()
                .fold(dir.clone(), |path, segment| path.join(segment))
        })
        .filter(|file| file.is_file() && !file.ends_with(MAIN_PAGE) && !file.ends_with(ANALYTICS_PAGE));
    let page = match segments.first() {
        Some(&"analytics") if dir.join(ANALYTICS_PAGE).is_file() => ANALYTICS_PAGE,
        _ => MAIN_PAGE,
    };
    let (file, cache) = match asset {
        Some(file) => (file, "public, max-age=31536000, immutable"),
        None => (dir.join(page), "no-cache"),
    };
    let file = actix_files::NamedFile::open(&file).map_err(|_| ApiError::NotFound)?;
    let mut response = file.into_response(&request);
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, header::HeaderValue::from_static(cache));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(CLIENT_CSP),
    );
    Ok(response)
}

async fn docs_redirect(_: HttpRequest) -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, "/api/docs/"))
        .finish()
}

/// Browsers send `Origin` on same-origin writes too, so the client served by
/// this server is always allowed; other origins only when configured.
fn cors(origins: &[String]) -> Cors {
    let allowed: Vec<String> = origins
        .iter()
        .map(|origin| origin.trim_end_matches('/').to_owned())
        .collect();
    Cors::default()
        .allowed_origin_fn(move |origin, request| {
            let origin = origin.to_str().unwrap_or_default();
            let same_origin = request
                .headers()
                .get(header::HOST)
                .and_then(|host| host.to_str().ok())
                .is_some_and(|host| {
                    origin
                        .strip_prefix("http://")
                        .or_else(|| origin.strip_prefix("https://"))
                        == Some(host)
                });
            // A web form's own endpoints answer any site here and check
            // the form's sites themselves (they are in the database).
            let public_form = request.uri.path().starts_with("/api/v1/forms/")
                && (request.uri.path().ends_with("/token") || request.uri.path().ends_with("/submissions"));
            same_origin || public_form || allowed.iter().any(|allowed| allowed == origin)
        })
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::ACCEPT,
            header::HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([header::ETAG, header::LOCATION, header::RETRY_AFTER])
        .max_age(3600)
}

/// What every answer carries; HSTS only when configured (TLS in front).
fn default_headers(hsts_seconds: u64) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::X_FRAME_OPTIONS, "DENY"));
    if hsts_seconds == 0 {
        headers
    } else {
        headers.add((
            header::STRICT_TRANSPORT_SECURITY,
            format!("max-age={hsts_seconds}"),
        ))
    }
}

/// A running server.
pub struct Application {
    server: Server,
    port: u16,
    store: Store,
    /// What the background job worker shares with the handlers.
    state: web::Data<AppState>,
}

/// How often a node checks that the planner's statistics are current.
const STATISTICS_CHECK: Duration = Duration::from_secs(15 * 60);

/// Keeps the store's statistics sample current while the server runs, so
/// query plans follow the data as it grows and moves through the funnel.
async fn maintain_statistics(store: Store) {
    let mut ticks = tokio::time::interval(STATISTICS_CHECK);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        if let Err(error) = store.refresh_statistics_if_stale().await {
            tracing::warn!(%error, "refreshing the statistics sample failed");
        }
    }
}

impl Application {
    /// Binds the listener (port 0 picks a free one) and prepares the server.
    pub async fn build(settings: Settings, store: Store) -> Result<Application, StartupError> {
        Application::build_with_demo(settings, store, None).await
    }

    /// As [`Application::build`], on demo data: the login page offers
    /// `demo_account`.
    pub async fn build_with_demo(
        settings: Settings,
        store: Store,
        demo_account: Option<DemoAccount>,
    ) -> Result<Application, StartupError> {
        let secret = settings.jwt_secret()?;
        let campaigns = store.campaigns().await?;
        let campaign = |kind: CampaignKind, name: &'static str| {
            campaigns
                .iter()
                .find(|campaign| campaign.kind == kind)
                .map(|campaign| CampaignRef {
                    id: campaign.id,
                    kind,
                })
                .ok_or(StartupError::MissingCampaign(name))
        };
        let state = AppState {
            funnel: campaign(CampaignKind::Funnel, "funnel")?,
            spam: campaign(CampaignKind::Spam, "spam")?,
            access_tokens: AccessTokens::new(&secret, settings.access_token_minutes),
            cursors: Signer::new(&secret, "lejek list cursor v1"),
            form_tokens: Signer::new(&secret, "lejek form token v1"),
            demo_account,
            store,
            record_metrics: settings.metrics_token.is_some() && crate::monitoring::install().is_some(),
            work: crate::imports::worker::WorkSignal::default(),
            mail_poll: crate::mail::imap::MailPoll::default(),
            settings,
        };
        if state.record_metrics {
            crate::monitoring::describe();
        }
        let listener = TcpListener::bind(&state.settings.listen).map_err(|source| StartupError::Listen {
            address: state.settings.listen.clone(),
            source,
        })?;
        let port = listener
            .local_addr()
            .map_err(|source| StartupError::Listen {
                address: state.settings.listen.clone(),
                source,
            })?
            .port();
        let timeout = Duration::from_secs(state.settings.request_timeout_seconds);

        let store = state.store.clone();
        let data = web::Data::new(state);
        let worker_state = data.clone();
        let document = openapi();
        let server = HttpServer::new(move || {
            let (app, _) = App::new()
                .into_utoipa_app()
                .openapi(ApiDoc::openapi())
                .app_data(data.clone())
                .app_data(web::PathConfig::default().error_handler(|_, request| path_error(request).into()))
                .service(health::healthz)
                .service(health::readyz)
                .service(metrics::metrics)
                .service(scope("/api/v1").configure(api_v1))
                .split_for_parts();
            app.wrap_fn(move |request, service| {
                let response = service.call(request);
                async move {
                    match tokio::time::timeout(timeout, response).await {
                        Ok(result) => result,
                        Err(_) => Err(ApiError::Timeout.into()),
                    }
                }
            })
            .wrap(Compress::default())
            .wrap(cors(&data.settings.cors_origins))
            .wrap(default_headers(data.settings.hsts_seconds))
            .wrap(actix_web::middleware::from_fn(crate::observe::observe))
            .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", document.clone()))
            .route("/api/docs", web::get().to(docs_redirect))
            .route("/f/{key}", web::get().to(forms::form_page))
            .default_service(web::to(client_or_not_found))
        })
        // Without it, an answer written in more than one segment on a kept
        // alive connection waits for the peer's delayed ACK (Nagle): 40 ms
        // per request on a proxy's reused upstream connections (measured
        // through Caddy: GET /cases?limit=50 at p50 3 → 43 ms).
        .tcp_nodelay(true)
        .listen(listener)
        .map_err(|source| StartupError::Listen {
            address: String::from("listener"),
            source,
        })?
        .shutdown_timeout(10)
        .run();
        Ok(Application {
            server,
            port,
            store,
            state: worker_state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped (SIGTERM or SIGINT stop it gracefully).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let maintenance = tokio::spawn(maintain_statistics(self.store));
        let mail_poll = tokio::spawn(crate::mail::imap::run(self.state.clone()));
        let worker = tokio::spawn(crate::imports::worker::run(
            self.state,
            crate::imports::worker::worker_id(),
        ));
        let served = self.server.await;
        maintenance.abort();
        worker.abort();
        mail_poll.abort();
        served
    }
}
