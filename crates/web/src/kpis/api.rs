//! KPIs in the JSON API: the catalogue, a region's figures and rows, a prefecture's regions side
//! by side, plans and co-creation projects.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jimoto_domain::forecast::Forecast;
use jimoto_domain::kpi::{
    Comparison, Counting, Dashboard, Kpi, Plan, PlanInput, PlanReport, Report, Rows, Side, Unit,
};
use jimoto_domain::program::ProgramKind;
use jimoto_domain::project::{Project, ProjectInput};
use jimoto_domain::{Lang, PlanId, ProjectId, RegionId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::view::{PeriodQuery, definition, kpi_of, name};
use crate::AppState;
use crate::api::{ApiJson, ApiQuery, path_id};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::session::ApiActor;

/// Text in both languages.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Bilingual {
    /// Japanese.
    ja: String,
    /// English.
    en: String,
}

/// A KPI of the catalogue, with its exact definition.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct KpiDefinition {
    /// Stable key.
    key: Kpi,
    /// Unit.
    unit: Unit,
    /// Unique people, repeats, a sum, a median or a share.
    counting: Counting,
    /// Economic or social value.
    side: Side,
    /// Whether its rows are people (named only to the region's coordinators).
    lists_people: bool,
    /// Its name.
    name: Bilingual,
    /// What exactly it counts.
    definition: Bilingual,
}

#[utoipa::path(get, path = "/api/v1/kpis", tag = "kpis",
    responses((status = 200, description = "Every KPI of the catalogue with its unit, how it counts and its definition in Japanese and English", body = Vec<KpiDefinition>)))]
pub(crate) async fn catalogue(_a: ApiActor) -> Json<Vec<KpiDefinition>> {
    let (ja, en) = (Tr::new(Lang::Ja), Tr::new(Lang::En));
    Json(
        Kpi::ALL
            .iter()
            .map(|k| KpiDefinition {
                key: *k,
                unit: k.unit(),
                counting: k.counting(),
                side: k.side(),
                lists_people: k.lists_people(),
                name: Bilingual {
                    ja: name(ja, *k),
                    en: name(en, *k),
                },
                definition: Bilingual {
                    ja: definition(ja, *k),
                    en: definition(en, *k),
                },
            })
            .collect(),
    )
}

#[utoipa::path(get, path = "/api/v1/regions/{id}/kpis", tag = "kpis",
    params(("id" = i64, Path, description = "The region"), PeriodQuery),
    responses((status = 200, description = "Every KPI of the region for the period (the current fiscal year by default), and the plans covering it reconciled with the records: its municipal staff, coordinators and administrators", body = Dashboard),
        (status = 403, description = "Not the region's staff (`forbidden`)"),
        (status = 404, description = "No such region"),
        (status = 422, description = "A period that cannot be read: `fy` out of range, a bad date, `to` before `from` or more than three years on")))]
pub(crate) async fn dashboard(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Json<Dashboard>, AppError> {
    let id = RegionId(path_id(&raw)?);
    let period = q.period()?;
    Ok(Json(s.services.kpi_dashboard(&a.actor, id, period).await?))
}

#[utoipa::path(get, path = "/api/v1/regions/{id}/kpi-report", tag = "kpis",
    params(("id" = i64, Path, description = "The region"), PeriodQuery),
    responses((status = 200, description = "The region's results report for the period in the shape of the ministry's results report: every KPI, the plans beside the records with their details, the programs with sessions and participants, the companies on tours with purposes and follow-ups, the co-creation projects. It names no resident. (As a page, .xlsx or CSV: `/regions/{id}/kpis/report`.)", body = Report),
        (status = 403, description = "Not the region's staff (`forbidden`)"),
        (status = 404, description = "No such region"),
        (status = 422, description = "A period that cannot be read")))]
pub(crate) async fn report(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Json<Report>, AppError> {
    let id = RegionId(path_id(&raw)?);
    let period = q.period()?;
    Ok(Json(s.services.kpi_report(&a.actor, id, period).await?))
}

/// What a forecast asks.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ForecastQuery {
    /// The kind of course: one residents attend session by session (not company or local
    /// seminars, not tours).
    kind: ProgramKind,
    /// How many more courses, 1–50.
    courses: u32,
}

/// A forecast, with its assumptions.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ForecastAnswer {
    /// `null` when the region has no attendance recorded at a course of the kind yet.
    forecast: Option<Forecast>,
}

#[utoipa::path(get, path = "/api/v1/regions/{id}/forecast", tag = "kpis",
    params(("id" = i64, Path, description = "The region"), ForecastQuery),
    responses((status = 200, description = "What `courses` more courses of `kind` are expected to yield in the region from its own history: participants, people in paid work within a year of their first session, their first year's income and hours, each with an 80% range, and the assumptions (the courses of the history, participants per course, the share in work with its Wilson interval, income per person with its quartiles). Counts and sums only: the readers of the region's KPIs. (As a page: `/regions/{id}/kpis/forecast`.)", body = ForecastAnswer),
        (status = 403, description = "Not the region's staff (`forbidden`)"),
        (status = 404, description = "No such region"),
        (status = 400, description = "A query that cannot be read: `kind` not a program kind, `courses` missing or not a whole number (`invalid_query`)"),
        (status = 422, description = "A kind that cannot be forecast (`kind`: `invalid_choice`) or a number of courses outside 1–50 (`courses`: `out_of_range`)")))]
pub(crate) async fn forecast(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiQuery(q): ApiQuery<ForecastQuery>,
) -> Result<Json<ForecastAnswer>, AppError> {
    let id = RegionId(path_id(&raw)?);
    let forecast = s
        .services
        .kpi_forecast(&a.actor, id, q.kind, q.courses)
        .await?;
    Ok(Json(ForecastAnswer { forecast }))
}

