//! Every HTTP call of the client, typed with the domain's DTOs, and the
//! session: login, refresh-token rotation and logout.
//!
//! The access token lives only in memory (a signal), so no script-readable
//! storage ever holds it. The refresh token is kept in `sessionStorage` so
//! that a reload of the tab does not log the user out; it dies with the tab,
//! is rotated on every use (the server revokes the whole family when an old
//! one is replayed), and is revoked on logout.

use std::cell::RefCell;

use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use gloo_net::http::{Method, RequestBuilder, Response};
use lejek_domain::dto::{
    BulkRequest, BulkResult, CampaignDto, CampaignRequest, CaseCard, CaseEventDto, CasePatchRequest, CaseRow,
    ContactDto, ContactPatchRequest, DictionaryEntry, FieldError, ImportDetails, ImportPreview,
    ImportReadingRequest, InboundMailDto, LoginOptions, LoginRequest, LogoutRequest, MailIntakeDto,
    MailIntakeRequest, Me, NewCaseRequest, NewNoteRequest, NoteDto, OwnerRequest, Page, Problem,
    RefreshRequest, RunImportRequest, SavedView, TabCounts, TokenPair, TransitionRequest, UserDto,
    WebFormDto, WebFormRequest,
};
use lejek_domain::{
    CampaignId, CaseId, ContactId, ErrorCode, Language, PipelineQuery, ProblemCode, UserId, ViewKey,
    ViewSettings, ViolationCode,
};
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::browser;
use crate::i18n::T;

const BASE: &str = "/api/v1";
const REFRESH_TOKEN_KEY: &str = "lejek.refresh_token";

/// Why a call failed: the server's problem document, or no answer at all.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The request never got an answer (offline, server down).
    Network(String),
    /// An RFC 9457 problem, or one made up from the status when the body
    /// was not one.
    Problem {
        problem: Problem,
        retry_after: Option<u64>,
    },
    /// A 2xx answer whose body was not what the contract promises.
    Decode(String),
}

impl ApiError {
    /// The problem's code, when the server answered.
    pub fn code(&self) -> Option<ProblemCode> {
        match self {
            ApiError::Problem { problem, .. } => Some(problem.code),
            _ => None,
        }
    }

    /// Whether the server answered with this general code.
    pub fn is(&self, code: ErrorCode) -> bool {
        self.code() == Some(ProblemCode::Error(code))
    }

    /// Someone else changed the case since it was read.
    pub fn is_stale(&self) -> bool {
        self.is(ErrorCode::VersionMismatch)
    }

    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            ApiError::Problem { problem, .. } => &problem.errors,
            _ => &[],
        }
    }

    /// A sentence for the user.
    pub fn message(&self, language: Language) -> String {
        let text = |key: T| key.text(language).to_owned();
        match self {
            ApiError::Network(_) => text(T::ErrNetwork),
            ApiError::Decode(_) => text(T::ErrServer),
            ApiError::Problem { problem, retry_after } => match problem.code {
                ProblemCode::Violation(_) if !problem.errors.is_empty() => text(T::FixFields),
                ProblemCode::Violation(code) => violation_text(code, language),
                ProblemCode::Error(code) => match code {
                    ErrorCode::VersionMismatch => text(T::StaleTitle),
                    ErrorCode::RateLimited => format!(
                        "{} {} {}",
                        T::TooManyAttempts.text(language),
                        retry_after.unwrap_or(60),
                        T::Seconds.text(language)
                    ),
                    ErrorCode::TransitionForbidden => text(T::ErrTransition),
                    ErrorCode::Timeout => text(T::ErrTimeout),
                    ErrorCode::Unauthorized => text(T::SessionExpired),
                    ErrorCode::Forbidden | ErrorCode::SelfLockout => text(T::ErrForbidden),
                    ErrorCode::NotFound => text(T::ErrNotFound),
                    ErrorCode::InvalidParameter | ErrorCode::MalformedJson | ErrorCode::MalformedBody => self
                        .field_errors()
                        .first()
                        .map(|error| {
                            format!(
                                "{} {}: {}",
                                T::ErrBadRequest.text(language),
                                error.field,
                                violation_text(error.code, language)
                            )
                        })
                        .unwrap_or_else(|| text(T::ErrBadRequest)),
                    ErrorCode::ValidationFailed if !problem.errors.is_empty() => text(T::FixFields),
                    ErrorCode::ValidationFailed => text(T::ErrValidation),
                    ErrorCode::InternalError | ErrorCode::ServiceUnavailable => text(T::ErrServer),
                    ErrorCode::MethodNotAllowed
                    | ErrorCode::Conflict
                    | ErrorCode::IdempotencyInProgress
                    | ErrorCode::PayloadTooLarge
                    | ErrorCode::UnsupportedMediaType
                    | ErrorCode::IdempotencyKeyReused
                    | ErrorCode::PreconditionRequired => problem.detail.clone(),
                },
            },
        }
    }
}

