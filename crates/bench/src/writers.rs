//! Concurrent writers: clients each moving cases through the stages of
//! "in acquisition" (read the case for its ETag, then the transition),
//! the way a sales team works the pipeline at the same time.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::measure::{Client, Stats};

type Error = Box<dyn std::error::Error>;

const STAGES: [&str; 3] = ["call_scheduled", "after_call_meeting", "to_offer"];

/// What a run of concurrent writers did.
pub struct Moves {
    pub writers: usize,
    pub elapsed: Duration,
    /// Each successful move's latency, sorted.
    pub stats: Stats,
    /// Moves that failed (any error or non-2xx), and the first reason.
    pub failed: usize,
    pub first_failure: Option<String>,
}

impl Moves {
    pub fn per_second(&self) -> f64 {
        self.stats.samples.len() as f64 / self.elapsed.as_secs_f64()
    }

    pub fn line(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "{} concurrent writers, {} moves (GET + transition) in {:.1} s = {:.0} moves/s; \
             per move p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; failed {}{}",
            self.writers,
            self.stats.samples.len(),
            self.elapsed.as_secs_f64(),
            self.per_second(),
            ms(self.stats.percentile(50.0)),
            ms(self.stats.percentile(95.0)),
            ms(self.stats.percentile(99.0)),
            ms(self.stats.percentile(100.0)),
            self.failed,
            self.first_failure
                .as_ref()
                .map(|why| format!(" (first: {why})"))
                .unwrap_or_default(),
        )
    }
}

/// Runs `writers` concurrent clients for `seconds` and prints the latency
/// of a whole move (GET + transition) and the throughput.
pub async fn run(client: &Client, writers: usize, seconds: u64) -> Result<(), Error> {
    println!("\n{}", moves(client, writers, seconds).await?.line());
    Ok(())
}

/// Cases in acquisition to move: 20 for each writer.
async fn cases_to_move(client: &Client, writers: usize) -> Result<Vec<i64>, Error> {
    let mut ids: Vec<i64> = Vec::new();
    let mut cursor: Option<String> = None;
    while ids.len() < writers * 20 {
        let path = match &cursor {
            None => "/cases?tab=in_acquisition&limit=200".to_owned(),
            Some(cursor) => format!("/cases?tab=in_acquisition&limit=200&cursor={cursor}"),
        };
        let page = client.get(&path).await?;
        ids.extend(
            page["items"]
                .as_array()
                .ok_or("no items")?
                .iter()
                .filter_map(|row| row["id"].as_i64()),
        );
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    if ids.len() < writers {
        return Err("not enough cases in acquisition".into());
    }
    Ok(ids)
}

/// One move of case `id` to `stage`: read it for its ETag, then the transition.
async fn move_case(client: &Client, id: i64, stage: &str) -> Result<(), Error> {
    let (_, etag) = client.get_with_etag(&format!("/cases/{id}")).await?;
    let body = json!({"status": "in_acquisition", "stage": stage});
    let answer: Value = client
        .post_if_match(&format!("/cases/{id}/transition"), &etag, &body)
        .await?;
    if answer["id"].as_i64() != Some(id) {
        return Err(format!("move of {id}: {answer}").into());
    }
    Ok(())
}

/// Runs `writers` concurrent clients for `seconds`, each moving cases of
/// its own, and gathers every move's latency and every failure.
pub async fn moves(client: &Client, writers: usize, seconds: u64) -> Result<Moves, Error> {
    let ids = cases_to_move(client, writers).await?;
    let duration = Duration::from_secs(seconds);
    let started = Instant::now();
    let workers = (0..writers).map(|worker| {
        // Each writer has cases of its own: the measure is the database's
        // write path, not version conflicts.
        let own: Vec<i64> = ids.iter().skip(worker).step_by(writers).copied().collect();
        async move {
            let mut times = Vec::new();
            let mut failures = Vec::new();
            let mut turn = 0_usize;
            while started.elapsed() < duration {
                let id = own[turn % own.len()];
                let stage = STAGES[(turn / own.len() + worker) % STAGES.len()];
                turn += 1;
                let began = Instant::now();
                match move_case(client, id, stage).await {
                    Ok(()) => times.push(began.elapsed()),
                    Err(error) => failures.push(error.to_string()),
                }
            }
            (times, failures)
        }
    });
    let mut samples = Vec::new();
    let mut failures = Vec::new();
    for (times, failed) in join_all(workers).await {
        samples.extend(times);
        failures.extend(failed);
    }
    let elapsed = started.elapsed();
    samples.sort_unstable();
    Ok(Moves {
        writers,
        elapsed,
        stats: Stats { samples },
        failed: failures.len(),
        first_failure: failures.into_iter().next(),
    })
}
