//! Property tests of the reference figures: over histories made by the
//! funnel's own rules (random transitions decided by `decide`), the figures
//! agree with each other the way their definitions say they must.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use lejek_domain::analytics::{
    CaseHistory, GroupBy, HistoryEvent, Period, Step, StepProbabilities, durations, forecast, funnel,
    outcomes, resignations,
};
use lejek_domain::*;
use proptest::prelude::*;

const FUNNEL: CampaignRef = CampaignRef {
    id: CampaignId(1),
    kind: CampaignKind::Funnel,
};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap()
}

/// A move to one of the steps, or to `resigned` (index 7), with the days
/// to its follow-up and the reason it would need.
fn any_move() -> impl Strategy<Value = (usize, i64)> {
    (0..=Step::ALL.len(), 1..60i64)
}

/// The transition command for a move made at `now`: a follow-up only where
/// the status wants one, a reason only for `resigned`.
fn transition((target, days): (usize, i64), now: DateTime<Utc>) -> TransitionCommand {
    let (status, stage) = match Step::ALL.get(target) {
        Some(step) => (step.status(), step.stage()),
        None => (Status::Resigned, None),
    };
    TransitionCommand {
        status,
        stage,
        follow_up_at: status.requires_follow_up().then(|| now + Duration::days(days)),
        resignation_reason: (status == Status::Resigned)
            .then(|| ["Za drogo", "Brak kontaktu"][days as usize % 2].to_owned()),
    }
}

/// A case's plan: when it is created (hours from the start), its source,
/// value, and the moves tried on it, hours apart.
fn any_case() -> impl Strategy<Value = Plan> {
    (
        0..6_000i64,
        0..Source::ALL.len(),
        prop::option::of(0..10_000_000i64),
        prop::collection::vec((1..500i64, any_move()), 0..12),
    )
}

type Plan = (i64, usize, Option<i64>, Vec<(i64, (usize, i64))>);

/// The case the funnel's rules make of a plan, with its history.
fn play(plan: Plan) -> CaseHistory {
    let (created_hours, source, value, moves) = plan;
    let manager = Actor::new(UserId(3), Role::Manager);
    let created_at = start() + Duration::hours(created_hours);
    let mut state = CaseState {
        owner: Some(UserId(1)),
        campaign: FUNNEL,
        funnel: FunnelState::initial(),
    };
    let mut events = vec![HistoryEvent {
        at: created_at,
        actor: Some(manager.user_id),
        change: Change::Created {
            status: Status::INITIAL,
            owner: state.owner,
            campaign: FUNNEL.id,
        },
    }];
    let mut now = created_at;
    for (after_hours, step) in moves {
        now += Duration::hours(after_hours);
        let command = CaseCommand::Transition(transition(step, now));
        if let Ok(decision) = decide(&manager, &state, command, now) {
            events.extend(decision.changes.into_iter().map(|change| HistoryEvent {
                at: now,
                actor: Some(manager.user_id),
                change,
            }));
            state = decision.state;
        }
    }
    CaseHistory {
        created_at,
        status: state.funnel.status(),
        stage: state.funnel.stage(),
        owner: state.owner,
        source: Source::ALL[source],
        qualifier: None,
        closed_at: state.funnel.closed_at(),
        expected_close_date: (created_at + Duration::days(30)).date_naive(),
        follow_up_at: state.funnel.follow_up_at(),
        value: value.map(|minor| (Amount::from_minor_units(minor).unwrap(), Currency::PLN)),
        events,
    }
}

fn any_period() -> impl Strategy<Value = Period> {
    (0..300i64, 1..200i64).prop_map(|(from_days, length_days)| {
        let start = start() + Duration::days(from_days);
        Period {
            start,
            end: start + Duration::days(length_days),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_figures_agree_with_each_other(
        plans in prop::collection::vec(any_case(), 0..25),
        period in any_period(),
    ) {
        let cases: Vec<CaseHistory> = plans.into_iter().map(play).collect();
        let now = start() + Duration::days(400);

        for case in &cases {
            if let Some(step) = case.step() {
                prop_assert!(case.deepest_step() >= step, "the deepest step is below the current one");
            }
        }

        let report = funnel(&cases, &period);
        let reached: Vec<u64> = report.steps.iter().map(|step| step.reached).collect();
        prop_assert!(reached.windows(2).all(|pair| pair[0] >= pair[1]), "reached grew: {:?}", reached);
        prop_assert_eq!(reached[0], report.cohort);
        prop_assert_eq!(report.now.open + report.now.resigned + report.now.acquired, report.cohort);
        prop_assert!(reached[Step::ALL.len() - 1] >= report.now.acquired);
        prop_assert!(report.resigned_at.iter().map(|row| row.count).sum::<u64>() <= report.now.resigned);

        let closed = cases
            .iter()
            .filter(|case| case.status.is_closed() && case.closed_at.is_some_and(|at| period.contains(at)))
            .count() as u64;
        let all = outcomes(&cases, &period, GroupBy::None);
        let totals = |groups: &[(lejek_domain::analytics::OutcomeKey, lejek_domain::analytics::OutcomeGroup)]| {
            groups.iter().fold((0, 0), |(won, lost), (_, group)| (won + group.acquired, lost + group.resigned))
        };
        let (won, lost) = totals(&all.groups);
        prop_assert_eq!(won + lost, closed);
        prop_assert_eq!(totals(&outcomes(&cases, &period, GroupBy::Source).groups), (won, lost));
        prop_assert_eq!(resignations(&cases, &period).total, lost);

        let stays = durations(&cases, &period, now);
        let open = cases.iter().filter(|case| case.status.is_open()).count() as u64;
        let staged = cases.iter().filter(|case| case.stage.is_some()).count() as u64;
        prop_assert_eq!(stays.statuses.iter().map(|row| row.current.count).sum::<u64>(), open);
        prop_assert_eq!(stays.stages.iter().map(|row| row.current.count).sum::<u64>(), staged);

        let today = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
        let ahead = forecast(&cases, today, 24, StepProbabilities::default(), |at| at.date_naive());
        let forecast_count: u64 = ahead.months.iter().map(|month| month.count).sum();
        prop_assert!(forecast_count <= open);
    }
}
