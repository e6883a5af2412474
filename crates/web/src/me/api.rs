//! The caller, in the JSON API.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jimoto_domain::user::ApiToken;
use jimoto_domain::{Lang, OrganisationId, Principal, RegionId, ResidentId, Role};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::ApiJson;
use crate::error::{ApiErrorEnvelope, AppError};
use crate::session::ApiActor;

/// The caller.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Me {
    user_id: i64,
    login: String,
    display_name: String,
    lang: Lang,
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

/// A token to make.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct NewToken {
    /// A label to recognise it by, 1–60 characters.
    #[schema(min_length = 1, max_length = 60)]
    name: String,
}

/// A token just made: its secret is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CreatedToken {
    /// The secret (`jmt_…`): send it as `Authorization: Bearer …`.
    token: String,
}

#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "me",
    responses((status = 200, description = "The caller's live tokens (never their secrets)", body = Vec<ApiToken>),
        (status = 401, description = "Not logged in", body = ApiErrorEnvelope)))]
pub(crate) async fn list_tokens(
    State(s): State<AppState>,
    a: ApiActor,
) -> Result<Json<Vec<ApiToken>>, AppError> {
    Ok(Json(s.services.tokens(&a.actor).await?))
}

#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "me", request_body = NewToken,
    responses((status = 201, description = "Made; the secret is in the body, once", body = CreatedToken),
        (status = 403, description = "Residents use the pages, not tokens", body = ApiErrorEnvelope),
        (status = 422, description = "The name is missing or too long", body = ApiErrorEnvelope)))]
pub(crate) async fn create_token(
    State(s): State<AppState>,
    a: ApiActor,
    ApiJson(input): ApiJson<NewToken>,
) -> Result<Response, AppError> {
    let token = s.services.create_token(&a.actor, &input.name).await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { token })).into_response())
}
