//! The caller's saved view settings (columns, widths, order, row height,
//! sort, filters), kept on the server so they follow the user.

use actix_web::{HttpResponse, delete, get, put, web};
use lejek_domain::dto::{Problem, SavedView};
use lejek_domain::{ViewSettings, ViolationCode, Violations};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::json::ApiJson;
use crate::routes::responses::LoginRequired;
use crate::state::AppState;

fn view_key(raw: String) -> Result<String, ApiError> {
    let valid = (1..=64).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if valid {
        Ok(raw)
    } else {
        Err(ApiError::bad_parameter(
            "key",
            "invalid_value",
            "1 to 64 of a-z, 0-9, - and _.",
        ))
    }
}

/// The caller's settings for a view, or the defaults (`updated_at: null`).
#[utoipa::path(
    tag = "settings",
    params(("key" = String, Path, description = "The view, e.g. `pipeline`")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The saved or default settings", body = SavedView),
        (status = 400, description = "Bad key", body = Problem, content_type = "application/problem+json"),
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
    let view = match state.store.saved_view(caller.user.id, &key).await? {
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
    params(("key" = String, Path, description = "The view, e.g. `pipeline`")),
    request_body = ViewSettings,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved", body = SavedView),
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
    if settings.columns.len() > 64 {
        return Err(Violations::single("columns", ViolationCode::OutOfRange).into());
    }
    let now = AppState::now();
    state
        .store
        .save_view(caller.user.id, &key, &settings, now)
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
    params(("key" = String, Path, description = "The view, e.g. `pipeline`")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Reset"),
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
    state.store.delete_view(caller.user.id, &key).await?;
    Ok(HttpResponse::NoContent().finish())
}
