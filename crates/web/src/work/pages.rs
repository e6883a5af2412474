//! An organisation's work page (the regions it works with, its task inventory with each task's
//! assessment, its postings) and the task forms.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use jimoto_domain::organisation::{Organisation, OrganisationRef};
use jimoto_domain::region::RegionRef;
use jimoto_domain::work::task::{Confidentiality, DataForm, Frequency, OnSite, ToolsAccess};
use jimoto_domain::work::{Posting, TaskInput};
use jimoto_domain::{
    Actor, FieldError, OrganisationId, Principal, RegionId, TaskId, ValidationFailure, WorkAction,
};
use jimoto_services::TaskView;

use crate::AppState;
use crate::error::AppError;
use crate::form::{FormData, finish};
use crate::layout::{ConfirmPage, FormErrors, Frame, render};
use crate::session::{Authed, Ctx};

/// A `<select>` of one question of the guided assessment: its options and a hint saying why
/// it is asked.
pub(super) struct Question {
    pub name: &'static str,
    /// The field's label.
    pub label: String,
    pub hint: String,
    pub options: Vec<(&'static str, String)>,
}

impl Question {
    /// The `<select>` of the field `name`, its options labelled `{name}-{code}`; without a hint.
    pub fn of<T: Copy>(
        ctx: &Ctx,
        name: &'static str,
        all: &[T],
        code: fn(T) -> &'static str,
    ) -> Self {
        // A posting's level is a step of the growth path, not a skill's level.
        let label = if name == "level" {
            ctx.tr.t("field-level_job")
        } else {
            ctx.tr.t(&format!("field-{name}"))
        };
        Self {
            name,
            label,
            hint: String::new(),
            options: all
                .iter()
                .map(|v| (code(*v), ctx.tr.e(name, code(*v))))
                .collect(),
        }
    }