/// A violation code's sentence in `language`.
pub fn violation_text(code: ViolationCode, language: Language) -> String {
    code.label(language).to_owned()
}

/// The one decoder of error answers.
async fn decode_error(response: Response) -> ApiError {
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|value| value.trim().parse().ok());
    let body = response.text().await.unwrap_or_default();
    let problem = serde_json::from_str::<Problem>(&body).unwrap_or_else(|_| Problem {
        problem_type: "about:blank".to_owned(),
        title: response.status_text(),
        status,
        detail: String::new(),
        code: ErrorCode::for_status(status).into(),
        errors: Vec::new(),
        request_id: None,
    });
    ApiError::Problem { problem, retry_after }
}

/// Who is using the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    /// Restoring a session from the tab's refresh token.
    Checking,
    /// `expired` when the session ended by itself rather than by logout.
    LoggedOut {
        expired: bool,
    },
    LoggedIn(Me),
}

/// One request, kept so it can be sent again after a token refresh.
struct Call {
    method: Method,
    path: String,
    body: Option<String>,
    /// A file sent as the body, with its own content type.
    file: Option<web_sys::File>,
    if_match: Option<String>,
    idempotency_key: Option<String>,
    authenticated: bool,
}

impl Call {
    fn new(method: Method, path: String) -> Call {
        Call {
            method,
            path,
            body: None,
            file: None,
            if_match: None,
            idempotency_key: None,
            authenticated: true,
        }
    }

    fn json<B: Serialize>(mut self, body: &B) -> Call {
        self.body = serde_json::to_string(body).ok();
        self
    }

    fn file(mut self, file: web_sys::File) -> Call {
        self.file = Some(file);
        self
    }

    /// `If-Match` with the case version read last (the server's ETag).
    fn version(mut self, version: i64) -> Call {
        self.if_match = Some(format!("\"{version}\""));
        self
    }

    fn idempotent(mut self, key: String) -> Call {
        self.idempotency_key = Some(key);
        self
    }

    fn anonymous(mut self) -> Call {
        self.authenticated = false;
        self
    }
}

thread_local! {
    /// The refresh in flight, shared by every request that got a 401 at
    /// the same time: a refresh token may be used only once.
    static REFRESHING: RefCell<Option<Shared<LocalBoxFuture<'static, bool>>>> = const { RefCell::new(None) };
}

/// The API client and the session; cheap to copy into closures.
#[derive(Clone, Copy)]
pub struct Api {
    session: RwSignal<Session>,
    /// The access token: in memory only.
    access_token: RwSignal<Option<String>>,
}

pub fn use_api() -> Api {
    expect_context::<Api>()
}

