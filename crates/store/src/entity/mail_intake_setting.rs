use sea_orm::entity::prelude::*;

/// One row (id 1): e-mail intake's settings.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_intake_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i64,
    pub active: bool,
    pub qualifier_id: Option<i64>,
    pub assignment: String,
    /// JSON array of user ids.
    pub agents: String,
    pub close_in_days: i32,
    /// Round-robin turns taken so far.
    pub turns: i64,
    pub updated_by: Option<i64>,
    pub updated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
