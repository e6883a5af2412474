//! Programs in the JSON API.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jimoto_domain::program::{Program, ProgramInput, Session, SessionInput};
use jimoto_domain::{ProgramId, SessionId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiJson, ApiPage, ApiQuery, page_request, path_id};
use crate::error::AppError;
use crate::session::ApiActor;

/// Program list parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ProgramQuery {
    /// Position after which to read (a response's `next`).
    after: Option<String>,
    /// Position before which to read (a response's `prev`).
    before: Option<String>,
    /// Rows per page, 1–200 (default 50).
    limit: Option<i64>,
}

/// A program with its sessions in time order.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProgramWithSessions {
    /// The program.
    #[serde(flatten)]
    program: Program,
    /// Its sessions.
    sessions: Vec<Session>,
}

#[utoipa::path(get, path = "/api/v1/programs", tag = "programs", params(ProgramQuery),
    responses((status = 200, description = "The programs the caller may see, newest first", body = ApiPage<Program>)))]
pub(crate) async fn list_programs(
    State(s): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<ProgramQuery>,
) -> Result<Json<ApiPage<Program>>, AppError> {
    let page = page_request(q.after.as_deref(), q.before.as_deref(), q.limit)?;
    Ok(Json(s.services.programs(&a.actor, &page).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/programs", tag = "programs", request_body = ProgramInput,
    responses((status = 201, description = "Created", body = Program)))]
pub(crate) async fn create_program(
    State(s): State<AppState>,
    a: ApiActor,
    ApiJson(input): ApiJson<ProgramInput>,
) -> Result<Response, AppError> {
    let p = s.services.create_program(&a.actor, input).await?;
    Ok((StatusCode::CREATED, Json(p)).into_response())
}

#[utoipa::path(get, path = "/api/v1/programs/{id}", tag = "programs",
    params(("id" = i64, Path, description = "The program")),
    responses((status = 200, description = "The program and its sessions", body = ProgramWithSessions)))]
pub(crate) async fn get_program(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<ProgramWithSessions>, AppError> {
    let v = s
        .services
        .program(&a.actor, ProgramId(path_id(&raw)?))
        .await?;
    Ok(Json(ProgramWithSessions {
        program: v.program,
        sessions: v.sessions,
    }))
}

#[utoipa::path(put, path = "/api/v1/programs/{id}", tag = "programs", request_body = ProgramInput,
    params(("id" = i64, Path, description = "The program")),
    responses((status = 200, description = "Changed", body = Program)))]
pub(crate) async fn update_program(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<ProgramInput>,
) -> Result<Json<Program>, AppError> {
    let id = ProgramId(path_id(&raw)?);
    Ok(Json(s.services.update_program(&a.actor, id, input).await?))
}

#[utoipa::path(post, path = "/api/v1/programs/{id}/sessions", tag = "programs", request_body = SessionInput,
    params(("id" = i64, Path, description = "The program")),
    responses((status = 201, description = "Added", body = Session)))]
pub(crate) async fn add_session(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<SessionInput>,
) -> Result<Response, AppError> {
    let id = ProgramId(path_id(&raw)?);
    let session = s.services.add_session(&a.actor, id, input).await?;
    Ok((StatusCode::CREATED, Json(session)).into_response())
}

#[utoipa::path(put, path = "/api/v1/programs/{id}/sessions/{session_id}", tag = "programs",
    request_body = SessionInput,
    params(("id" = i64, Path, description = "The program"), ("session_id" = i64, Path, description = "The session")),
    responses((status = 200, description = "Changed", body = Session)))]
pub(crate) async fn update_session(
    State(s): State<AppState>,
    a: ApiActor,
    Path((raw, raw_session)): Path<(String, String)>,
    ApiJson(input): ApiJson<SessionInput>,
) -> Result<Json<Session>, AppError> {
    let id = ProgramId(path_id(&raw)?);
    let session = SessionId(path_id(&raw_session)?);
    Ok(Json(
        s.services
            .update_session(&a.actor, id, session, input)
            .await?,
    ))
}
