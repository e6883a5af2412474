//! Programs (seminars, courses, workshops, tours) and their sessions. The JSON API; the pages
//! follow with sign-up and attendance.

mod api;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub(crate) fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::list_programs, api::create_program))
        .routes(routes!(api::get_program, api::update_program))
        .routes(routes!(api::add_session))
        .routes(routes!(api::update_session))
}
