//! The demo data on real databases: consistent with the funnel's rules,
//! replayable from its history, deterministic, and never mixed with
//! existing cases.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use lejek_demo::{DEMO_DOMAIN, DemoError, DemoOptions, DemoSummary, RESIGNATION_REASONS, generate};
use lejek_domain::{CaseId, Email, FunnelState, Phone, ResignationReason, Role, Status, digits_of};
use lejek_store::test_support::TestDatabase;
use lejek_store::{Backend, Store, search_key, source_of, stage_of, status_of};
use sea_orm::{ConnectionTrait, QueryResult, Statement};

const CASES: u64 = 3_000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn options(cases: u64, seed: u64) -> DemoOptions {
    DemoOptions {
        cases,
        seed,
        today: today(),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA".to_owned(),
    }
}

async fn rows(store: &Store, sql: &str) -> Vec<QueryResult> {
    let db = store.connection();
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql.to_owned()))
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
}

async fn count(store: &Store, sql: &str) -> i64 {
    rows(store, sql).await[0].try_get_by_index::<i64>(0).unwrap()
}

fn get<T: sea_orm::TryGetable>(row: &QueryResult, column: &str) -> T {
    row.try_get::<T>("", column)
        .unwrap_or_else(|error| panic!("column {column}: {error}"))
}

/// A case row as the checks and the dumps read it.
#[derive(Debug, Clone, PartialEq)]
struct Case {
    id: i64,
    number: i64,
    campaign_id: i64,
    subject: String,
    source: i16,
    status: i16,
    stage: Option<i16>,
    qualifier_id: Option<i64>,
    contact_id: i64,
    owner_id: Option<i64>,
    created_by: i64,
    created_at: DateTime<Utc>,
    expected_close_date: NaiveDate,
    follow_up_at: Option<DateTime<Utc>>,
    resignation_reason: Option<String>,
    value_minor: Option<i64>,
    currency: String,
    closed_at: Option<DateTime<Utc>>,
    version: i64,
    updated_at: DateTime<Utc>,
    contact_name: String,
    company: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    owner_name: Option<String>,
    contact_search: String,
    company_search: Option<String>,
    phone_digits: Option<String>,
    subject_search: String,
}

