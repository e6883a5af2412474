//! Programs, their partner organisations and their sessions.

use chrono::{NaiveDate, NaiveTime};
use jimoto_domain::program::{Partner, Program, ProgramInput, Session, SessionInput};
use jimoto_domain::{
    OrganisationId, Page, PageRequest, ProgramId, RegionId, ResidentId, SessionId,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::codec::{Code, Millis};
use crate::schema::{PROGRAM_PARTNERS, PROGRAM_SESSIONS, PROGRAMS};
use crate::sql::{KeyKind, Order, Sql, Values, fetch_page};
use crate::{Result, StoreError};

/// Newest first: the programs being prepared and run now come before last year's.
const ORDER: Order = Order {
    keys: &[("id", KeyKind::Int)],
    descending: true,
};

fn from_row(r: &AnyRow) -> Result<Program> {
    Ok(Program {
        id: ProgramId(r.try_get("id")?),
        region_id: RegionId(r.try_get("region_id")?),
        kind: r.try_get::<Code<_>, _>("kind")?.0,
        audience: r.try_get::<Code<_>, _>("audience")?.0,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        organiser_id: OrganisationId(r.try_get("organiser_id")?),
        partners: Vec::new(),
        capacity: r.try_get("capacity")?,
        completion: r.try_get::<Code<_>, _>("completion")?.0,
        min_attendance_percent: r.try_get("min_attendance_percent")?,
        created_at: r.try_get::<Millis, _>("created_at")?.0,
        updated_at: r.try_get::<Millis, _>("updated_at")?.0,
    })
}

fn values(i: &ProgramInput, now: Millis) -> Values {
    Values::new(PROGRAMS)
        .set("region_id", i.region_id)
        .set("kind", Code(i.kind))
        .set("audience", Code(i.audience))
        .set("title", i.title.as_str())
        .set("description", i.description.as_str())
        .set("organiser_id", i.organiser_id.0)
        .set("capacity", i.capacity)
        .set("completion", Code(i.completion))
        .set("min_attendance_percent", i.min_attendance_percent)
        .set("updated_at", now)
}

async fn set_partners(conn: &mut AnyConnection, id: ProgramId, partners: &[Partner]) -> Result<()> {
    sqlx::query("DELETE FROM program_partners WHERE program_id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    for (position, p) in partners.iter().enumerate() {
        Values::new(PROGRAM_PARTNERS)
            .set("program_id", id.0)
            .set("organisation_id", p.organisation_id.0)
            .set("role", Code(p.role))
            .set("position", i64::try_from(position).unwrap_or(i64::MAX))
            .insert(conn)
            .await?;
    }
    Ok(())
}

async fn load_partners(conn: &mut AnyConnection, programs: &mut [Program]) -> Result<()> {
    let ids: Vec<i64> = programs.iter().map(|p| p.id.0).collect();
    let mut q = Sql::new("SELECT program_id, organisation_id, role FROM program_partners WHERE ");
    q.bind_in("program_id", &ids)
        .push(" ORDER BY program_id, position");
    let rows = sqlx::query_with(&q.text, q.args()).fetch_all(conn).await?;
    for r in rows {
        let program: i64 = r.try_get("program_id")?;
        let partner = Partner {
            organisation_id: OrganisationId(r.try_get("organisation_id")?),
            role: r.try_get::<Code<_>, _>("role")?.0,
        };
        if let Some(p) = programs.iter_mut().find(|p| p.id.0 == program) {
            p.partners.push(partner);
        }
    }
    Ok(())
}

/// Inserts a program with its partners.
pub async fn insert(conn: &mut AnyConnection, i: &ProgramInput) -> Result<ProgramId> {
    let now = Millis::now();
    let id = ProgramId(
        values(i, now)
            .set("created_at", now)
            .insert_returning_id(conn)
            .await?,
    );
    set_partners(conn, id, &i.partners).await?;
    Ok(id)
}

/// Replaces a program's fields and partners; false when it does not exist.
pub async fn update(conn: &mut AnyConnection, id: ProgramId, i: &ProgramInput) -> Result<bool> {
    let found = values(i, Millis::now()).update_by_id(conn, id.0).await?;
    if found {
        set_partners(conn, id, &i.partners).await?;
    }
    Ok(found)
}

/// One program with its partners.
pub async fn get(conn: &mut AnyConnection, id: ProgramId) -> Result<Option<Program>> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM programs WHERE id = $1",
        PROGRAMS.select_list()
    ))
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let mut programs = vec![from_row(&row)?];
    load_partners(conn, &mut programs).await?;
    Ok(programs.pop())
}

