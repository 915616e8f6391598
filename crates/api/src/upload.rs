//! The file upload extractor: the raw body of an accepted content type,
//! up to `max_upload_bytes`.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{FromRequest, HttpRequest};
use futures_util::StreamExt;
use lejek_domain::ErrorCode;

use crate::error::ApiError;
use crate::state::AppState;

/// The content types an import accepts: CSV as browsers and tools label
/// it (Windows labels `.csv` as Excel's), XLSX, and unlabelled bytes.
pub const FILE_TYPES: [&str; 6] = [
    "text/csv",
    "text/plain",
    "application/csv",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream",
];

/// An uploaded file: its bytes and the content type it was sent as.
#[derive(Debug)]
pub struct Upload {
    pub bytes: Bytes,
    pub content_type: String,
}

/// The content types an inbound e-mail is taken as.
pub const MAIL_TYPES: [&str; 3] = ["message/rfc822", "text/plain", "application/octet-stream"];

/// The body of a request, whole, when its content type is one of
/// `accepted` and it is at most `limit` bytes (413 as soon as it is more).
fn read_upload(
    request: &HttpRequest,
    payload: &mut Payload,
    limit: usize,
    accepted: &'static [&'static str],
    refused: fn() -> ApiError,
) -> Pin<Box<dyn Future<Output = Result<Upload, ApiError>>>> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|mime| mime.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let declared_too_large = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok())
        .is_some_and(|length| length > limit);
    let mut payload = payload.take();
    Box::pin(async move {
        if declared_too_large {
            return Err(ApiError::PayloadTooLarge);
        }
        if !accepted.contains(&content_type.as_str()) {
            return Err(refused());
        }
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| ApiError::BadRequest {
                code: ErrorCode::MalformedBody,
                detail: "The request body could not be read.".to_owned(),
                errors: Vec::new(),
            })?;
            if body.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Upload {
            bytes: body.freeze(),
            content_type,
        })
    })
}

impl FromRequest for Upload {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = request
            .app_data::<actix_web::web::Data<AppState>>()
            .map_or(52_428_800, |state| state.settings.max_upload_bytes);
        read_upload(request, payload, limit, &FILE_TYPES, || {
            ApiError::UnsupportedFileType
        })
    }
}

/// A raw RFC 5322 message, up to `max_mail_bytes`.
#[derive(Debug)]
pub struct MailUpload(pub Upload);

impl FromRequest for MailUpload {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = request
            .app_data::<actix_web::web::Data<AppState>>()
            .map_or(26_214_400, |state| state.settings.max_mail_bytes);
        let upload = read_upload(request, payload, limit, &MAIL_TYPES, || {
            ApiError::UnsupportedMailType
        });
        Box::pin(async move { upload.await.map(MailUpload) })
    }
}

/// An uploaded file in the OpenAPI document: its bytes, whatever they are.
pub struct FileBytes;

impl utoipa::PartialSchema for FileBytes {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .build()
            .into()
    }
}

impl utoipa::ToSchema for FileBytes {}
