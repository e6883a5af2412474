//! Signing in and out, and choosing the interface language (before or after login).

mod pages;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub(crate) fn page_routes() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::root))
        .route("/login", get(pages::login_page).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/lang", post(pages::switch_lang))
}
