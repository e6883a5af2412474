//! Applications and each organisation's selection stages, with notes per stage.

use jimoto_domain::growth::Channel;
use jimoto_domain::work::selection::Note;
use jimoto_domain::work::{Application, ApplicationStatus, DefaultStage, SelectionStage};
use jimoto_domain::{
    ApplicationId, OrganisationId, PostingId, RegionId, ResidentId, StageId, UserId,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::codec::{Code, Millis};
use crate::schema::{APPLICATION_NOTES, APPLICATIONS, SELECTION_STAGES};
use crate::sql::{Sql, Values};

fn stage_from(r: &AnyRow) -> Result<SelectionStage> {
    let code: String = r.try_get("code")?;
    Ok(SelectionStage {
        id: StageId(r.try_get("id")?),
        position: r.try_get("position")?,
        code: DefaultStage::parse(&code),
        name: r.try_get("name")?,
    })
}

async fn read_stages(conn: &mut AnyConnection, org: OrganisationId) -> Result<Vec<SelectionStage>> {
    let rows = sqlx::query(&format!(
        "SELECT {} FROM selection_stages WHERE organisation_id = $1 ORDER BY position",
        SELECTION_STAGES.select_list()
    ))
    .bind(org.0)
    .fetch_all(conn)
    .await?;
    rows.iter().map(stage_from).collect()
}

/// An organisation's selection stages in order; the default ones are written the first time
/// they are asked for.
pub async fn stages_of(
    conn: &mut AnyConnection,
    org: OrganisationId,
) -> Result<Vec<SelectionStage>> {
    let stages = read_stages(&mut *conn, org).await?;
    if !stages.is_empty() {
        return Ok(stages);
    }
    for (i, s) in DefaultStage::ALL.iter().enumerate() {
        sqlx::query(
            "INSERT INTO selection_stages (organisation_id, position, code, name) \
             VALUES ($1, $2, $3, '') ON CONFLICT (organisation_id, position) DO NOTHING",
        )
        .bind(org.0)
        .bind(i64::try_from(i).unwrap_or(0) + 1)
        .bind(s.as_str())
        .execute(&mut *conn)
        .await?;
    }
    read_stages(conn, org).await
}

/// Adds an organisation's own stage before the offer (the last stage stays the offer).
pub async fn add_stage(conn: &mut AnyConnection, org: OrganisationId, name: &str) -> Result<()> {
    let stages = stages_of(conn, org).await?;
    let last = stages.last().map_or(0, |s| s.position);
    // Move the last stage one down, then take its place.
    sqlx::query(
        "UPDATE selection_stages SET position = position + 1 \
         WHERE organisation_id = $1 AND position = $2",
    )
    .bind(org.0)
    .bind(last)
    .execute(&mut *conn)
    .await?;
    Values::new(SELECTION_STAGES)
        .set("organisation_id", org.0)
        .set("position", last.max(1))
        .set("code", "")
        .set("name", name)
        .insert(conn)
        .await
}

const APP_SELECT: &str = "SELECT a.id, a.posting_id, p.title AS posting_title, \
     a.organisation_id, o.name AS org_name, a.region_id, a.resident_id, r.name AS resident_name, \
     a.channel, a.message, a.status, a.stage_id, a.applied_at, a.decided_at FROM applications a \
     JOIN postings p ON p.id = a.posting_id JOIN organisations o ON o.id = a.organisation_id \
     JOIN residents r ON r.id = a.resident_id";

fn app_from(r: &AnyRow) -> Result<Application> {
    Ok(Application {
        id: ApplicationId(r.try_get("id")?),
        posting_id: PostingId(r.try_get("posting_id")?),
        posting_title: r.try_get("posting_title")?,
        organisation_id: OrganisationId(r.try_get("organisation_id")?),
        organisation_name: r.try_get("org_name")?,
        region_id: RegionId(r.try_get("region_id")?),
        resident_id: ResidentId(r.try_get("resident_id")?),
        resident_name: r.try_get("resident_name")?,
        channel: r.try_get::<Code<Channel>, _>("channel")?.0,
        message: r.try_get("message")?,
        status: r.try_get::<Code<_>, _>("status")?.0,
        stage_id: r.try_get::<Option<i64>, _>("stage_id")?.map(StageId),
        applied_at: r.try_get::<Millis, _>("applied_at")?.0,
        decided_at: r.try_get::<Option<Millis>, _>("decided_at")?.map(|m| m.0),
    })
}

/// A new application.
#[derive(Debug, Clone)]
pub struct NewApplication<'a> {
    /// The posting.
    pub posting: PostingId,
    /// Its organisation.
    pub organisation: OrganisationId,
    /// The applicant's region.
    pub region: RegionId,
    /// The applicant.
    pub resident: ResidentId,
    /// How they first heard of the program.
    pub channel: Channel,
    /// Their words.
    pub message: &'a str,
    /// The first stage.
    pub stage: Option<StageId>,
}

