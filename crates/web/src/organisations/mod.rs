//! Organisations: companies, municipalities, schools and coordinator bodies taking part in a
//! region's program. Pages (list, detail with members, register, edit, add a member) and the
//! JSON API.

mod api;
mod pages;

use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub(crate) fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/organisations", get(pages::list).post(pages::create))
        .route("/organisations/new", get(pages::new_form))
        .route(
            "/organisations/{id}",
            get(pages::detail).post(pages::update),
        )
        .route("/organisations/{id}/edit", get(pages::edit_form))
        .route("/organisations/{id}/members", post(pages::add_member))
}

pub(crate) fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_organisations, api::create_organisation))
        .routes(routes!(api::get_organisation, api::update_organisation))
}
