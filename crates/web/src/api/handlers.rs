//! API handlers: authenticate, call one service, return JSON.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jimoto_domain::organisation::{OrgKind, Organisation, OrganisationInput};
use jimoto_domain::region::{Region, RegionInput};
use jimoto_domain::resident::{Resident, ResidentInput, WorkStyle};
use jimoto_domain::{OrganisationId, Principal, RegionId, ResidentId, Role};
use jimoto_services::{Page, PageRequest, ServiceError};
use jimoto_store::audit::AuditFilter;
use jimoto_store::organisations::OrgFilter;
use jimoto_store::regions::RegionFilter;
use jimoto_store::residents::ResidentFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiJson, ApiQuery};
use crate::AppState;
use crate::error::{ApiError, ApiErrorEnvelope};
use crate::session::ApiActor;

/// Ids in paths that are not numbers name nothing: 404, like an id that does not exist.
fn id(raw: &str, a: &ApiActor) -> Result<i64, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::from_service(a.tr, ServiceError::NotFound))
}

fn fail(a: &ApiActor) -> impl Fn(ServiceError) -> ApiError + '_ {
    move |e| ApiError::from_service(a.tr, e)
}

/// The caller.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Me {
    user_id: i64,
    login: String,
    display_name: String,
    lang: jimoto_domain::Lang,
    role: Role,
    /// Regions coordinated, or the municipal staff's / resident's region.
    regions: Vec<RegionId>,
    organisation_id: Option<OrganisationId>,
    resident_id: Option<ResidentId>,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "me",
    responses((status = 200, body = Me), (status = 401, body = ApiErrorEnvelope)))]
pub(crate) async fn me(a: ApiActor) -> Json<Me> {
    let p = &a.actor.principal;
    let (regions, organisation_id, resident_id) = match p {
        Principal::Admin => (vec![], None, None),
        Principal::Coordinator { regions } => (regions.clone(), None, None),
        Principal::Municipal { region } => (vec![*region], None, None),
        Principal::CompanyMember { organisation } => (vec![], Some(*organisation), None),
        Principal::Resident { resident, region } => (vec![*region], None, Some(*resident)),
    };
    Json(Me {
        user_id: a.actor.user_id.0,
        login: a.actor.login.clone(),
        display_name: a.actor.display_name.clone(),
        lang: a.actor.lang,
        role: p.role(),
        regions,
        organisation_id,
        resident_id,
    })
}

/// A page of results.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ApiPage<T> {
    items: Vec<T>,
    total: i64,
    page: i64,
    per_page: i64,
}

impl<T> From<Page<T>> for ApiPage<T> {
    fn from(p: Page<T>) -> Self {
        Self {
            items: p.items,
            total: p.total,
            page: p.page,
            per_page: p.per_page,
        }
    }
}

/// List parameters shared by every list.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct RegionQuery {
    /// Text in the name, reading or code.
    q: Option<String>,
    /// Prefecture code (01–47).
    prefecture: Option<String>,
    /// Page, from 1.
    page: Option<i64>,
    /// Rows per page, 1–200 (default 50).
    per_page: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/regions", tag = "regions", params(RegionQuery),
    responses((status = 200, body = ApiPage<Region>), (status = 401, body = ApiErrorEnvelope)))]
pub(crate) async fn list_regions(
    State(s): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<RegionQuery>,
) -> Result<Json<ApiPage<Region>>, ApiError> {
    let f = RegionFilter {
        q: q.q,
        prefecture: q.prefecture,
    };
    let page = s
        .services
        .regions(&a.actor, &f, PageRequest::new(q.page, q.per_page))
        .await
        .map_err(fail(&a))?;
    Ok(Json(page.into()))
}

#[utoipa::path(post, path = "/api/v1/regions", tag = "regions", request_body = RegionInput,
    responses((status = 201, body = Region), (status = 403, body = ApiErrorEnvelope), (status = 422, body = ApiErrorEnvelope)))]
