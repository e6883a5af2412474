//! A plan's targets and published figures as a form: a region's staff make a plan for it and
//! change the plans of their regions (the services refuse anyone else). A row's details as the
//! report printed them are kept while its KPI stays the same.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use jimoto_domain::kpi::{Kpi, Period, Plan, PlanInput, PlanRow};
use jimoto_domain::{Actor, FieldError, KpiAction, PlanId, RegionId, ValidationFailure};
use jimoto_services::ServiceError;

use super::view::{name, period_query};
use crate::AppState;
use crate::api::path_id;
use crate::error::AppError;
use crate::form::{FormData, add_unnamed, finish, on_form_rows, rows_on_form};
use crate::layout::{FormErrors, Frame, render};
use crate::session::{Authed, Ctx};

/// Blank rows the form offers for adding KPIs.
const BLANK_ROWS: usize = 2;

/// Whether the actor may change a plan: the staff of every region it covers.
pub(super) fn may_edit(actor: &Actor, regions: &[RegionId]) -> bool {
    !regions.is_empty()
        && regions
            .iter()
            .all(|r| actor.may(KpiAction::EditPlan { region: *r }))
}

/// A row as typed.
#[derive(Debug, Clone, Default)]
struct RowValues {
    kpi: String,
    target: String,
    owner: String,
    reported: String,
    note: String,
    remove: bool,
    /// How many details the report printed for it (kept while the KPI stays).
    parts: usize,
}

#[derive(Debug, Clone, Default)]
struct Values {
    title: String,
    source: String,
    from: String,
    to: String,
    rows: Vec<RowValues>,
}

