//! Programs (seminars, courses, workshops, tours) and their sessions: pages (list, a program
//! with its sessions, create and edit, add a session) and the JSON API. Sign-up and attendance
//! follow.

mod api;
pub(crate) mod calendar;
mod pages;

use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub(crate) fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/programs", get(pages::list).post(pages::create))
        .route("/programs/new", get(pages::new_form))
        .route("/programs/{id}", get(pages::detail).post(pages::update))
        .route("/programs/{id}/edit", get(pages::edit_form))
        .route("/programs/{id}/sessions", post(pages::add_session))
        .route("/programs/{id}/calendar.ics", get(calendar::program_ics))
        .route(
            "/programs/{id}/sessions/{session}/calendar.ics",
            get(calendar::session_ics),
        )
}

pub(crate) fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_programs, api::create_program))
        .routes(routes!(api::get_program, api::update_program))
        .routes(routes!(api::add_session))
        .routes(routes!(api::update_session))
}
