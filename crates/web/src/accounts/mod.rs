//! Accounts: administrators list, create, edit and disable logins; the JSON API does the same
//! and lets coordinators give logins within their regions.

mod api;
mod handover;
mod pages;

pub(crate) use handover::issued;

use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub(crate) fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(pages::list).post(pages::create))
        .route("/admin/users/{id}", get(pages::edit).post(pages::update))
        .route(
            "/admin/users/{id}/disable",
            get(pages::confirm_disable).post(pages::disable),
        )
        .route(
            "/accounts/{id}/reset",
            get(handover::confirm_reset).post(handover::reset),
        )
        .route("/admin/users/{id}/enable", post(pages::enable))
}

pub(crate) fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_accounts, api::create_account))
        .routes(routes!(api::get_account, api::update_account))
        .routes(routes!(api::disable_account))
        .routes(routes!(api::enable_account))
        .routes(routes!(api::reset_password))
}
