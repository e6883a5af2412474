//! Login, logout and the language switch.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use jimoto_domain::Lang;
use jimoto_services::ServiceError;
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::form::FormData;
use crate::layout::{Frame, render};
use crate::request::{CSRF_COOKIE, LANG_COOKIE, SESSION_COOKIE, safe_next, set_cookie};
use crate::session::Ctx;

pub(super) async fn root(ctx: Ctx) -> Redirect {
    Redirect::to(if ctx.actor.is_some() {
        "/home"
    } else {
        "/login"
    })
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    frame: Frame,
    login: String,
    next: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct NextParam {
    next: Option<String>,
}

pub(super) async fn login_page(ctx: Ctx, Query(q): Query<NextParam>) -> Response {
    if ctx.actor.is_some() {
        return Redirect::to("/home").into_response();
    }
    render(&LoginPage {
        frame: ctx.frame("login-title"),
        login: String::new(),
        next: safe_next(q.next.as_deref()),
        error: None,
    })
}

pub(super) async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let login = form.get("login").trim().to_owned();
    let next = safe_next(Some(form.get("next")));
    match state
        .services
        .login(&login, form.get("password"), &ctx.ip)
        .await
    {
        Ok(outcome) => {
            let ttl = state.settings.session_ttl_hours * 3600;
            let mut res = Redirect::to(&next).into_response();
            let h = res.headers_mut();
            h.append(
                header::SET_COOKIE,
                set_cookie(
                    SESSION_COOKIE,
                    &outcome.session_token,
                    Some(ttl),
                    ctx.secure,
                ),
            );
            h.append(
                header::SET_COOKIE,
                set_cookie(
                    LANG_COOKIE,
                    outcome.actor.lang.as_str(),
                    Some(365 * 86400),
                    ctx.secure,
                ),
            );
            Ok(res)
        }
        // Wrong credentials and locks are answered on the login form itself, keeping the login.
        Err(
            e @ (ServiceError::InvalidCredentials
            | ServiceError::PasswordExpired
            | ServiceError::TooManyAttempts { .. }),
        ) => {
            let error = AppError::from(e);
            let page = LoginPage {
                frame: ctx.frame("login-title"),
                login,
                next,
                error: Some(error.message(ctx.tr)),
            };
            let mut res = (error.status(), render(&page)).into_response();
            // A lock says when to come back (Retry-After), as the API does.
            if let Some(v) = error.into_response().headers().get(header::RETRY_AFTER) {
                res.headers_mut().insert(header::RETRY_AFTER, v.clone());
            }
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn logout(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    if let Some(token) = &ctx.session_token {
        state.services.logout(token).await?;
    }
    let mut res = Redirect::to("/login").into_response();
    let h = res.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", Some(0), ctx.secure),
    );
    // A new anonymous CSRF token after logout.
    h.append(
        header::SET_COOKIE,
        set_cookie(CSRF_COOKIE, "", Some(0), ctx.secure),
    );
    Ok(res)
}

pub(super) async fn switch_lang(
    State(state): State<AppState>,
    ctx: Ctx,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let lang = Lang::parse(form.get("lang")).unwrap_or_default();
    if let Some(actor) = &ctx.actor {
        state.services.set_language(actor, lang).await?;
    }
    let mut res = Redirect::to(&safe_next(Some(form.get("next")))).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, lang.as_str(), Some(365 * 86400), ctx.secure),
    );
    Ok(res)
}
