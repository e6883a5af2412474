//! A co-creation project as a form: the region's staff record a project (its theme, the event it
//! came from, the dated steps of its timeline, the organisations in it, what came of it) and
//! change it as it moves on. The services refuse anyone else and check the steps' order.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use jimoto_domain::project::{Project, ProjectChoices, ProjectInput};
use jimoto_domain::{
    Actor, FieldError, KpiAction, OrganisationId, ProgramId, ProjectId, RegionId, ValidationFailure,
};
use jimoto_services::ServiceError;
use validator::Validate;

use crate::AppState;
use crate::api::path_id;
use crate::error::AppError;
use crate::form::{FormData, add_unnamed, finish, on_form_rows, rows_on_form};
use crate::layout::{FormErrors, Frame, render};
use crate::session::{Authed, Ctx};

/// Blank member rows the form offers (no JavaScript needed to add organisations).
const BLANK_MEMBERS: usize = 3;

/// Whether the actor may record and change the region's projects.
pub(super) fn may_edit(actor: &Actor, region: RegionId) -> bool {
    actor.may(KpiAction::EditProject { region })
}

/// The form as typed.
#[derive(Debug, Clone, Default)]
struct Values {
    title: String,
    theme: String,
    origin: String,
    idea_on: String,
    agreed_on: String,
    running_on: String,
    ended_on: String,
    outcomes: String,
    /// One organisation id (or nothing) per member row.
    members: Vec<String>,
}

fn values_of(p: &Project) -> Values {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut members: Vec<String> = p
        .members
        .iter()
        .map(|m| m.organisation_id.to_string())
        .collect();
    members.extend(std::iter::repeat_n(String::new(), BLANK_MEMBERS));
    Values {
        title: p.title.clone(),
        theme: p.theme.clone(),
        origin: p
            .origin_program_id
            .map(|o| o.to_string())
            .unwrap_or_default(),
        idea_on: p.idea_on.to_string(),
        agreed_on: day(p.agreed_on),
        running_on: day(p.running_on),
        ended_on: day(p.ended_on),
        outcomes: p.outcomes.clone(),
        members,
    }
}

#[derive(Template)]
#[template(path = "kpis/project_form.html")]
struct FormPage {
    frame: Frame,
    action: String,
    back: String,
    /// The back link's words: to the list (new) or to the project (edit).
    back_label: &'static str,
    region_name: String,
    /// The region's programs: id and title.
    programs: Vec<(String, String)>,
    /// The region's organisations: id and name.
    organisations: Vec<(String, String)>,
    values: Values,
    errors: FormErrors,
}

fn form_page(
    ctx: &Ctx,
    action: String,
    back: String,
    region_name: String,
    choices: &ProjectChoices,
    values: Values,
    errors: FormErrors,
) -> FormPage {
    let new = action.ends_with("/projects");
    FormPage {
        frame: ctx.frame(if new { "projects-new" } else { "projects-edit" }),
        action,
        back,
        back_label: if new {
            "projects-back"
        } else {
            "projects-back-to-project"
        },
        region_name,
        programs: choices
            .programs
            .iter()
            .map(|(id, title)| (id.to_string(), title.clone()))
            .collect(),
        organisations: choices
            .organisations
            .iter()
            .map(|o| (o.id.to_string(), o.name.clone()))
            .collect(),
        values,
        errors,
    }
}

/// A form read: what was typed, and the project it makes or every problem, with member rows
/// named by the form's own rows (blank rows and repeats are skipped).
struct Parsed {
    values: Values,
    input: Result<ProjectInput, ValidationFailure>,
    /// The form's row of each member of the input.
    origin: Vec<usize>,
}

impl Parsed {
    fn on_form(&self, e: ServiceError) -> ServiceError {
        on_form_rows(e, "members", &self.origin)
    }
}

