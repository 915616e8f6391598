//! Concurrent writers: clients each moving cases through the stages of
//! "in acquisition" (read the case for its ETag, then the transition),
//! the way a sales team works the pipeline at the same time.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use serde_json::{Value, json};

use crate::measure::{Client, Stats};

type Error = Box<dyn std::error::Error>;

const STAGES: [&str; 3] = ["call_scheduled", "after_call_meeting", "to_offer"];

/// Runs `writers` concurrent clients for `seconds` and prints the latency
/// of a whole move (GET + transition) and the throughput.
pub async fn run(client: &Client, writers: usize, seconds: u64) -> Result<(), Error> {
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
    let duration = Duration::from_secs(seconds);
    let started = Instant::now();
    let workers = (0..writers).map(|worker| {
        // Each writer has cases of its own: the measure is the database's
        // write path, not version conflicts.
        let own: Vec<i64> = ids.iter().skip(worker).step_by(writers).copied().collect();
        async move {
            let mut times = Vec::new();
            let mut turn = 0_usize;
            while started.elapsed() < duration {
                let id = own[turn % own.len()];
                let stage = STAGES[(turn / own.len() + worker) % STAGES.len()];
                turn += 1;
                let began = Instant::now();
                let (_, etag) = client.get_with_etag(&format!("/cases/{id}")).await?;
                let body = json!({"status": "in_acquisition", "stage": stage});
                let answer: Value = client
                    .post_if_match(&format!("/cases/{id}/transition"), &etag, &body)
                    .await?;
                if answer["id"].as_i64() != Some(id) {
                    return Err::<Vec<Duration>, Error>(format!("move of {id}: {answer}").into());
                }
                times.push(began.elapsed());
            }
            Ok(times)
        }
    });
    let mut all = Vec::new();
    for result in join_all(workers).await {
        all.extend(result?);
    }
    let elapsed = started.elapsed();
    all.sort_unstable();
    let moves = all.len();
    let stats = Stats { samples: all };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "\n{writers} concurrent writers, {moves} moves (GET + transition) in {:.1} s = {:.0} moves/s; \
         per move p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        elapsed.as_secs_f64(),
        moves as f64 / elapsed.as_secs_f64(),
        ms(stats.percentile(50.0)),
        ms(stats.percentile(95.0)),
        ms(stats.percentile(99.0)),
        ms(stats.percentile(100.0)),
    );
    Ok(())
}
