//! Any CSV the csv crate writes, in UTF-8 or Windows-1250, reads back to the
//! same cells with its delimiter sniffed.

use lejek_intake::{Delimiter, FileFormat, ReadOptions, Table, TextEncoding};
use proptest::prelude::*;

/// `§` stands for the file's delimiter; `\r\n` and `\n` inside cells are
/// quoted newlines.
fn cell() -> impl Strategy<Value = String> {
    "([a-zA-Z0-9 ąćęłńóśźżĄĆĘŁŃÓŚŹŻ\"§.-]|\n|\r\n){0,12}"
}

fn table() -> impl Strategy<Value = Vec<Vec<String>>> {
    (2usize..6).prop_flat_map(|width| prop::collection::vec(prop::collection::vec(cell(), width), 1..25))
}

fn write(rows: &[Vec<String>], delimiter: Delimiter, crlf: bool, always_quote: bool) -> String {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter.byte())
        .terminator(if crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .quote_style(if always_quote {
            csv::QuoteStyle::Always
        } else {
            csv::QuoteStyle::Necessary
        })
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

proptest! {
    #[test]
    fn written_csv_reads_back_with_its_delimiter(
        generated in table(),
        delimiter in prop::sample::select(Delimiter::ALL.to_vec()),
        windows_1250: bool,
        crlf: bool,
        always_quote: bool,
    ) {
        let separator = char::from(delimiter.byte()).to_string();
        let mut rows: Vec<Vec<String>> = generated
            .iter()
            .map(|row| row.iter().map(|cell| cell.replace('§', &separator)).collect())
            .collect();
        for (index, cell) in rows[0].iter_mut().enumerate() {
            *cell = format!("h{index} {cell}");
        }
        let text = write(&rows, delimiter, crlf, always_quote);
        let bytes = if windows_1250 {
            encoding_rs::WINDOWS_1250.encode(&text).0.into_owned()
        } else {
            text.clone().into_bytes()
        };
        // Detection takes valid UTF-8 for UTF-8, as it must.
        let encoded_as_utf8 = windows_1250 && !text.is_ascii() && std::str::from_utf8(&bytes).is_ok();
        prop_assume!(!encoded_as_utf8);

        let table = Table::open(&bytes, FileFormat::Csv, &ReadOptions::default()).unwrap();
        let encoding = if windows_1250 && !text.is_ascii() { TextEncoding::Windows1250 } else { TextEncoding::Utf8 };
        prop_assert_eq!(table.encoding, Some(encoding));
        prop_assert_eq!(table.delimiter, Some(delimiter));
        let trimmed = |row: &Vec<String>| row.iter().map(|cell| cell.trim().to_owned()).collect::<Vec<_>>();
        prop_assert_eq!(&table.header, &trimmed(&rows[0]));
        let expected: Vec<(u64, Vec<String>)> = rows[1..]
            .iter()
            .enumerate()
            .map(|(index, row)| (index as u64 + 2, trimmed(row)))
            .filter(|(_, cells)| cells.iter().any(|cell| !cell.is_empty()))
            .collect();
        let read: Vec<(u64, Vec<String>)> = table.rows().map(Result::unwrap).collect();
        prop_assert_eq!(read, expected);
    }
}
