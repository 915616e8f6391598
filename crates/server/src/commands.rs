//! What each subcommand does.

use std::path::Path;

use chrono::Utc;
use std::process::ExitCode;

use lejek_api::{Application, IntakeMailError, Settings};
use lejek_demo::{DEMO_DIRECTOR, DEMO_PASSWORD, DemoOptions, DemoSummary};
use lejek_domain::Role;
use lejek_domain::dto::DemoAccount;
use lejek_store::{Backend, NewUser, Store, StoreError, UserKind};
use secrecy::ExposeSecret;

type Failure = Box<dyn std::error::Error>;

/// Logs to standard output: `LEJEK_LOG` filters (`info` by default),
/// `LEJEK_LOG_FORMAT=json` writes one JSON object per line (with the
/// request's id among its span fields) for a log collector.
pub fn init_logging() -> Result<(), Failure> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LEJEK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let format = std::env::var("LEJEK_LOG_FORMAT").unwrap_or_default();
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    match format.as_str() {
        "" | "text" => logs.with_target(false).init(),
        "json" => logs
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .flatten_event(true)
            .init(),
        other => return Err(format!("LEJEK_LOG_FORMAT must be text or json, not {other:?}").into()),
    }
    Ok(())
}

async fn open(settings: &Settings) -> Result<Store, Failure> {
    Ok(Store::open(&settings.database_url(), settings.db_max_connections).await?)
}

pub async fn migrate(config: Option<&Path>) -> Result<(), Failure> {
    let settings = Settings::load(config)?;
    open(&settings).await?.close().await?;
    println!("migrations applied");
    Ok(())
}

/// `sysexits.h`: the input cannot be filed, ever.
const EX_DATAERR: u8 = 65;
/// `sysexits.h`: try again later (Postfix keeps the message queued).
const EX_TEMPFAIL: u8 = 75;

pub async fn intake_mail(config: Option<&Path>) -> ExitCode {
    use std::io::Read;
    let mut raw = Vec::new();
    let settings = match Settings::load(config) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("lejek: {error}");
            return ExitCode::from(EX_TEMPFAIL);
        }
    };
    let limit = settings.max_mail_bytes;
    if let Err(error) = std::io::stdin().take(limit as u64 + 1).read_to_end(&mut raw) {
        eprintln!("lejek: reading standard input: {error}");
        return ExitCode::from(EX_TEMPFAIL);
    }
    if raw.len() > limit {
        eprintln!("lejek: the message is over max_mail_bytes ({limit} bytes)");
        return ExitCode::from(EX_DATAERR);
    }
    let store = match open(&settings).await {
        Ok(store) => store,
        Err(error) => {
            eprintln!("lejek: {error}");
            return ExitCode::from(EX_TEMPFAIL);
        }
    };
    let filed = lejek_api::intake_mail(&store, &raw).await;
    let _ = store.close().await;
    match filed {
        Ok(mail) => {
            println!("{}", serde_json::to_string(&mail).expect("a DTO serialises"));
            ExitCode::SUCCESS
        }
        Err(error @ IntakeMailError::Refused(_)) => {
            eprintln!("lejek: {error}");
            ExitCode::from(EX_DATAERR)
        }
        Err(error @ IntakeMailError::Later(_)) => {
            eprintln!("lejek: {error}");
            ExitCode::from(EX_TEMPFAIL)
        }
    }
}

pub async fn demo(config: Option<&Path>, cases: u64, seed: u64) -> Result<(), Failure> {
    let settings = Settings::load(config)?;
    let store = open(&settings).await?;
    let summary = fill_demo(&store, cases, seed).await?;
    print_demo(&summary);
    store.close().await?;
    Ok(())
}

async fn fill_demo(store: &Store, cases: u64, seed: u64) -> Result<DemoSummary, Failure> {
    let options = DemoOptions {
        cases,
        seed,
        today: Utc::now().date_naive(),
        password_hash: lejek_api::hash_password(DEMO_PASSWORD.to_owned()).await?,
    };
    Ok(lejek_demo::generate(store, &options).await?)
}

