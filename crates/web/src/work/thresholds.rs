//! Income thresholds: a resident's warnings in plain words with the projection's arithmetic,
//! and the administrators' page of dated settings.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use jimoto_domain::work::{Closeness, Projection, Threshold, ThresholdKind};
use jimoto_domain::{FieldError, ValidationFailure};
use jimoto_services::ServiceError;

use crate::AppState;
use crate::error::AppError;
use crate::form::{FormData, finish};
use crate::layout::{FormErrors, Frame, render};
use crate::session::{Authed, Ctx};

/// One threshold's warning, in words.
struct Warning {
    kind: &'static str,
    closeness: &'static str,
    headline: String,
    affects: String,
    arithmetic: String,
}

fn warning(ctx: &Ctx, p: &Projection) -> Warning {
    let tr = ctx.tr;
    let kind = p.threshold.kind.as_str();
    let amount = tr.yen(p.threshold.amount_yen);
    let headline = tr.ta(
        &format!("threshold-{}", p.closeness.as_str()),
        &[
            ("name", tr.e("threshold", kind)),
            ("amount", amount.clone()),
            ("projected", tr.yen(p.projected_yen)),
        ],
    );
    let arithmetic = if p.threshold.kind.by_calendar_year() {
        tr.ta(
            "threshold-arithmetic-year",
            &[
                ("so_far", tr.yen(p.so_far_yen)),
                ("pending", tr.yen(p.pending_yen)),
                ("pace", tr.yen(p.monthly_pace_yen)),
                ("months", p.months.to_string()),
                ("projected", tr.yen(p.projected_yen)),
            ],
        )
    } else {
        tr.ta(
            "threshold-arithmetic-twelve",
            &[
                ("pace", tr.yen(p.monthly_pace_yen)),
                ("projected", tr.yen(p.projected_yen)),
            ],
        )
    };
    Warning {
        kind,
        closeness: p.closeness.as_str(),
        headline,
        affects: tr.t(&format!("threshold-affects-{kind}")),
        arithmetic,
    }
}

#[derive(Template)]
#[template(path = "work/thresholds.html")]
struct ThresholdsPage {
    frame: Frame,
    warnings: Vec<Warning>,
    /// (code, label, chosen).
    kinds: Vec<(&'static str, String, bool)>,
    today: String,
}

/// The resident's thresholds page.
pub(super) async fn mine(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
) -> Result<Response, AppError> {
    let today = jimoto_domain::calendar::today_jst();
    let v = state.services.my_thresholds(&actor, today).await?;
    let mut warnings: Vec<Warning> = v.projections.iter().map(|p| warning(&ctx, p)).collect();
    // The most urgent first.
    let rank = |c: &str| {
        [
            Closeness::Crossed,
            Closeness::WillCross,
            Closeness::Near,
            Closeness::Clear,
        ]
        .iter()
        .position(|x| x.as_str() == c)
        .unwrap_or(9)
    };
    warnings.sort_by_key(|w| rank(w.closeness));
    Ok(render(&ThresholdsPage {
        frame: ctx.frame("thresholds-title"),
        warnings,
        kinds: ThresholdKind::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str(),
                    ctx.tr.e("threshold", k.as_str()),
                    v.chosen.contains(k),
                )
            })
            .collect(),
        today: ctx.tr.date(today),
    }))
}

/// The resident chooses which thresholds matter to them.
pub(super) async fn choose(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let mut problems = Vec::new();
    let kinds = form.choices("kinds", ThresholdKind::parse, &mut problems);
    let result = if problems.is_empty() {
        state.services.choose_thresholds(&actor, &kinds).await
    } else {
        Err(ValidationFailure(problems).into())
    };
    match result {
        Ok(()) => ctx.done(&state, "/me/thresholds", "notice-saved").await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "work/thresholds_admin.html")]
struct AdminPage {
    frame: Frame,
    /// (row, label, removable).
    rows: Vec<(Threshold, String, bool)>,
    kinds: Vec<(&'static str, String)>,
    values: FormData,
    errors: FormErrors,
}

async fn admin_page(
    state: &AppState,
    ctx: &Ctx,
    values: FormData,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let actor = ctx.signed_in()?;
    if !actor.may(jimoto_domain::WorkAction::Thresholds) {
        return Err(ServiceError::Forbidden.into());
    }
    let all = state.services.thresholds().await?;
    let rows = all
        .iter()
        .map(|t| {
            let many = all.iter().filter(|x| x.kind == t.kind).count() > 1;
            (t.clone(), ctx.tr.e("threshold", t.kind.as_str()), many)
        })
        .collect();
    Ok(render(&AdminPage {
        frame: ctx.frame("thresholds-admin-title"),
        rows,
        kinds: ThresholdKind::ALL
            .iter()
            .map(|k| (k.as_str(), ctx.tr.e("threshold", k.as_str())))
            .collect(),
        values,
        errors,
    }))
}

/// The administrators' page of dated thresholds.
pub(super) async fn admin(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    admin_page(&state, &ctx, FormData::default(), FormErrors::default()).await
}

/// Sets a threshold from a day on.
pub(super) async fn set(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let mut p: Vec<FieldError> = Vec::new();
    let kind = form.choice("kind", ThresholdKind::parse, &mut p);
    let amount = form.req_int("amount_yen", &mut p);
    let from = form.req_date("valid_from", &mut p);
    let result = match (kind, amount, from, p.is_empty()) {
        (Some(k), Some(a), Some(f), true) => state.services.set_threshold(&actor, k, a, f).await,
        _ => Err(ValidationFailure(p).into()),
    };
    finish(
        &ctx,
        &state,
        "notice-saved",
        result,
        |_| "/admin/thresholds".to_owned(),
        |errors| async { admin_page(&state, &ctx, form.clone(), errors).await },
    )
    .await
}

/// Removes one dated row.
pub(super) async fn delete(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let result = state.services.delete_threshold(&actor, id).await;
    finish(
        &ctx,
        &state,
        "notice-deleted",
        result,
        |_| "/admin/thresholds".to_owned(),
        |errors| async { admin_page(&state, &ctx, FormData::default(), errors).await },
    )
    .await
}
