//! The pages: a program's voices (all with names for its coordinators and staff; only the
//! quotable ones, unnamed, for anyone else who sees the program), a company event's
//! organisations, people and follow-ups, and the coordinator's list of follow-ups not done.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use jimoto_domain::calendar::today_jst;
use jimoto_domain::event::{
    EventOrganisationInput, FollowUp, FollowUpInput, FollowUpStatus, ParticipantInput, Voice,
    VoiceInput,
};
use jimoto_domain::growth::Enrolment;
use jimoto_domain::organisation::OrganisationRef;
use jimoto_domain::user::Account;
use jimoto_domain::{
    FieldError, OrganisationId, ProgramAction, ProgramId, ResidentId, SessionId, UserId,
    ValidationFailure,
};
use jimoto_services::{EventView, ProgramView, ServiceError};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::form::{FormData, finish};
use crate::layout::{ConfirmPage, FormErrors, Frame, render};
use crate::session::{Authed, Ctx};

// ---------------------------------------------------------------------------------------------
// Voices

#[derive(Template)]
#[template(path = "events/voices.html")]
struct VoicesPage {
    frame: Frame,
    view: ProgramView,
    voices: Vec<Voice>,
    people: Vec<Enrolment>,
    can_keep: bool,
    typed: FormData,
    errors: FormErrors,
}

impl VoicesPage {
    fn session_number(&self, id: &SessionId) -> usize {
        self.view
            .sessions
            .iter()
            .position(|s| s.id == *id)
            .map_or(0, |n| n + 1)
    }
}

async fn voices_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &jimoto_domain::Actor,
    id: i64,
    typed: FormData,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let s = &state.services;
    let view = s.program(actor, ProgramId(id)).await?;
    let p = &view.program;
    let can_keep = actor.may(ProgramAction::Attendance {
        id: p.id,
        region: p.region_id,
    });
    let people = if can_keep {
        s.enrolments(actor, p.id, None).await?
    } else {
        vec![]
    };
    let voices = s.voices(actor, p.id).await?;
    let title = format!("{} — {}", p.title, ctx.tr.t("voices-title"));
    Ok(render(&VoicesPage {
        frame: ctx.frame_titled(title),
        view,
        voices,
        people,
        can_keep,
        typed,
        errors,
    }))
}

/// A program's voices.
pub(super) async fn voices(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    voices_page(
        &state,
        &ctx,
        &actor,
        id,
        FormData::default(),
        FormErrors::default(),
    )
    .await
}

/// Records a voice.
pub(super) async fn add_voice(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let mut problems = Vec::new();
    let session = form.req_int("session_id", &mut problems);
    let resident = form.opt_int("resident_id", &mut problems);
    let result = if problems.is_empty() {
        state
            .services
            .add_voice(
                &actor,
                ProgramId(id),
                VoiceInput {
                    session_id: SessionId(session.unwrap_or_default()),
                    resident_id: resident.map(ResidentId),
                    body: form.get("body").to_owned(),
                    may_quote: form.checked("may_quote"),
                    attribution: form.get("attribution").to_owned(),
                },
            )
            .await
    } else {
        Err(ValidationFailure(problems).into())
    };
    finish(
        &ctx,
        &state,
        "notice-saved",
        result,
        |_| format!("/programs/{id}/voices"),
        |errors| async { voices_page(&state, &ctx, &actor, id, form.clone(), errors).await },
    )
    .await
}

/// Asks before deleting a voice.
pub(super) async fn delete_voice_confirm(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, voice)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let v = state.services.voice(&actor, ProgramId(id), voice).await?;
    Ok(render(&ConfirmPage {
        frame: ctx.frame("voices-delete-title"),
        question: ctx.tr.t1("voices-delete-question", "body", &v.body),
        detail: ctx.tr.t("voices-delete-detail"),
        action: format!("/programs/{id}/voices/{voice}/delete"),
        submit: ctx.tr.t("action-delete"),
        back: format!("/programs/{id}/voices"),
    }))
}

/// Deletes a voice.
pub(super) async fn delete_voice(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, voice)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    state
        .services
        .delete_voice(&actor, ProgramId(id), voice)
        .await?;
    ctx.done(&state, &format!("/programs/{id}/voices"), "notice-deleted")
        .await
}

// ---------------------------------------------------------------------------------------------
// Company events

