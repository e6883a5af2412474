//! Fair evaluation and retention pages: an organisation's rubric, the evaluation form, an
//! evaluation as the resident reads it (every criterion, every level in words), and retention
//! per organisation and per region.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use jimoto_domain::work::retention::RetentionReport;
use jimoto_domain::work::{
    Criterion, CriterionInput, Earnings, Evaluation, EvaluationInput, Retention, ScoreInput,
};
use jimoto_domain::{
    CriterionId, EngagementId, EvaluationId, FieldError, OrganisationId, RegionId,
    ValidationFailure,
};
use jimoto_services::ServiceError;
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::form::{FormData, finish};
use crate::layout::{FormErrors, Frame, render};
use crate::session::{Authed, Ctx};

#[derive(Template)]
#[template(path = "work/rubric.html")]
struct RubricPage {
    frame: Frame,
    org_id: OrganisationId,
    org_name: String,
    criteria: Vec<Criterion>,
    /// The criterion whose form failed, with what was typed.
    failed: Option<(i64, FormData)>,
    errors: FormErrors,
}

impl RubricPage {
    /// A criterion's levels, one per line, for its textarea.
    fn lines(&self, c: &Criterion) -> String {
        match &self.failed {
            Some((id, form)) if *id == c.id.0 => form.get("levels").to_owned(),
            _ => c.input.levels.join("\n"),
        }
    }

    fn new_value(&self, name: &str) -> String {
        match &self.failed {
            Some((0, form)) => form.get(name).to_owned(),
            _ => String::new(),
        }
    }
}

async fn rubric_page(
    state: &AppState,
    ctx: &Ctx,
    org: OrganisationId,
    failed: Option<(i64, FormData)>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let actor = ctx.signed_in()?;
    let o = state.services.organisation(actor, org).await?;
    let criteria = state.services.rubric(actor, org).await?;
    Ok(render(&RubricPage {
        frame: ctx.frame("rubric-title"),
        org_id: org,
        org_name: o.organisation.name,
        criteria,
        failed,
        errors,
    }))
}

/// An organisation's rubric: its members write and change it.
pub(super) async fn rubric(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    rubric_page(
        &state,
        &ctx,
        OrganisationId(id),
        None,
        FormErrors::default(),
    )
    .await
}

fn read_criterion(form: &FormData) -> CriterionInput {
    CriterionInput {
        name: form.get("name").to_owned(),
        description: form.get("description").to_owned(),
        levels: form.get("levels").lines().map(str::to_owned).collect(),
    }
}

/// Adds a criterion, starts from the standard fifteen, or changes or retires one.
pub(super) async fn rubric_act(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, what)): Path<(i64, String)>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let org = OrganisationId(id);
    let s = &state.services;
    let (which, result) = match what.as_str() {
        "add" => (
            0,
            s.add_criterion(&actor, org, read_criterion(&form))
                .await
                .map(|_| ()),
        ),
        "standard" => (
            0,
            s.adopt_standard_rubric(&actor, org, ctx.tr.lang == jimoto_domain::Lang::Ja)
                .await
                .map(|_| ()),
        ),
        other => {
            let cid: i64 = other.parse().map_err(|_| ServiceError::NotFound)?;
            let active = form.get("active") != "retire";
            (
                cid,
                s.update_criterion(&actor, org, CriterionId(cid), read_criterion(&form), active)
                    .await
                    .map(|_| ()),
            )
        }
    };
    finish(
        &ctx,
        &state,
        "notice-saved",
        result,
        |()| format!("/organisations/{id}/rubric"),
        |errors| async {
            rubric_page(&state, &ctx, org, Some((which, form.clone())), errors).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "work/evaluate.html")]
struct EvaluatePage {
    frame: Frame,
    form: jimoto_services::EvaluationForm,
    values: FormData,
    errors: FormErrors,
}

impl EvaluatePage {
    fn chosen(&self, c: &Criterion, level: &usize) -> bool {
        self.values.get(&format!("level-{}", c.id)) == (level + 1).to_string()
    }

    fn comment(&self, c: &Criterion) -> &str {
        self.values.get(&format!("comment-{}", c.id))
    }

    fn error(&self, i: &usize) -> Option<&str> {
        self.errors.get(&format!("scores[{i}]"))
    }
}

async fn evaluate_page(
    state: &AppState,
    ctx: &Ctx,
    id: EngagementId,
    values: Option<FormData>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let actor = ctx.signed_in()?;
    let form = state.services.evaluation_form(actor, id).await?;
    let values = values.unwrap_or_else(|| {
        FormData(vec![
            ("starts_on".into(), form.period.0.to_string()),
            ("ends_on".into(), form.period.1.to_string()),
        ])
    });
    Ok(render(&EvaluatePage {
        frame: ctx.frame_titled(format!(
            "{} · {}",
            ctx.tr.t("evaluate-title"),
            form.engagement.resident_name
        )),
        form,
        values,
        errors,
    }))
}

/// The form to evaluate a contract over a period.
pub(super) async fn evaluate_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    evaluate_page(&state, &ctx, EngagementId(id), None, FormErrors::default()).await
}

