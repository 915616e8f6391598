//! File imports (intake spec §1): upload and preview, run as a job,
//! progress, and the refused rows to fix and import again.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use lejek_domain::dto::{
    ImportDetails, ImportPreview, ImportPreviewRow, ImportProgress, ImportReadingRequest, Problem,
    RunImportRequest, UserRef,
};
use lejek_domain::{
    Delimiter, ImportField, ImportFormat, ImportOwner, ImportState, Language, TextEncoding, ViolationCode,
    Violations,
};
use lejek_intake::{format_of, suggest_mapping};
use lejek_store::{BatchRow, ImportRecord, NewImport, StoreError};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::imports::reading::{ReadFile, read_file};
use crate::imports::rows::{RowRules, cell_errors};
use crate::json::{ApiJson, OptionalJson};
use crate::routes::responses::LoginRequired;
use crate::state::AppState;
use crate::upload::{FileBytes, Upload};

/// The longest file name kept.
const MAX_FILE_NAME_CHARS: usize = 255;

/// An import the caller may see (an agent: their own), or 404.
async fn visible_import(state: &AppState, caller: &Caller, id: i64) -> Result<ImportRecord, ApiError> {
    state
        .store
        .import(id, caller.scope())
        .await?
        .ok_or(ApiError::NotFound)
}

fn state_of(record: &ImportRecord) -> Result<ImportState, ApiError> {
    record.state.parse().map_err(ApiError::internal)
}

fn format_of_record(record: &ImportRecord) -> Result<ImportFormat, ApiError> {
    record.format.parse().map_err(ApiError::internal)
}

/// The import as the API shows it.
async fn details(
    state: &AppState,
    caller: &Caller,
    record: &ImportRecord,
) -> Result<ImportDetails, ApiError> {
    let settings: Option<RunImportRequest> = record
        .run_settings
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(ApiError::internal)?;
    let mapping = match &settings {
        Some(settings) => settings.mapping.clone(),
        None => suggest_mapping(&record.reading.header),
    };
    Ok(ImportDetails {
        id: record.id,
        state: state_of(record)?,
        file_name: record.file_name.clone(),
        format: format_of_record(record)?,
        byte_size: record.byte_size,
        content_hash: record.content_hash.clone(),
        created_at: record.created_at,
        created_by: UserRef {
            id: record.created_by,
            name: record.created_by_name.clone(),
        },
        encoding: record
            .reading
            .encoding
            .as_deref()
            .and_then(|code| code.parse().ok()),
        delimiter: record
            .reading
            .delimiter
            .as_deref()
            .and_then(|code| code.parse().ok()),
        sheets: record.reading.sheets.clone(),
        sheet: record.reading.sheet.clone(),
        header: record.reading.header.clone(),
        mapping,
        same_file_imports: state
            .store
            .imports_of_content(&record.content_hash, record.id, caller.scope())
            .await?,
        progress: ImportProgress {
            total_rows: record.reading.total_rows,
            rows_done: record.rows_done,
            created: record.created,
            contacts_reused: record.contacts_reused,
            refused: record.refused,
        },
        settings,
        started_at: record.started_at,
        finished_at: record.finished_at,
        failure: record.failure.clone(),
    })
}

/// Checks a mapping against the header: one entry per column, each field
/// at most once.
fn check_mapping(mapping: &[Option<ImportField>], columns: usize) -> Result<(), ApiError> {
    if mapping.len() != columns {
        return Err(Violations::single("mapping", ViolationCode::InvalidValue).into());
    }
    let mut seen = Vec::new();
    for field in mapping.iter().flatten() {
        if seen.contains(field) {
            return Err(Violations::single("mapping", ViolationCode::Duplicate).into());
        }
        seen.push(*field);
    }
    Ok(())
}

