//! The user's own page: who they are, their language, their API tokens.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jimoto_services::ServiceError;
use jimoto_store::users::TokenRecord;

use super::{Base, FormErrors, csrf_rejection, render};
use crate::AppState;
use crate::error::PageError;
use crate::form::FormData;
use crate::session::Authed;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/me/password", post(change_password))
        .route("/me/tokens", post(create_token))
        .route("/me/tokens/{id}/revoke", post(revoke))
}

#[derive(Template)]
#[template(path = "me.html")]
struct MePage {
    base: Base,
    login: String,
    role: String,
    tokens: Vec<TokenRecord>,
    new_token: Option<String>,
    errors: FormErrors,
    password_errors: FormErrors,
    password_changed: bool,
}

async fn page(
    state: &AppState,
    ctx: &crate::session::Ctx,
    actor: &jimoto_domain::Actor,
    new_token: Option<String>,
    errors: FormErrors,
) -> Result<MePage, PageError> {
    let tokens = state
        .services
        .tokens(actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(MePage {
        base: Base::new(ctx, "me-title"),
        login: actor.login.clone(),
        role: ctx.tr.e("role", actor.principal.role().as_str()),
        tokens,
        new_token,
        errors,
        password_errors: FormErrors::default(),
        password_changed: false,
    })
}

async fn me(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
) -> Result<Response, PageError> {
    Ok(render(
        &page(&state, &ctx, &actor, None, FormErrors::default()).await?,
    ))
}

async fn create_token(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    form: FormData,
) -> Result<Response, PageError> {
    if let Some(r) = csrf_rejection(&ctx, &form) {
        return Ok(r);
    }
    match state.services.create_token(&actor, form.get("name")).await {
        // The secret is shown once, on this response only.
        Ok(token) => Ok(render(
            &page(&state, &ctx, &actor, Some(token), FormErrors::default()).await?,
        )),
        Err(ServiceError::Validation(v)) => {
            let p = page(&state, &ctx, &actor, None, FormErrors::from(ctx.tr, &v.0)).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&p)).into_response())
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

async fn revoke(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, PageError> {
    if let Some(r) = csrf_rejection(&ctx, &form) {
        return Ok(r);
    }
    state
        .services
        .revoke_token(&actor, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to("/me").into_response())
}

async fn change_password(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    form: FormData,
) -> Result<Response, PageError> {
    if let Some(r) = csrf_rejection(&ctx, &form) {
        return Ok(r);
    }
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
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&p)).into_response())
        }
        Err(e) => Err(ctx.fail(e)),
    }
}
