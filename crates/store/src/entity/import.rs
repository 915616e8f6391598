use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub file_name: Option<String>,
    pub format: String,
    pub content_hash: String,
    pub byte_size: i64,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub sheet: Option<String>,
    /// Every sheet's name (XLSX), a JSON array.
    pub sheets: String,
    /// The header row's cells, a JSON array.
    pub header: String,
    pub total_rows: i64,
    pub state: String,
    /// The mapping and options of the run, as JSON.
    pub run_settings: Option<String>,
    pub job_id: Option<i64>,
    pub rows_done: i64,
    /// The line number of the last row a committed batch handled.
    pub last_row: i64,
    pub created_count: i64,
    pub contacts_reused: i64,
    pub refused_count: i64,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub failure: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