pub(crate) async fn create_region(
    State(s): State<AppState>,
    a: ApiActor,
    ApiJson(input): ApiJson<RegionInput>,
) -> Result<Response, ApiError> {
    let r = s
        .services
        .create_region(&a.actor, input)
        .await
        .map_err(fail(&a))?;
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

#[utoipa::path(get, path = "/api/v1/regions/{id}", tag = "regions", params(("id" = i64, Path)),
    responses((status = 200, body = Region), (status = 404, body = ApiErrorEnvelope)))]
pub(crate) async fn get_region(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Region>, ApiError> {
    let r = s
        .services
        .region(&a.actor, RegionId(id(&raw, &a)?))
        .await
        .map_err(fail(&a))?;
    Ok(Json(r))
}

#[utoipa::path(put, path = "/api/v1/regions/{id}", tag = "regions", params(("id" = i64, Path)), request_body = RegionInput,
    responses((status = 200, body = Region), (status = 403, body = ApiErrorEnvelope), (status = 404, body = ApiErrorEnvelope), (status = 422, body = ApiErrorEnvelope)))]
pub(crate) async fn update_region(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<RegionInput>,
) -> Result<Json<Region>, ApiError> {
    let r = s
        .services
        .update_region(&a.actor, RegionId(id(&raw, &a)?), input)
        .await
        .map_err(fail(&a))?;
    Ok(Json(r))
}

/// Organisation list parameters.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct OrgQuery {
    /// Text in the name, reading or industry.
    q: Option<String>,
    /// Kind.
    kind: Option<OrgKind>,
    /// Region id.
    region: Option<i64>,
    /// Page, from 1.
    page: Option<i64>,
    /// Rows per page, 1–200.
    per_page: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", params(OrgQuery),
    responses((status = 200, body = ApiPage<Organisation>), (status = 403, body = ApiErrorEnvelope)))]
pub(crate) async fn list_organisations(
    State(s): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<ApiPage<Organisation>>, ApiError> {
    let f = OrgFilter {
        q: q.q,
        kind: q.kind,
        region: q.region.map(RegionId),
    };
    let page = s
        .services
        .organisations(&a.actor, &f, PageRequest::new(q.page, q.per_page))
        .await
        .map_err(fail(&a))?;
    Ok(Json(page.into()))
}

#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", request_body = OrganisationInput,
    responses((status = 201, body = Organisation), (status = 403, body = ApiErrorEnvelope), (status = 422, body = ApiErrorEnvelope)))]
pub(crate) async fn create_organisation(
    State(s): State<AppState>,
    a: ApiActor,
    ApiJson(input): ApiJson<OrganisationInput>,
) -> Result<Response, ApiError> {
    let o = s
        .services
        .create_organisation(&a.actor, input)
        .await
        .map_err(fail(&a))?;
    Ok((StatusCode::CREATED, Json(o)).into_response())
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations", params(("id" = i64, Path)),
    responses((status = 200, body = Organisation), (status = 404, body = ApiErrorEnvelope)))]
pub(crate) async fn get_organisation(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Organisation>, ApiError> {
    let v = s
        .services
        .organisation(&a.actor, OrganisationId(id(&raw, &a)?))
        .await
        .map_err(fail(&a))?;
    Ok(Json(v.organisation))
}

#[utoipa::path(put, path = "/api/v1/organisations/{id}", tag = "organisations", params(("id" = i64, Path)), request_body = OrganisationInput,
    responses((status = 200, body = Organisation), (status = 403, body = ApiErrorEnvelope), (status = 404, body = ApiErrorEnvelope), (status = 422, body = ApiErrorEnvelope)))]
pub(crate) async fn update_organisation(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<OrganisationInput>,
) -> Result<Json<Organisation>, ApiError> {
    let o = s
        .services
        .update_organisation(&a.actor, OrganisationId(id(&raw, &a)?), input)
        .await
        .map_err(fail(&a))?;
    Ok(Json(o))
}

