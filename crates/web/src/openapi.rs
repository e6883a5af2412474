//! The JSON API under `/api/v1`: every capability's routes, and the OpenAPI document generated
//! from their handlers (utoipa), served at `/api/v1/openapi.json`.

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use jimoto_domain::limits::{Limit, SCHEMA_LIMITS};
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
        (name = "programs", description = "Seminars, courses, workshops and tours, with their sessions"),
        (name = "growth", description = "Sign-ups, attendance, stages, the stalled list and the funnel: the growth path from interested to recurring paid work"),
        (name = "events", description = "Participants' voices, and the organisations, people and follow-up actions of company seminars and workation tours"),
        (name = "work", description = "Organisations' work: the regions they work with, task inventories with their assessment, postings, and the public job board"),
        (name = "kpis", description = "The KPI catalogue, a region's figures for a fiscal year or a project's months with the rows behind each, the regions of a prefecture side by side, plans (targets and published figures) reconciled with the records, and co-creation projects"),
        (name = "matching", description = "Recommendations with their reasons, a region's exactly optimal allocation of people to open places (with pins and forbidden pairs) and its acceptance, and the solver on a MATCH1 problem"),
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

/// Documents every status a route can give, in one place, from what its handler extracts: every
/// route may answer 401 (no valid token or session), 403 (not allowed, a session call without
/// its CSRF token, or a temporary password to change first) and 500; a route with query
/// parameters or a body 400 (unreadable); with a body 413 and 422; with an id in its path 404.
/// Responses a handler documents without words get the standard words for their status.
struct EveryStatus;

/// The standard words for a status.
fn status_words(status: &str) -> &'static str {
    match status {
        "200" => "Success",
        "201" => "Created",
        "204" => "Done; no content",
        "400" => {
            "The query, path or body could not be read (`invalid_query`, `invalid_json`, `content_type`)"
        }
        "401" => "No valid token or session (`unauthenticated`)",
        "403" => {
            "Not allowed (`forbidden`), a session call without its `X-CSRF-Token` (`csrf`), or a temporary password to change first (`password_change_required`)"
        }
        "404" => "No such record, or one outside the caller's region or organisation (`not_found`)",
        "413" => "The body is larger than the limit (`body_too_large`)",
        "422" => "Invalid input; `fields` names each field and its problem (`validation`)",
        "500" => "Something failed on the server (`internal`); details are logged, never sent",
        _ => "See the error code",
    }
}

impl Modify for EveryStatus {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
        let error_body = || {
            ResponseBuilder::new().content(
                "application/json",
                Content::new(Some(Ref::from_schema_name("ApiErrorEnvelope"))),
            )
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let has_id = path.contains('{');
            for op in [
                item.get.as_mut(),
                item.put.as_mut(),
                item.post.as_mut(),
                item.delete.as_mut(),
                item.patch.as_mut(),
            ]
            .into_iter()
            .flatten()
            {
                let has_body = op.request_body.is_some();
                let has_query = op.parameters.as_ref().is_some_and(|ps| {
                    ps.iter().any(|p| match p {
                        RefOr::T(p) => {
                            matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query)
                        }
                        RefOr::Ref(_) => true,
                    })
                });
                let mut statuses = vec!["401", "403", "500"];
                if has_body || has_query {
                    statuses.push("400");
                }
                if has_body {
                    statuses.extend(["413", "422"]);
                }
                if has_id {
                    statuses.push("404");
                }
                let responses = &mut op.responses.responses;
                for status in statuses {
                    responses.entry(status.to_owned()).or_insert_with(|| {
                        RefOr::T(error_body().description(status_words(status)).build())
                    });
                }
                for (status, response) in responses.iter_mut() {
                    if let RefOr::T(r) = response
                        && r.description.is_empty()
                    {
                        r.description = status_words(status).to_owned();
                    }
                }
            }
        }
    }
}

/// Gives the input schemas the limits their validation enforces ([`SCHEMA_LIMITS`]: the same
/// constants), so that a request fitting the schema is not refused for a length, a range or a
/// character the schema did not mention.
fn apply_limits(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::Number;
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{ArrayItems, Schema};
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    for limits in SCHEMA_LIMITS {
        let Some(RefOr::T(Schema::Object(schema))) = components.schemas.get_mut(limits.schema)
        else {
            continue;
        };
        for (field, limit) in limits.fields {
            let Some(RefOr::T(property)) = schema.properties.get_mut(*field) else {
                continue;
            };
            let int = |n: i64| Some(Number::Int(isize::try_from(n).unwrap_or(isize::MAX)));
            let size = |n: u64| Some(usize::try_from(n).unwrap_or(usize::MAX));
            match (property, limit) {
                (Schema::Object(o), Limit::Length { min, max }) => {
                    o.min_length = (*min > 0).then(|| size(*min)).flatten();
                    o.max_length = size(*max);
                }
                (Schema::Object(o), Limit::Range { min, max }) => {
                    o.minimum = int(*min);
                    o.maximum = int(*max);
                }
                (Schema::Object(o), Limit::Pattern(pattern)) => o.pattern = Some(pattern()),
                (Schema::Array(a), Limit::Items { max, item_max }) => {
                    a.max_items = size(*max);
                    if *item_max > 0
                        && let ArrayItems::RefOrSchema(item) = &mut a.items
                        && let RefOr::T(Schema::Object(o)) = item.as_mut()
                    {
                        o.max_length = size(*item_max);
                    }
                }
                _ => {}
            }
        }
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
        .merge(crate::programs::api_routes())
        .merge(crate::growth::api_routes())
        .merge(crate::events::api_routes())
        .merge(crate::work::api_routes())
        .merge(crate::kpis::api_routes())
}

pub(crate) fn routes() -> Router<AppState> {
    let (router, _) = api_router().split_for_parts();
    router
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/{*rest}", axum::routing::any(not_found))
}

/// The OpenAPI document as JSON, built once at start-up.
pub(crate) fn openapi_json() -> String {
    let mut doc = api_router().into_openapi();
    // After the routes are merged: the document's own modifiers run before there are paths.
    EveryStatus.modify(&mut doc);
    apply_limits(&mut doc);
    doc.to_pretty_json().unwrap_or_else(|_| "{}".into())
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
