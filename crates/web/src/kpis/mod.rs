//! KPIs in the web: a region's dashboard for a fiscal year or a project's months (economic and
//! social value side by side, the trend by month as server-drawn SVG, plans with targets and
//! published figures reconciled with the records), the rows behind every figure (with
//! downloads), and the JSON API.

mod api;
mod compare;
mod forecast;
mod pages;
mod plans;
mod project_form;
mod projects;
mod report;
mod view;

use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub(crate) fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/regions/{id}/kpis", get(pages::dashboard))
        .route("/regions/{id}/kpis/report", get(report::page))
        .route("/regions/{id}/kpis/forecast", get(forecast::page))
        .route("/prefectures/{code}/kpis", get(compare::page))
        .route(
            "/regions/{id}/projects",
            get(projects::list).post(project_form::create),
        )
        .route("/regions/{id}/projects/new", get(project_form::new_form))
        .route(
            "/projects/{id}",
            get(projects::record).post(project_form::update),
        )
        .route("/projects/{id}/edit", get(project_form::edit_form))
        .route("/regions/{id}/kpi-plans/new", get(plans::new_form))
        .route("/regions/{id}/kpi-plans", post(plans::create))
        .route("/kpi-plans/{id}/edit", get(plans::edit_form))
        .route("/kpi-plans/{id}/compare", get(compare::plan_page))
        .route("/kpi-plans/{id}", post(plans::update))
        .route("/regions/{id}/kpis/{key}", get(pages::rows))
}

pub(crate) fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::catalogue))
        .routes(routes!(api::dashboard))
        .routes(routes!(api::rows))
        .routes(routes!(api::report))
        .routes(routes!(api::forecast))
        .routes(routes!(api::comparison))
        .routes(routes!(api::create_plan))
        .routes(routes!(api::plan, api::update_plan))
        .routes(routes!(api::projects))
        .routes(routes!(api::create_project))
        .routes(routes!(api::project, api::update_project))
}
