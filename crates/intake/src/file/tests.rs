use super::*;

fn open_csv<'a>(bytes: &'a [u8], options: &ReadOptions) -> Result<Table<'a>, FileError> {
    Table::open(bytes, FileFormat::Csv, options)
}

fn rows(table: Table<'_>) -> Vec<(u64, Vec<String>)> {
    table.rows().map(Result::unwrap).collect()
}

fn cells(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|text| text.to_string()).collect()
}

fn windows_1250(text: &str) -> Vec<u8> {
    encoding_rs::WINDOWS_1250.encode(text).0.into_owned()
}

#[test]
fn the_first_bytes_decide_the_format_and_the_content_type_only_hints() {
    let xlsx_type = Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert_eq!(format_of(b"PK\x03\x04rest", Some("text/csv")), FileFormat::Xlsx);
    assert_eq!(format_of(b"PK\x03\x04rest", None), FileFormat::Xlsx);
    assert_eq!(format_of(b"Temat;Firma\n", xlsx_type), FileFormat::Csv);
    assert_eq!(format_of(b"", xlsx_type), FileFormat::Xlsx);
    assert_eq!(format_of(b"", Some("text/csv; charset=utf-8")), FileFormat::Csv);
}

#[test]
fn the_content_hash_is_lowercase_hex_sha256() {
    assert_eq!(
        content_hash(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn wire_codes_round_trip() {
    for &encoding in TextEncoding::ALL {
        assert_eq!(encoding.as_str().parse(), Ok(encoding));
    }
    for &delimiter in Delimiter::ALL {
        assert_eq!(delimiter.as_str().parse(), Ok(delimiter));
    }
    assert_eq!(TextEncoding::Windows1250.as_str(), "windows-1250");
    assert_eq!(Delimiter::Tab.byte(), b'\t');
    assert!("latin-1".parse::<TextEncoding>().is_err());
}

#[test]
fn a_bom_means_utf8_and_is_dropped() {
    let table = open_csv(
        "\u{feff}Temat;Firma\nŻółw;Łódź\n".as_bytes(),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!((table.encoding, table.had_bom), (Some(TextEncoding::Utf8), true));
    assert_eq!(table.header, ["Temat", "Firma"]);
    assert_eq!(rows(table), [(2, cells(&["Żółw", "Łódź"]))]);
}

#[test]
fn valid_utf8_without_a_bom_is_utf8() {
    let table = open_csv("Temat;Firma\nŻółw;Łódź\n".as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!((table.encoding, table.had_bom), (Some(TextEncoding::Utf8), false));
    assert_eq!(rows(table), [(2, cells(&["Żółw", "Łódź"]))]);
}

#[test]
fn anything_else_is_windows_1250() {
    let bytes = windows_1250("Temat;Źródło\nZażółć gęślą jaźń;ZAŻÓŁĆ GĘŚLĄ JAŹŃ\n");
    let table = open_csv(&bytes, &ReadOptions::default()).unwrap();
    assert_eq!(table.encoding, Some(TextEncoding::Windows1250));
    assert_eq!(table.header, ["Temat", "Źródło"]);
    assert_eq!(
        rows(table),
        [(2, cells(&["Zażółć gęślą jaźń", "ZAŻÓŁĆ GĘŚLĄ JAŹŃ"]))]
    );
}

#[test]
fn a_forced_encoding_is_used() {
    let bytes = encoding_rs::ISO_8859_2
        .encode("Temat;Miasto\nŚląsk;Łódź\n")
        .0
        .into_owned();
    let options = ReadOptions {
        encoding: Some(TextEncoding::Iso88592),
        ..ReadOptions::default()
    };
    let table = open_csv(&bytes, &options).unwrap();
    assert_eq!(table.encoding, Some(TextEncoding::Iso88592));
    assert_eq!(rows(table), [(2, cells(&["Śląsk", "Łódź"]))]);
}

#[test]
fn bytes_that_are_no_text_are_refused() {
    let forced_utf8 = ReadOptions {
        encoding: Some(TextEncoding::Utf8),
        ..ReadOptions::default()
    };
    let error = open_csv(&windows_1250("Temat\nŻółw\n"), &forced_utf8).err();
    assert_eq!(error, Some(FileError::NotText));
    let error = open_csv(b"PK\x00\x00\x14\x00binary;junk\n", &ReadOptions::default()).err();
    assert_eq!(error, Some(FileError::NotText));
    let utf16 = b"\xff\xfeT\x00e\x00m\x00a\x00t\x00";
    assert_eq!(
        open_csv(utf16, &ReadOptions::default()).err(),
        Some(FileError::NotText)
    );
}

#[test]
fn an_empty_or_blank_file_has_no_header() {
    let options = ReadOptions::default();
    assert_eq!(open_csv(b"", &options).err(), Some(FileError::Empty));
    assert_eq!(open_csv(b"\xEF\xBB\xBF", &options).err(), Some(FileError::Empty));
    assert_eq!(
        open_csv(b"\r\n\n  \n;;;\n", &options).err(),
        Some(FileError::NoHeader)
    );
}

#[test]
fn a_header_only_file_has_no_rows() {
    let table = open_csv(b"Temat;Firma;;\r\n", &ReadOptions::default()).unwrap();
    assert_eq!(
        table.header,
        ["Temat", "Firma"],
        "trailing blank header cells dropped"
    );
    assert_eq!(table.header_line(), 1);
    assert_eq!(rows(table), []);
}

#[test]
fn the_sniffed_or_given_delimiter_is_used() {
    let table = open_csv(b"a,b;c\n1,2;3\n", &ReadOptions::default()).unwrap();
    assert_eq!(table.delimiter, Some(Delimiter::Semicolon));
    let options = ReadOptions {
        delimiter: Some(Delimiter::Comma),
        ..ReadOptions::default()
    };
    let table = open_csv(b"a,b;c\n1,2;3\n", &options).unwrap();
    assert_eq!(table.delimiter, Some(Delimiter::Comma));
    assert_eq!(table.header, ["a", "b;c"]);
}

#[test]
fn cells_are_trimmed_and_rows_fitted_to_the_header() {
    let table = open_csv(
        b" Temat ; Firma ;Miasto\n Oferta ;\n1;2;3;;\n",
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(table.header, ["Temat", "Firma", "Miasto"]);
    assert_eq!(
        rows(table),
        [(2, cells(&["Oferta", "", ""])), (3, cells(&["1", "2", "3"]))]
    );
}

#[test]
fn text_beyond_the_header_is_an_error_for_that_row_only() {
    let table = open_csv(b"Temat;Firma\n1;2;3\n4;5\n", &ReadOptions::default()).unwrap();
    let rows: Vec<_> = table.rows().collect();
    assert_eq!(
        rows,
        [Err(FileError::ExtraCells { row: 2 }), Ok((3, cells(&["4", "5"])))]
    );
}

#[test]
fn numbers_count_blank_and_empty_lines_but_not_quoted_newlines() {
    let text = b"Temat;Opis\r\n1;\"a\r\nb\"\r\n\r\n;\r\n2;\"c\nd\ne\"\r\n3;x";
    let table = open_csv(text, &ReadOptions::default()).unwrap();
    assert_eq!(
        rows(table),
        [
            (2, cells(&["1", "a\r\nb"])),
            (5, cells(&["2", "c\nd\ne"])),
            (6, cells(&["3", "x"])),
        ]
    );
    let table = open_csv(b"\n\nTemat\n\nA\n", &ReadOptions::default()).unwrap();
    assert_eq!(table.header_line(), 3);
    assert_eq!(rows(table), [(5, cells(&["A"]))]);
}

#[test]
fn old_mac_line_ends_are_records_too() {
    let table = open_csv(b"Temat;Firma\r1;2\r3;4", &ReadOptions::default()).unwrap();
    assert_eq!(rows(table), [(2, cells(&["1", "2"])), (3, cells(&["3", "4"]))]);
}

#[test]
fn counting_rows_reads_them_all_once() {
    let mut text = String::from("Temat;Wartość\n");
    for n in 0..10_000 {
        text.push_str(&format!("Sprawa {n};{n},50\n"));
    }
    let table = open_csv(text.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(table.rows().count(), 10_000);
}

#[test]
fn a_broken_workbook_is_an_xlsx_error() {
    let error = Table::open(b"PK\x03\x04garbage", FileFormat::Xlsx, &ReadOptions::default()).err();
    assert!(matches!(error, Some(FileError::Xlsx(_))), "{error:?}");
    let error = Table::open(b"", FileFormat::Xlsx, &ReadOptions::default()).err();
    assert_eq!(error, Some(FileError::Empty));
}