#[derive(Template)]
#[template(path = "events/event.html")]
struct EventPage {
    frame: Frame,
    event: EventView,
    can_keep: bool,
    organisations: Vec<OrganisationRef>,
    owners: Vec<Account>,
    statuses: &'static [FollowUpStatus],
    today: NaiveDate,
    me: UserId,
    typed: FormData,
    errors: FormErrors,
}

async fn event_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &jimoto_domain::Actor,
    id: i64,
    typed: FormData,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let s = &state.services;
    let event = s.event(actor, ProgramId(id)).await?;
    let p = &event.program;
    let can_keep = actor.may(ProgramAction::Attendance {
        id: p.id,
        region: p.region_id,
    });
    let (organisations, owners) = if can_keep {
        (
            s.organisation_refs(actor).await?,
            s.follow_up_owners(actor, p.id).await?,
        )
    } else {
        (vec![], vec![])
    };
    let title = format!("{} — {}", p.title, ctx.tr.t("event-title"));
    Ok(render(&EventPage {
        frame: ctx.frame_titled(title),
        event,
        can_keep,
        organisations,
        owners,
        statuses: FollowUpStatus::ALL,
        today: today_jst(),
        me: actor.user_id,
        typed,
        errors,
    }))
}

/// A company event: organisations, people, follow-ups.
pub(super) async fn event(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    event_page(
        &state,
        &ctx,
        &actor,
        id,
        FormData::default(),
        FormErrors::default(),
    )
    .await
}

/// Finishes an event form: back to the event page's section, or the page again with problems.
async fn event_done<T>(
    state: &AppState,
    ctx: &Ctx,
    actor: &jimoto_domain::Actor,
    id: i64,
    section: &str,
    form: FormData,
    result: Result<T, ServiceError>,
) -> Result<Response, AppError> {
    finish(
        ctx,
        state,
        "notice-saved",
        result,
        |_| format!("/programs/{id}/event#{section}"),
        |errors| async { event_page(state, ctx, actor, id, form.clone(), errors).await },
    )
    .await
}

/// Records an organisation at the event (or updates its purpose and involvement).
pub(super) async fn set_organisation(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let mut problems = Vec::new();
    let org = form.req_int("organisation_id", &mut problems);
    let result = if problems.is_empty() {
        state
            .services
            .set_event_organisation(
                &actor,
                ProgramId(id),
                EventOrganisationInput {
                    organisation_id: OrganisationId(org.unwrap_or_default()),
                    purpose: form.get("purpose").to_owned(),
                    involvement: form.get("involvement").to_owned(),
                },
            )
            .await
    } else {
        Err(ValidationFailure(problems).into())
    };
    event_done(&state, &ctx, &actor, id, "organisations", form, result).await
}

/// Asks before removing an organisation from the event.
pub(super) async fn remove_organisation_confirm(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, org)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    remove_confirm(&state, &ctx, &actor, id, "organisations", org).await
}

/// Asks before removing a person from the event.
pub(super) async fn remove_participant_confirm(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, participant)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    remove_confirm(&state, &ctx, &actor, id, "participants", participant).await
}

/// The confirmation page naming what is removed (only for those who keep the event).
async fn remove_confirm(
    state: &AppState,
    ctx: &Ctx,
    actor: &jimoto_domain::Actor,
    id: i64,
    what: &str,
    key: i64,
) -> Result<Response, AppError> {
    let event = state.services.event(actor, ProgramId(id)).await?;
    let p = &event.program;
    if !actor.may(ProgramAction::Attendance {
        id: p.id,
        region: p.region_id,
    }) {
        return Err(ServiceError::Forbidden.into());
    }
    let name = match what {
        "organisations" => event
            .organisations
            .iter()
            .find(|o| o.organisation_id == OrganisationId(key))
            .map(|o| o.organisation_name.clone()),
        "participants" => event
            .participants
            .iter()
            .find(|x| x.id == key)
            .map(|x| x.name.clone()),
        _ => None,
    }
    .ok_or(ServiceError::NotFound)?;
    Ok(render(&ConfirmPage {
        frame: ctx.frame("event-remove"),
        question: ctx.tr.t1("event-remove-question", "name", &name),
        detail: ctx.tr.t(&format!("event-remove-{what}-detail")),
        action: format!("/programs/{id}/event/{what}/{key}/remove"),
        submit: ctx.tr.t("event-remove"),
        back: format!("/programs/{id}/event#{what}"),
    }))
}

