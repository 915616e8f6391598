//! The refused rows of an import as a CSV file to fix and import again:
//! each row's number and what is wrong with it, then its own cells under
//! the file's own header, so the fixed file maps as the first one did.

use actix_web::web::Bytes;
use futures_util::Stream;
use lejek_domain::{ImportField, Language};
use lejek_store::{ImportRecord, Refusal, Store, StoreError};

/// Refused rows read per page.
const PAGE: u64 = 1_000;

fn headings(language: Language) -> [&'static str; 4] {
    match language {
        Language::Pl => ["Wiersz", "Kolumny", "Kody błędów", "Błędy"],
        Language::En => ["Row", "Columns", "Error codes", "Errors"],
    }
}

fn line(cells: impl IntoIterator<Item = String>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = writer.write_record(cells.into_iter().collect::<Vec<_>>());
    writer.into_inner().unwrap_or_default()
}

fn refusal_line(refusal: &Refusal, header: &[String], language: Language) -> Vec<u8> {
    let column_name = |column: Option<u32>, field: &str| match column {
        Some(column) => header
            .get(column as usize)
            .cloned()
            .unwrap_or_else(|| column.to_string()),
        None => field
            .parse::<ImportField>()
            .map(|field| field.label(language).to_owned())
            .unwrap_or_else(|_| field.to_owned()),
    };
    let columns = refusal
        .errors
        .iter()
        .map(|error| column_name(error.column, &error.field))
        .collect::<Vec<_>>()
        .join(", ");
    let codes = refusal
        .errors
        .iter()
        .map(|error| error.code.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let messages = refusal
        .errors
        .iter()
        .map(|error| {
            format!(
                "{}: {}",
                column_name(error.column, &error.field),
                error.code.label(language)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let mut cells = vec![refusal.row.to_string(), columns, codes, messages];
    cells.extend(refusal.cells.iter().cloned());
    line(cells)
}

/// The report, streamed a page of refused rows at a time.
pub fn refusals_csv(
    store: Store,
    record: ImportRecord,
    language: Language,
) -> impl Stream<Item = Result<Bytes, actix_web::Error>> {
    let header = record.reading.header.clone();
    let mut first = b"\xEF\xBB\xBF".to_vec();
    first.extend(line(
        headings(language)
            .iter()
            .map(|heading| (*heading).to_owned())
            .chain(header.iter().cloned()),
    ));
    let start = futures_util::stream::once(async move { Ok::<_, actix_web::Error>(Bytes::from(first)) });
    let pages = futures_util::stream::unfold(Some(0_i64), move |after| {
        let store = store.clone();
        let header = header.clone();
        let import_id = record.id;
        async move {
            let after = after?;
            match store.import_refusals(import_id, after, PAGE).await {
                Ok(page) if page.is_empty() => None,
                Ok(page) => {
                    let next = page.last().map(|refusal| refusal.id);
                    let mut chunk = Vec::new();
                    for refusal in &page {
                        chunk.extend(refusal_line(refusal, &header, language));
                    }
                    Some((Ok(Bytes::from(chunk)), next))
                }
                Err(error) => Some((Err(report_failed(error)), None)),
            }
        }
    });
    futures_util::StreamExt::chain(start, pages)
}

fn report_failed(error: StoreError) -> actix_web::Error {
    tracing::error!(%error, "refused rows report stopped");
    actix_web::error::ErrorInternalServerError("the report stopped")
}
