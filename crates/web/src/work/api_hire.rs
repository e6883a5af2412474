//! Applications, selection, contracts, hours, pay and income thresholds in the JSON API.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use jimoto_domain::work::selection::{ApplicationInput, Note, NoteInput};
use jimoto_domain::work::{
    Application, DayEntry, Earnings, EndInput, Engagement, EngagementInput, IncomeSoFar, PayPeriod,
    PaySlip, Projection, SelectionStage, Threshold, ThresholdKind,
};
use jimoto_domain::{
    ApplicationId, EngagementId, FieldError, OrganisationId, PeriodId, PostingId, RegionId, StageId,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api::{ApiJson, ApiQuery, path_id};
use crate::error::AppError;
use crate::session::ApiActor;

/// The id of what was created.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CreatedId {
    /// Id.
    id: i64,
}

#[utoipa::path(post, path = "/api/v1/postings/{id}/applications", tag = "work", request_body = ApplicationInput,
    params(("id" = i64, Path, description = "An open posting")),
    responses((status = 201, description = "Applied (the resident's growth path reaches 'applied')", body = Application)))]
pub(crate) async fn apply(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<ApplicationInput>,
) -> Result<Response, AppError> {
    let id = PostingId(path_id(&raw)?);
    let app = s.services.apply(&a.actor, id, input).await?;
    Ok((StatusCode::CREATED, Json(app)).into_response())
}

#[utoipa::path(get, path = "/api/v1/me/applications", tag = "work",
    responses((status = 200, description = "The resident's own applications, newest first", body = Vec<Application>)))]
pub(crate) async fn my_applications(
    State(s): State<AppState>,
    a: ApiActor,
) -> Result<Json<Vec<Application>>, AppError> {
    Ok(Json(s.services.my_applications(&a.actor).await?))
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/withdraw", tag = "work",
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, description = "Withdrawn", body = Application),
        (status = 422, description = "Already decided (`validation`: status decided)")))]
pub(crate) async fn withdraw(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Application>, AppError> {
    let id = ApplicationId(path_id(&raw)?);
    Ok(Json(s.services.withdraw(&a.actor, id).await?))
}

/// Which posting's applications.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ApplicationsParams {
    /// Only this posting's.
    posting: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}/applications", tag = "work",
    params(("id" = i64, Path, description = "The organisation"), ApplicationsParams),
    responses((status = 200, description = "Applications the caller runs the selection of (a coordinator: from their regions)", body = Vec<Application>)))]
pub(crate) async fn applications(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiQuery(p): ApiQuery<ApplicationsParams>,
) -> Result<Json<Vec<Application>>, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    Ok(Json(
        s.services
            .applications_to(&a.actor, id, p.posting.map(PostingId))
            .await?,
    ))
}

/// An application with its selection.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ApplicationBody {
    /// The application.
    application: Application,
    /// The organisation's stages, in order.
    stages: Vec<SelectionStage>,
    /// Notes and ratings (empty for the applicant).
    notes: Vec<Note>,
    /// The contract made from it.
    engagement_id: Option<EngagementId>,
}

#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "work",
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, description = "The application; notes only for the organisation and the applicant's coordinators", body = ApplicationBody)))]
pub(crate) async fn application(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<ApplicationBody>, AppError> {
    let id = ApplicationId(path_id(&raw)?);
    let v = s.services.application(&a.actor, id).await?;
    Ok(Json(ApplicationBody {
        application: v.application,
        stages: v.stages,
        notes: v.notes,
        engagement_id: v.engagement,
    }))
}

/// A stage to move to.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct StageChoice {
    /// One of the organisation's stages.
    stage_id: StageId,
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/stage", tag = "work", request_body = StageChoice,
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, description = "Moved", body = Application)))]
pub(crate) async fn move_stage(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<StageChoice>,
) -> Result<Json<Application>, AppError> {
    let id = ApplicationId(path_id(&raw)?);
    Ok(Json(
        s.services
            .move_application(&a.actor, id, body.stage_id)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/notes", tag = "work", request_body = NoteInput,
    params(("id" = i64, Path, description = "The application")),
    responses((status = 201, description = "Noted; all its notes", body = Vec<Note>)))]
pub(crate) async fn add_note(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<NoteInput>,
) -> Result<Response, AppError> {
    let id = ApplicationId(path_id(&raw)?);
    let notes = s.services.add_application_note(&a.actor, id, body).await?;
    Ok((StatusCode::CREATED, Json(notes)).into_response())
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/decline", tag = "work",
    params(("id" = i64, Path, description = "The application")),
    responses((status = 200, description = "Declined", body = Application),
        (status = 422, description = "Already decided (`validation`)")))]
