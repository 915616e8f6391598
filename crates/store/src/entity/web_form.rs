use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "web_forms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub public_key: String,
    pub name: String,
    /// JSON array of origins.
    pub origins: String,
    pub source: i16,
    pub qualifier_id: Option<i64>,
    pub assignment: String,
    /// JSON array of user ids.
    pub agents: String,
    /// JSON array of field codes.
    pub fields: String,
    pub close_in_days: i32,
    pub active: bool,
    /// Round-robin turns taken so far.
    pub turns: i64,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
