//! The dashboard and the rows behind a figure.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jimoto_domain::kpi::{Dashboard, Figure, Kpi, PlanReport, Side};
use jimoto_domain::{KpiAction, RegionId};
use plotters::prelude::*;
use serde::Deserialize;

use super::view::{
    PeriodQuery, cell_text, definition, difference_text, figure_text, finding_text, kpi_of, name,
    parts_text, period_label, period_query, value_text,
};
use crate::AppState;
use crate::api::path_id;
use crate::download::{TableFormat, table_response};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Frame, render};
use crate::session::Authed;

/// A figure as the page shows it.
struct FigureView {
    key: &'static str,
    name: String,
    value: String,
    counting: String,
    definition: String,
    base: Option<String>,
    /// Its parts in words (e.g. 業務委託 9人).
    parts: Vec<String>,
}

fn figure_view(tr: Tr, f: &Figure) -> FigureView {
    let base = f.base.map(|n| {
        if f.kpi == Kpi::TourCompanies {
            tr.t1("kpis-base-tours", "n", n)
        } else if f.kpi == Kpi::Stayed {
            tr.t1("kpis-base-stayed", "n", n)
        } else {
            tr.t1("kpis-base", "n", n)
        }
    });
    let parts = parts_text(tr, f);
    FigureView {
        key: f.kpi.as_str(),
        name: name(tr, f.kpi),
        value: figure_text(tr, f),
        counting: tr.e("counting", f.counting.as_str()),
        definition: definition(tr, f.kpi),
        base,
        parts,
    }
}

/// A plan row as the page shows it.
struct PlanRowView {
    key: &'static str,
    name: String,
    owner: String,
    target: String,
    actual: String,
    progress: String,
    reported: String,
    difference: String,
    parts: Vec<(String, String, String)>,
    findings: Vec<String>,
    note: String,
    /// Whether the reported figure differs from the records.
    differs: bool,
}

struct PlanView {
    id: i64,
    /// The reader may change its targets (staff of every region it covers).
    editable: bool,
    /// It covers several regions (a consortium's plan), which can be put side by side.
    joint: bool,
    title: String,
    period: String,
    regions: String,
    source: String,
    rows: Vec<PlanRowView>,
}

fn plan_view(tr: Tr, actor: &jimoto_domain::Actor, p: &PlanReport) -> PlanView {
    PlanView {
        id: p.plan.id.0,
        editable: super::plans::may_edit(actor, &p.plan.regions),
        joint: p.plan.regions.len() > 1,
        title: p.plan.title.clone(),
        period: period_label(tr, p.plan.period),
        regions: tr.join(p.region_names.iter().cloned()),
        source: p.plan.source.clone(),
        rows: p
            .rows
            .iter()
            .map(|r| {
                let unit = r.actual.unit;
                let v = |x: Option<i64>| value_text(tr, unit, x.map(|n| n as f64));
                PlanRowView {
                    key: r.row.kpi.as_str(),
                    name: name(tr, r.row.kpi),
                    owner: r.row.owner.clone(),
                    target: v(r.row.target),
                    actual: figure_text(tr, &r.actual),
                    progress: r
                        .progress_percent
                        .map(|p| format!("{p}%"))
                        .unwrap_or_else(|| tr.t("kpis-no-value")),
                    reported: v(r.row.reported),
                    difference: difference_text(tr, unit, r.difference),
                    parts: r
                        .parts
                        .iter()
                        .map(|c| {
                            (
                                c.part.label.clone(),
                                value_text(tr, unit, Some(c.part.value as f64)),
                                c.computed.map_or_else(
                                    || tr.t("kpis-part-no-record"),
                                    |x| {
                                        tr.t1(
                                            "kpis-part-computed",
                                            "value",
                                            value_text(tr, unit, Some(x)),
                                        )
                                    },
                                ),
                            )
                        })
                        .collect(),
                    findings: r
                        .findings
                        .iter()
                        .map(|f| finding_text(tr, unit, f))
                        .collect(),
                    note: r.row.note.clone(),
                    differs: r.difference.is_some_and(|d| d.abs() >= 0.5),
                }
            })
            .collect(),
    }
}