#[derive(Template)]
#[template(path = "kpis/plan_form.html")]
struct PlanForm {
    frame: Frame,
    action: String,
    back: String,
    regions: String,
    kpis: Vec<(&'static str, String)>,
    values: Values,
    errors: FormErrors,
}

fn values_of(plan: &Plan) -> Values {
    let number = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let mut rows: Vec<RowValues> = plan
        .rows
        .iter()
        .map(|r| RowValues {
            kpi: r.kpi.as_str().into(),
            target: number(r.target),
            owner: r.owner.clone(),
            reported: number(r.reported),
            note: r.note.clone(),
            remove: false,
            parts: r.parts.len(),
        })
        .collect();
    rows.extend(std::iter::repeat_n(RowValues::default(), BLANK_ROWS));
    Values {
        title: plan.title.clone(),
        source: plan.source.clone(),
        from: plan.period.from.to_string(),
        to: plan.period.to.to_string(),
        rows,
    }
}

fn form_page(
    ctx: &Ctx,
    action: String,
    back: String,
    regions: String,
    values: Values,
    errors: FormErrors,
) -> PlanForm {
    let tr = ctx.tr;
    PlanForm {
        frame: ctx.frame("plans-edit"),
        action,
        back,
        regions,
        kpis: Kpi::ALL
            .iter()
            .map(|k| (k.as_str(), name(tr, *k)))
            .collect(),
        values,
        errors,
    }
}

/// Reads the form: every problem at once, each named by the form's own row number (rows left
/// blank or marked for removal are dropped, so the plan's row numbers may differ).
fn parse(form: &FormData, regions: Vec<RegionId>) -> Parsed {
    let mut errors: Vec<FieldError> = Vec::new();
    let mut values = Values {
        title: form.get("title").into(),
        source: form.get("source").into(),
        from: form.get("from").into(),
        to: form.get("to").into(),
        rows: Vec::new(),
    };
    let from = form.req_date("from", &mut errors);
    let to = form.req_date("to", &mut errors);
    let count = form
        .get("rows")
        .parse::<usize>()
        .unwrap_or(0)
        .min(jimoto_domain::kpi::MAX_PLAN_ROWS as usize + BLANK_ROWS);
    let mut rows = Vec::new();
    // The form's row number of each of the plan's rows.
    let mut origin = Vec::new();
    for i in 0..count {
        let field = |f: &str| format!("rows[{i}].{f}");
        let v = RowValues {
            kpi: form.get(&field("kpi")).into(),
            target: form.get(&field("target")).into(),
            owner: form.get(&field("owner")).into(),
            reported: form.get(&field("reported")).into(),
            note: form.get(&field("note")).into(),
            remove: form.checked(&field("remove")),
            parts: 0,
        };
        let blank = v.kpi.is_empty()
            && v.target.trim().is_empty()
            && v.reported.trim().is_empty()
            && v.owner.trim().is_empty()
            && v.note.trim().is_empty();
        if v.remove || blank {
            values.rows.push(v);
            continue;
        }
        let kpi = form.choice(&field("kpi"), Kpi::parse, &mut errors);
        let target = form.opt_int(&field("target"), &mut errors);
        let reported = form.opt_int(&field("reported"), &mut errors);
        values.rows.push(v.clone());
        if let Some(kpi) = kpi {
            origin.push(i);
            rows.push(PlanRow {
                kpi,
                target,
                owner: v.owner,
                reported,
                // Filled in by the caller from the plan as it was.
                parts: Vec::new(),
                note: v.note,
            });
        }
    }
    let input = PlanInput {
        title: values.title.clone(),
        regions,
        from: from.unwrap_or_default(),
        to: to.unwrap_or_default(),
        source: values.source.clone(),
        rows,
    };
    // The plan's own rules too, so that a second submit does not reveal a new problem; they
    // name the plan's rows, which are put back on the form's.
    let mut parsed = Parsed {
        values,
        input: Ok(input.clone()),
        origin,
    };
    let normal = input.clone().normalised();
    let mut own = match validator::Validate::validate(&normal) {
        Ok(()) => Vec::new(),
        Err(e) => ValidationFailure::from_validator(&e).0,
    };
    own.extend(normal.problems());
    add_unnamed(&mut errors, rows_on_form(own, "rows", &parsed.origin));
    if !errors.is_empty() {
        parsed.input = Err(ValidationFailure(errors));
    }
    parsed
}

/// A form read: what was typed, the plan it makes (or every problem), and the form's row
/// number of each of the plan's rows.
struct Parsed {
    values: Values,
    input: Result<PlanInput, ValidationFailure>,
    origin: Vec<usize>,
}

impl Parsed {
    /// Problems named by the form's rows rather than the plan's (`rows[2].target` is the third
    /// row on the page even when a row above it was left blank).
    fn on_form(&self, e: ServiceError) -> ServiceError {
        on_form_rows(e, "rows", &self.origin)
    }
}

/// Keeps each row's details as the report printed them while its KPI is the one it had.
fn keep_parts(input: &mut PlanInput, origin: &[usize], old: &Plan) {
    for (row, i) in input.rows.iter_mut().zip(origin) {
        if let Some(o) = old.rows.get(*i).filter(|o| o.kpi == row.kpi) {
            row.parts = o.parts.clone();
        }
    }
}

/// `GET /regions/{id}/kpi-plans/new`: a plan for the region over the current fiscal year.
pub(super) async fn new_form(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let region = RegionId(path_id(&raw)?);
    let r = state.services.region(&actor, region).await?;
    if !may_edit(&actor, &[region]) {
        return Err(ServiceError::Forbidden.into());
    }
    let fy = Period::fiscal(jimoto_domain::calendar::FiscalYear::of(
        jimoto_domain::calendar::today_jst(),
    ));
    let mut values = Values {
        from: fy.from.to_string(),
        to: fy.to.to_string(),
        ..Values::default()
    };
    values.rows = vec![RowValues::default(); 3];
    Ok(render(&form_page(
        &ctx,
        format!("/regions/{region}/kpi-plans"),
        format!("/regions/{region}/kpis"),
        r.name,
        values,
        FormErrors::default(),
    )))
}

/// `POST /regions/{id}/kpi-plans`.
pub(super) async fn create(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(raw): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let region = RegionId(path_id(&raw)?);
    let r = state.services.region(&actor, region).await?;
    let parsed = parse(&form, vec![region]);
    let result = match parsed.input.clone() {
        Err(v) => Err(ServiceError::Validation(v)),
        Ok(input) => {
            let period = Period::new(input.from, input.to).ok();
            state
                .services
                .create_kpi_plan(&actor, input)
                .await
                .map(|id| (id, period))
                .map_err(|e| parsed.on_form(e))
        }
    };
    let values = parsed.values;
    finish(
        &ctx,
        &state,
        "notice-created",
        result,
        |(id, period)| {
            let q = period.map(period_query).unwrap_or_default();
            format!("/regions/{region}/kpis?{q}#plan-{id}")
        },
        |errors| async {
            Ok(render(&form_page(
                &ctx,
                format!("/regions/{region}/kpi-plans"),
                format!("/regions/{region}/kpis"),
                r.name.clone(),
                values,
                errors,
            )))
        },
    )
    .await
}

async fn editable(state: &AppState, actor: &Actor, id: PlanId) -> Result<(Plan, String), AppError> {
    let report = state.services.kpi_plan(actor, id).await?;
    if !may_edit(actor, &report.plan.regions) {
        return Err(ServiceError::Forbidden.into());
    }
    let names = report.region_names.join("・");
    Ok((report.plan, names))
}

fn back_to(plan: &Plan) -> String {
    format!(
        "/regions/{}/kpis?{}#plan-{}",
        plan.regions.first().map_or(0, |r| r.0),
        period_query(plan.period),
        plan.id
    )
}

/// `GET /kpi-plans/{id}/edit`.
pub(super) async fn edit_form(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let id = PlanId(path_id(&raw)?);
    let (plan, names) = editable(&state, &actor, id).await?;
    Ok(render(&form_page(
        &ctx,
        format!("/kpi-plans/{id}"),
        back_to(&plan),
        names,
        values_of(&plan),
        FormErrors::default(),
    )))
}

/// `POST /kpi-plans/{id}`.
pub(super) async fn update(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(raw): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let id = PlanId(path_id(&raw)?);
    let (plan, names) = editable(&state, &actor, id).await?;
    let parsed = parse(&form, plan.regions.clone());
    let result = match parsed.input.clone() {
        Err(v) => Err(ServiceError::Validation(v)),
        Ok(mut input) => {
            keep_parts(&mut input, &parsed.origin, &plan);
            state
                .services
                .update_kpi_plan(&actor, id, input)
                .await
                .map_err(|e| parsed.on_form(e))
        }
    };
    let values = parsed.values;
    let back = back_to(&plan);
    finish(
        &ctx,
        &state,
        "notice-saved",
        result,
        back_to,
        |errors| async {
            Ok(render(&form_page(
                &ctx,
                format!("/kpi-plans/{id}"),
                back,
                names,
                values,
                errors,
            )))
        },
    )
    .await
}
