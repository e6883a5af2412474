//! The growth path in the JSON API: a program's figures and people, enrolment and cancelling,
//! attendance per session and walk-ins, funnels, a resident's stage and history, the stalled list
//! and merging two records of one person.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jimoto_domain::calendar::FiscalYear;
use jimoto_domain::growth::{
    AttendanceInput, AttendanceRow, Channel, CheckInRow, EnrolInput, Enrolment, EnrolmentStatus,
    Funnel, FunnelScope, ProgramCounts, SignUpInput, StageChange, StageInput, StageNow, Stalled,
};
use jimoto_domain::resident::Resident;
use jimoto_domain::roster::ImportPreview;
use jimoto_domain::{ProgramId, RegionId, ResidentId, SessionId, ValidationFailure};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiJson, ApiQuery, path_id};
use crate::error::AppError;
use crate::session::ApiActor;
use crate::upload::RawUpload;

fn ids(raw: &str, raw_session: &str) -> Result<(ProgramId, SessionId), AppError> {
    Ok((ProgramId(path_id(raw)?), SessionId(path_id(raw_session)?)))
}

#[utoipa::path(get, path = "/api/v1/programs/{id}/counts", tag = "growth",
    params(("id" = i64, Path, description = "The program")),
    responses((status = 200, description = "Unique people (`*_people`, 実人数) and attendances (延べ人数)", body = ProgramCounts)))]
pub(crate) async fn program_counts(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<ProgramCounts>, AppError> {
    let id = ProgramId(path_id(&raw)?);
    Ok(Json(s.services.program_counts(&a.actor, id).await?))
}

/// Which sign-ups to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct EnrolmentQuery {
    /// `enrolled`, `waiting` or `cancelled` (default: all).
    status: Option<EnrolmentStatus>,
}

#[utoipa::path(get, path = "/api/v1/programs/{id}/enrolments", tag = "growth",
    params(("id" = i64, Path, description = "The program"), EnrolmentQuery),
    responses((status = 200, description = "The people who signed up (the waiting list in its order)", body = Vec<Enrolment>)))]
pub(crate) async fn list_enrolments(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiQuery(q): ApiQuery<EnrolmentQuery>,
) -> Result<Json<Vec<Enrolment>>, AppError> {
    let id = ProgramId(path_id(&raw)?);
    Ok(Json(s.services.enrolments(&a.actor, id, q.status).await?))
}

#[utoipa::path(post, path = "/api/v1/programs/{id}/enrolments", tag = "growth", request_body = EnrolInput,
    params(("id" = i64, Path, description = "The program")),
    responses((status = 201, description = "Enrolled, or on the waiting list when the program is full", body = Enrolment)))]
pub(crate) async fn enrol(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<EnrolInput>,
) -> Result<Response, AppError> {
    let id = ProgramId(path_id(&raw)?);
    let e = s.services.enrol(&a.actor, id, input).await?;
    Ok((StatusCode::CREATED, Json(e)).into_response())
}

#[utoipa::path(post, path = "/api/v1/programs/{id}/enrolments/{resident_id}/cancel", tag = "growth",
    params(("id" = i64, Path, description = "The program"), ("resident_id" = i64, Path, description = "The person")),
    responses((status = 200, description = "Cancelled; the first on the waiting list took the place", body = Enrolment)))]
pub(crate) async fn cancel_enrolment(
    State(s): State<AppState>,
    a: ApiActor,
    Path((raw, raw_resident)): Path<(String, String)>,
) -> Result<Json<Enrolment>, AppError> {
    let id = ProgramId(path_id(&raw)?);
    let r = ResidentId(path_id(&raw_resident)?);
    Ok(Json(s.services.cancel_enrolment(&a.actor, id, r).await?))
}

/// A coordinator's mark of completion.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct CompletionInput {
    /// Completed (true) or not (false).
    completed: bool,
}

#[utoipa::path(put, path = "/api/v1/programs/{id}/enrolments/{resident_id}/completion", tag = "growth",
    request_body = CompletionInput,
    params(("id" = i64, Path, description = "The program (completed by the coordinator's mark)"), ("resident_id" = i64, Path, description = "The person")),
    responses((status = 200, description = "Marked", body = Enrolment)))]
pub(crate) async fn mark_completed(
    State(s): State<AppState>,
    a: ApiActor,
    Path((raw, raw_resident)): Path<(String, String)>,
    ApiJson(input): ApiJson<CompletionInput>,
) -> Result<Json<Enrolment>, AppError> {
    let id = ProgramId(path_id(&raw)?);
    let r = ResidentId(path_id(&raw_resident)?);
    Ok(Json(
        s.services
            .mark_completed(&a.actor, id, r, input.completed)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/programs/{id}/attendances", tag = "growth",
    params(("id" = i64, Path, description = "The program")),
    responses((status = 200, description = "Every attendance (延べ): a person at a session", body = Vec<AttendanceRow>)))]
pub(crate) async fn attendances(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<AttendanceRow>>, AppError> {
    let id = ProgramId(path_id(&raw)?);
    Ok(Json(s.services.attendance_rows(&a.actor, id).await?))
}

#[utoipa::path(get, path = "/api/v1/programs/{id}/sessions/{session_id}/attendance", tag = "growth",
    params(("id" = i64, Path, description = "The program"), ("session_id" = i64, Path, description = "The session")),
    responses((status = 200, description = "The session's check-in list", body = Vec<CheckInRow>)))]
