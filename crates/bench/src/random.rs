//! Seeded random requests over the whole parameter space of the pipeline
//! (every filter, sort key and page size a user can set, deep pages
//! included), the tab counts, search and the contact look-up, as a manager
//! and as an agent. The figures users meet are the percentiles over all of
//! them, not over a list the code was tuned to.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate, Utc};
use lejek_domain::{
    CampaignId, Direction, OwnerFilter, PipelineFilters, PipelineQuery, QualifierId, SortField, SortKey,
    Source, Stage, Status, Tab, TextFilter, UserId,
};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use crate::measure::{Client, Stats};

type Error = Box<dyn std::error::Error>;

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    List,
    DeepPage,
    Counts,
    Search,
    Contacts,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::List => "list",
            Kind::DeepPage => "list, a later page",
            Kind::Counts => "tab counts",
            Kind::Search => "search",
            Kind::Contacts => "contact look-up",
        }
    }
}

/// Values found in the data, for filters that match something.
pub(crate) struct Universe {
    users: Vec<UserId>,
    qualifiers: Vec<QualifierId>,
    pub(crate) spam_campaign: Option<CampaignId>,
    funnel_campaign: Option<CampaignId>,
    names: Vec<String>,
    companies: Vec<String>,
    emails: Vec<String>,
    phones: Vec<String>,
    subjects: Vec<String>,
    numbers: Vec<i64>,
    pub(crate) today: NaiveDate,
}

impl Universe {
    /// Reads users, dictionaries and a sample of cases through the API.
    pub(crate) async fn harvest(
        manager: &Client,
        cases: u64,
        rng: &mut ChaCha8Rng,
    ) -> Result<Universe, Error> {
        let users = manager.get("/users").await?;
        let users = users
            .as_array()
            .ok_or("no users")?
            .iter()
            .filter_map(|user| user["id"].as_i64().map(UserId))
            .collect();
        let qualifiers = manager.get("/qualifiers").await?;
        let qualifiers = qualifiers
            .as_array()
            .ok_or("no qualifiers")?
            .iter()
            .filter_map(|entry| entry["id"].as_i64().map(QualifierId))
            .collect();
        let campaigns = manager.get("/campaigns").await?;
        let campaign = |kind: &str| {
            campaigns.as_array().and_then(|all| {
                all.iter()
                    .find(|campaign| campaign["kind"] == kind)
                    .and_then(|campaign| campaign["id"].as_i64().map(CampaignId))
            })
        };
        let mut universe = Universe {
            users,
            qualifiers,
            spam_campaign: campaign("spam"),
            funnel_campaign: campaign("funnel"),
            names: Vec::new(),
            companies: Vec::new(),
            emails: Vec::new(),
            phones: Vec::new(),
            subjects: Vec::new(),
            numbers: Vec::new(),
            today: Utc::now().date_naive(),
        };
        let text = |value: &Value| value.as_str().map(str::to_owned);
        for _ in 0..300 {
            let id = rng.gen_range(1..=cases.max(1));
            let Ok(case) = manager.get(&format!("/cases/{id}")).await else {
                continue;
            };
            universe.names.extend(text(&case["contact"]["name"]));
            universe.companies.extend(text(&case["company"]));
            universe.emails.extend(text(&case["email"]));
            universe.phones.extend(text(&case["phone"]));
            universe.subjects.extend(text(&case["subject"]));
            universe.numbers.extend(case["number"].as_i64());
        }
        if universe.names.is_empty() {
            return Err("no cases to sample".into());
        }
        Ok(universe)
    }

    /// A piece of a real value, as people type it: mostly 3 to 10
    /// characters, sometimes only one or two, sometimes in capitals.
    fn needle(&self, values: &[String], rng: &mut ChaCha8Rng) -> Option<String> {
        let value: Vec<char> = values.choose(rng)?.chars().collect();
        let length = if rng.gen_bool(0.1) {
            rng.gen_range(1..=2)
        } else {
            rng.gen_range(3..=10)
        }
        .min(value.len());
        let start = rng.gen_range(0..=value.len() - length);
        let needle: String = value[start..start + length].iter().collect();
        let needle = if rng.gen_bool(0.2) {
            needle.to_uppercase()
        } else {
            needle
        };
        TextFilter::parse(&needle).ok().flatten().map(|_| needle)
    }

    fn phone_needle(&self, rng: &mut ChaCha8Rng) -> Option<String> {
        let digits: String = self
            .phones
            .choose(rng)?
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let length = rng.gen_range(3..=9).min(digits.len());
        let start = rng.gen_range(0..=digits.len() - length);
        Some(digits[start..start + length].to_owned())
    }

    fn date_range(&self, rng: &mut ChaCha8Rng) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let from = self.today - Days::new(rng.gen_range(0..420));
        let to = from + Days::new(rng.gen_range(0..150));
        match rng.gen_range(0..3) {
            0 => (Some(from), None),
            1 => (None, Some(to)),
            _ => (Some(from), Some(to)),
        }
    }
}

