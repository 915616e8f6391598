//! The API test harness: a real server on a random port over a fresh
//! database (SQLite or PostgreSQL), a team of four logged-in users, and
//! typed helpers for the requests the tests make.
//!
//! Every scenario is written once as `async fn name(app: &TestApp)` and run
//! on both backends by [`both!`]. Every response any helper receives is
//! checked never to be a 5xx.
//!
//! The environment:
//! - `LEJEK_TEST_POSTGRES_URL`: a PostgreSQL server where each test creates
//!   (and drops) its own database. Without it the PostgreSQL variants fail,
//!   unless `LEJEK_TEST_SKIP_POSTGRES=1` skips them on purpose.
//! - `LEJEK_TEST_LOG`: an env-filter (`lejek_api=debug`) for server logs.
//! - `LEJEK_TEST_TIMING`: print each test's set-up and total time.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use actix_web::dev::ServerHandle;
use chrono::{NaiveDate, Utc};
use lejek_api::{Application, Settings};
use lejek_domain::Role;
use lejek_store::test_support::TestDatabase;
use lejek_store::{NewUser, Store, UserKind};
use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};

pub mod imap_server;
pub mod proxy;

/// The password of every user the harness creates (the demo team too).
pub const TEST_PASSWORD: &str = "correct horse battery staple";

/// The HS256 key the test servers sign access tokens with, so tests can
/// forge tokens (expired, for unknown users) the server must refuse.
pub const TEST_JWT_SECRET: &str = "lejek-test-secret-0123456789abcdefghijklmnopqrstuvwxyz";

/// Which database engine a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Set to `1` to skip the PostgreSQL variant of every test explicitly.
pub const SKIP_POSTGRES_VAR: &str = "LEJEK_TEST_SKIP_POSTGRES";

/// Runs each named scenario, `async fn name(app: &TestApp)`, as two tests,
/// `name::sqlite` and `name::postgres`, each on a fresh server and database.
#[macro_export]
macro_rules! both {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                $crate::run($crate::Backend::Sqlite, |app| Box::pin(super::$name(app))).await;
            }

            #[tokio::test]
            async fn postgres() {
                $crate::run($crate::Backend::Postgres, |app| Box::pin(super::$name(app))).await;
            }
        }
    )+};
}

/// Spawns an app on `backend`, runs `scenario` on it and stops the server.
/// On PostgreSQL without `LEJEK_TEST_POSTGRES_URL` it fails, unless
/// `LEJEK_TEST_SKIP_POSTGRES=1` says to skip.
pub async fn run<F>(backend: Backend, scenario: F)
where
    F: for<'a> FnOnce(&'a TestApp) -> futures_util::future::LocalBoxFuture<'a, ()>,
{
    let started = std::time::Instant::now();
    let Some(app) = try_spawn_app(backend).await else {
        return;
    };
    let spawned = started.elapsed();
    scenario(&app).await;
    app.stop().await;
    if std::env::var("LEJEK_TEST_TIMING").is_ok() {
        eprintln!(
            "TIMING {} spawn {spawned:?} total {:?}",
            std::thread::current().name().unwrap_or_default(),
            started.elapsed()
        );
    }
}

/// A user the harness created and logged in once.
#[derive(Debug, Clone)]
pub struct TestUser {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub token: String,
    pub refresh_token: String,
}

/// A running server over its own database.
pub struct TestApp {
    pub backend: Backend,
    /// `http://127.0.0.1:<port>`
    pub address: String,
    pub port: u16,
    pub store: Store,
    pub client: reqwest::Client,
    pub admin: TestUser,
    pub manager: TestUser,
    pub agent: TestUser,
    /// A second salesperson, whose cases the first must never see.
    pub other_agent: TestUser,
    /// The sales funnel campaign and the SPAM campaign.
    pub funnel_id: i64,
    pub spam_id: i64,
    handle: ServerHandle,
    // Dropped last: the database outlives the server and the store.
    _db: TestDatabase,
}

