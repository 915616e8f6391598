//! The funnel's figures as the database computes them equal the domain's
//! reference functions, over random histories written by the API's write
//! path (the funnel's rules deciding, the store writing each decision with
//! its history) at times spread over months, under random scopes, filters,
//! periods and time zones. Set `LEJEK_TEST_SEED` to replay a run.

use chrono::{DateTime, Duration, DurationRound, NaiveDate, Utc};
use lejek_domain::analytics::{
    CaseHistory, ForecastFrame, GroupBy, HistoryEvent, Period, Probability, Step, StepProbabilities,
    TeamMember, durations, forecast, funnel, outcomes, resignations, team, team_rows,
};
use lejek_domain::{
    Actor, Amount, CallerTimeZone, CampaignId, CampaignKind, CampaignRef, CaseCommand, CaseDetailsPatch,
    CaseId, ContactInput, DictionaryName, ListScope, NewCaseCommand, OwnerFilter, PipelineFilters,
    QualifierId, Role, Source, Stage, Status, TextFilter, TransitionCommand, UserId, decide, decide_new_case,
};
use lejek_store::{CampaignScope, CaseFilter, CaseWrite, Dictionary, Store};
use lejek_tests::{TestApp, both};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

both!(every_figure_equals_the_reference_over_random_histories);

const CASES: usize = 70;
const ROUNDS: usize = 25;
const ZONES: [&str; 5] = ["UTC", "Europe/Warsaw", "America/New_York", "+05:30", "-03:00"];

struct World {
    funnel: CampaignRef,
    spam: CampaignRef,
    people: Vec<Actor>,
    qualifiers: Vec<QualifierId>,
    histories: Vec<(CaseId, CaseHistory)>,
}

impl World {
    /// The test app's campaigns and people, no cases yet.
    fn of(app: &TestApp, qualifiers: Vec<QualifierId>) -> World {
        let actor = |user: &lejek_tests::TestUser| Actor::new(UserId(user.id), user.role);
        World {
            funnel: CampaignRef {
                id: CampaignId(app.funnel_id),
                kind: CampaignKind::Funnel,
            },
            spam: CampaignRef {
                id: CampaignId(app.spam_id),
                kind: CampaignKind::Spam,
            },
            people: vec![actor(&app.agent), actor(&app.other_agent), actor(&app.manager)],
            qualifiers,
            histories: Vec::new(),
        }
    }
}

