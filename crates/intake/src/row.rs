//! One row read through the mapping the user chose: the lead's fields, and
//! each cell that could not be read.

use chrono::NaiveDate;
use lejek_domain::{Source, ViolationCode};

use crate::mapping::Field;
use crate::values::{currency_code, parse_amount, parse_date, parse_source};

/// The field each column holds, one per column; `None` skips the column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping(pub Vec<Option<Field>>);

/// A row read through a mapping: text fields trimmed, blanks as `None`;
/// typed fields parsed. Whether the fields make a valid case (a subject is
/// there, the e-mail is one) is for the domain's rules to say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportRow {
    pub subject: Option<String>,
    pub source: Option<Source>,
    pub contact_name: Option<String>,
    pub company: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub expected_close_date: Option<NaiveDate>,
    pub value: Option<f64>,
    /// From the currency column (`zł` read as `PLN`), else from the
    /// amount's symbol; upper case.
    pub currency: Option<String>,
    pub qualifier: Option<String>,
    pub owner_email: Option<String>,
    pub external_id: Option<String>,
}

/// A cell whose text is no value of its column's field; `column` is 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellError {
    pub column: usize,
    pub field: Field,
    pub code: ViolationCode,
}

/// Reads the mapped cells of one row; a cell that cannot be read leaves its
/// field `None` and is reported.
pub fn read_row(cells: &[String], mapping: &Mapping) -> (ImportRow, Vec<CellError>) {
    let mut row = ImportRow::default();
    let mut errors = Vec::new();
    let mut amount_currency = None;
    for (column, field) in mapping.0.iter().enumerate() {
        let Some(field) = *field else { continue };
        let text = cells.get(column).map_or("", |cell| cell.trim());
        if text.is_empty() {
            continue;
        }
        if let Some(slot) = text_slot(&mut row, field) {
            *slot = Some(text.to_owned());
            continue;
        }
        let parsed = match field {
            Field::Currency => {
                let code = currency_code(text).map_or_else(|| text.to_uppercase(), str::to_owned);
                row.currency = Some(code);
                Ok(())
            }
            Field::Source => parse_source(text).map(|source| row.source = Some(source)),
            Field::ExpectedCloseDate => parse_date(text).map(|date| row.expected_close_date = Some(date)),
            Field::Value => parse_amount(text).map(|(value, currency)| {
                row.value = Some(value);
                amount_currency = currency;
            }),
            _ => Ok(()),
        };
        if let Err(code) = parsed {
            errors.push(CellError { column, field, code });
        }
    }
    if row.currency.is_none() {
        row.currency = amount_currency.map(str::to_owned);
    }
    (row, errors)
}

/// Where a field kept as plain text goes.
fn text_slot(row: &mut ImportRow, field: Field) -> Option<&mut Option<String>> {
    Some(match field {
        Field::Subject => &mut row.subject,
        Field::ContactName => &mut row.contact_name,
        Field::Company => &mut row.company,
        Field::Email => &mut row.email,
        Field::Phone => &mut row.phone,
        Field::Qualifier => &mut row.qualifier,
        Field::OwnerEmail => &mut row.owner_email,
        Field::ExternalId => &mut row.external_id,
        Field::Source | Field::ExpectedCloseDate | Field::Value | Field::Currency => return None,
    })
}

/// Why a mapping cannot be used; columns are 0-based, messages count from 1.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    #[error("the mapping has {mapped} columns but the file has {columns}")]
    WrongLength { mapped: usize, columns: usize },
    #[error("`{field}` is mapped to two columns: {} and {}", .first + 1, .second + 1)]
    MappedTwice {
        field: Field,
        first: usize,
        second: usize,
    },
    #[error("no column is mapped to `subject`, which every case needs")]
    NoSubject,
}

