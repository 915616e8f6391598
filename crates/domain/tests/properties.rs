//! Property tests: random sequences of commands by random actors never break
//! an invariant of the funnel, and the query model round-trips.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use lejek_domain::*;
use proptest::prelude::*;

const FUNNEL: CampaignRef = CampaignRef {
    id: CampaignId(1),
    kind: CampaignKind::Funnel,
};
const SPAM: CampaignRef = CampaignRef {
    id: CampaignId(2),
    kind: CampaignKind::Spam,
};

/// Two agents, a manager and an admin.
fn actors() -> [Actor; 4] {
    [
        Actor::new(UserId(1), Role::Agent),
        Actor::new(UserId(2), Role::Agent),
        Actor::new(UserId(3), Role::Manager),
        Actor::new(UserId(4), Role::Admin),
    ]
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap()
}

fn any_actor() -> impl Strategy<Value = Actor> {
    (0..4usize).prop_map(|i| actors()[i])
}

fn any_owner() -> impl Strategy<Value = Option<UserId>> {
    prop_oneof![Just(None), (1..=4i64).prop_map(|id| Some(UserId(id)))]
}

fn any_transition() -> impl Strategy<Value = TransitionCommand> {
    (
        prop::sample::select(Status::ALL),
        prop::option::of(prop::sample::select(Stage::ALL)),
        prop::option::of(0..100i64),
        prop::option::of(prop_oneof![Just("Za drogo".to_owned()), Just("  ".to_owned())]),
    )
        .prop_map(|(status, stage, follow_up_days, reason)| TransitionCommand {
            status,
            stage,
            follow_up_at: follow_up_days.map(|days| start() + Duration::days(days)),
            resignation_reason: reason,
        })
}

fn any_command() -> impl Strategy<Value = CaseCommand> {
    prop_oneof![
        4 => any_transition().prop_map(CaseCommand::Transition),
        1 => any_owner().prop_map(|owner| CaseCommand::Assign { owner }),
        1 => prop::bool::ANY.prop_map(|spam| CaseCommand::ChangeCampaign { to: if spam { SPAM } else { FUNNEL } }),
        1 => prop_oneof![
            Just(Patch::Keep),
            Just(Patch::Clear),
            (0..100i64).prop_map(|days| Patch::Set(start() + Duration::days(days))),
        ]
        .prop_map(|follow_up_at| CaseCommand::Edit { follow_up_at }),
    ]
}

/// The history a move from `before` to `after` must have written, derived
/// independently of the state machine.
fn expected_changes(before: &CaseState, after: &CaseState) -> Vec<Change> {
    let mut changes = Vec::new();
    if before.funnel.status() != after.funnel.status() {
        changes.push(Change::Status {
            from: before.funnel.status(),
            to: after.funnel.status(),
            reason: after.funnel.resignation_reason().cloned(),
        });
    }
    if before.funnel.stage() != after.funnel.stage() {
        changes.push(Change::Stage {
            from: before.funnel.stage(),
            to: after.funnel.stage(),
        });
    }
    if before.owner != after.owner {
        changes.push(Change::Owner {
            from: before.owner,
            to: after.owner,
        });
    }
    if before.campaign != after.campaign {
        changes.push(Change::Campaign {
            from: before.campaign.id,
            to: after.campaign.id,
        });
    }
    changes
}

fn assert_invariants(case: &CaseState) {
    let funnel = &case.funnel;
    let status = funnel.status();
    match funnel.stage() {
        Some(stage) => assert!(stage.belongs_to(status), "{stage} outside {status}"),
        None => assert!(!status.requires_stage(), "{status} without stage"),
    }
    assert!(
        funnel.follow_up_at().is_some() || !status.requires_follow_up(),
        "{status} without follow-up"
    );
    assert!(
        funnel.follow_up_at().is_none() || status.is_open(),
        "closed case with a follow-up"
    );
    assert_eq!(funnel.resignation_reason().is_some(), status == Status::Resigned);
    assert_eq!(funnel.closed_at().is_some(), status.is_closed());
    assert!(funnel.invariant_violations().is_empty());
    assert!(
        FunnelState::restore(
            status,
            funnel.stage(),
            funnel.follow_up_at(),
            funnel.resignation_reason().cloned(),
            funnel.closed_at()
        )
        .is_ok()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_commands_by_random_actors_never_break_an_invariant(
        initial_owner in any_owner(),
        steps in prop::collection::vec((any_actor(), any_command()), 1..40),
    ) {
        let mut case = CaseState { owner: initial_owner, campaign: FUNNEL, funnel: FunnelState::initial() };
        for (step, (actor, command)) in steps.into_iter().enumerate() {
            let now = start() + Duration::hours(step as i64);
            let was_closed = case.funnel.is_closed();
            let reopens = matches!(&command, CaseCommand::Transition(t) if was_closed && t.status.is_open());
            let is_assign = matches!(command, CaseCommand::Assign { .. });
            match decide(&actor, &case, command, now) {
                Ok(decision) => {
                    prop_assert!(may_see(&actor, case.owner), "an unseen case was changed");
                    if actor.role == Role::Agent {
                        prop_assert_eq!(case.owner, Some(actor.user_id), "an agent changed a case they do not own");
                        prop_assert!(!reopens, "an agent reopened a closed case");
                        prop_assert!(!is_assign, "an agent assigned an owner");
                    }
                    prop_assert_eq!(&decision.changes, &expected_changes(&case, &decision.state));
                    if decision.state.funnel.is_closed() && !was_closed {
                        prop_assert_eq!(decision.state.funnel.closed_at(), Some(now));
                    }
                    case = decision.state;
                }
                Err(CommandError::NotFound) => prop_assert!(!may_see(&actor, case.owner)),
                Err(_) => {}
            }
            assert_invariants(&case);
        }
    }

    #[test]
    fn a_new_case_always_starts_awaiting_pickup_owned_as_the_rules_say(
        actor in any_actor(),
        owner_id in any_owner(),
        subject in "[ a-zA-Ząęśćżźółń]{0,30}",
    ) {
        let command = NewCaseCommand {
            subject: Some(subject),
            source: Some(Source::Phone),
            expected_close_date: NaiveDate::from_ymd_opt(2026, 12, 31),
            contact_id: Some(ContactId(1)),
            owner_id,
            ..NewCaseCommand::default()
        };
        if let Ok(case) = decide_new_case(&actor, command, FUNNEL) {
            prop_assert_eq!(case.state.funnel.status(), Status::AwaitingPickup);
            prop_assert_eq!(case.changes.len(), 1);
            if actor.role == Role::Agent {
                prop_assert_eq!(case.state.owner, Some(actor.user_id));
            } else {
                prop_assert_eq!(case.state.owner, owner_id);
            }
            assert_invariants(&case.state);
        }
    }
}

fn any_text_filter() -> impl Strategy<Value = Option<TextFilter>> {
    prop::option::of("[a-zA-Z0-9ąęłżŚ@.,&=+%# -]{1,20}")
        .prop_map(|raw| raw.and_then(|text| TextFilter::parse(&text).ok().flatten()))
}

fn any_phone_filter() -> impl Strategy<Value = Option<TextFilter>> {
    prop::option::of("\\+?[0-9 -]{0,6}[0-9]{1,6}")
        .prop_map(|raw| raw.and_then(|text| TextFilter::parse(&text).ok().flatten()))
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0..3650u64).prop_map(|days| NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(days))
}

