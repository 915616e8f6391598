use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "inbound_mails")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Without angle brackets; unique.
    pub message_id: String,
    pub channel: String,
    pub received_at: DateTimeUtc,
    /// The From address, lower-cased.
    pub sender: Option<String>,
    pub subject: String,
    pub outcome: String,
    /// Why it was skipped (the kind of machine mail).
    pub detail: Option<String>,
    /// The case it created or was filed on as a note.
    pub case_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
