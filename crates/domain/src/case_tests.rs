//! The state machine of spec section 3, rule by rule, through `decide`.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::*;

const ANNA: UserId = UserId(1);
const BARTEK: UserId = UserId(2);
const FUNNEL: CampaignRef = CampaignRef {
    id: CampaignId(1),
    kind: CampaignKind::Funnel,
};
const SPAM: CampaignRef = CampaignRef {
    id: CampaignId(2),
    kind: CampaignKind::Spam,
};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap()
}
fn tomorrow() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 28, 10, 0, 0).unwrap()
}
fn anna() -> Actor {
    Actor::new(ANNA, Role::Agent)
}
fn manager() -> Actor {
    Actor::new(UserId(10), Role::Manager)
}
fn admin() -> Actor {
    Actor::new(UserId(20), Role::Admin)
}

fn case_of(owner: Option<UserId>) -> CaseState {
    CaseState {
        owner,
        campaign: FUNNEL,
        funnel: FunnelState::initial(),
    }
}

/// Anna's case moved by a manager along `commands`, each of which must pass.
fn annas_case_after(commands: &[TransitionCommand]) -> CaseState {
    commands.iter().fold(case_of(Some(ANNA)), |case, command| {
        decide(&manager(), &case, CaseCommand::Transition(command.clone()), now())
            .unwrap()
            .state
    })
}

fn offered() -> TransitionCommand {
    TransitionCommand::to(Status::Offered)
        .with_stage(Stage::InNegotiation)
        .with_follow_up(tomorrow())
}
fn resigned() -> TransitionCommand {
    TransitionCommand::to(Status::Resigned).with_reason("Za drogo")
}
fn acquired() -> TransitionCommand {
    TransitionCommand::to(Status::Acquired)
}

fn move_by(actor: &Actor, case: &CaseState, command: TransitionCommand) -> Result<Decision, CommandError> {
    decide(actor, case, CaseCommand::Transition(command), now())
}

fn violations_of(result: Result<Decision, CommandError>) -> Violations {
    match result {
        Err(CommandError::Invalid(violations)) => violations,
        other => panic!("expected field violations, got {other:?}"),
    }
}

#[test]
fn an_open_case_may_move_to_any_other_status() {
    let targets = [
        TransitionCommand::to(Status::AwaitingPickup),
        TransitionCommand::to(Status::InAcquisition).with_stage(Stage::CallScheduled),
        offered(),
        resigned(),
        acquired(),
    ];
    let opens = [
        vec![],
        vec![TransitionCommand::to(Status::InAcquisition).with_stage(Stage::ToOffer)],
        vec![offered()],
    ];
    for path in &opens {
        let case = annas_case_after(path);
        for target in &targets {
            let decision = move_by(&anna(), &case, target.clone());
            assert!(
                decision.is_ok(),
                "{:?} -> {:?}: {decision:?}",
                case.funnel.status(),
                target.status
            );
        }
    }
}

#[test]
fn the_stage_may_change_freely_within_an_open_status() {
    let case =
        annas_case_after(&[TransitionCommand::to(Status::InAcquisition).with_stage(Stage::CallScheduled)]);
    let decision = move_by(
        &anna(),
        &case,
        TransitionCommand::to(Status::InAcquisition).with_stage(Stage::ToOffer),
    )
    .unwrap();
    assert_eq!(decision.state.funnel.stage(), Some(Stage::ToOffer));
    assert_eq!(
        decision.changes,
        [Change::Stage {
            from: Some(Stage::CallScheduled),
            to: Some(Stage::ToOffer)
        }]
    );
}

#[test]
fn in_acquisition_without_a_stage_is_refused_naming_the_stage() {
    let violations = violations_of(move_by(
        &anna(),
        &case_of(Some(ANNA)),
        TransitionCommand::to(Status::InAcquisition),
    ));
    assert!(violations.has("stage", ViolationCode::StageRequired));
}

#[test]
fn offered_without_a_stage_is_refused_naming_the_stage() {
    let command = TransitionCommand::to(Status::Offered).with_follow_up(tomorrow());
    let violations = violations_of(move_by(&anna(), &case_of(Some(ANNA)), command));
    assert_eq!(
        violations,
        Violations::single("stage", ViolationCode::StageRequired)
    );
}

