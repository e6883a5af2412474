//! Organisations' work and the job board in the JSON API.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jimoto_domain::work::{
    Assessment, BoardFilter, Posting, PostingInput, PostingStatus, Split, Task, TaskInput,
};
use jimoto_domain::{OrganisationId, PostingId, RegionId, TaskId};
use jimoto_services::TaskView;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiJson, ApiPage, ApiQuery, page_request, path_id};
use crate::error::AppError;
use crate::session::{ApiActor, MaybeApiActor};

/// The id of what was created.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Created {
    /// Id.
    id: i64,
}

/// A region to add an organisation to.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct RegionChoice {
    /// The region.
    region_id: RegionId,
}

/// Whether it was added (false: it already worked with the region).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Added {
    /// Added now.
    added: bool,
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}/regions", tag = "work",
    params(("id" = i64, Path, description = "The organisation")),
    responses((status = 200, description = "The regions it works with (its own first)", body = Vec<RegionId>)))]
pub(crate) async fn regions(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<RegionId>>, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    Ok(Json(s.services.organisation_regions(&a.actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/organisations/{id}/regions", tag = "work", request_body = RegionChoice,
    params(("id" = i64, Path, description = "The organisation")),
    responses((status = 200, description = "It works with the region now", body = Added)))]
pub(crate) async fn add_region(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<RegionChoice>,
) -> Result<Json<Added>, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    let added = s
        .services
        .add_organisation_region(&a.actor, id, body.region_id)
        .await?;
    Ok(Json(Added { added }))
}

#[utoipa::path(delete, path = "/api/v1/organisations/{id}/regions/{region_id}", tag = "work",
    params(("id" = i64, Path, description = "The organisation"), ("region_id" = i64, Path, description = "The region")),
    responses((status = 204, description = "Taken out (never its own region, nor one it has postings in: 422)")))]
pub(crate) async fn remove_region(
    State(s): State<AppState>,
    a: ApiActor,
    Path((raw, raw_region)): Path<(String, String)>,
) -> Result<StatusCode, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    let region = RegionId(path_id(&raw_region)?);
    s.services
        .remove_organisation_region(&a.actor, id, region)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A task with its assessment and proposed split.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TaskBody {
    /// The task.
    task: Task,
    /// Remote-ready, digitise first or on site, with every reason.
    assessment: Assessment,
    /// How it could be shared among people with a few hours a day.
    split: Split,
}

impl From<TaskView> for TaskBody {
    fn from(v: TaskView) -> Self {
        Self {
            task: v.task,
            assessment: v.assessment,
            split: v.split,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}/tasks", tag = "work",
    params(("id" = i64, Path, description = "The organisation")),
    responses((status = 200, description = "Its task inventory, each task assessed", body = Vec<TaskBody>)))]
pub(crate) async fn tasks(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<TaskBody>>, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    let tasks = s.services.tasks(&a.actor, id).await?;
    Ok(Json(tasks.into_iter().map(TaskBody::from).collect()))
}

#[utoipa::path(post, path = "/api/v1/organisations/{id}/tasks", tag = "work", request_body = TaskInput,
    params(("id" = i64, Path, description = "The organisation")),
    responses((status = 201, description = "Recorded and assessed", body = TaskBody)))]
pub(crate) async fn create_task(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<TaskInput>,
) -> Result<Response, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    let t = s.services.create_task(&a.actor, id, input).await?;
    Ok((StatusCode::CREATED, Json(TaskBody::from(t))).into_response())
}

#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "work",
    params(("id" = i64, Path, description = "The task")),
    responses((status = 200, description = "The task, assessed", body = TaskBody)))]
pub(crate) async fn task(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<TaskBody>, AppError> {
    let id = TaskId(path_id(&raw)?);
    Ok(Json(s.services.task(&a.actor, id).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/tasks/{id}", tag = "work", request_body = TaskInput,
    params(("id" = i64, Path, description = "The task")),
    responses((status = 200, description = "Changed and assessed again", body = TaskBody)))]
pub(crate) async fn update_task(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<TaskInput>,
) -> Result<Json<TaskBody>, AppError> {
    let id = TaskId(path_id(&raw)?);
    Ok(Json(
        s.services.update_task(&a.actor, id, input).await?.into(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/tasks/{id}", tag = "work",
    params(("id" = i64, Path, description = "The task")),
    responses((status = 204, description = "Deleted (a task that became a posting stays: 422)")))]
pub(crate) async fn delete_task(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<StatusCode, AppError> {
    let id = TaskId(path_id(&raw)?);
    s.services.delete_task(&a.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/tasks/{id}/posting", tag = "work", request_body = RegionChoice,
    params(("id" = i64, Path, description = "The task")),
    responses((status = 201, description = "A draft posting, pre-filled from the task", body = Created)))]
pub(crate) async fn task_to_posting(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<RegionChoice>,
) -> Result<Response, AppError> {
    let id = TaskId(path_id(&raw)?);
    let p = s
        .services
        .task_to_posting(&a.actor, id, body.region_id)
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id: p.0 })).into_response())
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}/postings", tag = "work",
    params(("id" = i64, Path, description = "The organisation")),
    responses((status = 200, description = "Its postings the caller may see (drafts to its members and the coordinators and staff of their regions), newest first", body = Vec<Posting>)))]