/// Monthly bars with each month's value above it; a view box lets it shrink on a phone.
fn month_chart(tr: Tr, title: &str, f: &Figure, months: &[String]) -> String {
    const W: u32 = 360;
    const H: u32 = 190;
    let values: Vec<f64> = months
        .iter()
        .map(|m| f.by_month.get(m).copied().unwrap_or(0.0))
        .collect();
    let max = values.iter().copied().fold(0.0_f64, f64::max).max(1.0);
    let n = values.len().max(1) as i32;
    let slot = (W as i32 - 8) / n;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let small = ("sans-serif", 10).into_font().color(&BLACK);
        let green = RGBColor(0x23, 0x55, 0x3b);
        let base = H as i32 - 20;
        for (i, (m, v)) in months.iter().zip(&values).enumerate() {
            let x = 4 + i as i32 * slot;
            let h = ((base - 24) as f64 * v / max) as i32;
            if *v > 0.0 {
                let _ = root.draw(&Rectangle::new(
                    [(x + 2, base - h.max(1)), (x + slot - 2, base)],
                    green.filled(),
                ));
                let label = if f.unit == jimoto_domain::kpi::Unit::Yen {
                    format!("{}", (v / 10_000.0).round())
                } else {
                    format!("{v}")
                };
                let _ = root.draw(&Text::new(label, (x + 2, base - h - 14), small.clone()));
            }
            let month: u32 = m[5..].parse().unwrap_or(0);
            let _ = root.draw(&Text::new(
                match tr.lang {
                    jimoto_domain::Lang::Ja => format!("{month}月"),
                    jimoto_domain::Lang::En => format!("{month}"),
                },
                (x + 2, base + 4),
                small.clone(),
            ));
        }
        let _ = root.present();
    }
    svg.replacen(
        &format!("width=\"{W}\" height=\"{H}\""),
        &format!(
            "width=\"{W}\" height=\"{H}\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\"",
            title.replace('"', "")
        ),
        1,
    )
}

struct Chart {
    title: String,
    svg: String,
    note: String,
}

