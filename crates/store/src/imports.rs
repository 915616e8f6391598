//! File imports: the uploaded file, how it is read, and each batch of its
//! rows committed with the job's progress in one transaction.

use chrono::{DateTime, Duration, Utc};
use lejek_domain::{ListScope, NewCase, UserId, ViolationCode};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use crate::cases::{CaseOrigin, insert_cases};
use crate::connect::Store;
use crate::entity::{case, import, import_file, import_refusal, user};
use crate::error::{StoreError, StoreResult};
use crate::jobs::{self, JobLease};

/// The job kind that runs imports.
pub const IMPORT_JOB: &str = "import";

const UPLOADED: &str = "uploaded";
const QUEUED: &str = "queued";
const RUNNING: &str = "running";
const DONE: &str = "done";
const FAILED: &str = "failed";

/// An uploaded file and how it was read.
#[derive(Debug, Clone)]
pub struct NewImport<'a> {
    pub created_by: UserId,
    pub file_name: Option<String>,
    /// `csv` or `xlsx`.
    pub format: &'static str,
    pub content_hash: String,
    pub content: &'a [u8],
    pub reading: ImportReading,
}

/// How a file is read, as detected or chosen, and what that gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReading {
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub sheet: Option<String>,
    pub sheets: Vec<String>,
    pub header: Vec<String>,
    pub total_rows: u64,
}

/// An import as stored.
#[derive(Debug, Clone)]
pub struct ImportRecord {
    pub id: i64,
    pub created_by: UserId,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub file_name: Option<String>,
    pub format: String,
    pub content_hash: String,
    pub byte_size: u64,
    pub reading: ImportReading,
    pub state: String,
    /// The run's options as the caller gave them (JSON).
    pub run_settings: Option<String>,
    pub rows_done: u64,
    /// The number of the last row a committed batch handled: a resumed
    /// import goes on after it.
    pub last_row: u64,
    pub created: u64,
    pub contacts_reused: u64,
    pub refused: u64,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub failure: Option<String>,
}

/// What is wrong with a refused row: the field, and its column when one
/// holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub column: Option<u32>,
    pub field: String,
    pub code: ViolationCode,
}

/// One row of a batch: a case to create, or a row already refused.
#[derive(Debug, Clone)]
pub enum BatchRow {
    Case {
        row: u64,
        cells: Vec<String>,
        new: Box<NewCase>,
    },
    Refused {
        row: u64,
        cells: Vec<String>,
        errors: Vec<RowError>,
    },
}

/// Rows to commit together, with what they tell about the file.
pub struct ImportBatch<'a> {
    pub import_id: i64,
    pub rows: Vec<BatchRow>,
    /// The number of the last row this batch handled (blank rows included).
    pub last_row: u64,
    pub actor: UserId,
    pub match_phone: bool,
    /// The column holding a field named by a rule (`contact.email`).
    pub column_of: &'a (dyn Fn(&str) -> Option<u32> + Sync),
}

/// What one committed batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    pub created: u64,
    pub contacts_reused: u64,
    pub refused: u64,
}

/// A refused row, for the report.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub id: i64,
    pub row: u64,
    pub cells: Vec<String>,
    pub errors: Vec<RowError>,
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("plain data serialises")
}

fn from_json<T: for<'de> Deserialize<'de>>(text: &str, what: &'static str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|_| StoreError::Corrupt(what))
}

fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or_default()
}