pub(crate) async fn check_in_list(
    State(s): State<AppState>,
    a: ApiActor,
    Path((raw, raw_session)): Path<(String, String)>,
) -> Result<Json<Vec<CheckInRow>>, AppError> {
    let (p, sess) = ids(&raw, &raw_session)?;
    Ok(Json(
        s.services.check_in_list(&a.actor, p, sess).await?.rows,
    ))
}

#[utoipa::path(put, path = "/api/v1/programs/{id}/sessions/{session_id}/attendance", tag = "growth",
    request_body = AttendanceInput,
    params(("id" = i64, Path, description = "The program"), ("session_id" = i64, Path, description = "The session")),
    responses((status = 200, description = "Saved: the listed people are present, everyone else on the list absent", body = Vec<CheckInRow>)))]
pub(crate) async fn set_attendance(
    State(s): State<AppState>,
    a: ApiActor,
    Path((raw, raw_session)): Path<(String, String)>,
    ApiJson(input): ApiJson<AttendanceInput>,
) -> Result<Json<Vec<CheckInRow>>, AppError> {
    let (p, sess) = ids(&raw, &raw_session)?;
    Ok(Json(
        s.services
            .set_attendance(&a.actor, p, sess, &input.present)
            .await?
            .rows,
    ))
}

/// A walk-in's record.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WalkIn {
    /// The person.
    resident_id: ResidentId,
    /// They were already known (by reading and phone, or e-mail).
    recognised: bool,
}

#[utoipa::path(post, path = "/api/v1/programs/{id}/sessions/{session_id}/walk-ins", tag = "growth",
    request_body = SignUpInput,
    params(("id" = i64, Path, description = "The program"), ("session_id" = i64, Path, description = "The session")),
    responses((status = 201, description = "Enrolled and checked in", body = WalkIn)))]
pub(crate) async fn walk_in(
    State(s): State<AppState>,
    a: ApiActor,
    Path((raw, raw_session)): Path<(String, String)>,
    ApiJson(input): ApiJson<SignUpInput>,
) -> Result<Response, AppError> {
    let (p, sess) = ids(&raw, &raw_session)?;
    let (resident_id, recognised) = s.services.walk_in(&a.actor, p, sess, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(WalkIn {
            resident_id,
            recognised,
        }),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/programs/{id}/funnel", tag = "growth",
    params(("id" = i64, Path, description = "The program")),
    responses((status = 200, description = "The funnel of the people who signed up for the program", body = Funnel)))]
pub(crate) async fn program_funnel(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Funnel>, AppError> {
    let id = ProgramId(path_id(&raw)?);
    Ok(Json(
        s.services
            .funnel(&a.actor, FunnelScope::Program(id))
            .await?,
    ))
}

/// Whose funnel: a region, optionally narrowed to one outreach channel or one fiscal year.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct FunnelQuery {
    /// The region (required unless an administrator asks for a fiscal year of every region).
    region: Option<i64>,
    /// Only people who heard of a program through this channel.
    channel: Option<Channel>,
    /// Only people who signed up in this fiscal year (2023 = April 2023 – March 2024).
    fiscal_year: Option<i32>,
}

/// The scope a funnel query names.
pub(crate) fn funnel_scope(
    region: Option<i64>,
    channel: Option<Channel>,
    fiscal_year: Option<i32>,
) -> Result<FunnelScope, AppError> {
    let region = region.map(RegionId);
    match (region, channel, fiscal_year) {
        (Some(r), Some(c), None) => Ok(FunnelScope::Channel(r, c)),
        (r, None, Some(y)) if (2000..=2100).contains(&y) => {
            Ok(FunnelScope::FiscalYear(r, FiscalYear(y)))
        }
        (_, None, Some(_)) => Err(ValidationFailure::single("fiscal_year", "out_of_range").into()),
        (Some(r), None, None) => Ok(FunnelScope::Region(r)),
        (_, Some(_), Some(_)) => {
            Err(ValidationFailure::single("channel", "one_of_channel_or_year").into())
        }
        (None, _, _) => Err(ValidationFailure::single("region", "required").into()),
    }
}

#[utoipa::path(get, path = "/api/v1/funnel", tag = "growth", params(FunnelQuery),
    responses((status = 200, description = "Signed up → attended → completed → applied → hired → paid → recurring, in unique people", body = Funnel)))]