/// A random subset (1 to `max` items) of `all`, in random order.
fn some_of<T: Copy>(all: &[T], max: usize, rng: &mut ChaCha8Rng) -> Vec<T> {
    let count = rng.gen_range(1..=max.min(all.len()));
    all.choose_multiple(rng, count).copied().collect()
}

/// Every filter of the pipeline, each present with some probability.
pub(crate) fn random_filters(universe: &Universe, rng: &mut ChaCha8Rng) -> PipelineFilters {
    let mut filters = PipelineFilters::default();
    let maybe = |rng: &mut ChaCha8Rng, p: f64| rng.gen_bool(p);
    if maybe(rng, 0.2) {
        filters.status = some_of(Status::ALL, 3, rng);
    }
    if maybe(rng, 0.2) {
        filters.source = some_of(Source::ALL, 4, rng);
    }
    if maybe(rng, 0.12) {
        filters.stage = some_of(Stage::ALL, 3, rng);
    }
    if maybe(rng, 0.12) && !universe.qualifiers.is_empty() {
        filters.qualifier = some_of(&universe.qualifiers, 3, rng);
    }
    if maybe(rng, 0.03) {
        filters.number = universe.numbers.choose(rng).copied();
    }
    if maybe(rng, 0.25) {
        (filters.created_from, filters.created_to) = universe.date_range(rng);
    }
    if maybe(rng, 0.15) {
        (filters.close_from, filters.close_to) = universe.date_range(rng);
    }
    let text = |values: &[String], rng: &mut ChaCha8Rng| {
        universe
            .needle(values, rng)
            .and_then(|needle| TextFilter::parse(&needle).ok().flatten())
    };
    if maybe(rng, 0.1) {
        filters.contact = text(&universe.names, rng);
    }
    if maybe(rng, 0.08) {
        filters.company = text(&universe.companies, rng);
    }
    if maybe(rng, 0.06) {
        filters.email = text(&universe.emails, rng);
    }
    if maybe(rng, 0.06) {
        filters.phone = universe
            .phone_needle(rng)
            .and_then(|digits| TextFilter::parse(&digits).ok().flatten());
    }
    if maybe(rng, 0.1) {
        filters.subject = text(&universe.subjects, rng);
    }
    if maybe(rng, 0.15) {
        filters.owner = Some(match rng.gen_range(0..4) {
            0 => OwnerFilter::Me,
            1 => OwnerFilter::Unassigned,
            _ => OwnerFilter::User(*universe.users.choose(rng).unwrap_or(&UserId(1))),
        });
    }
    if maybe(rng, 0.08) {
        filters.created_by = universe.users.choose(rng).copied();
    }
    if maybe(rng, 0.04) {
        filters.spam = true;
    } else if maybe(rng, 0.03) {
        filters.campaign = if rng.gen_bool(0.5) {
            universe.funnel_campaign
        } else {
            universe.spam_campaign
        };
    }
    filters
}

fn random_sort(rng: &mut ChaCha8Rng) -> Vec<SortKey> {
    let keys = match rng.gen_range(0..10) {
        0..=2 => 0,
        3..=7 => 1,
        8 => 2,
        _ => 3,
    };
    SortField::ALL
        .choose_multiple(rng, keys)
        .map(|field| SortKey {
            field: *field,
            direction: if rng.gen_bool(0.5) {
                Direction::Asc
            } else {
                Direction::Desc
            },
        })
        .collect()
}

fn random_list_query(universe: &Universe, rng: &mut ChaCha8Rng) -> PipelineQuery {
    PipelineQuery {
        tab: *Tab::ALL.choose(rng).unwrap_or(&Tab::All),
        filters: random_filters(universe, rng),
        sort: random_sort(rng),
        limit: [None, Some(20), Some(50), Some(100), Some(200)]
            .choose(rng)
            .copied()
            .flatten(),
        cursor: None,
    }
}

/// One timed request.
struct Sample {
    kind: Kind,
    agent: bool,
    path: String,
    took: Duration,
}

/// Sends `path` and times it.
pub(crate) async fn timed(client: &Client, path: &str) -> Result<(Value, Duration), Error> {
    let started = Instant::now();
    let body = client.get(path).await?;
    Ok((body, started.elapsed()))
}

