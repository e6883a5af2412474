//! The results report (実績報告) of a region for a period: one set of sections, rendered as a
//! printable A4 page, an .xlsx workbook (a sheet per section, numbers as numbers) and a CSV
//! (the sections one under another, UTF-8 with BOM or Shift_JIS).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jimoto_domain::RegionId;
use jimoto_domain::kpi::{Cell, Figure, PlanReport, Report, Table, Unit};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

use super::pages::RowsQuery;
use super::view::{
    cell_text, definition, difference_text, finding_text, name, parts_text, period_label,
    period_query, value_text,
};
use crate::AppState;
use crate::api::path_id;
use crate::download::{TableFormat, XLSX, file_response, table_response};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Frame, render};
use crate::session::Authed;

/// A cell as shown, and its number when it is one with its spreadsheet format (so the
/// workbook can sum it and show it in its unit).
#[derive(Debug, Clone)]
pub(super) struct Out {
    pub text: String,
    pub number: Option<f64>,
    /// Excel's number format for `number`.
    pub format: &'static str,
}

/// Excel's number format of a unit in the reader's language (人, 延べ…人, 円, 日, %).
fn num_format(tr: Tr, unit: Option<Unit>) -> &'static str {
    let ja = tr.lang == jimoto_domain::Lang::Ja;
    match unit {
        None => "#,##0",
        Some(Unit::Yen) if ja => "#,##0\"円\"",
        Some(Unit::Yen) => "\"¥\"#,##0",
        Some(Unit::People) if ja => "#,##0\"人\"",
        Some(Unit::Attendances) if ja => "\"延べ\"#,##0\"人\"",
        Some(Unit::Companies) if ja => "#,##0\"社\"",
        Some(Unit::Projects) if ja => "#,##0\"件\"",
        Some(Unit::People | Unit::Attendances | Unit::Companies | Unit::Projects) => "#,##0",
        Some(Unit::Days) if ja => "0.0\"日\"",
        Some(Unit::Days) => "0.0",
        Some(Unit::Percent) => "0.0\"%\"",
    }
}

impl Out {
    fn text(s: impl Into<String>) -> Self {
        Self {
            text: s.into(),
            number: None,
            format: "",
        }
    }

    fn cell(tr: Tr, c: &Cell) -> Self {
        let (number, unit) = match c {
            Cell::Count(n) => (Some(*n as f64), None),
            Cell::Yen(n) => (Some(*n as f64), Some(Unit::Yen)),
            _ => (None, None),
        };
        Self {
            text: cell_text(tr, c),
            number,
            format: num_format(tr, unit),
        }
    }

    fn value(tr: Tr, unit: Unit, v: Option<f64>) -> Self {
        Self {
            text: value_text(tr, unit, v),
            number: v,
            format: num_format(tr, Some(unit)),
        }
    }
}

/// One section: a heading, what it covers, column headings and rows.
pub(super) struct Section {
    pub id: String,
    pub title: String,
    /// A line under the title (a plan's period and source).
    pub lead: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Out>>,
    /// What an empty section says.
    pub empty: String,
}

fn table_section(tr: Tr, id: &str, title_key: &str, empty_key: &str, t: &Table) -> Section {
    Section {
        id: id.to_owned(),
        title: tr.t(title_key),
        lead: String::new(),
        headers: t
            .columns
            .iter()
            .map(|c| tr.t(&format!("kpi-col-{c}")))
            .collect(),
        rows: t
            .rows
            .iter()
            .map(|r| r.iter().map(|c| Out::cell(tr, c)).collect())
            .collect(),
        empty: tr.t(empty_key),
    }
}

fn figures_section(tr: Tr, figures: &[Figure]) -> Section {
    Section {
        id: "figures".into(),
        title: tr.t("report-figures"),
        lead: String::new(),
        headers: [
            "kpis-col-kpi",
            "report-col-value",
            "report-col-counting",
            "report-col-parts",
            "report-col-definition",
        ]
        .iter()
        .map(|k| tr.t(k))
        .collect(),
        rows: figures
            .iter()
            .map(|f| {
                vec![
                    Out::text(name(tr, f.kpi)),
                    Out::value(tr, f.unit, f.value),
                    Out::text(tr.e("counting", f.counting.as_str())),
                    Out::text(tr.join(parts_text(tr, f))),
                    Out::text(definition(tr, f.kpi)),
                ]
            })
            .collect(),
        empty: String::new(),
    }
}

