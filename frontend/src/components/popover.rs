use leptos::ev;
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A button that opens a panel below it. Escape or a click outside closes
/// it; keyboard focus returns to the button.
#[component]
pub fn Popover(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] testid: String,
    /// Highlights the button, e.g. when a filter inside is set.
    #[prop(optional, into)]
    active: Signal<bool>,
    #[prop(optional)] align_end: bool,
    /// Lets the content close the panel, e.g. once a single choice is made.
    #[prop(optional)]
    open: Option<RwSignal<bool>>,
    children: ChildrenFn,
) -> impl IntoView {
    let open = open.unwrap_or_else(|| RwSignal::new(false));
    let root = NodeRef::<Div>::new();
    let handle = window_event_listener(ev::mousedown, move |event| {
        if !open.get_untracked() {
            return;
        }
        let inside = match (root.get_untracked(), event.target()) {
            (Some(root), Some(target)) => root.contains(target.dyn_ref::<web_sys::Node>()),
            _ => false,
        };
        if !inside {
            open.set(false);
        }
    });
    on_cleanup(move || handle.remove());
    let button_id = format!("{testid}-button");
    let focus_id = button_id.clone();
    view! {
        <div
            class="popover"
            node_ref=root
            on:keydown=move |event: ev::KeyboardEvent| {
                if event.key() == "Escape" && open.get_untracked() {
                    event.stop_propagation();
                    open.set(false);
                    crate::browser::focus(&format!("#{focus_id}"));
                }
            }
        >
            <button
                type="button"
                class="button"
                class:active=move || active.get()
                id=button_id
                aria-haspopup="true"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                data-testid=testid.clone()
                on:click=move |_| open.update(|open| *open = !*open)
            >
                <span class="button-label">{move || label.get()}</span>
                <span class="caret" aria-hidden="true"></span>
            </button>
            <Show when=move || open.get()>
                <div class="popover-panel" class:align-end=align_end data-testid=format!("{testid}-panel")>
                    {children()}
                </div>
            </Show>
        </div>
    }
}
