//! Deterministic, realistic demo data: a Polish B2B sales team, its
//! contacts and companies, and cases with a history that follows the
//! funnel's rules, for any size from a handful to millions of cases.
//!
//! The data is a function of the seed, the day it is generated for and the
//! number of cases only: the same inputs give the same rows. Every case is
//! driven through the domain's decisions, and its events are exactly the
//! changes those decisions returned. The rows are written through the
//! store's bulk loader, in batches of whole days.

mod generator;
mod names;
mod team;

use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use lejek_domain::{CampaignKind, CampaignRef, CommandError, DictionaryName, QualifierId, Role};
use lejek_store::bulk::{self, LoadError};
use lejek_store::{
    Dictionary, FUNNEL_CAMPAIGN_NAME, NewUser, SPAM_CAMPAIGN_NAME, Store, StoreError, UserKind, UserRecord,
};

pub use generator::{QUALIFIERS, RESIGNATION_REASONS};
pub use team::{DEMO_DOMAIN, agent_count};

use generator::{Generator, Setup};
use team::Team;

/// The password of every demo login.
pub const DEMO_PASSWORD: &str = "lejek-demo";

/// The sales director's login: sees the whole team, so it is the one to
/// try the product with.
pub const DEMO_DIRECTOR: &str = "dyrektor@lejek.demo";

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// How many cases.
    pub cases: u64,
    /// The same seed gives the same data.
    pub seed: u64,
    /// The day the data is generated for: cases were created over the 365
    /// days ending on it, and the last history event happens on it.
    pub today: NaiveDate,
    /// The hash of [`DEMO_PASSWORD`], given to every demo user created.
    pub password_hash: String,
}

/// A demo login to print and to list in the README.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub email: String,
    pub name: String,
    pub role: Role,
}

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub logins: Vec<DemoLogin>,
    pub cases: u64,
    pub contacts: u64,
    pub events: u64,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// Demo data never mixes with existing cases.
    #[error("the database already has cases; demo data is only generated into a database without cases")]
    NotEmpty,
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The demo users exist with roles that leave no salesperson or manager.
    #[error("the demo team needs at least one salesperson and one manager")]
    NoTeam,
    /// A generated command was refused by the funnel's rules (a bug here).
    #[error("generated demo data broke a funnel rule: {0}")]
    Rule(#[from] CommandError),
    /// A generated value was refused by a domain type (a bug here).
    #[error("generated an invalid {what}: {value:?}")]
    Invalid { what: &'static str, value: String },
}

impl DemoError {
    fn invalid(what: &'static str, value: &str) -> DemoError {
        DemoError::Invalid {
            what,
            value: value.to_owned(),
        }
    }
}

/// Fills `store` with the demo team, the dictionaries and `options.cases`
/// cases with their contacts and histories, all cases in one transaction.
/// Refuses a database that already has cases; demo users (matched by
/// e-mail) and dictionary entries (by name) that already exist are reused.
pub async fn generate(store: &Store, options: &DemoOptions) -> Result<DemoSummary, DemoError> {
    let started = Instant::now();
    if bulk::has_cases(store).await? {
        return Err(DemoError::NotEmpty);
    }
    let joined = options.today.and_time(NaiveTime::MIN).and_utc() - chrono::Duration::days(400)
        + chrono::Duration::hours(8);
    let users = demo_users(store, options, joined).await?;
    let team = Team::from_stored(&users).ok_or(DemoError::NoTeam)?;
    let qualifiers = dictionary(store, Dictionary::Qualifiers, &QUALIFIERS, joined)
        .await?
        .into_iter()
        .map(QualifierId)
        .collect();
    dictionary(
        store,
        Dictionary::ResignationReasons,
        &RESIGNATION_REASONS,
        joined,
    )
    .await?;
    let campaigns = store.campaigns().await?;
    let campaign = |kind: CampaignKind, name: &str| {
        campaigns
            .iter()
            .filter(|campaign| campaign.kind == kind)
            .min_by_key(|campaign| (campaign.name != name, campaign.id))
            .map(|campaign| CampaignRef {
                id: campaign.id,
                kind,
            })
            .ok_or(DemoError::Store(StoreError::NotFound))
    };
    let funnel = campaign(CampaignKind::Funnel, FUNNEL_CAMPAIGN_NAME)?;
    let spam = campaign(CampaignKind::Spam, SPAM_CAMPAIGN_NAME)?;
    let next = bulk::next_ids(store).await?;

    let generator = Generator::new(Setup {
        seed: options.seed,
        today: options.today,
        cases: options.cases,
        team,
        funnel,
        spam,
        qualifiers,
        next,
    });
    let total = options.cases;
    let done = bulk::load(store, generator, |progress| {
        tracing::info!(
            cases = progress.cases,
            contacts = progress.contacts,
            events = progress.events,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "demo data: {} of {total} cases written",
            progress.cases
        );
    })
    .await
    .map_err(|error| match error {
        LoadError::Source(error) => error,
        LoadError::Store(error) => DemoError::Store(error),
    })?;
    // The bulk load bypasses the per-write tally upkeep: count once.
    store.rebuild_tallies().await?;

    Ok(DemoSummary {
        logins: users
            .into_iter()
            .map(|user| DemoLogin {
                email: user.email,
                name: user.name,
                role: user.role,
            })
            .collect(),
        cases: done.cases,
        contacts: done.contacts,
        events: done.events,
        elapsed: started.elapsed(),
    })
}

/// The demo team's accounts, each created unless its e-mail is taken.
async fn demo_users(
    store: &Store,
    options: &DemoOptions,
    joined: DateTime<Utc>,
) -> Result<Vec<UserRecord>, DemoError> {
    let mut users = Vec::new();
    for (email, name, role) in team::logins(agent_count(options.cases)) {
        let user = match store.user_by_email(&email).await? {
            Some(user) => user,
            None => {
                let new = NewUser {
                    email,
                    name: name.to_owned(),
                    role,
                    kind: UserKind::Person,
                    password_hash: Some(options.password_hash.clone()),
                };
                store.create_user(new, joined).await?
            }
        };
        users.push(user);
    }
    Ok(users)
}

/// The ids of the dictionary entries named `names`, each added if missing.
async fn dictionary(
    store: &Store,
    dictionary: Dictionary,
    names: &[&str],
    at: DateTime<Utc>,
) -> Result<Vec<i64>, DemoError> {
    let mut entries = store.dictionary(dictionary).await?;
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        let id = match entries.iter().find(|entry| entry.name == *name) {
            Some(entry) => entry.id,
            None => {
                let parsed =
                    DictionaryName::parse(name).map_err(|_| DemoError::invalid("dictionary name", name))?;
                let entry = store.add_dictionary_entry(dictionary, &parsed, at).await?;
                let id = entry.id;
                entries.push(entry);
                id
            }
        };
        ids.push(id);
    }
    Ok(ids)
}
