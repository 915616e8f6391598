//! The intake benchmark: release `lejek serve` processes importing
//! generated Polish Excel files (Windows-1250, `;`, decimal commas, dates
//! `31.12.2026`, about one row in ten naming an earlier row's contact)
//! through the real API: the upload's preview, the run until done in
//! rows per second, and the server's resident memory while it runs; web
//! form submissions at a visitor's pace and e-mail deliveries beside it.

use std::path::Path;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

use crate::production::{Running, spawn_node};

type Error = Box<dyn std::error::Error>;

const JWT_SECRET: &str = "bench-secret-bench-secret-bench-secret-0123";
/// The demo's sales director imports (a manager: the leads stay unassigned).
const DIRECTOR: &str = "dyrektor@lejek.demo";

/// What the intake benchmark is given.
pub struct Setup<'a> {
    pub database_url: &'a str,
    pub label: &'a str,
    pub lejek: &'a Path,
    pub work_dir: &'a Path,
    /// Rows of the timed import.
    pub rows: usize,
    /// Rows of the large file whose memory is watched.
    pub large_rows: usize,
    /// E-mail messages delivered.
    pub mails: u32,
    pub seed: u64,
}

const FIRST: [&str; 10] = [
    "Łukasz",
    "Agnieszka",
    "Małgorzata",
    "Grzegorz",
    "Żaneta",
    "Ścibor",
    "Zdzisław",
    "Danuta",
    "Oskar",
    "Jolanta",
];
const LAST: [&str; 10] = [
    "Żółć",
    "Ślęczek",
    "Kąkol",
    "Brzęczyszczykiewicz",
    "Nowak",
    "Ćwik",
    "Łęcki",
    "Dąbrowski",
    "Wiśniewska",
    "Gęślak",
];
const WHAT: [&str; 8] = [
    "Wdrożenie CRM w oddziale",
    "Szkolenie handlowców z obsługi klienta",
    "Audyt procesów sprzedaży i magazynu",
    "Oferta na serwis klimatyzacji budynku",
    "Dostawa czytników kodów kreskowych",
    "Modernizacja sieci komputerowej w szkole",
    "Abonament serwisowy na rok",
    "Odnowienie umowy ramowej z bankiem",
];
const SOURCES: [&str; 6] = [
    "telefon",
    "Formularz kontaktowy",
    "E-mail",
    "polecenie",
    "www",
    "Bezpośrednia wizyta",
];

/// A Polish Excel CSV of `rows` leads, encoded as Excel writes it.
pub fn polish_csv(rows: usize, seed: u64, run: &str) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut text = String::with_capacity(rows * 120);
    text.push_str("Temat;Źródło;Imię i nazwisko;Firma;E-mail;Telefon;Przewidywana data zamknięcia;Wartość;Waluta;ID\r\n");
    for row in 0..rows {
        // About one row in ten is an earlier row's contact again.
        let person = if row > 10 && rng.gen_bool(0.1) {
            rng.gen_range(0..row)
        } else {
            row
        };
        let (first, last) = (FIRST[person % 10], LAST[(person / 10) % 10]);
        let whole: u32 = rng.gen_range(500..2_000_000);
        let amount = if whole >= 1_000_000 {
            format!(
                "{} {:03} {:03}",
                whole / 1_000_000,
                whole / 1000 % 1000,
                whole % 1000
            )
        } else if whole >= 1000 {
            format!("{} {:03}", whole / 1000, whole % 1000)
        } else {
            whole.to_string()
        };
        text.push_str(&format!(
            "{} nr {row};{};{first} {last};{last} i Wspólnicy Sp. z o.o.;{}.{}.{person}@{run}.example.pl;+48 {} {:03} {:03};{:02}.{:02}.2027;{amount},{:02};PLN;{run}-{row}\r\n",
            WHAT[row % WHAT.len()],
            SOURCES[rng.gen_range(0..SOURCES.len())],
            ascii(first),
            ascii(last),
            rng.gen_range(500..800),
            rng.gen_range(0..1000),
            rng.gen_range(0..1000),
            rng.gen_range(1..29),
            rng.gen_range(1..13),
            rng.gen_range(0..100),
        ));
    }
    let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(&text);
    bytes.into_owned()
}

