//! A resident's growth path: their stage with the date of every change, the 90-day clock, their
//! sign-ups, a stage set by hand with a reason, and the merge of another record of the same
//! person; and the list of people who have stalled.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use jimoto_domain::calendar::today_jst;
use jimoto_domain::growth::{
    Channel, EnrolInput, PAID_WORK_CLOCK_DAYS, Stage, StageInput, Stalled,
};
use jimoto_domain::{ResidentAction, ResidentId};
use jimoto_services::{GrowthView, ServiceError};

use crate::AppState;
use crate::error::AppError;
use crate::form::{FormData, finish};
use crate::layout::{ConfirmPage, FormErrors, Frame, render};
use crate::session::{Authed, Ctx};

#[derive(Template)]
#[template(path = "growth/resident.html")]
struct GrowthPage {
    frame: Frame,
    resident: jimoto_domain::resident::Resident,
    growth: GrowthView,
    clock: Option<i64>,
    clock_days: i64,
    can_set: bool,
    stages: &'static [Stage],
    stage_value: String,
    reason: String,
    errors: FormErrors,
    duplicates: Vec<(ResidentId, String, String, String)>,
    /// Programs the coordinator may sign them up for.
    enrollable: Vec<(jimoto_domain::ProgramId, String)>,
    channels: &'static [Channel],
}

async fn growth_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &jimoto_domain::Actor,
    id: i64,
    (stage_value, reason): (String, String),
    errors: FormErrors,
) -> Result<Response, AppError> {
    let s = &state.services;
    let resident = s.resident(actor, ResidentId(id)).await?;
    let growth = s.growth(actor, resident.id).await?;
    let can_set = actor.may(ResidentAction::SetStage {
        id: resident.id,
        region: resident.region_id,
    });
    let duplicates = s.possible_duplicates(actor, resident.id).await?;
    let enrollable = s.enrollable_programs(actor, resident.id).await?;
    Ok(render(&GrowthPage {
        enrollable,
        channels: Channel::ALL,
        frame: ctx.frame_titled(format!("{} — {}", resident.name, ctx.tr.t("growth-title"))),
        clock: growth.now.clock_days(today_jst()),
        clock_days: PAID_WORK_CLOCK_DAYS,
        resident,
        growth,
        can_set,
        stages: Stage::ALL,
        stage_value,
        reason,
        errors,
        duplicates,
    }))
}

/// A resident's growth path.
pub(super) async fn resident_growth(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    growth_page(
        &state,
        &ctx,
        &actor,
        id,
        (String::new(), String::new()),
        FormErrors::default(),
    )
    .await
}

/// Sets the stage by hand.
pub(super) async fn set_stage(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let values = (form.get("stage").to_owned(), form.get("reason").to_owned());
    let result = match Stage::parse(&values.0) {
        None => Err(ServiceError::from(
            jimoto_domain::ValidationFailure::single("stage", "required"),
        )),
        Some(stage) => {
            state
                .services
                .set_stage(
                    &actor,
                    ResidentId(id),
                    StageInput {
                        stage,
                        reason: values.1.clone(),
                    },
                )
                .await
        }
    };
    finish(
        &ctx,
        &state,
        "notice-saved",
        result,
        |_| format!("/residents/{id}/growth"),
        |errors| async { growth_page(&state, &ctx, &actor, id, values, errors).await },
    )
    .await
}

/// "Merge this record into that one?"
pub(super) async fn merge_confirm(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, other)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let s = &state.services;
    let keep = s.resident(&actor, ResidentId(id)).await?;
    let drop = s.resident(&actor, ResidentId(other)).await?;
    Ok(render(&ConfirmPage {
        frame: ctx.frame("growth-merge-title"),
        question: ctx.tr.ta(
            "growth-merge-question",
            &[("other", drop.name.clone()), ("keep", keep.name.clone())],
        ),
        detail: ctx.tr.t("growth-merge-detail"),
        action: format!("/residents/{id}/merge/{other}"),
        submit: ctx.tr.t("growth-merge"),
        back: format!("/residents/{id}/growth"),
    }))
}

/// Merges the other record into this one.
pub(super) async fn merge(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, other)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    state
        .services
        .merge_residents(&actor, ResidentId(id), ResidentId(other))
        .await?;
    ctx.done(&state, &format!("/residents/{id}/growth"), "notice-merged")
        .await
}

#[derive(Template)]
#[template(path = "growth/stalled.html")]
struct StalledPage {
    frame: Frame,
    items: Vec<Stalled>,
    total: i64,
    days: i64,
}

/// People with no next step for the set number of days.
pub(super) async fn stalled(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
) -> Result<Response, AppError> {
    let (items, total) = state.services.stalled(&actor, 200).await?;
    Ok(render(&StalledPage {
        frame: ctx.frame("stalled-title"),
        items,
        total,
        days: state.services.stalled_days(),
    }))
}

/// A coordinator signs the resident up for a program of their region.
pub(super) async fn enrol(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let mut problems = Vec::new();
    let program = form.req_int("program_id", &mut problems);
    let channel = Channel::ALL
        .iter()
        .copied()
        .find(|c| c.as_str() == form.get("channel"))
        .unwrap_or(Channel::Unknown);
    let result = match program {
        Some(p) if problems.is_empty() => {
            state
                .services
                .enrol(
                    &actor,
                    jimoto_domain::ProgramId(p),
                    EnrolInput {
                        resident_id: ResidentId(id),
                        channel,
                    },
                )
                .await
        }
        _ => Err(jimoto_domain::ValidationFailure(problems).into()),
    };
    finish(
        &ctx,
        &state,
        "notice-enrolled",
        result,
        |_| format!("/residents/{id}/growth#enrolments"),
        |errors| async {
            growth_page(
                &state,
                &ctx,
                &actor,
                id,
                (String::new(), String::new()),
                errors,
            )
            .await
        },
    )
    .await
}
