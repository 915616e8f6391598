//! Many new cases in one transaction (an import's batch), with the same
//! outcome as creating them one by one but in a few statements per batch:
//! every check (external ids, qualifiers, owners, contacts) is one query
//! for the batch before anything is written, the numbers are taken at
//! once, and the history, stays and tallies go in together.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use lejek_domain::{CaseId, ContactChoice, NewCase, UserId, ViolationCode, Violations};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, FromQueryResult,
    QueryFilter, QuerySelect, Set,
};

use super::tallies::{self, TallyKey};
use super::{CaseOrigin, InsertedCase, StoredChange, case_row, stays};
use crate::connect::Backend;
use crate::entity::{case, case_event, contact, counter, dictionary::qualifier, user};
use crate::error::{StoreError, StoreResult};

/// What a batch's checks found, read once for all its rows.
struct Known {
    taken_external_ids: HashSet<String>,
    usable_qualifiers: HashSet<i64>,
    /// Active users: (name, is a person).
    users: HashMap<i64, (String, bool)>,
    contacts_by_id: HashMap<i64, contact::Model>,
    contacts_by_email: HashMap<String, contact::Model>,
    contacts_by_phone: HashMap<String, contact::Model>,
}

async fn known(
    transaction: &DatabaseTransaction,
    backend: Backend,
    news: &[&NewCase],
    match_phone: bool,
) -> StoreResult<Known> {
    let external_ids: Vec<&str> = news
        .iter()
        .filter_map(|new| new.external_id.as_ref().map(|id| id.as_str()))
        .collect();
    let taken_external_ids = if external_ids.is_empty() {
        HashSet::new()
    } else {
        case::Entity::find()
            .select_only()
            .column(case::Column::ExternalId)
            .filter(case::Column::ExternalId.is_in(external_ids))
            .into_tuple::<Option<String>>()
            .all(transaction)
            .await?
            .into_iter()
            .flatten()
            .collect()
    };
    let qualifier_ids: HashSet<i64> = news
        .iter()
        .filter_map(|new| new.qualifier_id.map(|id| id.0))
        .collect();
    let usable_qualifiers = qualifier::Entity::find()
        .filter(qualifier::Column::Id.is_in(qualifier_ids))
        .filter(qualifier::Column::ArchivedAt.is_null())
        .all(transaction)
        .await?
        .into_iter()
        .map(|entry| entry.id)
        .collect();
    let owner_ids: HashSet<i64> = news
        .iter()
        .filter_map(|new| new.state.owner.map(|id| id.0))
        .collect();
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(owner_ids))
        .filter(user::Column::Active.eq(true))
        .all(transaction)
        .await?
        .into_iter()
        .map(|user| (user.id, (user.name, user.kind == "person")))
        .collect();
    let contact_ids: HashSet<i64> = news
        .iter()
        .filter_map(|new| match &new.contact {
            ContactChoice::Existing(id) => Some(id.0),
            ContactChoice::New(_) => None,
        })
        .collect();
    let contacts_by_id = contact::Entity::find()
        .filter(contact::Column::Id.is_in(contact_ids))
        .all(transaction)
        .await?
        .into_iter()
        .map(|contact| (contact.id, contact))
        .collect();
    let mut emails: Vec<&str> = news
        .iter()
        .filter_map(|new| match &new.contact {
            ContactChoice::New(details) => details.email.as_ref().map(|email| email.as_str()),
            ContactChoice::Existing(_) => None,
        })
        .collect();
    emails.sort_unstable();
    emails.dedup();
    if backend == Backend::Postgres && !emails.is_empty() {
        // As one create does: new e-mails take turns with concurrent
        // creates naming them, taken in one order so batches never deadlock.
        let lock = Query::select()
            .expr(Func::cust("count").arg(Func::cust("pg_advisory_xact_lock").args([
                Expr::val(1_281_714_795),
                Func::cust("hashtext").arg(Expr::cust("e")).into(),
            ])))
            .from_function(
                Func::cust("unnest").arg(Expr::val(
                    emails.iter().map(|email| (*email).to_owned()).collect::<Vec<_>>(),
                )),
                "e",
            )
            .to_owned();
        transaction.execute(&lock).await?;
    }
    let mut contacts_by_email = HashMap::new();
    if !emails.is_empty() {
        for found in contact::Entity::find()
            .filter(contact::Column::Email.is_in(emails))
            .all(transaction)
            .await?
        {
            if let Some(email) = found.email.clone() {
                contacts_by_email.entry(email).or_insert(found);
            }
        }
    }
    let mut contacts_by_phone = HashMap::new();
    if match_phone {
        let phones: Vec<String> = news
            .iter()
            .filter_map(|new| match &new.contact {
                ContactChoice::New(details) => details.phone.as_ref().map(|phone| phone.digits()),
                ContactChoice::Existing(_) => None,
            })
            .collect();
        if !phones.is_empty() {
            for found in contact::Entity::find()
                .filter(contact::Column::PhoneDigits.is_in(phones))
                .all(transaction)
                .await?
            {
                if let Some(digits) = found.phone_digits.clone() {
                    contacts_by_phone.entry(digits).or_insert(found);
                }
            }
        }
    }
    Ok(Known {
        taken_external_ids,
        usable_qualifiers,
        users,
        contacts_by_id,
        contacts_by_email,
        contacts_by_phone,
    })
}

