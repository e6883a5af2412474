//! The caller, in the JSON API.

use axum::Json;
use jimoto_domain::{Lang, OrganisationId, Principal, RegionId, ResidentId, Role};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiErrorEnvelope;
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