impl Api {
    /// Creates the client and restores the session of this tab, if any.
    pub fn provide() -> Api {
        let api = Api {
            session: RwSignal::new(Session::Checking),
            access_token: RwSignal::new(None),
        };
        provide_context(api);
        leptos::task::spawn_local(async move {
            let restored = browser::load_session(REFRESH_TOKEN_KEY).is_some() && api.refresh().await;
            match restored {
                true => api.load_me().await,
                false => api.session.set(Session::LoggedOut { expired: false }),
            }
        });
        api
    }

    /// The session (tracked).
    pub fn session(self) -> Session {
        self.session.get()
    }

    /// The logged-in user (tracked).
    pub fn me(self) -> Option<Me> {
        self.session.with(|session| match session {
            Session::LoggedIn(me) => Some(me.clone()),
            _ => None,
        })
    }

    fn keep_tokens(self, pair: TokenPair) {
        browser::store_session(REFRESH_TOKEN_KEY, Some(&pair.refresh_token));
        self.access_token.set(Some(pair.access_token));
    }

    fn forget_tokens(self) {
        browser::store_session(REFRESH_TOKEN_KEY, None);
        self.access_token.set(None);
    }

    async fn load_me(self) {
        match self.get::<Me>("/me".to_owned()).await {
            Ok(me) => self.session.set(Session::LoggedIn(me)),
            Err(_) => {
                self.forget_tokens();
                self.session.set(Session::LoggedOut { expired: true });
            }
        }
    }

    /// What the login page may offer: the demo login, on demo data only.
    pub async fn login_options(self) -> Result<LoginOptions, ApiError> {
        self.fetch(Call::new(Method::GET, "/auth/login-options".to_owned()).anonymous())
            .await
    }

    pub async fn login(self, email: String, password: String) -> Result<(), ApiError> {
        let call = Call::new(Method::POST, "/auth/login".to_owned())
            .json(&LoginRequest { email, password })
            .anonymous();
        let pair: TokenPair = self.fetch(call).await?;
        self.keep_tokens(pair);
        self.load_me().await;
        Ok(())
    }

    /// Revokes this tab's refresh token and forgets the session.
    pub async fn logout(self) {
        let refresh_token = browser::load_session(REFRESH_TOKEN_KEY);
        let call = Call::new(Method::POST, "/auth/logout".to_owned()).json(&LogoutRequest { refresh_token });
        let _ = self.send(&call).await;
        self.forget_tokens();
        self.session.set(Session::LoggedOut { expired: false });
    }

    /// Exchanges the refresh token for a new pair, once for all callers
    /// waiting at the same moment.
    async fn refresh(self) -> bool {
        let shared = REFRESHING.with(|slot| {
            let mut slot = slot.borrow_mut();
            if let Some(running) = slot.as_ref() {
                return running.clone();
            }
            let running = async move {
                let renewed = self.rotate_refresh_token().await;
                REFRESHING.with(|slot| *slot.borrow_mut() = None);
                renewed
            }
            .boxed_local()
            .shared();
            *slot = Some(running.clone());
            running
        });
        shared.await
    }

    async fn rotate_refresh_token(self) -> bool {
        let Some(refresh_token) = browser::load_session(REFRESH_TOKEN_KEY) else {
            return false;
        };
        let call = Call::new(Method::POST, "/auth/refresh".to_owned())
            .json(&RefreshRequest { refresh_token })
            .anonymous();
        match self.fetch::<TokenPair>(call).await {
            Ok(pair) => {
                self.keep_tokens(pair);
                true
            }
            Err(error) => {
                if error.is(ErrorCode::Unauthorized) {
                    browser::store_session(REFRESH_TOKEN_KEY, None);
                }
                false
            }
        }
    }

    /// The session ended by itself: back to the login page.
    fn expire(self) {
        self.forget_tokens();
        if !matches!(self.session.get_untracked(), Session::LoggedOut { .. }) {
            self.session.set(Session::LoggedOut { expired: true });
        }
    }