fn seed() -> u64 {
    let seed = std::env::var("LEJEK_TEST_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().r#gen());
    eprintln!("figures: LEJEK_TEST_SEED={seed}");
    seed
}

/// A random instant with microseconds, as the API's clock gives them.
fn jitter(rng: &mut StdRng) -> Duration {
    Duration::microseconds(rng.gen_range(0..1_000_000)) * if rng.gen_bool(0.3) { 0 } else { 1 }
}

/// One move a user may try on a case at `at`.
fn any_command(rng: &mut StdRng, world: &World, at: DateTime<Utc>) -> CaseCommand {
    match rng.gen_range(0..20) {
        0 => CaseCommand::Assign {
            owner: world
                .people
                .choose(rng)
                .map(|actor| actor.user_id)
                .filter(|_| rng.gen_bool(0.8)),
        },
        1 => CaseCommand::ChangeCampaign {
            to: if rng.gen_bool(0.5) {
                world.spam
            } else {
                world.funnel
            },
        },
        _ => {
            let target = rng.gen_range(0..=Step::ALL.len());
            let (status, stage) = match Step::ALL.get(target) {
                Some(step) => (step.status(), step.stage()),
                None => (Status::Resigned, None),
            };
            CaseCommand::Transition(TransitionCommand {
                status,
                stage,
                follow_up_at: status
                    .requires_follow_up()
                    .then(|| at + Duration::hours(rng.gen_range(-300..300))),
                resignation_reason: (status == Status::Resigned).then(|| {
                    ["Za drogo", "Brak kontaktu", "Wybrał konkurencję"][rng.gen_range(0..3)].to_owned()
                }),
            })
        }
    }
}

/// Creates a case at a random time and plays random moves on it, each
/// decided by the rules and written with its history, never later than
/// `latest`.
async fn play_case(
    store: &Store,
    world: &World,
    rng: &mut StdRng,
    index: usize,
    latest: DateTime<Utc>,
) -> (CaseId, CaseHistory) {
    let created_at =
        latest - Duration::days(110) + Duration::minutes(rng.gen_range(0..150_000)) + jitter(rng);
    let creator = *world.people.choose(rng).expect("people");
    let owner = match creator.role {
        Role::Agent => Some(creator.user_id),
        _ => world
            .people
            .choose(rng)
            .map(|actor| actor.user_id)
            .filter(|_| rng.gen_bool(0.85)),
    };
    // Now and then the largest amount there is: sums and weighted values
    // must not overflow.
    let value = rng.gen_bool(0.8).then(|| match rng.gen_bool(0.1) {
        true => Amount::MAX_DECIMAL - f64::from(rng.gen_range(0..100)),
        false => f64::from(rng.gen_range(1..5_000_000)) / 100.0,
    });
    let command = NewCaseCommand {
        subject: Some(format!("{} {index}", ["Magazyn", "Biuro", "Hala"][index % 3])),
        source: Some(Source::ALL[rng.gen_range(0..Source::ALL.len())]),
        expected_close_date: Some((created_at + Duration::days(rng.gen_range(-20..200))).date_naive()),
        contact_id: None,
        contact: Some(ContactInput {
            name: Some(format!("Klient {index}")),
            company: None,
            email: None,
            phone: None,
        }),
        qualifier_id: world
            .qualifiers
            .choose(rng)
            .copied()
            .filter(|_| rng.gen_bool(0.6)),
        value,
        currency: Some(["PLN", "PLN", "EUR"][rng.gen_range(0..3)].to_owned()),
        owner_id: owner,
        external_id: None,
    };
    let new = decide_new_case(&creator, command, world.funnel).expect("a valid new case");
    let card = store
        .create_case(&new, creator.user_id, created_at)
        .await
        .expect("create");
    let id = card.row.id;
    let mut events: Vec<HistoryEvent> = new
        .changes
        .iter()
        .map(|change| HistoryEvent {
            at: created_at,
            actor: Some(creator.user_id),
            change: change.clone(),
        })
        .collect();
    let mut at = created_at;
    for _ in 0..rng.gen_range(0..9) {
        at += Duration::seconds(rng.gen_range(1..20 * 86_400)) + jitter(rng);
        if at > latest {
            break;
        }
        let snapshot = store.case_snapshots(&[id]).await.expect("snapshot").remove(0);
        let actor = *world.people.choose(rng).expect("people");
        let Ok(decision) = decide(&actor, &snapshot.state, any_command(rng, world, at), at) else {
            continue;
        };
        store
            .write_case(
                CaseWrite {
                    id,
                    expected_version: snapshot.version,
                    previous: &snapshot.state,
                    state: &decision.state,
                    details: &CaseDetailsPatch::default(),
                    changes: &decision.changes,
                },
                actor.user_id,
                at,
            )
            .await
            .expect("write");
        events.extend(decision.changes.iter().map(|change| HistoryEvent {
            at,
            actor: Some(actor.user_id),
            change: change.clone(),
        }));
    }
    let state = store
        .case_snapshots(&[id])
        .await
        .expect("snapshot")
        .remove(0)
        .state;
    let history = CaseHistory {
        created_at,
        status: state.funnel.status(),
        stage: state.funnel.stage(),
        owner: state.owner,
        source: new.source,
        qualifier: new.qualifier_id,
        closed_at: state.funnel.closed_at(),
        expected_close_date: new.expected_close_date,
        follow_up_at: state.funnel.follow_up_at(),
        value: new.value.map(|amount| (amount, new.currency)),
        events,
    };
    (id, history)
}

fn some_of<T: Copy>(rng: &mut StdRng, all: &[T]) -> Vec<T> {
    if rng.gen_bool(0.7) {
        return Vec::new();
    }
    all.iter().copied().filter(|_| rng.gen_bool(0.5)).collect()
}

fn any_day(rng: &mut StdRng, around: NaiveDate) -> NaiveDate {
    around - chrono::Days::new(rng.gen_range(0..130))
}

/// Random pipeline filters, each set now and then.
fn any_filters(rng: &mut StdRng, world: &World, today: NaiveDate, zone: &str) -> PipelineFilters {
    let mut filters = PipelineFilters {
        status: some_of(rng, Status::ALL),
        source: some_of(rng, Source::ALL),
        stage: some_of(rng, Stage::ALL),
        qualifier: some_of(rng, &world.qualifiers),
        tz: Some(CallerTimeZone::parse(zone).expect("zone")),
        ..PipelineFilters::default()
    };
    if rng.gen_bool(0.2) {
        let from = any_day(rng, today);
        filters.created_from = Some(from);
        filters.created_to = Some(from + chrono::Days::new(rng.gen_range(0..60)));
    }
    if rng.gen_bool(0.15) {
        filters.close_from = Some(any_day(rng, today + chrono::Days::new(100)));
    }
    // Often nothing but the owner: the figures read from the stays alone.
    if rng.gen_bool(0.35) {
        filters = PipelineFilters {
            tz: filters.tz,
            ..PipelineFilters::default()
        };
    }
    if rng.gen_bool(0.2) {
        filters.owner = Some(match rng.gen_range(0..3) {
            0 => OwnerFilter::Me,
            1 => OwnerFilter::Unassigned,
            _ => OwnerFilter::User(world.people.choose(rng).expect("people").user_id),
        });
    }
    if rng.gen_bool(0.15) {
        filters.subject = TextFilter::parse(["magazyn", "BIURO", "1"][rng.gen_range(0..3)]).expect("text");
    }
    filters
}

/// The ids of the cases `filter` covers, as the pipeline lists them.
async fn listed(store: &Store, filter: &CaseFilter<'_>) -> Vec<CaseId> {
    let mut ids = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .list_cases(filter, &[], 200, after.as_deref())
            .await
            .expect("list");
        ids.extend(page.rows.iter().map(|row| row.id));
        match page.next_after {
            Some(next) => after = Some(next),
            None => return ids,
        }
    }
}

