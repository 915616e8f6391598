use lejek_domain::{
    OwnerFilter, PipelineFilters, PipelineQuery, QualifierId, Source, Stage, Status, TextFilter as Text,
    UserId, digits_of,
};
use leptos::prelude::*;

use crate::api::use_api;
use crate::components::choice_filter::ChoiceFilter;
use crate::components::date_range::DateRange;
use crate::components::multi_select::MultiSelect;
use crate::components::text_filter::TextFilter;
use crate::i18n::{T, tr, use_i18n};
use crate::state::use_dictionaries;

/// How many filters are set, for the Filters button.
pub fn active_filter_count(filters: &PipelineFilters) -> usize {
    [
        !filters.status.is_empty(),
        !filters.source.is_empty(),
        !filters.stage.is_empty(),
        !filters.qualifier.is_empty(),
        filters.number.is_some(),
        filters.created_from.is_some() || filters.created_to.is_some(),
        filters.close_from.is_some() || filters.close_to.is_some(),
        filters.contact.is_some(),
        filters.company.is_some(),
        filters.email.is_some(),
        filters.phone.is_some(),
        filters.subject.is_some(),
        filters.owner.is_some(),
        filters.created_by.is_some(),
        filters.spam,
    ]
    .into_iter()
    .filter(|set| *set)
    .count()
}

fn text_value(filter: &Option<Text>) -> String {
    filter
        .as_ref()
        .map(|text| text.as_str().to_owned())
        .unwrap_or_default()
}

fn parse_text(raw: &str) -> Option<Text> {
    Text::parse(raw).ok().flatten()
}