#[test]
fn a_stage_of_another_status_is_rejected() {
    let command = TransitionCommand::to(Status::InAcquisition).with_stage(Stage::ContractSent);
    let violations = violations_of(move_by(&anna(), &case_of(Some(ANNA)), command));
    assert_eq!(
        violations,
        Violations::single("stage", ViolationCode::StageNotInStatus)
    );
}

#[test]
fn a_status_without_stages_takes_no_stage() {
    for status in [Status::AwaitingPickup, Status::Acquired] {
        let command = TransitionCommand::to(status).with_stage(Stage::CallScheduled);
        let violations = violations_of(move_by(&anna(), &case_of(Some(ANNA)), command));
        assert_eq!(
            violations,
            Violations::single("stage", ViolationCode::StageNotAllowed),
            "{status}"
        );
    }
}

#[test]
fn leaving_a_status_with_stages_clears_the_stage() {
    let case = annas_case_after(&[offered()]);
    let decision = move_by(&anna(), &case, acquired()).unwrap();
    assert_eq!(decision.state.funnel.stage(), None);
}

#[test]
fn offered_requires_a_follow_up_date() {
    let command = TransitionCommand::to(Status::Offered).with_stage(Stage::ContractSent);
    let violations = violations_of(move_by(&anna(), &case_of(Some(ANNA)), command));
    assert_eq!(
        violations,
        Violations::single("follow_up_at", ViolationCode::FollowUpRequired)
    );
}

#[test]
fn a_follow_up_date_set_earlier_satisfies_offered() {
    let in_acquisition = TransitionCommand::to(Status::InAcquisition)
        .with_stage(Stage::ToOffer)
        .with_follow_up(tomorrow());
    let case = annas_case_after(&[in_acquisition]);
    let command = TransitionCommand::to(Status::Offered).with_stage(Stage::ContractSent);
    let decision = move_by(&anna(), &case, command).unwrap();
    assert_eq!(decision.state.funnel.follow_up_at(), Some(tomorrow()));
}

#[test]
fn all_missing_fields_are_named_at_once() {
    let violations = violations_of(move_by(
        &anna(),
        &case_of(Some(ANNA)),
        TransitionCommand::to(Status::Offered),
    ));
    assert!(violations.has("stage", ViolationCode::StageRequired));
    assert!(violations.has("follow_up_at", ViolationCode::FollowUpRequired));
}

#[test]
fn resigned_requires_a_resignation_reason() {
    let violations = violations_of(move_by(
        &anna(),
        &case_of(Some(ANNA)),
        TransitionCommand::to(Status::Resigned),
    ));
    assert_eq!(
        violations,
        Violations::single("resignation_reason", ViolationCode::ResignationReasonRequired)
    );
}

#[test]
fn a_blank_resignation_reason_counts_as_missing() {
    let command = TransitionCommand::to(Status::Resigned).with_reason("   ");
    let violations = violations_of(move_by(&anna(), &case_of(Some(ANNA)), command));
    assert!(violations.has("resignation_reason", ViolationCode::ResignationReasonRequired));
}

#[test]
fn a_resignation_reason_is_refused_on_any_other_status() {
    let command = acquired().with_reason("Za drogo");
    let violations = violations_of(move_by(&anna(), &case_of(Some(ANNA)), command));
    assert!(violations.has("resignation_reason", ViolationCode::ResignationReasonNotAllowed));
}

#[test]
fn a_follow_up_date_is_refused_when_closing() {
    let command = acquired().with_follow_up(tomorrow());
    let violations = violations_of(move_by(&anna(), &case_of(Some(ANNA)), command));
    assert!(violations.has("follow_up_at", ViolationCode::FollowUpNotAllowed));
}

#[test]
fn closing_a_case_sets_closed_at_and_clears_the_follow_up() {
    let case = annas_case_after(&[offered()]);
    for command in [resigned(), acquired()] {
        let closed = move_by(&anna(), &case, command).unwrap().state.funnel;
        assert_eq!(closed.closed_at(), Some(now()));
        assert_eq!(closed.follow_up_at(), None);
    }
}

