use lejek_domain::UserId;
use lejek_domain::dto::CaseCard;
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::toasts::use_toasts;
use crate::i18n::{T, tr, use_i18n};
use crate::state::use_dictionaries;

/// Assigns, reassigns or unassigns the owner (managers).
#[component]
pub fn OwnerPicker(card: CaseCard, on_updated: Callback<CaseCard>, on_stale: Callback<()>) -> impl IntoView {
    let api = use_api();
    let tasks = crate::task::Spawner::new();
    let i18n = use_i18n();
    let toasts = use_toasts();
    let dictionaries = use_dictionaries();
    let current = card.row.owner.as_ref().map(|owner| owner.id);
    let chosen = RwSignal::new(current.map(|id| id.to_string()).unwrap_or_default());
    let saving = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let (id, version) = (card.row.id, card.row.version);
    let save = move |_| {
        let owner = chosen.get_untracked().parse::<i64>().ok().map(UserId);
        saving.set(true);
        tasks.spawn(async move {
            match api.set_owner(id, version, owner).await {
                Ok(updated) => {
                    toasts.success(T::OwnerChanged.text(i18n.get_untracked()));
                    on_updated.run(updated);
                }
                Err(failure) if failure.is_stale() => on_stale.run(()),
                Err(failure) => error.set(Some(failure.message(i18n.get_untracked()))),
            }
            saving.set(false);
        });
    };
    view! {
        <section class="card" data-testid="owner-picker">
            <header>
                <h2>{tr(T::Owner)}</h2>
            </header>
            <div class="card-body">
                <div class="field">
                    <label for="owner-select">{tr(T::AssignOwner)}</label>
                    <div class="search-box">
                        <select id="owner-select" data-testid="owner-select" on:change=move |e| chosen.set(event_target_value(&e))>
                            <option value="" prop:selected=move || chosen.get().is_empty()>{tr(T::Unassigned)}</option>
                            {move || {
                                dictionaries
                                    .users
                                    .get()
                                    .into_iter()
                                    .filter(|user| user.active || Some(user.id) == current)
                                    .map(|user| {
                                        let value = user.id.to_string();
                                        let selected = value.clone();
                                        view! {
                                            <option value=value prop:selected=move || chosen.get() == selected>
                                                {user.name}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                        <button
                            type="button"
                            class="button primary"
                            data-testid="owner-save"
                            disabled=move || {
                                saving.get() || chosen.get().parse::<i64>().ok().map(UserId) == current
                            }
                            on:click=save
                        >
                            {tr(T::Save)}
                        </button>
                    </div>
                    <Show when=move || error.get().is_some()>
                        <p class="field-error" role="alert">{move || error.get()}</p>
                    </Show>
                </div>
            </div>
        </section>
    }
}