    /// With the hint `help-{name}` saying why it is asked.
    fn hinted(mut self, ctx: &Ctx) -> Self {
        self.hint = ctx.tr.t(&format!("help-{}", self.name));
        self
    }
}

// ---------------------------------------------------------------------------------------------
// The work page

#[derive(Template)]
#[template(path = "work/home.html")]
struct HomePage {
    frame: Frame,
    organisations: Vec<OrganisationRef>,
}

/// Where a user's work starts: a company member's own organisation; a coordinator's list of the
/// organisations working with their regions.
pub(super) async fn work_home(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
) -> Result<Response, AppError> {
    if let Principal::CompanyMember { organisation } = actor.principal {
        return Ok(Redirect::to(&format!("/organisations/{organisation}/work")).into_response());
    }
    let organisations = state.services.work_organisations(&actor).await?;
    Ok(render(&HomePage {
        frame: ctx.frame("work-title"),
        organisations,
    }))
}

#[derive(Template)]
#[template(path = "work/organisation.html")]
struct WorkPage {
    frame: Frame,
    org: Organisation,
    /// The regions it works with, by name; with whether the viewer may take each out.
    regions: Vec<(RegionId, String, bool)>,
    /// Regions the viewer may add it to.
    addable: Vec<RegionRef>,
    tasks: Vec<TaskView>,
    postings: Vec<Posting>,
    can_tasks: bool,
    /// Regions the viewer may post in for it.
    post_regions: Vec<(RegionId, String)>,
    errors: FormErrors,
}

impl WorkPage {
    fn region_name(&self, id: &RegionId) -> String {
        self.regions
            .iter()
            .find(|r| r.0 == *id)
            .map_or_else(|| format!("#{id}"), |r| r.1.clone())
    }
}

async fn work_page(
    state: &AppState,
    ctx: &Ctx,
    actor: &Actor,
    id: OrganisationId,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let s = &state.services;
    let view = s.organisation(actor, id).await?;
    let region_ids = s.organisation_regions(actor, id).await?;
    let names = s.region_labels(actor, &region_ids).await?;
    let name = |r: RegionId| {
        names
            .iter()
            .find(|x| x.id == r)
            .map_or_else(|| format!("#{r}"), |x| x.name.clone())
    };
    let org = view.organisation;
    let regions = region_ids
        .iter()
        .map(|r| {
            let removable = *r != org.region_id && actor.may(WorkAction::Regions { region: *r });
            (*r, name(*r), removable)
        })
        .collect();
    let addable = s
        .region_refs(actor)
        .await?
        .into_iter()
        .filter(|r| !region_ids.contains(&r.id) && actor.may(WorkAction::Regions { region: r.id }))
        .collect();
    let can_tasks = region_ids.iter().any(|r| {
        actor.may(WorkAction::Tasks {
            organisation: id,
            region: *r,
        })
    });
    let tasks = if can_tasks {
        s.tasks(actor, id).await?
    } else {
        vec![]
    };
    let post_regions = region_ids
        .iter()
        .filter(|r| {
            actor.may(WorkAction::EditPosting {
                organisation: id,
                region: **r,
            })
        })
        .map(|r| (*r, name(*r)))
        .collect();
    let postings = s.postings_of(actor, id).await?;
    Ok(render(&WorkPage {
        frame: ctx.frame_titled(format!("{} — {}", org.name, ctx.tr.t("work-title"))),
        org,
        regions,
        addable,
        tasks,
        postings,
        can_tasks,
        post_regions,
        errors,
    }))
}

/// An organisation's work.
pub(super) async fn work(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    work_page(
        &state,
        &ctx,
        &actor,
        OrganisationId(id),
        FormErrors::default(),
    )
    .await
}

/// Adds a region to an organisation's work.
pub(super) async fn add_region(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let mut problems = Vec::new();
    let region = form.req_int("region_id", &mut problems);
    let result = match region {
        Some(r) if problems.is_empty() => {
            state
                .services
                .add_organisation_region(&actor, OrganisationId(id), RegionId(r))
                .await
        }
        _ => Err(ValidationFailure(problems).into()),
    };
    finish(
        &ctx,
        &state,
        "notice-saved",
        result,
        |_| format!("/organisations/{id}/work#regions"),
        |errors| async { work_page(&state, &ctx, &actor, OrganisationId(id), errors).await },
    )
    .await
}

/// Takes a region out of an organisation's work.
pub(super) async fn remove_region(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, region)): Path<(i64, i64)>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let result = state
        .services
        .remove_organisation_region(&actor, OrganisationId(id), RegionId(region))
        .await;
    finish(
        &ctx,
        &state,
        "notice-saved",
        result,
        |()| format!("/organisations/{id}/work#regions"),
        |errors| async { work_page(&state, &ctx, &actor, OrganisationId(id), errors).await },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Tasks

#[derive(Template)]
#[template(path = "work/task_form.html")]
struct TaskForm {
    frame: Frame,
    org_id: OrganisationId,
    action: String,
    values: FormData,
    questions: Vec<Question>,
    errors: FormErrors,
}

fn questions(ctx: &Ctx) -> Vec<Question> {
    [
        Question::of(ctx, "frequency", Frequency::ALL, Frequency::as_str),
        Question::of(ctx, "tools_access", ToolsAccess::ALL, ToolsAccess::as_str),
        Question::of(ctx, "data_form", DataForm::ALL, DataForm::as_str),
        Question::of(
            ctx,
            "confidentiality",
            Confidentiality::ALL,
            Confidentiality::as_str,
        ),
        Question::of(ctx, "on_site", OnSite::ALL, OnSite::as_str),
    ]
    .into_iter()
    .map(|q| q.hinted(ctx))
    .collect()
}

fn task_form(
    ctx: &Ctx,
    org_id: OrganisationId,
    action: String,
    title_key: &str,
    values: FormData,
    errors: FormErrors,
) -> Response {
    render(&TaskForm {
        frame: ctx.frame(title_key),
        org_id,
        action,
        values,
        questions: questions(ctx),
        errors,
    })
}

/// Reads the task form: every problem at once.
fn read_task(form: &FormData) -> Result<TaskInput, ValidationFailure> {
    let mut problems: Vec<FieldError> = Vec::new();
    let frequency = form.choice("frequency", Frequency::parse, &mut problems);
    let hours = form.req_int("hours_per_month", &mut problems);
    let tools_access = form.choice("tools_access", ToolsAccess::parse, &mut problems);
    let data_form = form.choice("data_form", DataForm::parse, &mut problems);
    let confidentiality = form.choice("confidentiality", Confidentiality::parse, &mut problems);
    let on_site = form.choice("on_site", OnSite::parse, &mut problems);
    let input = TaskInput {
        title: form.get("title").to_owned(),
        description: form.get("description").to_owned(),
        frequency: frequency.unwrap_or(Frequency::Monthly),
        hours_per_month: hours.unwrap_or(1),
        done_by: form.get("done_by").to_owned(),
        tools: form.get("tools").to_owned(),
        tools_access: tools_access.unwrap_or(ToolsAccess::Common),
        data_form: data_form.unwrap_or(DataForm::Digital),
        confidentiality: confidentiality.unwrap_or(Confidentiality::Public),
        on_site: on_site.unwrap_or(OnSite::Never),
    }
    .normalised();
    for f in input.problems() {
        if !problems.iter().any(|p| p.field == f.field) {
            problems.push(f);
        }
    }
    ValidationFailure(problems).into_result()?;
    Ok(input)
}

fn task_values(t: &jimoto_domain::work::Task) -> FormData {
    FormData(
        [
            ("title", t.title.clone()),
            ("description", t.description.clone()),
            ("frequency", t.frequency.as_str().to_owned()),
            ("hours_per_month", t.hours_per_month.to_string()),
            ("done_by", t.done_by.clone()),
            ("tools", t.tools.clone()),
            ("tools_access", t.tools_access.as_str().to_owned()),
            ("data_form", t.data_form.as_str().to_owned()),
            ("confidentiality", t.confidentiality.as_str().to_owned()),
            ("on_site", t.on_site.as_str().to_owned()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect(),
    )
}

/// The form for a new task.
pub(super) async fn new_task(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    // Only those who keep the inventory see the form.
    state.services.tasks(&actor, OrganisationId(id)).await?;
    Ok(task_form(
        &ctx,
        OrganisationId(id),
        format!("/organisations/{id}/tasks/new"),
        "tasks-new",
        FormData::default(),
        FormErrors::default(),
    ))
}

/// Records a task.
pub(super) async fn create_task(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let result = match read_task(&form) {
        Ok(input) => {
            state
                .services
                .create_task(&actor, OrganisationId(id), input)
                .await
        }
        Err(v) => Err(v.into()),
    };
    finish(
        &ctx,
        &state,
        "notice-saved",
        result,
        |t| format!("/organisations/{id}/work#task-{}", t.task.id),
        |errors| async {
            Ok(task_form(
                &ctx,
                OrganisationId(id),
                format!("/organisations/{id}/tasks/new"),
                "tasks-new",
                form.clone(),
                errors,
            ))
        },
    )
    .await
}

/// A task's form.
pub(super) async fn edit_task(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let t = state.services.task(&actor, TaskId(id)).await?;
    Ok(task_form(
        &ctx,
        t.task.organisation_id,
        format!("/tasks/{id}"),
        "tasks-edit",
        task_values(&t.task),
        FormErrors::default(),
    ))
}

/// Changes a task.
pub(super) async fn update_task(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let current = state.services.task(&actor, TaskId(id)).await?;
    let org = current.task.organisation_id;
    let result = match read_task(&form) {
        Ok(input) => state.services.update_task(&actor, TaskId(id), input).await,
        Err(v) => Err(v.into()),
    };
    finish(
        &ctx,
        &state,
        "notice-saved",
        result,
        |t| format!("/organisations/{org}/work#task-{}", t.task.id),
        |errors| async {
            Ok(task_form(
                &ctx,
                org,
                format!("/tasks/{id}"),
                "tasks-edit",
                form.clone(),
                errors,
            ))
        },
    )
    .await
}

/// Asks before deleting a task.
pub(super) async fn delete_task_confirm(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let t = state.services.task(&actor, TaskId(id)).await?;
    let org = t.task.organisation_id;
    Ok(render(&ConfirmPage {
        frame: ctx.frame("tasks-delete"),
        question: ctx.tr.t1("tasks-delete-question", "title", &t.task.title),
        detail: ctx.tr.t("tasks-delete-detail"),
        action: format!("/tasks/{id}/delete"),
        submit: ctx.tr.t("action-delete"),
        back: format!("/organisations/{org}/work#task-{id}"),
    }))
}

/// Deletes a task.
pub(super) async fn delete_task(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let t = state.services.task(&actor, TaskId(id)).await?;
    let org = t.task.organisation_id;
    let result = state.services.delete_task(&actor, TaskId(id)).await;
    finish(
        &ctx,
        &state,
        "notice-deleted",
        result,
        |()| format!("/organisations/{org}/work#tasks"),
        |errors| async { work_page(&state, &ctx, &actor, org, errors).await },
    )
    .await
}

/// Turns a task into a draft posting and opens it for editing.
pub(super) async fn task_to_posting(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let t = state.services.task(&actor, TaskId(id)).await?;
    let org = t.task.organisation_id;
    let mut problems = Vec::new();
    let region = form.req_int("region_id", &mut problems);
    let result = match region {
        Some(r) if problems.is_empty() => {
            state
                .services
                .task_to_posting(&actor, TaskId(id), RegionId(r))
                .await
        }
        _ => Err(ValidationFailure(problems).into()),
    };
    finish(
        &ctx,
        &state,
        "notice-draft-made",
        result,
        |p| format!("/postings/{p}/edit"),
        |errors| async { work_page(&state, &ctx, &actor, org, errors).await },
    )
    .await
}
