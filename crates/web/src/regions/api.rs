//! Regions in the JSON API.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jimoto_domain::RegionId;
use jimoto_domain::region::{Region, RegionFilter, RegionInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiJson, ApiPage, ApiQuery, page_request, path_id};
use crate::error::{ApiErrorEnvelope, AppError};
use crate::session::ApiActor;

/// Region list parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct RegionQuery {
    /// Text in the name, reading or code (any kana or width).
    q: Option<String>,
    /// Prefecture code (01–47).
    prefecture: Option<String>,
    /// Position after which to read (a response's `next`).
    after: Option<String>,
    /// Position before which to read (a response's `prev`).
    before: Option<String>,
    /// Rows per page, 1–200 (default 50).
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/regions", tag = "regions", params(RegionQuery),
    responses((status = 200, body = ApiPage<Region>), (status = 400, body = ApiErrorEnvelope),
        (status = 401, body = ApiErrorEnvelope)))]
pub(crate) async fn list_regions(
    State(s): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<RegionQuery>,
) -> Result<Json<ApiPage<Region>>, AppError> {
    let page = page_request(q.after.as_deref(), q.before.as_deref(), q.limit)?;
    let f = RegionFilter {
        q: q.q,
        prefecture: q.prefecture,
    };
    Ok(Json(s.services.regions(&a.actor, &f, &page).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/regions", tag = "regions", request_body = RegionInput,
    responses((status = 201, body = Region), (status = 403, body = ApiErrorEnvelope),
        (status = 422, body = ApiErrorEnvelope)))]
pub(crate) async fn create_region(
    State(s): State<AppState>,
    a: ApiActor,
    ApiJson(input): ApiJson<RegionInput>,
) -> Result<Response, AppError> {
    let r = s.services.create_region(&a.actor, input).await?;
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

#[utoipa::path(get, path = "/api/v1/regions/{id}", tag = "regions", params(("id" = i64, Path)),
    responses((status = 200, body = Region), (status = 404, body = ApiErrorEnvelope)))]
pub(crate) async fn get_region(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Region>, AppError> {
    let id = RegionId(path_id(&raw)?);
    Ok(Json(s.services.region(&a.actor, id).await?))
}

#[utoipa::path(put, path = "/api/v1/regions/{id}", tag = "regions", params(("id" = i64, Path)),
    request_body = RegionInput,
    responses((status = 200, body = Region), (status = 403, body = ApiErrorEnvelope),
        (status = 404, body = ApiErrorEnvelope), (status = 422, body = ApiErrorEnvelope)))]
pub(crate) async fn update_region(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<RegionInput>,
) -> Result<Json<Region>, AppError> {
    let id = RegionId(path_id(&raw)?);
    Ok(Json(s.services.update_region(&a.actor, id, input).await?))
}

/// Municipality search parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct MunicipalityQuery {
    /// Name or reading, in any kana or width (萩, ハギ, はぎ).
    q: String,
}

/// A local government of the national list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MunicipalityItem {
    /// Local government code.
    lg_code: String,
    /// Name.
    name: String,
    /// Reading (full-width katakana).
    name_kana: String,
    /// Prefecture code.
    prefecture: String,
    /// Whether this is a prefecture's own entry.
    is_prefecture: bool,
    /// The region already registered for it.
    region_id: Option<RegionId>,
}

#[utoipa::path(get, path = "/api/v1/municipalities", tag = "regions", params(MunicipalityQuery),
    responses((status = 200, body = Vec<MunicipalityItem>, description = "Every match, in code order"),
        (status = 400, body = ApiErrorEnvelope), (status = 403, body = ApiErrorEnvelope)))]
pub(crate) async fn list_municipalities(
    State(s): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<MunicipalityQuery>,
) -> Result<Json<Vec<MunicipalityItem>>, AppError> {
    let choices = s.services.municipality_choices(&a.actor, &q.q).await?;
    Ok(Json(
        choices
            .into_iter()
            .map(|c| MunicipalityItem {
                lg_code: c.municipality.code.clone(),
                name: c.municipality.name.clone(),
                name_kana: c.municipality.name_kana.clone(),
                prefecture: c.municipality.prefecture_code.clone(),
                is_prefecture: c.municipality.is_prefecture,
                region_id: c.region,
            })
            .collect(),
    ))
}