/// An argon2id hash of [`TEST_PASSWORD`] with the smallest cost
/// parameters. The server verifies a hash with the parameters it carries,
/// so logins go through the real code path in microseconds instead of the
/// production parameters' second in a debug build. (Users created through
/// `POST /users` get the production hash, and one of them logs in.)
pub fn cheap_password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let params = argon2::Params::new(8, 1, 1, None).expect("minimal argon2 parameters");
        let argon2 = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let salt = SaltString::encode_b64(b"lejek-test-salt!").expect("salt");
        argon2
            .hash_password(TEST_PASSWORD.as_bytes(), &salt)
            .expect("hash")
            .to_string()
    })
}

/// A fresh server on `backend`; panics when PostgreSQL is not configured.
pub async fn spawn_app(backend: Backend) -> TestApp {
    try_spawn_app(backend)
        .await
        .expect("PostgreSQL skipped by LEJEK_TEST_SKIP_POSTGRES=1")
}

/// A fresh server on `backend`, or `None` when PostgreSQL is explicitly
/// skipped with `LEJEK_TEST_SKIP_POSTGRES=1`.
pub async fn try_spawn_app(backend: Backend) -> Option<TestApp> {
    try_spawn_app_with(backend, |_| {}).await
}

/// As [`try_spawn_app`], with settings changed by `configure` first. The
/// server and [`TestApp::store`] reach the database at the settings'
/// `database_url`, so a test may route them through a [`proxy::DbProxy`].
pub async fn try_spawn_app_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> Option<TestApp> {
    init_logging();
    let db = match backend {
        Backend::Sqlite => TestDatabase::sqlite(),
        Backend::Postgres => match TestDatabase::postgres().await {
            Some(db) => db,
            None if std::env::var(SKIP_POSTGRES_VAR).as_deref() == Ok("1") => {
                eprintln!("PostgreSQL variant skipped: {SKIP_POSTGRES_VAR}=1");
                return None;
            }
            None => panic!(
                "{} is not set, so the PostgreSQL variant of this test cannot run. Set it to a \
                 server where the tests may create databases (e.g. \
                 postgres://postgres@127.0.0.1:5432/postgres), or set {SKIP_POSTGRES_VAR}=1 to \
                 skip PostgreSQL on purpose.",
                lejek_store::test_support::POSTGRES_URL_VAR
            ),
        },
    };
    let data_dir = std::env::temp_dir().join(format!("lejek_test_data_{}", unique()));
    let mut settings = Settings {
        listen: "127.0.0.1:0".to_owned(),
        database_url: Some(db.url.clone()),
        jwt_secret: Some(TEST_JWT_SECRET.to_owned().into()),
        // Never created: no client to serve, no generated secret to keep.
        client_dir: data_dir.join("client"),
        data_dir,
        ..Settings::default()
    };
    configure(&mut settings);
    let store = Store::open(&settings.database_url(), settings.db_max_connections)
        .await
        .expect("open the test database");
    let mut people = Vec::new();
    for (email, name, role) in [
        ("admin@lejek.test", "Ada Admińska", Role::Admin),
        ("manager@lejek.test", "Marek Menedżer", Role::Manager),
        ("agent@lejek.test", "Anna Agentka", Role::Agent),
        ("other.agent@lejek.test", "Olga Obca", Role::Agent),
    ] {
        let user = store
            .create_user(
                NewUser {
                    email: email.to_owned(),
                    name: name.to_owned(),
                    role,
                    kind: UserKind::Person,
                    password_hash: Some(cheap_password_hash().to_owned()),
                },
                Utc::now(),
            )
            .await
            .expect("create a test user");
        people.push((user.id, email, name, role));
    }
    let campaigns = store.campaigns().await.expect("campaigns");
    let campaign = |kind: &str| {
        campaigns
            .iter()
            .find(|campaign| campaign.kind.as_str() == kind)
            .map(|campaign| campaign.id.0)
            .expect("seeded campaign")
    };
    let (funnel_id, spam_id) = (campaign("funnel"), campaign("spam"));

    let app = Application::build(settings, store.clone())
        .await
        .expect("build the application");
    let port = app.port();
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());

    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client");
    let address = format!("http://127.0.0.1:{port}");
    let pairs = futures_util::future::join_all(
        people
            .iter()
            .map(|(_, email, _, _)| login_pair(&client, &address, email, TEST_PASSWORD)),
    )
    .await;
    let users: Vec<TestUser> = people
        .into_iter()
        .zip(pairs)
        .map(|((id, email, name, role), (token, refresh_token))| TestUser {
            id: id.0,
            email: email.to_owned(),
            name: name.to_owned(),
            role,
            token,
            refresh_token,
        })
        .collect();
    let mut users = users.into_iter();
    let mut next = || users.next().expect("four users");
    Some(TestApp {
        backend,
        address,
        port,
        store,
        client,
        admin: next(),
        manager: next(),
        agent: next(),
        other_agent: next(),
        funnel_id,
        spam_id,
        handle,
        _db: db,
    })
}

