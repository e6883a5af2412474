//! Attendance on a phone or tablet: a session's check-in list with large tick boxes and one
//! save button (no JavaScript), walk-ins added on the spot; a program's people by status and its
//! attendances (延べ), each list the rows behind a number on the program's page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jimoto_domain::growth::{AttendanceRow, Channel, Enrolment, EnrolmentStatus};
use jimoto_domain::program::{CompletionRule, Program, Session};
use jimoto_domain::{ProgramAction, ProgramId, ResidentId, SessionId};
use jimoto_services::{CheckIn, ServiceError};
use serde::Deserialize;

use super::signup::SignUpValues;
use crate::AppState;
use crate::error::AppError;
use crate::form::{FormData, finish};
use crate::layout::{ConfirmPage, FormErrors, Frame, render};
use crate::session::{Authed, Ctx};

#[derive(Template)]
#[template(path = "growth/check_in.html")]
struct CheckInPage {
    frame: Frame,
    check_in: CheckIn,
    can_tick: bool,
    present: usize,
    walk_in: SignUpValues,
    errors: FormErrors,
    channels: &'static [Channel],
}

async fn check_in_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &jimoto_domain::Actor,
    (id, session): (i64, i64),
    walk_in: SignUpValues,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let s = &state.services;
    let check_in = s
        .check_in_list(actor, ProgramId(id), SessionId(session))
        .await?;
    let view = s.program(actor, ProgramId(id)).await?;
    let number = view
        .sessions
        .iter()
        .position(|x| x.id == SessionId(session))
        .map_or(0, |n| n + 1);
    let p = &check_in.program;
    let can_tick = actor.may(ProgramAction::Attendance {
        id: p.id,
        region: p.region_id,
    });
    let title = format!(
        "{} {}",
        p.title,
        ctx.tr.t1("growth-session-number", "number", number)
    );
    Ok(render(&CheckInPage {
        frame: ctx.frame_titled(title),
        present: check_in.rows.iter().filter(|r| r.present).count(),
        check_in,
        can_tick,
        walk_in,
        errors,
        channels: Channel::ALL,
    }))
}

/// A session's check-in list.
pub(super) async fn check_in(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(ids): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    check_in_page(
        &state,
        &ctx,
        &actor,
        ids,
        SignUpValues::default(),
        FormErrors::default(),
    )
    .await
}

/// Saves the ticks: the ticked people are present, everyone else on the list is not.
pub(super) async fn save_check_in(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, session)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let mut present = Vec::new();
    for v in form.all("present") {
        let rid = v
            .parse::<i64>()
            .map_err(|_| jimoto_domain::ValidationFailure::single("present", "number"))?;
        present.push(ResidentId(rid));
    }
    let result = state
        .services
        .set_attendance(&actor, ProgramId(id), SessionId(session), &present)
        .await;
    finish(
        &ctx,
        &state,
        "notice-attendance-saved",
        result,
        |_| format!("/programs/{id}/sessions/{session}/attendance"),
        |errors| async {
            check_in_page(
                &state,
                &ctx,
                &actor,
                (id, session),
                SignUpValues::default(),
                errors,
            )
            .await
        },
    )
    .await
}

/// Adds a walk-in and checks them in.
pub(super) async fn add_walk_in(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, session)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let values = SignUpValues::read(&form);
    let result = match values.parse(&state.services) {
        Ok(input) => {
            state
                .services
                .walk_in(&actor, ProgramId(id), SessionId(session), input)
                .await
        }
        Err(e) => Err(e),
    };
    finish(
        &ctx,
        &state,
        "notice-walk-in-added",
        result,
        |_| format!("/programs/{id}/sessions/{session}/attendance"),
        |errors| async { check_in_page(&state, &ctx, &actor, (id, session), values, errors).await },
    )
    .await
}

#[derive(Debug, Deserialize)]
pub(super) struct PeopleQuery {
    /// enrolled, waiting, cancelled, attended or completed.
    show: Option<String>,
}

