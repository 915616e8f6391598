//! The production layout measured: `lejek serve` processes on PostgreSQL,
//! the repository's Caddyfile (Debian's `caddy`) in front of two of them.
//! Prints what the proxy costs (latency of one hop, throughput of 16
//! writers against one node without it) and what recording metrics costs
//! (one node with a metrics token against one without, requests
//! interleaved so both see the same machine).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use lejek_demo::DEMO_PASSWORD;

use crate::measure::{Client, Stats};
use crate::writers;

type Error = Box<dyn std::error::Error>;

const JWT_SECRET: &str = "bench-secret-bench-secret-bench-secret-0123";
const METRICS_TOKEN: &str = "bench-metrics-token-0123456789";
const DIRECTOR: &str = "dyrektor@lejek.demo";

/// What the production benchmark is given.
pub struct Setup<'a> {
    pub database_url: &'a str,
    pub lejek: &'a Path,
    pub caddyfile: &'a Path,
    pub work_dir: &'a Path,
    pub writers: usize,
    pub writer_seconds: u64,
    pub samples: usize,
}

/// A child process, killed when dropped.
pub(crate) struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A `lejek serve` or Caddy answering at `base` (`http://127.0.0.1:<port>`).
pub(crate) struct Running {
    process: Process,
    pub base: String,
}

impl Running {
    pub fn pid(&self) -> u32 {
        self.process.0.id()
    }
}

fn free_port() -> Result<u16, Error> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

async fn wait_ready(base: &str, what: &str) -> Result<(), Error> {
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if http
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|answer| answer.status().is_success())
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!("{what} at {base} was not ready within 120 s").into())
}

async fn node(setup: &Setup<'_>, name: &str, metrics: bool) -> Result<Running, Error> {
    let metrics = if metrics { METRICS_TOKEN } else { "" };
    spawn_node(
        setup.lejek,
        setup.database_url,
        setup.work_dir,
        name,
        &[("LEJEK_METRICS_TOKEN", metrics)],
    )
    .await
}

/// A release `lejek serve` on `database_url`, with `env` on top.
pub(crate) async fn spawn_node(
    lejek: &Path,
    database_url: &str,
    work_dir: &Path,
    name: &str,
    env: &[(&str, &str)],
) -> Result<Running, Error> {
    let port = free_port()?;
    let data_dir = work_dir.join(name);
    std::fs::create_dir_all(&data_dir)?;
    let mut command = Command::new(lejek);
    command
        .arg("serve")
        .env("LEJEK_LISTEN", format!("127.0.0.1:{port}"))
        .env("LEJEK_DATABASE_URL", database_url)
        .env("LEJEK_DATA_DIR", &data_dir)
        .env("LEJEK_CLIENT_DIR", data_dir.join("no-client"))
        .env("LEJEK_JWT_SECRET", JWT_SECRET)
        .env("LEJEK_TRUST_PROXY", "true")
        .env("LEJEK_DB_MAX_CONNECTIONS", "8")
        .env("LEJEK_LOG", "warn")
        .envs(env.iter().copied())
        .env_remove("LEJEK_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    let process = Process(
        command
            .spawn()
            .map_err(|error| format!("{}: {error}", lejek.display()))?,
    );
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&base, name).await?;
    Ok(Running { process, base })
}

async fn caddy(setup: &Setup<'_>, upstreams: &[&Running]) -> Result<Running, Error> {
    let port = free_port()?;
    let upstreams: Vec<&str> = upstreams
        .iter()
        .map(|node| node.base.trim_start_matches("http://"))
        .collect();
    let home = setup.work_dir.join("caddy");
    std::fs::create_dir_all(&home)?;
    let process = Process(
        Command::new("caddy")
            .args(["run", "--adapter", "caddyfile", "--config"])
            .arg(setup.caddyfile)
            .env("LEJEK_SITE", format!("http://127.0.0.1:{port}"))
            .env("LEJEK_UPSTREAMS", upstreams.join(" "))
            .env("LEJEK_TLS", "")
            .env("CADDY_ADMIN", "off")
            .env("HOME", &home)
            .env("XDG_DATA_HOME", &home)
            .env("XDG_CONFIG_HOME", &home)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| format!("caddy (Debian's package): {error}"))?,
    );
    let base = format!("http://127.0.0.1:{port}");
    wait_ready(&base, "caddy").await?;
    Ok(Running { process, base })
}

