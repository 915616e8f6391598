//! Contacts (leads). An agent sees the contacts of their cases and the ones
//! they created themselves.

use chrono::{DateTime, Utc};
use lejek_domain::dto::ContactDto;
use lejek_domain::{ContactChanges, ContactId, ListScope, NewContact, Phone, UserId, digits_of};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, Set};

use crate::connect::Store;
use crate::entity::{case, contact};
use crate::error::{StoreError, StoreResult};
use crate::search::{like_pattern, search_key};
use crate::sql::SqlBuilder;

/// One page of contacts and the key after its last row, if more follow.
#[derive(Debug, Clone)]
pub struct ContactPage {
    pub contacts: Vec<ContactDto>,
    pub next_after: Option<(String, i64)>,
}

fn dto(model: contact::Model) -> ContactDto {
    ContactDto {
        id: ContactId(model.id),
        name: model.name,
        company: model.company,
        email: model.email,
        phone: model.phone,
        created_at: model.created_at,
    }
}

/// A new contact's row, with its search keys (standalone or inline in a
/// new case).
pub(crate) fn new_contact_row(new: &NewContact, creator: UserId, now: DateTime<Utc>) -> contact::ActiveModel {
    contact::ActiveModel {
        name: Set(new.name.as_str().to_owned()),
        company: Set(new.company.as_ref().map(|c| c.as_str().to_owned())),
        email: Set(new.email.as_ref().map(|e| e.as_str().to_owned())),
        phone: Set(new.phone.as_ref().map(|p| p.as_str().to_owned())),
        phone_digits: Set(new.phone.as_ref().map(Phone::digits)),
        name_search: Set(search_key(new.name.as_str())),
        company_search: Set(new.company.as_ref().map(|c| search_key(c.as_str()))),
        created_by: Set(Some(creator.0)),
        created_at: Set(now),
        ..Default::default()
    }
}

fn push_visible(sql: &mut SqlBuilder, scope: ListScope) {
    if let ListScope::OwnedBy(user) = scope {
        sql.push(" AND (ct.created_by = ").bind(user.0);
        sql.push(" OR EXISTS (SELECT 1 FROM cases c WHERE c.contact_id = ct.id AND c.owner_id = ")
            .bind(user.0);
        sql.push("))");
    }
}

impl Store {
    /// Contacts by name, optionally matching `q` in name, company, e-mail
    /// or phone.
    pub async fn list_contacts(
        &self,
        scope: ListScope,
        q: Option<&str>,
        limit: u16,
        after: Option<(String, i64)>,
    ) -> StoreResult<ContactPage> {
        let mut sql = SqlBuilder::new(self.backend());
        sql.push(
            "SELECT ct.id, ct.name, ct.company, ct.email, ct.phone, ct.phone_digits, ct.name_search, \
             ct.company_search, ct.created_by, ct.created_at FROM contacts ct WHERE 1 = 1",
        );
        push_visible(&mut sql, scope);
        if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
            let pattern = like_pattern(q);
            sql.push(" AND (ct.name_search LIKE ")
                .bind(pattern.clone())
                .push(" ESCAPE '\\'");
            sql.push(" OR ct.company_search LIKE ")
                .bind(pattern.clone())
                .push(" ESCAPE '\\'");
            sql.push(" OR ct.email LIKE ").bind(pattern).push(" ESCAPE '\\'");
            let digits = digits_of(q);
            if digits.len() >= 3 {
                sql.push(" OR ct.phone_digits LIKE ").bind(format!("%{digits}%"));
            }
            sql.push(")");
        }
        if let Some((name, id)) = after {
            sql.push(" AND (ct.name_search, ct.id) > (")
                .bind(name)
                .push(", ")
                .bind(id)
                .push(")");
        }
        sql.push(" ORDER BY ct.name_search, ct.id LIMIT ")
            .push(&(u32::from(limit) + 1).to_string());
        let mut rows = contact::Model::find_by_statement(sql.build())
            .all(self.connection())
            .await?;
        let has_more = rows.len() > usize::from(limit);
        rows.truncate(usize::from(limit));
        let next_after = rows
            .last()
            .filter(|_| has_more)
            .map(|last| (last.name_search.clone(), last.id));
        Ok(ContactPage {
            contacts: rows.into_iter().map(dto).collect(),
            next_after,
        })
    }

    /// The contact, if it exists and the scope may see it.
    pub async fn contact(&self, scope: ListScope, id: ContactId) -> StoreResult<Option<ContactDto>> {
        let mut sql = SqlBuilder::new(self.backend());
        sql.push(
            "SELECT ct.id, ct.name, ct.company, ct.email, ct.phone, ct.phone_digits, ct.name_search, \
             ct.created_by, ct.created_at FROM contacts ct WHERE ct.id = ",
        )
        .bind(id.0);
        push_visible(&mut sql, scope);
        Ok(contact::Model::find_by_statement(sql.build())
            .one(self.connection())
            .await?
            .map(dto))
    }

    pub async fn create_contact(
        &self,
        new: &NewContact,
        creator: UserId,
        now: DateTime<Utc>,
    ) -> StoreResult<ContactDto> {
        let model = new_contact_row(new, creator, now)
            .insert(self.connection())
            .await?;
        Ok(dto(model))
    }

    /// Changes a contact and the copies of its fields on its cases' rows.
    pub async fn update_contact(&self, id: ContactId, changes: ContactChanges) -> StoreResult<ContactDto> {
        let transaction = self.begin_write().await?;
        let model = contact::Entity::find_by_id(id.0)
            .one(&transaction)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut active: contact::ActiveModel = model.into();
        if let Some(name) = &changes.name {
            active.name = Set(name.as_str().to_owned());
            active.name_search = Set(search_key(name.as_str()));
        }
        if !changes.company.is_keep() {
            let company = changes.company.map(|c| c.as_str().to_owned()).apply(None);
            active.company_search = Set(company.as_deref().map(search_key));
            active.company = Set(company);
        }
        if !changes.email.is_keep() {
            active.email = Set(changes.email.map(|e| e.as_str().to_owned()).apply(None));
        }
        if !changes.phone.is_keep() {
            let phone = changes.phone.apply(None);
            active.phone_digits = Set(phone.as_ref().map(Phone::digits));
            active.phone = Set(phone.map(|p| p.as_str().to_owned()));
        }
        let model = active.update(&transaction).await?;
        case::Entity::update_many()
            .col_expr(case::Column::ContactName, Expr::value(model.name.clone()))
            .col_expr(
                case::Column::ContactSearch,
                Expr::value(model.name_search.clone()),
            )
            .col_expr(case::Column::Company, Expr::value(model.company.clone()))
            .col_expr(
                case::Column::CompanySearch,
                Expr::value(model.company.as_deref().map(search_key)),
            )
            .col_expr(case::Column::Email, Expr::value(model.email.clone()))
            .col_expr(case::Column::Phone, Expr::value(model.phone.clone()))
            .col_expr(case::Column::PhoneDigits, Expr::value(model.phone_digits.clone()))
            .filter(case::Column::ContactId.eq(model.id))
            .exec(&transaction)
            .await?;
        transaction.commit().await?;
        Ok(dto(model))
    }
}
