use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "import_refusals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub import_id: i64,
    pub row_number: i64,
    /// `[{"column": 2, "field": "email", "code": "invalid_email"}, …]`
    pub errors: String,
    /// The row's cells as read, a JSON array of strings.
    pub cells: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
