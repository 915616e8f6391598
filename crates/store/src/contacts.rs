//! Contacts (leads). An agent sees the contacts of their cases and the ones
//! they created themselves.

use chrono::{DateTime, Utc};
use lejek_domain::dto::ContactDto;
use std::collections::HashMap;

use lejek_domain::{ContactChanges, ContactId, ListScope, NewContact, Phone, UserId, digits_of};
use sea_orm::sea_query::{
    Alias, Asterisk, CommonTableExpression, Condition, Expr, ExprTrait, Func, LikeExpr, Order, Query,
    SelectStatement, UnionType, WithClause,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, Iterable, QueryFilter, Set,
    Statement,
};

use crate::cases::{
    BOUNDED_CANDIDATES, ForcedPlan, Indexed, Sampled, candidate_count, candidate_read, contact_candidates,
    every_row,
};
use crate::connect::{Backend, Store};
use crate::entity::{case, contact};
use crate::error::{StoreError, StoreResult};
use crate::search::{like_pattern, search_key};

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

/// The alias contact queries give the `contacts` row.
const CT: &str = "ct";

fn ct(column: contact::Column) -> Expr {
    Expr::col((CT, column))
}

/// The contacts `scope` may see: an agent's are the ones they created and
/// those of their cases.
fn visible(scope: ListScope) -> Condition {
    match scope {
        ListScope::Everything => Condition::all(),
        ListScope::OwnedBy(user) => Condition::any()
            .add(ct(contact::Column::CreatedBy).eq(user.0))
            .add(Expr::exists(
                Query::select()
                    .expr(Expr::val(1))
                    .from_as(case::Entity, C)
                    .and_where(Expr::col((C, case::Column::ContactId)).equals((CT, contact::Column::Id)))
                    .and_where(Expr::col((C, case::Column::OwnerId)).eq(user.0))
                    .to_owned(),
            )),
    }
}

/// The contact columns a look-up searches, with their trigram indexes.
const SEARCHED: [(contact::Column, Indexed); 4] = [
    (contact::Column::NameSearch, Indexed::ContactName),
    (contact::Column::CompanySearch, Indexed::ContactCompany),
    (contact::Column::Email, Indexed::ContactEmail),
    (contact::Column::PhoneDigits, Indexed::ContactPhone),
];

/// `q` in the name, company or e-mail, or its digits (three or more) in
/// the phone, on the columns `column` gives for the contact's.
fn text_condition(q: &str, column: impl Fn(contact::Column) -> Expr) -> Condition {
    let digits = digits_of(q);
    let mut any = Condition::any();
    for (searched, indexed) in SEARCHED {
        if indexed == Indexed::ContactPhone {
            if digits.len() >= 3 {
                any = any.add(column(searched).like(LikeExpr::new(format!("%{digits}%")).escape('\\')));
            }
        } else {
            any = any.add(column(searched).like(LikeExpr::new(like_pattern(q)).escape('\\')));
        }
    }
    any
}

/// The case column that holds a copy of the contact's `column`.
fn case_copy(column: contact::Column) -> case::Column {
    match column {
        contact::Column::NameSearch => case::Column::ContactSearch,
        contact::Column::CompanySearch => case::Column::CompanySearch,
        contact::Column::PhoneDigits => case::Column::PhoneDigits,
        _ => case::Column::Email,
    }
}

/// The alias contact queries give a `cases` row.
const C: &str = "c";

/// The rows after `after` in name order, given a row's name and id.
fn after_name(name: Expr, id: Expr, (after_name, after_id): &(String, i64)) -> Expr {
    Expr::tuple([name, id]).gt(Expr::tuple([Expr::val(after_name.clone()), Expr::val(*after_id)]))
}