async fn login_pair(
    client: &reqwest::Client,
    address: &str,
    email: &str,
    password: &str,
) -> (String, String) {
    let response = client
        .post(format!("{address}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .expect("login request");
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 200, "login of {email} failed: {body}");
    (
        body["access_token"].as_str().expect("access_token").to_owned(),
        body["refresh_token"].as_str().expect("refresh_token").to_owned(),
    )
}

/// With `LEJEK_TEST_LOG` set (an env-filter such as `lejek_api=debug`),
/// the servers' logs go to the test output.
fn init_logging() {
    static INIT: OnceLock<()> = OnceLock::new();
    INIT.get_or_init(|| {
        if let Ok(filter) = std::env::var("LEJEK_TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
    });
}

/// A process-wide unique number, for e-mails and names tests make up.
pub fn unique() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    u64::from(nanos) * 1000 + NEXT.fetch_add(1, Ordering::Relaxed) % 1000
}

/// A response, read in full. Built only by [`TestApp::send`], which has
/// already checked it is not a 5xx.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    /// The body as JSON, `Null` when it is not JSON.
    pub json: Value,
    /// `METHOD path`, for messages.
    pub request: String,
}

impl Reply {
    /// Asserts the status and gives the reply back.
    #[track_caller]
    pub fn expect(self, status: u16) -> Reply {
        assert_eq!(
            self.status, status,
            "{} answered {} instead of {status}: {}",
            self.request, self.status, self.text
        );
        self
    }