fn stored(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl ImportRecord {
    fn of(model: import::Model, created_by_name: String) -> StoreResult<ImportRecord> {
        Ok(ImportRecord {
            id: model.id,
            created_by: UserId(model.created_by),
            created_by_name,
            created_at: model.created_at,
            file_name: model.file_name,
            format: model.format,
            content_hash: model.content_hash,
            byte_size: count(model.byte_size),
            reading: ImportReading {
                encoding: model.encoding,
                delimiter: model.delimiter,
                sheet: model.sheet,
                sheets: from_json(&model.sheets, "import sheets")?,
                header: from_json(&model.header, "import header")?,
                total_rows: count(model.total_rows),
            },
            state: model.state,
            run_settings: model.run_settings,
            rows_done: count(model.rows_done),
            last_row: count(model.last_row),
            created: count(model.created_count),
            contacts_reused: count(model.contacts_reused),
            refused: count(model.refused_count),
            started_at: model.started_at,
            finished_at: model.finished_at,
            failure: model.failure,
        })
    }
}

impl Store {
    /// Stores an uploaded file, not yet run.
    pub async fn create_import(&self, new: NewImport<'_>, now: DateTime<Utc>) -> StoreResult<ImportRecord> {
        let transaction = self.begin_write().await?;
        let model = import::ActiveModel {
            created_by: Set(new.created_by.0),
            created_at: Set(now),
            file_name: Set(new.file_name),
            format: Set(new.format.to_owned()),
            content_hash: Set(new.content_hash),
            byte_size: Set(stored(new.content.len() as u64)),
            encoding: Set(new.reading.encoding),
            delimiter: Set(new.reading.delimiter),
            sheet: Set(new.reading.sheet),
            sheets: Set(to_json(&new.reading.sheets)),
            header: Set(to_json(&new.reading.header)),
            total_rows: Set(stored(new.reading.total_rows)),
            state: Set(UPLOADED.to_owned()),
            ..Default::default()
        }
        .insert(&*transaction)
        .await?;
        import_file::ActiveModel {
            import_id: Set(model.id),
            content: Set(new.content.to_vec()),
        }
        .insert(&*transaction)
        .await?;
        transaction.commit().await?;
        self.import(model.id, ListScope::Everything)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The import, if `scope` may see it (an agent: their own).
    pub async fn import(&self, id: i64, scope: ListScope) -> StoreResult<Option<ImportRecord>> {
        let mut query = import::Entity::find_by_id(id);
        if let ListScope::OwnedBy(user) = scope {
            query = query.filter(import::Column::CreatedBy.eq(user.0));
        }
        let Some(model) = query.one(self.connection()).await? else {
            return Ok(None);
        };
        let name = user::Entity::find_by_id(model.created_by)
            .one(self.connection())
            .await?
            .map(|user| user.name)
            .ok_or(StoreError::Corrupt("import creator"))?;
        ImportRecord::of(model, name).map(Some)
    }

    /// The newest imports `scope` may see.
    pub async fn imports(&self, scope: ListScope, limit: u64) -> StoreResult<Vec<ImportRecord>> {
        let mut query = import::Entity::find()
            .order_by_desc(import::Column::Id)
            .limit(limit);
        if let ListScope::OwnedBy(user) = scope {
            query = query.filter(import::Column::CreatedBy.eq(user.0));
        }
        let mut records = Vec::new();
        for model in query.all(self.connection()).await? {
            let name = user::Entity::find_by_id(model.created_by)
                .one(self.connection())
                .await?
                .map(|user| user.name)
                .ok_or(StoreError::Corrupt("import creator"))?;
            records.push(ImportRecord::of(model, name)?);
        }
        Ok(records)
    }

    /// Earlier imports of a file with this content that `scope` may see.
    pub async fn imports_of_content(
        &self,
        content_hash: &str,
        before: i64,
        scope: ListScope,
    ) -> StoreResult<Vec<i64>> {
        let mut query = import::Entity::find()
            .select_only()
            .column(import::Column::Id)
            .filter(import::Column::ContentHash.eq(content_hash))
            .filter(import::Column::Id.lt(before))
            .order_by_asc(import::Column::Id);
        if let ListScope::OwnedBy(user) = scope {
            query = query.filter(import::Column::CreatedBy.eq(user.0));
        }
        Ok(query.into_tuple::<i64>().all(self.connection()).await?)
    }

    /// The uploaded file's bytes.
    pub async fn import_content(&self, id: i64) -> StoreResult<Vec<u8>> {
        import_file::Entity::find_by_id(id)
            .one(self.connection())
            .await?
            .map(|file| file.content)
            .ok_or(StoreError::NotFound)
    }

    /// Reads the file differently (another encoding, delimiter or sheet),
    /// while it has not been run.
    pub async fn set_import_reading(&self, id: i64, reading: &ImportReading) -> StoreResult<()> {
        let transaction = self.begin_write().await?;
        let updated = import::Entity::update_many()
            .col_expr(import::Column::Encoding, Expr::value(reading.encoding.clone()))
            .col_expr(import::Column::Delimiter, Expr::value(reading.delimiter.clone()))
            .col_expr(import::Column::Sheet, Expr::value(reading.sheet.clone()))
            .col_expr(import::Column::Sheets, Expr::value(to_json(&reading.sheets)))
            .col_expr(import::Column::Header, Expr::value(to_json(&reading.header)))
            .col_expr(import::Column::TotalRows, Expr::value(stored(reading.total_rows)))
            .filter(import::Column::Id.eq(id))
            .filter(import::Column::State.eq(UPLOADED))
            .exec(&*transaction)
            .await?
            .rows_affected;
        transaction.commit().await?;
        if updated == 1 {
            Ok(())
        } else {
            Err(StoreError::Conflict("import already started"))
        }
    }

    /// Queues the import's job with the options it runs with; once only.
    pub async fn start_import(&self, id: i64, run_settings: &str, now: DateTime<Utc>) -> StoreResult<()> {
        let transaction = self.begin_write().await?;
        let job_id = jobs::enqueue(&transaction, IMPORT_JOB, now).await?;
        let updated = import::Entity::update_many()
            .col_expr(import::Column::State, Expr::value(QUEUED))
            .col_expr(import::Column::RunSettings, Expr::value(run_settings))
            .col_expr(import::Column::JobId, Expr::value(job_id))
            .col_expr(import::Column::StartedAt, Expr::value(now))
            .filter(import::Column::Id.eq(id))
            .filter(import::Column::State.eq(UPLOADED))
            .exec(&*transaction)
            .await?
            .rows_affected;
        if updated != 1 {
            return Err(StoreError::Conflict("import already started"));
        }
        transaction.commit().await?;
        Ok(())
    }

    /// The import a claimed job runs.
    pub async fn import_of_job(&self, job_id: i64) -> StoreResult<ImportRecord> {
        let id = import::Entity::find()
            .select_only()
            .column(import::Column::Id)
            .filter(import::Column::JobId.eq(job_id))
            .into_tuple::<i64>()
            .one(self.connection())
            .await?
            .ok_or(StoreError::NotFound)?;
        self.import(id, ListScope::Everything)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Of these external ids, the ones a case has already.
    pub async fn external_ids_taken(&self, ids: &[&str]) -> StoreResult<Vec<String>> {
        let mut taken = Vec::new();
        for chunk in ids.chunks(500) {
            let found: Vec<Option<String>> = case::Entity::find()
                .select_only()
                .column(case::Column::ExternalId)
                .filter(case::Column::ExternalId.is_in(chunk.iter().copied()))
                .into_tuple()
                .all(self.connection())
                .await?;
            taken.extend(found.into_iter().flatten());
        }
        Ok(taken)
    }

    /// Commits one batch: its cases (with contacts, history, stays and
    /// tallies), its refused rows and the import's progress, while `lease`
    /// still holds the job (else nothing, [`StoreError::LeaseLost`]). A row
    /// the store's own checks refuse (an external id taken meanwhile) is
    /// reported with the others.
    pub async fn commit_import_batch(
        &self,
        batch: ImportBatch<'_>,
        lease: &JobLease,
        lease_for: Duration,
        now: DateTime<Utc>,
    ) -> StoreResult<BatchOutcome> {
        let transaction = self.begin_write().await?;
        jobs::hold(&transaction, lease, now + lease_for).await?;
        let origin = CaseOrigin {
            import_id: Some(batch.import_id),
            match_phone: batch.match_phone,
            ..CaseOrigin::default()
        };
        let mut outcome = BatchOutcome::default();
        let mut refusals = Vec::new();
        let mut cases = Vec::new();
        for row in batch.rows {
            match row {
                BatchRow::Case { row, cells, new } => cases.push((row, cells, new)),
                BatchRow::Refused { row, cells, errors } => refusals.push((row, cells, errors)),
            }
        }
        let news: Vec<&NewCase> = cases.iter().map(|(_, _, new)| new.as_ref()).collect();
        let inserted = insert_cases(&transaction, self.backend(), &news, batch.actor, now, origin).await?;
        for ((row, cells, _), result) in cases.into_iter().zip(inserted) {
            match result {
                Ok(inserted) => {
                    outcome.created += 1;
                    outcome.contacts_reused += u64::from(inserted.contact_reused);
                }
                Err(violations) => {
                    let errors = violations
                        .0
                        .iter()
                        .map(|violation| RowError {
                            column: (batch.column_of)(&violation.field),
                            field: violation.field.to_string(),
                            code: violation.code,
                        })
                        .collect();
                    refusals.push((row, cells, errors));
                }
            }
        }
        refusals.sort_by_key(|(row, _, _)| *row);
        outcome.refused = refusals.len() as u64;
        if !refusals.is_empty() {
            import_refusal::Entity::insert_many(refusals.into_iter().map(|(row, cells, errors)| {
                import_refusal::ActiveModel {
                    import_id: Set(batch.import_id),
                    row_number: Set(stored(row)),
                    errors: Set(to_json(&errors)),
                    cells: Set(to_json(&cells)),
                    ..Default::default()
                }
            }))
            .exec(&*transaction)
            .await?;
        }
        let handled = outcome.created + outcome.refused;
        let progress = Query::update()
            .table(import::Entity)
            .value(import::Column::State, RUNNING)
            .value(import::Column::LastRow, stored(batch.last_row))
            .value(
                import::Column::RowsDone,
                Expr::col(import::Column::RowsDone).add(stored(handled)),
            )
            .value(
                import::Column::CreatedCount,
                Expr::col(import::Column::CreatedCount).add(stored(outcome.created)),
            )
            .value(
                import::Column::ContactsReused,
                Expr::col(import::Column::ContactsReused).add(stored(outcome.contacts_reused)),
            )
            .value(
                import::Column::RefusedCount,
                Expr::col(import::Column::RefusedCount).add(stored(outcome.refused)),
            )
            .and_where(Expr::col(import::Column::Id).eq(batch.import_id))
            .to_owned();
        transaction.execute(&progress).await?;
        transaction.commit().await?;
        Ok(outcome)
    }

    /// Ends the import and its job together: done, or failed with why.
    pub async fn finish_import(
        &self,
        import_id: i64,
        lease: &JobLease,
        outcome: Result<(), &str>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let transaction = self.begin_write().await?;
        jobs::finish(&transaction, lease, outcome, now).await?;
        let (state, failure) = match outcome {
            Ok(()) => (DONE, None),
            Err(why) => (FAILED, Some(why.to_owned())),
        };
        import::Entity::update_many()
            .col_expr(import::Column::State, Expr::value(state))
            .col_expr(import::Column::Failure, Expr::value(failure))
            .col_expr(import::Column::FinishedAt, Expr::value(now))
            .filter(import::Column::Id.eq(import_id))
            .exec(&*transaction)
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Refused rows in row order after `after` (a refusal id), `limit` at most.
    pub async fn import_refusals(&self, import_id: i64, after: i64, limit: u64) -> StoreResult<Vec<Refusal>> {
        import_refusal::Entity::find()
            .filter(import_refusal::Column::ImportId.eq(import_id))
            .filter(import_refusal::Column::Id.gt(after))
            .order_by_asc(import_refusal::Column::Id)
            .limit(limit)
            .all(self.connection())
            .await?
            .into_iter()
            .map(|model| {
                Ok(Refusal {
                    id: model.id,
                    row: count(model.row_number),
                    cells: from_json(&model.cells, "refused cells")?,
                    errors: from_json(&model.errors, "refusal errors")?,
                })
            })
            .collect()
    }
}