#[utoipa::path(get, path = "/api/v1/regions/{id}/kpis/{key}/rows", tag = "kpis",
    params(("id" = i64, Path, description = "The region"), ("key" = String, Path, description = "The KPI's key"), PeriodQuery),
    responses((status = 200, description = "The rows behind the figure (at most 1,000, with the total); residents are named only to the region's coordinators, and circumstances are listed person by person only to them", body = Rows),
        (status = 403, description = "Not the region's staff (`forbidden`)"),
        (status = 404, description = "No such region or KPI"),
        (status = 422, description = "A period that cannot be read")))]
pub(crate) async fn rows(
    State(s): State<AppState>,
    a: ApiActor,
    Path((raw, key)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Json<Rows>, AppError> {
    let id = RegionId(path_id(&raw)?);
    let kpi = kpi_of(&key)?;
    let period = q.period()?;
    Ok(Json(s.services.kpi_rows(&a.actor, id, kpi, period).await?))
}

#[utoipa::path(get, path = "/api/v1/prefectures/{code}/kpis", tag = "kpis",
    params(("code" = String, Path, description = "The prefecture's two-digit code (35 = 山口県)"), PeriodQuery),
    responses((status = 200, description = "The figures of each of the prefecture's regions the caller may see, side by side", body = Comparison),
        (status = 404, description = "No region of that prefecture the caller may see"),
        (status = 422, description = "A period that cannot be read")))]
pub(crate) async fn comparison(
    State(s): State<AppState>,
    a: ApiActor,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Json<Comparison>, AppError> {
    let period = q.period()?;
    Ok(Json(
        s.services.kpi_comparison(&a.actor, &code, period).await?,
    ))
}

/// A new plan's id.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Created {
    /// The plan.
    id: PlanId,
}

#[utoipa::path(post, path = "/api/v1/kpi-plans", tag = "kpis", request_body = PlanInput,
    responses((status = 201, description = "Saved: targets and published figures for one or more regions over a period; only the staff of every region it covers", body = Created),
        (status = 403, description = "Not the staff of every region in it"),
        (status = 422, description = "Each problem named: the period, a KPI listed twice, a detail about a region the plan does not cover, an unknown region")))]
pub(crate) async fn create_plan(
    State(s): State<AppState>,
    a: ApiActor,
    ApiJson(input): ApiJson<PlanInput>,
) -> Result<Response, AppError> {
    let id = s.services.create_kpi_plan(&a.actor, input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })).into_response())
}

#[utoipa::path(get, path = "/api/v1/kpi-plans/{id}", tag = "kpis",
    params(("id" = i64, Path, description = "The plan")),
    responses((status = 200, description = "The plan beside the records: each row's computed figure, progress, the published figure's difference and the findings that explain it; the staff of any of its regions and administrators", body = PlanReport)))]
pub(crate) async fn plan(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<PlanReport>, AppError> {
    let id = PlanId(path_id(&raw)?);
    Ok(Json(s.services.kpi_plan(&a.actor, id).await?))
}

#[utoipa::path(put, path = "/api/v1/kpi-plans/{id}", tag = "kpis", request_body = PlanInput,
    params(("id" = i64, Path, description = "The plan")),
    responses((status = 200, description = "Saved", body = Plan),
        (status = 403, description = "Not the staff of every region it covers")))]
pub(crate) async fn update_plan(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<PlanInput>,
) -> Result<Json<Plan>, AppError> {
    let id = PlanId(path_id(&raw)?);
    Ok(Json(s.services.update_kpi_plan(&a.actor, id, input).await?))
}

#[utoipa::path(get, path = "/api/v1/regions/{id}/projects", tag = "kpis",
    params(("id" = i64, Path, description = "The region")),
    responses((status = 200, description = "The region's co-creation projects, newest idea first", body = Vec<Project>),
        (status = 403, description = "Not the region's staff")))]
pub(crate) async fn projects(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Vec<Project>>, AppError> {
    let id = RegionId(path_id(&raw)?);
    Ok(Json(s.services.projects(&a.actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/projects", tag = "kpis", request_body = ProjectInput,
    responses((status = 201, description = "Recorded: the region's staff", body = Project),
        (status = 403, description = "Not the region's staff"),
        (status = 404, description = "No such region"),
        (status = 422, description = "Each problem named: steps out of order, an event of another region, an unknown organisation")))]
pub(crate) async fn create_project(
    State(s): State<AppState>,
    a: ApiActor,
    ApiJson(input): ApiJson<ProjectInput>,
) -> Result<Response, AppError> {
    let p = s.services.create_project(&a.actor, input).await?;
    Ok((StatusCode::CREATED, Json(p)).into_response())
}

#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "kpis",
    params(("id" = i64, Path, description = "The project")),
    responses((status = 200, description = "The project", body = Project)))]
pub(crate) async fn project(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
) -> Result<Json<Project>, AppError> {
    let id = ProjectId(path_id(&raw)?);
    Ok(Json(s.services.project(&a.actor, id).await?))
}

#[utoipa::path(put, path = "/api/v1/projects/{id}", tag = "kpis", request_body = ProjectInput,
    params(("id" = i64, Path, description = "The project")),
    responses((status = 200, description = "Saved: its timeline, members and outcomes", body = Project),
        (status = 403, description = "Not the region's staff"),
        (status = 422, description = "Each problem named; a project stays in its region")))]
pub(crate) async fn update_project(
    State(s): State<AppState>,
    a: ApiActor,
    Path(raw): Path<String>,
    ApiJson(input): ApiJson<ProjectInput>,
) -> Result<Json<Project>, AppError> {
    let id = ProjectId(path_id(&raw)?);
    Ok(Json(s.services.update_project(&a.actor, id, input).await?))
}
