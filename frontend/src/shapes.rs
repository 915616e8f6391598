//! How each figure's report is drawn and told: bars and tables for the
//! bar figures (win rate, sales cycle, time per stage, resignation reasons).

use lejek_domain::analytics::{DurationStats, DurationsReport, ResignationsReport, StayFigures};
use lejek_domain::dto::OutcomesBody;
use lejek_domain::{Language, Source};

use crate::components::bar_figure::BarShape;
use crate::figures::{Bar, Cell, FigureTable, FigureView, amount, headers, ratio};
use crate::i18n::{T, format_count, format_days, format_money, format_percent};

// ---- outcomes: win rate and sales cycle ------------------------------

/// A duration: in days as shown, in seconds in the CSV.
fn seconds_cell(value: Option<i64>, language: Language) -> Cell {
    Cell::new(
        value.map(|secs| format_days(secs, language)).unwrap_or_default(),
        value.map(|secs| secs.to_string()).unwrap_or_default(),
    )
}

/// A group's cell: its name as shown, its key in the CSV.
fn group_cell(group: &lejek_domain::dto::OutcomeRow, language: Language) -> Cell {
    Cell::new(
        group_label(&group.key, &group.name, language),
        group.key.clone().unwrap_or_default(),
    )
}

/// A group's name: the source's label, the owner's name, or unassigned.
fn group_label(key: &Option<String>, name: &Option<String>, language: Language) -> String {
    match (name, key) {
        (Some(name), _) => name.clone(),
        (None, Some(code)) => code
            .parse::<Source>()
            .map(|source| source.label(language).to_owned())
            .unwrap_or_else(|_| code.clone()),
        (None, None) => T::Unassigned.text(language).to_owned(),
    }
}

fn win_rate_bars(body: &OutcomesBody, _view: &FigureView, language: Language) -> Vec<Bar> {
    body.groups
        .iter()
        .map(|group| {
            let figures = &group.figures;
            let share = ratio(&figures.win_rate).unwrap_or_default();
            Bar {
                label: group_label(&group.key, &group.name, language),
                value: share,
                part: 0.0,
                text: format!(
                    "{} ({}/{})",
                    format_percent(share, language),
                    format_count(figures.acquired, language),
                    format_count(figures.acquired + figures.resigned, language)
                ),
                href: None,
            }
        })
        .collect()
}

