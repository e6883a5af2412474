//! Regions side by side — a prefecture's, or a joint plan's (a consortium, which may span
//! prefectures): every KPI of each region the reader may see (a coordinator of two cities sees
//! both; an administrator every one), for one period.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jimoto_domain::PlanId;
use jimoto_domain::kpi::{Kpi, Period, RegionFigures, Side};

use super::view::{PeriodQuery, figure_text, name, period_label, period_query};
use crate::AppState;
use crate::api::path_id;
use crate::error::AppError;
use crate::layout::{Frame, render};
use crate::session::{Authed, Ctx};

struct Line {
    key: &'static str,
    name: String,
    counting: String,
    values: Vec<String>,
}

#[derive(Template)]
#[template(path = "kpis/compare.html")]
struct ComparePage {
    frame: Frame,
    /// The prefecture, for its fiscal-year form (none for a plan: its period is its own).
    code: String,
    hint: String,
    period: String,
    query: String,
    fy: String,
    /// Each region: id and name.
    regions: Vec<(i64, String)>,
    sides: Vec<(String, Vec<Line>)>,
}

/// `GET /prefectures/{code}/kpis`.
pub(super) async fn page(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(code): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let period = q.period()?;
    let c = state.services.kpi_comparison(&actor, &code, period).await?;
    let tr = ctx.tr;
    let prefecture =
        jimoto_domain::region::prefecture_name(&c.prefecture, tr.lang == jimoto_domain::Lang::En)
            .unwrap_or(&c.prefecture)
            .to_owned();
    Ok(render(&compare_page(
        &ctx,
        tr.t1("compare-title", "prefecture", &prefecture),
        c.prefecture.clone(),
        tr.t("compare-hint"),
        period,
        &c.regions,
    )))
}

/// `GET /kpi-plans/{id}/compare`: the regions of a joint plan over its period.
pub(super) async fn plan_page(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let id = PlanId(path_id(&raw)?);
    let (plan, regions) = state.services.kpi_plan_comparison(&actor, id).await?;
    let tr = ctx.tr;
    Ok(render(&compare_page(
        &ctx,
        tr.t1("compare-plan-title", "plan", &plan.title),
        String::new(),
        tr.t("compare-plan-hint"),
        plan.period,
        &regions,
    )))
}

fn compare_page(
    ctx: &Ctx,
    title: String,
    code: String,
    hint: String,
    period: Period,
    regions: &[RegionFigures],
) -> ComparePage {
    let tr = ctx.tr;
    let side = |s: Side| {
        Kpi::ALL
            .iter()
            .filter(|k| k.side() == s)
            .map(|k| Line {
                key: k.as_str(),
                name: name(tr, *k),
                counting: tr.e("counting", k.counting().as_str()),
                values: regions
                    .iter()
                    .map(|r| {
                        r.figures
                            .iter()
                            .find(|f| f.kpi == *k)
                            .map(|f| figure_text(tr, f))
                            .unwrap_or_else(|| tr.t("kpis-no-value"))
                    })
                    .collect(),
            })
            .collect::<Vec<_>>()
    };
    ComparePage {
        frame: ctx.frame_titled(title),
        code,
        hint,
        period: period_label(tr, period),
        query: period_query(period),
        fy: period
            .fiscal_year()
            .map(|f| f.0.to_string())
            .unwrap_or_default(),
        regions: regions
            .iter()
            .map(|r| (r.region_id.0, r.name.clone()))
            .collect(),
        sides: vec![
            (tr.t("kpis-economic"), side(Side::Economic)),
            (tr.t("kpis-social"), side(Side::Social)),
        ],
    }
}