#[test]
fn a_resigned_case_keeps_its_reason() {
    let closed = annas_case_after(&[resigned()]);
    assert_eq!(closed.funnel.resignation_reason().unwrap().as_str(), "Za drogo");
}

#[test]
fn a_closed_case_cannot_be_reopened_by_an_agent() {
    for closing in [resigned(), acquired()] {
        let case = annas_case_after(&[closing]);
        let result = move_by(&anna(), &case, TransitionCommand::to(Status::AwaitingPickup));
        assert_eq!(result, Err(CommandError::Refused(Refusal::ReopenRequiresManager)));
    }
}

#[test]
fn a_closed_case_is_reopened_by_a_manager_or_admin_to_an_open_status() {
    for actor in [manager(), admin()] {
        let case = annas_case_after(&[resigned()]);
        let reopened = move_by(
            &actor,
            &case,
            TransitionCommand::to(Status::InAcquisition).with_stage(Stage::CallScheduled),
        )
        .unwrap();
        assert_eq!(reopened.state.funnel.status(), Status::InAcquisition);
        assert_eq!(reopened.state.funnel.closed_at(), None);
        assert_eq!(reopened.state.funnel.resignation_reason(), None);
    }
}

#[test]
fn reopening_still_requires_the_target_status_fields() {
    let case = annas_case_after(&[acquired()]);
    let violations = violations_of(move_by(&manager(), &case, TransitionCommand::to(Status::Offered)));
    assert!(violations.has("stage", ViolationCode::StageRequired));
    assert!(violations.has("follow_up_at", ViolationCode::FollowUpRequired));
}

#[test]
fn a_closed_case_never_moves_to_a_closed_status_even_for_a_manager() {
    for (closing, target) in [
        (resigned(), acquired()),
        (acquired(), resigned()),
        (acquired(), acquired()),
        (resigned(), resigned()),
    ] {
        let case = annas_case_after(&[closing]);
        assert_eq!(
            move_by(&admin(), &case, target),
            Err(CommandError::Refused(Refusal::ClosedCaseIsFinal))
        );
    }
}

#[test]
fn an_agent_cannot_move_another_agents_case_it_does_not_exist_for_them() {
    let bartek_case = case_of(Some(BARTEK));
    assert_eq!(
        move_by(&anna(), &bartek_case, acquired()),
        Err(CommandError::NotFound)
    );
    assert_eq!(
        move_by(&anna(), &case_of(None), acquired()),
        Err(CommandError::NotFound)
    );
}

#[test]
fn a_manager_moves_any_case_including_unassigned_ones() {
    assert!(move_by(&manager(), &case_of(None), acquired()).is_ok());
    assert!(move_by(&manager(), &case_of(Some(BARTEK)), acquired()).is_ok());
}

#[test]
fn a_status_change_records_from_to_and_the_reason() {
    let case = annas_case_after(&[offered()]);
    let decision = move_by(&anna(), &case, resigned()).unwrap();
    assert_eq!(
        decision.changes,
        [
            Change::Status {
                from: Status::Offered,
                to: Status::Resigned,
                reason: Some(ResignationReason::parse("Za drogo").unwrap())
            },
            Change::Stage {
                from: Some(Stage::InNegotiation),
                to: None
            },
        ]
    );
}

#[test]
fn a_move_that_changes_nothing_records_nothing() {
    let case = annas_case_after(&[offered()]);
    let decision = move_by(&anna(), &case, offered()).unwrap();
    assert!(decision.changes.is_empty());
    assert_eq!(decision.state, case);
}