/// Each trigram-indexed column `q` is looked for in, with `q` in that
/// column's stored form (the phone only for three digits or more).
fn searched_needles(q: &str) -> Vec<(Indexed, String)> {
    let digits = digits_of(q);
    SEARCHED
        .iter()
        .filter_map(|(_, indexed)| match indexed {
            Indexed::ContactPhone => (digits.len() >= 3).then(|| (*indexed, digits.clone())),
            _ => Some((*indexed, search_key(q))),
        })
        .collect()
}

/// The trigram candidates of `q` as a condition on `ct`; `None` when it is
/// too short to narrow.
fn candidates(backend: Backend, q: &str) -> Option<Condition> {
    let mut any = Condition::any();
    for (indexed, stored) in searched_needles(q) {
        any = any.add(contact_candidates(backend, indexed, &stored)?);
    }
    Some(any)
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
        let fetch = u64::from(limit) + 1;
        let q = q.map(str::trim).filter(|q| !q.is_empty());
        let ids_query = match (scope, q) {
            // An agent's contacts matching `q` are found from their own
            // cases, which copy the contact's searched columns: the index
            // by owner and name reads only theirs, in name order.
            (ListScope::OwnedBy(user), Some(q)) => self.own_contacts_query(user, q, after.as_ref(), fetch),
            _ => self.contacts_query(scope, q, after, fetch).await,
        };
        tracing::debug!(sql = %ids_query, "contacts");
        let ids = self.ids(ids_query).await?;
        let has_more = ids.len() > usize::from(limit);
        let ids = &ids[..ids.len().min(usize::from(limit))];
        let mut by_id: HashMap<i64, contact::Model> = contact::Entity::find()
            .filter(contact::Column::Id.is_in(ids.iter().copied()))
            .all(self.connection())
            .await?
            .into_iter()
            .map(|model| (model.id, model))
            .collect();
        let rows: Vec<contact::Model> = ids.iter().filter_map(|id| by_id.remove(id)).collect();
        let next_after = rows
            .last()
            .filter(|_| has_more)
            .map(|last| (last.name_search.clone(), last.id));
        Ok(ContactPage {
            contacts: rows.into_iter().map(dto).collect(),
            next_after,
        })
    }

    /// The ids of a page of the contacts `scope` sees, in name order,
    /// matching `q`: through the trigram candidates when they are few, else
    /// by walking the names.
    async fn contacts_query(
        &self,
        scope: ListScope,
        q: Option<&str>,
        after: Option<(String, i64)>,
        fetch: u64,
    ) -> Statement {
        let mut condition = Condition::all().add(visible(scope));
        if let Some(q) = q {
            condition = condition.add(text_condition(q, ct));
        }
        // A rare `q` is found through the trigram indexes; a common one by
        // reading names in order until the page is full.
        let trigrams = q.and_then(|q| Some((q, candidates(self.backend(), q)?)));
        let narrowed = match (trigrams, self.forced_plan()) {
            (Some((_, narrowed)), Some(ForcedPlan::FilterFirstFromTrigrams)) => Some(narrowed),
            (Some(_), Some(_)) => None,
            (Some((q, narrowed)), None)
                if self
                    .candidates_beat_walk(q, &condition, after.as_ref(), fetch)
                    .await =>
            {
                Some(narrowed)
            }
            _ => None,
        };
        if let Some(after) = &after {
            condition = condition.add(after_name(
                ct(contact::Column::NameSearch),
                ct(contact::Column::Id),
                after,
            ));
        }
        let backend = self.connection().get_database_backend();
        match narrowed {
            None => backend.build(
                Query::select()
                    .column((CT, contact::Column::Id))
                    .from_as(contact::Entity, CT)
                    .cond_where(condition)
                    .order_by((CT, contact::Column::NameSearch), Order::Asc)
                    .order_by((CT, contact::Column::Id), Order::Asc)
                    .limit(fetch),
            ),
            Some(narrowed) => {
                const MATCHES: &str = "m";
                let matches = Query::select()
                    .column((CT, contact::Column::Id))
                    .column((CT, contact::Column::NameSearch))
                    .from_as(contact::Entity, CT)
                    .cond_where(condition.add(narrowed))
                    .to_owned();
                let cte = CommonTableExpression::new()
                    .query(matches)
                    .table_name(Alias::new(MATCHES))
                    .materialized(true)
                    .to_owned();
                backend.build(
                    &Query::select()
                        .column((MATCHES, contact::Column::Id))
                        .from(Alias::new(MATCHES))
                        .order_by((MATCHES, contact::Column::NameSearch), Order::Asc)
                        .order_by((MATCHES, contact::Column::Id), Order::Asc)
                        .limit(fetch)
                        .to_owned()
                        .with(WithClause::new().cte(cte).to_owned()),
                )
            }
        }
    }

    /// The ids of a page of `user`'s contacts matching `q`, in name order:
    /// the contacts of their cases, from the copies on the case rows, and
    /// the ones they created.
    fn own_contacts_query(
        &self,
        user: UserId,
        q: &str,
        after: Option<&(String, i64)>,
        fetch: u64,
    ) -> Statement {
        const NAME: &str = "name";
        let c = |column: case::Column| Expr::col((C, column));
        let mut of_cases = Query::select();
        of_cases
            .distinct()
            .expr_as(c(case::Column::ContactId), Alias::new("id"))
            .expr_as(c(case::Column::ContactSearch), Alias::new(NAME))
            .from_as(case::Entity, C)
            // The 0 written out, as in the index's expression: a bound
            // value would not match it.
            .and_where(Func::coalesce([c(case::Column::OwnerId), Expr::Constant(0i64.into())]).eq(user.0))
            .cond_where(text_condition(q, |column| c(case_copy(column))))
            .order_by((C, case::Column::ContactSearch), Order::Asc)
            .order_by((C, case::Column::ContactId), Order::Asc)
            .limit(fetch);
        let mut created = Query::select();
        created
            .expr_as(ct(contact::Column::Id), Alias::new("id"))
            .expr_as(ct(contact::Column::NameSearch), Alias::new(NAME))
            .from_as(contact::Entity, CT)
            .and_where(ct(contact::Column::CreatedBy).eq(user.0))
            .cond_where(text_condition(q, ct))
            .order_by((CT, contact::Column::NameSearch), Order::Asc)
            .order_by((CT, contact::Column::Id), Order::Asc)
            .limit(fetch);
        if let Some(after) = after {
            of_cases.and_where(after_name(
                c(case::Column::ContactSearch),
                c(case::Column::ContactId),
                after,
            ));
            created.and_where(after_name(
                ct(contact::Column::NameSearch),
                ct(contact::Column::Id),
                after,
            ));
        }
        // Each part in its index's order up to a page; a contact of both
        // parts once.
        let part = |query: SelectStatement, alias: &str| {
            Query::select()
                .column(Asterisk)
                .from_subquery(query, Alias::new(alias))
                .to_owned()
        };
        let both = part(of_cases, "o")
            .union(UnionType::Distinct, part(created, "k"))
            .to_owned();
        const MATCHES: &str = "m";
        self.connection().get_database_backend().build(
            Query::select()
                .column((MATCHES, Alias::new("id")))
                .from_subquery(both, Alias::new(MATCHES))
                .order_by((MATCHES, Alias::new(NAME)), Order::Asc)
                .order_by((MATCHES, Alias::new("id")), Order::Asc)
                .limit(fetch),
        )
    }

    /// Whether checking the trigram candidates of `q` is cheaper than
    /// walking the names in order until `fetch` match `condition`: a
    /// candidate costs a row read, a step of the walk an entry of the name
    /// index, which carries every column the look-up tests.
    async fn candidates_beat_walk(
        &self,
        q: &str,
        condition: &Condition,
        after: Option<&(String, i64)>,
        fetch: u64,
    ) -> bool {
        let Some(walk) = self.walk_rows(condition, after, fetch).await else {
            return false;
        };
        self.candidate_rows(q).await.is_some_and(|candidates| {
            candidates * candidate_read(self.backend()) < walk.max(BOUNDED_CANDIDATES)
        })
    }

    /// The contacts that hold a trigram candidate of `q` in some searched
    /// column: counted by the trigram tables on SQLite, estimated from the
    /// sample on PostgreSQL.
    async fn candidate_rows(&self, q: &str) -> Option<f64> {
        if self.backend() == Backend::Postgres {
            // No cheap count from its GIN indexes: the sample's matches
            // (candidates are about as many).
            return self
                .sampled_rows(Sampled::Contacts, CT, text_condition(q, ct))
                .await;
        }
        let backend = self.connection().get_database_backend();
        let mut rows = 0.0;
        for (indexed, stored) in searched_needles(q) {
            let count = candidate_count(self.backend(), indexed, &stored)?;
            let row = self
                .connection()
                .query_one_raw(backend.build(&count))
                .await
                .ok()??;
            rows += row.try_get::<i64>("", "n").ok()? as f64;
        }
        Some(rows)
    }

    /// How many contacts a walk in name order after `after` reads until
    /// `fetch` match `condition`, judged by doing the same on the sample;
    /// `None` without a sample.
    async fn walk_rows(
        &self,
        condition: &Condition,
        after: Option<&(String, i64)>,
        fetch: u64,
    ) -> Option<f64> {
        let stride = self.sample_stride(Sampled::Contacts)?;
        let backend = self.connection().get_database_backend();
        let sample = Alias::new(Sampled::Contacts.table());
        let position = || Expr::tuple([ct(contact::Column::NameSearch), ct(contact::Column::Id)]);
        let mut domain = Condition::all();
        if let Some(after) = after {
            domain = domain.add(after_name(
                ct(contact::Column::NameSearch),
                ct(contact::Column::Id),
                after,
            ));
        }
        let wanted = (fetch as f64 / stride as f64).ceil().max(1.0) as u64;
        let last = Query::select()
            .columns(contact::Column::iter().map(|column| (CT, column)))
            .from_as(sample.clone(), CT)
            .cond_where(domain.clone().add(condition.clone()))
            .order_by((CT, contact::Column::NameSearch), Order::Asc)
            .order_by((CT, contact::Column::Id), Order::Asc)
            .limit(1)
            .offset(wanted - 1)
            .to_owned();
        // Matches spread evenly would be found after this many rows.
        let counts = self
            .estimates(
                Sampled::Contacts,
                CT,
                domain.clone(),
                vec![every_row(), condition.clone()],
            )
            .await?;
        let (rows, matches) = (counts[0], counts[1]);
        let spread = rows * (fetch as f64 / matches).min(1.0);
        let Ok(Some(last)) = contact::Model::find_by_statement(backend.build(&last))
            .one(self.connection())
            .await
        else {
            // Fewer matches in the sample than the page wants: the walk
            // reads every name after the cursor.
            return Some(rows);
        };
        // Where the sample's matches lie along the names: later than even
        // spread when they gather at some letters (`enata` among the
        // Renatas). The walk reaches them only there, however few the page
        // needs.
        let up_to_last = position().lte(Expr::tuple([Expr::val(last.name_search), Expr::val(last.id)]));
        let walked = self
            .sampled_rows(Sampled::Contacts, CT, domain.add(up_to_last))
            .await?;
        Some(walked.max(spread))
    }

    /// The contact, if it exists and the scope may see it.
    pub async fn contact(&self, scope: ListScope, id: ContactId) -> StoreResult<Option<ContactDto>> {
        let query = Query::select()
            .column((CT, contact::Column::Id))
            .from_as(contact::Entity, CT)
            .cond_where(
                Condition::all()
                    .add(ct(contact::Column::Id).eq(id.0))
                    .add(visible(scope)),
            )
            .to_owned();
        let backend = self.connection().get_database_backend();
        if self.ids(backend.build(&query)).await?.is_empty() {
            return Ok(None);
        }
        Ok(contact::Entity::find_by_id(id.0)
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
