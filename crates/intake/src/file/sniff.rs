//! Guessing a CSV file's delimiter from its first records.

use ::csv::{ByteRecord, ReaderBuilder};

use super::Delimiter;

/// How much of the file is looked at.
const PREFIX_BYTES: usize = 64 * 1024;
/// How many records are compared.
const RECORDS: usize = 50;
/// In the order that wins ties: `;` first, as Polish Excel writes it.
const CANDIDATES: [Delimiter; 4] = [
    Delimiter::Semicolon,
    Delimiter::Comma,
    Delimiter::Tab,
    Delimiter::Pipe,
];

/// The candidate that splits the most records into the same number of
/// columns (more than one), then the one giving more columns; `;` when none
/// splits anything.
///
/// It reads raw bytes: every candidate and the quote are ASCII, which mean
/// the same in UTF-8, Windows-1250 and ISO-8859-2, so nothing is decoded.
pub(super) fn delimiter(text: &[u8]) -> Delimiter {
    let mut best = (Delimiter::Semicolon, (0.0, 0));
    for candidate in CANDIDATES {
        if let Some(score) = score(text, candidate.byte())
            && score > best.1
        {
            best = (candidate, score);
        }
    }
    best.0
}

/// The share of records that have the most common column count, and that
/// count; `None` when it is one column.
fn score(text: &[u8], delimiter: u8) -> Option<(f64, usize)> {
    let truncated = text.len() > PREFIX_BYTES;
    let prefix = &text[..text.len().min(PREFIX_BYTES)];
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(prefix);
    let mut counts = Vec::with_capacity(RECORDS + 1);
    let mut record = ByteRecord::new();
    while counts.len() <= RECORDS && reader.read_byte_record(&mut record).unwrap_or(false) {
        if record.iter().any(|field| !field.trim_ascii().is_empty()) {
            counts.push(record.len());
        }
    }
    // The record that the cut at the prefix's end runs through is partial.
    if truncated && counts.len() <= RECORDS {
        counts.pop();
    }
    counts.truncate(RECORDS);
    let (columns, rows) = mode(&counts)?;
    (columns > 1).then(|| (rows as f64 / counts.len() as f64, columns))
}

/// The most common value and how often it occurs; the larger value on ties.
fn mode(counts: &[usize]) -> Option<(usize, usize)> {
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    sorted
        .chunk_by(|a, b| a == b)
        .map(|run| (run[0], run.len()))
        .max_by_key(|&(value, occurrences)| (occurrences, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_consistent_split_wins() {
        assert_eq!(delimiter(b"a;b;c\n1;2;3\n4;5;6\n"), Delimiter::Semicolon);
        assert_eq!(delimiter(b"a,b,c\n1,2,3\n4,5,6\n"), Delimiter::Comma);
        assert_eq!(delimiter(b"a\tb\n1\t2\n"), Delimiter::Tab);
        assert_eq!(delimiter(b"a|b\n1|2\n"), Delimiter::Pipe);
    }

    #[test]
    fn decimal_commas_in_a_semicolon_file_do_not_fool_it() {
        let text = "Temat;Wartość;Data\nA;12,50;31.12.2026\nB;1 234,00;01.01.2027\nC;7;02.02.2027\n";
        assert_eq!(delimiter(text.as_bytes()), Delimiter::Semicolon);
    }

    #[test]
    fn quoted_delimiters_and_newlines_do_not_fool_it() {
        let text = "name,note,city\n\"Kowalski; Jan\",\"a;b;c\nd;e\",Kraków\n\"Nowak; Ewa\",\"x;y\",Gdańsk\n";
        assert_eq!(delimiter(text.as_bytes()), Delimiter::Comma);
        let text = "name;note\n\"a,b,c\";\"1,2\n3,4,5\"\n\"d,e\";f\n";
        assert_eq!(delimiter(text.as_bytes()), Delimiter::Semicolon);
    }

    #[test]
    fn ties_and_single_columns_go_to_the_semicolon() {
        assert_eq!(delimiter(b"a;b,c\n1;2,3\n"), Delimiter::Semicolon);
        assert_eq!(delimiter(b"just one column\nand another\n"), Delimiter::Semicolon);
    }

    #[test]
    fn only_the_first_records_count() {
        let mut text = String::from("a,b\n");
        for _ in 0..RECORDS {
            text.push_str("1,2\n");
        }
        for _ in 0..(4 * RECORDS) {
            text.push_str("3;4;5\n");
        }
        assert_eq!(delimiter(text.as_bytes()), Delimiter::Comma);
    }
}
