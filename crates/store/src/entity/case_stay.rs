use sea_orm::entity::prelude::*;

/// A stay of a case in an open status (`stage` NULL) or in a stage:
/// `[entered_at, left_at)`, `seconds` long once it has ended.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "case_stays")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub campaign_id: i64,
    pub owner_id: Option<i64>,
    pub status: i16,
    pub stage: Option<i16>,
    pub entered_at: DateTimeUtc,
    pub left_at: Option<DateTimeUtc>,
    pub seconds: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
