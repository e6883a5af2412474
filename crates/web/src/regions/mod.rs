//! Regions: the municipalities running a local-telework program. Pages (list, register from
//! the national list, detail, edit) and the JSON API.

mod api;
mod pages;

use axum::Router;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub(crate) fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/regions", get(pages::list).post(pages::create))
        .route("/regions/new", get(pages::new_form))
        .route("/regions/{id}", get(pages::detail).post(pages::update))
        .route("/regions/{id}/edit", get(pages::edit_form))
}

pub(crate) fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_regions, api::create_region))
        .routes(routes!(api::get_region, api::update_region))
        .routes(routes!(api::list_municipalities))
}
