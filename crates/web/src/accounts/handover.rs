//! Handing a login over: after a login is issued or a password reset, the login ID and the
//! temporary password are shown once, to be given to the person (in person, on paper).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use jimoto_domain::UserId;
use jimoto_services::{Handover, ServiceError};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::form::FormData;
use crate::layout::{ConfirmPage, Frame, render};
use crate::request::safe_next;
use crate::session::{Authed, Ctx};

#[derive(Template)]
#[template(path = "accounts/handover.html")]
struct HandoverPage {
    frame: Frame,
    h: Handover,
    back: String,
}

/// The page that shows a login ID and its temporary password, once.
pub(crate) fn handover_page(ctx: &Ctx, notice_key: &str, h: Handover, back: String) -> Response {
    let mut frame = ctx.frame("handover-title");
    frame.notice = Some(ctx.tr.t(notice_key));
    render(&HandoverPage { frame, h, back })
}

/// The end of a form that issues a login: the handover page, or the form again (422) with
/// every problem; any other refusal goes to the error page.
pub(crate) async fn issued<P, Fut>(
    ctx: &Ctx,
    result: Result<Handover, ServiceError>,
    back: String,
    form_again: P,
) -> Result<Response, AppError>
where
    P: FnOnce(crate::layout::FormErrors) -> Fut,
    Fut: std::future::Future<Output = Result<Response, AppError>>,
{
    use axum::response::IntoResponse;
    match result {
        Ok(h) => Ok(handover_page(ctx, "notice-login-issued", h, back)),
        Err(ServiceError::Validation(v)) => {
            let page = form_again(crate::layout::FormErrors::from(ctx.tr, &v.0)).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct BackQuery {
    back: Option<String>,
}

/// Asks before resetting: the person's current password stops working.
pub(super) async fn confirm_reset(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    Query(q): Query<BackQuery>,
) -> Result<Response, AppError> {
    let login = state
        .services
        .resettable_login(&actor, UserId(id))
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(render(&ConfirmPage {
        frame: ctx.frame("reset-title"),
        question: ctx.tr.t1("reset-question", "login", &login),
        detail: ctx.tr.t("reset-detail"),
        action: format!("/accounts/{id}/reset"),
        submit: ctx.tr.t("reset-submit"),
        back: safe_next(q.back.as_deref()),
    }))
}

/// Resets the password and shows what to hand over.
pub(super) async fn reset(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let h = state.services.reset_password(&actor, UserId(id)).await?;
    Ok(handover_page(
        &ctx,
        "notice-password-reset",
        h,
        safe_next(Some(form.get("back"))),
    ))
}
