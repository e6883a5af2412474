//! One error path. Handlers return [`AppError`] (service errors convert with `?`); the error is
//! mapped to its HTTP status once, here, and translated and drawn once, by [`render_errors`]: a
//! page inside the frame for the browser, `{"error": {code, message, fields}}` for the API.
//! A 500 shows a generic message; the details go to the log only.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use jimoto_domain::{Actor, FieldError};
use jimoto_services::ServiceError;
use serde::Serialize;

use crate::i18n::Tr;
use crate::layout::{ErrorPage, Frame, render};
use crate::request::{request_lang, urlencode};

/// Why a request failed: a use case's refusal, or a request the web layer could not read.
#[derive(Debug, Clone)]
pub(crate) enum AppError {
    /// What the services said.
    Service(Arc<ServiceError>),
    /// A body or query that cannot be read; `detail` says what the parser saw.
    Unreadable {
        /// `invalid_json`, `invalid_query`, `invalid_form` or `content_type`.
        code: &'static str,
        /// The parser's words (API only; pages show only the translated message).
        detail: String,
    },
    /// A body over the size limit.
    TooLarge,
    /// A form or API call without the session's CSRF token.
    Csrf,
}

impl From<jimoto_domain::ValidationFailure> for AppError {
    fn from(v: jimoto_domain::ValidationFailure) -> Self {
        ServiceError::Validation(v).into()
    }
}

impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> Self {
        Self::Service(Arc::new(e))
    }
}

impl AppError {
    /// A failure of ours (logged, never shown).
    pub fn internal(detail: String) -> Self {
        ServiceError::Internal(detail).into()
    }

    /// The one mapping to HTTP statuses.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Service(e) => match e.as_ref() {
                ServiceError::Unauthenticated
                | ServiceError::InvalidCredentials
                | ServiceError::PasswordExpired => StatusCode::UNAUTHORIZED,
                ServiceError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
                ServiceError::Forbidden | ServiceError::PasswordChangeRequired => {
                    StatusCode::FORBIDDEN
                }
                ServiceError::NotFound => StatusCode::NOT_FOUND,
                ServiceError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
                ServiceError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
            Self::Unreadable { .. } => StatusCode::BAD_REQUEST,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Csrf => StatusCode::FORBIDDEN,
        }
    }

    /// The stable code: the JSON API's `code` and the message's translation key (`error-…`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Service(e) => e.code(),
            Self::Unreadable { code, .. } => code,
            Self::TooLarge => "body_too_large",
            Self::Csrf => "csrf",
        }
    }

    /// The message in the user's language (never internal details).
    pub fn message(&self, tr: Tr) -> String {
        match self {
            Self::Service(e) => match e.as_ref() {
                ServiceError::TooManyAttempts {
                    retry_after_minutes,
                } => tr.t1("error-too_many_attempts", "minutes", retry_after_minutes),
                other => tr.error(other.code()),
            },
            other => tr.error(other.code()),
        }
    }

    /// Field problems of a validation failure.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Self::Service(e) => match e.as_ref() {
                ServiceError::Validation(v) => &v.0,
                _ => &[],
            },
            _ => &[],
        }
    }

    fn log(&self) {
        if let Self::Service(e) = self
            && let ServiceError::Internal(detail) = e.as_ref()
        {
            tracing::error!(%detail, "internal error");
        }
    }
}

/// A response that still has to be drawn by [`render_errors`], which knows the language.
#[derive(Debug, Clone)]
struct Pending(AppError);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut res = self.status().into_response();
        if let Self::Service(e) = &self
            && let ServiceError::TooManyAttempts {
                retry_after_minutes,
            } = e.as_ref()
            && let Ok(v) = axum::http::HeaderValue::try_from((retry_after_minutes * 60).to_string())
        {
            res.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
        }
        res.extensions_mut().insert(Pending(self));
        res
    }
}

/// What the request's extractors learned about the caller, for drawing its error: the
/// language, the signed-in user and the form token. Filled by `Ctx` and `ApiActor`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Caller(Arc<Mutex<Option<Seen>>>);

#[derive(Debug, Clone)]
struct Seen {
    tr: Tr,
    actor: Option<Actor>,
    csrf: String,
}

impl Caller {
    /// Remembers who is asking (called by the extractors).
    pub fn saw(&self, tr: Tr, actor: Option<&Actor>, csrf: &str) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(Seen {
                tr,
                actor: actor.cloned(),
                csrf: csrf.to_owned(),
            });
        }
    }

    fn seen(&self) -> Option<Seen> {
        self.0.lock().ok().and_then(|s| s.clone())
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

/// Draws every error response in the caller's language: the JSON envelope under `/api/`, the
/// error page inside the frame elsewhere (or the login page for a missing session).
pub(crate) async fn render_errors(mut req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let path = req
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    let fallback = Tr::new(request_lang(req.headers(), None));
    let caller = Caller::default();
    req.extensions_mut().insert(caller.clone());
    let mut res = next.run(req).await;
    let Some(Pending(error)) = res.extensions_mut().remove::<Pending>() else {
        return res;
    };
    error.log();
    let seen = caller.seen();
    let tr = seen.as_ref().map_or(fallback, |s| s.tr);
    if api {
        let mut out = api_error(tr, &error);
        copy_headers(&res, &mut out);
        return out;
    }
    if matches!(&error, AppError::Service(e) if matches!(e.as_ref(), ServiceError::Unauthenticated))
    {
        return Redirect::to(&format!("/login?next={}", urlencode(&path))).into_response();
    }
    let (actor, csrf) = seen.map_or((None, String::new()), |s| (s.actor, s.csrf));
    let page = ErrorPage {
        frame: Frame::new(tr, actor.as_ref(), &csrf, &path, tr.t("error-title")),
        status: error.status().as_u16(),
        message: error.message(tr),
        fields: error.fields().iter().map(|f| tr.field_error(f)).collect(),
    };
    let mut out = (error.status(), render(&page)).into_response();
    copy_headers(&res, &mut out);
    out
}

/// The JSON error envelope.
fn api_error(tr: Tr, error: &AppError) -> Response {
    let mut message = error.message(tr);
    if let AppError::Unreadable { detail, .. } = error {
        message = format!("{message} ({detail})");
    }
    let body = ApiErrorEnvelope {
        error: ApiErrorBody {
            code: error.code().to_owned(),
            message,
            fields: error
                .fields()
                .iter()
                .map(|f| ApiFieldError {
                    field: f.field.clone(),
                    code: f.code.clone(),
                    message: tr.field_error(f),
                })
                .collect(),
        },
    };
    (error.status(), Json(body)).into_response()
}

/// Keeps what the handler set besides the error: cookies, and when to retry.
fn copy_headers(from: &Response, to: &mut Response) {
    for c in from.headers().get_all(header::SET_COOKIE) {
        to.headers_mut().append(header::SET_COOKIE, c.clone());
    }
    if let Some(v) = from.headers().get(header::RETRY_AFTER) {
        to.headers_mut().insert(header::RETRY_AFTER, v.clone());
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
