//! The Prometheus exposition behind `GET /metrics`: the process-wide
//! recorder that request, login and pool figures go to.

use std::sync::OnceLock;

use lejek_store::Store;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::observe::REQUEST_SECONDS;

/// Latency buckets in seconds: fine where the API usually answers (a few
/// milliseconds), coarse up to the request timeout.
const LATENCY_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

pub const LOGIN_FAILURES_TOTAL: &str = "lejek_login_failures_total";
pub const LOGIN_THROTTLED_TOTAL: &str = "lejek_login_throttled_total";

static RECORDER: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the recorder once per process (several servers in one test
/// process share it); `None` when another recorder was installed first.
pub fn install() -> Option<&'static PrometheusHandle> {
    RECORDER
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(REQUEST_SECONDS.to_owned()), &LATENCY_BUCKETS)
                .ok()?;
            let handle = builder.install_recorder();
            if let Err(error) = &handle {
                tracing::warn!(%error, "metrics are off: cannot install the recorder");
            }
            handle.ok()
        })
        .as_ref()
}

/// Describes every metric once, so each has a `# HELP` line from the
/// first scrape on, and zeroes the counters that may never move.
pub fn describe() {
    metrics::describe_counter!(
        crate::observe::REQUESTS_TOTAL,
        "Requests answered, by method, route template and status class."
    );
    metrics::describe_histogram!(
        REQUEST_SECONDS,
        metrics::Unit::Seconds,
        "Time to answer a request, by method, route template and status class."
    );
    metrics::describe_counter!(
        LOGIN_FAILURES_TOTAL,
        "Logins refused for a wrong e-mail or password."
    );
    metrics::describe_counter!(
        LOGIN_THROTTLED_TOTAL,
        "Logins refused because the account or address had too many failures."
    );
    metrics::describe_gauge!(
        "lejek_db_pool_connections",
        "Database connections of this node, by state (in_use, idle)."
    );
    metrics::describe_gauge!("lejek_db_pool_max_connections", "The pool's ceiling.");
    metrics::describe_gauge!(
        "lejek_db_write_queue",
        "SQLite writers waiting for their turn to write (always 0 on PostgreSQL)."
    );
    metrics::describe_counter!(
        "lejek_db_pool_acquire_timeouts_total",
        "Requests that found no free database connection in time (answered 503)."
    );
    metrics::counter!(LOGIN_FAILURES_TOTAL).increment(0);
    metrics::counter!(LOGIN_THROTTLED_TOTAL).increment(0);
}

/// The exposition text, with the pool's figures read now.
pub fn render(handle: &PrometheusHandle, store: &Store) -> String {
    let pool = store.pool_stats();
    let in_use = pool.open.saturating_sub(pool.idle);
    metrics::gauge!("lejek_db_pool_connections", "state" => "in_use").set(f64::from(in_use));
    metrics::gauge!("lejek_db_pool_connections", "state" => "idle").set(f64::from(pool.idle));
    metrics::gauge!("lejek_db_pool_max_connections").set(f64::from(pool.max_connections));
    metrics::gauge!("lejek_db_write_queue").set(pool.writers_waiting as f64);
    metrics::counter!("lejek_db_pool_acquire_timeouts_total").absolute(pool.acquire_timeouts);
    handle.run_upkeep();
    handle.render()
}
