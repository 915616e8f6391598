//! The funnel's figures (`/analytics/…`): each endpoint as a manager and
//! as an agent over the last 12 months with no filter (the figures the
//! issue sets), then seeded random requests over every parameter a user can
//! set (the pipeline's filters, periods, time zones, groupings, months).

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Days;
use lejek_domain::{CallerTimeZone, PipelineQuery, UtcOffset};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::measure::Client;
use crate::random::{Universe, line, random_filters, timed};

type Error = Box<dyn std::error::Error>;

/// The figures, with the parameters each takes besides the filters.
const FIGURES: [(&str, &str); 9] = [
    ("funnel", ""),
    ("outcomes", "&group_by=none"),
    ("outcomes", "&group_by=source"),
    ("outcomes", "&group_by=owner"),
    ("outcomes", "&group_by=qualifier"),
    ("resignations", ""),
    ("durations", ""),
    ("forecast", ""),
    ("team", ""),
];

const ZONES: [&str; 4] = ["Europe/Warsaw", "UTC", "America/New_York", "+05:30"];

fn path(figure: &str, own: &str, span: &str, filters: &str) -> String {
    let mut query = match figure {
        "forecast" => format!("months=6{own}"),
        _ => format!("{span}{own}"),
    };
    if !filters.is_empty() {
        query.push('&');
        query.push_str(filters);
    }
    format!("/analytics/{figure}?{query}")
}

/// Measures the figures and prints their percentiles.
pub async fn run(
    manager: &Client,
    agent: &Client,
    cases: u64,
    iterations: usize,
    requests: usize,
    seed: u64,
) -> Result<(), Error> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let universe = Universe::harvest(manager, cases, &mut rng).await?;
    let today = universe.today;
    let year = format!("from={}&to={today}&tz=Europe/Warsaw", today - Days::new(364));
    println!(
        "\nFigures over the last 12 months, no filter ({iterations} timed requests each, after one warm-up)\n"
    );
    println!(
        "{:<36} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "figure", "n", "p50", "p95", "p99", "max"
    );
    for (who, client) in [("manager", manager), ("agent", agent)] {
        for (figure, own) in FIGURES {
            if who == "agent" && figure == "team" {
                continue;
            }
            let path = path(figure, own, &year, "");
            client.get(&path).await?;
            let mut times = Vec::new();
            for _ in 0..iterations {
                times.push(timed(client, &path).await?.1);
            }
            line(&format!("{figure}{own} ({who})"), times);
        }
    }

    let mut samples: BTreeMap<(String, bool), Vec<Duration>> = BTreeMap::new();
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    for round in 0..requests {
        let agent_turn = round % 3 == 2;
        let (figure, own) = *FIGURES
            .iter()
            .filter(|(figure, _)| !(agent_turn && *figure == "team"))
            .collect::<Vec<_>>()
            .choose(&mut rng)
            .ok_or("no figures")?;
        let mut filters = random_filters(&universe, &mut rng);
        // No figure counts SPAM: those requests are refused, not measured.
        filters.spam = false;
        if filters.campaign.is_some() && filters.campaign == universe.spam_campaign {
            filters.campaign = None;
        }
        let zone = ZONES.choose(&mut rng).unwrap_or(&"UTC");
        filters.tz = Some(CallerTimeZone::parse(zone).map_err(|_| "zone")?);
        if rng.gen_bool(0.1) {
            filters.tz = Some(CallerTimeZone::Offset(UtcOffset::UTC));
        }
        let filters = PipelineQuery {
            filters,
            ..PipelineQuery::default()
        }
        .to_query_string();
        let to = today - Days::new(rng.gen_range(0..60));
        let from = to - Days::new(rng.gen_range(0..400));
        let own = if *figure == "forecast" {
            format!("{own}&months={}", rng.gen_range(1..=24))
        } else {
            own.to_string()
        };
        let path = match *figure {
            "forecast" => format!("/analytics/forecast?{}&{filters}", own.trim_start_matches('&')),
            _ => path(figure, &own, &format!("from={from}&to={to}"), &filters),
        };
        let client = if agent_turn { agent } else { manager };
        let took = timed(client, &path).await?.1;
        samples
            .entry((
                format!(
                    "{figure}{}",
                    if own.contains("group_by") {
                        own.as_str()
                    } else {
                        ""
                    }
                ),
                agent_turn,
            ))
            .or_default()
            .push(took);
        slowest.push((took, path));
    }
    println!("\nRandom figure requests (seed {seed}, {requests}): percentiles per figure and caller\n");
    println!(
        "{:<36} {:>6} {:>9} {:>9} {:>9} {:>9}",
        "figure", "n", "p50", "p95", "p99", "max"
    );
    let mut all = Vec::new();
    for ((figure, agent), times) in samples {
        all.extend(times.iter().copied());
        line(
            &format!("{figure} ({})", if agent { "agent" } else { "manager" }),
            times,
        );
    }
    line("all figures", all);
    slowest.sort_by_key(|(took, _)| std::cmp::Reverse(*took));
    println!("\nThe 5 slowest:");
    for (took, path) in slowest.iter().take(5) {
        println!("{:>9.1}ms  {path}", took.as_secs_f64() * 1000.0);
    }
    Ok(())
}
