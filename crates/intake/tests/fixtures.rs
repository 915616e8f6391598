//! The sample files in `tests/fixtures/intake/` read back exactly.

use chrono::NaiveDate;
use lejek_domain::{Email, Source};
use lejek_intake::{
    Delimiter, Field, FileError, FileFormat, ImportRow, Mapping, ReadOptions, Table, TextEncoding, format_of,
    read_row, suggest_mapping,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/intake/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

fn strings(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|text| text.to_string()).collect()
}

fn read_all<'a>(bytes: &'a [u8], options: &ReadOptions) -> (Table<'a>, Vec<(u64, ImportRow)>) {
    let table = Table::open(bytes, format_of(bytes, None), options).unwrap();
    let header = table.header.clone();
    let mapping = Mapping(suggest_mapping(&header));
    let rows = Table::open(bytes, table.format, options)
        .unwrap()
        .rows()
        .map(|row| {
            let (line, cells) = row.unwrap();
            let (row, errors) = read_row(&cells, &mapping);
            assert!(errors.is_empty(), "line {line}: {errors:?}");
            (line, row)
        })
        .collect();
    (table, rows)
}

const POLISH_HEADER: [&str; 9] = [
    "Temat",
    "Źródło",
    "Imię i nazwisko",
    "Firma",
    "E-mail",
    "Telefon",
    "Przewidywana data zamknięcia",
    "Wartość",
    "Waluta",
];

const POLISH_FIELDS: [Field; 9] = [
    Field::Subject,
    Field::Source,
    Field::ContactName,
    Field::Company,
    Field::Email,
    Field::Phone,
    Field::ExpectedCloseDate,
    Field::Value,
    Field::Currency,
];

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn polish_excel_csv_is_windows_1250_with_semicolons() {
    let bytes = fixture("polish-excel.csv");
    let table = Table::open(
        &bytes,
        format_of(&bytes, Some("text/csv")),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(table.format, FileFormat::Csv);
    assert_eq!(table.encoding, Some(TextEncoding::Windows1250));
    assert_eq!(table.delimiter, Some(Delimiter::Semicolon));
    assert!(!table.had_bom);
    assert_eq!(table.header, POLISH_HEADER);
    assert_eq!(suggest_mapping(&table.header), POLISH_FIELDS.map(Some));

    let rows: Vec<_> = table.rows().map(Result::unwrap).collect();
    let lines: Vec<u64> = rows.iter().map(|(line, _)| *line).collect();
    assert_eq!(
        lines,
        [2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14],
        "the blank line 9 is skipped"
    );
    assert_eq!(
        rows[0].1,
        strings(&[
            "Wdrożenie CRM w oddziale w Łodzi",
            "telefon",
            "Łukasz Żółć",
            "Żółć i Synowie Sp. z o.o.",
            "lukasz.zolc@zolc.pl",
            "+48 601 234 567",
            "31.12.2026",
            "12 345,67",
            "PLN",
        ])
    );
    assert_eq!(
        rows[3].1[0],
        "Audyt magazynu; etap 1\nMagazyn w Gdańsku, ul. Długa 5"
    );
    assert_eq!(
        rows[7].1[2..4],
        strings(&["Zażółć Gęślą Jaźń", "ZAŻÓŁĆ GĘŚLĄ JAŹŃ SP. Z O.O."])
    );
    assert_eq!(rows[7].1[0], "Pakiet „Zażółć gęślą jaźń”");
}

#[test]
fn polish_excel_csv_reads_into_typed_rows() {
    let bytes = fixture("polish-excel.csv");
    let (_, rows) = read_all(&bytes, &ReadOptions::default());
    let (line, first) = &rows[0];
    assert_eq!(*line, 2);
    assert_eq!(
        *first,
        ImportRow {
            subject: Some("Wdrożenie CRM w oddziale w Łodzi".into()),
            source: Some(Source::Phone),
            contact_name: Some("Łukasz Żółć".into()),
            company: Some("Żółć i Synowie Sp. z o.o.".into()),
            email: Some("lukasz.zolc@zolc.pl".into()),
            phone: Some("+48 601 234 567".into()),
            expected_close_date: date(2026, 12, 31),
            value: Some(12345.67),
            currency: Some("PLN".into()),
            ..ImportRow::default()
        }
    );
    let sources: Vec<_> = rows.iter().map(|(_, row)| row.source.unwrap()).collect();
    assert_eq!(
        sources,
        [
            Source::Phone,
            Source::ContactForm,
            Source::Email,
            Source::Partner,
            Source::DirectVisit,
            Source::Phone,
            Source::Phone,
            Source::SocialMedia,
            Source::Partner,
            Source::ContactForm,
            Source::Partner,
            Source::Phone,
        ]
    );
    let values: Vec<_> = rows.iter().map(|(_, row)| row.value.unwrap()).collect();
    assert_eq!(
        values,
        [
            12345.67, 4500.0, 98765.43, 250000.0, 7999.99, 1250.0, 3000.0, 15000.5, 2400.0, 1234567.89,
            890.0, 45000.0
        ]
    );
    assert_eq!(rows[8].1.currency.as_deref(), Some("EUR"));
    assert_eq!(rows[1].1.expected_close_date, date(2027, 1, 15));
}

#[test]
fn polish_excel_csv_has_two_rows_to_refuse_and_one_contact_to_reuse() {
    let bytes = fixture("polish-excel.csv");
    let (_, rows) = read_all(&bytes, &ReadOptions::default());
    let bad_email: Vec<u64> = rows
        .iter()
        .filter(|(_, row)| {
            row.email
                .as_deref()
                .is_some_and(|email| Email::parse(email).is_err())
        })
        .map(|(line, _)| *line)
        .collect();
    assert_eq!(bad_email, [6]);
    let no_subject: Vec<u64> = rows
        .iter()
        .filter(|(_, row)| row.subject.is_none())
        .map(|(line, _)| *line)
        .collect();
    assert_eq!(no_subject, [8]);
    let email = |index: usize| Email::parse(rows[index].1.email.as_deref().unwrap()).unwrap();
    assert_eq!(rows[5].0, 7);
    assert_eq!(
        email(5),
        email(0),
        "line 7 repeats line 2's contact, in other letter case"
    );
}

#[test]
fn utf8_bom_csv_is_utf8_with_commas() {
    let bytes = fixture("utf8-bom.csv");
    let (table, rows) = read_all(&bytes, &ReadOptions::default());
    assert_eq!(table.encoding, Some(TextEncoding::Utf8));
    assert!(table.had_bom);
    assert_eq!(table.delimiter, Some(Delimiter::Comma));
    assert_eq!(table.header[0], "Subject", "no BOM left in the first header");
    assert_eq!(suggest_mapping(&table.header)[9], Some(Field::ExternalId));
    assert_eq!(rows.len(), 6);
    let (line, first) = &rows[0];
    assert_eq!(*line, 2);
    assert_eq!(first.company.as_deref(), Some("Acme, Inc."));
    assert_eq!(first.source, Some(Source::ContactForm));
    assert_eq!(first.expected_close_date, date(2026, 12, 31));
    assert_eq!(
        (first.value, first.currency.as_deref()),
        (Some(12345.67), Some("GBP"))
    );
    assert_eq!(first.external_id.as_deref(), Some("HS-1001"));
    assert_eq!(rows[2].1.contact_name.as_deref(), Some("Zoë Łukasiewicz"));
    assert_eq!(rows[3].1.subject.as_deref(), Some("Training \"Sales 101\""));
    assert_eq!(rows[3].1.phone, None);
    assert_eq!(rows[5].1.source, Some(Source::DirectVisit));
}

#[test]
fn leads_xlsx_reads_its_first_sheet_with_real_dates_and_numbers() {
    let bytes = fixture("leads.xlsx");
    assert_eq!(
        format_of(&bytes, Some("application/octet-stream")),
        FileFormat::Xlsx
    );
    let table = Table::open(&bytes, FileFormat::Xlsx, &ReadOptions::default()).unwrap();
    assert_eq!(table.sheets, ["Leady", "Inne"]);
    assert_eq!(table.sheet.as_deref(), Some("Leady"));
    assert_eq!((table.encoding, table.delimiter), (None, None));
    assert_eq!(table.header, POLISH_HEADER);
    let rows: Vec<_> = table.rows().map(Result::unwrap).collect();
    let lines: Vec<u64> = rows.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [2, 3, 4, 5, 6, 8, 9, 10], "the empty row 7 is skipped");
    assert_eq!(
        rows[0].1,
        strings(&[
            "Wdrożenie CRM",
            "telefon",
            "Łukasz Żółć",
            "Żółć i Synowie",
            "lukasz.zolc@zolc.pl",
            "601 234 567",
            "2026-12-31",
            "12345.67",
            "PLN",
        ])
    );
    assert_eq!(rows[1].1[6..8], strings(&["2027-01-15", "4500"]));
    assert_eq!(rows[2].1[6], "2027-02-28", "a datetime cell gives its date");
    assert_eq!(rows[3].1[0], "Audyt bezpieczeństwa", "trimmed");
    assert_eq!(rows[5].1[5], "605500600", "a whole number without .0");
    assert_eq!(rows[6].1[6], "31.12.2026", "a date typed as text stays text");
}

