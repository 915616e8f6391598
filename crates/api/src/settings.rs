//! Configuration in layers: defaults, an optional TOML file, then `LEJEK_*`
//! environment variables. Secrets never print.

use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Everything the server can be told.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free one.
    pub listen: String,
    /// `sqlite://…` (default, a file under `data_dir`) or `postgres://…`.
    pub database_url: Option<String>,
    /// Where the SQLite file and a generated JWT secret live.
    pub data_dir: PathBuf,
    /// HS256 key for access tokens; generated and kept in `data_dir` when
    /// missing (set it explicitly when running several API nodes).
    pub jwt_secret: Option<SecretString>,
    /// Access token lifetime, at most 15 minutes.
    pub access_token_minutes: i64,
    pub refresh_token_days: i64,
    /// Origins allowed to call the API from a browser (CORS); the client
    /// served by this server itself needs none.
    pub cors_origins: Vec<String>,
    pub max_body_bytes: usize,
    /// The largest file an import accepts (50 MB by default).
    pub max_upload_bytes: usize,
    /// How long a node holds a background job (an import) without
    /// renewing before another node may take it over.
    pub job_lease_seconds: u64,
    /// A web form sent back sooner than this after it was shown is taken
    /// for a bot's.
    pub form_min_fill_seconds: u64,
    /// Submissions one address may send to any form in 10 minutes.
    pub form_limit_per_address: u64,
    /// Submissions one form takes in 10 minutes.
    pub form_limit_per_form: u64,
    /// The largest inbound e-mail taken, in bytes.
    pub max_mail_bytes: usize,
    /// An IMAP mailbox to poll for mail to file: unset, nothing is polled.
    pub imap_host: Option<String>,
    pub imap_port: u16,
    /// Implicit TLS (IMAPS); `false` only for a server on this machine.
    pub imap_tls: bool,
    pub imap_user: Option<String>,
    pub imap_password: Option<SecretString>,
    pub imap_mailbox: String,
    /// A PEM file of certificates to trust besides the public roots (a
    /// company's own CA).
    pub imap_ca_file: Option<PathBuf>,
    pub imap_poll_seconds: u64,
    pub request_timeout_seconds: u64,
    pub db_max_connections: u32,
    /// Trust `X-Forwarded-For` for the client address (behind a proxy).
    pub trust_proxy: bool,
    /// When browsers reach the server only over HTTPS (TLS at a proxy or
    /// load balancer): every answer tells them to keep to HTTPS for this
    /// many seconds (`Strict-Transport-Security`). 0, the default, sends
    /// no such header, since it would lock out a plain-HTTP installation.
    pub hsts_seconds: u64,
    /// The built WASM client to serve at `/`, when present.
    pub client_dir: PathBuf,
    /// Turns `GET /metrics` on: scrapers send this as a bearer token.
    /// Unset, the default, leaves metrics off (404) and unrecorded.
    pub metrics_token: Option<SecretString>,
    /// The first admin, created on an empty database when both are set.
    pub admin_email: Option<String>,
    pub admin_password: Option<SecretString>,
}

/// Why the configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("configuration: {0}")]
    Load(#[from] config::ConfigError),
    #[error("configuration: {0}")]
    Invalid(String),
    #[error("cannot keep the generated JWT secret in {path}: {source}")]
    Secret { path: PathBuf, source: std::io::Error },
}

impl Settings {
    /// Defaults, then `file` (or `lejek.toml` when it exists), then the
    /// environment (`LEJEK_LISTEN`, `LEJEK_DATABASE_URL`, `LEJEK_JWT_SECRET`,
    /// `LEJEK_CORS_ORIGINS` as a comma-separated list, …).
    pub fn load(file: Option<&Path>) -> Result<Settings, SettingsError> {
        let mut builder = config::Config::builder()
            .set_default("listen", "127.0.0.1:8080")?
            .set_default("data_dir", "data")?
            .set_default("access_token_minutes", 15)?
            .set_default("refresh_token_days", 30)?
            .set_default("cors_origins", Vec::<String>::new())?
            .set_default("max_body_bytes", 1_048_576)?
            .set_default("max_upload_bytes", 52_428_800)?
            .set_default("job_lease_seconds", 30)?
            .set_default("form_min_fill_seconds", 3)?
            .set_default("form_limit_per_address", 10)?
            .set_default("form_limit_per_form", 50_000)?
            .set_default("max_mail_bytes", 25 * 1024 * 1024)?
            .set_default("imap_port", 993)?
            .set_default("imap_tls", true)?
            .set_default("imap_mailbox", "INBOX")?
            .set_default("imap_poll_seconds", 60)?
            .set_default("request_timeout_seconds", 30)?
            .set_default("db_max_connections", 10)?
            .set_default("trust_proxy", false)?
            .set_default("hsts_seconds", 0)?
            .set_default("client_dir", "frontend/dist")?;
        builder = match file {
            Some(path) => builder.add_source(config::File::from(path)),
            None => builder.add_source(config::File::with_name("lejek").required(false)),
        };
        builder = builder.add_source(
            config::Environment::with_prefix("LEJEK")
                .try_parsing(true)
                .list_separator(",")
                .with_list_parse_key("cors_origins"),
        );
        let mut settings: Settings = builder.build()?.try_deserialize()?;
        // An empty variable (as compose passes an unset one) means unset.
        settings.metrics_token = settings
            .metrics_token
            .filter(|token| !token.expose_secret().is_empty());
        settings.imap_host = settings.imap_host.filter(|host| !host.trim().is_empty());
        settings.imap_user = settings.imap_user.filter(|user| !user.is_empty());
        settings.imap_password = settings
            .imap_password
            .filter(|password| !password.expose_secret().is_empty());
        settings.imap_ca_file = settings.imap_ca_file.filter(|path| !path.as_os_str().is_empty());
        settings.check()?;
        Ok(settings)
    }

