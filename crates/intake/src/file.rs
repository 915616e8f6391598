//! Opening an import file: which reader it needs, how its text is encoded and
//! delimited, its header, and its rows streamed one at a time.

mod delimited;
mod sheet;
mod sniff;

pub use lejek_domain::ImportFormat as FileFormat;
pub use lejek_domain::{Delimiter, TextEncoding};
use sha2::{Digest, Sha256};

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const XLSX_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Which reader a file needs: an XLSX is a ZIP (`PK\x03\x04`), anything else
/// is read as CSV. The content type counts only when there are too few bytes
/// to tell, because browsers label files by their extension, not content.
pub fn format_of(bytes: &[u8], content_type: Option<&str>) -> FileFormat {
    if bytes.starts_with(ZIP_MAGIC) {
        return FileFormat::Xlsx;
    }
    let hinted_xlsx = content_type
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case(XLSX_CONTENT_TYPE));
    if bytes.len() < ZIP_MAGIC.len() && hinted_xlsx {
        FileFormat::Xlsx
    } else {
        FileFormat::Csv
    }
}

/// The lowercase hex SHA-256 of the file, to recognise the same upload twice.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// What to force instead of detecting; each is `None` to detect.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// CSV only.
    pub encoding: Option<TextEncoding>,
    /// CSV only.
    pub delimiter: Option<Delimiter>,
    /// XLSX only: the sheet to read, by name; the first by default.
    pub sheet: Option<String>,
}

/// Why a file cannot be read, or one of its rows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error("the file has no header row: every row is blank")]
    NoHeader,
    #[error("the file is not text in the expected encoding (binary data or a wrong encoding)")]
    NotText,
    #[error("row {row} cannot be read as CSV: {message}")]
    Csv { row: u64, message: String },
    #[error("row {row} has more cells than the header")]
    ExtraCells { row: u64 },
    #[error("the file cannot be read as an XLSX workbook: {0}")]
    Xlsx(String),
    #[error("the workbook has no sheet named `{0}`")]
    UnknownSheet(String),
}

/// An opened file: how it was read and its header; rows are read lazily,
/// streaming.
pub struct Table<'a> {
    pub format: FileFormat,
    /// CSV only: the one detected or given.
    pub encoding: Option<TextEncoding>,
    /// CSV only: whether a UTF-8 byte order mark was there (and skipped).
    pub had_bom: bool,
    /// CSV only: the one sniffed or given.
    pub delimiter: Option<Delimiter>,
    /// XLSX only: every sheet's name, in the workbook's order.
    pub sheets: Vec<String>,
    /// XLSX only: the sheet read.
    pub sheet: Option<String>,
    /// The header's cells, trimmed, without trailing blank cells.
    pub header: Vec<String>,
    /// The header's line number.
    header_line: u64,
    source: Source<'a>,
}

/// Where rows come from. One raw row is its line number and its cells, not
/// yet trimmed or fitted to the header.
enum Source<'a> {
    Csv(Box<delimited::CsvRows<'a>>),
    Xlsx(Box<sheet::XlsxRows<'a>>),
}

type RawRow = (u64, Vec<String>);

impl Source<'_> {
    fn next_raw(&mut self) -> Option<Result<RawRow, FileError>> {
        match self {
            Source::Csv(rows) => rows.next_raw(),
            Source::Xlsx(rows) => rows.next_raw(),
        }
    }
}

impl<'a> Table<'a> {
    /// Opens the file and reads up to its header (the first row not wholly
    /// blank).
    pub fn open(bytes: &'a [u8], format: FileFormat, options: &ReadOptions) -> Result<Table<'a>, FileError> {
        let mut table = match format {
            FileFormat::Csv => delimited::open(bytes, options)?,
            FileFormat::Xlsx => sheet::open(bytes, options)?,
        };
        loop {
            let (line, mut cells) = table.source.next_raw().ok_or(FileError::NoHeader)??;
            trim_all(&mut cells);
            if cells.iter().any(|cell| !cell.is_empty()) {
                while cells.last().is_some_and(String::is_empty) {
                    cells.pop();
                }
                table.header = cells;
                table.header_line = line;
                return Ok(table);
            }
        }
    }

    fn new(format: FileFormat, source: Source<'a>) -> Self {
        Table {
            format,
            encoding: None,
            had_bom: false,
            delimiter: None,
            sheets: Vec::new(),
            sheet: None,
            header: Vec::new(),
            header_line: 0,
            source,
        }
    }

    /// The header's line number as a spreadsheet shows it (1 unless blank
    /// rows come first).
    pub fn header_line(&self) -> u64 {
        self.header_line
    }

    /// The data rows after the header, each with its 1-based line number as
    /// a spreadsheet shows it (header = 1, first data row = 2; for CSV the
    /// record number, so a quoted newline does not shift later numbers).
    /// Rows wholly blank are skipped, but still counted in the numbers.
    ///
    /// Each row has exactly as many cells as the header: short rows are
    /// padded with `""`, blank cells beyond the header are dropped, and a row
    /// with text beyond the header is [`FileError::ExtraCells`], after which
    /// the rows go on. After any other error the iterator ends.
    pub fn rows(self) -> Rows<'a> {
        Rows {
            width: self.header.len(),
            source: self.source,
            done: false,
        }
    }
}

/// The data rows of a [`Table`].
pub struct Rows<'a> {
    width: usize,
    source: Source<'a>,
    done: bool,
}

impl Iterator for Rows<'_> {
    type Item = Result<(u64, Vec<String>), FileError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let (line, mut cells) = match self.source.next_raw()? {
                Ok(raw) => raw,
                Err(error) => {
                    self.done = true;
                    return Some(Err(error));
                }
            };
            trim_all(&mut cells);
            if cells.iter().all(String::is_empty) {
                continue;
            }
            if cells.iter().skip(self.width).any(|cell| !cell.is_empty()) {
                return Some(Err(FileError::ExtraCells { row: line }));
            }
            cells.resize(self.width, String::new());
            return Some(Ok((line, cells)));
        }
        None
    }
}

fn trim_all(cells: &mut [String]) {
    for cell in cells {
        let trimmed = cell.trim();
        if trimmed.len() != cell.len() {
            *cell = trimmed.to_owned();
        }
    }
}

#[cfg(test)]
mod tests;
