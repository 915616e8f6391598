//! The caller's saved view settings (columns, widths, order, row height,
//! sort, filters), kept on the server so they follow the user.

use actix_web::{HttpResponse, delete, get, put, web};
use lejek_domain::dto::{Problem, SavedView};
use lejek_domain::{ViewKey, ViewSettings};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::routes::responses::LoginRequired;
use crate::state::AppState;

/// The view a path names; there is no other.
fn view_key(raw: String) -> Result<ViewKey, ApiError> {
    raw.parse().map_err(|_| ApiError::NotFound)
}

/// The caller's settings for a view, or the defaults (`updated_at: null`).
#[utoipa::path(
    tag = "settings",
    params(("key" = ViewKey, Path, description = "The view")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The saved or default settings", body = SavedView),
        (status = 404, description = "No such view", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[get("/views/{key}")]
pub async fn get_view(
    state: web::Data<AppState>,
    caller: Caller,
    key: web::Path<String>,
) -> Result<web::Json<SavedView>, ApiError> {
    let key = view_key(key.into_inner())?;
    let view = match state.store.saved_view(caller.user.id, key.as_str()).await? {
        Some((settings, updated_at)) => SavedView {
            key,
            settings: ViewSettings {
                columns: settings.complete_columns(),
                ..settings
            },
            updated_at: Some(updated_at),
        },
        None => SavedView {
            key,
            settings: ViewSettings::default(),
            updated_at: None,
        },
    };
    Ok(web::Json(view))
}

/// Save the caller's settings for a view.
#[utoipa::path(
    tag = "settings",
    params(("key" = ViewKey, Path, description = "The view")),
    request_body = ViewSettings,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved", body = SavedView),
        (status = 404, description = "No such view", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Repeated column, bad width or bad query", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[put("/views/{key}")]
pub async fn put_view(
    state: web::Data<AppState>,
    caller: Caller,
    key: web::Path<String>,
    body: ApiJson<ViewSettings>,
) -> Result<web::Json<SavedView>, ApiError> {
    let key = view_key(key.into_inner())?;
    let settings = body.value;
    settings.validate()?;
    let now = AppState::now();
    state
        .store
        .save_view(caller.user.id, key.as_str(), &settings, now)
        .await?;
    Ok(web::Json(SavedView {
        key,
        settings,
        updated_at: Some(now),
    }))
}

/// Forget the caller's settings for a view: back to the defaults.
#[utoipa::path(
    tag = "settings",
    params(("key" = ViewKey, Path, description = "The view")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Reset"),
        (status = 404, description = "No such view", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[delete("/views/{key}")]
pub async fn delete_view(
    state: web::Data<AppState>,
    caller: Caller,
    key: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let key = view_key(key.into_inner())?;
    state.store.delete_view(caller.user.id, key.as_str()).await?;
    Ok(HttpResponse::NoContent().finish())
}