async fn cases(store: &Store) -> Vec<Case> {
    rows(store, "SELECT * FROM cases ORDER BY id")
        .await
        .iter()
        .map(|row| Case {
            id: get(row, "id"),
            number: get(row, "number"),
            campaign_id: get(row, "campaign_id"),
            subject: get(row, "subject"),
            source: get(row, "source"),
            status: get(row, "status"),
            stage: get(row, "stage"),
            qualifier_id: get(row, "qualifier_id"),
            contact_id: get(row, "contact_id"),
            owner_id: get(row, "owner_id"),
            created_by: get(row, "created_by"),
            created_at: get(row, "created_at"),
            expected_close_date: get(row, "expected_close_date"),
            follow_up_at: get(row, "follow_up_at"),
            resignation_reason: get(row, "resignation_reason"),
            value_minor: get(row, "value_minor"),
            currency: get(row, "currency"),
            closed_at: get(row, "closed_at"),
            version: get(row, "version"),
            updated_at: get(row, "updated_at"),
            contact_name: get(row, "contact_name"),
            company: get(row, "company"),
            email: get(row, "email"),
            phone: get(row, "phone"),
            owner_name: get(row, "owner_name"),
            contact_search: get(row, "contact_search"),
            company_search: get(row, "company_search"),
            phone_digits: get(row, "phone_digits"),
            subject_search: get(row, "subject_search"),
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
struct Event {
    id: i64,
    case_id: i64,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    kind: String,
    from_value: Option<String>,
    to_value: Option<String>,
    reason: Option<String>,
}

async fn events(store: &Store) -> Vec<Event> {
    rows(store, "SELECT * FROM case_events ORDER BY id")
        .await
        .iter()
        .map(|row| Event {
            id: get(row, "id"),
            case_id: get(row, "case_id"),
            at: get(row, "at"),
            actor_id: get(row, "actor_id"),
            kind: get(row, "kind"),
            from_value: get(row, "from_value"),
            to_value: get(row, "to_value"),
            reason: get(row, "reason"),
        })
        .collect()
}

/// Contacts, cases and events as one comparable text.
async fn dump(store: &Store) -> String {
    let mut out = String::new();
    for row in rows(store, "SELECT * FROM contacts ORDER BY id").await {
        let created_at: DateTime<Utc> = get(&row, "created_at");
        out.push_str(&format!(
            "contact {} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {}\n",
            get::<i64>(&row, "id"),
            get::<String>(&row, "name"),
            get::<Option<String>>(&row, "company"),
            get::<Option<String>>(&row, "email"),
            get::<Option<String>>(&row, "phone"),
            get::<Option<String>>(&row, "phone_digits"),
            get::<String>(&row, "name_search"),
            get::<Option<i64>>(&row, "created_by"),
            created_at.to_rfc3339(),
        ));
    }
    for case in cases(store).await {
        out.push_str(&format!("{case:?}\n"));
    }
    for event in events(store).await {
        out.push_str(&format!("{event:?}\n"));
    }
    out
}

async fn campaign_ids(store: &Store) -> (i64, i64) {
    let campaigns = rows(store, "SELECT id, kind FROM campaigns ORDER BY id").await;
    let id_of = |kind: &str| {
        campaigns
            .iter()
            .find(|row| get::<String>(row, "kind") == kind)
            .map(|row| get::<i64>(row, "id"))
            .unwrap()
    };
    (id_of("funnel"), id_of("spam"))
}

/// Every rule the demo data promises, checked on what the database holds.
async fn check_consistency(store: &Store, summary: &DemoSummary) {
    let cases = cases(store).await;
    let events = events(store).await;
    let n = cases.len();
    assert_eq!(n as u64, summary.cases);
    assert_eq!(events.len() as u64, summary.events);
    assert_eq!(
        count(store, "SELECT COUNT(*) FROM contacts").await as u64,
        summary.contacts
    );
    let (funnel, spam) = campaign_ids(store).await;
    let users: BTreeMap<i64, (String, String)> = rows(store, "SELECT id, name, role FROM users")
        .await
        .iter()
        .map(|row| (get(row, "id"), (get(row, "name"), get(row, "role"))))
        .collect();
    let horizon = today().and_time(NaiveTime::MIN).and_utc() + Duration::days(1);

    // Team: an admin, two managers and the agents, all logins in the demo domain.
    let roles: Vec<Role> = summary.logins.iter().map(|login| login.role).collect();
    assert_eq!(roles.iter().filter(|role| **role == Role::Admin).count(), 1);
    assert_eq!(roles.iter().filter(|role| **role == Role::Manager).count(), 2);
    assert_eq!(roles.iter().filter(|role| **role == Role::Agent).count(), 8);
    assert!(
        summary
            .logins
            .iter()
            .all(|login| login.email.ends_with(DEMO_DOMAIN))
    );

    // Numbers 1..=N without gaps, in created order, and the counter at N.
    let mut by_number = cases.clone();
    by_number.sort_by_key(|case| case.number);
    let numbers: Vec<i64> = by_number.iter().map(|case| case.number).collect();
    assert_eq!(numbers, (1..=n as i64).collect::<Vec<_>>());
    assert!(
        by_number
            .windows(2)
            .all(|pair| pair[0].created_at <= pair[1].created_at)
    );
    assert_eq!(
        count(store, "SELECT value FROM counters WHERE name = 'case_number'").await,
        n as i64
    );

    // Every status in use, in realistic shares.
    let mut by_status = [0usize; 5];
    for case in &cases {
        by_status[status_of(case.status).unwrap() as usize] += 1;
    }
    for (status, count) in Status::ALL.iter().zip(by_status) {
        assert!(count > n / 20, "{status}: {count} of {n} ({by_status:?})");
    }
    let unassigned = cases.iter().filter(|case| case.owner_id.is_none()).count();
    assert!((n / 50..n / 8).contains(&unassigned), "unassigned: {unassigned}");
    let in_spam = cases.iter().filter(|case| case.campaign_id == spam).count();
    assert!(in_spam > 0 && in_spam < n / 30, "spam: {in_spam}");
    let since_yesterday: Vec<&Case> = cases
        .iter()
        .filter(|case| case.created_at.date_naive() >= today() - Duration::days(1))
        .collect();
    assert!(
        since_yesterday.len() >= 15,
        "since yesterday: {}",
        since_yesterday.len()
    );
    assert!(
        since_yesterday
            .iter()
            .any(|case| case.status == 3 && case.campaign_id == funnel),
        "some new leads are already offered"
    );
    let sources: std::collections::BTreeSet<i16> = cases.iter().map(|case| case.source).collect();
    assert_eq!(sources.len(), 8);

    let mut events_of: BTreeMap<i64, Vec<&Event>> = BTreeMap::new();
    for event in &events {
        events_of.entry(event.case_id).or_default().push(event);
    }
    for case in &cases {
        // The stored state is one the funnel allows.
        let status = status_of(case.status).unwrap();
        let stage = case.stage.map(|code| stage_of(code).unwrap());
        let reason = case
            .resignation_reason
            .as_deref()
            .map(|reason| ResignationReason::parse(reason).unwrap());
        FunnelState::restore(status, stage, case.follow_up_at, reason, case.closed_at)
            .unwrap_or_else(|violations| panic!("case {}: {violations:?}", case.number));
        source_of(case.source).unwrap();
        if let Some(reason) = &case.resignation_reason {
            assert!(RESIGNATION_REASONS.contains(&reason.as_str()));
        }

        // Denormalised columns as the store fills them.
        assert_eq!(case.contact_search, search_key(&case.contact_name));
        assert_eq!(case.company_search, case.company.as_deref().map(search_key));
        assert_eq!(case.subject_search, search_key(&case.subject));
        assert_eq!(case.phone_digits, case.phone.as_deref().map(digits_of));
        assert_eq!(
            case.owner_name,
            case.owner_id.map(|id| users[&id].0.clone()),
            "owner name of {}",
            case.number
        );
        if let Some(owner) = case.owner_id {
            assert_eq!(users[&owner].1, "agent");
        }
        if let Some(email) = &case.email {
            assert_eq!(Email::parse(email).unwrap().as_str(), email);
        }
        if let Some(phone) = &case.phone {
            Phone::parse(phone).unwrap();
        }
        assert!(case.email.is_some() || case.phone.is_some());
        assert!(["PLN", "EUR"].contains(&case.currency.as_str()));
        assert!(case.created_at < horizon && case.created_at >= horizon - Duration::days(365));

        // The history replays to the stored state.
        let history = &events_of[&case.id];
        assert_eq!(history[0].kind, "created");
        assert_eq!(history[0].to_value.as_deref(), Some("awaiting_pickup"));
        assert_eq!(history[0].at, case.created_at);
        assert_eq!(history[0].actor_id, Some(case.created_by));
        let mut status = "awaiting_pickup".to_owned();
        let mut stage: Option<String> = None;
        let mut owner: Option<Option<String>> = None;
        let mut campaign = funnel.to_string();
        let mut reason = None;
        for pair in history.windows(2) {
            assert!(pair[0].at <= pair[1].at, "events of {} out of order", case.number);
        }
        for event in &history[1..] {
            assert!(event.at < horizon);
            assert!(event.actor_id.is_some());
            match event.kind.as_str() {
                "status" => {
                    assert_eq!(event.from_value.as_ref(), Some(&status));
                    status = event.to_value.clone().unwrap();
                    reason = event.reason.clone();
                    assert_eq!(reason.is_some(), status == "resigned");
                }
                "stage" => {
                    assert_eq!(event.from_value, stage);
                    stage = event.to_value.clone();
                }
                "owner" => {
                    if let Some(current) = &owner {
                        assert_eq!(&event.from_value, current);
                    }
                    owner = Some(event.to_value.clone());
                }
                "campaign" => {
                    assert_eq!(event.from_value.as_ref(), Some(&campaign));
                    campaign = event.to_value.clone().unwrap();
                }
                other => panic!("unexpected event kind {other}"),
            }
        }
        assert_eq!(
            status,
            status_of(case.status).unwrap().as_str(),
            "case {}",
            case.number
        );
        assert_eq!(
            stage.as_deref(),
            case.stage.map(|code| stage_of(code).unwrap().as_str())
        );
        if let Some(owner) = owner {
            assert_eq!(owner, case.owner_id.map(|id| id.to_string()));
        }
        assert_eq!(campaign, case.campaign_id.to_string());
        if status == "resigned" {
            assert_eq!(reason, case.resignation_reason);
        }
        if status_of(case.status).unwrap().is_closed() {
            let closing = history.iter().rev().find(|event| event.kind == "status").unwrap();
            assert_eq!(Some(closing.at), case.closed_at);
        }
        assert_eq!(case.version, history.len() as i64);
        assert_eq!(case.updated_at, history.last().unwrap().at);
    }
    let per_case = events.len() as f64 / n as f64;
    assert!((2.5..5.0).contains(&per_case), "{per_case} events per case");

    // Offered cases: most follow-ups ahead, some overdue.
    let offered: Vec<&Case> = cases.iter().filter(|case| case.status == 3).collect();
    let midnight = today().and_time(NaiveTime::MIN).and_utc();
    let overdue = offered
        .iter()
        .filter(|case| case.follow_up_at.unwrap() < midnight)
        .count();
    assert!(
        overdue > 0 && overdue < offered.len() / 2,
        "{overdue} of {}",
        offered.len()
    );

    // Contacts: some have several cases.
    let contacts = count(store, "SELECT COUNT(*) FROM contacts").await as f64;
    assert!((0.7..0.9).contains(&(contacts / n as f64)), "{contacts} contacts");
    for row in rows(
        store,
        "SELECT email, phone, phone_digits, name, name_search FROM contacts",
    )
    .await
    {
        if let Some(email) = get::<Option<String>>(&row, "email") {
            Email::parse(&email).unwrap();
        }
        if let Some(phone) = get::<Option<String>>(&row, "phone") {
            Phone::parse(&phone).unwrap();
            assert_eq!(
                get::<Option<String>>(&row, "phone_digits"),
                Some(digits_of(&phone))
            );
        }
        assert_eq!(
            get::<String>(&row, "name_search"),
            search_key(&get::<String>(&row, "name"))
        );
    }
    let duplicate_emails = count(
        store,
        "SELECT COUNT(*) FROM (SELECT email FROM contacts WHERE email IS NOT NULL \
         GROUP BY email HAVING COUNT(*) > 1) AS duplicates",
    )
    .await;
    assert_eq!(duplicate_emails, 0);
}

/// The store's own reads (sea-orm entities) accept every loaded row.
async fn check_store_reads_the_rows(store: &Store) {
    let all = cases(store).await;
    let ids: Vec<CaseId> = all.iter().map(|case| CaseId(case.id)).collect();
    let versions: BTreeMap<i64, i64> = store
        .case_snapshots(&ids)
        .await
        .unwrap()
        .into_iter()
        .map(|snapshot| (snapshot.id.0, snapshot.version))
        .collect();
    assert_eq!(versions.len(), all.len());
    for case in all.iter().step_by(97) {
        assert_eq!(versions[&case.id], case.version);
        let (card, _) = store.case_card(CaseId(case.id)).await.unwrap().unwrap();
        assert_eq!(card.row.number, case.number);
        assert_eq!(card.row.created_at, case.created_at);
        let history = store.case_events(CaseId(case.id)).await.unwrap();
        assert_eq!(history.len() as i64, case.version);
        assert_eq!(history.last().unwrap().at, case.updated_at);
    }
}

/// After the load, the database hands out the next ids itself.
async fn check_new_rows_get_fresh_ids(store: &Store) {
    let before = count(store, "SELECT MAX(id) FROM contacts").await;
    let db = store.connection();
    let backend = db.get_database_backend();
    let insert = "INSERT INTO contacts (name, name_search, created_at) \
                  VALUES ('Nowy Kontakt', 'nowy kontakt', CURRENT_TIMESTAMP)";
    db.execute_raw(Statement::from_string(backend, insert.to_owned()))
        .await
        .expect("a new contact gets a fresh id");
    assert_eq!(count(store, "SELECT MAX(id) FROM contacts").await, before + 1);
    let copy_case = "INSERT INTO cases (number, campaign_id, subject, source, status, stage, contact_id, \
        created_by, created_at, expected_close_date, currency, version, updated_at, contact_name, \
        contact_search, subject_search) \
        SELECT number + 1000000, campaign_id, subject, source, 1, NULL, contact_id, created_by, created_at, \
        expected_close_date, currency, 1, updated_at, contact_name, contact_search, subject_search \
        FROM cases WHERE number = 1";
    db.execute_raw(Statement::from_string(backend, copy_case.to_owned()))
        .await
        .expect("a new case gets a fresh id");
    let copy_event = "INSERT INTO case_events (case_id, at, kind, to_value) \
        SELECT MAX(id), CURRENT_TIMESTAMP, 'created', 'awaiting_pickup' FROM cases";
    db.execute_raw(Statement::from_string(backend, copy_event.to_owned()))
        .await
        .expect("a new event gets a fresh id");
}

async fn generate_and_check(db: &TestDatabase) -> String {
    let store = Store::open(&db.url, 5).await.unwrap();
    let summary = generate(&store, &options(CASES, 42)).await.unwrap();
    check_consistency(&store, &summary).await;
    check_store_reads_the_rows(&store).await;
    let dumped = dump(&store).await;

    let again = generate(&store, &options(10, 42)).await;
    assert!(matches!(again, Err(DemoError::NotEmpty)), "{again:?}");

    check_new_rows_get_fresh_ids(&store).await;
    store.close().await.unwrap();
    dumped
}

#[tokio::test]
async fn demo_data_follows_the_rules_on_sqlite_and_postgres_alike() {
    let sqlite = TestDatabase::sqlite();
    let on_sqlite = generate_and_check(&sqlite).await;
    let Some(postgres) = TestDatabase::postgres().await else {
        eprintln!("LEJEK_TEST_POSTGRES_URL unset: PostgreSQL skipped");
        return;
    };
    let on_postgres = generate_and_check(&postgres).await;
    assert!(on_sqlite == on_postgres, "the same data on both backends");
}

#[tokio::test]
async fn the_same_seed_gives_the_same_rows_and_another_seed_other_rows() {
    let mut dumps = Vec::new();
    for seed in [7, 7, 8] {
        let db = TestDatabase::sqlite();
        let store = Store::open(&db.url, 2).await.unwrap();
        assert_eq!(store.backend(), Backend::Sqlite);
        let summary = generate(&store, &options(1_000, seed)).await.unwrap();
        assert_eq!(summary.cases, 1_000);
        dumps.push(dump(&store).await);
        store.close().await.unwrap();
    }
    assert!(dumps[0] == dumps[1], "same seed, same rows");
    assert!(dumps[0] != dumps[2], "another seed, other rows");
}

#[tokio::test]
async fn no_cases_still_creates_the_team_and_dictionaries() {
    let db = TestDatabase::sqlite();
    let store = Store::open(&db.url, 2).await.unwrap();
    let summary = generate(&store, &options(0, 1)).await.unwrap();
    assert_eq!((summary.cases, summary.contacts, summary.events), (0, 0, 0));
    assert_eq!(summary.logins.len(), 11);
    assert_eq!(summary.logins[0].email, "admin@lejek.demo");
    assert_eq!(count(&store, "SELECT COUNT(*) FROM qualifiers").await, 6);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM resignation_reasons").await, 6);
    // Nothing to mix with yet: a second run reuses the team and dictionaries.
    let summary = generate(&store, &options(50, 1)).await.unwrap();
    assert_eq!(summary.cases, 50);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM users").await, 11);
    assert_eq!(count(&store, "SELECT COUNT(*) FROM qualifiers").await, 6);
    store.close().await.unwrap();
}
