//! The growth path: the public sign-up (no account), attendance per session with walk-ins, a
//! program's people and attendances behind its counts, a resident's stage and history, the
//! stalled list, the funnel and its downloads, and all of it in the JSON API.

mod api;
mod attendance;
mod funnel;
mod import;
mod signup;
mod stage;

use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub(crate) fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/join/{id}", get(signup::join).post(signup::join_post))
        .route("/join/{id}/done/{token}", get(signup::joined))
        .route(
            "/join/{id}/calendar.ics",
            get(crate::programs::calendar::public_ics),
        )
        .route(
            "/programs/{id}/sessions/{session}/attendance",
            get(attendance::check_in).post(attendance::save_check_in),
        )
        .route(
            "/programs/{id}/sessions/{session}/walk-ins",
            post(attendance::add_walk_in),
        )
        .route("/programs/{id}/people", get(attendance::people))
        .route(
            "/programs/{id}/people/{resident}/cancel",
            get(attendance::cancel_confirm).post(attendance::cancel),
        )
        .route(
            "/programs/{id}/people/{resident}/completion",
            post(attendance::completion),
        )
        .route("/programs/{id}/attendances", get(attendance::attendances))
        .route(
            "/programs/{id}/import",
            get(import::import_form).post(import::upload),
        )
        .route("/programs/{id}/import/{file}", get(import::file))
        .route("/programs/{id}/import/{import}/apply", post(import::apply))
        .route("/programs/{id}/funnel", get(funnel::program_funnel))
        .route("/funnel", get(funnel::region_funnel))
        .route("/stalled", get(stage::stalled))
        .route(
            "/residents/{id}/growth",
            get(stage::resident_growth).post(stage::set_stage),
        )
        .route("/residents/{id}/enrol", post(stage::enrol))
        .route(
            "/residents/{id}/merge/{other}",
            get(stage::merge_confirm).post(stage::merge),
        )
}

pub(crate) fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::program_counts))
        .routes(routes!(api::list_enrolments, api::enrol))
        .routes(routes!(api::cancel_enrolment))
        .routes(routes!(api::mark_completed))
        .routes(routes!(api::attendances))
        .routes(routes!(api::import))
        .routes(routes!(api::check_in_list, api::set_attendance))
        .routes(routes!(api::walk_in))
        .routes(routes!(api::program_funnel))
        .routes(routes!(api::funnel))
        .routes(routes!(api::growth))
        .routes(routes!(api::set_stage))
        .routes(routes!(api::merge))
        .routes(routes!(api::stalled))
}
