//! The JSON API under `/api/v1`. The OpenAPI document is generated from these handlers and
//! their types (utoipa) and served at `/api/v1/openapi.json`.

mod handlers;

use axum::Router;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jimoto_services::ServiceError;
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::ApiError;
use crate::i18n::Tr;
use crate::session::request_lang;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Jimoto API",
        version = "1",
        description = "Local telework platform. Authenticate with a personal access token \
                       (`Authorization: Bearer jmt_…`, made on the profile page or with \
                       `jimoto token create`); it acts with its owner's role. Errors are \
                       `{\"error\": {\"code\", \"message\", \"fields\"}}` with stable codes; \
                       messages follow `Accept-Language` (ja, en)."
    ),
    modifiers(&Security),
    security(("bearer" = []), ("session" = [])),
    tags(
        (name = "me", description = "The caller"),
        (name = "regions", description = "Municipalities running a program"),
        (name = "organisations", description = "Companies, municipalities, schools, coordinator bodies"),
        (name = "residents", description = "Resident teleworkers (personal data, region-scoped)"),
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

fn api_router() -> OpenApiRouter<AppState> {
    use handlers::*;
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(me))
        .routes(routes!(list_regions, create_region))
        .routes(routes!(get_region, update_region))
        .routes(routes!(list_organisations, create_organisation))
        .routes(routes!(get_organisation, update_organisation))
        .routes(routes!(list_residents, create_resident))
        .routes(routes!(get_resident, update_resident))
        .routes(routes!(list_audit))
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

async fn not_found(req: Request) -> ApiError {
    ApiError::from_service(
        Tr::new(request_lang(req.headers(), None)),
        ServiceError::NotFound,
    )
}

/// JSON body whose rejections (bad JSON, wrong types, missing fields, wrong content type)
/// become API errors in the caller's language, naming what serde could not read.
#[derive(Debug)]
pub(crate) struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let tr = Tr::new(request_lang(req.headers(), None));
        let too_large = |detail: &str| {
            let mut e = ApiError::bad_request(tr, "body_too_large", detail);
            e.status = axum::http::StatusCode::PAYLOAD_TOO_LARGE;
            e
        };
        let limit = state.settings.body_limit_bytes;
        let req = match crate::body::buffered(req, limit).await {
            Ok(req) => req,
            Err(crate::body::BodyError::TooLarge) => {
                return Err(too_large(&format!("> {limit} bytes")));
            }
            Err(crate::body::BodyError::Read) => {
                return Err(ApiError::bad_request(tr, "invalid_json", "unreadable body"));
            }
        };
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(JsonRejection::MissingJsonContentType(r)) => {
                Err(ApiError::bad_request(tr, "content_type", &r.body_text()))
            }
            Err(JsonRejection::BytesRejection(r)) => Err(too_large(&r.body_text())),
            Err(rejection) => Err(ApiError::bad_request(
                tr,
                "invalid_json",
                &rejection.body_text(),
            )),
        }
    }
}

/// Query string with the same treatment.
#[derive(Debug)]
pub(crate) struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let tr = Tr::new(request_lang(&parts.headers, None));
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Self(q.0))
            .map_err(|r: QueryRejection| ApiError::bad_request(tr, "invalid_query", &r.body_text()))
    }
}