pub(crate) async fn funnel(
    State(s): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<FunnelQuery>,
) -> Result<Json<Funnel>, AppError> {
    let scope = funnel_scope(q.region, q.channel, q.fiscal_year)?;
    Ok(Json(s.services.funnel(&a.actor, scope).await?))
}

/// A resident's place on the growth path.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Growth {
    /// Their stage now.
    now: StageNow,
    /// Days on the 90-day clock from completion to first paid work, while it runs.
    clock_days: Option<i64>,
    /// Every change of stage, in the order recorded.
    history: Vec<StageChange>,
    /// Their sign-ups.
    enrolments: Vec<Enrolment>,
}

#[utoipa::path(get, path = "/api/v1/residents/{id}/growth", tag = "growth",
    params(("id" = i64, Path, description = "The resident")),
    responses((status = 200, description = "Stage, its history and sign-ups", body = Growth)))]
pub(crate) async fn growth(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Growth>, AppError> {
    let id = ResidentId(path_id(&raw)?);
    let g = s.services.growth(&a.actor, id).await?;
    Ok(Json(Growth {
        clock_days: g.now.clock_days(jimoto_domain::calendar::today_jst()),
        now: g.now,
        history: g.history,
        enrolments: g.enrolments.into_iter().map(|(e, _)| e).collect(),
    }))
}

#[utoipa::path(put, path = "/api/v1/residents/{id}/stage", tag = "growth", request_body = StageInput,
    params(("id" = i64, Path, description = "The resident")),
    responses((status = 200, description = "Set, with the reason recorded", body = StageNow)))]
pub(crate) async fn set_stage(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<StageInput>,
) -> Result<Json<StageNow>, AppError> {
    let id = ResidentId(path_id(&raw)?);
    Ok(Json(s.services.set_stage(&a.actor, id, input).await?))
}

/// The record to merge into this one.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct MergeInput {
    /// The other record of the same person (deleted once merged).
    other: ResidentId,
}

#[utoipa::path(post, path = "/api/v1/residents/{id}/merge", tag = "growth", request_body = MergeInput,
    params(("id" = i64, Path, description = "The record kept")),
    responses((status = 200, description = "Merged: the other record's sign-ups, attendance, contacts and history moved here", body = Resident)))]
pub(crate) async fn merge(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<MergeInput>,
) -> Result<Json<Resident>, AppError> {
    let id = ResidentId(path_id(&raw)?);
    Ok(Json(
        s.services
            .merge_residents(&a.actor, id, input.other)
            .await?,
    ))
}

/// How many stalled people to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct StalledQuery {
    /// At most this many, 1–500 (default 50).
    limit: Option<i64>,
}

/// People with no next step for a while.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StalledList {
    /// The days without a next step that make a person stalled (a setting).
    days: i64,
    /// How many there are in all.
    total: i64,
    /// The longest waiting first.
    items: Vec<Stalled>,
}

#[utoipa::path(get, path = "/api/v1/stalled", tag = "growth", params(StalledQuery),
    responses((status = 200, description = "People in the caller's regions with no next step for the set number of days", body = StalledList)))]
pub(crate) async fn stalled(
    State(s): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<StalledQuery>,
) -> Result<Json<StalledList>, AppError> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(ValidationFailure::single("limit", "out_of_range").into());
    }
    let (items, total) = s.services.stalled(&a.actor, limit).await?;
    Ok(Json(StalledList {
        days: s.services.stalled_days(),
        total,
        items,
    }))
}

/// How a participant list is imported.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ImportQuery {
    /// `true`: apply the file if it is clean (all or nothing); `false` (default): only check it.
    #[serde(default)]
    apply: bool,
    /// The file's name, for the audit log.
    #[serde(default)]
    file_name: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/programs/{id}/imports", tag = "growth",
    request_body(content = Vec<u8>, description = "The file itself: .xlsx, .xls, .ods, or CSV in UTF-8, UTF-8 with BOM or Shift_JIS (recognised by its bytes)",
        content_type = "application/octet-stream"),
    params(("id" = i64, Path, description = "The program"), ImportQuery),
    responses(
        (status = 200, description = "Checked (and with `apply=true`, applied: `applied` says what was added)", body = ImportPreview),
        (status = 422, description = "With `apply=true`: the file has problems (`file_problems`, every bad row in `bad`); nothing was written", body = ImportPreview)))]
pub(crate) async fn import(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiQuery(q): ApiQuery<ImportQuery>,
    RawUpload(bytes): RawUpload,
) -> Result<Response, AppError> {
    let id = ProgramId(path_id(&raw)?);
    let name = q.file_name.unwrap_or_else(|| "upload".to_owned());
    if !q.apply {
        return Ok(
            Json(s.services.check_import(&a.actor, id, &name, &bytes).await?).into_response(),
        );
    }
    let preview = s.services.import_file(&a.actor, id, &name, &bytes).await?;
    let status = if preview.applied.is_some() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(preview)).into_response())
}
