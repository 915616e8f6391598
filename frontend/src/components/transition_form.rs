use lejek_domain::dto::{CaseCard, TransitionRequest};
use lejek_domain::{CaseCommand, CommandError, Stage, Status, TransitionCommand, decide, may_reopen};
use leptos::prelude::*;

use crate::api::use_api;
use crate::browser;
use crate::components::field::Field;
use crate::components::toasts::use_toasts;
use crate::forms::{FormErrors, actor, case_state};
use crate::i18n::{T, tr, use_i18n};
use crate::state::use_dictionaries;

const FIELDS: &[&str] = &["status", "stage", "follow_up_at", "resignation_reason"];
const OTHER_REASON: &str = "\u{1}other";

/// Moves the case in the funnel: the stage list follows the chosen status,
/// and the fields the rules require for it are marked before saving.
#[component]
pub fn TransitionForm(
    card: CaseCard,
    on_updated: Callback<CaseCard>,
    on_stale: Callback<()>,
) -> impl IntoView {
    let api = use_api();
    let tasks = crate::task::Spawner::new();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let dictionaries = use_dictionaries();
    let row = card.row.clone();
    let me = api.me();
    let current = row.status;
    let reopener = me
        .as_ref()
        .is_some_and(|me| may_reopen(&actor(me), row.owner.as_ref().map(|o| o.id)));
    let targets: Vec<Status> = if current.is_closed() {
        if reopener {
            Status::ALL.iter().copied().filter(|s| s.is_open()).collect()
        } else {
            Vec::new()
        }
    } else {
        Status::ALL.to_vec()
    };
    let status = RwSignal::new(
        targets
            .first()
            .copied()
            .filter(|_| current.is_closed())
            .unwrap_or(current),
    );
    let stage = RwSignal::new(row.stage.map(|s| s.as_str().to_owned()).unwrap_or_default());
    let initial_follow_up = row.follow_up_at.map(browser::to_local_input).unwrap_or_default();
    let follow_up = RwSignal::new(initial_follow_up.clone());
    let reason_choice = RwSignal::new(String::new());
    let reason_text = RwSignal::new(String::new());
    let errors = FormErrors::new(FIELDS);
    let saving = RwSignal::new(false);

    // A stage of another status is dropped when the status changes.
    Effect::new(move |_| {
        let target = status.get();
        let keep = stage
            .get_untracked()
            .parse::<Stage>()
            .is_ok_and(|s| s.belongs_to(target));
        if !keep {
            stage.set(String::new());
        }
        errors.clear();
    });

    let unchanged = {
        let initial_stage = row.stage;
        let initial_follow_up = initial_follow_up.clone();
        move || {
            status.get() == current
                && stage.get().parse::<Stage>().ok() == initial_stage
                && follow_up.get() == initial_follow_up
        }
    };

    let submit = {
        let card = card.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let target = status.get_untracked();
            let reason = match reason_choice.get_untracked() {
                choice if choice == OTHER_REASON => Some(reason_text.get_untracked()),
                choice if choice.is_empty() => None,
                choice => Some(choice),
            };
            let command = TransitionCommand {
                status: target,
                stage: stage.get_untracked().parse().ok(),
                follow_up_at: if target.is_open() {
                    browser::from_local_input(&follow_up.get_untracked())
                } else {
                    None
                },
                resignation_reason: if target.requires_resignation_reason() {
                    reason
                } else {
                    None
                },
            };
            if let (Some(me), Some(state)) = (api.me(), case_state(&card)) {
                match decide(
                    &actor(&me),
                    &state,
                    CaseCommand::Transition(command.clone()),
                    browser::now(),
                ) {
                    Err(CommandError::Invalid(violations)) => {
                        errors.set_violations(&violations);
                        return;
                    }
                    Err(CommandError::Refused(refusal)) => {
                        errors.set_refusal(refusal);
                        return;
                    }
                    _ => {}
                }
            }
            errors.clear();
            let request = TransitionRequest {
                status: command.status,
                stage: command.stage,
                follow_up_at: command.follow_up_at,
                resignation_reason: command.resignation_reason,
            };
            let (id, version) = (card.row.id, card.row.version);
            saving.set(true);
            tasks.spawn(async move {
                match api.transition(id, version, &request).await {
                    Ok(updated) => {
                        toasts.success(T::Moved.text(i18n.get_untracked()));
                        on_updated.run(updated);
                    }
                    Err(error) if error.is_stale() => on_stale.run(()),
                    Err(error) => errors.set_api(error),
                }
                saving.set(false);
            });
        }
    };

    if targets.is_empty() {
        return view! {
            <section class="card" data-testid="transition">
                <header>
                    <h2>{tr(T::MoveInFunnel)}</h2>
                </header>
                <div class="card-body">
                    <p class="muted">{tr(T::ClosedReadOnly)} " " {tr(T::ReopenOnlyManager)}</p>
                </div>
            </section>
        }
        .into_any();
    }

    let status_options = targets.clone();
    view! {
        <section class="card" data-testid="transition">
            <header>
                <h2>{move || if current.is_closed() { i18n.t(T::Reopen) } else { i18n.t(T::MoveInFunnel) }}</h2>
            </header>
            <form class="card-body" on:submit=submit novalidate data-testid="transition-form">
                <div class="form-grid">
                    <Field id="move-status" label=Signal::derive(move || T::Status.text(i18n.get())) required=true error=errors.field("status")>
                        <select
                            id="move-status"
                            data-testid="move-status"
                            on:change=move |e| {
                                if let Ok(s) = event_target_value(&e).parse::<Status>() {
                                    status.set(s);
                                }
                            }
                        >
                            {status_options
                                .iter()
                                .map(|&s| {
                                    view! {
                                        <option value=s.as_str() prop:selected=move || status.get() == s>
                                            {move || s.label(i18n.get())}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </Field>
                    <Field
                        id="move-stage"
                        label=Signal::derive(move || T::Stage.text(i18n.get()))
                        required=Signal::derive(move || status.get().requires_stage())
                        error=errors.field("stage")
                    >
                        <select
                            id="move-stage"
                            data-testid="move-stage"
                            disabled=move || !status.get().requires_stage()
                            on:change=move |e| stage.set(event_target_value(&e))
                        >
                            <option value="" prop:selected=move || stage.get().is_empty()>
                                {move || {
                                    if status.get().requires_stage() { i18n.t(T::ChooseStage) } else { i18n.t(T::NoStages) }
                                }}
                            </option>
                            {move || {
                                status
                                    .get()
                                    .stages()
                                    .iter()
                                    .map(|&s| {
                                        view! {
                                            <option value=s.as_str() prop:selected=move || stage.get() == s.as_str()>
                                                {move || s.label(i18n.get())}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </Field>
                    <Show when=move || status.get().is_open()>
                        <Field
                            id="move-follow-up"
                            label=Signal::derive(move || T::FollowUp.text(i18n.get()))
                            required=Signal::derive(move || status.get().requires_follow_up())
                            error=errors.field("follow_up_at")
                        >
                            <input
                                id="move-follow-up"
                                type="datetime-local"
                                data-testid="move-follow-up"
                                prop:value=move || follow_up.get()
                                on:input=move |e| follow_up.set(event_target_value(&e))
                            />
                        </Field>
                    </Show>
                    <Show when=move || status.get().requires_resignation_reason()>
                        <Field
                            id="move-reason"
                            label=Signal::derive(move || T::ResignationReason.text(i18n.get()))
                            required=true
                            error=errors.field("resignation_reason")
                        >
                            <select id="move-reason" data-testid="move-reason" on:change=move |e| reason_choice.set(event_target_value(&e))>
                                <option value="" prop:selected=move || reason_choice.get().is_empty()>{tr(T::ChooseReason)}</option>
                                {move || {
                                    dictionaries
                                        .reasons
                                        .get()
                                        .into_iter()
                                        .map(|reason| {
                                            let name = reason.name.clone();
                                            let selected = reason.name.clone();
                                            view! {
                                                <option value=name prop:selected=move || reason_choice.get() == selected>
                                                    {reason.name}
                                                </option>
                                            }
                                        })
                                        .collect_view()
                                }}
                                <option value=OTHER_REASON prop:selected=move || reason_choice.get() == OTHER_REASON>
                                    {tr(T::OtherReason)}
                                </option>
                            </select>
                            <Show when=move || reason_choice.get() == OTHER_REASON>
                                <input
                                    type="text"
                                    aria-label=tr(T::ReasonText)
                                    placeholder=tr(T::ReasonText)
                                    data-testid="move-reason-text"
                                    prop:value=move || reason_text.get()
                                    on:input=move |e| reason_text.set(event_target_value(&e))
                                />
                            </Show>
                        </Field>
                    </Show>
                </div>
                <Show when=move || errors.general().get().is_some()>
                    <div class="notice error" role="alert" data-testid="transition-error">{move || errors.general().get()}</div>
                </Show>
                <div class="form-actions">
                    <span class="legend">{tr(T::RequiredLegend)}</span>
                    <button
                        type="submit"
                        class="button primary"
                        data-testid="move-submit"
                        disabled=move || saving.get() || unchanged()
                    >
                        {move || if current.is_closed() { i18n.t(T::Reopen) } else { i18n.t(T::Move) }}
                    </button>
                </div>
            </form>
        </section>
    }
    .into_any()
}
