//! Co-creation projects and the organisations in them.

use jimoto_domain::organisation::OrgKind;
use jimoto_domain::project::{Project, ProjectInput, ProjectMember, ProjectStatus};
use jimoto_domain::{OrganisationId, ProgramId, ProjectId, RegionId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::codec::{Code, Day, Millis};
use crate::schema::{PROJECT_MEMBERS, PROJECTS};
use crate::sql::Values;

fn values(input: &ProjectInput) -> Values {
    Values::new(PROJECTS)
        .set("region_id", input.region_id.0)
        .set("title", &input.title)
        .set("theme", &input.theme)
        .set("origin_program_id", input.origin_program_id.map(|p| p.0))
        .set("status", Code(input.status()))
        .set("idea_on", Day(input.idea_on))
        .set("agreed_on", input.agreed_on.map(Day))
        .set("running_on", input.running_on.map(Day))
        .set("ended_on", input.ended_on.map(Day))
        .set("outcomes", &input.outcomes)
        .set("updated_at", Millis::now())
}

/// Stores a new project with its members.
pub async fn insert(conn: &mut AnyConnection, input: &ProjectInput) -> Result<ProjectId> {
    let id = values(input)
        .set("created_at", Millis::now())
        .insert_returning_id(&mut *conn)
        .await?;
    members(conn, ProjectId(id), &input.members).await?;
    Ok(ProjectId(id))
}

/// Replaces a project's content; false when there is none.
pub async fn update(conn: &mut AnyConnection, id: ProjectId, input: &ProjectInput) -> Result<bool> {
    if !values(input).update_by_id(&mut *conn, id.0).await? {
        return Ok(false);
    }
    sqlx::query("DELETE FROM project_members WHERE project_id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    members(conn, id, &input.members).await?;
    Ok(true)
}

async fn members(conn: &mut AnyConnection, id: ProjectId, orgs: &[OrganisationId]) -> Result<()> {
    for (i, o) in orgs.iter().enumerate() {
        Values::new(PROJECT_MEMBERS)
            .set("project_id", id.0)
            .set("organisation_id", o.0)
            .set("position", i as i64)
            .insert(&mut *conn)
            .await?;
    }
    Ok(())
}

const SELECT: &str = "SELECT p.id, p.region_id, p.title, p.theme, p.origin_program_id, \
     pr.title AS origin_title, p.status, p.idea_on, p.agreed_on, p.running_on, p.ended_on, \
     p.outcomes FROM projects p LEFT JOIN programs pr ON pr.id = p.origin_program_id";

async fn from_row(conn: &mut AnyConnection, r: &AnyRow) -> Result<Project> {
    let id: i64 = r.try_get("id")?;
    let found: Vec<(i64, String, Code<OrgKind>)> = sqlx::query_as(
        "SELECT o.id, o.name, o.kind FROM project_members m \
         JOIN organisations o ON o.id = m.organisation_id WHERE m.project_id = $1 \
         ORDER BY m.position",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(Project {
        id: ProjectId(id),
        region_id: RegionId(r.try_get("region_id")?),
        title: r.try_get("title")?,
        theme: r.try_get("theme")?,
        origin_program_id: r
            .try_get::<Option<i64>, _>("origin_program_id")?
            .map(ProgramId),
        origin_title: r.try_get("origin_title")?,
        status: r.try_get::<Code<ProjectStatus>, _>("status")?.0,
        idea_on: r.try_get::<Day, _>("idea_on")?.0,
        agreed_on: r.try_get::<Option<Day>, _>("agreed_on")?.map(|d| d.0),
        running_on: r.try_get::<Option<Day>, _>("running_on")?.map(|d| d.0),
        ended_on: r.try_get::<Option<Day>, _>("ended_on")?.map(|d| d.0),
        outcomes: r.try_get("outcomes")?,
        members: found
            .into_iter()
            .map(|(id, name, kind)| ProjectMember {
                organisation_id: OrganisationId(id),
                name,
                kind: kind.0,
            })
            .collect(),
    })
}

/// One project.
pub async fn get(conn: &mut AnyConnection, id: ProjectId) -> Result<Option<Project>> {
    let Some(r) = sqlx::query(&format!("{SELECT} WHERE p.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    Ok(Some(from_row(conn, &r).await?))
}

/// A region's projects, newest idea first (a region has dozens, not thousands).
pub async fn of_region(conn: &mut AnyConnection, region: RegionId) -> Result<Vec<Project>> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE p.region_id = $1 ORDER BY p.idea_on DESC, p.id DESC"
    ))
    .bind(region.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(from_row(conn, r).await?);
    }
    Ok(out)
}

/// The region's programs a project may come from, latest first: id and title.
pub async fn origin_choices(
    conn: &mut AnyConnection,
    region: RegionId,
) -> Result<Vec<(ProgramId, String)>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT p.id, p.title FROM programs p LEFT JOIN program_sessions s ON s.program_id = p.id \
         WHERE p.region_id = $1 GROUP BY p.id, p.title ORDER BY COALESCE(MIN(s.date), '') DESC, p.id DESC",
    )
    .bind(region.0)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title)| (ProgramId(id), title))
        .collect())
}
