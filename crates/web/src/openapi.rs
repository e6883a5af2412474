//! The JSON API under `/api/v1`: every capability's routes, and the OpenAPI document generated
//! from their handlers (utoipa), served at `/api/v1/openapi.json`.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jimoto_services::ServiceError;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;
use crate::error::AppError;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Jimoto API",
        version = "1",
        description = "Local telework platform. Authenticate with a personal access token \
                       (`Authorization: Bearer jmt_…`, made on the profile page or with \
                       `jimoto token create`); it acts with its owner's role. Errors are \
                       `{\"error\": {\"code\", \"message\", \"fields\"}}` with stable codes; \
                       messages follow `Accept-Language` (ja, en). Lists are read page by page: \
                       pass a response's `next` (or `prev`) as `after` (or `before`); `total` \
                       stops counting at 1,000 (`total_exact` is then false)."
    ),
    modifiers(&Security),
    security(("bearer" = []), ("session" = [])),
    tags(
        (name = "me", description = "The caller"),
        (name = "regions", description = "Municipalities running a program"),
        (name = "organisations", description = "Companies, municipalities, schools, coordinator bodies"),
        (name = "residents", description = "Resident teleworkers (personal data, region-scoped)"),
        (name = "accounts", description = "Logins and their roles"),
        (name = "audit", description = "Changes to personal data (admins)"),
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("jimoto_session"))),
        );
    }
}

/// Every capability's API routes, with their OpenAPI description.
fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::me::api_routes())
        .merge(crate::regions::api_routes())
        .merge(crate::organisations::api_routes())
        .merge(crate::residents::api_routes())
        .merge(crate::accounts::api_routes())
        .merge(crate::audit::api_routes())
}

pub(crate) fn routes() -> Router<AppState> {
    let (router, _) = api_router().split_for_parts();
    router
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/{*rest}", axum::routing::any(not_found))
}

/// The OpenAPI document as JSON, built once at start-up.
pub(crate) fn openapi_json() -> String {
    api_router()
        .into_openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| "{}".into())
}

async fn openapi(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.openapi.as_str().to_owned(),
    )
        .into_response()
}

async fn not_found() -> AppError {
    ServiceError::NotFound.into()
}
