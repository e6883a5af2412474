//! Each role's home page.

mod pages;

use axum::Router;
use axum::routing::get;

use crate::AppState;

pub(crate) fn page_routes() -> Router<AppState> {
    Router::new().route("/home", get(pages::home))
}