/// Writes an application (a second one to the same posting is a duplicate).
pub async fn insert_application(
    conn: &mut AnyConnection,
    a: &NewApplication<'_>,
) -> Result<ApplicationId> {
    let now = Millis::now();
    Ok(ApplicationId(
        Values::new(APPLICATIONS)
            .set("posting_id", a.posting.0)
            .set("organisation_id", a.organisation.0)
            .set("region_id", a.region)
            .set("resident_id", a.resident.0)
            .set("channel", Code(a.channel))
            .set("message", a.message)
            .set("status", Code(ApplicationStatus::Active))
            .set("stage_id", a.stage.map(|s| s.0))
            .set("applied_at", now)
            .set("updated_at", now)
            .insert_returning_id(conn)
            .await?,
    ))
}

/// The resident's earlier application to a posting, if any (withdrawn ones can be renewed).
pub async fn application_of(
    conn: &mut AnyConnection,
    posting: PostingId,
    resident: ResidentId,
) -> Result<Option<Application>> {
    let row = sqlx::query(&format!(
        "{APP_SELECT} WHERE a.posting_id = $1 AND a.resident_id = $2"
    ))
    .bind(posting.0)
    .bind(resident.0)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(app_from).transpose()
}

/// One application.
pub async fn application(
    conn: &mut AnyConnection,
    id: ApplicationId,
) -> Result<Option<Application>> {
    let row = sqlx::query(&format!("{APP_SELECT} WHERE a.id = $1"))
        .bind(id.0)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(app_from).transpose()
}