fn plan_section(tr: Tr, i: usize, p: &PlanReport) -> Section {
    let mut lead = vec![
        period_label(tr, p.plan.period),
        format!(
            "{}: {}",
            tr.t("kpis-plan-regions"),
            tr.join(p.region_names.iter().cloned())
        ),
    ];
    if !p.plan.source.is_empty() {
        lead.push(format!("{}: {}", tr.t("kpis-plan-source"), p.plan.source));
    }
    Section {
        id: format!("plan-{}", i + 1),
        title: tr.t1("report-plan", "title", &p.plan.title),
        lead: lead.join(" · "),
        headers: [
            "kpis-col-kpi",
            "kpis-owner",
            "kpis-col-target",
            "kpis-col-actual",
            "kpis-col-progress",
            "kpis-col-reported",
            "kpis-col-difference",
            "kpis-details",
            "report-col-findings",
            "kpis-note",
        ]
        .iter()
        .map(|k| tr.t(k))
        .collect(),
        rows: p
            .rows
            .iter()
            .map(|r| {
                let unit = r.actual.unit;
                let int = |x: Option<i64>| Out::value(tr, unit, x.map(|n| n as f64));
                let parts = r
                    .parts
                    .iter()
                    .map(|c| {
                        let computed = c.computed.map_or_else(
                            || tr.t("kpis-part-no-record"),
                            |x| tr.t1("kpis-part-computed", "value", value_text(tr, unit, Some(x))),
                        );
                        format!(
                            "{} {}（{computed}）",
                            c.part.label,
                            value_text(tr, unit, Some(c.part.value as f64))
                        )
                    })
                    .collect::<Vec<_>>();
                vec![
                    Out::text(name(tr, r.row.kpi)),
                    Out::text(r.row.owner.clone()),
                    int(r.row.target),
                    Out::value(tr, unit, r.actual.value),
                    Out {
                        text: r
                            .progress_percent
                            .map(|p| format!("{p}%"))
                            .unwrap_or_else(|| tr.t("kpis-no-value")),
                        number: r.progress_percent,
                        format: num_format(tr, Some(Unit::Percent)),
                    },
                    int(r.row.reported),
                    Out {
                        text: difference_text(tr, unit, r.difference),
                        ..Out::value(tr, unit, r.difference)
                    },
                    Out::text(parts.join("\n")),
                    Out::text(
                        r.findings
                            .iter()
                            .map(|f| finding_text(tr, unit, f))
                            .collect::<Vec<_>>()
                            .join("\n"),
                    ),
                    Out::text(r.row.note.clone()),
                ]
            })
            .collect(),
        empty: String::new(),
    }
}

/// The report's sections in the order of the ministry's results report.
pub(super) fn sections(tr: Tr, r: &Report) -> Vec<Section> {
    let mut out = vec![figures_section(tr, &r.figures)];
    out.extend(
        r.plans
            .iter()
            .enumerate()
            .map(|(i, p)| plan_section(tr, i, p)),
    );
    out.push(table_section(
        tr,
        "programs",
        "report-programs",
        "report-programs-none",
        &r.programs,
    ));
    out.push(table_section(
        tr,
        "tours",
        "report-tours",
        "report-tours-none",
        &r.tours,
    ));
    out.push(table_section(
        tr,
        "projects",
        "report-projects",
        "report-projects-none",
        &r.projects,
    ));
    out
}

/// The report's title and the lines that say what it covers.
fn heading(tr: Tr, r: &Report) -> (String, Vec<String>) {
    (
        tr.t1("report-title", "region", &r.region_name),
        vec![
            format!("{}: {}", tr.t("kpis-period"), period_label(tr, r.period)),
            tr.t1("kpis-as-of", "date", tr.date(r.as_of)),
            tr.t("report-no-names"),
        ],
    )
}

/// Excel's sheet names: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str, n: usize) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '・' } else { c })
        .take(28)
        .collect();
    format!("{n}. {clean}").chars().take(31).collect()
}

/// How wide a column should be, in Excel's character units (a Japanese character takes two).
fn width(texts: impl Iterator<Item = usize>) -> f64 {
    (texts.max().unwrap_or(8) as f64 + 2.0).clamp(8.0, 48.0)
}

fn display_width(s: &str) -> usize {
    s.lines()
        .map(|l| l.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum())
        .max()
        .unwrap_or(0)
}

/// A row's height in points for its wrapped cells: spreadsheet programs do not grow a row to
/// its text when they open a file, so the workbook says how tall each row is.
fn height<'a>(texts: impl Iterator<Item = &'a String>, widths: &[f64]) -> f64 {
    let lines = texts
        .zip(widths)
        .map(|(t, w)| {
            let fit = (*w - 1.0).max(1.0);
            t.lines()
                .map(|l| ((display_width(l) as f64) / fit).ceil().max(1.0))
                .sum::<f64>()
        })
        .fold(1.0_f64, f64::max);
    (lines * 15.0).min(409.0)
}

fn xlsx_failed(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::internal(format!("xlsx: {e}"))
}