/// A page of programs, newest first: those of `regions` (None: every region), and those an
/// organisation (`partner`) organises or partners in.
pub async fn list(
    conn: &mut AnyConnection,
    regions: Option<&[RegionId]>,
    partner: Option<OrganisationId>,
    page: &PageRequest,
) -> Result<Page<Program>> {
    let mut w = Sql::new(" WHERE (");
    match regions {
        None => {
            w.push("1 = 1");
        }
        Some(r) => {
            w.bind_in(
                "programs.region_id",
                &r.iter().map(|r| r.0).collect::<Vec<_>>(),
            );
        }
    }
    if let Some(o) = partner {
        w.push(" OR programs.organiser_id = ")
            .bind(o.0)
            .push(" OR programs.id IN (SELECT program_id FROM program_partners WHERE organisation_id = ")
            .bind(o.0)
            .push(")");
    }
    w.push(")");
    let mut page = fetch_page(conn, &PROGRAMS, w, None, ORDER, page, from_row).await?;
    load_partners(conn, &mut page.items).await?;
    Ok(page)
}

/// Programs for residents or students of a region that a person holds no place in (nor a
/// waiting one), latest first session first: those a coordinator may sign them up for.
pub async fn enrollable(
    conn: &mut AnyConnection,
    region: RegionId,
    resident: ResidentId,
) -> Result<Vec<(ProgramId, String)>> {
    let rows = sqlx::query(
        "SELECT p.id, p.title FROM programs p WHERE p.region_id = $1 \
         AND p.audience IN ('residents', 'students') \
         AND NOT EXISTS (SELECT 1 FROM enrolments e WHERE e.program_id = p.id \
           AND e.resident_id = $2 AND e.status <> 'cancelled') \
         ORDER BY (SELECT MIN(s.date) FROM program_sessions s WHERE s.program_id = p.id) DESC, \
         p.id DESC LIMIT 200",
    )
    .bind(region.0)
    .bind(resident.0)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((ProgramId(r.try_get("id")?), r.try_get("title")?)))
        .collect()
}

fn date_of(s: &str, column: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| StoreError::Corrupt(format!("{column}: {s:?}: {e}")))
}

fn time_of(s: &str, column: &str) -> Result<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M")
        .map_err(|e| StoreError::Corrupt(format!("{column}: {s:?}: {e}")))
}

fn session_from_row(r: &AnyRow) -> Result<Session> {
    Ok(Session {
        id: SessionId(r.try_get("id")?),
        program_id: ProgramId(r.try_get("program_id")?),
        region_id: RegionId(r.try_get("region_id")?),
        date: date_of(&r.try_get::<String, _>("date")?, "date")?,
        starts_at: time_of(&r.try_get::<String, _>("starts_at")?, "starts_at")?,
        ends_at: time_of(&r.try_get::<String, _>("ends_at")?, "ends_at")?,
        mode: r.try_get::<Code<_>, _>("mode")?.0,
        venue_name: r.try_get("venue_name")?,
        venue_address: r.try_get("venue_address")?,
        online_url: r.try_get("online_url")?,
    })
}

fn session_values(program: &Program, i: &SessionInput, now: Millis) -> Values {
    Values::new(PROGRAM_SESSIONS)
        .set("program_id", program.id.0)
        .set("region_id", program.region_id)
        .set("date", i.date.format("%Y-%m-%d").to_string())
        .set("starts_at", i.starts_at.format("%H:%M").to_string())
        .set("ends_at", i.ends_at.format("%H:%M").to_string())
        .set("mode", Code(i.mode))
        .set("venue_name", i.venue_name.as_str())
        .set("venue_address", i.venue_address.as_str())
        .set("online_url", i.online_url.as_str())
        .set("updated_at", now)
}

/// Adds a session to a program.
pub async fn insert_session(
    conn: &mut AnyConnection,
    program: &Program,
    i: &SessionInput,
) -> Result<SessionId> {
    let now = Millis::now();
    Ok(SessionId(
        session_values(program, i, now)
            .set("created_at", now)
            .insert_returning_id(conn)
            .await?,
    ))
}

/// Changes a session of a program; false when the program has no such session.
pub async fn update_session(
    conn: &mut AnyConnection,
    program: &Program,
    id: SessionId,
    i: &SessionInput,
) -> Result<bool> {
    if get_session(conn, id)
        .await?
        .is_none_or(|s| s.program_id != program.id)
    {
        return Ok(false);
    }
    session_values(program, i, Millis::now())
        .update_by_id(conn, id.0)
        .await
}

/// One session.
pub async fn get_session(conn: &mut AnyConnection, id: SessionId) -> Result<Option<Session>> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM program_sessions WHERE id = $1",
        PROGRAM_SESSIONS.select_list()
    ))
    .bind(id.0)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(session_from_row).transpose()
}

/// A program's sessions in time order.
pub async fn sessions_of(conn: &mut AnyConnection, program: ProgramId) -> Result<Vec<Session>> {
    let rows = sqlx::query(&format!(
        "SELECT {} FROM program_sessions WHERE program_id = $1 ORDER BY date, starts_at, id",
        PROGRAM_SESSIONS.select_list()
    ))
    .bind(program.0)
    .fetch_all(conn)
    .await?;
    rows.iter().map(session_from_row).collect()
}
