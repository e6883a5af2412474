//! The funnel pages: signed up → attended → completed → applied → hired → paid → recurring for a
//! program, a region, an outreach channel or a fiscal year, in unique people, with conversion
//! rates, the median days between steps and where most people stop. A chart (SVG drawn on the
//! server with plotters, so it reads on any phone without JavaScript), a table, and downloads as
//! CSV (UTF-8 with BOM for Excel, or Shift_JIS) and .xlsx.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jimoto_domain::growth::{Channel, Funnel, FunnelScope};
use jimoto_domain::{Actor, ProgramAction, ProgramId};
use plotters::prelude::*;
use serde::Deserialize;

use crate::AppState;
use crate::download::{TableFormat, table_response};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Frame, render};
use crate::session::Authed;

/// The funnel as a horizontal bar per step, labelled with its people and conversion.
pub(crate) fn chart(tr: Tr, f: &Funnel) -> String {
    const W: u32 = 360;
    const ROW: u32 = 44;
    let h = ROW * u32::try_from(f.rows.len()).unwrap_or(7) + 8;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, h)).into_drawing_area();
        let _ = root.fill(&WHITE);
        let max = f.rows.iter().map(|r| r.people).max().unwrap_or(0).max(1);
        let label = ("sans-serif", 13).into_font().color(&BLACK);
        let green = RGBColor(0x23, 0x55, 0x3b);
        for (i, r) in f.rows.iter().enumerate() {
            let y = i32::try_from(i).unwrap_or(0) * ROW as i32 + 4;
            let width = ((W as i64 - 8) * r.people / max) as i32;
            let text = match r.conversion_percent {
                Some(c) => format!(
                    "{} {}{}",
                    tr.e("funnel_step", r.step.as_str()),
                    tr.t1("growth-people-count", "count", r.people),
                    tr.paren(format!("{c}%"))
                ),
                None => format!(
                    "{} {}",
                    tr.e("funnel_step", r.step.as_str()),
                    tr.t1("growth-people-count", "count", r.people)
                ),
            };
            let _ = root.draw(&Text::new(text, (4, y), label.clone()));
            let _ = root.draw(&Rectangle::new(
                [(4, y + 18), (4 + width.max(2), y + 36)],
                green.filled(),
            ));
        }
        let _ = root.present();
    }
    // A view box lets the chart shrink to a narrow phone with everything in proportion.
    svg.replacen(
        &format!("width=\"{W}\" height=\"{h}\""),
        &format!(
            "width=\"{W}\" height=\"{h}\" viewBox=\"0 0 {W} {h}\" role=\"img\" aria-label=\"{}\"",
            tr.t("funnel-title").replace('"', "")
        ),
        1,
    )
}

/// One funnel as table rows of text: step, people, conversion, median days, stopped.
fn table(tr: Tr, f: &Funnel) -> Vec<[String; 5]> {
    let mut rows = vec![[
        tr.t("funnel-step"),
        tr.t("funnel-people"),
        tr.t("funnel-conversion"),
        tr.t("funnel-median-days"),
        tr.t("funnel-stopped"),
    ]];
    for r in &f.rows {
        rows.push([
            tr.e("funnel_step", r.step.as_str()),
            r.people.to_string(),
            r.conversion_percent
                .map(|c| format!("{c}"))
                .unwrap_or_default(),
            r.median_days.map(|d| format!("{d}")).unwrap_or_default(),
            r.stopped.to_string(),
        ]);
    }
    rows
}

/// The query of the region funnel page.
#[derive(Debug, Deserialize)]
pub(super) struct FunnelQuery {
    region: Option<String>,
    channel: Option<String>,
    fiscal_year: Option<String>,
    format: Option<String>,
}

#[derive(Template)]
#[template(path = "growth/funnel.html")]
struct FunnelPage {
    frame: Frame,
    funnel: Funnel,
    svg: String,
    /// The page's own query (for the downloads).
    query: String,
    regions: Vec<jimoto_domain::region::RegionRef>,
    region: String,
    channel: String,
    fiscal_year: String,
    channels: &'static [Channel],
    /// A program's funnel has no filters.
    program: Option<(ProgramId, String)>,
}

