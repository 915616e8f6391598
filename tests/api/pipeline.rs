//! The pipeline list over a demo data set: every filter of api.md against
//! an oracle computed from the full list, tab counts against list totals,
//! every sort key both ways, cursor paging under many sorts, and bad
//! parameters and cursors.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use lejek_domain::{
    Actor, CampaignId, CampaignKind, CampaignRef, ContactInput, NewCaseCommand, Role, Source, Stage, Status,
    UserId, decide_new_case, digits_of,
};
use lejek_store::{ForcedPlan, source_code, stage_code, status_code};
use lejek_tests::{TestApp, both};
use serde_json::{Value, json};

both!(
    every_filter_lists_exactly_the_matching_cases_and_the_counts_agree,
    every_sort_key_orders_both_ways_with_empty_values_last,
    cursor_paging_visits_every_case_exactly_once_under_any_sort,
    bad_parameters_and_cursors_answer_400_naming_them,
    an_agent_lists_counts_and_searches_only_their_own_cases,
    created_days_follow_an_iana_zone_across_daylight_saving_changes,
);

/// The store chooses a plan per request; each plan it may choose must give
/// exactly the same answers, so the checks run under its own choice and
/// under every plan forced.
const PLANS: [Option<ForcedPlan>; 4] = [
    None,
    Some(ForcedPlan::Walk),
    Some(ForcedPlan::FilterFirst),
    Some(ForcedPlan::FilterFirstFromTrigrams),
];

/// Demo cases for the paging checks: many pages at the small page sizes.
const MANY_CASES: u64 = 230;
/// Demo cases for the other checks: every case fits on one page of 200.
const SOME_CASES: u64 = 150;

/// The tabs, the `counts` field each one reads, and its status.
const TABS: [(&str, &str, Option<&str>); 6] = [
    ("all", "all", None),
    ("new", "awaiting_pickup", Some("awaiting_pickup")),
    ("in_acquisition", "in_acquisition", Some("in_acquisition")),
    ("resigned", "resigned", Some("resigned")),
    ("offered", "offered", Some("offered")),
    ("acquired", "acquired", Some("acquired")),
];

const SORT_KEYS: [&str; 12] = [
    "number",
    "source",
    "status",
    "stage",
    "created_at",
    "expected_close_date",
    "follow_up_at",
    "contact",
    "company",
    "email",
    "subject",
    "owner",
];

/// The data set every scenario here reads.
struct Data {
    /// Every case of the funnel, as the manager lists it.
    funnel: Vec<Value>,
    /// Every case of the SPAM campaign.
    spam: Vec<Value>,
    /// The demo team's logins, with their user ids.
    people: Vec<(String, i64, Role)>,
}

