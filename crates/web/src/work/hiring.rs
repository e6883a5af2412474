//! Pages of selection: applying from a posting, an application with its stages and notes, an
//! organisation's applicants, contracts and hours awaiting approval, and a resident's own work.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jimoto_domain::work::selection::{ApplicationInput, Note, NoteInput};
use jimoto_domain::work::{Application, Earnings, Engagement, PayPeriod, SelectionStage};
use jimoto_domain::{
    ApplicationId, FieldError, OrganisationId, PostingId, StageId, ValidationFailure, WorkAction,
};
use serde::Deserialize;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use crate::AppState;
use crate::error::AppError;
use crate::form::{FormData, finish};
use crate::layout::{FormErrors, Frame, render};
use crate::session::{Authed, Ctx};

/// A stage's label: a default stage's translated name, or the organisation's own.
pub(super) fn stage_label(ctx: &Ctx, s: &SelectionStage) -> String {
    match s.code {
        Some(c) => ctx.tr.e("selection_stage", c.as_str()),
        None => s.name.clone(),
    }
}

fn stage_of(ctx: &Ctx, stages: &[SelectionStage], id: Option<StageId>) -> String {
    stages
        .iter()
        .find(|s| Some(s.id) == id)
        .map(|s| stage_label(ctx, s))
        .unwrap_or_default()
}

/// An application's status in words (with its stage while in selection).
fn status_words(ctx: &Ctx, a: &Application, stages: &[SelectionStage]) -> String {
    let status = ctx.tr.e("application_status", a.status.as_str());
    if a.status.is_open() {
        let stage = stage_of(ctx, stages, a.stage_id);
        if !stage.is_empty() {
            return format!("{status} · {stage}");
        }
    }
    status
}

/// The resident applies from a posting's page.
pub(super) async fn apply(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let mut p = Vec::new();
    let on_behalf = form.opt_int("resident_id", &mut p);
    let result = if p.is_empty() {
        state
            .services
            .apply(
                &actor,
                PostingId(id),
                ApplicationInput {
                    message: form.get("message").to_owned(),
                    resident_id: on_behalf.map(jimoto_domain::ResidentId),
                },
            )
            .await
    } else {
        Err(jimoto_domain::ValidationFailure(p).into())
    };
    let for_resident = form.get("resident_id").to_owned();
    finish(
        &ctx,
        &state,
        "notice-applied",
        result,
        |a| format!("/applications/{}", a.id),
        |errors| async {
            super::postings::posting_page(&state, &ctx, id, Some(&for_resident), errors).await
        },
    )
    .await
}

/// A note as shown: its stage's label, the rating in words.
struct NoteLine {
    stage: String,
    rating: String,
    note: Note,
}

#[derive(Template)]
#[template(path = "work/application.html")]
struct ApplicationPage {
    frame: Frame,
    a: Application,
    status: String,
    /// (id, label, current).
    stages: Vec<(StageId, String, bool)>,
    notes: Vec<NoteLine>,
    selects: bool,
    own: bool,
    engagement: Option<jimoto_domain::EngagementId>,
    channel: String,
    applied: String,
    today: String,
    errors: FormErrors,
}

async fn application_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let actor = ctx.signed_in()?;
    let v = state.services.application(actor, ApplicationId(id)).await?;
    let a = v.application;
    let stages = v
        .stages
        .iter()
        .map(|s| (s.id, stage_label(ctx, s), Some(s.id) == a.stage_id))
        .collect();
    let notes = v
        .notes
        .into_iter()
        .map(|n| NoteLine {
            stage: stage_of(ctx, &v.stages, n.stage_id),
            rating: n
                .rating
                .map(|r| ctx.tr.t1("selection-rating-of", "rating", r))
                .unwrap_or_default(),
            note: n,
        })
        .collect();
    let own = actor.may(WorkAction::Apply {
        resident: a.resident_id,
        region: a.region_id,
    });
    Ok(render(&ApplicationPage {
        frame: ctx.frame_titled(a.posting_title.clone()),
        status: status_words(ctx, &a, &v.stages),
        channel: ctx.tr.e("channel", a.channel.as_str()),
        applied: ctx.tr.datetime(&a.applied_at),
        today: jimoto_domain::calendar::today_jst().to_string(),
        a,
        stages,
        notes,
        selects: v.selects,
        own,
        engagement: v.engagement,
        errors,
    }))
}