/// The first rows as the mapping would import them.
async fn preview(
    state: &AppState,
    caller: &Caller,
    record: &ImportRecord,
    read: ReadFile,
    mapping: Option<Vec<Option<ImportField>>>,
) -> Result<ImportPreview, ApiError> {
    let mut import = details(state, caller, record).await?;
    if let Some(mapping) = mapping {
        check_mapping(&mapping, record.reading.header.len())?;
        import.mapping = mapping;
    }
    let settings = RunImportRequest {
        mapping: import.mapping.clone(),
        contact_match: lejek_domain::ContactMatch::Email,
        owner: ImportOwner::Unassigned,
        owner_id: None,
        default_source: None,
        default_expected_close_date: None,
    };
    let rules = RowRules::load(state, caller.actor(), settings).await?;
    let rows = read
        .first_rows
        .into_iter()
        .map(|(row, cells)| match rules.decide(row, cells) {
            BatchRow::Case { row, cells, .. } => ImportPreviewRow {
                row,
                cells,
                errors: Vec::new(),
            },
            BatchRow::Refused { row, cells, errors } => ImportPreviewRow {
                row,
                cells,
                errors: cell_errors(&errors),
            },
        })
        .collect();
    Ok(ImportPreview { import, rows })
}

/// Reads a file off the async threads.
async fn read_off_thread(
    bytes: web::Bytes,
    format: ImportFormat,
    request: ImportReadingRequest,
) -> Result<ReadFile, ApiError> {
    web::block(move || read_file(&bytes, format, &request))
        .await
        .map_err(ApiError::internal)?
}

/// How an upload asks its file to be read: the query string.
fn upload_params(request: &HttpRequest) -> Result<(Option<String>, ImportReadingRequest), ApiError> {
    let mut file_name = None;
    let mut reading = ImportReadingRequest::default();
    for (key, value) in form_urlencoded::parse(request.query_string().as_bytes()) {
        let invalid = |code| ApiError::bad_parameter(&key, code, "Not a valid value.");
        match key.as_ref() {
            "file_name" => {
                let name = value.trim();
                if name.is_empty() || name.chars().count() > MAX_FILE_NAME_CHARS || name.contains('\0') {
                    return Err(invalid(ViolationCode::InvalidValue));
                }
                file_name = Some(name.to_owned());
            }
            "encoding" => {
                reading.encoding = Some(
                    value
                        .parse::<TextEncoding>()
                        .map_err(|_| invalid(ViolationCode::InvalidValue))?,
                )
            }
            "delimiter" => {
                reading.delimiter = Some(
                    value
                        .parse::<Delimiter>()
                        .map_err(|_| invalid(ViolationCode::InvalidValue))?,
                )
            }
            "sheet" => reading.sheet = Some(value.into_owned()),
            _ => return Err(invalid(ViolationCode::UnknownParameter)),
        }
    }
    Ok((file_name, reading))
}

/// Upload a CSV or XLSX file to import: the answer previews it.
///
/// Send the file as the body with its content type (up to 50 MB and
/// 500,000 rows). The encoding (BOM, else strict UTF-8, else Windows-1250)
/// and the delimiter are detected unless given; XLSX reads the first sheet
/// unless `sheet` names another. Nothing is imported until
/// `POST /imports/{id}/run`.
#[utoipa::path(
    tag = "imports",
    params(
        ("file_name" = Option<String>, Query, description = "The file's name, shown in the import list", max_length = 255, pattern = r"^[^\x00]*\S[^\x00]*$"),
        ("encoding" = Option<TextEncoding>, Query, description = "CSV: read in this encoding"),
        ("delimiter" = Option<Delimiter>, Query, description = "CSV: the cell delimiter"),
        ("sheet" = Option<String>, Query, description = "XLSX: the sheet to read"),
    ),
    request_body(description = "The file", content(
        (inline(FileBytes) = "text/csv"),
        (inline(FileBytes) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (inline(FileBytes) = "application/vnd.ms-excel"),
        (inline(FileBytes) = "application/octet-stream"),
    )),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Uploaded; the preview", body = ImportPreview, headers(("Location" = String))),
        (status = 400, description = "A bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a CSV or XLSX content type", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The file cannot be read, has too many rows, or names no such sheet", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[post("/imports")]
pub async fn upload(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    upload: Upload,
) -> Result<HttpResponse, ApiError> {
    let (file_name, reading) = upload_params(&request)?;
    let format = format_of(&upload.bytes, Some(&upload.content_type));
    let content_hash = lejek_intake::content_hash(&upload.bytes);
    let read = read_off_thread(upload.bytes.clone(), format, reading).await?;
    let record = state
        .store
        .create_import(
            NewImport {
                created_by: caller.user.id,
                file_name,
                format: format.as_str(),
                content_hash,
                content: &upload.bytes,
                reading: read.reading.clone(),
            },
            AppState::now(),
        )
        .await?;
    let body = preview(&state, &caller, &record, read, None).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/imports/{}", record.id)))
        .json(body))
}

/// The caller's imports (a manager: everyone's), newest first, 50 at most.
#[utoipa::path(
    tag = "imports",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The newest imports", body = Vec<ImportDetails>),
        LoginRequired,
    )
)]
#[get("/imports")]
pub async fn list_imports(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let mut items = Vec::new();
    for record in state.store.imports(caller.scope(), 50).await? {
        items.push(details(&state, &caller, &record).await?);
    }
    Ok(HttpResponse::Ok().json(items))
}