pub(crate) async fn postings(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<Posting>>, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    Ok(Json(s.services.postings_of(&a.actor, id).await?))
}

/// Whether to open a new posting at once.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct OpenQuery {
    /// Open it now (it must then say everything a posting must, its pay included); else a draft.
    #[serde(default)]
    open: bool,
}

#[utoipa::path(post, path = "/api/v1/organisations/{id}/postings", tag = "work", request_body = PostingInput,
    params(("id" = i64, Path, description = "The organisation"), OpenQuery),
    responses((status = 201, description = "Written", body = Posting)))]
pub(crate) async fn create_posting(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiQuery(q): ApiQuery<OpenQuery>,
    ApiJson(input): ApiJson<PostingInput>,
) -> Result<Response, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    let p = s
        .services
        .create_posting(&a.actor, id, input, q.open)
        .await?;
    Ok((StatusCode::CREATED, Json(p)).into_response())
}

#[utoipa::path(get, path = "/api/v1/postings/{id}", tag = "work",
    params(("id" = i64, Path, description = "The posting")),
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The posting: open ones for anyone, without a token", body = Posting)))]
pub(crate) async fn posting(
    State(s): State<AppState>,
    a: MaybeApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Posting>, AppError> {
    let id = PostingId(path_id(&raw)?);
    Ok(Json(s.services.posting(a.0.as_ref(), id).await?))
}

#[utoipa::path(put, path = "/api/v1/postings/{id}", tag = "work", request_body = PostingInput,
    params(("id" = i64, Path, description = "The posting")),
    responses((status = 200, description = "Changed (an open posting must still say everything it must)", body = Posting)))]
pub(crate) async fn update_posting(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<PostingInput>,
) -> Result<Json<Posting>, AppError> {
    let id = PostingId(path_id(&raw)?);
    Ok(Json(s.services.update_posting(&a.actor, id, input).await?))
}

/// A posting's new status.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct StatusChange {
    /// draft, open or closed.
    status: PostingStatus,
}

#[utoipa::path(post, path = "/api/v1/postings/{id}/status", tag = "work", request_body = StatusChange,
    params(("id" = i64, Path, description = "The posting")),
    responses((status = 200, description = "Opened (checked first), closed or reopened", body = Posting)))]
pub(crate) async fn set_status(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<StatusChange>,
) -> Result<Json<Posting>, AppError> {
    let id = PostingId(path_id(&raw)?);
    Ok(Json(
        s.services
            .set_posting_status(&a.actor, id, body.status)
            .await?,
    ))
}

/// The board's filters and position.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct BoardParams {
    /// Words (two characters or more; any kana or width).
    q: Option<String>,
    /// Recruiting in this region.
    region: Option<i64>,
    /// At most this many hours a week.
    max_hours: Option<i64>,
    /// At least this many yen by the hour.
    min_hourly: Option<i64>,
    /// remote or office.
    work_place: Option<jimoto_domain::work::WorkPlace>,
    /// ojt, small_job or recurring.
    level: Option<jimoto_domain::work::JobLevel>,
    /// Kind of work.
    category: Option<jimoto_domain::work::Category>,
    /// Position: rows after it.
    after: Option<String>,
    /// Position: rows before it.
    before: Option<String>,
    /// Rows per page (1–200, default 50).
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/jobs", tag = "work", params(BoardParams),
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, description = "Open postings, newest first (public)", body = ApiPage<Posting>)))]
pub(crate) async fn board(
    State(s): State<AppState>,
    _a: MaybeApiActor,
    ApiQuery(p): ApiQuery<BoardParams>,
) -> Result<Json<ApiPage<Posting>>, AppError> {
    let req = page_request(p.after.as_deref(), p.before.as_deref(), p.limit)?;
    let filter = BoardFilter {
        q: p.q,
        region: p.region.map(RegionId),
        max_hours: p.max_hours,
        min_hourly: p.min_hourly,
        work_place: p.work_place,
        level: p.level,
        category: p.category,
    };
    Ok(Json(s.services.board(&filter, &req).await?.into()))
}