#[test]
fn leads_xlsx_reads_into_typed_rows_with_one_to_refuse() {
    let bytes = fixture("leads.xlsx");
    let (_, rows) = read_all(&bytes, &ReadOptions::default());
    assert_eq!(rows.len(), 8);
    assert!(rows.iter().all(|(_, row)| row.expected_close_date.is_some()));
    assert_eq!(rows[0].1.expected_close_date, date(2026, 12, 31));
    assert_eq!(rows[6].1.expected_close_date, date(2026, 12, 31));
    assert_eq!(rows[6].1.value, Some(15000.5));
    let refused: Vec<u64> = rows
        .iter()
        .filter(|(_, row)| Email::parse(row.email.as_deref().unwrap_or_default()).is_err())
        .map(|(line, _)| *line)
        .collect();
    assert_eq!(refused, [6]);
}

#[test]
fn leads_xlsx_reads_a_chosen_sheet_and_refuses_an_unknown_one() {
    let bytes = fixture("leads.xlsx");
    let options = ReadOptions {
        sheet: Some("Inne".into()),
        ..ReadOptions::default()
    };
    let table = Table::open(&bytes, FileFormat::Xlsx, &options).unwrap();
    assert_eq!(table.sheet.as_deref(), Some("Inne"));
    assert_eq!(table.header, ["Notatka", "Data"]);
    let rows: Vec<_> = table.rows().map(Result::unwrap).collect();
    assert_eq!(rows, [(2, strings(&["Lista kontaktów z targów", "2026-10-01"]))]);
    let options = ReadOptions {
        sheet: Some("Brak".into()),
        ..ReadOptions::default()
    };
    let error = Table::open(&bytes, FileFormat::Xlsx, &options).err();
    assert_eq!(error, Some(FileError::UnknownSheet("Brak".into())));
}
