//! Polling an IMAP mailbox (`LEJEK_IMAP_*`): every unread message is filed
//! like a delivered one and then marked read. A message that cannot be
//! filed now (intake switched off, the database away) stays unread for the
//! next poll; several nodes polling one mailbox file each message once, by
//! its Message-ID.

use std::fmt::Debug;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::web;
use async_imap::Client;
use futures_util::TryStreamExt;
use lejek_domain::MailChannel;
use lejek_domain::dto::ImapStatus;
use secrecy::ExposeSecret;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

use crate::error::ApiError;
use crate::mail::filing::file_mail;
use crate::settings::Settings;
use crate::state::AppState;

/// The most messages one poll files; the rest wait for the next.
const MESSAGES_PER_POLL: usize = 500;
/// How long connecting and each exchange with the server may take.
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(60);

/// This node's polling, as the settings screen shows it.
#[derive(Debug, Clone, Default)]
pub struct MailPoll(Arc<Mutex<Option<ImapStatus>>>);

impl MailPoll {
    pub fn status(&self) -> Option<ImapStatus> {
        self.0.lock().map(|status| status.clone()).unwrap_or_default()
    }

    fn update(&self, change: impl FnOnce(&mut ImapStatus)) {
        if let Ok(mut status) = self.0.lock()
            && let Some(status) = status.as_mut()
        {
            change(status);
        }
    }
}

type PollError = Box<dyn std::error::Error + Send + Sync>;

fn tls_connector(settings: &Settings) -> Result<TlsConnector, PollError> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = &settings.imap_ca_file {
        let pem = std::fs::read(path).map_err(|error| format!("imap_ca_file {}: {error}", path.display()))?;
        for certificate in rustls_pemfile::certs(&mut pem.as_slice()) {
            roots.add(certificate?)?;
        }
    }
    // ring rather than aws-lc-rs keeps cold builds short (no C library to
    // compile); a mailbox login has no need of post-quantum key exchange.
    #[allow(deprecated)]
    let provider = tokio_rustls::rustls::crypto::ring::default_provider();
    let config = ClientConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}

async fn timed<T, E: Into<PollError>>(
    what: &str,
    step: impl std::future::Future<Output = Result<T, E>>,
) -> Result<T, PollError> {
    match tokio::time::timeout(EXCHANGE_TIMEOUT, step).await {
        Ok(result) => result.map_err(Into::into),
        Err(_) => Err(format!("{what}: no answer within {} s", EXCHANGE_TIMEOUT.as_secs()).into()),
    }
}

/// Files the mailbox's unread messages; returns how many were filed.
async fn drain<S>(stream: S, state: &AppState) -> Result<u64, PollError>
where
    S: AsyncRead + AsyncWrite + Unpin + Debug + Send,
{
    let settings = &state.settings;
    let mut client = Client::new(stream);
    timed("greeting", client.read_response())
        .await?
        .ok_or("the server closed the connection before greeting")?;
    let user = settings.imap_user.clone().unwrap_or_default();
    let password = settings
        .imap_password
        .as_ref()
        .map(|password| password.expose_secret().to_owned())
        .unwrap_or_default();
    let mut session = timed("login", async {
        client.login(user, password).await.map_err(|(error, _)| error)
    })
    .await?;
    timed("select", session.select(&settings.imap_mailbox)).await?;
    let mut unread: Vec<u32> = timed("search", session.uid_search("UNSEEN"))
        .await?
        .into_iter()
        .collect();
    unread.sort_unstable();
    let mut filed = 0;
    for uid in unread.into_iter().take(MESSAGES_PER_POLL) {
        let fetches: Vec<_> = timed("fetch", async {
            session
                .uid_fetch(uid.to_string(), "BODY.PEEK[]")
                .await?
                .try_collect()
                .await
        })
        .await?;
        let Some(raw) = fetches.iter().find_map(|fetch| fetch.body()) else {
            continue;
        };
        match file_mail(&state.store, state.funnel, raw, MailChannel::Imap).await {
            Ok(_) => filed += 1,
            // Never readable as mail: marked read, so it is not fetched forever.
            Err(ApiError::Validation(violations)) => {
                tracing::warn!(uid, ?violations, "an IMAP message could not be filed");
            }
            Err(ApiError::MailIntakeOff) => break,
            Err(error) => return Err(error.to_string().into()),
        }
        timed("store", async {
            session
                .uid_store(uid.to_string(), "+FLAGS (\\Seen)")
                .await?
                .try_collect::<Vec<_>>()
                .await
        })
        .await?;
    }
    timed("logout", session.logout()).await?;
    Ok(filed)
}

async fn poll_once(state: &AppState, host: &str) -> Result<u64, PollError> {
    let settings = &state.settings;
    let tcp = timed("connect", TcpStream::connect((host, settings.imap_port))).await?;
    if settings.imap_tls {
        let name = ServerName::try_from(host.to_owned())?;
        let stream = timed("TLS", tls_connector(settings)?.connect(name, tcp)).await?;
        drain(stream, state).await
    } else {
        drain(tcp, state).await
    }
}

/// Polls the configured mailbox until the server stops; returns at once
/// when none is configured.
pub async fn run(state: web::Data<AppState>) {
    let Some(host) = state.settings.imap_host.clone() else {
        return;
    };
    if let Ok(mut status) = state.mail_poll.0.lock() {
        *status = Some(ImapStatus {
            host: host.clone(),
            user: state.settings.imap_user.clone().unwrap_or_default(),
            mailbox: state.settings.imap_mailbox.clone(),
            last_poll_at: None,
            filed: 0,
            last_error: None,
        });
    }
    let pause = Duration::from_secs(state.settings.imap_poll_seconds);
    loop {
        match poll_once(&state, &host).await {
            Ok(filed) => state.mail_poll.update(|status| {
                status.last_poll_at = Some(AppState::now());
                status.filed += filed;
                status.last_error = None;
            }),
            Err(error) => {
                tracing::warn!(%error, host, "polling the IMAP mailbox failed");
                state
                    .mail_poll
                    .update(|status| status.last_error = Some(error.to_string()));
            }
        }
        tokio::time::sleep(pause).await;
    }
}
