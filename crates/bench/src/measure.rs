//! Timing HTTP requests and summarising latencies.

use std::future::Future;
use std::time::{Duration, Instant};

use lejek_domain::{Role, UserId};
use serde_json::Value;

/// A logged-in HTTP client; it logs in again when its token expires.
pub struct Client {
    http: reqwest::Client,
    base: String,
    email: String,
    password: String,
    token: std::sync::Mutex<String>,
    pub user: UserId,
    pub role: Role,
}

type Error = Box<dyn std::error::Error>;

impl Client {
    pub async fn token(
        http: &reqwest::Client,
        base: &str,
        email: &str,
        password: &str,
    ) -> Result<String, Error> {
        let tokens: Value = http
            .post(format!("{base}/auth/login"))
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(tokens["access_token"]
            .as_str()
            .ok_or("no access token")?
            .to_owned())
    }

    pub async fn login(base: &str, email: &str, password: &str) -> Result<Client, Error> {
        let http = reqwest::Client::builder().pool_max_idle_per_host(32).build()?;
        let token = Self::token(&http, base, email, password).await?;
        let me: Value = http
            .get(format!("{base}/me"))
            .bearer_auth(&token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(Client {
            http,
            base: base.to_owned(),
            email: email.to_owned(),
            password: password.to_owned(),
            token: std::sync::Mutex::new(token),
            user: UserId(me["id"].as_i64().ok_or("no id")?),
            role: serde_json::from_value(me["role"].clone())?,
        })
    }

    /// GETs `path` and returns the JSON body; any non-2xx is an error.
    pub async fn get(&self, path: &str) -> Result<Value, Error> {
        let mut response = self.send_get(path).await?;
        if response.status() == reqwest::StatusCode::UNAUTHORIZED {
            let token = Self::token(&self.http, &self.base, &self.email, &self.password).await?;
            *self.token.lock().map_err(|_| "token lock")? = token;
            response = self.send_get(path).await?;
        }
        let status = response.status();
        let body: Value = response.json().await?;
        if !status.is_success() {
            return Err(format!("GET {path}: {status} {body}").into());
        }
        Ok(body)
    }
}

impl Client {
    /// GETs `path`; the JSON body and its `ETag`.
    pub async fn get_with_etag(&self, path: &str) -> Result<(Value, String), Error> {
        let response = self.send_get(path).await?;
        let status = response.status();
        let etag = response
            .headers()
            .get("etag")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let body: Value = response.json().await?;
        match (status.is_success(), etag) {
            (true, Some(etag)) => Ok((body, etag)),
            _ => Err(format!("GET {path}: {status} {body}").into()),
        }
    }

    /// POSTs `body` to `path` with `If-Match: etag`; any non-2xx is an error.
    pub async fn post_if_match(&self, path: &str, etag: &str, body: &Value) -> Result<Value, Error> {
        let token = self.token.lock().map_err(|_| "token lock")?.clone();
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .header("if-match", etag)
            .json(body)
            .send()
            .await?;
        let status = response.status();
        let body: Value = response.json().await?;
        if !status.is_success() {
            return Err(format!("POST {path}: {status} {body}").into());
        }
        Ok(body)
    }

    async fn send_get(&self, path: &str) -> Result<reqwest::Response, Error> {
        let token = self.token.lock().map_err(|_| "token lock")?.clone();
        Ok(self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await?)
    }
}

/// Latency percentiles of one measured operation.
pub struct Stats {
    pub samples: Vec<Duration>,
}

impl Stats {
    /// Runs `operation` a few times to warm up, then `iterations` times timed.
    pub async fn measure<F, Fut, T>(iterations: usize, mut operation: F) -> Result<Stats, Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        for _ in 0..iterations.min(10) {
            operation().await?;
        }
        let mut samples = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            let started = Instant::now();
            operation().await?;
            samples.push(started.elapsed());
        }
        samples.sort_unstable();
        Ok(Stats { samples })
    }

    pub fn percentile(&self, p: f64) -> Duration {
        if self.samples.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * self.samples.len() as f64).ceil() as usize;
        self.samples[rank.clamp(1, self.samples.len()) - 1]
    }

    pub fn header() -> String {
        format!(
            "{:<46} {:>9} {:>9} {:>9}   {:>9} {:>9}  {:>7}",
            "query", "API p50", "API p95", "API p99", "store p50", "store p99", "API/store"
        )
    }

    /// One line: API percentiles, raw SQL percentiles and their p50 ratio.
    pub fn line(name: &str, api: &Stats, sql: Option<&Stats>) -> String {
        let ms = |d: Duration| format!("{:.2}ms", d.as_secs_f64() * 1000.0);
        match sql {
            Some(sql) => format!(
                "{:<46} {:>9} {:>9} {:>9}   {:>9} {:>9}  {:>7.2}",
                name,
                ms(api.percentile(50.0)),
                ms(api.percentile(95.0)),
                ms(api.percentile(99.0)),
                ms(sql.percentile(50.0)),
                ms(sql.percentile(99.0)),
                api.percentile(50.0).as_secs_f64() / sql.percentile(50.0).as_secs_f64().max(1e-9)
            ),
            None => format!(
                "{:<46} {:>9} {:>9} {:>9}",
                name,
                ms(api.percentile(50.0)),
                ms(api.percentile(95.0)),
                ms(api.percentile(99.0))
            ),
        }
    }
}