/// Which applications to list.
#[derive(Debug, Clone, Copy)]
pub enum AppScope<'a> {
    /// A resident's own.
    Resident(ResidentId),
    /// A posting's, from applicants of these regions (None: all).
    Posting(PostingId, Option<&'a [RegionId]>),
    /// An organisation's, from applicants of these regions (None: all).
    Organisation(OrganisationId, Option<&'a [RegionId]>),
}

/// Applications, newest first.
pub async fn applications(
    conn: &mut AnyConnection,
    scope: AppScope<'_>,
) -> Result<Vec<Application>> {
    let mut q = Sql::new(APP_SELECT);
    match scope {
        AppScope::Resident(r) => {
            q.push(" WHERE a.resident_id = ").bind(r.0);
        }
        AppScope::Posting(p, regions) => {
            q.push(" WHERE a.posting_id = ").bind(p.0);
            q.and_in_regions("a.region_id", regions);
        }
        AppScope::Organisation(o, regions) => {
            q.push(" WHERE a.organisation_id = ").bind(o.0);
            q.and_in_regions("a.region_id", regions);
        }
    }
    q.push(" ORDER BY a.applied_at DESC, a.id DESC");
    let rows = sqlx::query_with(&q.text, q.args()).fetch_all(conn).await?;
    rows.iter().map(app_from).collect()
}

/// Moves an application to a stage and status; a decision (any status but active) is dated.
pub async fn set_application(
    conn: &mut AnyConnection,
    id: ApplicationId,
    status: ApplicationStatus,
    stage: Option<StageId>,
) -> Result<()> {
    let now = Millis::now();
    let decided = (!status.is_open()).then_some(now);
    sqlx::query(
        "UPDATE applications SET status = $1, stage_id = $2, decided_at = $3, updated_at = $4 \
         WHERE id = $5",
    )
    .bind(status.as_str())
    .bind(stage.map(|s| s.0))
    .bind(decided.map(Millis::ms))
    .bind(now.ms())
    .bind(id.0)
    .execute(conn)
    .await?;
    Ok(())
}

/// Renews a withdrawn application (the resident applies again): active at the first stage,
/// with their new words.
pub async fn reopen_application(
    conn: &mut AnyConnection,
    id: ApplicationId,
    message: &str,
    stage: Option<StageId>,
) -> Result<()> {
    let now = Millis::now();
    sqlx::query(
        "UPDATE applications SET status = 'active', stage_id = $1, decided_at = NULL, \
         message = $2, applied_at = $3, updated_at = $3 WHERE id = $4",
    )
    .bind(stage.map(|s| s.0))
    .bind(message)
    .bind(now.ms())
    .bind(id.0)
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes a note at a stage.
pub async fn insert_note(
    conn: &mut AnyConnection,
    app: ApplicationId,
    stage: StageId,
    rating: Option<i64>,
    body: &str,
    by: (Option<UserId>, &str),
) -> Result<()> {
    Values::new(APPLICATION_NOTES)
        .set("application_id", app.0)
        .set("stage_id", stage.0)
        .set("rating", rating)
        .set("body", body)
        .set("by_user_id", by.0.map(|u| u.0))
        .set("by_name", by.1)
        .set("at", Millis::now())
        .insert(conn)
        .await
}

/// An application's notes, oldest first.
pub async fn notes_of(conn: &mut AnyConnection, app: ApplicationId) -> Result<Vec<Note>> {
    let rows = sqlx::query(&format!(
        "SELECT {} FROM application_notes WHERE application_id = $1 ORDER BY id",
        APPLICATION_NOTES.select_list()
    ))
    .bind(app.0)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Note {
                id: r.try_get("id")?,
                stage_id: r.try_get::<Option<i64>, _>("stage_id")?.map(StageId),
                rating: r.try_get("rating")?,
                body: r.try_get("body")?,
                by_user_id: r.try_get::<Option<i64>, _>("by_user_id")?.map(UserId),
                by_name: r.try_get("by_name")?,
                at: r.try_get::<Millis, _>("at")?.0,
            })
        })
        .collect()
}

/// The channel a resident first came through (their earliest sign-up's), if any.
pub async fn first_channel(
    conn: &mut AnyConnection,
    resident: ResidentId,
) -> Result<Option<Channel>> {
    let c: Option<Code<Channel>> = sqlx::query_scalar(
        "SELECT channel FROM enrolments WHERE resident_id = $1 ORDER BY signed_up_at, id LIMIT 1",
    )
    .bind(resident.0)
    .fetch_optional(conn)
    .await?;
    Ok(c.map(|c| c.0))
}

/// The places taken of each open posting of a region: its applications that were hired.
pub async fn hired_per_posting(
    conn: &mut AnyConnection,
    region: RegionId,
) -> Result<std::collections::HashMap<PostingId, i64>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT a.posting_id, COUNT(*) FROM applications a JOIN postings p ON p.id = a.posting_id \
         WHERE p.region_id = $1 AND p.status = 'open' AND a.status = 'hired' GROUP BY a.posting_id",
    )
    .bind(region.0)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(p, n)| (PostingId(p), n)).collect())
}

/// The (resident, posting) pairs a region's residents have applied for and not withdrawn from:
/// an allocation does not propose them again.
pub async fn applied_pairs(
    conn: &mut AnyConnection,
    region: RegionId,
) -> Result<std::collections::HashSet<(ResidentId, PostingId)>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT resident_id, posting_id FROM applications \
         WHERE region_id = $1 AND status <> 'withdrawn'",
    )
    .bind(region.0)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(r, p)| (ResidentId(r), PostingId(p)))
        .collect())
}
