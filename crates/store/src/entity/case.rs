use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub number: i64,
    pub campaign_id: i64,
    pub subject: String,
    pub source: i16,
    pub status: i16,
    pub stage: Option<i16>,
    pub qualifier_id: Option<i64>,
    pub contact_id: i64,
    pub owner_id: Option<i64>,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub expected_close_date: Date,
    pub follow_up_at: Option<DateTimeUtc>,
    pub resignation_reason: Option<String>,
    pub value_minor: Option<i64>,
    pub currency: String,
    pub closed_at: Option<DateTimeUtc>,
    pub version: i64,
    pub updated_at: DateTimeUtc,
    pub contact_name: String,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub owner_name: Option<String>,
    pub contact_search: String,
    pub company_search: Option<String>,
    pub phone_digits: Option<String>,
    pub subject_search: String,
    /// The highest funnel step the case has ever been in (1–7).
    pub deepest_step: i16,
    pub last_event_at: Option<DateTimeUtc>,
    /// Another system's id for the case (imports, integrations), unique.
    pub external_id: Option<String>,
    /// The import that created the case.
    pub import_id: Option<i64>,
    /// The web form that created the case.
    pub web_form_id: Option<i64>,
    /// The e-mail that created the case.
    pub inbound_mail_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
