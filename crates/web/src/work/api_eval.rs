//! Rubrics, evaluations, renewals and retention in the JSON API.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use jimoto_domain::work::retention::RetentionReport;
use jimoto_domain::work::{Criterion, CriterionInput, Evaluation, EvaluationInput, RenewInput};
use jimoto_domain::{CriterionId, EngagementId, EvaluationId, OrganisationId, RegionId};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::api_hire::EngagementBody;
use crate::AppState;
use crate::api::{ApiJson, ApiQuery, path_id};
use crate::error::AppError;
use crate::session::ApiActor;

#[utoipa::path(get, path = "/api/v1/organisations/{id}/rubric", tag = "work",
    params(("id" = i64, Path, description = "The organisation")),
    responses((status = 200, description = "Its evaluation criteria in order, retired ones included: its members only", body = Vec<Criterion>)))]
pub(crate) async fn rubric(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<Criterion>>, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    Ok(Json(s.services.rubric(&a.actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/organisations/{id}/rubric", tag = "work", request_body = CriterionInput,
    params(("id" = i64, Path, description = "The organisation")),
    responses((status = 201, description = "Added at the end of the rubric", body = Criterion)))]
pub(crate) async fn add_criterion(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<CriterionInput>,
) -> Result<Response, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    let c = s.services.add_criterion(&a.actor, id, body).await?;
    Ok((StatusCode::CREATED, Json(c)).into_response())
}

/// Which language the standard criteria are written in.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct StandardParams {
    /// `ja` (default) or `en`.
    lang: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/organisations/{id}/rubric/standard", tag = "work",
    params(("id" = i64, Path, description = "The organisation"), StandardParams),
    responses((status = 201, description = "The fifteen standard behaviour criteria, three levels each", body = Vec<Criterion>),
        (status = 422, description = "The organisation already has criteria (`rubric`: `not_empty`)")))]
pub(crate) async fn adopt_standard(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiQuery(p): ApiQuery<StandardParams>,
) -> Result<Response, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    let ja = p.lang.as_deref() != Some("en");
    let all = s.services.adopt_standard_rubric(&a.actor, id, ja).await?;
    Ok((StatusCode::CREATED, Json(all)).into_response())
}

/// A criterion's new words, and whether it is still used.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct CriterionUpdate {
    /// Its words.
    #[serde(flatten)]
    input: CriterionInput,
    /// False retires it (evaluations keep it); true brings it back.
    #[serde(default = "yes")]
    active: bool,
}

fn yes() -> bool {
    true
}

#[utoipa::path(put, path = "/api/v1/organisations/{id}/rubric/{criterion_id}", tag = "work", request_body = CriterionUpdate,
    params(("id" = i64, Path, description = "The organisation"), ("criterion_id" = i64, Path, description = "The criterion")),
    responses((status = 200, description = "Changed (evaluations already written keep the words they had)", body = Criterion)))]
pub(crate) async fn update_criterion(
    State(s): State<AppState>,
    a: ApiActor,
    Path((raw, craw)): Path<(String, String)>,
    ApiJson(body): ApiJson<CriterionUpdate>,
) -> Result<Json<Criterion>, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    let cid = CriterionId(path_id(&craw)?);
    Ok(Json(
        s.services
            .update_criterion(&a.actor, id, cid, body.input, body.active)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/evaluations", tag = "work",
    params(("id" = i64, Path, description = "The contract")),
    responses((status = 200, description = "Its evaluations, latest first, each criterion with its levels in words", body = Vec<Evaluation>)))]
pub(crate) async fn evaluations(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<Evaluation>>, AppError> {
    let id = EngagementId(path_id(&raw)?);
    Ok(Json(s.services.evaluations(&a.actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/engagements/{id}/evaluations", tag = "work", request_body = EvaluationInput,
    params(("id" = i64, Path, description = "A started contract")),
    responses((status = 201, description = "Evaluated against every criterion in use (each one left out is named: `criterion_unscored`)", body = Evaluation)))]
pub(crate) async fn evaluate(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<EvaluationInput>,
) -> Result<Response, AppError> {
    let id = EngagementId(path_id(&raw)?);
    let v = s.services.evaluate(&a.actor, id, body).await?;
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

#[utoipa::path(get, path = "/api/v1/evaluations/{id}", tag = "work",
    params(("id" = i64, Path, description = "The evaluation")),
    responses((status = 200, description = "One evaluation: for the resident, the organisation and the resident's coordinators", body = Evaluation)))]
pub(crate) async fn evaluation(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Evaluation>, AppError> {
    let id = EvaluationId(path_id(&raw)?);
    Ok(Json(s.services.evaluation(&a.actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/engagements/{id}/renewal", tag = "work", request_body = RenewInput,
    params(("id" = i64, Path, description = "A running contract")),
    responses((status = 201, description = "A draft renewal on the same terms; starting it ends this contract as renewed", body = EngagementBody)))]
pub(crate) async fn renew(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<RenewInput>,
) -> Result<Response, AppError> {
    let id = EngagementId(path_id(&raw)?);
    let v = s.services.renew_engagement(&a.actor, id, body).await?;
    Ok((StatusCode::CREATED, Json(EngagementBody::from(v))).into_response())
}

/// The day the figures are taken on.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AsOfParams {
    /// YYYY-MM-DD (default: today).
    as_of: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}/retention", tag = "work",
    params(("id" = i64, Path, description = "The organisation"), AsOfParams),
    responses((status = 200, description = "Retention at 3, 6 and 12 months per region and in all: its members and administrators", body = RetentionReport)))]
pub(crate) async fn org_retention(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiQuery(p): ApiQuery<AsOfParams>,
) -> Result<Json<RetentionReport>, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    Ok(Json(
        s.services
            .organisation_retention(&a.actor, id, p.as_of)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/regions/{id}/retention", tag = "work",
    params(("id" = i64, Path, description = "The region"), AsOfParams),
    responses((status = 200, description = "Retention of the region's residents per organisation and in all (counts only): its staff, coordinators and administrators", body = RetentionReport)))]
pub(crate) async fn region_retention(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiQuery(p): ApiQuery<AsOfParams>,
) -> Result<Json<RetentionReport>, AppError> {
    let id = RegionId(path_id(&raw)?);
    Ok(Json(
        s.services.region_retention(&a.actor, id, p.as_of).await?,
    ))
}
