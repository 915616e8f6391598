//! E-mail intake under the benchmark: seeded random messages of every shape
//! the intake meets (plain UTF-8, ISO-8859-2 quoted-printable, HTML only,
//! multipart with an attachment, replies onto earlier leads, auto-replies)
//! posted one after another by a mail gateway with an intake key; each
//! request's time is the message parsed and filed.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

use crate::measure::Stats;

type Error = Box<dyn std::error::Error>;

const SHAPES: [&str; 6] = ["plain", "latin2", "html", "attachment", "reply", "auto_reply"];

/// One generated message: its bytes and its Message-ID.
fn message(shape: &str, n: u32, run: &str, earlier: Option<&str>, rng: &mut ChaCha8Rng) -> (Vec<u8>, String) {
    let id = format!("{run}.{n}@bench.example");
    let sender = format!("klient.{run}.{n}@firma{}.example", rng.gen_range(0..500));
    let head = format!(
        "From: Klient {n} <{sender}>\r\nTo: sprzedaz@lejek.example\r\nDate: Mon, 07 Dec 2026 10:00:00 +0100\r\nMessage-ID: <{id}>\r\nMIME-Version: 1.0\r\n"
    );
    let lines = rng.gen_range(1..40);
    let text: String = (0..lines)
        .map(|line| format!("Proszę o wycenę pozycji {line}: łożyska, zawory, dostawa do Łodzi.\r\n"))
        .collect();
    let body = match shape {
        "latin2" => {
            let (latin2, _, _) = encoding_rs::ISO_8859_2.encode(&text);
            let quoted = quoted_printable::encode(&latin2);
            let mut raw = format!(
                "{head}Subject: =?ISO-8859-2?Q?Zapytanie_o_ofert=EA_{n}?=\r\nContent-Type: text/plain; charset=ISO-8859-2\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            )
            .into_bytes();
            raw.extend_from_slice(&quoted);
            return (raw, id);
        }
        "html" => format!(
            "{head}Subject: Zapytanie {n}\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<html><body><p>{}</p></body></html>\r\n",
            text.replace("\r\n", "</p><p>")
        ),
        "attachment" => {
            use base64::Engine;
            let size = rng.gen_range(1_000..200_000);
            let blob: Vec<u8> = (0..size).map(|_| rng.r#gen::<u8>()).collect();
            let encoded = base64::engine::general_purpose::STANDARD.encode(blob);
            let wrapped: Vec<&str> = encoded
                .as_bytes()
                .chunks(76)
                .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
                .collect();
            format!(
                "{head}Subject: Zapytanie {n} z załącznikiem\r\nContent-Type: multipart/mixed; boundary=\"b{n}\"\r\n\r\n\
                 --b{n}\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n{text}\r\n\
                 --b{n}\r\nContent-Type: application/pdf; name=\"zapytanie.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n--b{n}--\r\n",
                wrapped.join("\r\n")
            )
        }
        "reply" => match earlier {
            Some(earlier) => format!(
                "{head}Subject: Re: Zapytanie\r\nIn-Reply-To: <{earlier}>\r\nReferences: <{earlier}>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nDziękuję, czekam na ofertę.\r\n\r\n> {text}"
            ),
            None => format!(
                "{head}Subject: Zapytanie {n}\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n{text}"
            ),
        },
        "auto_reply" => format!(
            "{head}Subject: Automatyczna odpowiedź\r\nAuto-Submitted: auto-replied\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nJestem na urlopie.\r\n"
        ),
        _ => format!("{head}Subject: Zapytanie {n}\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n{text}"),
    };
    (body.into_bytes(), id)
}

/// Posts `count` messages and prints each shape's outcome and the latency
/// of parsing and filing one.
pub async fn deliveries(base: &str, admin: &str, count: u32, seed: u64, run: &str) -> Result<(), Error> {
    let http = reqwest::Client::new();
    let key: Value = http
        .post(format!("{base}/api-keys"))
        .bearer_auth(admin)
        .json(&json!({ "name": format!("Bench gateway {run}"), "role": "agent", "scope": "intake" }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let key = key["secret"].as_str().ok_or("no key secret")?.to_owned();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut leads: Vec<String> = Vec::new();
    let mut latencies = Vec::with_capacity(count as usize);
    let mut outcomes: BTreeMap<String, u32> = BTreeMap::new();
    let mut bytes = 0usize;
    for n in 0..count {
        let shape = SHAPES[rng.gen_range(0..SHAPES.len())];
        let earlier = (!leads.is_empty()).then(|| leads[rng.gen_range(0..leads.len())].clone());
        let (raw, id) = message(shape, n, run, earlier.as_deref(), &mut rng);
        bytes += raw.len();
        let began = Instant::now();
        let answer = http
            .post(format!("{base}/inbound/email"))
            .bearer_auth(&key)
            .header("content-type", "message/rfc822")
            .body(raw)
            .send()
            .await?;
        let status = answer.status().as_u16();
        let filed: Value = answer.json().await?;
        latencies.push(began.elapsed());
        let outcome = filed["outcome"]
            .as_str()
            .map_or_else(|| format!("HTTP {status}"), str::to_owned);
        if outcome == "created" {
            leads.push(id);
        }
        *outcomes.entry(outcome).or_default() += 1;
    }
    latencies.sort_unstable();
    let stats = Stats { samples: latencies };
    let ms = |p: f64| stats.percentile(p).as_secs_f64() * 1000.0;
    let outcomes: Vec<String> = outcomes
        .iter()
        .map(|(outcome, n)| format!("{n} {outcome}"))
        .collect();
    println!(
        "e-mail: {count} messages ({:.1} MB, seeded mix of {}) parsed and filed: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {}",
        bytes as f64 / 1_048_576.0,
        SHAPES.join(", "),
        ms(50.0),
        ms(95.0),
        ms(99.0),
        stats
            .samples
            .last()
            .copied()
            .unwrap_or(Duration::ZERO)
            .as_secs_f64()
            * 1000.0,
        outcomes.join(", "),
    );
    Ok(())
}
