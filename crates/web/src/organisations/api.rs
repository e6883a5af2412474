//! Organisations in the JSON API.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jimoto_domain::organisation::{OrgFilter, OrgKind, Organisation, OrganisationInput};
use jimoto_domain::{OrganisationId, RegionId};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::api::{ApiJson, ApiPage, ApiQuery, page_request, path_id};
use crate::error::{ApiErrorEnvelope, AppError};
use crate::session::ApiActor;

/// Organisation list parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct OrgQuery {
    /// Text in the name, reading or industry (any kana or width).
    q: Option<String>,
    /// Kind.
    kind: Option<OrgKind>,
    /// Region id.
    region: Option<i64>,
    /// Position after which to read (a response's `next`).
    after: Option<String>,
    /// Position before which to read (a response's `prev`).
    before: Option<String>,
    /// Rows per page, 1–200 (default 50).
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", params(OrgQuery),
    responses((status = 200, body = ApiPage<Organisation>), (status = 400, body = ApiErrorEnvelope),
        (status = 403, body = ApiErrorEnvelope)))]
pub(crate) async fn list_organisations(
    State(s): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<ApiPage<Organisation>>, AppError> {
    let page = page_request(q.after.as_deref(), q.before.as_deref(), q.limit)?;
    let f = OrgFilter {
        q: q.q,
        kind: q.kind,
        region: q.region.map(RegionId),
    };
    Ok(Json(
        s.services.organisations(&a.actor, &f, &page).await?.into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", request_body = OrganisationInput,
    responses((status = 201, body = Organisation), (status = 403, body = ApiErrorEnvelope),
        (status = 422, body = ApiErrorEnvelope)))]
pub(crate) async fn create_organisation(
    State(s): State<AppState>,
    a: ApiActor,
    ApiJson(input): ApiJson<OrganisationInput>,
) -> Result<Response, AppError> {
    let o = s.services.create_organisation(&a.actor, input).await?;
    Ok((StatusCode::CREATED, Json(o)).into_response())
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations", params(("id" = i64, Path)),
    responses((status = 200, body = Organisation), (status = 404, body = ApiErrorEnvelope)))]
pub(crate) async fn get_organisation(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Organisation>, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    Ok(Json(
        s.services.organisation(&a.actor, id).await?.organisation,
    ))
}

#[utoipa::path(put, path = "/api/v1/organisations/{id}", tag = "organisations", params(("id" = i64, Path)),
    request_body = OrganisationInput,
    responses((status = 200, body = Organisation), (status = 403, body = ApiErrorEnvelope),
        (status = 404, body = ApiErrorEnvelope), (status = 422, body = ApiErrorEnvelope)))]
pub(crate) async fn update_organisation(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<OrganisationInput>,
) -> Result<Json<Organisation>, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    Ok(Json(
        s.services.update_organisation(&a.actor, id, input).await?,
    ))
}
