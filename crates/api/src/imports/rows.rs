//! Deciding an imported row: its cells read through the mapping, then the
//! same rules as a case typed in (`decide_new_case`), with the names the
//! file uses (qualifier, owner e-mail) looked up first.

use std::collections::HashMap;

use lejek_domain::dto::{ImportCellError, RunImportRequest};
use lejek_domain::{
    Actor, CampaignRef, CommandError, ContactInput, ImportField, ImportOwner, Language, NewCaseCommand,
    QualifierId, UserId, ViolationCode, decide_new_case,
};
use lejek_intake::{Mapping, read_row};
use lejek_store::{BatchRow, RowError};

use crate::error::ApiError;
use crate::state::AppState;

/// What deciding rows needs besides the row: the run's options and the
/// names a file may use for qualifiers and owners.
#[derive(Debug, Clone)]
pub struct RowRules {
    pub actor: Actor,
    pub campaign: CampaignRef,
    pub mapping: Mapping,
    pub settings: RunImportRequest,
    qualifiers: HashMap<String, QualifierId>,
    owners: HashMap<String, UserId>,
}

impl RowRules {
    /// Looks up the qualifiers and the people a file may name.
    pub async fn load(
        state: &AppState,
        actor: Actor,
        settings: RunImportRequest,
    ) -> Result<RowRules, ApiError> {
        let qualifiers = state
            .store
            .dictionary(lejek_store::Dictionary::Qualifiers)
            .await?
            .into_iter()
            .map(|entry| (entry.name.to_lowercase(), QualifierId(entry.id)))
            .collect();
        let owners = state
            .store
            .people()
            .await?
            .into_iter()
            .filter(|person| person.active)
            .map(|person| (person.email.to_lowercase(), person.id))
            .collect();
        Ok(RowRules {
            actor,
            campaign: state.funnel,
            mapping: Mapping(settings.mapping.clone()),
            settings,
            qualifiers,
            owners,
        })
    }

    /// The column holding the field a rule names (`contact.email`).
    pub fn column_of(&self, field: &str) -> Option<u32> {
        let import_field = match field {
            "subject" => ImportField::Subject,
            "source" => ImportField::Source,
            "expected_close_date" => ImportField::ExpectedCloseDate,
            "contact" | "contact.name" => ImportField::ContactName,
            "contact.company" => ImportField::Company,
            "contact.email" => ImportField::Email,
            "contact.phone" => ImportField::Phone,
            "value" => ImportField::Value,
            "currency" => ImportField::Currency,
            "qualifier" => ImportField::Qualifier,
            "owner_id" | "owner_email" => ImportField::OwnerEmail,
            "external_id" => ImportField::ExternalId,
            _ => return None,
        };
        self.mapping
            .0
            .iter()
            .position(|mapped| *mapped == Some(import_field))
            .and_then(|position| u32::try_from(position).ok())
    }

    /// The case a row makes, or why it is refused.
    pub fn decide(&self, row: u64, cells: Vec<String>) -> BatchRow {
        let (read, cell_errors) = read_row(&cells, &self.mapping);
        let mut errors: Vec<RowError> = cell_errors
            .iter()
            .map(|error| RowError {
                column: u32::try_from(error.column).ok(),
                field: error.field.as_str().to_owned(),
                code: error.code,
            })
            .collect();
        let qualifier_id = match &read.qualifier {
            Some(name) => match self.qualifiers.get(&name.to_lowercase()) {
                Some(id) => Some(*id),
                None => {
                    errors.push(self.error("qualifier", ViolationCode::UnknownReference));
                    None
                }
            },
            None => None,
        };
        let owner_id = match self.settings.owner {
            ImportOwner::Unassigned => None,
            ImportOwner::User => self.settings.owner_id,
            ImportOwner::Column => match &read.owner_email {
                Some(email) => match self.owners.get(&email.to_lowercase()) {
                    Some(id) => Some(*id),
                    None => {
                        errors.push(self.error("owner_email", ViolationCode::UnknownReference));
                        None
                    }
                },
                None => None,
            },
        };
        let contact = ContactInput {
            name: read.contact_name.clone(),
            company: read.company.clone(),
            email: read.email.clone(),
            phone: read.phone.clone(),
        };
        let command = NewCaseCommand {
            subject: read.subject.clone(),
            source: read.source.or(self.settings.default_source),
            expected_close_date: read
                .expected_close_date
                .or(self.settings.default_expected_close_date),
            contact_id: None,
            contact: (contact != ContactInput::default()).then_some(contact),
            qualifier_id,
            value: read.value,
            currency: read.currency.clone(),
            owner_id: if self.actor.role.sees_every_case() {
                owner_id
            } else {
                None
            },
            external_id: read.external_id.clone(),
        };
        match decide_new_case(&self.actor, command, self.campaign) {
            Ok(new) if errors.is_empty() => BatchRow::Case {
                row,
                cells,
                new: Box::new(new),
            },
            Ok(_) => BatchRow::Refused { row, cells, errors },
            Err(CommandError::Invalid(violations)) => {
                for violation in violations.iter() {
                    let error = self.error(&violation.field, violation.code);
                    // A cell that could not be read is reported once, as
                    // such, not again as the missing value it left.
                    let already = errors
                        .iter()
                        .any(|known| known.column.is_some() && known.column == error.column);
                    if !already {
                        errors.push(error);
                    }
                }
                BatchRow::Refused { row, cells, errors }
            }
            Err(_) => {
                errors.push(self.error("owner_id", ViolationCode::OwnerMustBeSelf));
                BatchRow::Refused { row, cells, errors }
            }
        }
    }

    fn error(&self, field: &str, code: ViolationCode) -> RowError {
        RowError {
            column: self.column_of(field),
            field: field.to_owned(),
            code,
        }
    }
}

/// A refused row's errors as the API shows them.
pub fn cell_errors(errors: &[RowError]) -> Vec<ImportCellError> {
    errors
        .iter()
        .map(|error| ImportCellError {
            column: error.column,
            field: error.field.clone(),
            code: error.code,
            message: error.code.label(Language::En).to_owned(),
        })
        .collect()
}