/// An application: the applicant sees its status; the organisation and the applicant's
/// coordinators run the selection from here.
pub(super) async fn application(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    application_page(&state, &ctx, id, FormErrors::default()).await
}

/// What a button on the application's page does.
pub(super) async fn act(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, what)): Path<(i64, String)>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let s = &state.services;
    let app = ApplicationId(id);
    let back = format!("/applications/{id}");
    let mut problems: Vec<FieldError> = Vec::new();
    let (notice, result): (&str, Result<String, jimoto_services::ServiceError>) =
        match what.as_str() {
            "withdraw" => (
                "notice-withdrawn",
                s.withdraw(&actor, app).await.map(|_| back.clone()),
            ),
            "decline" => (
                "notice-declined",
                s.decline(&actor, app).await.map(|_| back.clone()),
            ),
            "stage" => {
                let stage = form.req_int("stage_id", &mut problems);
                let r = match stage {
                    Some(st) => s.move_application(&actor, app, StageId(st)).await,
                    None => Err(ValidationFailure(problems.clone()).into()),
                };
                ("notice-saved", r.map(|_| back.clone()))
            }
            "notes" => {
                let stage = form.req_int("stage_id", &mut problems);
                let rating = form.opt_int("rating", &mut problems);
                let r = match (stage, problems.is_empty()) {
                    (Some(st), true) => {
                        s.add_application_note(
                            &actor,
                            app,
                            NoteInput {
                                stage_id: StageId(st),
                                rating,
                                body: form.get("body").to_owned(),
                            },
                        )
                        .await
                    }
                    _ => Err(ValidationFailure(problems.clone()).into()),
                };
                ("notice-saved", r.map(|_| format!("{back}#notes")))
            }
            "hire" => {
                let r = match form.req_date("start_date", &mut problems) {
                    Some(d) => s.hire(&actor, app, d).await,
                    None => Err(ValidationFailure(problems.clone()).into()),
                };
                ("notice-hired", r.map(|e| format!("/engagements/{e}")))
            }
            _ => return Err(jimoto_services::ServiceError::NotFound.into()),
        };
    finish(&ctx, &state, notice, result, Clone::clone, |errors| async {
        application_page(&state, &ctx, id, errors).await
    })
    .await
}

/// An organisation's applicants, contracts and periods awaiting approval.
#[derive(Template)]
#[template(path = "work/hiring.html")]
struct HiringPage {
    frame: Frame,
    org_id: OrganisationId,
    org_name: String,
    /// (application, status words).
    applications: Vec<(Application, String)>,
    engagements: Vec<Engagement>,
    to_decide: Vec<PayPeriod>,
    decides: bool,
    own_stages: bool,
    stages: Vec<String>,
    errors: FormErrors,
}

/// Which posting's applicants.
#[derive(Debug, Deserialize)]
pub(super) struct HiringQuery {
    posting: Option<i64>,
}

async fn hiring_page(
    state: &AppState,
    ctx: &Ctx,
    org: OrganisationId,
    posting: Option<i64>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let actor = ctx.signed_in()?;
    let s = &state.services;
    let o = s.organisation(actor, org).await?;
    let apps = s
        .applications_to(actor, org, posting.map(PostingId))
        .await?;
    let stages = s.selection_stages(actor, org).await?;
    let applications = apps
        .into_iter()
        .map(|a| {
            let w = status_words(ctx, &a, &stages);
            (a, w)
        })
        .collect();
    let engagements = s.engagements_of(actor, org).await?;
    let decides = actor.may(WorkAction::DecideHours { organisation: org });
    let to_decide = if decides {
        s.periods_to_decide(actor, org).await?
    } else {
        vec![]
    };
    Ok(render(&HiringPage {
        frame: ctx.frame("hiring-title"),
        org_id: org,
        org_name: o.organisation.name,
        applications,
        engagements,
        to_decide,
        decides,
        own_stages: actor.may(WorkAction::Evaluate { organisation: org }),
        stages: stages.iter().map(|st| stage_label(ctx, st)).collect(),
        errors,
    }))
}