#[derive(Template)]
#[template(path = "kpis/dashboard.html")]
struct DashboardPage {
    frame: Frame,
    region: RegionId,
    region_name: String,
    period: String,
    query: String,
    fy: String,
    from: String,
    to: String,
    prev_fy: Option<i32>,
    next_fy: Option<i32>,
    as_of: String,
    sides: Vec<(String, &'static str, Vec<FigureView>)>,
    charts: Vec<Chart>,
    plans: Vec<PlanView>,
    /// The reader may make a plan for the region.
    may_plan: bool,
    /// The region's prefecture: code and name, for the comparison.
    prefecture: (String, String),
}

pub(super) async fn dashboard(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(raw): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let region = RegionId(path_id(&raw)?);
    let period = q.period()?;
    let d: Dashboard = state.services.kpi_dashboard(&actor, region, period).await?;
    let r = state.services.region(&actor, region).await?;
    let tr = ctx.tr;
    let months = period.months();
    let fig = |k: Kpi| d.figures.iter().find(|f| f.kpi == k);
    let mut charts = Vec::new();
    if months.len() <= 36 {
        for (k, title) in [
            (Kpi::Participants, "kpis-trend-participants"),
            (Kpi::Income, "kpis-trend-income"),
        ] {
            if let Some(f) = fig(k) {
                let title = tr.t(title);
                charts.push(Chart {
                    svg: month_chart(tr, &title, f, &months),
                    note: if f.unit == jimoto_domain::kpi::Unit::Yen {
                        tr.t("kpis-chart-yen-note")
                    } else {
                        String::new()
                    },
                    title,
                });
            }
        }
    }
    let side = |s: Side| {
        d.figures
            .iter()
            .filter(|f| f.kpi.side() == s)
            .map(|f| figure_view(tr, f))
            .collect::<Vec<_>>()
    };
    let fy = period.fiscal_year();
    Ok(render(&DashboardPage {
        frame: ctx.frame_titled(format!("{} · {}", tr.t("kpis-dashboard"), r.name)),
        region,
        region_name: r.name,
        period: period_label(tr, period),
        query: period_query(period),
        fy: fy.map(|f| f.0.to_string()).unwrap_or_default(),
        from: if fy.is_none() {
            period.from.to_string()
        } else {
            String::new()
        },
        to: if fy.is_none() {
            period.to.to_string()
        } else {
            String::new()
        },
        prev_fy: fy.map(|f| f.0 - 1),
        next_fy: fy.map(|f| f.0 + 1),
        as_of: tr.t1("kpis-as-of", "date", tr.date(d.as_of)),
        sides: vec![
            (tr.t("kpis-economic"), "economic", side(Side::Economic)),
            (tr.t("kpis-social"), "social", side(Side::Social)),
        ],
        charts,
        plans: d.plans.iter().map(|p| plan_view(tr, &actor, p)).collect(),
        may_plan: super::plans::may_edit(&actor, &[region]),
        prefecture: (
            r.prefecture.clone(),
            jimoto_domain::region::prefecture_name(
                &r.prefecture,
                tr.lang == jimoto_domain::Lang::En,
            )
            .unwrap_or(&r.prefecture)
            .to_owned(),
        ),
    }))
}

/// The rows page's query: the period and a download format.
#[derive(Debug, Deserialize)]
pub(super) struct RowsQuery {
    #[serde(flatten)]
    pub(super) period: PeriodQuery,
    format: Option<String>,
}

impl RowsQuery {
    /// The download asked for (`csv`, `csv-sjis`, `xlsx`), none for the page.
    pub(super) fn format(&self) -> Result<Option<TableFormat>, AppError> {
        match self.format.as_deref().filter(|f| !f.is_empty()) {
            None => Ok(None),
            Some(f) => TableFormat::parse(f).map(Some).ok_or_else(|| {
                AppError::from(jimoto_domain::ValidationFailure::single(
                    "format", "unknown",
                ))
            }),
        }
    }
}

#[derive(Template)]
#[template(path = "kpis/rows.html")]
struct RowsPage {
    frame: Frame,
    region: RegionId,
    key: &'static str,
    definition: String,
    counting: String,
    period: String,
    query: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    summary: String,
    names_hidden: bool,
}

pub(super) async fn rows(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((raw, key)): Path<(String, String)>,
    Query(q): Query<RowsQuery>,
) -> Result<Response, AppError> {
    let region = RegionId(path_id(&raw)?);
    let kpi = kpi_of(&key)?;
    let period = q.period.period()?;
    let format = q.format()?;
    let rows = state.services.kpi_rows(&actor, region, kpi, period).await?;
    let r = state.services.region(&actor, region).await?;
    let tr = ctx.tr;
    let headers: Vec<String> = rows
        .columns
        .iter()
        .map(|c| tr.t(&format!("kpi-col-{c}")))
        .collect();
    let text: Vec<Vec<String>> = rows
        .rows
        .iter()
        .map(|r| r.iter().map(|c| cell_text(tr, c)).collect())
        .collect();
    if let Some(format) = format {
        let mut table = vec![headers];
        table.extend(text);
        let stem = format!(
            "kpi-{}-{}-{}",
            r.lg_code,
            kpi.as_str(),
            period_query(period).replace(['=', '&'], "-")
        );
        return table_response(&table, format, &stem, true);
    }
    let shown = text.len() as i64;
    let summary = if shown < rows.total {
        tr.ta(
            "kpis-rows-shown",
            &[
                ("shown", tr.number(shown)),
                ("total", tr.number(rows.total)),
            ],
        )
    } else {
        tr.t1("kpis-rows-total", "total", tr.number(rows.total))
    };
    Ok(render(&RowsPage {
        frame: ctx.frame_titled(format!(
            "{} · {}",
            tr.t1("kpis-rows-title", "kpi", name(tr, kpi)),
            r.name
        )),
        region,
        key: kpi.as_str(),
        definition: definition(tr, kpi),
        counting: tr.e("counting", kpi.counting().as_str()),
        period: period_label(tr, period),
        query: period_query(period),
        headers,
        rows: text,
        summary,
        // The social value's rows are counts for these readers, not people.
        names_hidden: kpi.lists_people()
            && kpi != Kpi::SocialValue
            && !actor.may(KpiAction::SeePeople { region }),
    }))
}