pub(crate) async fn decline(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Application>, AppError> {
    let id = ApplicationId(path_id(&raw)?);
    Ok(Json(s.services.decline(&a.actor, id).await?))
}

/// When the hired person starts.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct HireInput {
    /// First day of the contract.
    start_date: NaiveDate,
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/hire", tag = "work", request_body = HireInput,
    params(("id" = i64, Path, description = "The application")),
    responses((status = 201, description = "Hired: a draft contract written from the posting", body = CreatedId)))]
pub(crate) async fn hire(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<HireInput>,
) -> Result<Response, AppError> {
    let id = ApplicationId(path_id(&raw)?);
    let e = s.services.hire(&a.actor, id, body.start_date).await?;
    Ok((StatusCode::CREATED, Json(CreatedId { id: e.0 })).into_response())
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}/stages", tag = "work",
    params(("id" = i64, Path, description = "The organisation")),
    responses((status = 200, description = "Its selection stages in order", body = Vec<SelectionStage>)))]
pub(crate) async fn stages(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<SelectionStage>>, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    Ok(Json(s.services.selection_stages(&a.actor, id).await?))
}

/// An organisation's own stage.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct NewStage {
    /// Its name (it goes before the offer).
    name: String,
}

#[utoipa::path(post, path = "/api/v1/organisations/{id}/stages", tag = "work", request_body = NewStage,
    params(("id" = i64, Path, description = "The organisation")),
    responses((status = 201, description = "Added before the offer; all stages", body = Vec<SelectionStage>)))]
pub(crate) async fn add_stage(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<NewStage>,
) -> Result<Response, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    let stages = s
        .services
        .add_selection_stage(&a.actor, id, &body.name)
        .await?;
    Ok((StatusCode::CREATED, Json(stages)).into_response())
}

/// A contract with its pay periods.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EngagementBody {
    /// The contract.
    engagement: Engagement,
    /// Its periods, latest first.
    periods: Vec<PayPeriod>,
    /// What the freelance act still asks for before it can start.
    missing: Vec<FieldError>,
    /// The contract that renews it, once written.
    renewal: Option<EngagementId>,
}

impl From<jimoto_services::EngagementView> for EngagementBody {
    fn from(v: jimoto_services::EngagementView) -> Self {
        Self {
            engagement: v.engagement,
            periods: v.periods,
            missing: v.missing,
            renewal: v.renewal,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}", tag = "work",
    params(("id" = i64, Path, description = "The contract")),
    responses((status = 200, description = "The contract: for its resident, organisation and the resident's coordinators", body = EngagementBody)))]
