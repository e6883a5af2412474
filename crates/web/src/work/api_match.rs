//! Matching in the JSON API: recommendations both ways, a region's allocation and its
//! acceptance, and the exact solver on a MATCH1 text (the exchange format of `jimoto allocate`).

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jimoto_domain::work::matching::{
    AllocationRequest, Candidate, Explained, Match1Solution, PairRef, Proposal,
};
use jimoto_domain::work::{Application, Posting};
use jimoto_domain::{FieldError, PostingId, RegionId, ResidentId, ValidationFailure};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiJson, ApiQuery, path_id};
use crate::error::AppError;
use crate::session::ApiActor;

/// How many to recommend.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct TopParams {
    /// 1–50 (default 10).
    k: Option<usize>,
}

impl TopParams {
    fn k(&self) -> Result<usize, AppError> {
        let k = self.k.unwrap_or(10);
        if (1..=50).contains(&k) {
            Ok(k)
        } else {
            Err(ValidationFailure(vec![
                FieldError::new("k", "out_of_range")
                    .with("min", 1)
                    .with("max", 50),
            ])
            .into())
        }
    }
}

/// A job recommended to a resident.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct JobRecommendation {
    /// The posting.
    posting: Posting,
    /// Its fit (0–1,000) and the reasons, each with the points it added.
    fit: Explained,
}

/// A person a posting suits.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PersonRecommendation {
    /// The person.
    person: Candidate,
    /// Their fit (0–1,000) and the reasons.
    fit: Explained,
}

#[utoipa::path(get, path = "/api/v1/residents/{id}/recommendations", tag = "matching",
    params(("id" = i64, Path, description = "The resident"), TopParams),
    responses((status = 200, description = "The open postings of their region that suit them best, best first, with why (postings applied for left out): the resident and their coordinators", body = Vec<JobRecommendation>),
        (status = 422, description = "`k` out of range")))]
pub(crate) async fn jobs_for(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiQuery(p): ApiQuery<TopParams>,
) -> Result<Json<Vec<JobRecommendation>>, AppError> {
    let id = ResidentId(path_id(&raw)?);
    let k = p.k()?;
    let list = s.services.recommended_jobs(&a.actor, id, k).await?;
    Ok(Json(
        list.into_iter()
            .map(|r| JobRecommendation {
                posting: r.posting,
                fit: r.fit,
            })
            .collect(),
    ))
}

#[utoipa::path(get, path = "/api/v1/postings/{id}/recommendations", tag = "matching",
    params(("id" = i64, Path, description = "The posting"), TopParams),
    responses((status = 200, description = "The residents of its region it suits best, best first, with why (applicants left out; empty for a posting not open): the region's coordinators", body = Vec<PersonRecommendation>),
        (status = 422, description = "`k` out of range")))]
pub(crate) async fn people_for(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiQuery(p): ApiQuery<TopParams>,
) -> Result<Json<Vec<PersonRecommendation>>, AppError> {
    let id = PostingId(path_id(&raw)?);
    let k = p.k()?;
    let list = s.services.recommended_people(&a.actor, id, k).await?;
    Ok(Json(
        list.into_iter()
            .map(|r| PersonRecommendation {
                person: r.person,
                fit: r.fit,
            })
            .collect(),
    ))
}

#[utoipa::path(post, path = "/api/v1/regions/{id}/allocations", tag = "matching", request_body = AllocationRequest,
    params(("id" = i64, Path, description = "The region")),
    responses((status = 200, description = "The exact allocation (maximum total fit) of the cohort to the region's open places under the pins and forbidden pairs, each pair with its reasons, and what best-first gives; nothing is written: the region's coordinators", body = Proposal)))]
pub(crate) async fn allocate(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<AllocationRequest>,
) -> Result<Json<Proposal>, AppError> {
    let id = RegionId(path_id(&raw)?);
    Ok(Json(s.services.allocate(&a.actor, id, &body).await?))
}

/// The pairs to accept.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct AcceptBody {
    /// Each becomes an application (at most 5,000).
    pairs: Vec<PairRef>,
}

#[utoipa::path(post, path = "/api/v1/regions/{id}/allocations/accept", tag = "matching", request_body = AcceptBody,
    params(("id" = i64, Path, description = "The region")),
    responses((status = 201, description = "An application for each pair, in the companies' selection; each person's growth path reaches \"applied\". All or nothing: a pair that no longer holds (`pairs[i]`: `not_found`, `already_applied`, `no_place_left`, `refused_…`) refuses the whole: the region's coordinators", body = Vec<Application>)))]
pub(crate) async fn accept(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<AcceptBody>,
) -> Result<Response, AppError> {
    let id = RegionId(path_id(&raw)?);
    let apps = s
        .services
        .accept_allocation(&a.actor, id, &body.pairs)
        .await?;
    Ok((StatusCode::CREATED, Json(apps)).into_response())
}

#[utoipa::path(post, path = "/api/v1/allocate", tag = "matching",
    request_body(content = String, content_type = "text/plain", description = "A MATCH1 problem: `MATCH1 W J E`, W capacities, J places, E lines `w j cost`"),
    responses((status = 200, description = "Its exact optimum (the same as `jimoto allocate --input`): coordinators and administrators", body = Match1Solution),
        (status = 422, description = "The text is not MATCH1: `input` says the line and the reason (`match1`)")))]
pub(crate) async fn solve_match1(
    State(s): State<AppState>,
    a: ApiActor,
    req: Request,
) -> Result<Json<Match1Solution>, AppError> {
    let is_text = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("text/plain"));
    if !is_text {
        return Err(AppError::Unreadable {
            code: "content_type",
            detail: "expected text/plain".into(),
        });
    }
    let (_, body) = match crate::body::read(req, s.settings.upload_limit_bytes).await {
        Ok(read) => read,
        Err(crate::body::BodyError::TooLarge) => return Err(AppError::TooLarge),
        Err(crate::body::BodyError::Read) => {
            return Err(AppError::Unreadable {
                code: "invalid_form",
                detail: "unreadable body".into(),
            });
        }
    };
    Ok(Json(s.services.solve_match1(&a.actor, body).await?))
}