/// Times `samples` requests to each of two addresses, alternating, so a
/// busy moment of the machine falls on both alike.
async fn interleaved<F, Fut>(samples: usize, mut request: F) -> Result<(Stats, Stats), Error>
where
    F: FnMut(bool) -> Fut,
    Fut: std::future::Future<Output = Result<(), Error>>,
{
    for _ in 0..samples.min(200) {
        request(false).await?;
        request(true).await?;
    }
    let (mut first, mut second) = (Vec::with_capacity(samples), Vec::with_capacity(samples));
    for turn in 0..samples * 2 {
        let which = turn % 2 == 1;
        let started = Instant::now();
        request(which).await?;
        let took = started.elapsed();
        if which {
            second.push(took)
        } else {
            first.push(took)
        }
    }
    first.sort_unstable();
    second.sort_unstable();
    Ok((Stats { samples: first }, Stats { samples: second }))
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn compare(label: &str, base: &Stats, other: &Stats) {
    let (p50, p99) = (base.percentile(50.0), base.percentile(99.0));
    let (other50, other99) = (other.percentile(50.0), other.percentile(99.0));
    println!(
        "{label:<44} p50 {:.3} → {:.3} ms ({:+.3} ms, {:+.1} %)   p99 {:.3} → {:.3} ms ({:+.3} ms)",
        ms(p50),
        ms(other50),
        ms(other50) - ms(p50),
        (other50.as_secs_f64() / p50.as_secs_f64().max(1e-9) - 1.0) * 100.0,
        ms(p99),
        ms(other99),
        ms(other99) - ms(p99),
    );
}

async fn get(http: &reqwest::Client, url: &str, token: Option<&str>) -> Result<(), Error> {
    let mut request = http.get(url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let answer = request.send().await?;
    let status = answer.status();
    answer.bytes().await?;
    if !status.is_success() {
        return Err(format!("GET {url}: {status}").into());
    }
    Ok(())
}

async fn token(base: &str) -> Result<String, Error> {
    Client::token(
        &reqwest::Client::new(),
        &format!("{base}/api/v1"),
        DIRECTOR,
        DEMO_PASSWORD,
    )
    .await
}

pub async fn run(setup: Setup<'_>) -> Result<(), Error> {
    let a = node(&setup, "node-a", true).await?;
    let b = node(&setup, "node-b", true).await?;
    let proxy = caddy(&setup, &[&a, &b]).await?;
    println!(
        "\nproduction layout: nodes {} and {}, Caddy at {}\n",
        a.base, b.base, proxy.base
    );

    // One hop of the proxy: the cheapest answer (no database), directly
    // and through Caddy.
    let http = reqwest::Client::builder().pool_max_idle_per_host(4).build()?;
    let (direct, proxied) = interleaved(setup.samples, |through_proxy| {
        let base = if through_proxy { &proxy.base } else { &a.base };
        let (http, url) = (http.clone(), format!("{base}/healthz"));
        async move { get(&http, &url, None).await }
    })
    .await?;
    compare("GET /healthz: one node → through the proxy", &direct, &proxied);
    let token = token(&a.base).await?;
    let case_url = |base: &str| format!("{base}/api/v1/cases?limit=50");
    let (direct, proxied) = interleaved(setup.samples / 2, |through_proxy| {
        let base = if through_proxy { &proxy.base } else { &a.base };
        let (http, url, token) = (http.clone(), case_url(base), token.clone());
        async move { get(&http, &url, Some(&token)).await }
    })
    .await?;
    compare(
        "GET /cases?limit=50: one node → through the proxy",
        &direct,
        &proxied,
    );

    // Throughput of concurrent writers: one node, no proxy, then two nodes
    // behind it.
    let one = Client::login(&format!("{}/api/v1", a.base), DIRECTOR, DEMO_PASSWORD).await?;
    let alone = writers::moves(&one, setup.writers, setup.writer_seconds).await?;
    println!("\none node, no proxy:   {}", alone.line());
    let both = Client::login(&format!("{}/api/v1", proxy.base), DIRECTOR, DEMO_PASSWORD).await?;
    let behind = writers::moves(&both, setup.writers, setup.writer_seconds).await?;
    println!("two nodes, via Caddy: {}", behind.line());
    println!(
        "throughput ratio (two nodes via the proxy / one node): {:.2}×; failed moves: {} and {}",
        behind.per_second() / alone.per_second(),
        alone.failed,
        behind.failed
    );
    drop(proxy);
    drop(b);

    // Recording metrics: two fresh nodes, one with a metrics token and one
    // without, so neither has a warmer pool or cache than the other; three
    // rounds, the median round's p50 difference.
    drop(a);
    let off = node(&setup, "node-c", false).await?;
    let on = node(&setup, "node-d", true).await?;
    let token = self::token(&on.base).await?;
    println!();
    for (label, path) in [
        ("GET /healthz: metrics off → on", "/healthz"),
        ("GET /me: metrics off → on", "/api/v1/me"),
    ] {
        let mut rounds = Vec::new();
        for _ in 0..3 {
            rounds.push(
                interleaved(setup.samples, |metrics_on| {
                    let base = if metrics_on { &on.base } else { &off.base };
                    let (http, url, token) = (http.clone(), format!("{base}{path}"), token.clone());
                    async move { get(&http, &url, Some(&token)).await }
                })
                .await?,
            );
        }
        let change = |(off, on): &(Stats, Stats)| {
            on.percentile(50.0).as_secs_f64() / off.percentile(50.0).as_secs_f64().max(1e-9)
        };
        rounds.sort_by(|x, y| change(x).total_cmp(&change(y)));
        let changes: Vec<String> = rounds
            .iter()
            .map(|round| format!("{:+.1} %", (change(round) - 1.0) * 100.0))
            .collect();
        let (off, on) = &rounds[1];
        compare(label, off, on);
        println!("{:<44} rounds: {}", "", changes.join(", "));
    }
    Ok(())
}

/// The default place of the repository's Caddyfile.
pub fn default_caddyfile() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/Caddyfile")
}