pub(crate) async fn engagement(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<EngagementBody>, AppError> {
    let id = EngagementId(path_id(&raw)?);
    Ok(Json(s.services.engagement(&a.actor, id).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/engagements/{id}", tag = "work", request_body = EngagementInput,
    params(("id" = i64, Path, description = "The contract")),
    responses((status = 200, description = "Its terms changed (drafts only)", body = EngagementBody)))]
pub(crate) async fn update_engagement(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<EngagementInput>,
) -> Result<Json<EngagementBody>, AppError> {
    let id = EngagementId(path_id(&raw)?);
    Ok(Json(
        s.services
            .update_engagement(&a.actor, id, input)
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/engagements/{id}/start", tag = "work",
    params(("id" = i64, Path, description = "The contract")),
    responses((status = 200, description = "Started", body = EngagementBody),
        (status = 422, description = "The freelance act's written terms are incomplete: each missing item named (`freelance_missing`), or the payment date is over 60 days (`freelance_over_60_days`)")))]
pub(crate) async fn start_engagement(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<EngagementBody>, AppError> {
    let id = EngagementId(path_id(&raw)?);
    Ok(Json(
        s.services.start_engagement(&a.actor, id).await?.into(),
    ))
}

#[utoipa::path(post, path = "/api/v1/engagements/{id}/end", tag = "work", request_body = EndInput,
    params(("id" = i64, Path, description = "The contract")),
    responses((status = 200, description = "Ended (early: with 30 days' notice where the act asks for it)", body = EngagementBody)))]
pub(crate) async fn end_engagement(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<EndInput>,
) -> Result<Json<EngagementBody>, AppError> {
    let id = EngagementId(path_id(&raw)?);
    Ok(Json(
        s.services.end_engagement(&a.actor, id, input).await?.into(),
    ))
}

#[utoipa::path(get, path = "/api/v1/me/engagements", tag = "work",
    responses((status = 200, description = "The resident's own contracts", body = Vec<Engagement>)))]
pub(crate) async fn my_engagements(
    State(s): State<AppState>,
    a: ApiActor,
) -> Result<Json<Vec<Engagement>>, AppError> {
    Ok(Json(s.services.my_engagements(&a.actor).await?))
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}/engagements", tag = "work",
    params(("id" = i64, Path, description = "The organisation")),
    responses((status = 200, description = "Its contracts the caller may see", body = Vec<Engagement>)))]
pub(crate) async fn engagements(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<Engagement>>, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    Ok(Json(s.services.engagements_of(&a.actor, id).await?))
}

/// Which month.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct MonthParams {
    /// Any day of the month (default: this month, or the contract's last).
    month: Option<NaiveDate>,
}

/// A month of a contract's hours.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TimesheetBody {
    /// First day (within the contract).
    starts_on: NaiveDate,
    /// Last day.
    ends_on: NaiveDate,
    /// The period, once hours were logged in it.
    period: Option<PayPeriod>,
    /// Its days.
    days: Vec<DayEntry>,
    /// What its hours come to (fixed once approved).
    slip: PaySlip,
}

#[utoipa::path(get, path = "/api/v1/engagements/{id}/hours", tag = "work",
    params(("id" = i64, Path, description = "The contract"), MonthParams),
    responses((status = 200, description = "A month of hours", body = TimesheetBody)))]
pub(crate) async fn hours(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiQuery(p): ApiQuery<MonthParams>,
) -> Result<Json<TimesheetBody>, AppError> {
    let id = EngagementId(path_id(&raw)?);
    let t = s.services.timesheet(&a.actor, id, p.month).await?;
    Ok(Json(TimesheetBody {
        starts_on: t.starts_on,
        ends_on: t.ends_on,
        period: t.period,
        days: t.entries,
        slip: t.slip,
    }))
}

#[utoipa::path(put, path = "/api/v1/engagements/{id}/hours", tag = "work", request_body = DayEntry,
    params(("id" = i64, Path, description = "The contract")),
    responses((status = 200, description = "The day's hours written (0 minutes removes it); the period", body = PayPeriod),
        (status = 422, description = "Outside the contract, too many minutes, or the period is approved (`validation`: period locked)")))]
pub(crate) async fn log_hours(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(entry): ApiJson<DayEntry>,
) -> Result<Json<PayPeriod>, AppError> {
    let id = EngagementId(path_id(&raw)?);
    Ok(Json(s.services.log_hours(&a.actor, id, entry).await?))
}

#[utoipa::path(post, path = "/api/v1/periods/{id}/submit", tag = "work",
    params(("id" = i64, Path, description = "The pay period")),
    responses((status = 200, description = "Sent for approval", body = PayPeriod),
        (status = 422, description = "No hours, already sent, or locked (`validation`)")))]