/// Every filter of the pipeline (spec section 4): text filters debounced,
/// enums as multi-selects, dates as ranges with quick picks, owner and
/// creator as pickers.
#[component]
pub fn FilterBar(
    #[prop(into)] query: Signal<PipelineQuery>,
    on_change: Callback<PipelineQuery>,
    /// Without the SPAM toggle: the figures never count SPAM.
    #[prop(optional)]
    funnel_only: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let dictionaries = use_dictionaries();
    let manager = Memo::new(move |_| api.me().is_some_and(|me| me.role.sees_every_case()));
    let my_id = Memo::new(move |_| api.me().map(|me| me.id));

    let update = move |change: Box<dyn FnOnce(&mut PipelineFilters)>| {
        let mut next = query.get_untracked();
        change(&mut next.filters);
        next.cursor = None;
        on_change.run(next);
    };
    let filters = move || query.get().filters;

    macro_rules! text_filter {
        ($id:literal, $label:expr, $field:ident) => {{
            let value = Signal::derive(move || text_value(&filters().$field));
            let change = Callback::new(move |raw: String| {
                update(Box::new(move |f| f.$field = parse_text(&raw)));
            });
            view! { <TextFilter id=$id label=Signal::derive(move || $label.text(i18n.get())) value=value on_change=change /> }
        }};
    }

    let number = Signal::derive(move || filters().number.map(|n| n.to_string()).unwrap_or_default());
    let phone_value = Signal::derive(move || text_value(&filters().phone));

    let status_options = Signal::derive(move || {
        Status::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), s.label(i18n.get()).to_owned()))
            .collect::<Vec<_>>()
    });
    let stage_options = Signal::derive(move || {
        Stage::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), s.label(i18n.get()).to_owned()))
            .collect::<Vec<_>>()
    });
    let source_options = Signal::derive(move || {
        Source::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), s.label(i18n.get()).to_owned()))
            .collect::<Vec<_>>()
    });
    let qualifier_options = Signal::derive(move || {
        dictionaries
            .qualifiers
            .get()
            .into_iter()
            .map(|q| (q.id.to_string(), q.name))
            .collect::<Vec<_>>()
    });
    fn codes<C: ToString>(items: &[C]) -> Vec<String> {
        items.iter().map(ToString::to_string).collect()
    }
    fn parsed<C: std::str::FromStr>(codes: Vec<String>) -> Vec<C> {
        codes.iter().filter_map(|code| code.parse().ok()).collect()
    }

    let owner_value = move || match filters().owner {
        None => String::new(),
        Some(OwnerFilter::Me) => "me".to_owned(),
        Some(OwnerFilter::Unassigned) => "unassigned".to_owned(),
        Some(OwnerFilter::User(id)) => id.to_string(),
    };
    let created_by_value = move || match (filters().created_by, my_id.get()) {
        (None, _) => String::new(),
        (Some(id), Some(me)) if id == me && !manager.get() => "me".to_owned(),
        (Some(id), _) => id.to_string(),
    };
    let people = move || {
        dictionaries
            .users
            .get()
            .into_iter()
            .filter(|user| user.active)
            .map(|user| (user.id.to_string(), user.name))
            .collect::<Vec<_>>()
    };

    let owner_options = Signal::derive(move || {
        let language = i18n.get();
        let mut options = vec![
            (String::new(), T::Any.text(language).to_owned()),
            ("me".to_owned(), T::Me.text(language).to_owned()),
        ];
        if manager.get() {
            options.push(("unassigned".to_owned(), T::Unassigned.text(language).to_owned()));
            options.extend(people());
        }
        options
    });
    let creator_options = Signal::derive(move || {
        let language = i18n.get();
        let mut options = vec![(String::new(), T::Any.text(language).to_owned())];
        if manager.get() {
            options.extend(people());
        } else {
            options.push(("me".to_owned(), T::Me.text(language).to_owned()));
        }
        options
    });
    view! {
        <div class="filter-bar" data-testid="filter-bar" role="search">
            <TextFilter
                id="number"
                label=Signal::derive(move || T::FilterNumber.text(i18n.get()))
                value=number
                numeric=true
                on_change=Callback::new(move |raw: String| {
                    let number = raw.trim().parse::<i64>().ok().filter(|n| *n > 0);
                    update(Box::new(move |f| f.number = number));
                })
            />
            {text_filter!("subject", T::Subject, subject)}
            {text_filter!("contact", T::Contact, contact)}
            {text_filter!("company", T::Company, company)}
            {text_filter!("email", T::Email, email)}
            <TextFilter
                id="phone"
                label=Signal::derive(move || T::Phone.text(i18n.get()))
                value=phone_value
                on_change=Callback::new(move |raw: String| {
                    let phone = parse_text(&raw).filter(|p| !digits_of(p.as_str()).is_empty());
                    update(Box::new(move |f| f.phone = phone));
                })
            />
            <MultiSelect
                label=Signal::derive(move || T::Status.text(i18n.get()))
                options=status_options
                selected=Signal::derive(move || codes(&filters().status))
                on_change=Callback::new(move |chosen: Vec<String>| {
                    update(Box::new(move |f| f.status = parsed(chosen)));
                })
                testid="filter-status"
            />
            <MultiSelect
                label=Signal::derive(move || T::Stage.text(i18n.get()))
                options=stage_options
                selected=Signal::derive(move || codes(&filters().stage))
                on_change=Callback::new(move |chosen: Vec<String>| {
                    update(Box::new(move |f| f.stage = parsed(chosen)));
                })
                testid="filter-stage"
            />
            <MultiSelect
                label=Signal::derive(move || T::FilterSource.text(i18n.get()))
                options=source_options
                selected=Signal::derive(move || codes(&filters().source))
                on_change=Callback::new(move |chosen: Vec<String>| {
                    update(Box::new(move |f| f.source = parsed(chosen)));
                })
                testid="filter-source"
            />
            <MultiSelect
                label=Signal::derive(move || T::Qualifier.text(i18n.get()))
                options=qualifier_options
                selected=Signal::derive(move || codes(&filters().qualifier))
                on_change=Callback::new(move |chosen: Vec<String>| {
                    let ids: Vec<QualifierId> = parsed(chosen);
                    update(Box::new(move |f| f.qualifier = ids));
                })
                testid="filter-qualifier"
            />
            <DateRange
                label=Signal::derive(move || T::FilterCreated.text(i18n.get()))
                from=Signal::derive(move || filters().created_from)
                to=Signal::derive(move || filters().created_to)
                on_change=Callback::new(move |(from, to)| {
                    update(Box::new(move |f| {
                        f.created_from = from;
                        f.created_to = to;
                    }));
                })
                testid="filter-created"
            />
            <DateRange
                label=Signal::derive(move || T::FilterClose.text(i18n.get()))
                from=Signal::derive(move || filters().close_from)
                to=Signal::derive(move || filters().close_to)
                on_change=Callback::new(move |(from, to)| {
                    update(Box::new(move |f| {
                        f.close_from = from;
                        f.close_to = to;
                    }));
                })
                testid="filter-close"
            />
            <ChoiceFilter
                label=Signal::derive(move || T::Owner.text(i18n.get()))
                options=owner_options
                selected=Signal::derive(owner_value)
                on_change=Callback::new(move |value: String| {
                    let owner = match value.as_str() {
                        "" => None,
                        "me" => Some(OwnerFilter::Me),
                        "unassigned" => Some(OwnerFilter::Unassigned),
                        id => id.parse().ok().map(|id| OwnerFilter::User(UserId(id))),
                    };
                    update(Box::new(move |f| f.owner = owner));
                })
                testid="filter-owner"
            />
            <ChoiceFilter
                label=Signal::derive(move || T::FilterCreatedBy.text(i18n.get()))
                options=creator_options
                selected=Signal::derive(created_by_value)
                on_change=Callback::new(move |value: String| {
                    let creator = match value.as_str() {
                        "" => None,
                        "me" => my_id.get_untracked(),
                        id => id.parse().ok().map(UserId),
                    };
                    update(Box::new(move |f| f.created_by = creator));
                })
                testid="filter-created-by"
            />
            <div class="checkbox-field" hidden=funnel_only>
                <label class="check toggle" data-testid="filter-spam">
                    <input
                        type="checkbox"
                        prop:checked=move || filters().spam
                        on:change=move |event| {
                            let spam = event_target_checked(&event);
                            update(Box::new(move |f| {
                                f.spam = spam;
                                f.campaign = None;
                            }));
                        }
                    />
                    <span>{tr(T::FilterSpam)}</span>
                </label>
            </div>
            <div class="filter-clear">
                <button
                    type="button"
                    class="button ghost"
                    data-testid="clear-filters"
                    disabled=move || active_filter_count(&filters()) == 0
                    on:click=move |_| {
                        let current = query.get_untracked();
                        on_change.run(PipelineQuery {
                            tab: current.tab,
                            sort: current.sort,
                            ..PipelineQuery::default()
                        });
                    }
                >
                    {tr(T::ClearFilters)}
                </button>
            </div>
        </div>
    }
}