    async fn send_once(self, call: &Call) -> Result<Response, ApiError> {
        let mut builder = RequestBuilder::new(&format!("{BASE}{}", call.path))
            .method(call.method.clone())
            .header("accept", "application/json");
        if call.authenticated
            && let Some(token) = self.access_token.get_untracked()
        {
            builder = builder.header("authorization", &format!("Bearer {token}"));
        }
        if let Some(tag) = &call.if_match {
            builder = builder.header("if-match", tag);
        }
        if let Some(key) = &call.idempotency_key {
            builder = builder.header("idempotency-key", key);
        }
        let request = match (&call.body, &call.file) {
            (_, Some(file)) => {
                let content_type = match file.type_() {
                    known if !known.is_empty() => known,
                    _ => "application/octet-stream".to_owned(),
                };
                builder.header("content-type", &content_type).body(file.clone())
            }
            (Some(body), None) => builder
                .header("content-type", "application/json")
                .body(body.clone()),
            (None, None) => builder.build(),
        }
        .map_err(|error| ApiError::Network(error.to_string()))?;
        request
            .send()
            .await
            .map_err(|error| ApiError::Network(error.to_string()))
    }

    /// Sends a call; on 401 refreshes the tokens once and tries again, and
    /// if that fails too the session is over.
    async fn send(self, call: &Call) -> Result<Response, ApiError> {
        let response = self.send_once(call).await?;
        if response.status() != 401 || !call.authenticated {
            return Ok(response);
        }
        if self.refresh().await {
            let retried = self.send_once(call).await?;
            if retried.status() != 401 {
                return Ok(retried);
            }
        }
        self.expire();
        Ok(response)
    }

    async fn fetch<R: DeserializeOwned>(self, call: Call) -> Result<R, ApiError> {
        let response = self.send(&call).await?;
        if !response.ok() {
            return Err(decode_error(response).await);
        }
        response
            .json::<R>()
            .await
            .map_err(|error| ApiError::Decode(error.to_string()))
    }

    async fn fetch_empty(self, call: Call) -> Result<(), ApiError> {
        let response = self.send(&call).await?;
        if response.ok() {
            Ok(())
        } else {
            Err(decode_error(response).await)
        }
    }

    async fn fetch_text(self, call: Call) -> Result<String, ApiError> {
        let response = self.send(&call).await?;
        if !response.ok() {
            return Err(decode_error(response).await);
        }
        response
            .text()
            .await
            .map_err(|error| ApiError::Decode(error.to_string()))
    }

    async fn get<R: DeserializeOwned>(self, path: String) -> Result<R, ApiError> {
        self.fetch(Call::new(Method::GET, path)).await
    }

    // ---- the pipeline -------------------------------------------------

    pub async fn cases(self, query: &PipelineQuery) -> Result<Page<CaseRow>, ApiError> {
        self.get(format!("/cases?{}", query.to_query_string())).await
    }

    pub async fn counts(self, query: &PipelineQuery) -> Result<TabCounts, ApiError> {
        self.get(format!("/cases/counts?{}", query.to_query_string()))
            .await
    }

    pub async fn bulk(self, request: &BulkRequest) -> Result<BulkResult, ApiError> {
        self.fetch(Call::new(Method::POST, "/cases/bulk".to_owned()).json(request))
            .await
    }

    pub async fn view(self, key: ViewKey) -> Result<SavedView, ApiError> {
        self.get(format!("/views/{key}")).await
    }

    pub async fn save_view(self, key: ViewKey, settings: &ViewSettings) -> Result<SavedView, ApiError> {
        self.fetch(Call::new(Method::PUT, format!("/views/{key}")).json(settings))
            .await
    }

    pub async fn reset_view(self, key: ViewKey) -> Result<(), ApiError> {
        self.fetch_empty(Call::new(Method::DELETE, format!("/views/{key}")))
            .await
    }

    // ---- one case -----------------------------------------------------

    pub async fn case(self, id: CaseId) -> Result<CaseCard, ApiError> {
        self.get(format!("/cases/{id}")).await
    }