/// Saves an evaluation: every criterion of the rubric in use, read from `level-{id}` and
/// `comment-{id}`.
pub(super) async fn evaluate(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let eid = EngagementId(id);
    let rubric = state.services.evaluation_form(&actor, eid).await?.rubric;
    let mut p = Vec::new();
    let starts_on = form.req_date("starts_on", &mut p);
    let ends_on = form.req_date("ends_on", &mut p);
    let mut scores = Vec::new();
    for (i, c) in rubric.iter().enumerate() {
        let field = format!("level-{}", c.id);
        match form.get(&field).parse::<i64>() {
            Ok(level) => scores.push(ScoreInput {
                criterion_id: c.id,
                level,
                comment: form.get(&format!("comment-{}", c.id)).to_owned(),
            }),
            Err(_) => p.push(
                FieldError::new(format!("scores[{i}].level"), "required")
                    .with("name", &c.input.name),
            ),
        }
    }
    let result = match (starts_on, ends_on, p.is_empty()) {
        (Some(starts_on), Some(ends_on), true) => {
            state
                .services
                .evaluate(
                    &actor,
                    eid,
                    EvaluationInput {
                        starts_on,
                        ends_on,
                        comment: form.get("comment").to_owned(),
                        scores,
                    },
                )
                .await
        }
        _ => Err(ValidationFailure(p).into()),
    };
    finish(
        &ctx,
        &state,
        "notice-saved",
        result,
        |e| format!("/evaluations/{}", e.id),
        |errors| async { evaluate_page(&state, &ctx, eid, Some(form.clone()), errors).await },
    )
    .await
}

/// "15項目中12項目を達成" / "12 of 15 criteria met": the summary shown above the criteria.
pub(super) fn met_words(tr: crate::i18n::Tr, v: &Evaluation) -> String {
    tr.ta(
        "evaluation-met",
        &[
            ("met", v.met().to_string()),
            ("total", v.scores.len().to_string()),
        ],
    )
}

#[derive(Template)]
#[template(path = "work/evaluation.html")]
struct EvaluationPage {
    frame: Frame,
    v: Evaluation,
    met: String,
}

/// One evaluation: every criterion, what it means, every level in words and the one reached.
pub(super) async fn evaluation(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let v = state.services.evaluation(&actor, EvaluationId(id)).await?;
    Ok(render(&EvaluationPage {
        frame: ctx.frame("evaluation-title"),
        met: met_words(ctx.tr, &v),
        v,
    }))
}

/// The day retention is taken on.
#[derive(Debug, Deserialize)]
pub(super) struct AsOf {
    as_of: Option<String>,
}

impl AsOf {
    /// The day asked for (None: today), or the problem with what was typed.
    fn day(&self) -> (Option<NaiveDate>, Vec<FieldError>) {
        let form = FormData(vec![(
            "as_of".to_owned(),
            self.as_of.clone().unwrap_or_default(),
        )]);
        let mut problems = Vec::new();
        let day = form.opt_date("as_of", &mut problems);
        (day, problems)
    }
}

#[derive(Template)]
#[template(path = "work/retention.html")]
struct RetentionPage {
    frame: Frame,
    /// Where the page came from (the organisation's or the region's page).
    back: (String, String),
    /// The heading of the group column ("region" or "organisation").
    group: String,
    report: RetentionReport,
    /// A region's pay totals (on the region's page only).
    earnings: Option<Earnings>,
    /// What was wrong with the day typed (the figures are then today's).
    errors: FormErrors,
}

impl RetentionPage {
    fn percent(&self, r: &Retention, i: usize) -> String {
        r.milestones
            .get(i)
            .and_then(|m| m.percent())
            .map_or_else(|| "—".to_owned(), |p| format!("{p}%"))
    }

    fn median(&self, r: &Retention) -> String {
        r.median_days.map_or_else(
            || "—".to_owned(),
            |d| self.frame.tr.t1("retention-days", "days", d),
        )
    }

    fn reasons(&self, r: &Retention) -> String {
        self.frame.tr.join(r.ended_by.iter().map(|c| {
            let label = c.reason.map_or_else(
                || self.frame.tr.t("retention-ran-term"),
                |x| self.frame.tr.e("end_reason", x.as_str()),
            );
            self.frame.tr.ta(
                "retention-reason-count",
                &[("label", label), ("count", c.count.to_string())],
            )
        }))
    }

    fn month_label(&self, year: &i32, month: &Option<u32>) -> String {
        super::hiring::month_label(self.frame.tr, *year, *month)
    }

    fn fy_label(&self, year: &i32) -> String {
        self.frame.tr.fiscal_year(*year)
    }
}

/// How long an organisation's people stay, per region: its members and administrators.
pub(super) async fn org_retention(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    Query(q): Query<AsOf>,
) -> Result<Response, AppError> {
    let org = OrganisationId(id);
    let o = state.services.organisation(&actor, org).await?;
    let (day, problems) = q.day();
    let report = state
        .services
        .organisation_retention(&actor, org, day)
        .await?;
    Ok(render(&RetentionPage {
        frame: ctx.frame_titled(format!(
            "{} · {}",
            ctx.tr.t("retention-title"),
            o.organisation.name
        )),
        back: (format!("/organisations/{id}/hiring"), o.organisation.name),
        group: ctx.tr.t("retention-region"),
        report,
        earnings: None,
        errors: FormErrors::from(ctx.tr, &problems),
    }))
}

/// A region's work in figures: pay totals and retention per organisation, no names.
pub(super) async fn region_work(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    Query(q): Query<AsOf>,
) -> Result<Response, AppError> {
    let region = RegionId(id);
    let (day, problems) = q.day();
    let report = state.services.region_retention(&actor, region, day).await?;
    let earnings = state.services.region_pay_totals(&actor, region).await?;
    let r = state.services.region(&actor, region).await?;
    Ok(render(&RetentionPage {
        frame: ctx.frame_titled(format!("{} · {}", ctx.tr.t("region-work-title"), r.name)),
        back: (format!("/regions/{id}"), r.name),
        group: ctx.tr.t("retention-organisation"),
        report,
        earnings: Some(earnings),
        errors: FormErrors::from(ctx.tr, &problems),
    }))
}