    fn check(&self) -> Result<(), SettingsError> {
        if !(1..=15).contains(&self.access_token_minutes) {
            return Err(SettingsError::Invalid(
                "access_token_minutes must be 1 to 15".into(),
            ));
        }
        if self.refresh_token_days < 1 {
            return Err(SettingsError::Invalid(
                "refresh_token_days must be at least 1".into(),
            ));
        }
        if !(1..=3600).contains(&self.job_lease_seconds) {
            return Err(SettingsError::Invalid(
                "job_lease_seconds must be 1 to 3600".into(),
            ));
        }
        if let Some(secret) = &self.jwt_secret
            && secret.expose_secret().len() < 32
        {
            return Err(SettingsError::Invalid(
                "jwt_secret must be at least 32 characters".into(),
            ));
        }
        if self.imap_host.is_some() && (self.imap_user.is_none() || self.imap_password.is_none()) {
            return Err(SettingsError::Invalid(
                "imap_host needs imap_user and imap_password".into(),
            ));
        }
        if self.imap_poll_seconds == 0 {
            return Err(SettingsError::Invalid(
                "imap_poll_seconds must be at least 1".into(),
            ));
        }
        if let Some(token) = &self.metrics_token
            && (token.expose_secret().len() < 16
                || !token.expose_secret().bytes().all(|b| b.is_ascii_graphic()))
        {
            return Err(SettingsError::Invalid(
                "metrics_token must be at least 16 visible ASCII characters".into(),
            ));
        }
        Ok(())
    }

    /// The database URL: the configured one, or a SQLite file in `data_dir`.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .filter(|url| !url.is_empty())
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", self.data_dir.join("lejek.db").display()))
    }

    /// The JWT secret: the configured one, or one generated once and kept
    /// in `data_dir/jwt-secret` (with a warning, since several API nodes
    /// must share one).
    pub fn jwt_secret(&self) -> Result<SecretString, SettingsError> {
        if let Some(secret) = &self.jwt_secret {
            return Ok(secret.clone());
        }
        let path = self.data_dir.join("jwt-secret");
        let io = |source| SettingsError::Secret {
            path: path.clone(),
            source,
        };
        if let Ok(existing) = std::fs::read_to_string(&path)
            && existing.trim().len() >= 32
        {
            return Ok(SecretString::from(existing.trim().to_owned()));
        }
        std::fs::create_dir_all(&self.data_dir).map_err(io)?;
        let secret = crate::auth::tokens::random_token(48);
        write_private(&path, &secret).map_err(io)?;
        tracing::warn!(
            path = %path.display(),
            "LEJEK_JWT_SECRET is not set: generated one and kept it in the data folder; \
             set LEJEK_JWT_SECRET when running several API nodes"
        );
        Ok(SecretString::from(secret))
    }
}

fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)?;
        file.write_all(content.as_bytes())
    }
    #[cfg(not(unix))]
    {
        std::fs::write(path, content)
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: "127.0.0.1:8080".to_owned(),
            database_url: None,
            data_dir: PathBuf::from("data"),
            jwt_secret: None,
            access_token_minutes: 15,
            refresh_token_days: 30,
            cors_origins: Vec::new(),
            max_body_bytes: 1_048_576,
            max_upload_bytes: 52_428_800,
            job_lease_seconds: 30,
            form_min_fill_seconds: 3,
            form_limit_per_address: 10,
            form_limit_per_form: 50_000,
            max_mail_bytes: 25 * 1024 * 1024,
            imap_host: None,
            imap_port: 993,
            imap_tls: true,
            imap_user: None,
            imap_password: None,
            imap_mailbox: "INBOX".to_owned(),
            imap_ca_file: None,
            imap_poll_seconds: 60,
            request_timeout_seconds: 30,
            db_max_connections: 10,
            trust_proxy: false,
            hsts_seconds: 0,
            client_dir: PathBuf::from("frontend/dist"),
            metrics_token: None,
            admin_email: None,
            admin_password: None,
        }
    }
}
