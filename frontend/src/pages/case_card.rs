//! The case card: every field, editing, moving in the funnel, the owner
//! (managers), the campaign, the history and the notes.

use lejek_domain::dto::{CaseCard, CaseEventDto, NoteDto};
use lejek_domain::{CampaignKind, CaseId};
use leptos::prelude::*;

use crate::api::{ApiError, use_api};
use crate::browser;
use crate::components::case_details::CaseDetails;
use crate::components::load_state::load_state;
use crate::components::loading::Loading;
use crate::components::notes::Notes;
use crate::components::owner_picker::OwnerPicker;
use crate::components::status_badge::StatusBadge;
use crate::components::timeline::Timeline;
use crate::components::toasts::use_toasts;
use crate::components::transition_form::TransitionForm;
use crate::i18n::{T, format_datetime, tr, use_i18n};
use crate::route_params::id_param;
use crate::state::{use_dictionaries, use_pipeline_state};

#[component]
pub fn CaseCardPage() -> impl IntoView {
    let api = use_api();
    let tasks = crate::task::Spawner::new();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let dictionaries = use_dictionaries();
    let pipeline = use_pipeline_state();
    let id = id_param(CaseId);

    let card = RwSignal::new(None::<Result<CaseCard, ApiError>>);
    let events = RwSignal::new(None::<Vec<CaseEventDto>>);
    let notes = RwSignal::new(None::<Vec<NoteDto>>);
    let stale = RwSignal::new(false);
    let moving_campaign = RwSignal::new(false);
    let generation = StoredValue::new(0_u64);

    let load_events = move |id: CaseId| {
        let request = generation.get_value();
        tasks.spawn(async move {
            let found = api.events(id).await;
            if generation.get_value() == request {
                events.set(found.ok());
            }
        });
    };
    let load = move |id: CaseId| {
        let request = generation.get_value() + 1;
        generation.set_value(request);
        card.set(None);
        events.set(None);
        notes.set(None);
        stale.set(false);
        tasks.spawn(async move {
            let found = api.case(id).await;
            if generation.get_value() == request {
                card.set(Some(found));
            }
        });
        load_events(id);
        tasks.spawn(async move {
            let found = api.notes(id).await;
            if generation.get_value() == request {
                notes.set(found.ok());
            }
        });
    };
    Effect::new(move |_| match id.get() {
        Some(id) => load(id),
        None => card.set(Some(Err(ApiError::Problem {
            problem: lejek_domain::dto::Problem {
                problem_type: "about:blank".to_owned(),
                title: "Not found".to_owned(),
                status: 404,
                detail: String::new(),
                code: lejek_domain::ErrorCode::NotFound.into(),
                errors: Vec::new(),
                request_id: None,
            },
            retry_after: None,
        }))),
    });
    Effect::new(move |_| {
        let title = match card.get() {
            Some(Ok(card)) => format!("{} {} · Lejek", card.row.number, card.row.subject),
            _ => format!("{} · Lejek", T::CaseTitle.text(i18n.get())),
        };
        browser::set_title(&title);
    });

    let on_updated = Callback::new(move |updated: CaseCard| {
        let id = updated.row.id;
        card.set(Some(Ok(updated)));
        stale.set(false);
        pipeline.invalidate();
        load_events(id);
    });
    let on_stale = Callback::new(move |()| stale.set(true));
    let on_note = Callback::new(move |note: NoteDto| {
        notes.update(|notes| {
            if let Some(notes) = notes {
                notes.push(note);
            }
        })
    });
    let manager = Memo::new(move |_| api.me().is_some_and(|me| me.role.sees_every_case()));

    let toggle_campaign = move |current: CaseCard| {
        let target = match current.row.campaign.kind {
            CampaignKind::Funnel => dictionaries.spam(),
            CampaignKind::Spam => dictionaries.funnel(),
        };
        let Some(target) = target else { return };
        moving_campaign.set(true);
        tasks.spawn(async move {
            let language = i18n.get_untracked();
            match api
                .set_campaign(current.row.id, current.row.version, target)
                .await
            {
                Ok(updated) => {
                    let text = match updated.row.campaign.kind {
                        CampaignKind::Spam => format!("{} 1", T::MovedToSpam.text(language)),
                        CampaignKind::Funnel => T::Restored.text(language).to_owned(),
                    };
                    toasts.success(text);
                    on_updated.run(updated);
                }
                Err(error) if error.is_stale() => stale.set(true),
                Err(error) => toasts.error(error.message(language)),
            }
            moving_campaign.set(false);
        });
    };

    let card_view = move |current: CaseCard| {
        let row = current.row.clone();
        let spam = row.campaign.kind == CampaignKind::Spam;
        let kind = row.campaign.kind;
        let stage = row.stage;
        let follow_up = row.follow_up_at;
        let overdue = row.status.requires_follow_up() && follow_up.is_some_and(|at| at < browser::now());
        let for_toggle = current.clone();
        view! {
            <Show when=move || stale.get()>
                <div class="notice warning" role="alert" data-testid="stale">
                    <div>
                        <strong>{tr(T::StaleTitle)}</strong>
                        <p>{tr(T::StaleBody)}</p>
                    </div>
                    <button
                        type="button"
                        class="button"
                        data-testid="stale-reload"
                        on:click=move |_| {
                            if let Some(id) = id.get_untracked() {
                                load(id);
                            }
                        }
                    >
                        {tr(T::Reload)}
                    </button>
                </div>
            </Show>
            <div class="case-head">
                <div class="case-title">
                    <h1 data-testid="case-title">
                        <span class="number">{format!("#{}", row.number)}</span>
                        {row.subject.clone()}
                    </h1>
                    <div class="badges">
                        <StatusBadge status=row.status />
                        {stage.map(|stage| view! { <span class="badge">{move || stage.label(i18n.get())}</span> })}
                        <span class="badge" class:spam=spam class:funnel=!spam data-testid="campaign-badge">
                            {move || kind.label(i18n.get())}
                        </span>
                        {follow_up.map(|at| {
                            view! {
                                <span class="muted">
                                    {move || format!("{}: {}", T::FollowUp.text(i18n.get()), format_datetime(at, i18n.get()))}
                                </span>
                            }
                        })}
                        <Show when=move || overdue>
                            <span class="badge overdue">{tr(T::Overdue)}</span>
                        </Show>
                    </div>
                </div>
                <div class="toolbar">
                    <button
                        type="button"
                        class="button"
                        class:danger=!spam
                        data-testid="toggle-campaign"
                        disabled=move || moving_campaign.get()
                        on:click=move |_| toggle_campaign(for_toggle.clone())
                    >
                        {move || if spam { i18n.t(T::RestoreToFunnel) } else { i18n.t(T::MoveToSpam) }}
                    </button>
                </div>
            </div>
            <div class="grid-2">
                <div class="stack">
                    <CaseDetails card=current.clone() on_updated=on_updated on_stale=on_stale />
                    <TransitionForm card=current.clone() on_updated=on_updated on_stale=on_stale />
                </div>
                <div class="stack">
                    <Show when=move || manager.get()>
                        <OwnerPicker card=current.clone() on_updated=on_updated on_stale=on_stale />
                    </Show>
                    {move || match notes.get() {
                        Some(found) => view! { <Notes case_id=row.id notes=found on_added=on_note /> }.into_any(),
                        None => view! { <Loading /> }.into_any(),
                    }}
                    {move || match events.get() {
                        Some(found) => view! { <Timeline events=found /> }.into_any(),
                        None => view! { <Loading /> }.into_any(),
                    }}
                </div>
            </div>
        }
    };

    let retry = Callback::new(move |()| {
        if let Some(id) = id.get_untracked() {
            load(id);
        }
    });
    view! {
        <div class="content" data-testid="case-card">
            <a class="breadcrumb" href=move || pipeline.last_href.get() data-testid="back-to-pipeline">
                "← "
                {tr(T::BackToPipeline)}
            </a>
            {move || load_state(card.get(), T::CaseNotFound, retry, |current| card_view(current).into_any())}
        </div>
    }
}
