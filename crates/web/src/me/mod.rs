//! The signed-in user's own page (language, password, API tokens) and `/api/v1/me`.

mod api;
mod pages;

use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub(crate) fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(pages::me))
        .route(
            "/me/password",
            get(pages::password_form).post(pages::change_password),
        )
        .route("/me/tokens", post(pages::create_token))
        .route(
            "/me/tokens/{id}/revoke",
            get(pages::confirm_revoke).post(pages::revoke),
        )
}

pub(crate) fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::me))
        .routes(routes!(api::list_tokens, api::create_token))
}