/// An import: how it is read, its mapping and its progress.
#[utoipa::path(
    tag = "imports",
    params(("id" = i64, Path, description = "Import id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The import", body = ImportDetails),
        (status = 404, description = "No such import, or not yours", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[get("/imports/{id}")]
pub async fn get_import(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let record = visible_import(&state, &caller, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(details(&state, &caller, &record).await?))
}

/// Preview the file again: read another way (encoding, delimiter, sheet)
/// or checked with another mapping. Only before the import runs.
#[utoipa::path(
    tag = "imports",
    params(("id" = i64, Path, description = "Import id")),
    request_body(content = Option<ImportReadingRequest>, description = "Leave out what should stay as it is"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The preview", body = ImportPreview),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such import, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The import has been started", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A mapping that does not fit the header, an unreadable file or no such sheet", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[post("/imports/{id}/preview")]
pub async fn preview_import(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: OptionalJson<ImportReadingRequest>,
) -> Result<HttpResponse, ApiError> {
    let record = visible_import(&state, &caller, id.into_inner()).await?;
    if state_of(&record)? != ImportState::Uploaded {
        return Err(ApiError::ImportStarted);
    }
    let asked = body.0.unwrap_or_default();
    let kept = &record.reading;
    let request = ImportReadingRequest {
        encoding: asked
            .encoding
            .or(kept.encoding.as_deref().and_then(|code| code.parse().ok())),
        delimiter: asked
            .delimiter
            .or(kept.delimiter.as_deref().and_then(|code| code.parse().ok())),
        sheet: asked.sheet.or(kept.sheet.clone()),
        mapping: None,
    };
    let content = state.store.import_content(record.id).await?;
    let read = read_off_thread(content.into(), format_of_record(&record)?, request).await?;
    let record = if read.reading == record.reading {
        record
    } else {
        state
            .store
            .set_import_reading(record.id, &read.reading)
            .await
            .map_err(started)?;
        visible_import(&state, &caller, record.id).await?
    };
    let mapping = asked
        .mapping
        .filter(|_| read.reading.header == record.reading.header);
    Ok(HttpResponse::Ok().json(preview(&state, &caller, &record, read, mapping).await?))
}

fn started(error: StoreError) -> ApiError {
    match error {
        StoreError::Conflict(_) => ApiError::ImportStarted,
        other => other.into(),
    }
}

/// Run the import with this mapping and these options: a job on the
/// server, followed with `GET /imports/{id}`. Every row goes through the
/// same rules as `POST /cases`; refused rows are reported, not imported.
#[utoipa::path(
    tag = "imports",
    params(("id" = i64, Path, description = "Import id")),
    request_body = RunImportRequest,
    security(("bearer" = [])),
    responses(
        (status = 202, description = "Queued; the import", body = ImportDetails, headers(("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such import, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The import has been started already", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A mapping that does not fit the header, or invalid options", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[post("/imports/{id}/run")]
pub async fn run_import(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: ApiJson<RunImportRequest>,
) -> Result<HttpResponse, ApiError> {
    let record = visible_import(&state, &caller, id.into_inner()).await?;
    let settings = body.value;
    if state_of(&record)? != ImportState::Uploaded {
        return Err(ApiError::ImportStarted);
    }
    check_mapping(&settings.mapping, record.reading.header.len())?;
    check_owner(&state, &caller, &settings).await?;
    let run_settings = serde_json::to_string(&settings).map_err(ApiError::internal)?;
    state
        .store
        .start_import(record.id, &run_settings, AppState::now())
        .await
        .map_err(started)?;
    state.work.wake();
    let record = visible_import(&state, &caller, record.id).await?;
    Ok(HttpResponse::build(StatusCode::ACCEPTED)
        .insert_header((header::LOCATION, format!("/api/v1/imports/{}", record.id)))
        .json(details(&state, &caller, &record).await?))
}

/// Who owns the new cases: an agent's are their own; a chosen person must
/// be an active person; a column must be mapped.
async fn check_owner(state: &AppState, caller: &Caller, settings: &RunImportRequest) -> Result<(), ApiError> {
    if !caller.actor().role.sees_every_case()
        && (settings.owner != ImportOwner::Unassigned || settings.owner_id.is_some())
    {
        return Err(Violations::single("owner", ViolationCode::OwnerMustBeSelf).into());
    }
    match (settings.owner, settings.owner_id) {
        (ImportOwner::User, None) => Err(Violations::single("owner_id", ViolationCode::Required).into()),
        (ImportOwner::User, Some(owner)) => {
            let assignable = state
                .store
                .user(owner)
                .await?
                .is_some_and(|user| user.active && user.kind == lejek_store::UserKind::Person);
            if assignable {
                Ok(())
            } else {
                Err(Violations::single("owner_id", ViolationCode::UnknownReference).into())
            }
        }
        (_, Some(_)) => Err(Violations::single("owner_id", ViolationCode::InvalidValue).into()),
        (ImportOwner::Column, None) if !settings.mapping.contains(&Some(ImportField::OwnerEmail)) => {
            Err(Violations::single("mapping", ViolationCode::ColumnRequired).into())
        }
        _ => Ok(()),
    }
}

/// The language of a report: `lang=pl` or `lang=en` (the default).
fn report_language(request: &HttpRequest) -> Result<Language, ApiError> {
    let mut language = Language::En;
    for (key, value) in form_urlencoded::parse(request.query_string().as_bytes()) {
        match (key.as_ref(), value.as_ref()) {
            ("lang", "pl") => language = Language::Pl,
            ("lang", "en") => language = Language::En,
            ("lang", _) => {
                return Err(ApiError::bad_parameter(
                    "lang",
                    ViolationCode::InvalidValue,
                    "Use pl or en.",
                ));
            }
            (other, _) => {
                return Err(ApiError::bad_parameter(
                    other,
                    ViolationCode::UnknownParameter,
                    "Unknown parameter.",
                ));
            }
        }
    }
    Ok(language)
}

/// The refused rows as a CSV file to fix and import again: the row's
/// number, what is wrong (columns, codes and messages), then the row's own
/// cells under the file's own header.
#[utoipa::path(
    tag = "imports",
    params(
        ("id" = i64, Path, description = "Import id"),
        ("lang" = Option<String>, Query, description = "The language of the report's headers and messages: `pl` or `en` (default)", pattern = "^(pl|en)$"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "UTF-8 CSV with a BOM, `;`-separated", body = String, content_type = "text/csv"),
        (status = 400, description = "A bad parameter", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such import, or not yours", body = Problem, content_type = "application/problem+json"),
        LoginRequired,
    )
)]
#[get("/imports/{id}/refusals")]
pub async fn refusals(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let language = report_language(&request)?;
    let record = visible_import(&state, &caller, id.into_inner()).await?;
    let report = crate::imports::report::refusals_csv(state.store.clone(), record.clone(), language);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"import-{}-refused.csv\"", record.id),
        ))
        .streaming(report))
}
