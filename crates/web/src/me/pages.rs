//! The user's own page: who they are, their language, their password, their API tokens.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jimoto_domain::user::ApiToken;
use jimoto_domain::{Actor, TokenId};
use jimoto_services::ServiceError;

use crate::AppState;
use crate::error::AppError;
use crate::form::FormData;
use crate::layout::{FormErrors, Frame, render};
use crate::session::{Authed, Ctx};

#[derive(Template)]
#[template(path = "me/me.html")]
struct MePage {
    frame: Frame,
    login: String,
    role: String,
    tokens: Vec<ApiToken>,
    new_token: Option<String>,
    errors: FormErrors,
    password_errors: FormErrors,
    password_changed: bool,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    new_token: Option<String>,
    errors: FormErrors,
) -> Result<MePage, AppError> {
    let tokens = state.services.tokens(actor).await?;
    Ok(MePage {
        frame: ctx.frame("me-title"),
        login: actor.login.clone(),
        role: ctx.tr.e("role", actor.principal.role().as_str()),
        tokens,
        new_token,
        errors,
        password_errors: FormErrors::default(),
        password_changed: false,
    })
}

pub(super) async fn me(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
) -> Result<Response, AppError> {
    Ok(render(
        &page(&state, &ctx, &actor, None, FormErrors::default()).await?,
    ))
}

pub(super) async fn create_token(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    match state.services.create_token(&actor, form.get("name")).await {
        // The secret is shown once, on this response only.
        Ok(token) => Ok(render(
            &page(&state, &ctx, &actor, Some(token), FormErrors::default()).await?,
        )),
        Err(ServiceError::Validation(v)) => {
            let p = page(&state, &ctx, &actor, None, FormErrors::from(ctx.tr, &v.0)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn revoke(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    state.services.revoke_token(&actor, TokenId(id)).await?;
    Ok(Redirect::to("/me").into_response())
}

pub(super) async fn change_password(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let result = state
        .services
        .change_password(
            &actor,
            ctx.session_token.as_deref(),
            form.get("current_password"),
            form.get("new_password"),
            form.get("new_password_confirm"),
        )
        .await;
    let mut p = page(&state, &ctx, &actor, None, FormErrors::default()).await?;
    match result {
        Ok(()) => {
            p.password_changed = true;
            Ok(render(&p))
        }
        Err(ServiceError::Validation(v)) => {
            p.password_errors = FormErrors::from(ctx.tr, &v.0);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
