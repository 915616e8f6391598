//! The fixed set of measured queries, each through the API and straight
//! through the store (the same plans and SQL, without HTTP).

use std::time::{Duration, Instant};

use chrono::{Days, Utc};
use futures_util::future::join_all;
use lejek_domain::{Actor, CampaignKind, PipelineQuery, list_scope};
use lejek_store::{CampaignScope, CaseFilter, Store};
use serde_json::Value;

use crate::measure::{Client, Stats};

type Error = Box<dyn std::error::Error>;

/// The API's list and the same SQL straight on the database.
async fn list(
    store: &Store,
    client: &Client,
    name: &str,
    query: &str,
    iterations: usize,
) -> Result<Stats, Error> {
    let path = format!("/cases?{query}");
    let api = Stats::measure(iterations, || client.get(&path)).await?;
    let parsed = PipelineQuery::from_query_string(query).map_err(|e| format!("{query}: {e}"))?;
    let funnel = store
        .campaigns()
        .await?
        .into_iter()
        .find(|campaign| campaign.kind == CampaignKind::Funnel)
        .ok_or("no funnel campaign")?;
    let statuses = parsed.filters.statuses_for(parsed.tab);
    let filter = CaseFilter {
        scope: list_scope(&Actor::new(client.user, client.role)),
        caller: client.user,
        campaign: CampaignScope::One(parsed.filters.campaign.unwrap_or(funnel.id)),
        statuses: statuses.as_deref(),
        filters: &parsed.filters,
        text: None,
        contact: None,
    };
    let sort = parsed.effective_sort();
    let sql = Stats::measure(iterations, || async {
        Ok::<_, Error>(store.list_cases(&filter, &sort, parsed.page_size(), None).await?)
    })
    .await?;
    println!("{}", Stats::line(name, &api, Some(&sql)));
    Ok(api)
}

async fn counts(
    store: &Store,
    client: &Client,
    name: &str,
    query: &str,
    iterations: usize,
) -> Result<(), Error> {
    let path = format!("/cases/counts?{query}");
    let api = Stats::measure(iterations, || client.get(&path)).await?;
    let parsed = PipelineQuery::from_query_string(query).map_err(|e| format!("{query}: {e}"))?;
    let funnel = store
        .campaigns()
        .await?
        .into_iter()
        .find(|campaign| campaign.kind == CampaignKind::Funnel)
        .ok_or("no funnel campaign")?;
    let filter = CaseFilter {
        scope: list_scope(&Actor::new(client.user, client.role)),
        caller: client.user,
        campaign: CampaignScope::One(funnel.id),
        statuses: None,
        filters: &parsed.filters,
        text: None,
        contact: None,
    };
    let sql = Stats::measure(iterations, || async {
        Ok::<_, Error>(store.count_cases(&filter).await?)
    })
    .await?;
    println!("{}", Stats::line(name, &api, Some(&sql)));
    Ok(())
}

pub async fn run_all(
    store: &Store,
    manager: &Client,
    agent: &Client,
    iterations: usize,
) -> Result<(), Error> {
    let today = Utc::now().date_naive();
    let yesterday = today - Days::new(1);
    let quarter_ago = today - Days::new(90);

    let first = list(
        store,
        manager,
        "manager: all tab, newest first",
        "sort=-created_at",
        iterations,
    )
    .await?;
    list(
        store,
        manager,
        "manager: offered tab (by follow-up)",
        "tab=offered",
        iterations,
    )
    .await?;
    list(
        store,
        manager,
        "manager: offered since yesterday, by created",
        &format!("tab=offered&created_from={yesterday}&sort=created_at"),
        iterations,
    )
    .await?;
    list(
        store,
        manager,
        "manager: tab + 3 filters + sort",
        &format!("tab=in_acquisition&source=phone,email,contact_form&created_from={quarter_ago}&stage=call_scheduled,to_offer&sort=-expected_close_date"),
        iterations,
    )
    .await?;
    list(
        store,
        manager,
        "manager: text filter (contact)",
        "contact=nowak",
        iterations,
    )
    .await?;
    list(
        store,
        manager,
        "manager: sort by company (nullable)",
        "sort=company",
        iterations,
    )
    .await?;
    list(store, agent, "agent: new leads tab", "tab=new", iterations).await?;
    list(
        store,
        agent,
        "agent: tab + 3 filters + sort",
        &format!(
            "tab=offered&source=phone,email&close_from={quarter_ago}&stage=in_negotiation&sort=follow_up_at"
        ),
        iterations,
    )
    .await?;

    // A deep page: follow the cursor 400 pages (20,000 rows) down.
    let mut cursor: Option<String> = None;
    for _ in 0..400 {
        let path = match &cursor {
            None => "/cases?sort=-created_at".to_owned(),
            Some(cursor) => format!("/cases?sort=-created_at&cursor={cursor}"),
        };
        let page = manager.get(&path).await?;
        cursor = page["next_cursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    if let Some(cursor) = cursor {
        let path = format!("/cases?sort=-created_at&cursor={cursor}");
        let deep = Stats::measure(iterations, || manager.get(&path)).await?;
        println!(
            "{}",
            Stats::line("manager: page 401 (20,000 rows deep)", &deep, None)
        );
        println!(
            "{:<46} {:>9.2}",
            "deep page p99 / first page p99",
            deep.percentile(99.0).as_secs_f64() / first.percentile(99.0).as_secs_f64()
        );
    }

    counts(store, manager, "counts: manager, no filter", "", iterations).await?;
    counts(
        store,
        manager,
        "counts: manager, created since yesterday",
        &format!("created_from={yesterday}"),
        iterations,
    )
    .await?;
    counts(
        store,
        manager,
        "counts: manager, source + quarter",
        &format!("source=phone,email&created_from={quarter_ago}"),
        iterations,
    )
    .await?;
    counts(store, agent, "counts: agent, no filter", "", iterations).await?;

    get_by_id_throughput(manager).await?;
    Ok(())
}

/// Case cards by id from 16 concurrent clients for five seconds.
async fn get_by_id_throughput(client: &Client) -> Result<(), Error> {
    let page: Value = client.get("/cases?limit=200").await?;
    let ids: Vec<i64> = page["items"]
        .as_array()
        .ok_or("no items")?
        .iter()
        .filter_map(|row| row["id"].as_i64())
        .collect();
    let duration = Duration::from_secs(5);
    let started = Instant::now();
    let workers = (0..16).map(|worker| {
        let ids = &ids;
        async move {
            let mut done = 0_u64;
            let mut index = worker;
            while started.elapsed() < duration {
                client.get(&format!("/cases/{}", ids[index % ids.len()])).await?;
                index += 7;
                done += 1;
            }
            Ok::<u64, Error>(done)
        }
    });
    let mut total = 0;
    for result in join_all(workers).await {
        total += result?;
    }
    println!(
        "\nget-by-id: {} requests in {:.1} s = {:.0} req/s (16 concurrent clients)",
        total,
        started.elapsed().as_secs_f64(),
        total as f64 / started.elapsed().as_secs_f64()
    );
    Ok(())
}