/// Demo data plus a few cases that make sure every nullable column has
/// empty values: unassigned cases, contacts without company, e-mail or
/// phone.
async fn data(app: &TestApp, cases: u64) -> Data {
    app.demo(cases).await;
    let manager = &app.manager.token;
    for (n, contact) in [
        json!({"name": "Bez Firmy"}),
        json!({"name": "żaneta Mała", "phone": "+48 22 111 22 33"}),
        json!({"name": "ZENON DUŻY", "company": "ŁÓDŹ Sp. z o.o.", "email": "Zenon@Lodz.pl"}),
    ]
    .into_iter()
    .enumerate()
    {
        app.create_case(
            manager,
            &json!({
                "subject": format!("Dodatkowa sprawa {n}"),
                "source": "partner",
                "expected_close_date": "2027-06-30",
                "contact": contact,
            }),
        )
        .await;
    }
    let mut funnel = app.list_all("/cases", manager, "").await;
    let mut spam = app.list_all("/cases", manager, "spam=true").await;
    if spam.len() < 3 {
        let ids: Vec<&Value> = funnel.iter().rev().take(3).map(|row| &row["id"]).collect();
        app.post_json("/cases/bulk", manager, &json!({"ids": ids, "action": "spam"}))
            .await
            .expect(200);
        funnel = app.list_all("/cases", manager, "").await;
        spam = app.list_all("/cases", manager, "spam=true").await;
    }
    // Plans are chosen, and counts split, from the statistics sample: make
    // it from this data, as the server does every 15 minutes.
    app.store.refresh_statistics().await.expect("statistics");
    assert!(
        funnel.len() as u64 > cases / 2,
        "a demo data set of {} cases",
        funnel.len()
    );
    for field in ["company", "email", "phone", "stage", "follow_up_at", "owner"] {
        assert!(
            funnel.iter().any(|row| row[field].is_null()) && funnel.iter().any(|row| !row[field].is_null()),
            "the data set needs empty and non-empty values of {field}"
        );
    }
    let users = app.get("/users", manager).await.json(200);
    let people = users
        .as_array()
        .unwrap()
        .iter()
        .map(|user| {
            (
                user["email"].as_str().unwrap().to_owned(),
                user["id"].as_i64().unwrap(),
                user["role"].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect();
    Data { funnel, spam, people }
}

fn id(row: &Value) -> i64 {
    row["id"].as_i64().unwrap()
}

fn ids<'a>(rows: impl IntoIterator<Item = &'a Value>) -> Vec<i64> {
    let mut ids: Vec<i64> = rows.into_iter().map(id).collect();
    ids.sort_unstable();
    ids
}

fn ids_in_order(rows: Vec<&Value>) -> Vec<i64> {
    rows.into_iter().map(id).collect()
}

fn time(value: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(value.as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

fn date(value: &Value) -> NaiveDate {
    value.as_str().unwrap().parse().unwrap()
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// Percent-encodes a query value.
fn enc(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A piece of `value` from the character `from`, `len` characters long.
fn piece(value: &str, from: usize, len: usize) -> String {
    value.chars().skip(from).take(len).collect()
}

/// The counts the tabs show for `rows`.
fn tally(rows: &[&Value]) -> Value {
    let count = |status: &str| rows.iter().filter(|row| row["status"] == status).count();
    json!({
        "all": rows.len(),
        "awaiting_pickup": count("awaiting_pickup"),
        "in_acquisition": count("in_acquisition"),
        "offered": count("offered"),
        "resigned": count("resigned"),
        "acquired": count("acquired"),
    })
}

type Keep = Box<dyn Fn(&Value) -> bool>;

/// Checks one filter: its list in every tab and its counts, against the
/// rows of `universe` that `keep` keeps.
async fn check_filter(
    app: &TestApp,
    token: &str,
    universe: &[Value],
    query: &str,
    keep: &Keep,
    may_be_empty: bool,
) {
    let expected: Vec<&Value> = universe.iter().filter(|row| keep(row)).collect();
    assert!(
        may_be_empty || !expected.is_empty(),
        "the filter {query} matches nothing in the data set, so it proves nothing"
    );
    let counts = app.counts(token, query).await;
    assert_eq!(counts, tally(&expected), "counts under {query}");
    for (tab, count_field, status) in TABS {
        let listed = app.case_ids(token, &format!("{query}&tab={tab}")).await;
        let wanted = ids(expected
            .iter()
            .copied()
            .filter(|row| status.is_none_or(|status| row["status"] == status)));
        assert_eq!(listed, wanted, "GET /cases?{query}&tab={tab}");
        assert_eq!(
            counts[count_field],
            listed.len(),
            "{query}: the {tab} tab's count"
        );
    }
}

async fn every_filter_lists_exactly_the_matching_cases_and_the_counts_agree(app: &TestApp) {
    let data = data(app, SOME_CASES).await;
    for plan in PLANS {
        app.store.force_plan(plan);
        eprintln!("plan: {plan:?}");
        let funnel = &data.funnel;
        let manager = &app.manager.token;
        let pick = |n: usize| &funnel[n * funnel.len() / 7];

        let mut filters: Vec<(String, Keep, bool)> = Vec::new();
        let mut add = |query: String, keep: Keep| filters.push((query, keep, false));

        add(String::new(), Box::new(|_| true));
        add(
            "status=offered,resigned".into(),
            Box::new(|r| r["status"] == "offered" || r["status"] == "resigned"),
        );
        add(
            "status=acquired&status=awaiting_pickup".into(),
            Box::new(|r| r["status"] == "acquired" || r["status"] == "awaiting_pickup"),
        );
        add(
            "source=phone,chat".into(),
            Box::new(|r| r["source"] == "phone" || r["source"] == "chat"),
        );
        add("source=partner".into(), Box::new(|r| r["source"] == "partner"));
        add(
            "stage=call_scheduled,contract_sent".into(),
            Box::new(|r| r["stage"] == "call_scheduled" || r["stage"] == "contract_sent"),
        );
        let qualified: BTreeSet<i64> = funnel
            .iter()
            .filter_map(|r| r["qualifier"]["id"].as_i64())
            .collect();
        let qualifiers: Vec<i64> = qualified.into_iter().take(2).collect();
        assert!(!qualifiers.is_empty(), "the demo data has qualifiers");
        {
            let q = qualifiers.clone();
            add(
                format!(
                    "qualifier={}",
                    q.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
                ),
                Box::new(move |r| r["qualifier"]["id"].as_i64().is_some_and(|id| q.contains(&id))),
            );
        }
        let number = pick(2)["number"].as_i64().unwrap();
        add(
            format!("number={number}"),
            Box::new(move |r| r["number"] == number),
        );

        // Created: inclusive days in the caller's time zone, or UTC.
        let plus_two = FixedOffset::east_opt(2 * 3600).unwrap();
        let day = time(&pick(3)["created_at"]).with_timezone(&plus_two).date_naive();
        let to = day + Duration::days(20);
        add(
            format!("created_from={day}&created_to={to}&tz=%2B02:00"),
            Box::new(move |r| {
                let local = time(&r["created_at"]).with_timezone(&plus_two).date_naive();
                (day..=to).contains(&local)
            }),
        );
        let minus = FixedOffset::west_opt(5 * 3600 + 1800).unwrap();
        let day = time(&pick(4)["created_at"]).date_naive();
        add(
            format!("created_to={day}&tz=-05:30"),
            Box::new(move |r| time(&r["created_at"]).with_timezone(&minus).date_naive() <= day),
        );
        add(
            format!("created_from={day}"),
            Box::new(move |r| time(&r["created_at"]).date_naive() >= day),
        );
        let yesterday = lejek_tests::today() - Duration::days(1);
        filters.push((
            format!("created_from={yesterday}"),
            Box::new(move |r| time(&r["created_at"]).date_naive() >= yesterday),
            false,
        ));
        let mut add = |query: String, keep: Keep| filters.push((query, keep, false));
        let close = date(&pick(5)["expected_close_date"]);
        let (from, to) = (close - Duration::days(15), close + Duration::days(15));
        add(
            format!("close_from={from}&close_to={to}"),
            Box::new(move |r| (from..=to).contains(&date(&r["expected_close_date"]))),
        );
        add(
            format!("close_to={close}"),
            Box::new(move |r| date(&r["expected_close_date"]) <= close),
        );

        // Text filters: case-insensitive substrings; the phone by its digits.
        // The server trims a text filter, so the oracle does too.
        let contact = piece(&text(&pick(1)["contact"]["name"]), 1, 4)
            .trim()
            .to_uppercase();
        {
            let needle = contact.to_lowercase();
            add(
                format!("contact={}", enc(&contact)),
                Box::new(move |r| text(&r["contact"]["name"]).to_lowercase().contains(&needle)),
            );
        }
        add(
            "contact=%C5%BCANETA".into(),
            Box::new(|r| text(&r["contact"]["name"]).to_lowercase().contains("żaneta")),
        );
        let company_row = funnel.iter().find(|r| r["company"].is_string()).unwrap();
        let company = piece(&text(&company_row["company"]), 2, 5).trim().to_uppercase();
        {
            let needle = company.to_lowercase();
            add(
                format!("company={}", enc(&company)),
                Box::new(move |r| text(&r["company"]).to_lowercase().contains(&needle)),
            );
        }
        add(
            "company=%C5%82%C3%B3d%C5%BA".into(),
            Box::new(|r| text(&r["company"]).to_lowercase().contains("łódź")),
        );
        let email_row = funnel.iter().rev().find(|r| r["email"].is_string()).unwrap();
        let email = text(&email_row["email"]);
        let domain = email.split('@').nth(1).unwrap().to_uppercase();
        {
            let needle = domain.to_lowercase();
            add(
                format!("email={}", enc(&domain)),
                Box::new(move |r| text(&r["email"]).to_lowercase().contains(&needle)),
            );
        }
        add(
            "email=ZENON%40".into(),
            Box::new(|r| text(&r["email"]).to_lowercase().contains("zenon@")),
        );
        let phone_row = funnel.iter().find(|r| r["phone"].is_string()).unwrap();
        let digits = digits_of(&text(&phone_row["phone"]));
        let middle = piece(&digits, 3, 5);
        let typed = format!(
            "{}-{} {}",
            piece(&middle, 0, 2),
            piece(&middle, 2, 2),
            piece(&middle, 4, 1)
        );
        add(
            format!("phone={}", enc(&typed)),
            Box::new(move |r| digits_of(&text(&r["phone"])).contains(&middle)),
        );
        let subject = text(&pick(6)["subject"]);
        let word = subject
            .split_whitespace()
            .max_by_key(|word| word.chars().count())
            .unwrap()
            .to_uppercase();
        {
            let needle = word.to_lowercase();
            add(
                format!("subject={}", enc(&word)),
                Box::new(move |r| text(&r["subject"]).to_lowercase().contains(&needle)),
            );
        }

        // People.
        add("owner=unassigned".into(), Box::new(|r| r["owner"].is_null()));
        let owner = funnel.iter().find_map(|r| r["owner"]["id"].as_i64()).unwrap();
        add(
            format!("owner={owner}"),
            Box::new(move |r| r["owner"]["id"] == owner),
        );
        let creator = pick(2)["created_by"]["id"].as_i64().unwrap();
        add(
            format!("created_by={creator}"),
            Box::new(move |r| r["created_by"]["id"] == creator),
        );
        let manager_id = app.manager.id;
        filters.push((
            "owner=me".into(),
            Box::new(move |r| r["owner"]["id"] == manager_id),
            true,
        ));
        filters.push((format!("campaign={}", app.funnel_id), Box::new(|_| true), false));

        // Several at once, around a case that matches them all.
        let row = funnel
            .iter()
            .find(|r| r["owner"].is_object() && r["source"] != "chat")
            .unwrap();
        let (source, owner) = (text(&row["source"]), row["owner"]["id"].as_i64().unwrap());
        let sources: BTreeSet<String> = [source.as_str(), "chat", "livecall"].map(str::to_owned).into();
        let from = date(&row["expected_close_date"]) - Duration::days(30);
        filters.push((
            format!(
                "source={}&owner={owner}&close_from={from}&sort=-company",
                sources.iter().cloned().collect::<Vec<_>>().join(",")
            ),
            Box::new(move |r| {
                sources.contains(&text(&r["source"]))
                    && r["owner"]["id"] == owner
                    && date(&r["expected_close_date"]) >= from
            }),
            false,
        ));
        filters.push((
            "status=in_acquisition,offered&stage=call_scheduled,in_negotiation,to_offer".into(),
            Box::new(|r| {
                ["call_scheduled", "in_negotiation", "to_offer"]
                    .contains(&r["stage"].as_str().unwrap_or_default())
            }),
            false,
        ));

        for (query, keep, may_be_empty) in &filters {
            check_filter(app, manager, funnel, query, keep, *may_be_empty).await;
        }

        // The SPAM campaign, by flag or by id.
        for query in ["spam=true".to_owned(), format!("campaign={}", app.spam_id)] {
            check_filter(
                app,
                manager,
                &data.spam,
                &query,
                &(Box::new(|_: &Value| true) as Keep),
                false,
            )
            .await;
        }
        check_filter(
            app,
            manager,
            &data.spam,
            "spam=true&source=phone,chat,email,partner,direct_visit",
            &(Box::new(|r: &Value| {
                r["source"] != "contact_form" && r["source"] != "livecall" && r["source"] != "social_media"
            }) as Keep),
            true,
        )
        .await;
        // A campaign that does not exist simply has no cases.
        assert_eq!(app.counts(manager, "campaign=987654").await["all"], 0);

        // The director's example: leads created since yesterday, how many of
        // them already offered, and the Offered tab sorted by creation.
        let counts = app.counts(manager, &format!("created_from={yesterday}")).await;
        for sort in ["created_at", "-created_at"] {
            let rows = app
                .list_all(
                    "/cases",
                    manager,
                    &format!("tab=offered&created_from={yesterday}&sort={sort}&limit=3"),
                )
                .await;
            assert_eq!(counts["offered"], rows.len());
            check_order(&rows, &parse_sort(sort), sort);
        }
    }
    app.store.force_plan(None);
}

/// Parses `sort` as the API does; `None` for the default order.
fn parse_sort(sort: &str) -> Vec<(String, bool)> {
    sort.split(',')
        .filter(|part| !part.is_empty())
        .map(|part| match part.strip_prefix('-') {
            Some(field) => (field.to_owned(), true),
            None => (part.to_owned(), false),
        })
        .collect()
}

/// A sort value, as the database compares it; `None` is empty.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Int(i64),
    Text(String),
    Time(DateTime<Utc>),
}

fn sort_key(row: &Value, field: &str) -> Option<Key> {
    // Text columns sort on their normalised form: trimmed, lower case.
    let normalised = |value: &Value| value.as_str().map(|text| Key::Text(text.trim().to_lowercase()));
    match field {
        "number" => row["number"].as_i64().map(Key::Int),
        // Codes sort in funnel order, not alphabetically.
        "source" => Some(Key::Int(
            source_code(text(&row["source"]).parse::<Source>().unwrap()).into(),
        )),
        "status" => Some(Key::Int(
            status_code(text(&row["status"]).parse::<Status>().unwrap()).into(),
        )),
        "stage" => row["stage"]
            .as_str()
            .map(|stage| Key::Int(stage_code(stage.parse::<Stage>().unwrap()).into())),
        "created_at" => Some(Key::Time(time(&row["created_at"]))),
        "expected_close_date" => row["expected_close_date"]
            .as_str()
            .map(|d| Key::Text(d.to_owned())),
        "follow_up_at" => row["follow_up_at"]
            .as_str()
            .map(|_| Key::Time(time(&row["follow_up_at"]))),
        "contact" => normalised(&row["contact"]["name"]),
        "company" => normalised(&row["company"]),
        "email" => row["email"].as_str().map(|e| Key::Text(e.to_owned())),
        "subject" => normalised(&row["subject"]),
        "owner" => row["owner"]["name"]
            .as_str()
            .map(|name| Key::Text(name.to_owned())),
        other => panic!("no sort key {other}"),
    }
}

/// The order the API promises: each key in its direction with empty values
/// last either way, then the id in the last key's direction.
fn compare(a: &Value, b: &Value, keys: &[(String, bool)]) -> Ordering {
    for (field, descending) in keys {
        let ordering = match (sort_key(a, field), sort_key(b, field)) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) if *descending => y.cmp(&x),
            (Some(x), Some(y)) => x.cmp(&y),
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    let descending = keys.last().is_some_and(|(_, descending)| *descending);
    if descending {
        id(b).cmp(&id(a))
    } else {
        id(a).cmp(&id(b))
    }
}

#[track_caller]
fn check_order(rows: &[Value], keys: &[(String, bool)], label: &str) {
    for (position, pair) in rows.windows(2).enumerate() {
        let shown = |row: &Value| {
            (
                id(row),
                keys.iter()
                    .map(|(field, _)| sort_key(row, field))
                    .collect::<Vec<_>>(),
            )
        };
        assert_eq!(
            compare(&pair[0], &pair[1], keys),
            Ordering::Less,
            "sort={label}: rows {position} and {} are out of order: {:?} then {:?}",
            position + 1,
            shown(&pair[0]),
            shown(&pair[1])
        );
    }
}

async fn every_sort_key_orders_both_ways_with_empty_values_last(app: &TestApp) {
    let data = data(app, SOME_CASES).await;
    for plan in PLANS {
        app.store.force_plan(plan);
        eprintln!("plan: {plan:?}");
        let manager = &app.manager.token;

        let mut sorts: Vec<String> = SORT_KEYS
            .iter()
            .flat_map(|key| [key.to_string(), format!("-{key}")])
            .collect();
        sorts.extend(
            [
                "status,-created_at",
                "-owner,company,-number",
                "stage,follow_up_at",
                "-source,-stage,contact",
                "subject",
            ]
            .map(str::to_owned),
        );
        for sort in &sorts {
            let keys = parse_sort(&sort.replace('+', ""));
            // One page holds every case, in exactly the oracle's order.
            let page = app
                .get(&format!("/cases?sort={}&limit=200", enc(sort)), manager)
                .await
                .json(200);
            assert!(page["next_cursor"].is_null());
            let rows = page["items"].as_array().unwrap();
            check_order(rows, &keys, sort);
            let mut expected: Vec<&Value> = data.funnel.iter().collect();
            expected.sort_by(|a, b| compare(a, b, &keys));
            assert_eq!(
                rows.iter().map(id).collect::<Vec<_>>(),
                ids_in_order(expected),
                "sort={sort}"
            );
            // The first key really is sorted on, not only tied by id.
            let distinct: BTreeSet<String> = rows
                .iter()
                .map(|r| format!("{:?}", sort_key(r, &keys[0].0)))
                .collect();
            assert!(distinct.len() > 1, "{} has one value only", keys[0].0);
        }

        // Tabs open in their own order: Offered by follow-up date (soonest
        // first), the others newest first.
        let offered = app.list_all("/cases", manager, "tab=offered").await;
        assert!(offered.len() > 2);
        check_order(&offered, &parse_sort("follow_up_at"), "the Offered tab's default");
        let newest = app.list_all("/cases", manager, "tab=all").await;
        check_order(&newest, &parse_sort("-created_at"), "the default");
        let search = app.list_all("/search", manager, "").await;
        check_order(&search, &parse_sort("-created_at"), "search");
        assert_eq!(search.len(), data.funnel.len() + data.spam.len());
    }
    app.store.force_plan(None);
}

async fn cursor_paging_visits_every_case_exactly_once_under_any_sort(app: &TestApp) {
    let data = data(app, MANY_CASES).await;
    for plan in PLANS {
        app.store.force_plan(plan);
        eprintln!("plan: {plan:?}");
        let manager = &app.manager.token;
        let everything = ids(&data.funnel);
        for sort in [
            "",
            "company",
            "-company",
            "owner",
            "-owner",
            "follow_up_at",
            "-follow_up_at",
            "stage,-number",
            "-status,owner,-company",
            "email,-stage",
            "-expected_close_date",
            "contact",
            "-subject,created_at",
        ] {
            // `list_all` follows the cursors and fails on a repeated row.
            let rows = app
                .list_all("/cases", manager, &format!("sort={}&limit=17", enc(sort)))
                .await;
            assert_eq!(ids(&rows), everything, "sort={sort}: a case was missed");
            let keys = if sort.is_empty() {
                parse_sort("-created_at")
            } else {
                parse_sort(sort)
            };
            check_order(&rows, &keys, sort);
        }
        // Under a filter and a tab too, and in the spam list and search.
        let rows = app
            .list_all("/cases", manager, "tab=offered&sort=-follow_up_at,owner&limit=7")
            .await;
        let offered: Vec<&Value> = data.funnel.iter().filter(|r| r["status"] == "offered").collect();
        assert_eq!(ids(&rows), ids(offered));
        check_order(&rows, &parse_sort("-follow_up_at,owner"), "offered");
        let rows = app
            .list_all("/cases", manager, "spam=true&sort=company&limit=2")
            .await;
        assert_eq!(ids(&rows), ids(&data.spam));
        let rows = app.list_all("/search", manager, "limit=23").await;
        assert_eq!(rows.len(), data.funnel.len() + data.spam.len());
        let contacts = app.list_all("/contacts", manager, "limit=13").await;
        let contact_ids: BTreeSet<i64> = data
            .funnel
            .iter()
            .chain(&data.spam)
            .map(|r| r["contact"]["id"].as_i64().unwrap())
            .collect();
        assert!(contacts.len() >= contact_ids.len());
        let names: Vec<String> = contacts.iter().map(|c| text(&c["name"]).to_lowercase()).collect();
        assert!(
            names.windows(2).all(|pair| pair[0] <= pair[1]),
            "contacts by name"
        );

        // A page size may change between pages.
        let first = app.get("/cases?sort=company&limit=17", manager).await.json(200);
        let cursor = first["next_cursor"].as_str().unwrap();
        let second = app
            .get(&format!("/cases?sort=company&limit=50&cursor={cursor}"), manager)
            .await
            .json(200);
        let expected: Vec<i64> = {
            let mut rows: Vec<&Value> = data.funnel.iter().collect();
            rows.sort_by(|a, b| compare(a, b, &parse_sort("company")));
            rows[17..67].iter().map(|r| id(r)).collect()
        };
        let got: Vec<i64> = second["items"].as_array().unwrap().iter().map(id).collect();
        assert_eq!(got, expected);
    }
    app.store.force_plan(None);
}

async fn bad_parameters_and_cursors_answer_400_naming_them(app: &TestApp) {
    app.demo(60).await;
    let manager = &app.manager.token;
    let page = app.get("/cases?sort=company&limit=17", manager).await.json(200);
    let cursor = page["next_cursor"].as_str().unwrap().to_owned();
    app.get(&format!("/cases?sort=company&limit=17&cursor={cursor}"), manager)
        .await
        .expect(200);
    // A cursor is never empty: leave it out for the first page.
    app.get("/cases?sort=company&cursor=", manager).await.problem_on(
        400,
        "invalid_parameter",
        "cursor",
        "blank",
    );

    let (payload, signature) = cursor.split_once('.').unwrap();
    let flip = |text: &str, at: usize| {
        let mut chars: Vec<char> = text.chars().collect();
        chars[at] = if chars[at] == 'A' { 'B' } else { 'A' };
        chars.into_iter().collect::<String>()
    };
    let search = app.get("/search?limit=5", manager).await.json(200);
    let search_cursor = search["next_cursor"].as_str().unwrap().to_owned();
    let contacts = app.get("/contacts?limit=5", manager).await.json(200);
    let contacts_cursor = contacts["next_cursor"].as_str().unwrap().to_owned();
    let bad = [
        format!(
            "/cases?sort=company&cursor={}.{signature}",
            flip(payload, payload.len() / 2)
        ),
        format!("/cases?sort=company&cursor={payload}.{}", flip(signature, 3)),
        format!("/cases?sort=company&cursor={payload}"),
        format!("/cases?sort=company&cursor={signature}.{payload}"),
        "/cases?sort=company&cursor=garbage".to_owned(),
        "/cases?sort=company&cursor=e30.e30".to_owned(),
        // A cursor is bound to its query: sort, filters and tab.
        format!("/cases?sort=-company&cursor={cursor}"),
        format!("/cases?cursor={cursor}"),
        format!("/cases?sort=company&source=phone&cursor={cursor}"),
        format!("/cases?sort=company&tab=offered&cursor={cursor}"),
        format!("/cases?sort=company&spam=true&cursor={cursor}"),
        format!("/search?cursor={cursor}"),
        format!("/search?q=a&cursor={search_cursor}"),
        format!("/cases?cursor={search_cursor}"),
        format!("/contacts?cursor={cursor}"),
        format!("/contacts?q=a&cursor={contacts_cursor}"),
        format!("/search?cursor={contacts_cursor}"),
    ];
    for path in &bad {
        let reply = app.get(path, manager).await;
        reply.problem_on(400, "invalid_parameter", "cursor", "invalid_cursor");
    }
    let long = "A".repeat(1025);
    app.get(&format!("/cases?cursor={long}"), manager)
        .await
        .problem_on(400, "invalid_parameter", "cursor", "too_long");

    // Every bad parameter is named, with what is wrong with it.
    let cases = [
        ("colour=red", vec![("colour", "unknown_parameter")]),
        ("Status=offered", vec![("Status", "unknown_parameter")]),
        ("status=won", vec![("status", "invalid_value")]),
        ("source=fax", vec![("source", "invalid_value")]),
        ("stage=lunch", vec![("stage", "invalid_value")]),
        ("qualifier=hot", vec![("qualifier", "invalid_value")]),
        ("tab=everything", vec![("tab", "invalid_value")]),
        ("number=0", vec![("number", "invalid_value")]),
        ("number=1&number=2", vec![("number", "duplicate")]),
        ("status=offered&status=offered", vec![("status", "duplicate")]),
        ("created_from=yesterday", vec![("created_from", "invalid_value")]),
        (
            "close_from=2026-12-01&close_to=2026-11-01",
            vec![("close_to", "inverted_range")],
        ),
        (
            "created_from=2026-12-01&created_to=2026-11-01",
            vec![("created_to", "inverted_range")],
        ),
        ("phone=abc", vec![("phone", "invalid_phone")]),
        ("owner=nobody", vec![("owner", "invalid_value")]),
        ("created_by=me", vec![("created_by", "invalid_value")]),
        ("spam=maybe", vec![("spam", "invalid_value")]),
        ("spam=true&campaign=1", vec![("spam", "invalid_value")]),
        ("tz=%2B25:00", vec![("tz", "out_of_range")]),
        ("tz=Europe/Gotham", vec![("tz", "invalid_value")]),
        ("tz=europe/warsaw", vec![("tz", "invalid_value")]),
        ("number=", vec![("number", "invalid_value")]),
        ("spam=1", vec![("spam", "invalid_value")]),
        ("sort=%2Bsubject", vec![("sort", "invalid_value")]),
        ("sort=-nothing", vec![("sort", "invalid_value")]),
        ("sort=number,-number", vec![("sort", "duplicate")]),
        ("limit=0", vec![("limit", "out_of_range")]),
        ("limit=201", vec![("limit", "out_of_range")]),
        ("limit=ten", vec![("limit", "invalid_value")]),
        (
            "status=won&limit=500&colour=red&sort=-nothing",
            vec![
                ("status", "invalid_value"),
                ("limit", "out_of_range"),
                ("colour", "unknown_parameter"),
                ("sort", "invalid_value"),
            ],
        ),
    ];
    for (query, expected) in cases {
        for path in ["/cases", "/cases/counts"] {
            let reply = app.get(&format!("{path}?{query}"), manager).await;
            reply.problem(400, "invalid_parameter");
            let expected: Vec<(String, String)> = expected
                .iter()
                .map(|(f, c)| (f.to_string(), c.to_string()))
                .collect();
            assert_eq!(reply.field_errors(), expected, "{path}?{query}");
            for (field, _) in &expected {
                assert!(reply.json["detail"].as_str().unwrap().contains(field.as_str()));
            }
        }
    }
    for (path, field, code) in [
        ("/search?colour=red", "colour", "unknown_parameter"),
        ("/search?limit=0", "limit", "out_of_range"),
        ("/search?sort=number", "sort", "unknown_parameter"),
        ("/contacts?sort=name", "sort", "unknown_parameter"),
        ("/contacts?limit=1000", "limit", "out_of_range"),
    ] {
        app.get(path, manager)
            .await
            .problem_on(400, "invalid_parameter", field, code);
    }
    let long_q = "a".repeat(201);
    app.get(&format!("/search?q={long_q}"), manager).await.problem_on(
        400,
        "invalid_parameter",
        "q",
        "too_long",
    );
    app.get(&format!("/cases?subject={long_q}"), manager)
        .await
        .problem_on(400, "invalid_parameter", "subject", "too_long");
    // An empty list or a blank text means "not given"; an empty value of
    // any other kind is refused (the document says what each one takes).
    // LIKE wildcards are plain characters.
    let all = app.counts(manager, "").await["all"].clone();
    assert_eq!(
        app.counts(manager, "contact=&subject=%20&status=&qualifier=&sort=")
            .await["all"],
        all
    );
    let reply = app.get("/cases/counts?owner=&number=&limit=", manager).await;
    reply.problem(400, "invalid_parameter");
    assert_eq!(
        reply.field_errors(),
        ["owner", "number", "limit"].map(|field| (field.to_owned(), "invalid_value".to_owned()))
    );
    assert_eq!(app.counts(manager, "subject=%25").await["all"], 0);
    assert_eq!(app.counts(manager, "company=_").await["all"], 0);
}

async fn an_agent_lists_counts_and_searches_only_their_own_cases(app: &TestApp) {
    let data = data(app, SOME_CASES).await;
    let agents: Vec<&(String, i64, Role)> = data
        .people
        .iter()
        .filter(|(email, _, role)| *role == Role::Agent && email.ends_with("@lejek.demo"))
        .take(2)
        .collect();
    assert_eq!(agents.len(), 2);
    let mut checked_someone_with_cases = false;
    for (email, agent_id, _) in agents {
        let token = app.token_of(email).await;
        let own: Vec<&Value> = data
            .funnel
            .iter()
            .filter(|r| r["owner"]["id"] == *agent_id)
            .collect();
        let own_spam: Vec<&Value> = data
            .spam
            .iter()
            .filter(|r| r["owner"]["id"] == *agent_id)
            .collect();
        checked_someone_with_cases |= !own.is_empty();

        assert_eq!(
            app.case_ids(&token, "").await,
            ids(own.iter().copied()),
            "{email}"
        );
        assert_eq!(app.counts(&token, "").await, tally(&own));
        assert_eq!(app.case_ids(&token, "owner=me").await, ids(own.iter().copied()));
        assert_eq!(
            app.case_ids(&token, "spam=true").await,
            ids(own_spam.iter().copied())
        );
        for (tab, field, status) in TABS {
            let listed = app.case_ids(&token, &format!("tab={tab}&sort=-owner")).await;
            let wanted = ids(own
                .iter()
                .copied()
                .filter(|r| status.is_none_or(|s| r["status"] == s)));
            assert_eq!(listed, wanted, "{email} tab {tab}");
            assert_eq!(
                app.counts(&token, &format!("tab={tab}")).await[field],
                listed.len()
            );
        }
        for query in ["owner=unassigned".to_owned(), format!("owner={}", app.agent.id)] {
            assert_eq!(app.case_ids(&token, &query).await, Vec::<i64>::new(), "{query}");
            assert_eq!(app.counts(&token, &query).await["all"], 0);
        }
        // Search covers every campaign, still only the agent's cases.
        let found = app.list_all("/search", &token, "").await;
        let mut wanted = own.clone();
        wanted.extend(own_spam.iter().copied());
        assert_eq!(ids(&found), ids(wanted));
        let found = app.list_all("/search", &token, "q=a").await;
        assert!(found.iter().all(|r| r["owner"]["id"] == *agent_id));
        // A text the trigram indexes narrow (their candidates keep to the
        // agent's cases): exactly the agent's cases that hold it.
        if let Some(first) = own.first() {
            let needle: String = text(&first["contact"]["name"])
                .to_lowercase()
                .chars()
                .take(4)
                .collect();
            let holds = |r: &&Value| {
                [&r["contact"]["name"], &r["company"], &r["email"], &r["subject"]]
                    .iter()
                    .any(|value| text(value).to_lowercase().contains(&needle))
            };
            let wanted = ids(own.iter().chain(own_spam.iter()).copied().filter(holds));
            for plan in PLANS {
                app.store.force_plan(plan);
                let found = app
                    .list_all("/search", &token, &format!("q={}", enc(&needle)))
                    .await;
                assert_eq!(ids(&found), wanted, "{email} q={needle} {plan:?}");
            }
            app.store.force_plan(None);
        }
        // Anybody else's case is not there.
        let foreign = data
            .funnel
            .iter()
            .find(|r| r["owner"]["id"] != *agent_id)
            .unwrap();
        app.get(&format!("/cases/{}", id(foreign)), &token)
            .await
            .problem(404, "not_found");
    }
    assert!(checked_someone_with_cases);
}

/// Cases created at exact instants around Warsaw's two daylight-saving
/// changes of 2026 (clocks back on 25 October, forward on 29 March): a day
/// in `Europe/Warsaw` is 25 hours or 23 hours long, which no fixed offset
/// gets right.
async fn created_days_follow_an_iana_zone_across_daylight_saving_changes(app: &TestApp) {
    let manager = &app.manager.token;
    let actor = Actor::new(UserId(app.manager.id), Role::Manager);
    let funnel = CampaignRef {
        id: CampaignId(app.funnel_id),
        kind: CampaignKind::Funnel,
    };
    let mut ids = std::collections::BTreeMap::new();
    for at in [
        "2026-10-24T21:59:59Z", // 23:59:59 on the 24th (CEST)
        "2026-10-24T22:00:00Z", // midnight starting the 25th (CEST)
        "2026-10-25T22:59:59Z", // 23:59:59 on the 25th (CET)
        "2026-10-25T23:00:00Z", // midnight starting the 26th (CET)
        "2026-03-28T22:59:59Z", // 23:59:59 on the 28th (CET)
        "2026-03-28T23:00:00Z", // midnight starting the 29th (CET)
        "2026-03-29T21:59:59Z", // 23:59:59 on the 29th (CEST)
        "2026-03-29T22:00:00Z", // midnight starting the 30th (CEST)
    ] {
        let command = NewCaseCommand {
            subject: Some(format!("Utworzona {at}")),
            source: Some(Source::Phone),
            expected_close_date: NaiveDate::from_ymd_opt(2026, 12, 31),
            contact: Some(ContactInput {
                name: Some("Strefa Czasowa".to_owned()),
                ..ContactInput::default()
            }),
            ..NewCaseCommand::default()
        };
        let new_case = decide_new_case(&actor, command, funnel).unwrap();
        let created = DateTime::parse_from_rfc3339(at).unwrap().with_timezone(&Utc);
        let card = app
            .store
            .create_case(&new_case, UserId(app.manager.id), created)
            .await
            .unwrap();
        ids.insert(at, card.row.id.0);
    }
    let listed = |query: &'static str| async move {
        let page = app
            .get(&format!("/cases?{query}&sort=created_at"), manager)
            .await
            .json(200);
        let counted = app.counts(manager, query).await["all"].as_u64().unwrap();
        let rows: Vec<i64> = page["items"].as_array().unwrap().iter().map(id).collect();
        assert_eq!(rows.len() as u64, counted, "{query}");
        rows
    };
    for (query, expected) in [
        (
            "created_from=2026-10-25&created_to=2026-10-25&tz=Europe/Warsaw",
            ["2026-10-24T22:00:00Z", "2026-10-25T22:59:59Z"],
        ),
        (
            "created_from=2026-03-29&created_to=2026-03-29&tz=Europe/Warsaw",
            ["2026-03-28T23:00:00Z", "2026-03-29T21:59:59Z"],
        ),
        // One-sided ranges end and start at the zone's midnight too.
        (
            "created_from=2026-10-26&tz=Europe/Warsaw",
            ["2026-10-25T23:00:00Z", "2026-10-25T23:00:00Z"],
        ),
        (
            "created_to=2026-03-28&tz=Europe/Warsaw",
            ["2026-03-28T22:59:59Z", "2026-03-28T22:59:59Z"],
        ),
    ] {
        let mut expected: Vec<i64> = expected.iter().map(|at| ids[at]).collect();
        expected.dedup();
        assert_eq!(listed(query).await, expected, "{query}");
    }
    // The offset in force at the day's end misses its first hour.
    assert_eq!(
        listed("created_from=2026-10-25&created_to=2026-10-25&tz=%2B01:00").await,
        [ids["2026-10-25T22:59:59Z"]]
    );
    // A zone the database does not know is refused, by name.
    app.get("/cases?created_from=2026-10-25&tz=Europe/Gotham", manager)
        .await
        .problem_on(400, "invalid_parameter", "tz", "invalid_value");
}
