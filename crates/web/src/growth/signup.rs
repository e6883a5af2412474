//! The public sign-up: a program's page anyone can open on a phone, a short form, a page to
//! check what was typed, and a confirmation naming the person's place or their turn on the
//! waiting list. Nothing on these pages tells anything about other sign-ups.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use jimoto_domain::growth::{CONSENT_VERSION, Channel, SignUpInput, SignUpReceipt};
use jimoto_domain::{FieldError, ProgramId};
use jimoto_services::{PublicProgram, ServiceError};

use crate::AppState;
use crate::error::AppError;
use crate::form::FormData;
use crate::layout::{FormErrors, Frame, render};
use crate::session::Ctx;

/// A sign-up as typed.
#[derive(Debug, Clone, Default)]
pub(crate) struct SignUpValues {
    pub name: String,
    pub name_kana: String,
    pub phone: String,
    pub email: String,
    pub channel: String,
    pub consent: bool,
}

impl SignUpValues {
    pub fn read(form: &FormData) -> Self {
        Self {
            name: form.get("name").into(),
            name_kana: form.get("name_kana").into(),
            phone: form.get("phone").into(),
            email: form.get("email").into(),
            channel: form.get("channel").into(),
            consent: form.get("consent") == "1",
        }
    }

    /// The input, or every problem at once (an unknown channel among them).
    pub fn parse(&self, services: &jimoto_services::Services) -> Result<SignUpInput, ServiceError> {
        let channel = Channel::parse(&self.channel);
        let input = SignUpInput {
            name: self.name.clone(),
            name_kana: self.name_kana.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            channel: channel.unwrap_or(Channel::Other),
            consent: self.consent,
        };
        match (services.check_sign_up(input), channel) {
            (Ok(i), Some(_)) => Ok(i),
            (Ok(_), None) => {
                Err(jimoto_domain::ValidationFailure::single("channel", "required").into())
            }
            (Err(ServiceError::Validation(mut v)), None) => {
                v.0.push(FieldError::new("channel", "required"));
                Err(ServiceError::Validation(v))
            }
            (Err(e), _) => Err(e),
        }
    }
}

#[derive(Template)]
#[template(path = "growth/join.html")]
struct JoinPage {
    frame: Frame,
    public: PublicProgram,
    values: SignUpValues,
    errors: FormErrors,
    channels: &'static [Channel],
    consent_version: &'static str,
    /// The checking step: what was typed, to send or to correct.
    checking: bool,
}

impl JoinPage {
    fn channel_label(&self) -> String {
        Channel::parse(&self.values.channel)
            .map(|c| self.frame.tr.e("channel", c.as_str()))
            .unwrap_or_default()
    }
}

async fn join_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    values: SignUpValues,
    errors: FormErrors,
    checking: bool,
) -> Result<Response, AppError> {
    let public = state.services.public_program(ProgramId(id)).await?;
    Ok(render(&JoinPage {
        frame: ctx.frame_titled(public.program.title.clone()),
        public,
        values,
        errors,
        channels: &Channel::ALL[..Channel::ALL.len() - 1],
        consent_version: CONSENT_VERSION,
        checking,
    }))
}

/// The public page of a program with its sign-up form.
pub(super) async fn join(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    join_page(
        &state,
        &ctx,
        id,
        SignUpValues::default(),
        FormErrors::default(),
        false,
    )
    .await
}

/// The form's two steps: `check` shows what was typed; `send` signs up; `edit` goes back.
pub(super) async fn join_post(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let values = SignUpValues::read(&form);
    let step = form.get("step");
    if step == "edit" {
        return join_page(&state, &ctx, id, values, FormErrors::default(), false).await;
    }
    let input = match values.parse(&state.services) {
        Ok(i) => i,
        Err(ServiceError::Validation(v)) => {
            let errors = FormErrors::from(ctx.tr, &v.0);
            return join_page(&state, &ctx, id, values, errors, false).await;
        }
        Err(e) => return Err(e.into()),
    };
    if step != "send" {
        return join_page(&state, &ctx, id, values, FormErrors::default(), true).await;
    }
    match state.services.sign_up(ProgramId(id), input, &ctx.ip).await {
        Ok(receipt) => {
            let token = state.services.receipt_token(&receipt).await?;
            Ok(Redirect::to(&format!("/join/{id}/done/{token}")).into_response())
        }
        Err(ServiceError::Validation(v)) => {
            let errors = FormErrors::from(ctx.tr, &v.0);
            join_page(&state, &ctx, id, values, errors, false).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "growth/joined.html")]
struct JoinedPage {
    frame: Frame,
    public: PublicProgram,
    receipt: SignUpReceipt,
}

/// The confirmation of one sign-up, named by its signed receipt.
pub(super) async fn joined(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, token)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let receipt = state.services.receipt(ProgramId(id), &token).await?;
    let public = state.services.public_program(ProgramId(id)).await?;
    Ok(render(&JoinedPage {
        frame: ctx.frame("join-done-title"),
        public,
        receipt,
    }))
}