async fn every_figure_equals_the_reference_over_random_histories(app: &TestApp) {
    let seed = seed();
    let mut rng = StdRng::seed_from_u64(seed);
    let store = &app.store;
    let now = Utc::now().duration_trunc(Duration::microseconds(1)).expect("now");
    let mut qualifiers = Vec::new();
    for name in ["Gorący", "Zimny"] {
        let name = DictionaryName::parse(name).expect("name");
        let entry = store
            .add_dictionary_entry(Dictionary::Qualifiers, &name, now)
            .await
            .expect("qualifier");
        qualifiers.push(QualifierId(entry.id));
    }
    let mut world = World::of(app, qualifiers);
    for index in 0..CASES {
        let case = play_case(store, &world, &mut rng, index, now - Duration::hours(1)).await;
        world.histories.push(case);
    }
    let members: Vec<TeamMember> = [&app.agent, &app.other_agent, &app.manager]
        .into_iter()
        .map(|user| TeamMember {
            id: UserId(user.id),
            name: user.name.clone(),
        })
        .collect();
    let chances = StepProbabilities(
        [1_000, 2_500, 3_333, 4_000, 6_000, 8_750]
            .map(|value| Probability::from_ten_thousandths(value).expect("chance")),
    );

    for round in 0..ROUNDS {
        let context = format!("seed {seed}, round {round}");
        let zone_name = ZONES[rng.gen_range(0..ZONES.len())];
        let zone = CallerTimeZone::parse(zone_name).expect("zone");
        let today = zone.local_date(now);
        let filters = any_filters(&mut rng, &world, today, zone_name);
        let (scope, caller) = match rng.gen_bool(0.3) {
            true => (ListScope::OwnedBy(UserId(app.agent.id)), UserId(app.agent.id)),
            false => (ListScope::Everything, UserId(app.manager.id)),
        };
        let filter = CaseFilter {
            scope,
            caller,
            campaign: CampaignScope::One(world.funnel.id),
            statuses: (!filters.status.is_empty()).then_some(filters.status.as_slice()),
            filters: &filters,
            text: None,
            contact: None,
        };
        let ids = listed(store, &filter).await;
        let cases: Vec<CaseHistory> = world
            .histories
            .iter()
            .filter(|(id, _)| ids.contains(id))
            .map(|(_, history)| history.clone())
            .collect();
        let from = any_day(&mut rng, today);
        let to = (from + chrono::Days::new(rng.gen_range(0..120))).min(today);
        let period = Period::of_days(from.min(to), to, &zone);

        assert_eq!(
            store.funnel_figures(&filter, &period).await.expect("funnel"),
            funnel(&cases, &period),
            "funnel, {context}"
        );
        for group_by in [GroupBy::None, GroupBy::Source, GroupBy::Owner, GroupBy::Qualifier] {
            assert_eq!(
                store
                    .outcome_figures(&filter, &period, group_by)
                    .await
                    .expect("outcomes"),
                outcomes(&cases, &period, group_by).groups,
                "outcomes by {group_by:?}, {context}"
            );
        }
        assert_eq!(
            store
                .resignation_figures(&filter, &period)
                .await
                .expect("resignations"),
            resignations(&cases, &period),
            "resignations, {context}"
        );
        assert_eq!(
            store
                .duration_figures(&filter, &period, now)
                .await
                .expect("durations"),
            durations(&cases, &period, now),
            "durations, {context}"
        );
        let months = rng.gen_range(1..=24);
        let frame = ForecastFrame::new(today, months);
        let month_starts: Vec<DateTime<Utc>> = frame
            .behind_bounds
            .iter()
            .map(|day| zone.start_of_day(*day))
            .collect();
        assert_eq!(
            store
                .forecast_figures(&filter, &frame, chances, &month_starts)
                .await
                .expect("forecast"),
            forecast(&cases, today, months, chances, |at| zone.local_date(at)),
            "forecast over {months} months, {context}"
        );
        let rows = team_rows(
            &members,
            &store.work_figures(&filter, now).await.expect("work"),
            &store
                .outcome_figures(&filter, &period, GroupBy::Owner)
                .await
                .expect("outcomes"),
            &store.move_figures(&filter, &period).await.expect("moves"),
        );
        assert_eq!(rows, team(&cases, &members, &period, now), "team, {context}");
    }
}

both!(the_analytics_kept_by_every_write_equal_those_derived_from_the_history);

/// What the write path keeps (deepest step, latest event, stays) is what
/// the migration and the bulk loader derive from the history.
async fn the_analytics_kept_by_every_write_equal_those_derived_from_the_history(app: &TestApp) {
    let seed = seed();
    let mut rng = StdRng::seed_from_u64(seed);
    let now = Utc::now().duration_trunc(Duration::microseconds(1)).expect("now");
    let world = World::of(app, Vec::new());
    for index in 0..40 {
        play_case(&app.store, &world, &mut rng, index, now).await;
    }
    let kept = app.store.case_analytics_rows().await.expect("rows");
    assert!(kept.len() > 40, "stays were kept");
    app.store.rebuild_case_analytics().await.expect("rebuild");
    let derived = app.store.case_analytics_rows().await.expect("rows");
    assert_eq!(kept, derived, "seed {seed}");
}