fn date_range() -> impl Strategy<Value = (Option<NaiveDate>, Option<NaiveDate>)> {
    (prop::option::of(any_date()), prop::option::of(any_date())).prop_map(|(a, b)| match (a, b) {
        (Some(a), Some(b)) if a > b => (Some(b), Some(a)),
        other => other,
    })
}

fn unique<T: Copy + PartialEq + std::fmt::Debug + 'static>(
    all: &'static [T],
) -> impl Strategy<Value = Vec<T>> {
    prop::sample::subsequence(all, 0..=all.len()).prop_shuffle()
}

fn any_sort() -> impl Strategy<Value = Vec<SortKey>> {
    (
        unique(SortField::ALL),
        prop::collection::vec(prop::bool::ANY, SortField::ALL.len()),
    )
        .prop_map(|(fields, desc)| {
            fields
                .into_iter()
                .zip(desc)
                .map(|(field, desc)| {
                    if desc {
                        SortKey::desc(field)
                    } else {
                        SortKey::asc(field)
                    }
                })
                .collect()
        })
}

prop_compose! {
    fn any_filters()(
        status in unique(Status::ALL),
        source in unique(Source::ALL),
        stage in unique(Stage::ALL),
        qualifier in prop::collection::btree_set(1..50i64, 0..4),
        number in prop::option::of(1..1_000_000i64),
        created in date_range(),
        close in date_range(),
        contact in any_text_filter(),
        company in any_text_filter(),
        email in any_text_filter(),
        phone in any_phone_filter(),
        subject in any_text_filter(),
        owner in prop::option::of(prop_oneof![
            Just(OwnerFilter::Me),
            Just(OwnerFilter::Unassigned),
            (1..100i64).prop_map(|id| OwnerFilter::User(UserId(id))),
        ]),
        created_by in prop::option::of(1..100i64),
        campaign_or_spam in prop_oneof![Just((None, false)), Just((None, true)), (1..10i64).prop_map(|id| (Some(CampaignId(id)), false))],
        tz in prop::option::of(prop_oneof![
            (-18 * 60..=18 * 60i32).prop_map(|m| CallerTimeZone::Offset(UtcOffset::from_minutes(m).unwrap())),
            prop::sample::select(&["Europe/Warsaw", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "EST5EDT"][..])
                .prop_map(|name| CallerTimeZone::Named(ZoneName::parse(name).unwrap())),
        ]),
    ) -> PipelineFilters {
        PipelineFilters {
            status, source, stage,
            qualifier: qualifier.into_iter().map(QualifierId).collect(),
            number,
            created_from: created.0, created_to: created.1,
            close_from: close.0, close_to: close.1,
            contact, company, email, phone, subject, owner,
            created_by: created_by.map(UserId),
            campaign: campaign_or_spam.0,
            spam: campaign_or_spam.1,
            tz,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn a_pipeline_query_round_trips_through_its_query_string(
        tab in prop::sample::select(Tab::ALL),
        filters in any_filters(),
        sort in any_sort(),
        limit in prop::option::of(1..=MAX_LIMIT),
        cursor in prop::option::of("[A-Za-z0-9_-]{1,40}"),
    ) {
        let query = PipelineQuery { tab, filters, sort, limit, cursor };
        let rendered = query.to_query_string();
        let parsed = PipelineQuery::from_query_string(&rendered);
        prop_assert_eq!(parsed.as_ref(), Ok(&query), "query string: {}", rendered);
        prop_assert_eq!(parsed.unwrap().to_query_string(), rendered);
    }
}