    pub async fn create_case(self, request: &NewCaseRequest, key: String) -> Result<CaseCard, ApiError> {
        let call = Call::new(Method::POST, "/cases".to_owned())
            .json(request)
            .idempotent(key);
        self.fetch(call).await
    }

    pub async fn patch_case(
        self,
        id: CaseId,
        version: i64,
        patch: &CasePatchRequest,
    ) -> Result<CaseCard, ApiError> {
        let call = Call::new(Method::PATCH, format!("/cases/{id}"))
            .json(patch)
            .version(version);
        self.fetch(call).await
    }

    pub async fn transition(
        self,
        id: CaseId,
        version: i64,
        request: &TransitionRequest,
    ) -> Result<CaseCard, ApiError> {
        let call = Call::new(Method::POST, format!("/cases/{id}/transition"))
            .json(request)
            .version(version);
        self.fetch(call).await
    }

    pub async fn set_owner(
        self,
        id: CaseId,
        version: i64,
        owner: Option<UserId>,
    ) -> Result<CaseCard, ApiError> {
        let call = Call::new(Method::PUT, format!("/cases/{id}/owner"))
            .json(&OwnerRequest { owner_id: owner })
            .version(version);
        self.fetch(call).await
    }

    pub async fn set_campaign(
        self,
        id: CaseId,
        version: i64,
        campaign: CampaignId,
    ) -> Result<CaseCard, ApiError> {
        let call = Call::new(Method::PUT, format!("/cases/{id}/campaign"))
            .json(&CampaignRequest {
                campaign_id: campaign,
            })
            .version(version);
        self.fetch(call).await
    }

    pub async fn events(self, id: CaseId) -> Result<Vec<CaseEventDto>, ApiError> {
        self.get(format!("/cases/{id}/events")).await
    }

    pub async fn notes(self, id: CaseId) -> Result<Vec<NoteDto>, ApiError> {
        self.get(format!("/cases/{id}/notes")).await
    }

    pub async fn add_note(self, id: CaseId, body: String, key: String) -> Result<NoteDto, ApiError> {
        let call = Call::new(Method::POST, format!("/cases/{id}/notes"))
            .json(&NewNoteRequest { body })
            .idempotent(key);
        self.fetch(call).await
    }

    // ---- search and contacts ------------------------------------------

    pub async fn search(self, q: &str, cursor: Option<&str>) -> Result<Page<CaseRow>, ApiError> {
        self.get(format!("/search?{}", list_query(Some(q), cursor, 50)))
            .await
    }

    pub async fn contacts(self, q: &str, limit: u16) -> Result<Page<ContactDto>, ApiError> {
        self.get(format!("/contacts?{}", list_query(Some(q), None, limit)))
            .await
    }

    pub async fn contact(self, id: ContactId) -> Result<ContactDto, ApiError> {
        self.get(format!("/contacts/{id}")).await
    }

    pub async fn patch_contact(
        self,
        id: ContactId,
        patch: &ContactPatchRequest,
    ) -> Result<ContactDto, ApiError> {
        let call = Call::new(Method::PATCH, format!("/contacts/{id}")).json(patch);
        self.fetch(call).await
    }

    pub async fn contact_cases(self, id: ContactId, cursor: Option<&str>) -> Result<Page<CaseRow>, ApiError> {
        self.get(format!("/contacts/{id}/cases?{}", list_query(None, cursor, 50)))
            .await
    }

    // ---- the funnel's figures -----------------------------------------

    /// `GET /analytics/{figure}?{query}`.
    pub async fn figure<R: DeserializeOwned>(self, figure: &str, query: &str) -> Result<R, ApiError> {
        self.get(format!("/analytics/{figure}?{query}")).await
    }

    // ---- imports ------------------------------------------------------

    pub async fn imports(self) -> Result<Vec<ImportDetails>, ApiError> {
        self.get("/imports".to_owned()).await
    }