pub(crate) async fn submit_period(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<PayPeriod>, AppError> {
    let id = PeriodId(path_id(&raw)?);
    Ok(Json(s.services.submit_period(&a.actor, id).await?))
}

/// Why a period goes back.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct ReturnInput {
    /// What to correct (required).
    comment: String,
}

#[utoipa::path(post, path = "/api/v1/periods/{id}/return", tag = "work", request_body = ReturnInput,
    params(("id" = i64, Path, description = "The pay period")),
    responses((status = 200, description = "Returned with the comment", body = PayPeriod)))]
pub(crate) async fn return_period(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<ReturnInput>,
) -> Result<Json<PayPeriod>, AppError> {
    let id = PeriodId(path_id(&raw)?);
    Ok(Json(
        s.services
            .return_period(&a.actor, id, &body.comment)
            .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/periods/{id}/approve", tag = "work",
    params(("id" = i64, Path, description = "The pay period")),
    responses((status = 200, description = "Approved: pay fixed and the period locked", body = PayPeriod),
        (status = 422, description = "Not sent for approval, or locked (`validation`)")))]
pub(crate) async fn approve_period(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<PayPeriod>, AppError> {
    let id = PeriodId(path_id(&raw)?);
    Ok(Json(s.services.approve_period(&a.actor, id).await?))
}

/// When it was paid.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct PaidInput {
    /// The day.
    paid_on: NaiveDate,
}

#[utoipa::path(post, path = "/api/v1/periods/{id}/paid", tag = "work", request_body = PaidInput,
    params(("id" = i64, Path, description = "The pay period")),
    responses((status = 200, description = "Recorded as paid", body = PayPeriod)))]
pub(crate) async fn mark_paid(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<PaidInput>,
) -> Result<Json<PayPeriod>, AppError> {
    let id = PeriodId(path_id(&raw)?);
    Ok(Json(
        s.services.mark_paid(&a.actor, id, body.paid_on).await?,
    ))
}

/// A pay statement.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StatementBody {
    /// The period with its fixed figures.
    period: PayPeriod,
    /// Its days.
    days: Vec<DayEntry>,
    /// Hourly or fixed.
    pay_kind: jimoto_domain::work::PayKind,
    /// The rate or the monthly fee.
    rate_yen: i64,
}

#[utoipa::path(get, path = "/api/v1/periods/{id}/statement", tag = "work",
    params(("id" = i64, Path, description = "The pay period")),
    responses((status = 200, description = "The statement of an approved or paid period", body = StatementBody),
        (status = 422, description = "Not approved yet (`validation`)")))]
pub(crate) async fn statement(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<StatementBody>, AppError> {
    let id = PeriodId(path_id(&raw)?);
    let (period, e, days) = s.services.statement(&a.actor, id).await?;
    Ok(Json(StatementBody {
        period,
        days,
        pay_kind: e.input.pay_kind,
        rate_yen: e.input.rate_yen,
    }))
}

/// Months of the payment list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct RangeParams {
    /// First month (any day of it; default: this month).
    from: Option<NaiveDate>,
    /// Last month (any day of it; default: `from`'s).
    to: Option<NaiveDate>,
}

/// The months `[from, to]` as first days: from the first of `from`'s month to the last
/// period start in `to`'s.
pub(crate) fn month_range(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let today = jimoto_domain::calendar::today_jst();
    let from = from.unwrap_or(today);
    let to = to.unwrap_or(from);
    let first = from.with_day(1).unwrap_or(from);
    let last = to
        .with_day(1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .and_then(|d| d.pred_opt())
        .unwrap_or(to);
    (first, last)
}

#[utoipa::path(get, path = "/api/v1/organisations/{id}/payments", tag = "work",
    params(("id" = i64, Path, description = "The organisation"), RangeParams),
    responses((status = 200, description = "Approved and paid periods of those months: the organisation's members only", body = Vec<PayPeriod>)))]