#[derive(Template)]
#[template(path = "growth/people.html")]
struct PeoplePage {
    frame: Frame,
    program: Program,
    show: String,
    people: Vec<Enrolment>,
    can_keep: bool,
    manual: bool,
}

/// A program's people: one of the lists behind its counts.
pub(super) async fn people(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    Query(q): Query<PeopleQuery>,
) -> Result<Response, AppError> {
    let s = &state.services;
    let show = q.show.unwrap_or_else(|| "enrolled".into());
    // The three statuses are lists of their own; "attended" and "completed" cut across them.
    let people = match (EnrolmentStatus::parse(&show), show.as_str()) {
        (Some(status), _) => s.enrolments(&actor, ProgramId(id), Some(status)).await?,
        (None, "attended" | "completed") => {
            let mut all = s.enrolments(&actor, ProgramId(id), None).await?;
            all.retain(|e| {
                if show == "attended" {
                    e.attended > 0
                } else {
                    e.completed_at.is_some()
                }
            });
            all
        }
        _ => return Err(ServiceError::NotFound.into()),
    };
    let program = s.program(&actor, ProgramId(id)).await?.program;
    let can_keep = actor.may(ProgramAction::Attendance {
        id: program.id,
        region: program.region_id,
    });
    Ok(render(&PeoplePage {
        frame: ctx.frame_titled(format!(
            "{} — {}",
            program.title,
            ctx.tr.e("people_list", &show)
        )),
        manual: program.completion == CompletionRule::Manual,
        program,
        show,
        people,
        can_keep,
    }))
}

#[derive(Template)]
#[template(path = "growth/attendances.html")]
struct AttendancesPage {
    frame: Frame,
    program: Program,
    sessions: Vec<Session>,
    rows: Vec<AttendanceRow>,
}

impl AttendancesPage {
    fn session_label(&self, id: &SessionId) -> String {
        self.sessions
            .iter()
            .position(|s| s.id == *id)
            .map(|n| {
                format!(
                    "{} {}",
                    self.frame.tr.t1("growth-session-number", "number", n + 1),
                    self.frame.tr.date(self.sessions[n].date)
                )
            })
            .unwrap_or_default()
    }
}

/// Every attendance of a program (延べ): the rows behind its attendance count.
pub(super) async fn attendances(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = &state.services;
    let rows = s.attendance_rows(&actor, ProgramId(id)).await?;
    let view = s.program(&actor, ProgramId(id)).await?;
    Ok(render(&AttendancesPage {
        frame: ctx.frame_titled(format!(
            "{} — {}",
            view.program.title,
            ctx.tr.t("growth-attendances")
        )),
        program: view.program,
        sessions: view.sessions,
        rows,
    }))
}

/// "Cancel this sign-up?" (the waiting list moves up).
pub(super) async fn cancel_confirm(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, resident)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let s = &state.services;
    let people = s.enrolments(&actor, ProgramId(id), None).await?;
    let e = people
        .iter()
        .find(|e| e.resident_id == ResidentId(resident))
        .ok_or(ServiceError::NotFound)?;
    let back = format!("/programs/{id}/people");
    Ok(render(&ConfirmPage {
        frame: ctx.frame("growth-cancel-title"),
        question: ctx.tr.t1("growth-cancel-question", "name", &e.name),
        detail: ctx.tr.t("growth-cancel-detail"),
        action: format!("/programs/{id}/people/{resident}/cancel"),
        submit: ctx.tr.t("growth-cancel"),
        back,
    }))
}

/// Cancels a sign-up.
pub(super) async fn cancel(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, resident)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    state
        .services
        .cancel_enrolment(&actor, ProgramId(id), ResidentId(resident))
        .await?;
    ctx.done(
        &state,
        &format!("/programs/{id}/people"),
        "notice-cancelled",
    )
    .await
}

/// Marks (or takes back) a person's completion of a program completed by the coordinator's mark.
pub(super) async fn completion(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, resident)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    state
        .services
        .mark_completed(
            &actor,
            ProgramId(id),
            ResidentId(resident),
            form.get("completed") == "1",
        )
        .await?;
    ctx.done(&state, &format!("/programs/{id}/people"), "notice-saved")
        .await
}
