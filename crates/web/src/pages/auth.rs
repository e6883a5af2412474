//! Login, logout and the language switch.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jimoto_domain::Lang;
use jimoto_services::ServiceError;
use serde::Deserialize;

use super::{Base, csrf_rejection, render};
use crate::AppState;
use crate::error::message_of;
use crate::form::FormData;
use crate::session::{CSRF_COOKIE, Ctx, LANG_COOKIE, SESSION_COOKIE, safe_next, set_cookie};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(root))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/lang", post(switch_lang))
}

async fn root(ctx: Ctx) -> Redirect {
    Redirect::to(if ctx.actor.is_some() {
        "/home"
    } else {
        "/login"
    })
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    base: Base,
    login: String,
    next: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct NextParam {
    next: Option<String>,
}

async fn login_page(ctx: Ctx, Query(q): Query<NextParam>) -> Response {
    if ctx.actor.is_some() {
        return Redirect::to("/home").into_response();
    }
    let page = LoginPage {
        base: Base::new(&ctx, "login-title"),
        login: String::new(),
        next: safe_next(q.next.as_deref()),
        error: None,
    };
    render(&page)
}

async fn login(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Response {
    if let Some(r) = csrf_rejection(&ctx, &form) {
        return r;
    }
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
            res
        }
        Err(e) => {
            let status = match e {
                ServiceError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
                ServiceError::InvalidCredentials => StatusCode::UNAUTHORIZED,
                _ => crate::error::status_of(&e),
            };
            let page = LoginPage {
                base: Base::new(&ctx, "login-title"),
                login,
                next,
                error: Some(message_of(ctx.tr, &e)),
            };
            (status, render(&page)).into_response()
        }
    }
}

async fn logout(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Response {
    if let Some(r) = csrf_rejection(&ctx, &form) {
        return r;
    }
    if let Some(token) = &ctx.session_token
        && let Err(e) = state.services.logout(token).await
    {
        return ctx.fail(e).into_response();
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
    res
}

async fn switch_lang(State(state): State<AppState>, ctx: Ctx, form: FormData) -> Response {
    if let Some(r) = csrf_rejection(&ctx, &form) {
        return r;
    }
    let lang = Lang::parse(form.get("lang")).unwrap_or_default();
    if let Some(actor) = &ctx.actor
        && let Err(e) = state.services.set_language(actor, lang).await
    {
        return ctx.fail(e).into_response();
    }
    let mut res = Redirect::to(&safe_next(Some(form.get("next")))).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, lang.as_str(), Some(365 * 86400), ctx.secure),
    );
    res
}
