use sea_orm::entity::prelude::*;

/// An admin's chance for one open step of the funnel (1–6), in ten-thousandths.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "forecast_probabilities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub step: i16,
    pub ten_thousandths: i32,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