fn parse(form: &FormData, region: RegionId) -> Parsed {
    let mut errors: Vec<FieldError> = Vec::new();
    let rows = form
        .get("member_rows")
        .parse::<usize>()
        .unwrap_or(0)
        .min(jimoto_domain::project::MEMBERS_MAX as usize + BLANK_MEMBERS);
    let mut values = Values {
        title: form.get("title").into(),
        theme: form.get("theme").into(),
        origin: form.get("origin_program_id").into(),
        idea_on: form.get("idea_on").into(),
        agreed_on: form.get("agreed_on").into(),
        running_on: form.get("running_on").into(),
        ended_on: form.get("ended_on").into(),
        outcomes: form.get("outcomes").into(),
        members: Vec::new(),
    };
    let idea_on = form.req_date("idea_on", &mut errors);
    let agreed_on = form.opt_date("agreed_on", &mut errors);
    let running_on = form.opt_date("running_on", &mut errors);
    let ended_on = form.opt_date("ended_on", &mut errors);
    let origin_program_id = form
        .opt_int("origin_program_id", &mut errors)
        .map(ProgramId);
    let mut members = Vec::new();
    let mut origin = Vec::new();
    for i in 0..rows {
        let field = format!("members[{i}]");
        let raw = form.get(&field).trim().to_owned();
        values.members.push(raw.clone());
        if raw.is_empty() {
            continue;
        }
        match raw.parse::<i64>() {
            Ok(id) if !members.contains(&OrganisationId(id)) => {
                members.push(OrganisationId(id));
                origin.push(i);
            }
            Ok(_) => {}
            Err(_) => errors.push(FieldError::new(field, "invalid_choice")),
        }
    }
    let input = ProjectInput {
        region_id: region,
        title: values.title.clone(),
        theme: values.theme.clone(),
        origin_program_id,
        idea_on: idea_on.unwrap_or_default(),
        agreed_on,
        running_on,
        ended_on,
        outcomes: values.outcomes.clone(),
        members,
    };
    let mut parsed = Parsed {
        values,
        input: Ok(input.clone()),
        origin,
    };
    if !errors.is_empty() {
        // The project's own rules too, so that a second submit does not reveal a new problem.
        let normal = input.normalised();
        let mut own = match normal.validate() {
            Ok(()) => Vec::new(),
            Err(e) => ValidationFailure::from_validator(&e).0,
        };
        if idea_on.is_some() {
            own.extend(normal.problems());
        }
        add_unnamed(&mut errors, rows_on_form(own, "members", &parsed.origin));
        parsed.input = Err(ValidationFailure(errors));
    }
    parsed
}

/// `GET /regions/{id}/projects/new`.
pub(super) async fn new_form(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let region = RegionId(path_id(&raw)?);
    let choices = state.services.project_choices(&actor, region).await?;
    let r = state.services.region(&actor, region).await?;
    let values = Values {
        idea_on: jimoto_domain::calendar::today_jst().to_string(),
        members: vec![String::new(); BLANK_MEMBERS],
        ..Values::default()
    };
    Ok(render(&form_page(
        &ctx,
        format!("/regions/{region}/projects"),
        format!("/regions/{region}/projects"),
        r.name,
        &choices,
        values,
        FormErrors::default(),
    )))
}

/// `POST /regions/{id}/projects`.
pub(super) async fn create(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(raw): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let region = RegionId(path_id(&raw)?);
    let choices = state.services.project_choices(&actor, region).await?;
    let r = state.services.region(&actor, region).await?;
    let parsed = parse(&form, region);
    let result = match parsed.input.clone() {
        Err(v) => Err(ServiceError::Validation(v)),
        Ok(input) => state
            .services
            .create_project(&actor, input)
            .await
            .map_err(|e| parsed.on_form(e)),
    };
    let values = parsed.values;
    finish(
        &ctx,
        &state,
        "notice-created",
        result,
        |p| format!("/projects/{}", p.id),
        |errors| async {
            Ok(render(&form_page(
                &ctx,
                format!("/regions/{region}/projects"),
                format!("/regions/{region}/projects"),
                r.name.clone(),
                &choices,
                values,
                errors,
            )))
        },
    )
    .await
}

/// The project, when the actor may change it (others who may read it get 403).
async fn editable(
    state: &AppState,
    actor: &Actor,
    id: ProjectId,
) -> Result<(Project, ProjectChoices, String), AppError> {
    let p = state.services.project(actor, id).await?;
    if !may_edit(actor, p.region_id) {
        return Err(ServiceError::Forbidden.into());
    }
    let choices = state.services.project_choices(actor, p.region_id).await?;
    let r = state.services.region(actor, p.region_id).await?;
    Ok((p, choices, r.name))
}

/// `GET /projects/{id}/edit`.
pub(super) async fn edit_form(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let id = ProjectId(path_id(&raw)?);
    let (p, choices, name) = editable(&state, &actor, id).await?;
    Ok(render(&form_page(
        &ctx,
        format!("/projects/{id}"),
        format!("/projects/{id}"),
        name,
        &choices,
        values_of(&p),
        FormErrors::default(),
    )))
}

/// `POST /projects/{id}`.
pub(super) async fn update(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(raw): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let id = ProjectId(path_id(&raw)?);
    let (p, choices, name) = editable(&state, &actor, id).await?;
    let parsed = parse(&form, p.region_id);
    let result = match parsed.input.clone() {
        Err(v) => Err(ServiceError::Validation(v)),
        Ok(input) => state
            .services
            .update_project(&actor, id, input)
            .await
            .map_err(|e| parsed.on_form(e)),
    };
    let values = parsed.values;
    finish(
        &ctx,
        &state,
        "notice-saved",
        result,
        |p| format!("/projects/{}", p.id),
        |errors| async {
            Ok(render(&form_page(
                &ctx,
                format!("/projects/{id}"),
                format!("/projects/{id}"),
                name,
                &choices,
                values,
                errors,
            )))
        },
    )
    .await
}