/// Why a row is refused, by the same rules as [`super::insert_case`].
fn refusal(new: &NewCase, known: &Known, actor: UserId, seen: &HashSet<&str>) -> Option<Violations> {
    if let Some(external_id) = &new.external_id
        && (known.taken_external_ids.contains(external_id.as_str()) || seen.contains(external_id.as_str()))
    {
        return Some(Violations::single("external_id", ViolationCode::Duplicate));
    }
    if let Some(id) = new.qualifier_id
        && !known.usable_qualifiers.contains(&id.0)
    {
        return Some(Violations::single("qualifier", ViolationCode::UnknownReference));
    }
    if let Some(owner) = new.state.owner {
        let usable = known
            .users
            .get(&owner.0)
            .is_some_and(|(_, person)| owner == actor || *person);
        if !usable {
            return Some(Violations::single("owner_id", ViolationCode::UnknownReference));
        }
    }
    if let ContactChoice::Existing(id) = &new.contact
        && !known.contacts_by_id.contains_key(&id.0)
    {
        return Some(Violations::single("contact_id", ViolationCode::UnknownReference));
    }
    None
}

/// Takes `count` case numbers at once: the last one taken is returned.
async fn take_numbers(transaction: &DatabaseTransaction, count: i64) -> StoreResult<i64> {
    #[derive(FromQueryResult)]
    struct Counter {
        value: i64,
    }
    let update = Query::update()
        .table(counter::Entity)
        .value(
            counter::Column::Value,
            Expr::col(counter::Column::Value).add(count),
        )
        .and_where(Expr::col(counter::Column::Name).eq("case_number"))
        .returning_col(counter::Column::Value)
        .to_owned();
    let statement = transaction.get_database_backend().build(&update);
    Counter::find_by_statement(statement)
        .one(transaction)
        .await?
        .map(|counter| counter.value)
        .ok_or(StoreError::Corrupt("case number counter"))
}

/// Inserts the new cases that pass the store's checks; the others come
/// back refused, in the order given.
pub(crate) async fn insert_cases(
    transaction: &DatabaseTransaction,
    backend: Backend,
    news: &[&NewCase],
    actor: UserId,
    now: DateTime<Utc>,
    origin: CaseOrigin,
) -> StoreResult<Vec<Result<InsertedCase, Violations>>> {
    let mut known = known(transaction, backend, news, origin.match_phone).await?;
    let mut seen = HashSet::new();
    let verdicts: Vec<Option<Violations>> = news
        .iter()
        .map(|new| {
            let refused = refusal(new, &known, actor, &seen);
            if refused.is_none()
                && let Some(external_id) = &new.external_id
            {
                seen.insert(external_id.as_str());
            }
            refused
        })
        .collect();
    let accepted = verdicts.iter().filter(|verdict| verdict.is_none()).count() as i64;
    if accepted == 0 {
        return Ok(verdicts
            .into_iter()
            .map(|verdict| Err(verdict.unwrap_or_default()))
            .collect());
    }
    let mut number = take_numbers(transaction, accepted).await? - accepted;
    let mut results = Vec::with_capacity(news.len());
    let mut created: Vec<(CaseId, &NewCase)> = Vec::with_capacity(news.len());
    for (new, verdict) in news.iter().zip(verdicts) {
        if let Some(violations) = verdict {
            results.push(Err(violations));
            continue;
        }
        let (contact, contact_reused) = match &new.contact {
            ContactChoice::Existing(id) => (known.contacts_by_id[&id.0].clone(), true),
            ContactChoice::New(details) => {
                let by_email = details
                    .email
                    .as_ref()
                    .and_then(|email| known.contacts_by_email.get(email.as_str()));
                let by_phone = || {
                    details
                        .phone
                        .as_ref()
                        .filter(|_| origin.match_phone)
                        .and_then(|phone| known.contacts_by_phone.get(&phone.digits()))
                };
                match by_email.or_else(by_phone) {
                    Some(existing) => (existing.clone(), true),
                    None => {
                        let inserted = crate::contacts::new_contact_row(details, actor, now)
                            .insert(transaction)
                            .await?;
                        if let Some(email) = &inserted.email {
                            known.contacts_by_email.insert(email.clone(), inserted.clone());
                        }
                        if let Some(digits) = &inserted.phone_digits {
                            known
                                .contacts_by_phone
                                .entry(digits.clone())
                                .or_insert_with(|| inserted.clone());
                        }
                        (inserted, false)
                    }
                }
            }
        };
        let owner_name = new
            .state
            .owner
            .and_then(|owner| known.users.get(&owner.0).map(|(name, _)| name.clone()));
        number += 1;
        let row = case_row(new, &contact, owner_name, number, actor, now, origin);
        let id = CaseId(case::Entity::insert(row).exec(transaction).await?.last_insert_id);
        created.push((id, new));
        results.push(Ok(InsertedCase { id, contact_reused }));
    }
    let events = created.iter().flat_map(|(id, new)| {
        new.changes.iter().map(move |change| {
            let stored = StoredChange::of(change);
            case_event::ActiveModel {
                case_id: Set(id.0),
                at: Set(now),
                actor_id: Set(Some(actor.0)),
                kind: Set(stored.kind.to_owned()),
                from_value: Set(stored.from),
                to_value: Set(stored.to),
                reason: Set(stored.reason),
                ..Default::default()
            }
        })
    });
    case_event::Entity::insert_many(events).exec(transaction).await?;
    let states: Vec<(CaseId, &lejek_domain::CaseState)> =
        created.iter().map(|(id, new)| (*id, &new.state)).collect();
    stays::open_first(transaction, &states, now).await?;
    let mut tallies: HashMap<(i64, Option<i64>, lejek_domain::Status), i64> = HashMap::new();
    for (_, new) in &created {
        let key = TallyKey::of(&new.state);
        *tallies.entry((key.campaign, key.owner, key.status)).or_default() += 1;
    }
    for ((campaign, owner, status), count) in tallies {
        tallies::adjust(
            transaction,
            TallyKey {
                campaign,
                owner,
                status,
            },
            count,
        )
        .await?;
    }
    Ok(results)
}
