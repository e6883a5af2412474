//! Around a program's sessions: participants' voices, and for company seminars and workation
//! tours the organisations that came, their people, purposes and follow-up actions — in pages,
//! the coordinator's follow-up list and the JSON API.

mod api;
mod pages;

use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub(crate) fn page_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/programs/{id}/voices",
            get(pages::voices).post(pages::add_voice),
        )
        .route(
            "/programs/{id}/voices/{voice}/delete",
            get(pages::delete_voice_confirm).post(pages::delete_voice),
        )
        .route("/programs/{id}/event", get(pages::event))
        .route(
            "/programs/{id}/event/organisations",
            post(pages::set_organisation),
        )
        .route(
            "/programs/{id}/event/organisations/{org}/remove",
            get(pages::remove_organisation_confirm).post(pages::remove_organisation),
        )
        .route(
            "/programs/{id}/event/participants",
            post(pages::add_participant),
        )
        .route(
            "/programs/{id}/event/participants/{participant}/remove",
            get(pages::remove_participant_confirm).post(pages::remove_participant),
        )
        .route(
            "/programs/{id}/event/follow-ups",
            post(pages::add_follow_up),
        )
        .route(
            "/programs/{id}/event/follow-ups/{follow_up}",
            post(pages::update_follow_up),
        )
        .route("/follow-ups", get(pages::follow_ups))
}

pub(crate) fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::voices, api::add_voice))
        .routes(routes!(api::delete_voice))
        .routes(routes!(api::event))
        .routes(routes!(api::set_organisation))
        .routes(routes!(api::remove_organisation))
        .routes(routes!(api::add_participant))
        .routes(routes!(api::remove_participant))
        .routes(routes!(api::add_follow_up))
        .routes(routes!(api::update_follow_up))
        .routes(routes!(api::follow_ups))
}