fn print_demo(summary: &DemoSummary) {
    println!(
        "demo: {} cases, {} contacts, {} history events in {:.1} s",
        summary.cases,
        summary.contacts,
        summary.events,
        summary.elapsed.as_secs_f64()
    );
    println!("demo logins (password: {DEMO_PASSWORD}):");
    for login in &summary.logins {
        println!("  {:<8} {:<32} {}", login.role.as_str(), login.email, login.name);
    }
}

/// On an empty database, creates the first admin from the configuration.
async fn bootstrap_admin(store: &Store, settings: &Settings) -> Result<(), Failure> {
    let (Some(email), Some(password)) = (&settings.admin_email, &settings.admin_password) else {
        return Ok(());
    };
    if store.count_users().await? > 0 {
        return Ok(());
    }
    let email = lejek_domain::Email::parse(email).map_err(|code| format!("LEJEK_ADMIN_EMAIL: {code}"))?;
    if password.expose_secret().chars().count() < 10 {
        return Err("LEJEK_ADMIN_PASSWORD must have at least 10 characters".into());
    }
    let hash = lejek_api::hash_password(password.expose_secret().to_owned()).await?;
    let created = store
        .create_user(
            NewUser {
                email: email.as_str().to_owned(),
                name: "Administrator".to_owned(),
                role: Role::Admin,
                kind: UserKind::Person,
                password_hash: Some(hash),
            },
            Utc::now(),
        )
        .await;
    match created {
        Ok(_) => tracing::info!(email = email.as_str(), "created the first admin"),
        // Another node starting at the same time created it first.
        Err(StoreError::Conflict(_)) => {}
        Err(error) => return Err(error.into()),
    }
    Ok(())
}

/// The demo director's login when the database holds the demo team and
/// that login works as printed (an administrator may have changed the
/// password or closed the account): then the login page offers it.
async fn demo_account(store: &Store) -> Result<Option<DemoAccount>, Failure> {
    let Some(director) = store.user_by_email(DEMO_DIRECTOR).await? else {
        return Ok(None);
    };
    let works = director.active
        && lejek_api::verify_password(DEMO_PASSWORD.to_owned(), director.password_hash).await?;
    Ok(works.then(|| DemoAccount {
        email: DEMO_DIRECTOR.to_owned(),
        password: DEMO_PASSWORD.to_owned(),
    }))
}

/// Writes a consistent copy of the SQLite database to `target` while
/// servers keep serving from it.
pub async fn backup(config: Option<&Path>, target: &Path) -> Result<(), Failure> {
    let settings = Settings::load(config)?;
    if Backend::of_url(&settings.database_url()) == Backend::Postgres {
        return Err(lejek_store::POSTGRES_BACKUP.into());
    }
    let store = open(&settings).await?;
    let started = std::time::Instant::now();
    let result = store.backup_sqlite(target).await;
    store.close().await?;
    result?;
    let bytes = std::fs::metadata(target).map(|meta| meta.len()).unwrap_or(0);
    println!(
        "backup written to {} ({:.1} MiB in {:.1} s)",
        target.display(),
        bytes as f64 / f64::from(1 << 20),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub async fn serve(config: Option<&Path>, demo_cases: Option<u64>) -> Result<(), Failure> {
    let settings = Settings::load(config)?;
    let mut store = open(&settings).await?;
    bootstrap_admin(&store, &settings).await?;
    if let Some(cases) = demo_cases
        && store.count_users().await? == 0
    {
        print_demo(&fill_demo(&store, cases, 42).await?);
        // SQLite connections load the planner statistics when they open:
        // serve on connections opened after the load's ANALYZE.
        store.close().await?;
        store = open(&settings).await?;
    }
    let demo = demo_account(&store).await?;
    let application = Application::build_with_demo(settings.clone(), store, demo).await?;
    let host = settings
        .listen
        .rsplit_once(':')
        .map_or("127.0.0.1", |(host, _)| host);
    println!("Lejek is listening on http://{host}:{}/", application.port());
    println!("API docs: http://{host}:{}/api/docs/", application.port());
    application.run_until_stopped().await?;
    Ok(())
}