    /// The JSON body after asserting the status.
    #[track_caller]
    pub fn json(self, status: u16) -> Value {
        self.expect(status).json
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The `ETag`, which must be there.
    #[track_caller]
    pub fn etag(&self) -> String {
        self.header("etag")
            .unwrap_or_else(|| panic!("{} has no ETag", self.request))
            .to_owned()
    }

    /// Asserts an RFC 9457 problem with this status and `code`, and gives
    /// back its body.
    #[track_caller]
    pub fn problem(&self, status: u16, code: &str) -> &Value {
        assert_eq!(
            (self.status, self.json["code"].as_str()),
            (status, Some(code)),
            "{} answered {} instead of {status} {code}: {}",
            self.request,
            self.status,
            self.text
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "{}: a problem must be application/problem+json",
            self.request
        );
        let body = &self.json;
        assert_eq!(body["status"], status, "{}: {}", self.request, self.text);
        assert_eq!(body["type"], format!("urn:lejek:problem:{code}"));
        assert!(
            body["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{}",
            self.text
        );
        assert!(body["detail"].is_string(), "{}", self.text);
        assert_eq!(
            body["request_id"].as_str(),
            self.header("x-request-id"),
            "{}: a problem names its request's id, as its header does",
            self.request
        );
        body
    }

    /// The body without its `request_id`, which every answer has its own
    /// of: what two problems that must look alike have to share.
    pub fn without_request_id(&self) -> Value {
        let mut body = self.json.clone();
        if let Some(object) = body.as_object_mut() {
            object.remove("request_id");
        }
        body
    }

    /// `(field, code)` of every entry of the problem's `errors`.
    pub fn field_errors(&self) -> Vec<(String, String)> {
        self.json["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|error| {
                        (
                            error["field"].as_str().unwrap_or_default().to_owned(),
                            error["code"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Asserts a 422 for broken field rules naming `field` with
    /// `field_code`: the problem's `code` is that code when it is the only
    /// error, `validation_failed` when there are several.
    #[track_caller]
    pub fn invalid(&self, field: &str, field_code: &str) {
        let code = if self.field_errors().len() == 1 {
            field_code
        } else {
            "validation_failed"
        };
        self.problem_on(422, code, field, field_code);
    }

    /// Asserts a problem naming `field` with `field_code` among its errors.
    #[track_caller]
    pub fn problem_on(&self, status: u16, code: &str, field: &str, field_code: &str) {
        self.problem(status, code);
        let errors = self.field_errors();
        assert!(
            errors.iter().any(|(f, c)| f == field && c == field_code),
            "{}: expected error {field}/{field_code} among {errors:?}",
            self.request
        );
    }
}

/// A valid new case with an inline contact whose e-mail is unique.
pub fn case_body(subject: &str) -> Value {
    let n = unique();
    json!({
        "subject": subject,
        "source": "phone",
        "expected_close_date": "2026-12-31",
        "contact": {
            "name": format!("Kontakt {n}"),
            "company": "Firma Testowa Sp. z o.o.",
            "email": format!("kontakt{n}@example.com"),
            "phone": "+48 601 234 567",
        },
    })
}

/// An RFC 3339 time `days` days from now.
pub fn in_days(days: i64) -> String {
    (Utc::now() + chrono::Duration::days(days))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

impl TestApp {
    /// Stops the server; the database goes when the app is dropped.
    pub async fn stop(self) {
        self.handle.stop(false).await;
    }

    /// The four users.
    pub fn users(&self) -> [&TestUser; 4] {
        [&self.admin, &self.manager, &self.agent, &self.other_agent]
    }

    /// A request to `path`: under `/api/v1` unless it starts with `/api/`,
    /// `/healthz` or `/readyz`.
    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let full = if path.starts_with("/api/") || path.starts_with("/healthz") || path.starts_with("/readyz")
        {
            format!("{}{path}", self.address)
        } else {
            format!("{}/api/v1{path}", self.address)
        };
        let builder = self.client.request(method, full);
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    /// Sends a request, reads the reply, and fails the test on any 5xx.
    pub async fn send(&self, builder: RequestBuilder) -> Reply {
        let reply = self.send_allowing_5xx(builder).await;
        assert!(
            reply.status < 500,
            "{} answered {} (a 5xx is never acceptable): {}",
            reply.request,
            reply.status,
            reply.text
        );
        reply
    }

    /// Sends a request and reads the reply, whatever its status (the
    /// fault tests expect 503s).
    pub async fn send_allowing_5xx(&self, builder: RequestBuilder) -> Reply {
        let request = builder.build().expect("a valid request");
        let label = format!("{} {}", request.method(), request.url().path());
        let response = self
            .client
            .execute(request)
            .await
            .unwrap_or_else(|error| panic!("{label}: {error}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            text,
            json,
            request: label,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.send(self.request(Method::GET, path, Some(token))).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.send(self.request(Method::DELETE, path, Some(token))).await
    }

    pub async fn post_json(&self, path: &str, token: &str, body: &Value) -> Reply {
        self.send(self.request(Method::POST, path, Some(token)).json(body))
            .await
    }

    pub async fn put_json(&self, path: &str, token: &str, body: &Value) -> Reply {
        self.send(self.request(Method::PUT, path, Some(token)).json(body))
            .await
    }

    pub async fn patch_json(&self, path: &str, token: &str, body: &Value) -> Reply {
        self.send(self.request(Method::PATCH, path, Some(token)).json(body))
            .await
    }

    /// A write with `If-Match: etag` (none when `etag` is `None`).
    pub async fn write(
        &self,
        method: Method,
        path: &str,
        token: &str,
        etag: Option<&str>,
        body: &Value,
    ) -> Reply {
        let mut builder = self.request(method, path, Some(token)).json(body);
        if let Some(etag) = etag {
            builder = builder.header("If-Match", etag);
        }
        self.send(builder).await
    }

    /// Logs in; the reply as it came.
    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.send(
            self.request(Method::POST, "/auth/login", None)
                .json(&json!({"email": email, "password": password})),
        )
        .await
    }

    /// Logs in and gives the access token.
    pub async fn token_of(&self, email: &str) -> String {
        login_pair(&self.client, &self.address, email, TEST_PASSWORD)
            .await
            .0
    }

    /// Creates a case and gives back its card (asserting 201).
    pub async fn create_case(&self, token: &str, body: &Value) -> Value {
        self.post_json("/cases", token, body).await.json(201)
    }

    /// Creates a case with [`case_body`].
    pub async fn new_case(&self, token: &str, subject: &str) -> Value {
        self.create_case(token, &case_body(subject)).await
    }

    /// The case card and its ETag.
    pub async fn case(&self, token: &str, id: i64) -> (Value, String) {
        let reply = self.get(&format!("/cases/{id}"), token).await.expect(200);
        let etag = reply.etag();
        (reply.json, etag)
    }

    /// `POST /cases/{id}/transition` with the given `If-Match`.
    pub async fn transition(&self, token: &str, id: i64, etag: Option<&str>, body: &Value) -> Reply {
        self.write(
            Method::POST,
            &format!("/cases/{id}/transition"),
            token,
            etag,
            body,
        )
        .await
    }

    /// Reads the case's current ETag and moves it; asserts 200.
    pub async fn move_case(&self, token: &str, id: i64, body: &Value) -> Value {
        let (_, etag) = self.case(token, id).await;
        self.transition(token, id, Some(&etag), body).await.json(200)
    }

    /// Every item of a paginated list, following `next_cursor`; asserts
    /// no item comes twice. `query` is the query string without `?`.
    pub async fn list_all(&self, path: &str, token: &str, query: &str) -> Vec<Value> {
        let mut items: Vec<Value> = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut url = format!("{path}?{query}");
            if !query.contains("limit=") {
                url.push_str("&limit=200");
            }
            if let Some(cursor) = &cursor {
                url.push_str("&cursor=");
                url.push_str(cursor);
            }
            let page = self.get(&url, token).await.json(200);
            let page_items = page["items"].as_array().expect("items").clone();
            items.extend(page_items);
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
            assert!(items.len() < 100_000, "endless paging on {path}?{query}");
        }
        let mut ids: Vec<i64> = items
            .iter()
            .map(|item| item["id"].as_i64().expect("id"))
            .collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len(), "{path}?{query} repeated an item across pages");
        items
    }

    /// The ids of every case `GET /cases?query` lists for `token`.
    pub async fn case_ids(&self, token: &str, query: &str) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .list_all("/cases", token, query)
            .await
            .iter()
            .map(|row| row["id"].as_i64().expect("id"))
            .collect();
        ids.sort_unstable();
        ids
    }

    /// `GET /cases/counts?query`.
    pub async fn counts(&self, token: &str, query: &str) -> Value {
        self.get(&format!("/cases/counts?{query}"), token).await.json(200)
    }

    /// Fills the database with the demo team and `cases` demo cases, whose
    /// logins take [`TEST_PASSWORD`]; returns the demo logins.
    pub async fn demo(&self, cases: u64) -> Vec<lejek_demo::DemoLogin> {
        let options = lejek_demo::DemoOptions {
            cases,
            seed: 7,
            today: Utc::now().date_naive(),
            password_hash: cheap_password_hash().to_owned(),
        };
        lejek_demo::generate(&self.store, &options)
            .await
            .expect("demo data")
            .logins
    }

    /// An HS256 access token signed with the test key, as the server makes
    /// them, for `sub` expiring `expires_in` seconds from now (negative:
    /// already expired).
    pub fn forge_token(&self, sub: i64, role: Role, expires_in: i64, secret: &str) -> String {
        let now = Utc::now().timestamp();
        let claims = json!({
            "sub": sub.to_string(),
            "role": role.as_str(),
            "iss": "lejek",
            "aud": "lejek-api",
            "iat": now.min(now + expires_in) - 60,
            "exp": now + expires_in,
        });
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
        )
        .expect("encode a token")
    }
}

/// Today in UTC.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}