    pub async fn import(self, id: i64) -> Result<ImportDetails, ApiError> {
        self.get(format!("/imports/{id}")).await
    }

    /// Uploads a file to import; the answer previews it.
    pub async fn upload_import(self, file: web_sys::File) -> Result<ImportPreview, ApiError> {
        let mut query = form_urlencoded::Serializer::new(String::new());
        let name = file.name();
        if !name.trim().is_empty() {
            query.append_pair("file_name", name.trim());
        }
        self.fetch(Call::new(Method::POST, format!("/imports?{}", query.finish())).file(file))
            .await
    }

    pub async fn preview_import(
        self,
        id: i64,
        request: &ImportReadingRequest,
    ) -> Result<ImportPreview, ApiError> {
        self.fetch(Call::new(Method::POST, format!("/imports/{id}/preview")).json(request))
            .await
    }

    pub async fn run_import(self, id: i64, request: &RunImportRequest) -> Result<ImportDetails, ApiError> {
        self.fetch(Call::new(Method::POST, format!("/imports/{id}/run")).json(request))
            .await
    }

    /// The refused rows as CSV text, headed in `language`.
    pub async fn import_refusals(self, id: i64, language: Language) -> Result<String, ApiError> {
        self.fetch_text(Call::new(
            Method::GET,
            format!("/imports/{id}/refusals?lang={}", language.code()),
        ))
        .await
    }

    // ---- web forms ----------------------------------------------------

    pub async fn web_forms(self) -> Result<Vec<WebFormDto>, ApiError> {
        self.get("/forms".to_owned()).await
    }

    /// Creates a form (`id` none) or changes one.
    pub async fn save_web_form(
        self,
        id: Option<i64>,
        request: &WebFormRequest,
    ) -> Result<WebFormDto, ApiError> {
        let call = match id {
            Some(id) => Call::new(Method::PUT, format!("/forms/{id}")),
            None => Call::new(Method::POST, "/forms".to_owned()),
        };
        self.fetch(call.json(request)).await
    }

    pub async fn retire_web_form(self, id: i64) -> Result<(), ApiError> {
        self.fetch_empty(Call::new(Method::DELETE, format!("/forms/{id}")))
            .await
    }

    // ---- e-mail intake ------------------------------------------------

    pub async fn mail_intake(self) -> Result<MailIntakeDto, ApiError> {
        self.get("/inbound/email/settings".to_owned()).await
    }

    pub async fn save_mail_intake(self, request: &MailIntakeRequest) -> Result<MailIntakeDto, ApiError> {
        self.fetch(Call::new(Method::PUT, "/inbound/email/settings".to_owned()).json(request))
            .await
    }

    /// The latest inbound messages, newest first.
    pub async fn inbound_mails(self) -> Result<Vec<InboundMailDto>, ApiError> {
        self.get("/inbound/email/messages".to_owned()).await
    }

    // ---- dictionaries -------------------------------------------------

    pub async fn campaigns(self) -> Result<Vec<CampaignDto>, ApiError> {
        self.get("/campaigns".to_owned()).await
    }

    /// Managers only.
    pub async fn users(self) -> Result<Vec<UserDto>, ApiError> {
        self.get("/users".to_owned()).await
    }

    pub async fn qualifiers(self) -> Result<Vec<DictionaryEntry>, ApiError> {
        self.get("/qualifiers".to_owned()).await
    }

    pub async fn resignation_reasons(self) -> Result<Vec<DictionaryEntry>, ApiError> {
        self.get("/resignation-reasons".to_owned()).await
    }
}

fn list_query(q: Option<&str>, cursor: Option<&str>, limit: u16) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    if let Some(q) = q.filter(|q| !q.trim().is_empty()) {
        out.append_pair("q", q.trim());
    }
    out.append_pair("limit", &limit.to_string());
    if let Some(cursor) = cursor {
        out.append_pair("cursor", cursor);
    }
    out.finish()
}