/// Resident list parameters.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct ResidentQuery {
    /// Text in the name or reading.
    q: Option<String>,
    /// Region id (within the caller's scope).
    region: Option<i64>,
    /// Wanted work style.
    work_style: Option<WorkStyle>,
    /// Text in a skill name.
    skill: Option<String>,
    /// Page, from 1.
    page: Option<i64>,
    /// Rows per page, 1–200.
    per_page: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/residents", tag = "residents", params(ResidentQuery),
    responses((status = 200, body = ApiPage<Resident>), (status = 403, body = ApiErrorEnvelope)))]
pub(crate) async fn list_residents(
    State(s): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<ResidentQuery>,
) -> Result<Json<ApiPage<Resident>>, ApiError> {
    let f = ResidentFilter {
        q: q.q,
        region: q.region.map(RegionId),
        work_style: q.work_style,
        skill: q.skill,
    };
    let page = s
        .services
        .residents(&a.actor, &f, PageRequest::new(q.page, q.per_page))
        .await
        .map_err(fail(&a))?;
    Ok(Json(page.into()))
}

#[utoipa::path(post, path = "/api/v1/residents", tag = "residents", request_body = ResidentInput,
    responses((status = 201, body = Resident), (status = 403, body = ApiErrorEnvelope), (status = 422, body = ApiErrorEnvelope)))]
pub(crate) async fn create_resident(
    State(s): State<AppState>,
    a: ApiActor,
    ApiJson(input): ApiJson<ResidentInput>,
) -> Result<Response, ApiError> {
    let r = s
        .services
        .create_resident(&a.actor, input)
        .await
        .map_err(fail(&a))?;
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

#[utoipa::path(get, path = "/api/v1/residents/{id}", tag = "residents", params(("id" = i64, Path)),
    responses((status = 200, body = Resident), (status = 404, body = ApiErrorEnvelope)))]
pub(crate) async fn get_resident(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Resident>, ApiError> {
    let r = s
        .services
        .resident(&a.actor, ResidentId(id(&raw, &a)?))
        .await
        .map_err(fail(&a))?;
    Ok(Json(r))
}

#[utoipa::path(put, path = "/api/v1/residents/{id}", tag = "residents", params(("id" = i64, Path)), request_body = ResidentInput,
    responses((status = 200, body = Resident), (status = 403, body = ApiErrorEnvelope), (status = 404, body = ApiErrorEnvelope), (status = 422, body = ApiErrorEnvelope)))]
pub(crate) async fn update_resident(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<ResidentInput>,
) -> Result<Json<Resident>, ApiError> {
    let r = s
        .services
        .update_resident(&a.actor, ResidentId(id(&raw, &a)?), input)
        .await
        .map_err(fail(&a))?;
    Ok(Json(r))
}

/// Audit list parameters.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct AuditQuery {
    /// `resident`, `organisation`, `region`, `user`.
    entity: Option<String>,
    /// Record id.
    entity_id: Option<i64>,
    /// Page, from 1.
    page: Option<i64>,
    /// Rows per page, 1–200.
    per_page: Option<i64>,
}

/// One audit entry.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditItem {
    id: i64,
    at: chrono::DateTime<chrono::Utc>,
    actor_login: String,
    region_id: Option<RegionId>,
    entity: String,
    entity_id: i64,
    action: String,
    /// field → [old, new]; sensitive fields only say "(changed)".
    changes: serde_json::Value,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = ApiPage<AuditItem>), (status = 403, body = ApiErrorEnvelope)))]
pub(crate) async fn list_audit(
    State(s): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<ApiPage<AuditItem>>, ApiError> {
    let f = AuditFilter {
        entity: q.entity,
        entity_id: q.entity_id,
    };
    let page = s
        .services
        .audit_log(&a.actor, &f, PageRequest::new(q.page, q.per_page))
        .await
        .map_err(fail(&a))?;
    Ok(Json(
        page.map(|e| AuditItem {
            id: e.id,
            at: e.at,
            actor_login: e.actor_login,
            region_id: e.region_id,
            entity: e.entity,
            entity_id: e.entity_id,
            action: e.action,
            changes: e.changes,
        })
        .into(),
    ))
}
