//! XLSX: one sheet's cells streamed from the workbook's XML, never loaded as
//! a whole range, so a sheet of 500,000 rows stays small in memory.

use std::io::Cursor;

use calamine::{DataRef, ExcelDateTime, Reader, SheetType, Xlsx, XlsxCellReader, XlsxError};
use ouroboros::self_referencing;

use super::{FileError, FileFormat, RawRow, ReadOptions, Source, Table};

type Bytes<'a> = Cursor<&'a [u8]>;

/// calamine's cell reader borrows the workbook it reads (its shared strings
/// above all), and the rows outlive `open`, so the two are kept together.
#[self_referencing]
struct SheetCells<'a> {
    workbook: Xlsx<Bytes<'a>>,
    #[borrows(mut workbook)]
    #[not_covariant]
    reader: XlsxCellReader<'this, Bytes<'a>>,
}

struct Cell {
    row: u32,
    column: u32,
    text: String,
}

pub(super) struct XlsxRows<'a> {
    cells: SheetCells<'a>,
    /// The first column of the sheet's used range, which becomes column 0.
    first_column: u32,
    /// The first cell of the next row, read while finishing the last one.
    pending: Option<Cell>,
    finished: bool,
}

pub(super) fn open<'a>(bytes: &'a [u8], options: &ReadOptions) -> Result<Table<'a>, FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    let workbook = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let sheets: Vec<String> = workbook
        .sheets_metadata()
        .iter()
        .filter(|sheet| sheet.typ == SheetType::WorkSheet)
        .map(|sheet| sheet.name.clone())
        .collect();
    let sheet = match &options.sheet {
        Some(name) => sheets
            .iter()
            .find(|sheet| *sheet == name)
            .ok_or_else(|| FileError::UnknownSheet(name.clone()))?,
        None => sheets.first().ok_or(FileError::NoHeader)?,
    }
    .clone();
    let cells = SheetCellsTryBuilder {
        workbook,
        reader_builder: |workbook: &mut Xlsx<Bytes<'a>>| workbook.worksheet_cells_reader(&sheet),
    }
    .try_build()
    .map_err(xlsx_error)?;
    let first_column = cells.with_reader(|reader| reader.dimensions().start.1);
    let rows = XlsxRows {
        cells,
        first_column,
        pending: None,
        finished: false,
    };
    let mut table = Table::new(FileFormat::Xlsx, Source::Xlsx(Box::new(rows)));
    table.sheets = sheets;
    table.sheet = Some(sheet);
    Ok(table)
}

impl XlsxRows<'_> {
    pub(super) fn next_raw(&mut self) -> Option<Result<RawRow, FileError>> {
        let first = match self.pending.take().map(Ok).or_else(|| self.next_cell())? {
            Ok(cell) => cell,
            Err(error) => return Some(Err(error)),
        };
        let row = first.row;
        let mut cells = Vec::new();
        self.place(&mut cells, first);
        while let Some(next) = self.next_cell() {
            match next {
                Ok(cell) if cell.row == row => self.place(&mut cells, cell),
                Ok(cell) => {
                    self.pending = Some(cell);
                    break;
                }
                Err(error) => return Some(Err(error)),
            }
        }
        Some(Ok((u64::from(row) + 1, cells)))
    }

    fn place(&self, cells: &mut Vec<String>, cell: Cell) {
        let index = cell.column.saturating_sub(self.first_column) as usize;
        if cell.text.is_empty() && index >= cells.len() {
            return;
        }
        if index >= cells.len() {
            cells.resize(index + 1, String::new());
        }
        cells[index] = cell.text;
    }

    fn next_cell(&mut self) -> Option<Result<Cell, FileError>> {
        if self.finished {
            return None;
        }
        let next = self.cells.with_reader_mut(|reader| {
            reader.next_cell().map(|cell| {
                cell.map(|cell| {
                    let (row, column) = cell.get_position();
                    let text = cell_text(cell.get_value());
                    Cell { row, column, text }
                })
            })
        });
        match next {
            Ok(Some(cell)) => Some(Ok(cell)),
            Ok(None) => {
                self.finished = true;
                None
            }
            Err(error) => {
                self.finished = true;
                Some(Err(xlsx_error(error)))
            }
        }
    }
}

/// A cell as the text people see in it, minus formatting: whole numbers
/// without `.0`, dates as `YYYY-MM-DD`.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::DateTimeIso(text) if starts_with_date(text) => text[..10].to_owned(),
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => text.clone(),
        DataRef::SharedString(text) => (*text).to_owned(),
        DataRef::Int(number) => number.to_string(),
        // Rust writes floats in plain decimal notation, never with an exponent.
        DataRef::Float(number) => number.to_string(),
        DataRef::Bool(flag) => flag.to_string(),
        DataRef::DateTime(datetime) if datetime.is_datetime() => date_text(datetime),
        DataRef::DateTime(duration) => duration.as_f64().to_string(),
        DataRef::Error(error) => error.to_string(),
    }
}

/// calamine applies the workbook's epoch (1900, with Lotus's phantom
/// 1900-02-29, or 1904) when it splits the serial number.
fn date_text(datetime: &ExcelDateTime) -> String {
    let (year, month, day, ..) = datetime.to_ymd_hms_milli();
    format!("{year:04}-{month:02}-{day:02}")
}

fn starts_with_date(text: &str) -> bool {
    text.get(..10)
        .is_some_and(|date| chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok())
}

fn xlsx_error(error: XlsxError) -> FileError {
    FileError::Xlsx(error.to_string())
}

#[cfg(test)]
mod tests {
    use calamine::{CellErrorType, ExcelDateTimeType::DateTime, ExcelDateTimeType::TimeDelta};

    use super::*;

    #[test]
    fn cells_read_as_the_text_people_see() {
        assert_eq!(cell_text(&DataRef::SharedString("Łódź")), "Łódź");
        assert_eq!(cell_text(&DataRef::Int(605500600)), "605500600");
        assert_eq!(cell_text(&DataRef::Float(4500.0)), "4500");
        assert_eq!(cell_text(&DataRef::Float(12345.67)), "12345.67");
        assert_eq!(cell_text(&DataRef::Float(1e21)), "1000000000000000000000");
        assert_eq!(cell_text(&DataRef::Float(0.000001)), "0.000001");
        assert_eq!(cell_text(&DataRef::Bool(true)), "true");
        assert_eq!(cell_text(&DataRef::Empty), "");
        assert_eq!(cell_text(&DataRef::Error(CellErrorType::Div0)), "#DIV/0!");
        assert_eq!(
            cell_text(&DataRef::DateTimeIso("2026-12-31T14:00:00".into())),
            "2026-12-31"
        );
    }

    #[test]
    fn date_cells_become_iso_dates_in_either_epoch() {
        let date =
            |serial, is_1904| cell_text(&DataRef::DateTime(ExcelDateTime::new(serial, DateTime, is_1904)));
        assert_eq!(date(46387.0, false), "2026-12-31");
        assert_eq!(date(46387.99, false), "2026-12-31");
        assert_eq!(date(59.0, false), "1900-02-28");
        assert_eq!(date(61.0, false), "1900-03-01", "after Lotus's 1900-02-29");
        assert_eq!(date(46387.0 - 1462.0, true), "2026-12-31");
        let duration = DataRef::DateTime(ExcelDateTime::new(1.5, TimeDelta, false));
        assert_eq!(cell_text(&duration), "1.5");
    }
}