/// A mapping fits a file of `columns` columns, names each field at most
/// once, and maps the subject, without which no row could become a case.
pub fn check_mapping(mapping: &Mapping, columns: usize) -> Result<(), MappingError> {
    if mapping.0.len() != columns {
        return Err(MappingError::WrongLength {
            mapped: mapping.0.len(),
            columns,
        });
    }
    for (second, field) in mapping.0.iter().enumerate() {
        let Some(field) = *field else { continue };
        if let Some(first) = mapping.0[..second].iter().position(|f| *f == Some(field)) {
            return Err(MappingError::MappedTwice { field, first, second });
        }
    }
    if !mapping.0.contains(&Some(Field::Subject)) {
        return Err(MappingError::NoSubject);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|text| text.to_string()).collect()
    }

    #[test]
    fn mapped_cells_fill_the_row_trimmed_and_typed() {
        let mapping = Mapping(vec![
            Some(Field::Subject),
            None,
            Some(Field::Source),
            Some(Field::Email),
            Some(Field::ExpectedCloseDate),
            Some(Field::Value),
            Some(Field::ContactName),
        ]);
        let (row, errors) = read_row(
            &cells(&[
                " Oferta ",
                "pominięta",
                "telefon",
                "jan@firma.pl",
                "31.12.2026",
                "12 345,67 zł",
                " ",
            ]),
            &mapping,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            row,
            ImportRow {
                subject: Some("Oferta".into()),
                source: Some(Source::Phone),
                email: Some("jan@firma.pl".into()),
                expected_close_date: NaiveDate::from_ymd_opt(2026, 12, 31),
                value: Some(12345.67),
                currency: Some("PLN".into()),
                ..ImportRow::default()
            }
        );
    }

    #[test]
    fn the_currency_column_wins_over_the_amounts_symbol() {
        let mapping = Mapping(vec![Some(Field::Value), Some(Field::Currency)]);
        let (row, _) = read_row(&cells(&["€10", "pln"]), &mapping);
        assert_eq!(row.currency.as_deref(), Some("PLN"));
        let (row, _) = read_row(&cells(&["10", "eur"]), &mapping);
        assert_eq!(row.currency.as_deref(), Some("EUR"));
        let (row, _) = read_row(&cells(&["10", "chf"]), &mapping);
        assert_eq!(row.currency.as_deref(), Some("CHF"));
        let (row, _) = read_row(&cells(&["10", ""]), &mapping);
        assert_eq!(row.currency, None);
    }

    #[test]
    fn unreadable_cells_are_reported_with_their_column() {
        let mapping = Mapping(vec![
            Some(Field::Subject),
            Some(Field::ExpectedCloseDate),
            Some(Field::Value),
            Some(Field::Source),
        ]);
        let (row, errors) = read_row(&cells(&["Oferta", "31.02.2026", "dużo", "gołąb"]), &mapping);
        assert_eq!(row.subject.as_deref(), Some("Oferta"));
        assert_eq!(
            (row.expected_close_date, row.value, row.source),
            (None, None, None)
        );
        assert_eq!(
            errors,
            [
                CellError {
                    column: 1,
                    field: Field::ExpectedCloseDate,
                    code: ViolationCode::InvalidValue
                },
                CellError {
                    column: 2,
                    field: Field::Value,
                    code: ViolationCode::InvalidAmount
                },
                CellError {
                    column: 3,
                    field: Field::Source,
                    code: ViolationCode::InvalidValue
                },
            ]
        );
    }

    #[test]
    fn missing_cells_read_as_blank() {
        let mapping = Mapping(vec![Some(Field::Subject), Some(Field::Company)]);
        let (row, errors) = read_row(&cells(&["Oferta"]), &mapping);
        assert_eq!((row.company, errors), (None, vec![]));
    }

    #[test]
    fn a_field_mapped_twice_names_both_columns() {
        let mapping = Mapping(vec![
            Some(Field::Subject),
            Some(Field::Email),
            None,
            Some(Field::Email),
        ]);
        let error = check_mapping(&mapping, 4).unwrap_err();
        assert_eq!(
            error,
            MappingError::MappedTwice {
                field: Field::Email,
                first: 1,
                second: 3
            }
        );
        assert_eq!(error.to_string(), "`email` is mapped to two columns: 2 and 4");
    }

    #[test]
    fn a_mapping_must_fit_the_file_and_map_the_subject() {
        let mapping = Mapping(vec![Some(Field::Subject), None]);
        assert_eq!(check_mapping(&mapping, 2), Ok(()));
        assert_eq!(
            check_mapping(&mapping, 3),
            Err(MappingError::WrongLength {
                mapped: 2,
                columns: 3
            })
        );
        let mapping = Mapping(vec![Some(Field::Email), None]);
        assert_eq!(check_mapping(&mapping, 2), Err(MappingError::NoSubject));
    }
}
