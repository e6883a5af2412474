//! Cookies, the request context of pages ([`Ctx`]), CSRF checks and the API's authentication.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine as _;
use jimoto_domain::{Actor, Lang};
use jimoto_services::ServiceError;

use crate::AppState;
use crate::error::{ApiError, PageError};
use crate::i18n::Tr;

pub(crate) const SESSION_COOKIE: &str = "jimoto_session";
pub(crate) const CSRF_COOKIE: &str = "jimoto_csrf";
pub(crate) const LANG_COOKIE: &str = "jimoto_lang";

/// The value of a request cookie.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure when configured.
pub(crate) fn set_cookie(
    name: &str,
    value: &str,
    max_age_secs: Option<u64>,
    secure: bool,
) -> HeaderValue {
    let mut s = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age_secs {
        s.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn random_token() -> String {
    let mut b = [0u8; 32];
    if getrandom::fill(&mut b).is_err() {
        tracing::error!("no randomness for a CSRF token");
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// Comparison whose time does not depend on where the strings differ.
pub(crate) fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The anonymous CSRF token (double-submit cookie) for forms shown before login.
#[derive(Debug, Clone)]
pub(crate) struct PreSessionCsrf(pub String);

/// Makes sure every visitor has an anonymous CSRF cookie, so that the login and language
/// forms are protected too.
pub(crate) async fn ensure_csrf_cookie(mut req: Request, next: Next) -> Response {
    let existing = cookie(req.headers(), CSRF_COOKIE)
        .filter(|v| v.len() >= 32)
        .map(str::to_owned);
    let (token, fresh) = match existing {
        Some(t) => (t, false),
        None => (random_token(), true),
    };
    req.extensions_mut().insert(PreSessionCsrf(token.clone()));
    let secure = req.extensions().get::<SecureCookies>().is_some_and(|s| s.0);
    let mut res = next.run(req).await;
    if fresh {
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(CSRF_COOKIE, &token, None, secure),
        );
    }
    res
}

/// Whether cookies get `Secure`, put into request extensions by the router.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SecureCookies(pub bool);

/// The language for a request: the user's saved choice, else the language cookie, else
/// `Accept-Language`, else Japanese.
pub(crate) fn request_lang(headers: &HeaderMap, actor: Option<&Actor>) -> Lang {
    if let Some(a) = actor {
        return a.lang;
    }
    if let Some(l) = cookie(headers, LANG_COOKIE).and_then(Lang::parse) {
        return l;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .find_map(|part| Lang::parse(part.split(';').next().unwrap_or("")))
        })
        .unwrap_or_default()
}

/// The client's address, for login throttling.
pub(crate) fn client_ip(parts: &Parts, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for
        && let Some(ip) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|s| !s.is_empty())
    {
        return ip.to_owned();
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

/// What every page handler knows about its request.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    /// Translator in the request's language.
    pub tr: Tr,
    /// The signed-in user, if any.
    pub actor: Option<Actor>,
    /// The token forms must carry: the session's, or the anonymous cookie's before login.
    pub csrf: String,
    /// Path and query, for the language switch to come back to.
    pub path: String,
    /// The session cookie value, when signed in (for logout).
    pub session_token: Option<String>,
    /// Client address.
    pub ip: String,
    /// Cookies get `Secure`.
    pub secure: bool,
}

impl Ctx {
    /// Wraps a service error for this page.
    pub fn fail(&self, error: ServiceError) -> PageError {
        PageError { tr: self.tr, error }
    }

    /// Checks a submitted form token against this request's.
    pub fn csrf_ok(&self, submitted: &str) -> bool {
        !self.csrf.is_empty() && constant_time_eq(&self.csrf, submitted)
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = cookie(&parts.headers, SESSION_COOKIE).map(str::to_owned);
        let session = match &token {
            Some(t) => match state.services.session(t).await {
                Ok(s) => Some(s),
                Err(ServiceError::Unauthenticated) => None,
                Err(e) => {
                    let tr = Tr::new(request_lang(&parts.headers, None));
                    return Err(PageError { tr, error: e }.into_response());
                }
            },
            None => None,
        };
        let actor = session.as_ref().map(|s| s.actor.clone());
        let tr = Tr::new(request_lang(&parts.headers, actor.as_ref()));
        let csrf = match &session {
            Some(s) => s.csrf_token.clone(),
            None => parts
                .extensions
                .get::<PreSessionCsrf>()
                .map(|c| c.0.clone())
                .unwrap_or_default(),
        };
        let path = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        Ok(Ctx {
            tr,
            actor,
            csrf,
            path,
            session_token: session.is_some().then_some(token).flatten(),
            ip: client_ip(parts, state.settings.trust_forwarded_for),
            secure: state.settings.secure_cookies,
        })
    }
}

/// A page that needs a signed-in user: anonymous visitors are sent to the login page.
#[derive(Debug, Clone)]
pub(crate) struct Authed(pub Ctx, pub Actor);

impl FromRequestParts<AppState> for Authed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match ctx.actor.clone() {
            Some(a) => Ok(Authed(ctx, a)),
            None => {
                let next = urlencode(&ctx.path);
                Err(Redirect::to(&format!("/login?next={next}")).into_response())
            }
        }
    }
}

/// Percent-encodes a path for a query parameter.
pub(crate) fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)])
        .map(|e| e[2..].to_owned())
        .unwrap_or_default()
}

/// Only local paths are followed after login or a language switch (no open redirects).
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/home".to_owned(),
    }
}

/// The caller of the JSON API: a personal access token (`Authorization: Bearer jmt_…`) or a
/// browser session. With a session, changes need the session's token in `X-CSRF-Token`.
#[derive(Debug, Clone)]
pub(crate) struct ApiActor {
    pub actor: Actor,
    pub tr: Tr,
}

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let anon_tr = Tr::new(request_lang(&parts.headers, None));
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let actor = if let Some(token) = bearer {
            state
                .services
                .actor_for_token(token)
                .await
                .map_err(|e| ApiError::from_service(anon_tr, e))?
        } else if let Some(cookie_token) = cookie(&parts.headers, SESSION_COOKIE) {
            let s = state
                .services
                .session(cookie_token)
                .await
                .map_err(|e| ApiError::from_service(anon_tr, e))?;
            let unsafe_method =
                !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if unsafe_method && !constant_time_eq(sent, &s.csrf_token) {
                let tr = Tr::new(s.actor.lang);
                return Err(ApiError::bad_request(tr, "csrf", "X-CSRF-Token"));
            }
            s.actor
        } else {
            return Err(ApiError::from_service(
                anon_tr,
                ServiceError::Unauthenticated,
            ));
        };
        // An explicit Accept-Language wins over the saved preference for API clients.
        let lang = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| Lang::parse(v.split(',').next().unwrap_or("")))
            .unwrap_or(actor.lang);
        Ok(ApiActor {
            actor,
            tr: Tr::new(lang),
        })
    }
}
