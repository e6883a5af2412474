//! Residents: teleworkers' profiles (personal data, region-scoped). Pages (list, detail, register,
//! edit, give a login) and the JSON API.

mod api;
mod pages;

use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub(crate) fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/residents", get(pages::list).post(pages::create))
        .route("/residents/new", get(pages::new_form))
        .route("/residents/{id}", get(pages::detail).post(pages::update))
        .route("/residents/{id}/edit", get(pages::edit_form))
        .route("/residents/{id}/account", post(pages::give_login))
        .route("/residents/{id}/contacts", post(pages::record_contact))
}

pub(crate) fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_residents, api::create_resident))
        .routes(routes!(api::get_resident, api::update_resident))
        .routes(routes!(api::list_contacts, api::record_contact))
}
