//! Errors are mapped to HTTP once, here: a stable code, a status, a translated message.
//! A 500 shows a generic message; the details go to the log only.

use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use jimoto_domain::FieldError;
use jimoto_services::ServiceError;
use serde::Serialize;

use crate::i18n::Tr;

/// The one mapping from service errors to HTTP statuses.
pub(crate) fn status_of(e: &ServiceError) -> StatusCode {
    match e {
        ServiceError::Unauthenticated | ServiceError::InvalidCredentials => {
            StatusCode::UNAUTHORIZED
        }
        ServiceError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        ServiceError::Forbidden => StatusCode::FORBIDDEN,
        ServiceError::NotFound => StatusCode::NOT_FOUND,
        ServiceError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        ServiceError::Conflict(_) => StatusCode::CONFLICT,
        ServiceError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The translated message of an error (never internal details).
pub(crate) fn message_of(tr: Tr, e: &ServiceError) -> String {
    match e {
        ServiceError::TooManyAttempts {
            retry_after_minutes,
        } => tr.ta(
            "error-too_many_attempts",
            &[("minutes", retry_after_minutes.to_string())],
        ),
        other => tr.error(other.code()),
    }
}

/// An error on an HTML page.
#[derive(Debug)]
pub(crate) struct PageError {
    pub tr: Tr,
    pub error: ServiceError,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if matches!(self.error, ServiceError::Unauthenticated) {
            return Redirect::to("/login").into_response();
        }
        if let ServiceError::Internal(detail) = &self.error {
            tracing::error!(%detail, "internal error on page");
        }
        let status = status_of(&self.error);
        let page = crate::pages::ErrorPage::new(self.tr, status, message_of(self.tr, &self.error));
        (status, crate::pages::render(&page)).into_response()
    }
}

/// One field's problem in the JSON API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ApiFieldError {
    /// Field path, e.g. `skills[0].level`.
    pub field: String,
    /// Stable code, e.g. `too_long`.
    pub code: String,
    /// Translated message.
    pub message: String,
}

/// The body of every API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ApiErrorBody {
    /// Stable code: `not_found`, `validation`, `forbidden`, `unauthenticated`, `invalid_json`, …
    pub code: String,
    /// Translated message (Accept-Language or the user's language).
    pub message: String,
    /// Field problems, for `validation`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<ApiFieldError>,
}

/// Wrapper so the body is `{"error": {...}}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ApiErrorEnvelope {
    /// The error.
    pub error: ApiErrorBody,
}

/// An error in the JSON API.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub tr: Tr,
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl ApiError {
    pub fn from_service(tr: Tr, e: ServiceError) -> Self {
        if let ServiceError::Internal(detail) = &e {
            tracing::error!(%detail, "internal error in API");
        }
        let fields = match &e {
            ServiceError::Validation(v) => v.0.clone(),
            _ => vec![],
        };
        Self {
            tr,
            status: status_of(&e),
            code: e.code().to_owned(),
            message: message_of(tr, &e),
            fields,
        }
    }

    /// A request the API could not read (bad JSON, wrong types, missing fields).
    pub fn bad_request(tr: Tr, code: &str, detail: &str) -> Self {
        Self {
            tr,
            status: StatusCode::BAD_REQUEST,
            code: code.to_owned(),
            message: format!("{} ({detail})", tr.error(code)),
            fields: vec![],
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let fields = self
            .fields
            .iter()
            .map(|f| ApiFieldError {
                field: f.field.clone(),
                code: f.code.clone(),
                message: self.tr.field_error(f),
            })
            .collect();
        let body = ApiErrorEnvelope {
            error: ApiErrorBody {
                code: self.code,
                message: self.message,
                fields,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

/// Headers on every response: no sniffing, no framing, a strict content policy (the pages
/// need no scripts), and no caching of pages that may hold personal data.
pub(crate) async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
