//! What every JSON API handler shares: the body and query extractors whose rejections are API
//! errors, the page type, path ids. The document and the routes are put together in
//! `openapi.rs`, from each capability's `api.rs`.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use jimoto_domain::{Page, PageRequest};
use jimoto_services::ServiceError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::AppError;

/// Ids in paths that are not numbers name nothing: 404, like an id that does not exist.
pub(crate) fn path_id(raw: &str) -> Result<i64, AppError> {
    raw.parse()
        .map_err(|_| AppError::from(ServiceError::NotFound))
}

/// A list position and page size from query parameters; an unreadable position is a bad query.
pub(crate) fn page_request(
    after: Option<&str>,
    before: Option<&str>,
    limit: Option<i64>,
) -> Result<PageRequest, AppError> {
    PageRequest::parse(after, before, limit).map_err(|e| AppError::Unreadable {
        code: "invalid_query",
        detail: e.to_string(),
    })
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ApiPage<T> {
    /// The rows.
    items: Vec<T>,
    /// Rows matching the filter, counted up to 1,000.
    total: i64,
    /// False when there are more than `total`.
    total_exact: bool,
    /// Pass as `after` for the next page (absent on the last).
    next: Option<String>,
    /// Pass as `before` for the previous page (absent on the first).
    prev: Option<String>,
}

impl<T> From<Page<T>> for ApiPage<T> {
    fn from(p: Page<T>) -> Self {
        Self {
            items: p.items,
            total: p.total.count(),
            total_exact: p.total.is_exact(),
            next: p.next.map(|c| c.encode()),
            prev: p.prev.map(|c| c.encode()),
        }
    }
}

/// JSON body whose rejections (bad JSON, wrong types, missing fields, wrong content type)
/// become API errors in the caller's language, naming what serde could not read.
#[derive(Debug)]
pub(crate) struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let limit = state.settings.body_limit_bytes;
        let req = match crate::body::buffered(req, limit).await {
            Ok(req) => req,
            Err(crate::body::BodyError::TooLarge) => return Err(AppError::TooLarge),
            Err(crate::body::BodyError::Read) => {
                return Err(AppError::Unreadable {
                    code: "invalid_json",
                    detail: "unreadable body".into(),
                });
            }
        };
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(JsonRejection::MissingJsonContentType(r)) => Err(AppError::Unreadable {
                code: "content_type",
                detail: r.body_text(),
            }),
            Err(JsonRejection::BytesRejection(_)) => Err(AppError::TooLarge),
            Err(rejection) => Err(AppError::Unreadable {
                code: "invalid_json",
                detail: rejection.body_text(),
            }),
        }
    }
}

/// Query string with the same treatment.
#[derive(Debug)]
pub(crate) struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Self(q.0))
            .map_err(|r: QueryRejection| AppError::Unreadable {
                code: "invalid_query",
                detail: r.body_text(),
            })
    }
}
