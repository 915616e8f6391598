//! Reading import files for Lejek's file import (spec `intake.md`, section 1).
//!
//! Pure: bytes in, rows of text and typed lead fields out; it knows nothing
//! of HTTP or SQL. [`Table::open`] reads a CSV in the encodings Polish
//! offices produce (UTF-8 with or without a BOM and Windows-1250 detected,
//! ISO-8859-2 when asked for) with a sniffed delimiter, or a sheet of an
//! XLSX workbook, and streams its rows. [`suggest_mapping`] guesses which
//! lead field each column holds from Polish or English headers, and
//! [`read_row`] turns one row's cells into an [`ImportRow`] through a
//! [`Mapping`], with each cell's error. The domain crate's rules still decide
//! whether a row makes a valid case.

mod file;
mod mail;
mod mapping;
mod row;
mod text;
mod values;

pub use file::{
    Delimiter, FileError, FileFormat, ReadOptions, Rows, Table, TextEncoding, content_hash, format_of,
};
pub use mail::{InboundMail, MachineMail, MailError, Sender, case_tag, read_mail};
pub use mapping::{Field, suggest_field, suggest_mapping};
pub use row::{CellError, ImportRow, Mapping, MappingError, check_mapping, read_row};
pub use values::{currency_code, parse_amount, parse_date, parse_source};