pub(crate) async fn payments(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiQuery(p): ApiQuery<RangeParams>,
) -> Result<Json<Vec<PayPeriod>>, AppError> {
    let id = OrganisationId(path_id(&raw)?);
    Ok(Json(
        s.services
            .payments(&a.actor, id, month_range(p.from, p.to))
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/me/earnings", tag = "work",
    responses((status = 200, description = "The resident's earnings by month, calendar year and fiscal year", body = Earnings)))]
pub(crate) async fn my_earnings(
    State(s): State<AppState>,
    a: ApiActor,
) -> Result<Json<Earnings>, AppError> {
    Ok(Json(s.services.my_earnings(&a.actor).await?.0))
}

#[utoipa::path(get, path = "/api/v1/regions/{id}/pay-totals", tag = "work",
    params(("id" = i64, Path, description = "The region")),
    responses((status = 200, description = "Pay to the region's residents by month and year: totals only", body = Earnings)))]
pub(crate) async fn pay_totals(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Earnings>, AppError> {
    let id = RegionId(path_id(&raw)?);
    Ok(Json(s.services.region_pay_totals(&a.actor, id).await?))
}

/// A resident's thresholds and projections.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ThresholdsBody {
    /// Those they said matter to them.
    chosen: Vec<ThresholdKind>,
    /// Their income as the projections read it.
    income: IncomeSoFar,
    /// Each chosen threshold in force today, projected.
    projections: Vec<Projection>,
}

#[utoipa::path(get, path = "/api/v1/me/thresholds", tag = "work",
    responses((status = 200, description = "The resident's income thresholds with the projection's arithmetic (calendar year, January–December)", body = ThresholdsBody)))]
pub(crate) async fn my_thresholds(
    State(s): State<AppState>,
    a: ApiActor,
) -> Result<Json<ThresholdsBody>, AppError> {
    let v = s
        .services
        .my_thresholds(&a.actor, jimoto_domain::calendar::today_jst())
        .await?;
    Ok(Json(ThresholdsBody {
        chosen: v.chosen,
        income: v.income,
        projections: v.projections,
    }))
}

/// The thresholds that matter to a resident.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct ChosenThresholds {
    /// Which.
    kinds: Vec<ThresholdKind>,
}

#[utoipa::path(put, path = "/api/v1/me/thresholds", tag = "work", request_body = ChosenThresholds,
    responses((status = 204, description = "Saved")))]
pub(crate) async fn choose_thresholds(
    State(s): State<AppState>,
    a: ApiActor,
    ApiJson(body): ApiJson<ChosenThresholds>,
) -> Result<StatusCode, AppError> {
    s.services.choose_thresholds(&a.actor, &body.kinds).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/thresholds", tag = "work",
    responses((status = 200, description = "Every dated income threshold", body = Vec<Threshold>)))]
pub(crate) async fn thresholds(
    State(s): State<AppState>,
    _a: ApiActor,
) -> Result<Json<Vec<Threshold>>, AppError> {
    Ok(Json(s.services.thresholds().await?))
}

/// A threshold from a day on.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct ThresholdInput {
    /// Which.
    kind: ThresholdKind,
    /// Yen a year.
    amount_yen: i64,
    /// First day it holds.
    valid_from: NaiveDate,
}

#[utoipa::path(post, path = "/api/v1/thresholds", tag = "work", request_body = ThresholdInput,
    responses((status = 200, description = "Set (administrators); every threshold", body = Vec<Threshold>)))]
pub(crate) async fn set_threshold(
    State(s): State<AppState>,
    a: ApiActor,
    ApiJson(body): ApiJson<ThresholdInput>,
) -> Result<Json<Vec<Threshold>>, AppError> {
    Ok(Json(
        s.services
            .set_threshold(&a.actor, body.kind, body.amount_yen, body.valid_from)
            .await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/thresholds/{id}", tag = "work",
    params(("id" = i64, Path, description = "The dated row")),
    responses((status = 200, description = "Removed (administrators); every threshold", body = Vec<Threshold>),
        (status = 422, description = "The last row of its kind (`validation`)")))]
pub(crate) async fn delete_threshold(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<Threshold>>, AppError> {
    let id = path_id(&raw)?;
    Ok(Json(s.services.delete_threshold(&a.actor, id).await?))
}
