//! The audit log of changes to personal data (administrators): a page and the JSON API.

mod api;
mod pages;

use axum::Router;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub(crate) fn page_routes() -> Router<AppState> {
    Router::new().route("/admin/audit", get(pages::list))
}

pub(crate) fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api::list_audit))
}
