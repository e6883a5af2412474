//! Who is asking: the request context of pages ([`Ctx`], [`Authed`]), CSRF checks, and the
//! JSON API's caller ([`ApiActor`]). Each extractor tells the error renderer who it found, so
//! that an error is drawn in the caller's language and frame.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use jimoto_domain::{Actor, Lang};
use jimoto_services::ServiceError;

use crate::AppState;
use crate::error::{AppError, Caller};
use crate::form::FormData;
use crate::i18n::Tr;
use crate::layout::Frame;
use crate::request::{
    CSRF_COOKIE, SESSION_COOKIE, accept_language, client_ip, cookie, request_lang, set_cookie,
    urlencode,
};

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
/// forms are protected too. Only tokens the server signed are kept: a value planted in the
/// visitor's cookies by someone else is replaced, so a form forged with it fails.
pub(crate) async fn ensure_csrf_cookie(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let existing = match cookie(req.headers(), CSRF_COOKIE) {
        Some(t) if state.services.anonymous_form_token_valid(t).await => Some(t.to_owned()),
        _ => None,
    };
    let (token, fresh) = match existing {
        Some(t) => (t, false),
        None => match state.services.anonymous_form_token().await {
            Ok(t) => (t, true),
            Err(e) => {
                tracing::error!(error = %e, "no anonymous form token");
                (String::new(), false)
            }
        },
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
    /// The notice left by the previous request ("保存しました"), shown at the top of this page.
    pub notice: Option<String>,
    /// The password was set by someone else and must be changed first.
    pub must_change_password: bool,
}

impl Ctx {
    /// The signed-in user, for page builders that serve both a page and its form's errors
    /// (the extractor [`Authed`] does the same for handlers).
    pub fn signed_in(&self) -> Result<&Actor, AppError> {
        self.actor
            .as_ref()
            .ok_or_else(|| ServiceError::Unauthenticated.into())
    }

    /// The frame of a page titled by the message `title_key`.
    pub fn frame(&self, title_key: &str) -> Frame {
        self.frame_titled(self.tr.t(title_key))
    }

    /// The frame of a page with this title (a record's name).
    pub fn frame_titled(&self, title: String) -> Frame {
        let mut f = Frame::new(self.tr, self.actor.as_ref(), &self.csrf, &self.path, title);
        f.notice = self.notice.clone();
        f
    }

    /// After a save: leaves the notice `key` (e.g. `notice-saved`) for the next page and sends
    /// the browser there (post/redirect/get), so the confirmation survives the redirect.
    pub async fn done(&self, state: &AppState, to: &str, key: &str) -> Result<Response, AppError> {
        if let Some(token) = &self.session_token {
            state.services.set_flash(token, key).await?;
        }
        Ok(Redirect::to(to).into_response())
    }

    /// Checks a posted form's CSRF token: a forged or missing token changes nothing.
    pub fn check_csrf(&self, form: &FormData) -> Result<(), AppError> {
        if !self.csrf.is_empty() && constant_time_eq(&self.csrf, form.get("csrf")) {
            Ok(())
        } else {
            tracing::warn!(path = %self.path, "CSRF token mismatch");
            Err(AppError::Csrf)
        }
    }
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = cookie(&parts.headers, SESSION_COOKIE).map(str::to_owned);
        let session = match &token {
            Some(t) => match state.services.session(t).await {
                Ok(s) => Some(s),
                Err(ServiceError::Unauthenticated) => None,
                Err(e) => return Err(e.into()),
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
        if let Some(caller) = parts.extensions.get::<Caller>() {
            caller.saw(tr, actor.as_ref(), &csrf);
        }
        let path = parts
            .uri
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        // Only notices this code leaves are shown, by their translation.
        let notice = session
            .as_ref()
            .and_then(|s| s.flash.as_deref())
            .filter(|k| k.starts_with("notice-"))
            .map(|k| tr.t(k));
        Ok(Ctx {
            tr,
            must_change_password: session.as_ref().is_some_and(|s| s.must_change_password),
            actor,
            csrf,
            path,
            session_token: session.is_some().then_some(token).flatten(),
            ip: client_ip(parts, state.settings.trust_forwarded_for),
            secure: state.settings.secure_cookies,
            notice,
        })
    }
}

/// Where someone who must change their password may go: the change form (first), and out.
const PASSWORD_CHANGE_PATHS: [&str; 2] = ["/me/password", "/logout"];

/// A page that needs a signed-in user: anonymous visitors are sent to the login page, and
/// someone with a temporary password to the form that replaces it.
#[derive(Debug, Clone)]
pub(crate) struct Authed(pub Ctx, pub Actor);

impl FromRequestParts<AppState> for Authed {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match ctx.actor.clone() {
            // Someone with a temporary password chooses their own before anything else.
            Some(_)
                if ctx.must_change_password
                    && !PASSWORD_CHANGE_PATHS.contains(&parts.uri.path()) =>
            {
                Err(Redirect::to(PASSWORD_CHANGE_PATHS[0]).into_response())
            }
            Some(a) => Ok(Authed(ctx, a)),
            None => {
                let next = urlencode(&ctx.path);
                Err(Redirect::to(&format!("/login?next={next}")).into_response())
            }
        }
    }
}

/// The caller of the JSON API: a personal access token (`Authorization: Bearer jmt_…`) or a
/// browser session. With a session, changes need the session's token in `X-CSRF-Token`.
#[derive(Debug, Clone)]
pub(crate) struct ApiActor {
    pub actor: Actor,
}

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let (actor, csrf) = if let Some(token) = bearer {
            (state.services.actor_for_token(token).await?, None)
        } else if let Some(cookie_token) = cookie(&parts.headers, SESSION_COOKIE) {
            let s = state.services.session(cookie_token).await?;
            if s.must_change_password {
                return Err(ServiceError::PasswordChangeRequired.into());
            }
            (s.actor, Some(s.csrf_token))
        } else {
            return Err(ServiceError::Unauthenticated.into());
        };
        // An explicit Accept-Language wins over the saved preference for API clients.
        let lang: Lang = accept_language(&parts.headers).unwrap_or(actor.lang);
        if let Some(caller) = parts.extensions.get::<Caller>() {
            caller.saw(Tr::new(lang), Some(&actor), "");
        }
        if let Some(expected) = csrf {
            let unsafe_method =
                !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if unsafe_method && !constant_time_eq(sent, &expected) {
                return Err(AppError::Csrf);
            }
        }
        Ok(ApiActor { actor })
    }
}

/// A caller of a public API route: anonymous when no token or session is sent (a token that is
/// sent must be valid).
#[derive(Debug, Clone)]
pub(crate) struct MaybeApiActor(pub Option<Actor>);

impl FromRequestParts<AppState> for MaybeApiActor {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let sent = parts.headers.contains_key(header::AUTHORIZATION)
            || cookie(&parts.headers, SESSION_COOKIE).is_some();
        if !sent {
            return Ok(Self(None));
        }
        Ok(Self(Some(
            ApiActor::from_request_parts(parts, state).await?.actor,
        )))
    }
}