/// Removes an organisation from the event.
pub(super) async fn remove_organisation(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, org)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    state
        .services
        .remove_event_organisation(&actor, ProgramId(id), OrganisationId(org))
        .await?;
    ctx.done(
        &state,
        &format!("/programs/{id}/event#organisations"),
        "notice-deleted",
    )
    .await
}

/// Records a person at the event.
pub(super) async fn add_participant(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let mut problems = Vec::new();
    let org = form.opt_int("organisation_id", &mut problems);
    let result = if problems.is_empty() {
        state
            .services
            .add_participant(
                &actor,
                ProgramId(id),
                ParticipantInput {
                    organisation_id: org.map(OrganisationId),
                    organisation_name: form.get("organisation_name").to_owned(),
                    name: form.get("name").to_owned(),
                    role: form.get("role").to_owned(),
                },
            )
            .await
    } else {
        Err(ValidationFailure(problems).into())
    };
    event_done(&state, &ctx, &actor, id, "participants", form, result).await
}

/// Removes a person from the event.
pub(super) async fn remove_participant(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, participant)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    state
        .services
        .remove_participant(&actor, ProgramId(id), participant)
        .await?;
    ctx.done(
        &state,
        &format!("/programs/{id}/event#participants"),
        "notice-deleted",
    )
    .await
}

fn follow_up_input(form: &FormData) -> Result<FollowUpInput, ValidationFailure> {
    let mut problems = Vec::new();
    let org = form.opt_int("organisation_id", &mut problems);
    let owner = form.req_int("owner_user_id", &mut problems);
    let due = form.req_date("due", &mut problems);
    let status = match form.get("status") {
        "" => Some(FollowUpStatus::Open),
        s => FollowUpStatus::ALL
            .iter()
            .copied()
            .find(|x| x.as_str() == s),
    };
    if status.is_none() {
        problems.push(FieldError::new("status", "invalid_choice"));
    }
    if form.get("action").trim().is_empty() {
        problems.push(FieldError::new("action", "required"));
    }
    match (owner, due, status) {
        (Some(owner), Some(due), Some(status)) if problems.is_empty() => Ok(FollowUpInput {
            organisation_id: org.map(OrganisationId),
            action: form.get("action").to_owned(),
            owner_user_id: UserId(owner),
            due,
            status,
        }),
        _ => Err(ValidationFailure(problems)),
    }
}

/// Adds a follow-up action.
pub(super) async fn add_follow_up(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let result = match follow_up_input(&form) {
        Ok(input) => {
            state
                .services
                .add_follow_up(&actor, ProgramId(id), input)
                .await
        }
        Err(v) => Err(v.into()),
    };
    event_done(&state, &ctx, &actor, id, "event-follow-ups", form, result).await
}

/// Changes a follow-up action (its status from the list, or every field).
pub(super) async fn update_follow_up(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, follow_up)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let result = match follow_up_input(&form) {
        Ok(input) => {
            state
                .services
                .update_follow_up(&actor, ProgramId(id), follow_up, input)
                .await
        }
        Err(v) => Err(v.into()),
    };
    let back = form.get("back").to_owned();
    if back == "/follow-ups" && result.is_ok() {
        return ctx.done(&state, "/follow-ups", "notice-saved").await;
    }
    event_done(&state, &ctx, &actor, id, "event-follow-ups", form, result).await
}

// ---------------------------------------------------------------------------------------------
// The coordinator's follow-ups

#[derive(Template)]
#[template(path = "events/follow_ups.html")]
struct FollowUpsPage {
    frame: Frame,
    follow_ups: Vec<FollowUp>,
    mine: bool,
    today: NaiveDate,
    statuses: &'static [FollowUpStatus],
}

/// Which follow-ups to list.
#[derive(Debug, Deserialize)]
pub(super) struct FollowUpsQuery {
    #[serde(default)]
    mine: Option<String>,
}

/// Follow-up actions not done, earliest due first.
pub(super) async fn follow_ups(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<FollowUpsQuery>,
) -> Result<Response, AppError> {
    let mine = q.mine.as_deref() == Some("1");
    let s = &state.services;
    let follow_ups = s.open_follow_ups(&actor, mine, 500).await?;
    Ok(render(&FollowUpsPage {
        frame: ctx.frame("follow-ups-title"),
        follow_ups,
        mine,
        today: today_jst(),
        statuses: FollowUpStatus::ALL,
    }))
}