#[test]
fn a_manager_assigns_reassigns_and_unassigns_recording_each_change() {
    let case = case_of(None);
    let assigned = decide(
        &manager(),
        &case,
        CaseCommand::Assign { owner: Some(ANNA) },
        now(),
    )
    .unwrap();
    assert_eq!(assigned.state.owner, Some(ANNA));
    assert_eq!(
        assigned.changes,
        [Change::Owner {
            from: None,
            to: Some(ANNA)
        }]
    );
    let unassigned = decide(
        &admin(),
        &assigned.state,
        CaseCommand::Assign { owner: None },
        now(),
    )
    .unwrap();
    assert_eq!(
        unassigned.changes,
        [Change::Owner {
            from: Some(ANNA),
            to: None
        }]
    );
}

#[test]
fn an_agent_cannot_assign_their_own_case() {
    let result = decide(
        &anna(),
        &case_of(Some(ANNA)),
        CaseCommand::Assign { owner: Some(BARTEK) },
        now(),
    );
    assert_eq!(result, Err(CommandError::Refused(Refusal::AssignRequiresManager)));
}

#[test]
fn an_agent_marks_their_own_case_as_spam_and_back_recording_both() {
    let case = case_of(Some(ANNA));
    let spam = decide(&anna(), &case, CaseCommand::ChangeCampaign { to: SPAM }, now()).unwrap();
    assert_eq!(spam.state.campaign, SPAM);
    assert_eq!(
        spam.changes,
        [Change::Campaign {
            from: FUNNEL.id,
            to: SPAM.id
        }]
    );
    let back = decide(
        &anna(),
        &spam.state,
        CaseCommand::ChangeCampaign { to: FUNNEL },
        now(),
    )
    .unwrap();
    assert_eq!(back.state.campaign, FUNNEL);
    assert_eq!(back.state.funnel, case.funnel);
}

#[test]
fn an_agent_cannot_mark_another_agents_case_as_spam() {
    let result = decide(
        &anna(),
        &case_of(Some(BARTEK)),
        CaseCommand::ChangeCampaign { to: SPAM },
        now(),
    );
    assert_eq!(result, Err(CommandError::NotFound));
}

#[test]
fn a_closed_case_is_read_only_for_an_agent_but_not_for_a_manager() {
    let case = annas_case_after(&[acquired()]);
    let edit = CaseCommand::Edit {
        follow_up_at: Patch::Keep,
    };
    assert_eq!(
        decide(&anna(), &case, edit.clone(), now()),
        Err(CommandError::Refused(Refusal::ClosedCaseIsReadOnly))
    );
    assert!(decide(&manager(), &case, edit, now()).is_ok());
}

#[test]
fn editing_cannot_clear_the_follow_up_of_an_offered_case() {
    let case = annas_case_after(&[offered()]);
    let result = decide(
        &anna(),
        &case,
        CaseCommand::Edit {
            follow_up_at: Patch::Clear,
        },
        now(),
    );
    assert!(violations_of(result).has("follow_up_at", ViolationCode::FollowUpRequired));
}

fn new_case_command() -> NewCaseCommand {
    NewCaseCommand {
        subject: Some("Wdrożenie CRM dla 40 stanowisk".to_owned()),
        source: Some(Source::ContactForm),
        expected_close_date: NaiveDate::from_ymd_opt(2027, 1, 31),
        contact: Some(ContactInput {
            name: Some("Jan Kowalski".to_owned()),
            company: Some("Kowalski sp. z o.o.".to_owned()),
            email: Some("jan@kowalski.pl".to_owned()),
            phone: Some("+48 601 234 567".to_owned()),
        }),
        ..NewCaseCommand::default()
    }
}

#[test]
fn a_new_case_starts_awaiting_pickup_and_records_its_creation() {
    let case = decide_new_case(&manager(), new_case_command(), FUNNEL).unwrap();
    assert_eq!(case.state.funnel, FunnelState::initial());
    assert_eq!(case.currency, Currency::PLN);
    assert_eq!(
        case.changes,
        [Change::Created {
            status: Status::AwaitingPickup,
            owner: None,
            campaign: FUNNEL.id
        }]
    );
}

#[test]
fn a_new_case_requires_subject_source_expected_close_date_and_contact() {
    let Err(CommandError::Invalid(violations)) = decide_new_case(&anna(), NewCaseCommand::default(), FUNNEL)
    else {
        panic!("an empty case must be refused");
    };
    for field in ["subject", "source", "expected_close_date", "contact"] {
        assert!(violations.has(field, ViolationCode::Required), "{field}");
    }
}

