//! The user's own page: who they are, their language, their password, their API tokens; and
//! the page where someone with a temporary password chooses their own.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jimoto_domain::user::{ApiToken, MIN_PASSWORD_CHARS};
use jimoto_domain::{AccountAction, Actor, TokenId};
use jimoto_services::ServiceError;

use crate::AppState;
use crate::error::AppError;
use crate::form::FormData;
use crate::layout::{ConfirmPage, FormErrors, Frame, render};
use crate::session::{Authed, Ctx};

#[derive(Template)]
#[template(path = "me/me.html")]
struct MePage {
    frame: Frame,
    login: String,
    role: String,
    /// None for those who do not use the API (residents).
    tokens: Option<Vec<ApiToken>>,
    new_token: Option<String>,
    errors: FormErrors,
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    new_token: Option<String>,
    errors: FormErrors,
) -> Result<MePage, AppError> {
    let tokens = if actor.may(AccountAction::UseTokens) {
        Some(state.services.tokens(actor).await?)
    } else {
        None
    };
    Ok(MePage {
        frame: ctx.frame("me-title"),
        login: actor.login.clone(),
        role: ctx.tr.e("role", actor.principal.role().as_str()),
        tokens,
        new_token,
        errors,
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
        Ok(token) => {
            let mut p = page(&state, &ctx, &actor, Some(token), FormErrors::default()).await?;
            p.frame.notice = Some(ctx.tr.t("notice-created"));
            Ok(render(&p))
        }
        Err(ServiceError::Validation(v)) => {
            let p = page(&state, &ctx, &actor, None, FormErrors::from(ctx.tr, &v.0)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Asks before revoking: programs using the token stop working.
pub(super) async fn confirm_revoke(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let token = state
        .services
        .tokens(&actor)
        .await?
        .into_iter()
        .find(|t| t.id == TokenId(id))
        .ok_or(ServiceError::NotFound)?;
    Ok(render(&ConfirmPage {
        frame: ctx.frame("tokens-revoke-title"),
        question: ctx.tr.t1("tokens-revoke-question", "name", &token.name),
        detail: ctx.tr.t("tokens-revoke-detail"),
        action: format!("/me/tokens/{id}/revoke"),
        submit: ctx.tr.t("tokens-revoke"),
        back: "/me".to_owned(),
    }))
}

pub(super) async fn revoke(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    state.services.revoke_token(&actor, TokenId(id)).await?;
    ctx.done(&state, "/me", "notice-revoked").await
}

#[derive(Template)]
#[template(path = "me/password.html")]
struct PasswordPage {
    frame: Frame,
    /// A temporary password is being replaced: the current one is not asked again.
    forced: bool,
    min: usize,
    errors: FormErrors,
}

fn password_page(ctx: &Ctx, errors: FormErrors) -> PasswordPage {
    let forced = ctx.must_change_password;
    PasswordPage {
        frame: ctx.frame(if forced {
            "password-choose-title"
        } else {
            "password-title"
        }),
        forced,
        min: MIN_PASSWORD_CHARS,
        errors,
    }
}

pub(super) async fn password_form(Authed(ctx, _): Authed) -> Response {
    render(&password_page(&ctx, FormErrors::default()))
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
    match result {
        Ok(()) => {
            let to = if ctx.must_change_password {
                "/home"
            } else {
                "/me"
            };
            ctx.done(&state, to, "notice-password-changed").await
        }
        Err(ServiceError::Validation(v)) => {
            let p = password_page(&ctx, FormErrors::from(ctx.tr, &v.0));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
