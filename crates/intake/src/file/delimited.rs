//! CSV: the encoding and the delimiter, detected unless given, and records
//! decoded while they are read.

use std::io::{Chain, Read};

use ::csv::{Reader, ReaderBuilder, StringRecord, Terminator};
use encoding_rs_io::{DecodeReaderBytes, DecodeReaderBytesBuilder};

use super::{FileError, FileFormat, RawRow, ReadOptions, Source, Table, TextEncoding, sniff};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The file's bytes, then a line feed if they lack a last one, decoded.
type Decoded<'a> = DecodeReaderBytes<Chain<&'a [u8], &'static [u8]>, Vec<u8>>;

pub(super) struct CsvRows<'a> {
    reader: Reader<Decoded<'a>>,
    record: StringRecord,
    /// The line number of the last record given.
    number: u64,
    /// The count of line feeds read so far, plus one.
    line: u64,
}

pub(super) fn open<'a>(bytes: &'a [u8], options: &ReadOptions) -> Result<Table<'a>, FileError> {
    // A UTF-8 BOM is dropped even when another encoding is forced: no Polish
    // text starts with "ď»ż", which is what it would decode to.
    let had_bom = bytes.starts_with(UTF8_BOM);
    let text = if had_bom { &bytes[UTF8_BOM.len()..] } else { bytes };
    if text.is_empty() {
        return Err(FileError::Empty);
    }
    if text.contains(&0) {
        return Err(FileError::NotText);
    }
    let valid_utf8 = std::str::from_utf8(text).is_ok();
    let encoding = match options.encoding {
        Some(forced) => forced,
        None if had_bom || valid_utf8 => TextEncoding::Utf8,
        None => TextEncoding::Windows1250,
    };
    if encoding == TextEncoding::Utf8 && !valid_utf8 {
        return Err(FileError::NotText);
    }
    let delimiter = options.delimiter.unwrap_or_else(|| sniff::delimiter(text));
    // Every record then ends in a line feed, which the numbering relies on.
    let last_line_feed: &'static [u8] = if text.ends_with(b"\n") { b"" } else { b"\n" };
    // UTF-8 was checked above, so it passes through undecoded.
    let decoded = DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding_of(encoding)))
        .utf8_passthru(true)
        .bom_sniffing(false)
        .strip_bom(false)
        .build(text.chain(last_line_feed));
    let reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter.byte())
        .terminator(line_terminator(text))
        .from_reader(decoded);
    let rows = CsvRows {
        reader,
        record: StringRecord::new(),
        number: 0,
        line: 1,
    };
    let mut table = Table::new(FileFormat::Csv, Source::Csv(Box::new(rows)));
    table.encoding = Some(encoding);
    table.had_bom = had_bom;
    table.delimiter = Some(delimiter);
    Ok(table)
}

fn encoding_of(encoding: TextEncoding) -> &'static encoding_rs::Encoding {
    match encoding {
        TextEncoding::Utf8 => encoding_rs::UTF_8,
        TextEncoding::Windows1250 => encoding_rs::WINDOWS_1250,
        TextEncoding::Iso88592 => encoding_rs::ISO_8859_2,
    }
}

/// Records end at a line feed, the carriage return of CRLF staying in the
/// last cell to be trimmed away: that way the csv crate counts one line per
/// record's end, which CRLF mode does not do consistently. Files of old Macs,
/// with carriage returns only, keep CRLF mode (and number by records).
fn line_terminator(text: &[u8]) -> Terminator {
    if !text.contains(&b'\n') && text.contains(&b'\r') {
        Terminator::CRLF
    } else {
        Terminator::Any(b'\n')
    }
}

impl CsvRows<'_> {
    pub(super) fn next_raw(&mut self) -> Option<Result<RawRow, FileError>> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                // The csv crate skips empty lines, but a spreadsheet shows each
                // as a row: the line feeds read beyond the record's own and
                // those quoted inside it are such lines.
                let line = self.reader.position().line();
                let quoted: u64 = self
                    .record
                    .iter()
                    .map(|cell| cell.matches('\n').count() as u64)
                    .sum();
                let empty_lines = (line - self.line).saturating_sub(1 + quoted);
                self.line = line;
                self.number += 1 + empty_lines;
                Some(Ok((self.number, self.record.iter().map(str::to_owned).collect())))
            }
            Err(error) => Some(Err(FileError::Csv {
                row: self.number + 1,
                message: error.to_string(),
            })),
        }
    }
}
