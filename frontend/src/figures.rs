//! The Analytics page's state and the shapes its charts draw: the period
//! and filters (kept in the URL, so a view of the figures can be linked),
//! the query each figure sends, links to the pipeline filtered to the cases
//! behind a figure, and the table (and CSV) behind every chart.

use chrono::{Datelike, Days, Months, NaiveDate};
use lejek_domain::{PipelineFilters, PipelineQuery, Tab};

use crate::browser;
use crate::i18n::T;

/// The periods to pick from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    ThisMonth,
    LastMonth,
    ThisQuarter,
    Last12Months,
    Custom,
}

impl Preset {
    pub const ALL: [Preset; 5] = [
        Preset::ThisMonth,
        Preset::LastMonth,
        Preset::ThisQuarter,
        Preset::Last12Months,
        Preset::Custom,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Preset::ThisMonth => "this_month",
            Preset::LastMonth => "last_month",
            Preset::ThisQuarter => "this_quarter",
            Preset::Last12Months => "last_12_months",
            Preset::Custom => "custom",
        }
    }

    pub fn from_code(code: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|preset| preset.code() == code)
    }

    pub fn label(self) -> T {
        match self {
            Preset::ThisMonth => T::ThisMonth,
            Preset::LastMonth => T::LastMonth,
            Preset::ThisQuarter => T::ThisQuarter,
            Preset::Last12Months => T::Last12Months,
            Preset::Custom => T::Custom,
        }
    }

    /// The days the preset covers on `today`, both inclusive.
    pub fn days(self, today: NaiveDate) -> (NaiveDate, NaiveDate) {
        let month_start = today.with_day(1).unwrap_or(today);
        match self {
            Preset::ThisMonth | Preset::Custom => (month_start, today),
            Preset::LastMonth => {
                let start = month_start
                    .checked_sub_months(Months::new(1))
                    .unwrap_or(month_start);
                (start, month_start.pred_opt().unwrap_or(month_start))
            }
            Preset::ThisQuarter => {
                let back = today.month0() % 3;
                (
                    month_start
                        .checked_sub_months(Months::new(back))
                        .unwrap_or(month_start),
                    today,
                )
            }
            Preset::Last12Months => (
                today
                    .checked_sub_months(Months::new(12))
                    .and_then(|day| day.checked_add_days(Days::new(1)))
                    .unwrap_or(today),
                today,
            ),
        }
    }
}

/// What the Analytics page shows: a period and the pipeline's filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureView {
    pub preset: Preset,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub filters: PipelineFilters,
}

impl FigureView {
    /// The view a URL's query string asks for; what it does not say (or
    /// says wrongly) is the last 12 months without filters.
    pub fn from_search(search: &str, today: NaiveDate) -> FigureView {
        let mut preset = Preset::Last12Months;
        let (mut from, mut to) = (None, None);
        let mut rest = form_urlencoded::Serializer::new(String::new());
        for (key, value) in form_urlencoded::parse(search.trim_start_matches('?').as_bytes()) {
            let date = || NaiveDate::parse_from_str(&value, "%Y-%m-%d").ok();
            match key.as_ref() {
                "period" => preset = Preset::from_code(&value).unwrap_or(preset),
                "from" => from = date(),
                "to" => to = date(),
                _ => {
                    rest.append_pair(&key, &value);
                }
            }
        }
        let filters = PipelineQuery::from_query_string(&rest.finish())
            .map(|query| query.filters)
            .unwrap_or_default();
        let (from, to) = match (preset, from, to) {
            (Preset::Custom, Some(from), Some(to)) if from <= to => (from, to),
            (Preset::Custom, _, _) => {
                preset = Preset::Last12Months;
                preset.days(today)
            }
            _ => preset.days(today),
        };
        FigureView {
            preset,
            from,
            to,
            filters: PipelineFilters {
                spam: false,
                tz: None,
                ..filters
            },
        }
    }

    /// The page's own URL.
    pub fn href(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        out.append_pair("period", self.preset.code());
        if self.preset == Preset::Custom {
            out.append_pair("from", &self.from.to_string());
            out.append_pair("to", &self.to.to_string());
        }
        let filters = self.filter_query();
        let mut query = out.finish();
        if !filters.is_empty() {
            query.push('&');
            query.push_str(&filters);
        }
        format!("/analytics?{query}")
    }

    fn filter_query(&self) -> String {
        PipelineQuery {
            filters: self.filters.clone(),
            ..PipelineQuery::default()
        }
        .to_query_string()
    }

    /// The query a figure sends: the filters in the browser's time zone,
    /// and the period unless the figure has none.
    pub fn api_query(&self, with_period: bool) -> String {
        let query = PipelineQuery {
            filters: PipelineFilters {
                tz: Some(browser::time_zone()),
                ..self.filters.clone()
            },
            ..PipelineQuery::default()
        }
        .to_query_string();
        if with_period {
            format!("from={}&to={}&{query}", self.from, self.to)
        } else {
            query
        }
    }

    /// The pipeline under these filters, narrowed further by `narrow`.
    pub fn pipeline_href(&self, narrow: impl FnOnce(&mut PipelineFilters)) -> String {
        let mut filters = self.filters.clone();
        narrow(&mut filters);
        let query = PipelineQuery {
            tab: Tab::All,
            filters,
            ..PipelineQuery::default()
        }
        .to_query_string();
        if query.is_empty() {
            "/".to_owned()
        } else {
            format!("/?{query}")
        }
    }
}

/// One cell of a figure's table: as shown, and as the CSV holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub shown: String,
    pub raw: String,
}

impl Cell {
    pub fn new(shown: impl Into<String>, raw: impl Into<String>) -> Cell {
        Cell {
            shown: shown.into(),
            raw: raw.into(),
        }
    }

    /// Text that is the same shown and in the CSV.
    pub fn text(text: impl Into<String>) -> Cell {
        let text = text.into();
        Cell::new(text.clone(), text)
    }
}

/// The numbers behind a chart, as a table and as CSV.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FigureTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl FigureTable {
    /// The table as CSV (RFC 4180), raw values, with a byte-order mark so
    /// that spreadsheets read it as UTF-8.
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let mut write = |record: Vec<&str>| writer.write_record(record).is_ok();
        let mut complete = write(self.headers.iter().map(String::as_str).collect());
        for row in &self.rows {
            complete &= write(row.iter().map(|cell| cell.raw.as_str()).collect());
        }
        let bytes = writer.into_inner().unwrap_or_default();
        if complete {
            format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
        } else {
            String::new()
        }
    }
}

/// A table's column names in `language`.
pub fn headers(keys: &[T], language: lejek_domain::Language) -> Vec<String> {
    keys.iter().map(|key| key.text(language).to_owned()).collect()
}

/// One bar of a horizontal bar chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// A part of the bar drawn darker (0 for none).
    pub part: f64,
    /// The exact number, written beside the bar.
    pub text: String,
    /// The pipeline filtered to the cases behind the bar.
    pub href: Option<String>,
}

/// An amount sent as a decimal string (`"125000.00"`).
pub fn amount(text: &str) -> f64 {
    text.parse().unwrap_or_default()
}

/// A ratio sent as a decimal string (`"0.6667"`).
pub fn ratio(text: &Option<String>) -> Option<f64> {
    text.as_deref().and_then(|text| text.parse().ok())
}
