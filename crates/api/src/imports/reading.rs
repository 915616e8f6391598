//! Reading an uploaded file: how it is read (detected or chosen), its
//! header, its row count and its first rows.

use lejek_domain::dto::ImportReadingRequest;
use lejek_domain::{Delimiter, ImportFormat, TextEncoding, ViolationCode, Violations};
use lejek_intake::{FileError, ReadOptions, Table};
use lejek_store::ImportReading;

use crate::error::ApiError;

/// The most rows a file may have.
pub const MAX_ROWS: u64 = 500_000;
/// How many first rows a preview shows.
pub const PREVIEW_ROWS: usize = 20;

/// A file read through: how, and its first rows.
#[derive(Debug, Clone)]
pub struct ReadFile {
    pub reading: ImportReading,
    pub first_rows: Vec<(u64, Vec<String>)>,
}

/// The options a stored reading stands for.
pub fn options_of(reading: &ImportReading) -> ReadOptions {
    ReadOptions {
        encoding: reading
            .encoding
            .as_deref()
            .and_then(|code| code.parse::<TextEncoding>().ok()),
        delimiter: reading
            .delimiter
            .as_deref()
            .and_then(|code| code.parse::<Delimiter>().ok()),
        sheet: reading.sheet.clone(),
    }
}

fn unreadable(error: &FileError) -> ApiError {
    tracing::debug!(%error, "unreadable import file");
    Violations::single("file", ViolationCode::UnreadableFile).into()
}

/// Reads the whole file once: the header, every row counted, the first
/// [`PREVIEW_ROWS`] kept. CPU-bound: run it off the async threads.
pub fn read_file(
    bytes: &[u8],
    format: ImportFormat,
    request: &ImportReadingRequest,
) -> Result<ReadFile, ApiError> {
    let options = ReadOptions {
        encoding: request.encoding,
        delimiter: request.delimiter,
        sheet: request.sheet.clone(),
    };
    let table = Table::open(bytes, format, &options).map_err(|error| match error {
        FileError::UnknownSheet(_) => Violations::single("sheet", ViolationCode::UnknownReference).into(),
        other => unreadable(&other),
    })?;
    let reading = |total_rows| ImportReading {
        encoding: table.encoding.map(|encoding| encoding.as_str().to_owned()),
        delimiter: table.delimiter.map(|delimiter| delimiter.as_str().to_owned()),
        sheet: table.sheet.clone(),
        sheets: table.sheets.clone(),
        header: table.header.clone(),
        total_rows,
    };
    let mut first_rows = Vec::with_capacity(PREVIEW_ROWS);
    let mut total_rows = 0_u64;
    let described = reading(0);
    for row in table.rows() {
        let (number, cells) = row.map_err(|error| unreadable(&error))?;
        total_rows += 1;
        if total_rows > MAX_ROWS {
            return Err(Violations::single("file", ViolationCode::TooManyRows).into());
        }
        if first_rows.len() < PREVIEW_ROWS {
            first_rows.push((number, cells));
        }
    }
    Ok(ReadFile {
        reading: ImportReading {
            total_rows,
            ..described
        },
        first_rows,
    })
}
