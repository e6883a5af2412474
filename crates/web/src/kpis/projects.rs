//! A region's co-creation projects: the list by status, and each project's record with its
//! timeline (idea → agreed → running → ended), members and outcomes. Read by the region's KPI
//! readers; written through the API by its staff.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use jimoto_domain::project::{Project, ProjectStatus};
use jimoto_domain::{ProjectId, RegionId};

use crate::AppState;
use crate::api::path_id;
use crate::error::AppError;
use crate::i18n::Tr;
use crate::layout::{Frame, render};
use crate::session::Authed;

/// A project as a list line.
struct Line {
    id: i64,
    title: String,
    theme: String,
    status: String,
    since: String,
    members: String,
    origin: String,
}

fn line(tr: Tr, p: &Project) -> Line {
    let since = match p.status {
        ProjectStatus::Idea => Some(p.idea_on),
        ProjectStatus::Agreed => p.agreed_on,
        ProjectStatus::Running => p.running_on.or(p.agreed_on),
        ProjectStatus::Ended => p.ended_on,
    };
    Line {
        id: p.id.0,
        title: p.title.clone(),
        theme: p.theme.clone(),
        status: tr.e("project_status", p.status.as_str()),
        since: since.map(|d| tr.date(d)).unwrap_or_default(),
        members: tr.join(p.members.iter().map(|m| m.name.clone())),
        origin: p.origin_title.clone().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "kpis/projects.html")]
struct ListPage {
    frame: Frame,
    region: RegionId,
    /// Each status with its projects, in the timeline's order.
    groups: Vec<(String, &'static str, Vec<Line>)>,
    total: usize,
    /// The reader may record the region's projects.
    editable: bool,
}

/// `GET /regions/{id}/projects`.
pub(super) async fn list(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let region = RegionId(path_id(&raw)?);
    let found = state.services.projects(&actor, region).await?;
    let r = state.services.region(&actor, region).await?;
    let tr = ctx.tr;
    let groups = [
        ProjectStatus::Running,
        ProjectStatus::Agreed,
        ProjectStatus::Idea,
        ProjectStatus::Ended,
    ]
    .into_iter()
    .map(|s| {
        (
            tr.e("project_status", s.as_str()),
            s.as_str(),
            found
                .iter()
                .filter(|p| p.status == s)
                .map(|p| line(tr, p))
                .collect::<Vec<_>>(),
        )
    })
    .filter(|(_, _, l)| !l.is_empty())
    .collect();
    Ok(render(&ListPage {
        frame: ctx.frame_titled(format!("{} · {}", tr.t("projects-title"), r.name)),
        region,
        groups,
        total: found.len(),
        editable: super::project_form::may_edit(&actor, region),
    }))
}

/// A step of the timeline.
struct Step {
    label: String,
    date: String,
    done: bool,
}

#[derive(Template)]
#[template(path = "kpis/project.html")]
struct RecordPage {
    frame: Frame,
    region: i64,
    line: Line,
    steps: Vec<Step>,
    /// Members: name and kind in words.
    members: Vec<(String, String)>,
    origin_id: Option<i64>,
    outcomes: String,
    /// The reader may change it.
    editable: bool,
}

/// `GET /projects/{id}`.
pub(super) async fn record(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(raw): Path<String>,
) -> Result<Response, AppError> {
    let id = ProjectId(path_id(&raw)?);
    let p = state.services.project(&actor, id).await?;
    let tr = ctx.tr;
    let steps = [
        (ProjectStatus::Idea, Some(p.idea_on)),
        (ProjectStatus::Agreed, p.agreed_on),
        (ProjectStatus::Running, p.running_on),
        (ProjectStatus::Ended, p.ended_on),
    ]
    .into_iter()
    .map(|(s, d)| Step {
        label: tr.e("project_status", s.as_str()),
        date: d
            .map(|d| tr.date(d))
            .unwrap_or_else(|| tr.t("projects-not-yet")),
        done: d.is_some(),
    })
    .collect();
    Ok(render(&RecordPage {
        frame: ctx.frame_titled(p.title.clone()),
        region: p.region_id.0,
        line: line(tr, &p),
        steps,
        members: p
            .members
            .iter()
            .map(|m| (m.name.clone(), tr.e("kind", m.kind.as_str())))
            .collect(),
        origin_id: p.origin_program_id.map(|o| o.0),
        outcomes: p.outcomes.clone(),
        editable: super::project_form::may_edit(&actor, p.region_id),
    }))
}
