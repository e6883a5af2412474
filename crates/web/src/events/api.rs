//! Voices, company events and follow-ups in the JSON API.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jimoto_domain::event::{
    EventCounts, EventOrganisation, EventOrganisationInput, EventParticipant, FollowUp,
    FollowUpInput, ParticipantInput, Voice, VoiceInput,
};
use jimoto_domain::{OrganisationId, ProgramId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiJson, ApiQuery, path_id};
use crate::error::AppError;
use crate::session::ApiActor;

/// The id of what was created.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Created {
    /// Id.
    id: i64,
}

fn created(id: i64) -> Response {
    (StatusCode::CREATED, Json(Created { id })).into_response()
}

#[utoipa::path(get, path = "/api/v1/programs/{id}/voices", tag = "events",
    params(("id" = i64, Path, description = "The program")),
    responses((status = 200, description = "Its voices: all, with names, for those who see its people; else only those that may be quoted, without names", body = Vec<Voice>)))]
pub(crate) async fn voices(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<Voice>>, AppError> {
    let id = ProgramId(path_id(&raw)?);
    Ok(Json(s.services.voices(&a.actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/programs/{id}/voices", tag = "events", request_body = VoiceInput,
    params(("id" = i64, Path, description = "The program")),
    responses((status = 201, description = "Recorded", body = Created)))]
pub(crate) async fn add_voice(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<VoiceInput>,
) -> Result<Response, AppError> {
    let id = ProgramId(path_id(&raw)?);
    Ok(created(s.services.add_voice(&a.actor, id, input).await?))
}

#[utoipa::path(delete, path = "/api/v1/programs/{id}/voices/{voice_id}", tag = "events",
    params(("id" = i64, Path, description = "The program"), ("voice_id" = i64, Path, description = "The voice")),
    responses((status = 204, description = "Deleted")))]
pub(crate) async fn delete_voice(
    State(s): State<AppState>,
    a: ApiActor,
    Path((raw, raw_voice)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    let id = ProgramId(path_id(&raw)?);
    s.services
        .delete_voice(&a.actor, id, path_id(&raw_voice)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A company event as the API gives it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EventBody {
    /// Its figures: organisations, people (unique), follow-ups.
    counts: EventCounts,
    /// The organisations that came, with purposes and how they stay involved.
    organisations: Vec<EventOrganisation>,
    /// Their people.
    participants: Vec<EventParticipant>,
    /// Follow-up actions, by due date.
    follow_ups: Vec<FollowUp>,
}

#[utoipa::path(get, path = "/api/v1/programs/{id}/event", tag = "events",
    params(("id" = i64, Path, description = "The program (a company seminar or workation tour)")),
    responses((status = 200, description = "Its organisations, people and follow-ups", body = EventBody)))]
pub(crate) async fn event(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<EventBody>, AppError> {
    let id = ProgramId(path_id(&raw)?);
    let e = s.services.event(&a.actor, id).await?;
    Ok(Json(EventBody {
        counts: e.counts,
        organisations: e.organisations,
        participants: e.participants,
        follow_ups: e.follow_ups,
    }))
}

#[utoipa::path(put, path = "/api/v1/programs/{id}/event/organisations", tag = "events",
    request_body = EventOrganisationInput,
    params(("id" = i64, Path, description = "The program")),
    responses((status = 200, description = "Recorded (or its purpose and involvement updated)", body = Created)))]
pub(crate) async fn set_organisation(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<EventOrganisationInput>,
) -> Result<Json<Created>, AppError> {
    let id = ProgramId(path_id(&raw)?);
    let id = s
        .services
        .set_event_organisation(&a.actor, id, input)
        .await?;
    Ok(Json(Created { id }))
}

#[utoipa::path(delete, path = "/api/v1/programs/{id}/event/organisations/{organisation_id}", tag = "events",
    params(("id" = i64, Path, description = "The program"), ("organisation_id" = i64, Path, description = "The organisation")),
    responses((status = 204, description = "Removed (its people stay, with its name)")))]
pub(crate) async fn remove_organisation(
    State(s): State<AppState>,
    a: ApiActor,
    Path((raw, raw_org)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    let id = ProgramId(path_id(&raw)?);
    let org = OrganisationId(path_id(&raw_org)?);
    s.services
        .remove_event_organisation(&a.actor, id, org)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/programs/{id}/event/participants", tag = "events",
    request_body = ParticipantInput,
    params(("id" = i64, Path, description = "The program")),
    responses((status = 201, description = "Recorded", body = Created)))]
pub(crate) async fn add_participant(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<ParticipantInput>,
) -> Result<Response, AppError> {
    let id = ProgramId(path_id(&raw)?);
    Ok(created(
        s.services.add_participant(&a.actor, id, input).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/programs/{id}/event/participants/{participant_id}", tag = "events",
    params(("id" = i64, Path, description = "The program"), ("participant_id" = i64, Path, description = "The person")),
    responses((status = 204, description = "Removed")))]
pub(crate) async fn remove_participant(
    State(s): State<AppState>,
    a: ApiActor,
    Path((raw, raw_p)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    let id = ProgramId(path_id(&raw)?);
    s.services
        .remove_participant(&a.actor, id, path_id(&raw_p)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/programs/{id}/follow-ups", tag = "events",
    request_body = FollowUpInput,
    params(("id" = i64, Path, description = "The program")),
    responses((status = 201, description = "Added", body = FollowUp)))]
pub(crate) async fn add_follow_up(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<FollowUpInput>,
) -> Result<Response, AppError> {
    let id = ProgramId(path_id(&raw)?);
    let f = s.services.add_follow_up(&a.actor, id, input).await?;
    Ok((StatusCode::CREATED, Json(f)).into_response())
}

#[utoipa::path(put, path = "/api/v1/programs/{id}/follow-ups/{follow_up_id}", tag = "events",
    request_body = FollowUpInput,
    params(("id" = i64, Path, description = "The program"), ("follow_up_id" = i64, Path, description = "The follow-up action")),
    responses((status = 200, description = "Changed", body = FollowUp)))]
pub(crate) async fn update_follow_up(
    State(s): State<AppState>,
    a: ApiActor,
    Path((raw, raw_f)): Path<(String, String)>,
    ApiJson(input): ApiJson<FollowUpInput>,
) -> Result<Json<FollowUp>, AppError> {
    let id = ProgramId(path_id(&raw)?);
    Ok(Json(
        s.services
            .update_follow_up(&a.actor, id, path_id(&raw_f)?, input)
            .await?,
    ))
}

/// Which follow-ups to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct FollowUpsQuery {
    /// Only the caller's own.
    #[serde(default)]
    mine: bool,
}

#[utoipa::path(get, path = "/api/v1/follow-ups", tag = "events",
    params(FollowUpsQuery),
    responses((status = 200, description = "Follow-up actions not done in the caller's regions, earliest due first (at most 500)", body = Vec<FollowUp>)))]
pub(crate) async fn follow_ups(
    State(s): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<FollowUpsQuery>,
) -> Result<Json<Vec<FollowUp>>, AppError> {
    Ok(Json(
        s.services.open_follow_ups(&a.actor, q.mine, 500).await?,
    ))
}
