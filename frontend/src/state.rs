//! State shared across pages: the dictionaries loaded once per session,
//! and the pipeline view's state, kept while the user visits a case card
//! so coming back shows the same rows at the same scroll position.

use lejek_domain::dto::{CampaignDto, CaseRow, DictionaryEntry, UserDto};
use lejek_domain::{CampaignId, CampaignKind, CaseId, ColumnSetting, RowHeight, UserId, ViewSettings};
use leptos::prelude::*;

use crate::api::use_api;

/// Campaigns, qualifiers, resignation reasons and (for managers) users.
#[derive(Clone, Copy)]
pub struct Dictionaries {
    pub campaigns: RwSignal<Vec<CampaignDto>>,
    pub qualifiers: RwSignal<Vec<DictionaryEntry>>,
    pub reasons: RwSignal<Vec<DictionaryEntry>>,
    pub users: RwSignal<Vec<UserDto>>,
}

impl Dictionaries {
    /// Provides the dictionaries and loads them whenever someone logs in.
    pub fn provide() {
        let dictionaries = Dictionaries {
            campaigns: RwSignal::new(Vec::new()),
            qualifiers: RwSignal::new(Vec::new()),
            reasons: RwSignal::new(Vec::new()),
            users: RwSignal::new(Vec::new()),
        };
        provide_context(dictionaries);
        let api = use_api();
        let me = Memo::new(move |_| api.me());
        Effect::new(move |_| {
            let Some(me) = me.get() else { return };
            leptos::task::spawn_local(async move {
                let manager = me.role.sees_every_case();
                let users = async move {
                    if manager {
                        api.users().await.ok()
                    } else {
                        Some(Vec::new())
                    }
                };
                let (campaigns, qualifiers, reasons, users) = futures::join!(
                    api.campaigns(),
                    api.qualifiers(),
                    api.resignation_reasons(),
                    users
                );
                if let Ok(campaigns) = campaigns {
                    dictionaries.campaigns.set(campaigns);
                }
                if let Ok(qualifiers) = qualifiers {
                    dictionaries.qualifiers.set(qualifiers);
                }
                if let Ok(reasons) = reasons {
                    dictionaries.reasons.set(reasons);
                }
                if let Some(users) = users {
                    dictionaries.users.set(users);
                }
            });
        });
    }

    fn campaign(self, kind: CampaignKind) -> Option<CampaignId> {
        self.campaigns
            .with(|campaigns| campaigns.iter().find(|c| c.kind == kind).map(|c| c.id))
    }

    pub fn funnel(self) -> Option<CampaignId> {
        self.campaign(CampaignKind::Funnel)
    }

    pub fn spam(self) -> Option<CampaignId> {
        self.campaign(CampaignKind::Spam)
    }
}

pub fn use_dictionaries() -> Dictionaries {
    expect_context::<Dictionaries>()
}

/// The pipeline view between visits of the page.
#[derive(Clone, Copy)]
pub struct PipelineState {
    /// Whether the saved view has been read from the server.
    pub loaded: RwSignal<bool>,
    pub columns: RwSignal<Vec<ColumnSetting>>,
    pub row_height: RwSignal<RowHeight>,
    /// The settings as last saved (or the defaults), to tell unsaved changes.
    pub saved: RwSignal<ViewSettings>,
    /// The rows shown, the query string they answer and the next page.
    pub rows: RwSignal<Vec<CaseRow>>,
    pub rows_key: RwSignal<Option<String>>,
    pub next_cursor: RwSignal<Option<String>>,
    pub scroll_top: StoredValue<i32>,
    /// Rows toggled as spam (or, in the SPAM list, to restore), applied on save.
    pub marked: RwSignal<Vec<CaseId>>,
    pub filters_open: RwSignal<bool>,
    /// The pipeline's last URL, for "back to the pipeline" links.
    pub last_href: RwSignal<String>,
}

impl PipelineState {
    /// Provides the state, forgotten whenever the user changes (logout,
    /// or another login after a session expired).
    pub fn provide() {
        let defaults = ViewSettings::default();
        let state = PipelineState {
            loaded: RwSignal::new(false),
            columns: RwSignal::new(defaults.complete_columns()),
            row_height: RwSignal::new(defaults.row_height),
            saved: RwSignal::new(defaults),
            rows: RwSignal::new(Vec::new()),
            rows_key: RwSignal::new(None),
            next_cursor: RwSignal::new(None),
            scroll_top: StoredValue::new(0),
            marked: RwSignal::new(Vec::new()),
            filters_open: RwSignal::new(
                crate::browser::load_local("lejek.filters_open").as_deref() != Some("0"),
            ),
            last_href: RwSignal::new("/".to_owned()),
        };
        provide_context(state);
        let api = use_api();
        let user = Memo::new(move |_| api.me().map(|me| me.id));
        Effect::new(move |previous: Option<Option<UserId>>| {
            let current = user.get();
            if let Some(previous) = previous
                && previous.is_some()
                && previous != current
            {
                state.clear();
            }
            current
        });
    }

    /// Forgets the cached rows, after a change made elsewhere.
    pub fn invalidate(self) {
        self.rows_key.set(None);
    }

    /// Forgets everything of the previous user.
    pub fn clear(self) {
        let defaults = ViewSettings::default();
        self.loaded.set(false);
        self.columns.set(defaults.complete_columns());
        self.row_height.set(defaults.row_height);
        self.saved.set(defaults);
        self.rows.set(Vec::new());
        self.rows_key.set(None);
        self.next_cursor.set(None);
        self.marked.set(Vec::new());
        self.last_href.set("/".to_owned());
    }
}

pub fn use_pipeline_state() -> PipelineState {
    expect_context::<PipelineState>()
}
