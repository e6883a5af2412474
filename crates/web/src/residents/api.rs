//! Residents in the JSON API.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jimoto_domain::resident::{Resident, ResidentFilter, ResidentInput, WorkStyle};
use jimoto_domain::{RegionId, ResidentId};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::api::{ApiJson, ApiPage, ApiQuery, page_request, path_id};
use crate::error::{ApiErrorEnvelope, AppError};
use crate::session::ApiActor;

/// Resident list parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ResidentQuery {
    /// Text in the name or reading, in any kana or width (やまだ finds ヤマダ).
    q: Option<String>,
    /// Region id (within the caller's scope).
    region: Option<i64>,
    /// Wanted work style.
    work_style: Option<WorkStyle>,
    /// Text in a skill name.
    skill: Option<String>,
    /// Position after which to read (a response's `next`).
    after: Option<String>,
    /// Position before which to read (a response's `prev`).
    before: Option<String>,
    /// Rows per page, 1–200 (default 50).
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/residents", tag = "residents", params(ResidentQuery),
    responses((status = 200, body = ApiPage<Resident>), (status = 400, body = ApiErrorEnvelope),
        (status = 403, body = ApiErrorEnvelope)))]
pub(crate) async fn list_residents(
    State(s): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<ResidentQuery>,
) -> Result<Json<ApiPage<Resident>>, AppError> {
    let page = page_request(q.after.as_deref(), q.before.as_deref(), q.limit)?;
    let f = ResidentFilter {
        q: q.q,
        region: q.region.map(RegionId),
        work_style: q.work_style,
        skill: q.skill,
    };
    Ok(Json(
        s.services.residents(&a.actor, &f, &page).await?.into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/residents", tag = "residents", request_body = ResidentInput,
    responses((status = 201, body = Resident), (status = 403, body = ApiErrorEnvelope),
        (status = 422, body = ApiErrorEnvelope)))]
pub(crate) async fn create_resident(
    State(s): State<AppState>,
    a: ApiActor,
    ApiJson(input): ApiJson<ResidentInput>,
) -> Result<Response, AppError> {
    let r = s.services.create_resident(&a.actor, input).await?;
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

#[utoipa::path(get, path = "/api/v1/residents/{id}", tag = "residents", params(("id" = i64, Path)),
    responses((status = 200, body = Resident), (status = 404, body = ApiErrorEnvelope)))]
pub(crate) async fn get_resident(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Resident>, AppError> {
    let id = ResidentId(path_id(&raw)?);
    Ok(Json(s.services.resident(&a.actor, id).await?))
}

#[utoipa::path(put, path = "/api/v1/residents/{id}", tag = "residents", params(("id" = i64, Path)),
    request_body = ResidentInput,
    responses((status = 200, body = Resident), (status = 403, body = ApiErrorEnvelope),
        (status = 404, body = ApiErrorEnvelope), (status = 422, body = ApiErrorEnvelope)))]
pub(crate) async fn update_resident(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<ResidentInput>,
) -> Result<Json<Resident>, AppError> {
    let id = ResidentId(path_id(&raw)?);
    Ok(Json(s.services.update_resident(&a.actor, id, input).await?))
}

#[utoipa::path(get, path = "/api/v1/residents/{id}/contacts", tag = "residents",
    params(("id" = i64, Path, description = "The resident")),
    responses((status = 200, description = "The contacts with the resident, newest first (their coordinators only)",
        body = Vec<jimoto_domain::contact::Contact>)))]
pub(crate) async fn list_contacts(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<jimoto_domain::contact::Contact>>, AppError> {
    let id = ResidentId(path_id(&raw)?);
    Ok(Json(s.services.contacts(&a.actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/residents/{id}/contacts", tag = "residents",
    params(("id" = i64, Path, description = "The resident")),
    request_body = jimoto_domain::contact::ContactInput,
    responses((status = 201, description = "Recorded", body = jimoto_domain::contact::Contact)))]
pub(crate) async fn record_contact(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<jimoto_domain::contact::ContactInput>,
) -> Result<Response, AppError> {
    let id = ResidentId(path_id(&raw)?);
    let c = s.services.record_contact(&a.actor, id, input).await?;
    Ok((StatusCode::CREATED, Json(c)).into_response())
}
