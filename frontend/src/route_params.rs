//! Reading the route's parameters.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The route's numeric `:id`, wrapped in its id type; `None` when the
/// address holds no number there.
pub fn id_param<T>(wrap: fn(i64) -> T) -> Memo<Option<T>>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|id| id.parse::<i64>().ok())
            .map(wrap)
    })
}