/// The outcomes as a table: won, lost, win rate, won value, cycle.
fn outcomes_table(body: &OutcomesBody, first: T, language: Language) -> FigureTable {
    FigureTable {
        headers: headers(
            &[first, T::Won, T::Lost, T::WinRate, T::WonValue, T::CycleMedian],
            language,
        ),
        rows: body
            .groups
            .iter()
            .map(|group| {
                let figures = &group.figures;
                let value = &figures.acquired_value;
                vec![
                    group_cell(group, language),
                    Cell::new(
                        format_count(figures.acquired, language),
                        figures.acquired.to_string(),
                    ),
                    Cell::new(
                        format_count(figures.resigned, language),
                        figures.resigned.to_string(),
                    ),
                    Cell::new(
                        ratio(&figures.win_rate)
                            .map(|share| format_percent(share, language))
                            .unwrap_or_default(),
                        figures.win_rate.clone().unwrap_or_default(),
                    ),
                    Cell::new(
                        value
                            .iter()
                            .map(|sum| format_money(amount(&sum.amount), &sum.currency, language))
                            .collect::<Vec<_>>()
                            .join("; "),
                        value
                            .iter()
                            .map(|sum| format!("{} {}", sum.amount, sum.currency))
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                    Cell::new(
                        figures
                            .cycle
                            .median
                            .map(|secs| format_days(secs, language))
                            .unwrap_or_default(),
                        figures
                            .cycle
                            .median
                            .map(|secs| secs.to_string())
                            .unwrap_or_default(),
                    ),
                ]
            })
            .collect(),
    }
}

fn cycle_bars(body: &OutcomesBody, _view: &FigureView, language: Language) -> Vec<Bar> {
    body.groups
        .iter()
        .filter_map(|group| {
            let median = group.figures.cycle.median?;
            Some(Bar {
                label: group_label(&group.key, &group.name, language),
                value: median as f64 / 86_400.0,
                part: 0.0,
                text: format_days(median, language),
                href: None,
            })
        })
        .collect()
}

fn cycle_table(body: &OutcomesBody, language: Language) -> FigureTable {
    let seconds = |value: Option<i64>| seconds_cell(value, language);
    FigureTable {
        headers: headers(&[T::Source, T::Count, T::Median, T::P75, T::Mean], language),
        rows: body
            .groups
            .iter()
            .map(|group| {
                let cycle = group.figures.cycle;
                vec![
                    group_cell(group, language),
                    Cell::new(format_count(cycle.count, language), cycle.count.to_string()),
                    seconds(cycle.median),
                    seconds(cycle.p75),
                    seconds(cycle.mean),
                ]
            })
            .collect(),
    }
}

// ---- resignation reasons -------------------------------------------

fn reason_bars(report: &ResignationsReport, _view: &FigureView, language: Language) -> Vec<Bar> {
    report
        .reasons
        .iter()
        .map(|reason| Bar {
            label: reason.reason.clone(),
            value: reason.count as f64,
            part: 0.0,
            text: format!(
                "{} ({})",
                format_count(reason.count, language),
                format_percent(reason.count as f64 / report.total.max(1) as f64, language)
            ),
            href: None,
        })
        .collect()
}

fn reason_table(report: &ResignationsReport, language: Language) -> FigureTable {
    FigureTable {
        headers: headers(&[T::Reason, T::Count], language),
        rows: report
            .reasons
            .iter()
            .map(|reason| {
                vec![
                    Cell::text(reason.reason.clone()),
                    Cell::new(format_count(reason.count, language), reason.count.to_string()),
                ]
            })
            .collect(),
    }
}

// ---- time per status and stage --------------------------------------

fn place_label(row: &StayFigures, language: Language) -> String {
    match row.stage {
        Some(stage) => stage.label(language).to_owned(),
        None => row.status.label(language).to_owned(),
    }
}

/// The statuses without stages, then every stage: where a case sits.
fn places(report: &DurationsReport) -> impl Iterator<Item = &StayFigures> {
    report
        .statuses
        .iter()
        .filter(|row| row.status.stages().is_empty())
        .chain(&report.stages)
}

fn stage_bars(report: &DurationsReport, view: &FigureView, language: Language) -> Vec<Bar> {
    places(report)
        .map(|row| {
            let median = row.left.median.unwrap_or_default();
            let (status, stage) = (row.status, row.stage);
            Bar {
                label: place_label(row, language),
                value: median as f64 / 86_400.0,
                part: 0.0,
                text: row
                    .left
                    .median
                    .map(|secs| format_days(secs, language))
                    .unwrap_or_else(|| "—".to_owned()),
                // The cases sitting there now.
                href: Some(view.pipeline_href(|filters| {
                    filters.status = vec![status];
                    filters.stage = stage.into_iter().collect();
                })),
            }
        })
        .collect()
}

fn stage_table(report: &DurationsReport, language: Language) -> FigureTable {
    let seconds = |value: Option<i64>| seconds_cell(value, language);
    let count =
        |stats: &DurationStats| Cell::new(format_count(stats.count, language), stats.count.to_string());
    FigureTable {
        headers: headers(
            &[
                T::Stage,
                T::Count,
                T::Median,
                T::P75,
                T::Mean,
                T::SittingNow,
                T::AgeMedian,
            ],
            language,
        ),
        rows: report
            .statuses
            .iter()
            .chain(&report.stages)
            .map(|row| {
                vec![
                    Cell::new(
                        place_label(row, language),
                        row.stage
                            .map_or_else(|| row.status.as_str(), |stage| stage.as_str()),
                    ),
                    count(&row.left),
                    seconds(row.left.median),
                    seconds(row.left.p75),
                    seconds(row.left.mean),
                    count(&row.current),
                    seconds(row.current.median),
                ]
            })
            .collect(),
    }
}

// ---- the shapes --------------------------------------------------------

fn by_source_table(body: &OutcomesBody, language: Language) -> FigureTable {
    outcomes_table(body, T::Source, language)
}

fn by_owner_table(body: &OutcomesBody, language: Language) -> FigureTable {
    outcomes_table(body, T::Owner, language)
}

pub fn win_rate_by_source() -> BarShape<OutcomesBody> {
    BarShape {
        title: T::WinRateBySource,
        axis: T::WinRateAxis,
        name: "win-rate-source",
        bars: win_rate_bars,
        table: by_source_table,
    }
}

pub fn win_rate_by_owner() -> BarShape<OutcomesBody> {
    BarShape {
        title: T::WinRateByOwner,
        axis: T::WinRateAxis,
        name: "win-rate-owner",
        bars: win_rate_bars,
        table: by_owner_table,
    }
}

pub fn sales_cycle() -> BarShape<OutcomesBody> {
    BarShape {
        title: T::CycleChart,
        axis: T::CycleAxis,
        name: "cycle",
        bars: cycle_bars,
        table: cycle_table,
    }
}

pub fn resignation_reasons() -> BarShape<ResignationsReport> {
    BarShape {
        title: T::ReasonsChart,
        axis: T::ReasonsAxis,
        name: "reasons",
        bars: reason_bars,
        table: reason_table,
    }
}

pub fn time_per_stage() -> BarShape<DurationsReport> {
    BarShape {
        title: T::StageChart,
        axis: T::StageAxis,
        name: "stages",
        bars: stage_bars,
        table: stage_table,
    }
}