fn blank(s: Option<String>) -> Option<String> {
    s.filter(|v| !v.trim().is_empty())
}

async fn respond(
    state: &AppState,
    ctx: crate::session::Ctx,
    actor: &Actor,
    scope: FunnelScope,
    format: Option<&str>,
    page: FunnelPage,
) -> Result<Response, AppError> {
    let funnel = state.services.funnel(actor, scope).await?;
    let tr = ctx.tr;
    match format {
        None | Some("") => Ok(render(&FunnelPage {
            svg: chart(tr, &funnel),
            funnel,
            ..page
        })),
        Some(f) if TableFormat::parse(f).is_some() => {
            let rows: Vec<Vec<String>> = table(tr, &funnel).into_iter().map(Vec::from).collect();
            let format = TableFormat::parse(f).unwrap_or(TableFormat::Csv);
            table_response(&rows, format, "funnel", true)
        }
        Some(_) => Err(jimoto_services::ServiceError::from(
            jimoto_domain::ValidationFailure::single("format", "unknown"),
        )
        .into()),
    }
}

/// The funnel of a region, a channel or a fiscal year.
pub(super) async fn region_funnel(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<FunnelQuery>,
) -> Result<Response, AppError> {
    // The picker offers the regions whose funnel the caller may see; the first is the default.
    let regions: Vec<_> = state
        .services
        .region_refs(&actor)
        .await?
        .into_iter()
        .filter(|r| actor.may(ProgramAction::Funnel { region: Some(r.id) }))
        .collect();
    let region = blank(q.region)
        .or_else(|| regions.first().map(|r| r.id.0.to_string()))
        .unwrap_or_default();
    let channel = blank(q.channel).unwrap_or_default();
    let fiscal_year = blank(q.fiscal_year).unwrap_or_default();
    let bad = |field: &str| -> AppError {
        jimoto_services::ServiceError::from(jimoto_domain::ValidationFailure::single(
            field,
            "invalid_choice",
        ))
        .into()
    };
    let region_id = match region.as_str() {
        "" => None,
        r => Some(r.parse::<i64>().map_err(|_| bad("region"))?),
    };
    let ch = match channel.as_str() {
        "" => None,
        c => Some(Channel::parse(c).ok_or_else(|| bad("channel"))?),
    };
    let fy = match fiscal_year.as_str() {
        "" => None,
        y => Some(y.parse::<i32>().map_err(|_| bad("fiscal_year"))?),
    };
    let scope = super::api::funnel_scope(region_id, ch, fy)?;
    let query = format!("region={region}&channel={channel}&fiscal_year={fiscal_year}");
    let page = FunnelPage {
        frame: ctx.frame("funnel-title"),
        funnel: Funnel {
            rows: vec![],
            biggest_drop: None,
        },
        svg: String::new(),
        query,
        regions,
        region,
        channel,
        fiscal_year,
        channels: Channel::ALL,
        program: None,
    };
    respond(&state, ctx, &actor, scope, q.format.as_deref(), page).await
}

#[derive(Debug, Deserialize)]
pub(super) struct FormatQuery {
    format: Option<String>,
}

/// The funnel of one program's people.
pub(super) async fn program_funnel(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    Query(q): Query<FormatQuery>,
) -> Result<Response, AppError> {
    let view = state.services.program(&actor, ProgramId(id)).await?;
    let page = FunnelPage {
        frame: ctx.frame_titled(format!(
            "{} — {}",
            view.program.title,
            ctx.tr.t("funnel-title")
        )),
        funnel: Funnel {
            rows: vec![],
            biggest_drop: None,
        },
        svg: String::new(),
        query: String::new(),
        regions: vec![],
        region: view.program.region_id.0.to_string(),
        channel: String::new(),
        fiscal_year: String::new(),
        channels: Channel::ALL,
        program: Some((view.program.id, view.program.title)),
    };
    respond(
        &state,
        ctx,
        &actor,
        FunnelScope::Program(ProgramId(id)),
        q.format.as_deref(),
        page,
    )
    .await
}