/// An organisation's applicants (optionally of one posting), contracts and hours to approve.
pub(super) async fn hiring(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<HiringQuery>,
) -> Result<Response, AppError> {
    hiring_page(
        &state,
        &ctx,
        OrganisationId(id),
        q.posting,
        FormErrors::default(),
    )
    .await
}

/// Adds an organisation's own selection stage.
pub(super) async fn add_stage(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let org = OrganisationId(id);
    let result = state
        .services
        .add_selection_stage(&actor, org, form.get("name"))
        .await;
    finish(
        &ctx,
        &state,
        "notice-saved",
        result,
        |_| format!("/organisations/{id}/hiring#stages"),
        |errors| async { hiring_page(&state, &ctx, org, None, errors).await },
    )
    .await
}

/// A resident's own work: applications, contracts, earnings.
#[derive(Template)]
#[template(path = "work/mine.html")]
struct MinePage {
    frame: Frame,
    applications: Vec<(Application, String)>,
    engagements: Vec<Engagement>,
    earnings: Earnings,
    /// Periods approved or paid, latest first (for their statements).
    statements: Vec<PayPeriod>,
    /// Where they are on the growth path, in words.
    stage: Option<String>,
    /// Open jobs that suit them, with why.
    recommended: Vec<super::matching::RecommendedJobView>,
}

/// The resident's work page.
pub(super) async fn mine(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
) -> Result<Response, AppError> {
    let s = &state.services;
    let apps = s.my_applications(&actor).await?;
    let mut applications = Vec::new();
    // Stages belong to the organisation: read them once per organisation, not per application.
    let mut stages_of: HashMap<OrganisationId, Vec<SelectionStage>> = HashMap::new();
    for a in apps {
        if let Entry::Vacant(slot) = stages_of.entry(a.organisation_id) {
            let stages = s
                .application(&actor, a.id)
                .await
                .map(|v| v.stages)
                .unwrap_or_default();
            slot.insert(stages);
        }
        let stages = stages_of
            .get(&a.organisation_id)
            .map_or(&[][..], Vec::as_slice);
        let w = status_words(&ctx, &a, stages);
        applications.push((a, w));
    }
    let engagements = s.my_engagements(&actor).await?;
    let (earnings, periods) = s.my_earnings(&actor).await?;
    let mut statements: Vec<PayPeriod> =
        periods.into_iter().filter(|p| p.status.locked()).collect();
    statements.reverse();
    let stage = match actor.principal {
        jimoto_domain::Principal::Resident { resident, .. } => s
            .growth(&actor, resident)
            .await
            .ok()
            .map(|g| ctx.tr.e("stage", g.now.stage.as_str())),
        _ => None,
    };
    let recommended = match actor.principal {
        jimoto_domain::Principal::Resident { resident, .. } => {
            super::matching::recommended_jobs(
                &state,
                ctx.tr,
                &actor,
                resident,
                super::matching::Whose::Own,
            )
            .await?
        }
        _ => Vec::new(),
    };
    Ok(render(&MinePage {
        recommended,
        stage,
        frame: ctx.frame("mine-title"),
        applications,
        engagements,
        earnings,
        statements,
    }))
}

/// "2024年1月" / "January 2024" (a year alone without a month).
pub(super) fn month_label(tr: crate::i18n::Tr, year: i32, month: Option<u32>) -> String {
    match month {
        Some(m) => tr.ta(
            "month-label",
            &[("year", year.to_string()), ("month", m.to_string())],
        ),
        None => year.to_string(),
    }
}

impl MinePage {
    fn month_label(&self, year: &i32, month: &Option<u32>) -> String {
        month_label(self.frame.tr, *year, *month)
    }

    fn fy_label(&self, year: &i32) -> String {
        self.frame.tr.fiscal_year(*year)
    }
}

impl HiringPage {
    fn hm(&self, minutes: &i64) -> String {
        super::hours_text(self.frame.tr, *minutes)
    }
}