/// Runs `requests` random requests of each kind, split between the
/// manager and the agent, and prints the percentiles and the slowest ones.
pub async fn run(
    manager: &Client,
    agent: &Client,
    cases: u64,
    requests: usize,
    seed: u64,
    slowest: usize,
) -> Result<(), Error> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let universe = Universe::harvest(manager, cases, &mut rng).await?;
    let mut samples: Vec<Sample> = Vec::new();
    // Warm the connections and caches with requests that are not counted.
    for _ in 0..20 {
        let query = random_list_query(&universe, &mut rng);
        manager
            .get(&format!("/cases?{}", query.to_query_string()))
            .await?;
    }
    for round in 0..requests {
        let agent_turn = round % 3 == 2;
        let client = if agent_turn { agent } else { manager };

        let query = random_list_query(&universe, &mut rng);
        let path = format!("/cases?{}", query.to_query_string());
        let (page, took) = timed(client, &path).await?;
        samples.push(Sample {
            kind: Kind::List,
            agent: agent_turn,
            path: path.clone(),
            took,
        });
        if rng.gen_bool(0.25) {
            let mut cursor = page["next_cursor"].as_str().map(str::to_owned);
            let mut took = None;
            let mut last = path.clone();
            for _ in 0..rng.gen_range(1..=5) {
                let Some(next) = cursor.take() else { break };
                let query = PipelineQuery {
                    cursor: Some(next),
                    ..query.clone()
                };
                last = format!("/cases?{}", query.to_query_string());
                let (page, page_took) = timed(client, &last).await?;
                cursor = page["next_cursor"].as_str().map(str::to_owned);
                took = Some(page_took);
            }
            if let Some(took) = took {
                samples.push(Sample {
                    kind: Kind::DeepPage,
                    agent: agent_turn,
                    path: last,
                    took,
                });
            }
        }

        let counts = PipelineQuery {
            filters: random_filters(&universe, &mut rng),
            ..PipelineQuery::default()
        };
        let path = format!("/cases/counts?{}", counts.to_query_string());
        let (_, took) = timed(client, &path).await?;
        samples.push(Sample {
            kind: Kind::Counts,
            agent: agent_turn,
            path,
            took,
        });

        let search_text = match rng.gen_range(0..10) {
            0 => universe.numbers.choose(&mut rng).map(|n| n.to_string()),
            1 => universe.phone_needle(&mut rng),
            2 | 3 => universe.needle(&universe.subjects, &mut rng),
            4 => universe.needle(&universe.emails, &mut rng),
            5 => universe.needle(&universe.companies, &mut rng),
            _ => universe.needle(&universe.names, &mut rng),
        };
        if let Some(text) = search_text {
            let path = format!("/search?{}", encode(&[("q", &text)]));
            let (_, took) = timed(client, &path).await?;
            samples.push(Sample {
                kind: Kind::Search,
                agent: agent_turn,
                path,
                took,
            });
        }

        let contact_text = match rng.gen_range(0..6) {
            0 => universe.phone_needle(&mut rng),
            1 => universe.needle(&universe.emails, &mut rng),
            2 => universe.needle(&universe.companies, &mut rng),
            _ => universe.needle(&universe.names, &mut rng),
        };
        if let Some(text) = contact_text {
            let path = format!("/contacts?{}", encode(&[("q", &text)]));
            let (_, took) = timed(client, &path).await?;
            samples.push(Sample {
                kind: Kind::Contacts,
                agent: agent_turn,
                path,
                took,
            });
        }
    }
    report(&samples, seed, slowest);
    Ok(())
}

pub(crate) fn encode(pairs: &[(&str, &str)]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        out.append_pair(name, value);
    }
    out.finish()
}

fn report(samples: &[Sample], seed: u64, shown: usize) {
    println!("\nRandom requests (seed {seed}): percentiles per kind and caller\n");
    println!(
        "{:<26} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "kind", "n", "p50", "p95", "p99", "max"
    );
    let mut groups: BTreeMap<(Kind, bool), Vec<Duration>> = BTreeMap::new();
    for sample in samples {
        groups
            .entry((sample.kind, sample.agent))
            .or_default()
            .push(sample.took);
    }
    let mut by_kind: BTreeMap<Kind, Vec<Duration>> = BTreeMap::new();
    for ((kind, agent), times) in &groups {
        by_kind.entry(*kind).or_default().extend(times);
        line(
            &format!("{} ({})", kind.name(), if *agent { "agent" } else { "manager" }),
            times.clone(),
        );
    }
    println!();
    for (kind, times) in by_kind {
        line(&format!("{} (all)", kind.name()), times);
    }
    let mut slowest: Vec<&Sample> = samples.iter().collect();
    slowest.sort_by_key(|sample| std::cmp::Reverse(sample.took));
    println!("\nThe {shown} slowest:");
    for sample in slowest.iter().take(shown) {
        println!(
            "{:>9.1}ms  {:<7} {}",
            sample.took.as_secs_f64() * 1000.0,
            if sample.agent { "agent" } else { "manager" },
            sample.path
        );
    }
}

pub(crate) fn line(name: &str, mut times: Vec<Duration>) {
    times.sort_unstable();
    let stats = Stats { samples: times };
    let ms = |d: Duration| format!("{:.1}ms", d.as_secs_f64() * 1000.0);
    println!(
        "{:<26} {:>6} {:>9} {:>9} {:>9} {:>9}",
        name,
        stats.samples.len(),
        ms(stats.percentile(50.0)),
        ms(stats.percentile(95.0)),
        ms(stats.percentile(99.0)),
        ms(stats.percentile(100.0)),
    );
}
