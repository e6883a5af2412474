//! Importing a program's participant list: the upload form (with templates whose columns are
//! the program's sessions), the preview (who is new, who is known, every bad row with its
//! reasons) and applying it whole; the same through the API as one raw upload.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jimoto_domain::program::Session;
use jimoto_domain::roster::{ImportPreview, PreviewRow};
use jimoto_domain::{FieldError, ProgramId};
use jimoto_services::ProgramView;

use crate::AppState;
use crate::download::{TableFormat, table_response};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{FormErrors, Frame, render};
use crate::session::{Authed, Ctx};
use crate::upload::Upload;

/// Rows of each kind shown on the preview page (all are counted; every bad row is shown).
const SHOWN: usize = 200;

#[derive(Template)]
#[template(path = "growth/import.html")]
struct ImportPage {
    frame: Frame,
    view: ProgramView,
    errors: FormErrors,
    limit_mb: usize,
}

#[derive(Template)]
#[template(path = "growth/import_preview.html")]
struct PreviewPage {
    frame: Frame,
    view: ProgramView,
    preview: ImportPreview,
    problems: Vec<String>,
    bad: Vec<(usize, Vec<String>)>,
    shown: usize,
}

impl PreviewPage {
    /// The two lists of good rows with their headings.
    fn lists(&self) -> [(&'static str, &[PreviewRow]); 2] {
        [
            ("import-new-rows", &self.preview.new_people),
            ("import-matched-rows", &self.preview.matched),
        ]
    }
}

/// The translated problem of a row or the file; problems of a person's field name the field,
/// the others (a session column, a header, the file, another row) say it in their message.
fn problem(tr: Tr, e: &FieldError) -> String {
    match e.field.as_str() {
        "session" | "column" | "file" | "row" => tr.problem(e),
        _ => tr.field_error(e),
    }
}

/// The header row of the template: the known columns, then each session by date.
fn template_header(tr: Tr, sessions: &[Session]) -> Vec<String> {
    let mut h: Vec<String> = ["name", "name_kana", "phone", "email", "channel"]
        .iter()
        .map(|f| tr.t(&format!("import-col-{f}")))
        .collect();
    h.extend(
        sessions
            .iter()
            .map(|s| s.date.format("%Y-%m-%d").to_string()),
    );
    h
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &jimoto_domain::Actor,
    id: i64,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let view = state.services.import_target(actor, ProgramId(id)).await?;
    let title = format!("{} — {}", view.program.title, ctx.tr.t("import-title"));
    Ok(render(&ImportPage {
        frame: ctx.frame_titled(title),
        view,
        errors,
        limit_mb: state.settings.upload_limit_bytes / (1024 * 1024),
    }))
}

/// The upload form.
pub(super) async fn import_form(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    form_page(&state, &ctx, &actor, id, FormErrors::default()).await
}

/// `/programs/{id}/import/{file}`: a template (`template.xlsx`, `template.csv`) or an upload's
/// preview (its id).
pub(super) async fn file(
    state: State<AppState>,
    authed: Authed,
    Path((id, file)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let format = match file.as_str() {
        "template.csv" => TableFormat::Csv,
        "template.xlsx" => TableFormat::Xlsx,
        other => {
            let import = other
                .parse::<i64>()
                .map_err(|_| jimoto_services::ServiceError::NotFound)?;
            return preview(state, authed, Path((id, import))).await;
        }
    };
    template(state, authed, id, format).await
}

/// A template to fill in: the columns, one per session.
async fn template(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    id: i64,
    format: TableFormat,
) -> Result<Response, AppError> {
    let view = state.services.import_target(&actor, ProgramId(id)).await?;
    let rows = vec![template_header(ctx.tr, &view.sessions)];
    table_response(&rows, format, &format!("participants-{id}"), false)
}

/// Receives a file and shows its preview (post/redirect/get).
pub(super) async fn upload(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    upload: Upload,
) -> Result<Response, AppError> {
    ctx.check_csrf(&upload.fields)?;
    if upload.bytes.is_empty() {
        let errors = FormErrors::from(ctx.tr, &[FieldError::new("file", "required")]);
        let page = form_page(&state, &ctx, &actor, id, errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let import = state
        .services
        .upload_import(&actor, ProgramId(id), &upload.file_name, &upload.bytes)
        .await?;
    Ok(Redirect::to(&format!("/programs/{id}/import/{import}")).into_response())
}

fn preview_page(ctx: &Ctx, view: ProgramView, preview: ImportPreview) -> PreviewPage {
    let tr = ctx.tr;
    let title = format!("{} — {}", view.program.title, tr.t("import-preview-title"));
    PreviewPage {
        frame: ctx.frame_titled(title),
        problems: preview
            .file_problems
            .iter()
            .map(|e| problem(tr, e))
            .collect(),
        bad: preview
            .bad
            .iter()
            .map(|b| (b.row, b.problems.iter().map(|e| problem(tr, e)).collect()))
            .collect(),
        view,
        preview,
        shown: SHOWN,
    }
}

/// The preview of an uploaded file (or what applying it did).
async fn preview(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, import)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let s = &state.services;
    let view = s.import_target(&actor, ProgramId(id)).await?;
    let preview = s.import_preview(&actor, ProgramId(id), import).await?;
    Ok(render(&preview_page(&ctx, view, preview)))
}

/// Applies an uploaded file whole; a file with problems is shown again and nothing is written.
pub(super) async fn apply(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, import)): Path<(i64, i64)>,
    form: crate::form::FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let s = &state.services;
    let preview = s.apply_import(&actor, ProgramId(id), import).await?;
    if preview.applied.is_some() {
        return ctx
            .done(
                &state,
                &format!("/programs/{id}/import/{import}"),
                "notice-import-applied",
            )
            .await;
    }
    let view = s.import_target(&actor, ProgramId(id)).await?;
    let page = render(&preview_page(&ctx, view, preview));
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