/// The report as a workbook: a sheet per section, A4 landscape one page wide when printed,
/// the heading row repeated on every printed page, numbers as numbers.
pub(super) fn workbook(tr: Tr, r: &Report, sections: &[Section]) -> Result<Vec<u8>, AppError> {
    let (title, lines) = heading(tr, r);
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let big = Format::new().set_bold().set_font_size(14);
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(0xE8F0EB)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top);
    let text = Format::new()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top);
    let number = |f: &str| {
        Format::new()
            .set_num_format(f)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Top)
    };
    for (i, s) in sections.iter().enumerate() {
        let sheet = book.add_worksheet();
        sheet
            .set_name(sheet_name(&s.title, i + 1))
            .map_err(xlsx_failed)?;
        sheet.set_paper_size(9);
        sheet.set_landscape();
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
        sheet
            .write_string_with_format(0, 0, &title, &big)
            .map_err(xlsx_failed)?;
        sheet
            .write_string_with_format(1, 0, &s.title, &bold)
            .map_err(xlsx_failed)?;
        let mut row = 2u32;
        for line in std::iter::once(&s.lead)
            .filter(|l| !l.is_empty())
            .chain(&lines)
        {
            sheet.write_string(row, 0, line).map_err(xlsx_failed)?;
            row += 1;
        }
        row += 1;
        let header_row = row;
        // Headings wrap, so they ask for at most 12 characters; cells for their widest line.
        let widths: Vec<f64> = (0..s.headers.len())
            .map(|c| {
                width(
                    std::iter::once(display_width(&s.headers[c]).min(12)).chain(
                        s.rows
                            .iter()
                            .filter_map(|r| r.get(c))
                            .map(|o| display_width(&o.text)),
                    ),
                )
            })
            .collect();
        for (c, h) in s.headers.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            sheet
                .write_string_with_format(row, col, h, &head)
                .map_err(xlsx_failed)?;
            sheet
                .set_column_width(col, widths[c])
                .map_err(xlsx_failed)?;
        }
        sheet
            .set_row_height(row, height(s.headers.iter(), &widths))
            .map_err(xlsx_failed)?;
        sheet
            .set_repeat_rows(header_row, header_row)
            .map_err(xlsx_failed)?;
        sheet
            .set_freeze_panes(header_row + 1, 0)
            .map_err(xlsx_failed)?;
        if s.rows.is_empty() {
            sheet
                .write_string(row + 1, 0, &s.empty)
                .map_err(xlsx_failed)?;
        }
        for cells in &s.rows {
            row += 1;
            for (c, o) in cells.iter().enumerate() {
                let col = u16::try_from(c).unwrap_or(u16::MAX);
                match o.number {
                    Some(n) => sheet
                        .write_number_with_format(row, col, n, &number(o.format))
                        .map(|_| ()),
                    None => sheet
                        .write_string_with_format(row, col, &o.text, &text)
                        .map(|_| ()),
                }
                .map_err(xlsx_failed)?;
            }
            sheet
                .set_row_height(row, height(cells.iter().map(|o| &o.text), &widths))
                .map_err(xlsx_failed)?;
        }
    }
    book.save_to_buffer().map_err(xlsx_failed)
}

/// The report as one table for CSV: each section's title, its lead, headings and rows, with an
/// empty line between sections.
pub(super) fn csv_rows(tr: Tr, r: &Report, sections: &[Section]) -> Vec<Vec<String>> {
    let (title, lines) = heading(tr, r);
    let mut out = vec![vec![title]];
    out.extend(lines.into_iter().map(|l| vec![l]));
    for s in sections {
        out.push(Vec::new());
        out.push(vec![s.title.clone()]);
        if !s.lead.is_empty() {
            out.push(vec![s.lead.clone()]);
        }
        out.push(s.headers.clone());
        if s.rows.is_empty() {
            out.push(vec![s.empty.clone()]);
        }
        out.extend(
            s.rows
                .iter()
                .map(|r| r.iter().map(|o| o.text.clone()).collect()),
        );
    }
    // Every line as wide as the widest, as spreadsheet programs expect of a CSV.
    let width = out.iter().map(Vec::len).max().unwrap_or(1);
    for row in &mut out {
        row.resize(width, String::new());
    }
    out
}

#[derive(Template)]
#[template(path = "kpis/report.html")]
struct ReportPage {
    frame: Frame,
    region: RegionId,
    query: String,
    lines: Vec<String>,
    sections: Vec<Section>,
}

/// `GET /regions/{id}/kpis/report`: the printable page, or with `format=` the workbook or CSV.
pub(super) async fn page(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(raw): Path<String>,
    Query(q): Query<RowsQuery>,
) -> Result<Response, AppError> {
    let region = RegionId(path_id(&raw)?);
    let period = q.period.period()?;
    let format = q.format()?;
    let report = state.services.kpi_report(&actor, region, period).await?;
    let r = state.services.region(&actor, region).await?;
    let tr = ctx.tr;
    let sections = sections(tr, &report);
    let stem = format!(
        "kpi-report-{}-{}",
        r.lg_code,
        period_query(period).replace(['=', '&'], "-")
    );
    match format {
        Some(TableFormat::Xlsx) => Ok(file_response(
            workbook(tr, &report, &sections)?,
            XLSX,
            &format!("{stem}.xlsx"),
        )),
        Some(f) => table_response(&csv_rows(tr, &report, &sections), f, &stem, false),
        None => {
            let (title, lines) = heading(tr, &report);
            Ok(render(&ReportPage {
                frame: ctx.frame_titled(title),
                region,
                query: period_query(period),
                lines,
                sections,
            }))
        }
    }
}