#[test]
fn a_new_case_with_both_an_existing_and_a_new_contact_is_refused() {
    let command = NewCaseCommand {
        contact_id: Some(ContactId(5)),
        ..new_case_command()
    };
    let Err(CommandError::Invalid(violations)) = decide_new_case(&anna(), command, FUNNEL) else {
        panic!("ambiguous contact must be refused");
    };
    assert!(violations.has("contact", ViolationCode::ContactAmbiguous));
}

#[test]
fn a_new_contacts_bad_fields_are_named_inside_the_contact() {
    let command = NewCaseCommand {
        contact: Some(ContactInput {
            name: Some(" ".to_owned()),
            email: Some("jan@".to_owned()),
            phone: Some("12".to_owned()),
            company: Some(String::new()),
        }),
        ..new_case_command()
    };
    let Err(CommandError::Invalid(violations)) = decide_new_case(&anna(), command, FUNNEL) else {
        panic!("bad contact must be refused");
    };
    assert!(violations.has("contact.name", ViolationCode::Blank));
    assert!(violations.has("contact.email", ViolationCode::InvalidEmail));
    assert!(violations.has("contact.phone", ViolationCode::InvalidPhone));
    assert!(!violations.has("contact.company", ViolationCode::Blank));
}

#[test]
fn an_agents_new_case_is_their_own() {
    let case = decide_new_case(&anna(), new_case_command(), FUNNEL).unwrap();
    assert_eq!(case.state.owner, Some(ANNA));
}

#[test]
fn an_agent_cannot_create_a_case_for_someone_else() {
    let command = NewCaseCommand {
        owner_id: Some(BARTEK),
        ..new_case_command()
    };
    let Err(CommandError::Invalid(violations)) = decide_new_case(&anna(), command, FUNNEL) else {
        panic!("agent creating for another must be refused");
    };
    assert!(violations.has("owner_id", ViolationCode::OwnerMustBeSelf));
}

#[test]
fn a_manager_creates_a_case_for_any_owner_or_none() {
    let command = NewCaseCommand {
        owner_id: Some(BARTEK),
        ..new_case_command()
    };
    assert_eq!(
        decide_new_case(&manager(), command, FUNNEL).unwrap().state.owner,
        Some(BARTEK)
    );
    assert_eq!(
        decide_new_case(&manager(), new_case_command(), FUNNEL)
            .unwrap()
            .state
            .owner,
        None
    );
}

#[test]
fn a_new_cases_value_and_currency_are_checked() {
    let command = NewCaseCommand {
        value: Some(-5.0),
        currency: Some("zł".to_owned()),
        ..new_case_command()
    };
    let Err(CommandError::Invalid(violations)) = decide_new_case(&manager(), command, FUNNEL) else {
        panic!("bad money must be refused");
    };
    assert!(violations.has("value", ViolationCode::InvalidAmount));
    assert!(violations.has("currency", ViolationCode::InvalidCurrency));
}

#[test]
fn editing_details_cannot_clear_a_required_field() {
    let input = CaseDetailsInput {
        subject: Patch::Clear,
        source: Patch::Clear,
        expected_close_date: Patch::Clear,
        contact_id: Patch::Clear,
        ..CaseDetailsInput::default()
    };
    let violations = CaseDetailsPatch::parse(input).unwrap_err();
    for field in ["subject", "source", "expected_close_date", "contact_id"] {
        assert!(violations.has(field, ViolationCode::Required), "{field}");
    }
}

#[test]
fn editing_details_validates_and_keeps_what_is_not_given() {
    let input = CaseDetailsInput {
        subject: Patch::Set(" Nowy temat ".to_owned()),
        value: Patch::Clear,
        ..CaseDetailsInput::default()
    };
    let patch = CaseDetailsPatch::parse(input).unwrap();
    assert_eq!(patch.subject.unwrap().as_str(), "Nowy temat");
    assert_eq!(patch.value, Patch::Clear);
    assert_eq!(patch.source, None);
}