fn ascii(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'ą' => 'a',
            'ć' => 'c',
            'ę' => 'e',
            'ł' | 'Ł' => 'l',
            'ń' => 'n',
            'ó' => 'o',
            'ś' | 'Ś' => 's',
            'ź' | 'ż' | 'Ż' => 'z',
            other => other.to_ascii_lowercase(),
        })
        .collect()
}

/// The process's resident memory now and at its peak, in MiB.
fn memory(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

struct Api {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    async fn login(node: &Running) -> Result<Api, Error> {
        let base = format!("{}/api/v1", node.base);
        let token = access_token(&base, DIRECTOR).await?;
        Ok(Api {
            http: reqwest::Client::new(),
            base,
            token,
        })
    }

    async fn upload(&self, file: Vec<u8>) -> Result<(Value, Duration), Error> {
        let started = Instant::now();
        let preview: Value = self
            .http
            .post(format!("{}/imports", self.base))
            .bearer_auth(&self.token)
            .header("content-type", "text/csv")
            .body(file)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok((preview, started.elapsed()))
    }

    /// Runs the import and waits for it, sampling the node's memory.
    async fn run(&self, preview: &Value, pid: u32) -> Result<(Value, Duration, f64), Error> {
        let id = preview["id"].as_i64().ok_or("no import id")?;
        let started = Instant::now();
        self.http
            .post(format!("{}/imports/{id}/run", self.base))
            .bearer_auth(&self.token)
            .json(&json!({ "mapping": preview["mapping"] }))
            .send()
            .await?
            .error_for_status()?;
        let mut peak: f64 = 0.0;
        loop {
            peak = peak.max(memory(pid).0);
            let current: Value = self
                .http
                .get(format!("{}/imports/{id}", self.base))
                .bearer_auth(&self.token)
                .send()
                .await?
                .error_for_status()?
                .json()
                .await?;
            match current["state"].as_str() {
                Some("done") => return Ok((current, started.elapsed(), peak)),
                Some("failed") => return Err(format!("the import failed: {current}").into()),
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
}

/// A demo user's access token.
async fn access_token(base: &str, email: &str) -> Result<String, Error> {
    let tokens: Value = reqwest::Client::new()
        .post(format!("{base}/auth/login"))
        .json(&json!({ "email": email, "password": lejek_demo::DEMO_PASSWORD }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(tokens["access_token"].as_str().ok_or("no token")?.to_owned())
}

/// Web form submissions at `rate` a second for `seconds`, each a new lead
/// (a message of its own), paced like visitors, not sent as fast as
/// possible: the latencies, the failures, and the leads created.
async fn submissions(base: &str, admin: &str, rate: u32, seconds: u32) -> Result<(), Error> {
    let http = reqwest::Client::new();
    let form: Value = http
        .post(format!("{base}/forms"))
        .bearer_auth(admin)
        .json(&json!({ "name": "Benchmark", "origins": [], "agents": [], "fields": ["name", "email", "message"] }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let key = form["key"].as_str().ok_or("no key")?.to_owned();
    let token: Value = http
        .get(format!("{base}/forms/{key}/token"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let token = token["token"].as_str().ok_or("no form token")?.to_owned();
    // A person takes longer than the minimum fill time to type.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let total = rate * seconds;
    let gap = Duration::from_secs_f64(1.0 / f64::from(rate));
    let started = Instant::now();
    let mut sent = Vec::with_capacity(total as usize);
    for n in 0..total {
        let due = started + gap * n;
        tokio::time::sleep_until(due.into()).await;
        let (http, url, token) = (
            http.clone(),
            format!("{base}/forms/{key}/submissions"),
            token.clone(),
        );
        sent.push(tokio::spawn(async move {
            let began = Instant::now();
            let answer = http
                .post(url)
                .json(&json!({
                    "name": format!("Gość {n}"),
                    "email": format!("gosc.{n}@bench.example"),
                    "message": format!("Zapytanie numer {n}"),
                    "token": token,
                }))
                .send()
                .await;
            (
                answer.map(|answer| answer.status().as_u16()).unwrap_or(0),
                began.elapsed(),
            )
        }));
    }
    let mut latencies = Vec::with_capacity(sent.len());
    let mut failed = 0;
    for task in sent {
        let (status, took) = task.await?;
        if status != 202 {
            failed += 1;
        }
        latencies.push(took);
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    let stats = crate::measure::Stats { samples: latencies };
    let form: Value = http
        .get(format!("{base}/forms/{}", form["id"]))
        .bearer_auth(admin)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    println!(
        "web form: {total} submissions at {rate}/s over {:.1} s: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms; {failed} not 202; {} leads created",
        elapsed.as_secs_f64(),
        stats.percentile(50.0).as_secs_f64() * 1000.0,
        stats.percentile(95.0).as_secs_f64() * 1000.0,
        stats.percentile(99.0).as_secs_f64() * 1000.0,
        form["leads"],
    );
    Ok(())
}

pub async fn run(setup: Setup<'_>) -> Result<(), Error> {
    let node = spawn_node(
        setup.lejek,
        setup.database_url,
        setup.work_dir,
        "intake",
        &[
            ("LEJEK_JWT_SECRET", JWT_SECRET),
            ("LEJEK_REQUEST_TIMEOUT_SECONDS", "120"),
            // Every submission comes from this one address.
            ("LEJEK_FORM_LIMIT_PER_ADDRESS", "1000000"),
            ("LEJEK_FORM_MIN_FILL_SECONDS", "1"),
            // The 500,000-row file of these wide rows is about 100 MB: twice
            // the default limit, so memory is watched on a file larger than
            // any a default server takes.
            ("LEJEK_MAX_UPLOAD_BYTES", "209715200"),
        ],
    )
    .await?;
    let api = Api::login(&node).await?;
    let run_id = format!("r{}", chrono::Utc::now().timestamp());
    println!(
        "\nLejek intake benchmark on {} (release `lejek serve`, pid {})\n",
        setup.label,
        node.pid()
    );

    let base = format!("{}/api/v1", node.base);
    let admin = access_token(&base, "admin@lejek.demo").await?;
    submissions(&base, &admin, 50, 20).await?;
    crate::mail::deliveries(&base, &admin, setup.mails, setup.seed, &run_id).await?;

    let file = polish_csv(setup.rows, setup.seed, &run_id);
    let megabytes = file.len() as f64 / 1_048_576.0;
    let (preview, previewed) = api.upload(file).await?;
    let (done, took, _) = api.run(&preview, node.pid()).await?;
    let progress = &done["progress"];
    println!(
        "import of {} rows ({megabytes:.1} MB, Windows-1250): preview {:.2} s, run {:.1} s = {:.0} rows/s; created {}, contacts reused {}, refused {}",
        setup.rows,
        previewed.as_secs_f64(),
        took.as_secs_f64(),
        setup.rows as f64 / took.as_secs_f64(),
        progress["created"],
        progress["contacts_reused"],
        progress["refused"],
    );

    let large = polish_csv(setup.large_rows, setup.seed + 1, &format!("{run_id}l"));
    let megabytes = large.len() as f64 / 1_048_576.0;
    let (before, _) = memory(node.pid());
    let (preview, previewed) = api.upload(large).await?;
    let (_, after_preview) = memory(node.pid());
    let (done, took, peak_running) = api.run(&preview, node.pid()).await?;
    let (after, peak) = memory(node.pid());
    println!(
        "import of {} rows ({megabytes:.1} MB): preview {:.2} s, run {:.1} s = {:.0} rows/s; created {}",
        setup.large_rows,
        previewed.as_secs_f64(),
        took.as_secs_f64(),
        setup.large_rows as f64 / took.as_secs_f64(),
        done["progress"]["created"],
    );
    println!(
        "server memory (RSS): {before:.0} MiB before the upload, peak {after_preview:.0} MiB by the end of the preview, \
         at most {peak_running:.0} MiB while importing, {after:.0} MiB after; peak RSS of the process {peak:.0} MiB"
    );
    Ok(())
}
