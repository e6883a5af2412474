//! The growth path's records: enrolments (with the waiting list), attendance per session, each
//! resident's stage and its dated changes, the keys that recognise a person again, the public
//! sign-up attempts per address, and the raw material of the funnel.

use chrono::{DateTime, NaiveDate, Utc};
use jimoto_domain::growth::{
    Channel, CheckInRow, Enrolment, EnrolmentSource, EnrolmentStatus, FunnelStep, Path,
    ProgramCounts, SessionCount, Stage, StageCause, StageChange, StageNow, Stalled,
};
use jimoto_domain::{ProgramId, RegionId, ResidentId, SessionId, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::codec::{Code, Flag, Millis};
use crate::schema::{ATTENDANCES, ENROLMENTS, RESIDENT_MATCH_KEYS, SIGNUP_ATTEMPTS, STAGE_CHANGES};
use crate::search::{self, SearchKind};
use crate::sql::{Sql, Values};
use crate::{Result, StoreError};

// ---------------------------------------------------------------------------------------------
// Recognising people

/// Replaces the keys a resident is recognised by.
pub async fn set_match_keys(
    conn: &mut AnyConnection,
    resident: ResidentId,
    region: RegionId,
    keys: &[String],
) -> Result<()> {
    sqlx::query("DELETE FROM resident_match_keys WHERE resident_id = $1")
        .bind(resident.0)
        .execute(&mut *conn)
        .await?;
    for k in keys {
        Values::new(RESIDENT_MATCH_KEYS)
            .set("region_id", region)
            .set("match_key", k.as_str())
            .set("resident_id", resident.0)
            .insert(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The residents of a region holding any of these keys, oldest record first.
pub async fn find_by_keys(
    conn: &mut AnyConnection,
    region: RegionId,
    keys: &[String],
) -> Result<Vec<ResidentId>> {
    if keys.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Sql::new("SELECT DISTINCT resident_id FROM resident_match_keys WHERE region_id = ");
    q.bind(region).push(" AND match_key IN (");
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(k.as_str());
    }
    q.push(") ORDER BY resident_id");
    let ids: Vec<i64> = sqlx::query_scalar_with(&q.text, q.args())
        .fetch_all(conn)
        .await?;
    Ok(ids.into_iter().map(ResidentId).collect())
}

// ---------------------------------------------------------------------------------------------
// Stages

fn stage_now_from(r: &AnyRow) -> Result<StageNow> {
    Ok(StageNow {
        stage: r.try_get::<Code<Stage>, _>("stage")?.0,
        since: r.try_get::<Millis, _>("since")?.0,
        completed_at: r.try_get::<Option<Millis>, _>("completed_at")?.map(|m| m.0),
    })
}

/// A resident's stage now (None for a resident that does not exist).
pub async fn stage_now(conn: &mut AnyConnection, resident: ResidentId) -> Result<Option<StageNow>> {
    let row = sqlx::query(
        "SELECT stage, since, completed_at FROM resident_stages WHERE resident_id = $1",
    )
    .bind(resident.0)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(stage_now_from).transpose()
}

/// A change of stage to record.
#[derive(Debug, Clone)]
pub struct NewStage<'a> {
    /// The stage reached.
    pub stage: Stage,
    /// When.
    pub at: DateTime<Utc>,
    /// Why.
    pub cause: StageCause,
    /// The coordinator's reason.
    pub reason: &'a str,
    /// The program whose event caused it.
    pub program: Option<ProgramId>,
    /// Who made it.
    pub by: (Option<UserId>, &'a str),
}

/// Moves a resident to a stage, recording the change. The first completion starts the clock.
pub async fn set_stage(
    conn: &mut AnyConnection,
    resident: ResidentId,
    region: RegionId,
    change: &NewStage<'_>,
) -> Result<()> {
    let previous = stage_now(conn, resident).await?;
    Values::new(STAGE_CHANGES)
        .set("resident_id", resident.0)
        .set("region_id", region)
        .set("stage", Code(change.stage))
        .set(
            "previous",
            crate::sql::Arg::Text(previous.map(|p| p.stage.as_str().to_owned())),
        )
        .set("at", Millis(change.at))
        .set("cause", Code(change.cause))
        .set("reason", change.reason)
        .set("program_id", change.program.map(|p| p.0))
        .set("by_user_id", change.by.0.map(|u| u.0))
        .set("by_name", change.by.1)
        .insert(&mut *conn)
        .await?;
    let completed = match previous.and_then(|p| p.completed_at) {
        Some(c) => Some(c),
        None if change.stage >= Stage::Completed => Some(change.at),
        None => None,
    };
    sqlx::query(
        "INSERT INTO resident_stages (resident_id, region_id, stage, since, completed_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (resident_id) DO UPDATE SET \
         region_id = excluded.region_id, stage = excluded.stage, since = excluded.since, \
         completed_at = excluded.completed_at",
    )
    .bind(resident.0)
    .bind(region.0)
    .bind(change.stage.as_str())
    .bind(Millis(change.at).ms())
    .bind(completed.map(|c| Millis(c).ms()))
    .execute(conn)
    .await?;
    Ok(())
}

/// Clears the clock's start (the completion it started from was undone).
pub async fn clear_completion(conn: &mut AnyConnection, resident: ResidentId) -> Result<()> {
    sqlx::query("UPDATE resident_stages SET completed_at = NULL WHERE resident_id = $1")
        .bind(resident.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// A new resident starts as interested; their keys are stored.
pub async fn register(
    conn: &mut AnyConnection,
    resident: ResidentId,
    region: RegionId,
    keys: &[String],
) -> Result<()> {
    set_stage(
        conn,
        resident,
        region,
        &NewStage {
            stage: Stage::Interested,
            at: Utc::now(),
            cause: StageCause::Registered,
            reason: "",
            program: None,
            by: (None, ""),
        },
    )
    .await?;
    set_match_keys(conn, resident, region, keys).await
}

/// A resident moved region: their stage row follows.
pub async fn moved(conn: &mut AnyConnection, resident: ResidentId, region: RegionId) -> Result<()> {
    sqlx::query("UPDATE resident_stages SET region_id = $1 WHERE resident_id = $2")
        .bind(region.0)
        .bind(resident.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// A resident's stage changes in the order they were recorded (each with the time of its event).
pub async fn stage_history(
    conn: &mut AnyConnection,
    resident: ResidentId,
) -> Result<Vec<StageChange>> {
    let rows = sqlx::query(
        "SELECT stage, previous, at, cause, reason, program_id, by_name FROM stage_changes \
         WHERE resident_id = $1 ORDER BY id",
    )
    .bind(resident.0)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StageChange {
                stage: r.try_get::<Code<Stage>, _>("stage")?.0,
                previous: r
                    .try_get::<Option<Code<Stage>>, _>("previous")?
                    .map(|c| c.0),
                at: r.try_get::<Millis, _>("at")?.0,
                cause: r.try_get::<Code<StageCause>, _>("cause")?.0,
                reason: r.try_get("reason")?,
                program_id: r.try_get::<Option<i64>, _>("program_id")?.map(ProgramId),
                by_name: r.try_get("by_name")?,
            })
        })
        .collect()
}

/// People of `regions` (None: all) with no next step since `before`, longest waiting first,
/// with their last contact; and how many there are in all.
pub async fn stalled(
    conn: &mut AnyConnection,
    regions: Option<&[RegionId]>,
    before: DateTime<Utc>,
    limit: i64,
) -> Result<(Vec<Stalled>, i64)> {
    let mut w = Sql::new(" WHERE s.since < ");
    w.bind(Millis(before)).push(" AND s.stage <> ");
    w.bind(Stage::Recurring.as_str());
    w.and_in_regions("s.region_id", regions);
    let mut count = Sql::new("SELECT COUNT(*) FROM resident_stages s");
    count.push(&w.text);
    let total: i64 = sqlx::query_scalar_with(&count.text, w.args())
        .fetch_one(&mut *conn)
        .await?;
    let mut q = Sql::new(
        "SELECT s.resident_id, s.region_id, r.name, s.stage, s.since, s.completed_at, \
         (SELECT MAX(c.contacted_on) FROM resident_contacts c WHERE c.resident_id = s.resident_id) \
         AS last_contact FROM resident_stages s JOIN residents r ON r.id = s.resident_id",
    );
    q.push(&w.text);
    let text = format!(
        "{} ORDER BY s.since, s.resident_id LIMIT {}",
        q.text,
        limit.max(0)
    );
    let rows = sqlx::query_with(&text, w.args()).fetch_all(conn).await?;
    let now = Utc::now();
    let list = rows
        .iter()
        .map(|r| {
            let stage = stage_now_from(r)?;
            let last: Option<String> = r.try_get("last_contact")?;
            Ok(Stalled {
                resident_id: ResidentId(r.try_get("resident_id")?),
                region_id: RegionId(r.try_get("region_id")?),
                name: r.try_get("name")?,
                days: (now - stage.since).num_days(),
                stage,
                last_contact: last
                    .map(|d| {
                        NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                            .map_err(|e| StoreError::Corrupt(format!("contacted_on: {d:?}: {e}")))
                    })
                    .transpose()?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((list, total))
}

// ---------------------------------------------------------------------------------------------
// Enrolments

fn enrolment_from(r: &AnyRow) -> Result<Enrolment> {
    Ok(Enrolment {
        id: r.try_get("id")?,
        program_id: ProgramId(r.try_get("program_id")?),
        region_id: RegionId(r.try_get("region_id")?),
        resident_id: ResidentId(r.try_get("resident_id")?),
        name: r.try_get("name")?,
        name_kana: r.try_get("name_kana")?,
        status: r.try_get::<Code<EnrolmentStatus>, _>("status")?.0,
        channel: r.try_get::<Code<Channel>, _>("channel")?.0,
        source: r.try_get::<Code<EnrolmentSource>, _>("source")?.0,
        consent_version: r.try_get("consent_version")?,
        signed_up_at: r.try_get::<Millis, _>("signed_up_at")?.0,
        completed_at: r.try_get::<Option<Millis>, _>("completed_at")?.map(|m| m.0),
        attended: r.try_get("attended")?,
        waiting_position: None,
    })
}

const ENROLMENT_SELECT: &str = "SELECT e.id, e.program_id, e.region_id, e.resident_id, r.name, \
     r.name_kana, e.status, e.channel, e.source, e.consent_version, e.signed_up_at, \
     e.completed_at, (SELECT COUNT(*) FROM attendances a WHERE a.program_id = e.program_id \
     AND a.resident_id = e.resident_id) AS attended \
     FROM enrolments e JOIN residents r ON r.id = e.resident_id";

/// Takes the program's row lock for the rest of the transaction, so that two sign-ups cannot
/// both take the last place (PostgreSQL locks the row; SQLite takes its write lock).
pub async fn lock_program(conn: &mut AnyConnection, program: ProgramId) -> Result<()> {
    sqlx::query("UPDATE programs SET updated_at = updated_at WHERE id = $1")
        .bind(program.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// A new enrolment.
#[derive(Debug, Clone)]
pub struct NewEnrolment<'a> {
    /// The program.
    pub program: ProgramId,
    /// Its region.
    pub region: RegionId,
    /// The person.
    pub resident: ResidentId,
    /// Place or waiting list.
    pub status: EnrolmentStatus,
    /// How they heard of it.
    pub channel: Channel,
    /// How they were enrolled.
    pub source: EnrolmentSource,
    /// The consent text's version.
    pub consent_version: &'a str,
    /// When.
    pub at: DateTime<Utc>,
}

/// Inserts an enrolment.
pub async fn insert_enrolment(conn: &mut AnyConnection, e: &NewEnrolment<'_>) -> Result<i64> {
    Values::new(ENROLMENTS)
        .set("program_id", e.program.0)
        .set("region_id", e.region)
        .set("resident_id", e.resident.0)
        .set("status", Code(e.status))
        .set("channel", Code(e.channel))
        .set("source", Code(e.source))
        .set("consent_version", e.consent_version)
        .set("signed_up_at", Millis(e.at))
        .set("updated_at", Millis::now())
        .insert_returning_id(conn)
        .await
}

/// One person's enrolment in a program.
pub async fn enrolment_of(
    conn: &mut AnyConnection,
    program: ProgramId,
    resident: ResidentId,
) -> Result<Option<Enrolment>> {
    let row = sqlx::query(&format!(
        "{ENROLMENT_SELECT} WHERE e.program_id = $1 AND e.resident_id = $2"
    ))
    .bind(program.0)
    .bind(resident.0)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(mut e) = row.as_ref().map(enrolment_from).transpose()? else {
        return Ok(None);
    };
    e.waiting_position = waiting_position(conn, &e).await?;
    Ok(Some(e))
}

/// One enrolment by id.
pub async fn enrolment(conn: &mut AnyConnection, id: i64) -> Result<Option<Enrolment>> {
    let row = sqlx::query(&format!("{ENROLMENT_SELECT} WHERE e.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(mut e) = row.as_ref().map(enrolment_from).transpose()? else {
        return Ok(None);
    };
    e.waiting_position = waiting_position(conn, &e).await?;
    Ok(Some(e))
}

async fn waiting_position(conn: &mut AnyConnection, e: &Enrolment) -> Result<Option<i64>> {
    if e.status != EnrolmentStatus::Waiting {
        return Ok(None);
    }
    let ahead: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM enrolments WHERE program_id = $1 AND status = 'waiting' \
         AND (signed_up_at < $2 OR (signed_up_at = $2 AND id < $3))",
    )
    .bind(e.program_id.0)
    .bind(Millis(e.signed_up_at).ms())
    .bind(e.id)
    .fetch_one(conn)
    .await?;
    Ok(Some(ahead + 1))
}

/// A program's enrolments with a status (None: all), by reading.
pub async fn enrolments(
    conn: &mut AnyConnection,
    program: ProgramId,
    status: Option<EnrolmentStatus>,
) -> Result<Vec<Enrolment>> {
    let mut q = Sql::new(&format!("{ENROLMENT_SELECT} WHERE e.program_id = "));
    q.bind(program.0);
    if let Some(s) = status {
        q.push(" AND e.status = ").bind(s.as_str());
    }
    q.push(if status == Some(EnrolmentStatus::Waiting) {
        " ORDER BY e.signed_up_at, e.id"
    } else {
        " ORDER BY r.name_kana, e.id"
    });
    let rows = sqlx::query_with(&q.text, q.args()).fetch_all(conn).await?;
    let mut list = rows
        .iter()
        .map(enrolment_from)
        .collect::<Result<Vec<_>>>()?;
    if status == Some(EnrolmentStatus::Waiting) {
        for (i, e) in list.iter_mut().enumerate() {
            e.waiting_position = Some(i64::try_from(i).unwrap_or(i64::MAX) + 1);
        }
    }
    Ok(list)
}

/// A resident's enrolments in every program, newest first.
pub async fn enrolments_of_resident(
    conn: &mut AnyConnection,
    resident: ResidentId,
) -> Result<Vec<Enrolment>> {
    let rows = sqlx::query(&format!(
        "{ENROLMENT_SELECT} WHERE e.resident_id = $1 ORDER BY e.signed_up_at DESC, e.id DESC"
    ))
    .bind(resident.0)
    .fetch_all(conn)
    .await?;
    rows.iter().map(enrolment_from).collect()
}

/// Sets an enrolment's status.
pub async fn set_status(conn: &mut AnyConnection, id: i64, status: EnrolmentStatus) -> Result<()> {
    sqlx::query("UPDATE enrolments SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.as_str())
        .bind(Millis::now().ms())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Sets or clears when an enrolment was completed.
pub async fn set_completed(
    conn: &mut AnyConnection,
    id: i64,
    at: Option<DateTime<Utc>>,
) -> Result<()> {
    sqlx::query("UPDATE enrolments SET completed_at = $1, updated_at = $2 WHERE id = $3")
        .bind(at.map(|a| Millis(a).ms()))
        .bind(Millis::now().ms())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// People holding a place.
pub async fn count_enrolled(conn: &mut AnyConnection, program: ProgramId) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM enrolments WHERE program_id = $1 AND status = 'enrolled'",
    )
    .bind(program.0)
    .fetch_one(conn)
    .await?)
}

/// The enrolment first in line on the waiting list.
pub async fn first_waiting(conn: &mut AnyConnection, program: ProgramId) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM enrolments WHERE program_id = $1 AND status = 'waiting' \
         ORDER BY signed_up_at, id LIMIT 1",
    )
    .bind(program.0)
    .fetch_optional(conn)
    .await?)
}

// ---------------------------------------------------------------------------------------------
// Attendance

/// A session's check-in list: everyone holding a place, and anyone else checked in.
pub async fn check_in_list(
    conn: &mut AnyConnection,
    program: ProgramId,
    session: SessionId,
) -> Result<Vec<CheckInRow>> {
    let rows = sqlx::query(
        "SELECT r.id, r.name, r.name_kana, a.walk_in, a.resident_id AS present \
         FROM residents r \
         LEFT JOIN attendances a ON a.session_id = $2 AND a.resident_id = r.id \
         WHERE r.id IN (SELECT resident_id FROM enrolments WHERE program_id = $1 AND status = 'enrolled') \
            OR r.id IN (SELECT resident_id FROM attendances WHERE session_id = $2) \
         ORDER BY r.name_kana, r.id",
    )
    .bind(program.0)
    .bind(session.0)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CheckInRow {
                resident_id: ResidentId(r.try_get("id")?),
                name: r.try_get("name")?,
                name_kana: r.try_get("name_kana")?,
                present: r.try_get::<Option<i64>, _>("present")?.is_some(),
                walk_in: r
                    .try_get::<Option<Flag>, _>("walk_in")?
                    .is_some_and(|f| f.0),
            })
        })
        .collect()
}

/// A person checked in at a session.
#[derive(Debug, Clone, Copy)]
pub struct NewAttendance {
    /// The session.
    pub session: SessionId,
    /// Its program.
    pub program: ProgramId,
    /// Its region.
    pub region: RegionId,
    /// The person.
    pub resident: ResidentId,
    /// When the session started.
    pub at: DateTime<Utc>,
    /// Added on the spot.
    pub walk_in: bool,
}

/// Checks a person in (nothing happens if they already are).
pub async fn add_attendance(conn: &mut AnyConnection, a: NewAttendance) -> Result<()> {
    let exists: Option<i64> = sqlx::query_scalar(
        "SELECT resident_id FROM attendances WHERE session_id = $1 AND resident_id = $2",
    )
    .bind(a.session.0)
    .bind(a.resident.0)
    .fetch_optional(&mut *conn)
    .await?;
    if exists.is_some() {
        return Ok(());
    }
    Values::new(ATTENDANCES)
        .set("session_id", a.session.0)
        .set("resident_id", a.resident.0)
        .set("program_id", a.program.0)
        .set("region_id", a.region)
        .set("attended_at", Millis(a.at))
        .set("walk_in", Flag(a.walk_in))
        .insert(conn)
        .await
}

/// Removes a check-in.
pub async fn remove_attendance(
    conn: &mut AnyConnection,
    session: SessionId,
    resident: ResidentId,
) -> Result<()> {
    sqlx::query("DELETE FROM attendances WHERE session_id = $1 AND resident_id = $2")
        .bind(session.0)
        .bind(resident.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// When a person attended a program's sessions, in time order.
pub async fn attended_times(
    conn: &mut AnyConnection,
    program: ProgramId,
    resident: ResidentId,
) -> Result<Vec<DateTime<Utc>>> {
    let rows: Vec<i64> = sqlx::query_scalar(
        "SELECT attended_at FROM attendances WHERE program_id = $1 AND resident_id = $2 \
         ORDER BY attended_at",
    )
    .bind(program.0)
    .bind(resident.0)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|ms| {
            DateTime::from_timestamp_millis(ms)
                .ok_or_else(|| StoreError::Corrupt(format!("attended_at: {ms}")))
        })
        .collect()
}

/// A program's attendances (延べ): one row per person per session, by session then reading.
pub async fn attendance_rows(
    conn: &mut AnyConnection,
    program: ProgramId,
) -> Result<Vec<(SessionId, ResidentId, String, bool)>> {
    let rows = sqlx::query(
        "SELECT a.session_id, a.resident_id, r.name, a.walk_in FROM attendances a \
         JOIN residents r ON r.id = a.resident_id JOIN program_sessions s ON s.id = a.session_id \
         WHERE a.program_id = $1 ORDER BY s.date, s.starts_at, s.id, r.name_kana, r.id",
    )
    .bind(program.0)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                SessionId(r.try_get("session_id")?),
                ResidentId(r.try_get("resident_id")?),
                r.try_get("name")?,
                r.try_get::<Flag, _>("walk_in")?.0,
            ))
        })
        .collect()
}

/// A program's figures: unique people per status, attendances and unique attendees, per
/// session.
pub async fn program_counts(conn: &mut AnyConnection, program: ProgramId) -> Result<ProgramCounts> {
    let mut c = ProgramCounts::default();
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, COUNT(*) FROM enrolments WHERE program_id = $1 GROUP BY status",
    )
    .bind(program.0)
    .fetch_all(&mut *conn)
    .await?;
    for (status, n) in rows {
        match EnrolmentStatus::parse(&status) {
            Some(EnrolmentStatus::Enrolled) => c.enrolled_people = n,
            Some(EnrolmentStatus::Waiting) => c.waiting_people = n,
            Some(EnrolmentStatus::Cancelled) => c.cancelled_people = n,
            None => {
                return Err(StoreError::Corrupt(format!(
                    "enrolments.status: {status:?}"
                )));
            }
        }
    }
    c.completed_people = sqlx::query_scalar(
        "SELECT COUNT(*) FROM enrolments WHERE program_id = $1 AND completed_at IS NOT NULL",
    )
    .bind(program.0)
    .fetch_one(&mut *conn)
    .await?;
    let (attendances, people): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT resident_id) FROM attendances WHERE program_id = $1",
    )
    .bind(program.0)
    .fetch_one(&mut *conn)
    .await?;
    c.attendances = attendances;
    c.attended_people = people;
    let per: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT s.id, (SELECT COUNT(*) FROM attendances a WHERE a.session_id = s.id) \
         FROM program_sessions s WHERE s.program_id = $1 ORDER BY s.date, s.starts_at, s.id",
    )
    .bind(program.0)
    .fetch_all(conn)
    .await?;
    c.per_session = per
        .into_iter()
        .map(|(id, n)| SessionCount {
            session_id: SessionId(id),
            attendances: n,
        })
        .collect();
    Ok(c)
}

// ---------------------------------------------------------------------------------------------
// Public sign-up attempts

/// Records a public sign-up attempt from an address.
pub async fn record_signup_attempt(conn: &mut AnyConnection, ip: &str) -> Result<()> {
    Values::new(SIGNUP_ATTEMPTS)
        .set("ip", ip)
        .set("at", Millis::now())
        .insert(conn)
        .await
}

/// Sign-up attempts from an address since a time.
pub async fn signup_attempts_since(
    conn: &mut AnyConnection,
    ip: &str,
    since: DateTime<Utc>,
) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM signup_attempts WHERE ip = $1 AND at >= $2")
            .bind(ip)
            .bind(Millis(since).ms())
            .fetch_one(conn)
            .await?,
    )
}

/// Forgets attempts older than a time.
pub async fn forget_signup_attempts(conn: &mut AnyConnection, before: DateTime<Utc>) -> Result<()> {
    sqlx::query("DELETE FROM signup_attempts WHERE at < $1")
        .bind(Millis(before).ms())
        .execute(conn)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The funnel

/// Whose funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cohort {
    /// Everyone who signed up for a program.
    Program(ProgramId),
    /// Everyone who signed up for anything in a region.
    Region(RegionId),
    /// Everyone in a region who heard of a program through a channel.
    Channel(RegionId, Channel),
    /// Everyone in a region (None: all regions) who signed up between two instants.
    Period(Option<RegionId>, DateTime<Utc>, DateTime<Utc>),
}

impl Cohort {
    fn filter(self) -> Sql {
        let mut w = Sql::new(" WHERE ");
        match self {
            Self::Program(p) => {
                w.push("e.program_id = ").bind(p.0);
            }
            Self::Region(r) => {
                w.push("e.region_id = ").bind(r);
            }
            Self::Channel(r, c) => {
                w.push("e.region_id = ")
                    .bind(r)
                    .push(" AND e.channel = ")
                    .bind(c.as_str());
            }
            Self::Period(r, from, to) => {
                w.push("e.signed_up_at >= ")
                    .bind(Millis(from))
                    .push(" AND e.signed_up_at < ")
                    .bind(Millis(to));
                if let Some(r) = r {
                    w.push(" AND e.region_id = ").bind(r);
                }
            }
        }
        w
    }
}

fn day_of(ms: i64) -> Result<NaiveDate> {
    DateTime::from_timestamp_millis(ms)
        .map(jimoto_domain::calendar::jst_date)
        .ok_or_else(|| StoreError::Corrupt(format!("time out of range: {ms}")))
}

/// When each person of a cohort first reached each step of the funnel: signing up, attending
/// and completing within the cohort's programs; the later steps wherever they happened.
pub async fn funnel_paths(conn: &mut AnyConnection, cohort: Cohort) -> Result<Vec<Path>> {
    use std::collections::HashMap;
    let w = cohort.filter();
    let mut paths: HashMap<i64, Path> = HashMap::new();
    let q = format!(
        "SELECT e.resident_id, MIN(e.signed_up_at), MIN(e.completed_at) FROM enrolments e {} \
         GROUP BY e.resident_id",
        w.text
    );
    let rows: Vec<(i64, i64, Option<i64>)> = sqlx::query_as_with(&q, w.args())
        .fetch_all(&mut *conn)
        .await?;
    for (r, signed, completed) in rows {
        let p = paths.entry(r).or_default();
        p.0[0] = Some(day_of(signed)?);
        p.0[2] = completed.map(day_of).transpose()?;
    }
    let q = format!(
        "SELECT a.resident_id, MIN(a.attended_at) FROM attendances a JOIN enrolments e \
         ON e.program_id = a.program_id AND e.resident_id = a.resident_id {} \
         GROUP BY a.resident_id",
        w.text
    );
    let rows: Vec<(i64, i64)> = sqlx::query_as_with(&q, w.args())
        .fetch_all(&mut *conn)
        .await?;
    for (r, at) in rows {
        if let Some(p) = paths.get_mut(&r) {
            p.0[1] = Some(day_of(at)?);
        }
    }
    let q = format!(
        "SELECT c.resident_id, c.stage, MIN(c.at) FROM stage_changes c \
         WHERE c.stage IN ('applied', 'hired', 'first_paid', 'recurring') AND c.resident_id IN \
         (SELECT e.resident_id FROM enrolments e {}) GROUP BY c.resident_id, c.stage",
        w.text
    );
    let rows: Vec<(i64, String, i64)> = sqlx::query_as_with(&q, w.args())
        .fetch_all(&mut *conn)
        .await?;
    for (r, stage, at) in rows {
        let stage = Stage::parse(&stage)
            .ok_or_else(|| StoreError::Corrupt(format!("stage_changes.stage: {stage:?}")))?;
        let day = day_of(at)?;
        let Some(p) = paths.get_mut(&r) else { continue };
        // Reaching a later step means the earlier work steps were passed then too.
        for (i, step) in FunnelStep::ALL.iter().enumerate().skip(3) {
            if step.stage() <= stage && p.0[i].is_none_or(|d| day < d) {
                p.0[i] = Some(day);
            }
        }
    }
    Ok(paths.into_values().collect())
}

// ---------------------------------------------------------------------------------------------
// Merging two records of one person

/// Moves everything of `drop` to `keep` and deletes `drop`: enrolments (where `keep` has none in
/// that program), attendances (where `keep` was not checked in), contacts, stage history, match
/// keys, applications (where `keep` has none to that posting), contracts, pay periods,
/// evaluations and the income thresholds that matter to them; the further stage and the earlier completion are kept. `drop`'s login moves
/// if `keep` has none.
pub async fn merge(conn: &mut AnyConnection, keep: ResidentId, drop: ResidentId) -> Result<()> {
    let (k, d) = (keep.0, drop.0);
    let steps: &[&str] = &[
        "UPDATE attendances SET resident_id = $1 WHERE resident_id = $2 AND session_id NOT IN \
         (SELECT session_id FROM attendances WHERE resident_id = $1)",
        "UPDATE enrolments SET completed_at = (SELECT MIN(o.completed_at) FROM enrolments o \
         WHERE o.program_id = enrolments.program_id AND o.resident_id IN ($1, $2)) \
         WHERE resident_id = $1",
        "UPDATE enrolments SET resident_id = $1 WHERE resident_id = $2 AND program_id NOT IN \
         (SELECT program_id FROM enrolments WHERE resident_id = $1)",
        "UPDATE resident_contacts SET resident_id = $1 WHERE resident_id = $2",
        "UPDATE stage_changes SET resident_id = $1 WHERE resident_id = $2",
        // Work: applications move unless both applied to the same posting (the kept record's
        // application stays; the other's contract, if any, keeps its terms without it).
        "UPDATE applications SET resident_id = $1 WHERE resident_id = $2 AND posting_id NOT IN \
         (SELECT posting_id FROM applications WHERE resident_id = $1)",
        "UPDATE engagements SET application_id = NULL WHERE application_id IN \
         (SELECT id FROM applications WHERE resident_id = $2) AND CAST($1 AS BIGINT) <> 0",
        "DELETE FROM applications WHERE resident_id = $2 AND CAST($1 AS BIGINT) <> 0",
        "UPDATE engagements SET resident_id = $1 WHERE resident_id = $2",
        "UPDATE pay_periods SET resident_id = $1 WHERE resident_id = $2",
        "UPDATE evaluations SET resident_id = $1 WHERE resident_id = $2",
        "INSERT INTO resident_thresholds (resident_id, kind) SELECT $1, kind FROM \
         resident_thresholds WHERE resident_id = $2 AND kind NOT IN \
         (SELECT kind FROM resident_thresholds WHERE resident_id = $1)",
        "INSERT INTO resident_match_keys (region_id, match_key, resident_id) \
         SELECT region_id, match_key, $1 FROM resident_match_keys WHERE resident_id = $2 \
         AND match_key NOT IN (SELECT match_key FROM resident_match_keys WHERE resident_id = $1)",
    ];
    for s in steps {
        sqlx::query(s).bind(k).bind(d).execute(&mut *conn).await?;
    }
    let a = stage_now(conn, keep).await?;
    let b = stage_now(conn, drop).await?;
    if let (Some(a), Some(b)) = (a, b) {
        let further = if b.stage > a.stage { b } else { a };
        let completed = match (a.completed_at, b.completed_at) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        };
        sqlx::query(
            "UPDATE resident_stages SET stage = $1, since = $2, completed_at = $3 \
             WHERE resident_id = $4",
        )
        .bind(further.stage.as_str())
        .bind(Millis(further.since).ms())
        .bind(completed.map(|c| Millis(c).ms()))
        .bind(k)
        .execute(&mut *conn)
        .await?;
    }
    let user: Option<Option<i64>> =
        sqlx::query_scalar("SELECT user_id FROM residents WHERE id = $1")
            .bind(d)
            .fetch_optional(&mut *conn)
            .await?;
    search::remove(conn, SearchKind::Resident, d).await?;
    search::remove(conn, SearchKind::ResidentSkills, d).await?;
    sqlx::query("DELETE FROM residents WHERE id = $1")
        .bind(d)
        .execute(&mut *conn)
        .await?;
    if let Some(Some(u)) = user {
        sqlx::query("UPDATE residents SET user_id = $1 WHERE id = $2 AND user_id IS NULL")
            .bind(u)
            .bind(k)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Gives every resident a stage (interested, since their record was made) and their keys: the
/// backfill for records made before the growth path existed.
pub(crate) async fn backfill(conn: &mut AnyConnection) -> Result<()> {
    sqlx::query(
        "INSERT INTO resident_stages (resident_id, region_id, stage, since, completed_at) \
         SELECT id, region_id, 'interested', created_at, NULL FROM residents",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO stage_changes (resident_id, region_id, stage, previous, at, cause) \
         SELECT id, region_id, 'interested', NULL, created_at, 'registered' FROM residents",
    )
    .execute(&mut *conn)
    .await?;
    let rows: Vec<(i64, i64, String, String, String)> =
        sqlx::query_as("SELECT id, region_id, name_kana, phone, email FROM residents")
            .fetch_all(&mut *conn)
            .await?;
    for (id, region, kana, phone, email) in rows {
        let keys = jimoto_domain::growth::match_keys(&kana, &phone, &email);
        set_match_keys(conn, ResidentId(id), RegionId(region), &keys).await?;
    }
    Ok(())
}

/// When a resident first did what moves them along the path on their own: signed up (an
/// active enrolment), attended a session, completed a program.
pub async fn event_times(
    conn: &mut AnyConnection,
    resident: ResidentId,
) -> Result<[Option<DateTime<Utc>>; 3]> {
    let (signed, completed): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT MIN(CASE WHEN status <> 'cancelled' THEN signed_up_at END), MIN(completed_at) \
         FROM enrolments WHERE resident_id = $1",
    )
    .bind(resident.0)
    .fetch_one(&mut *conn)
    .await?;
    let attended: Option<i64> =
        sqlx::query_scalar("SELECT MIN(attended_at) FROM attendances WHERE resident_id = $1")
            .bind(resident.0)
            .fetch_one(conn)
            .await?;
    let t = |ms: Option<i64>| {
        ms.map(|ms| {
            DateTime::from_timestamp_millis(ms)
                .ok_or_else(|| StoreError::Corrupt(format!("time out of range: {ms}")))
        })
        .transpose()
    };
    Ok([t(signed)?, t(attended)?, t(completed)?])
}

/// The cause of a resident's latest stage change.
pub async fn last_cause(
    conn: &mut AnyConnection,
    resident: ResidentId,
) -> Result<Option<StageCause>> {
    let c: Option<String> = sqlx::query_scalar(
        "SELECT cause FROM stage_changes WHERE resident_id = $1 ORDER BY at DESC, id DESC LIMIT 1",
    )
    .bind(resident.0)
    .fetch_optional(conn)
    .await?;
    c.map(|c| {
        StageCause::parse(&c)
            .ok_or_else(|| StoreError::Corrupt(format!("stage_changes.cause: {c:?}")))
    })
    .transpose()
}

/// Other residents of a region with the same reading: records the keys may have missed.
pub async fn same_reading(
    conn: &mut AnyConnection,
    region: RegionId,
    kana: &str,
    except: ResidentId,
) -> Result<Vec<(ResidentId, String, String, String)>> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, name, phone, email FROM residents WHERE region_id = $1 AND name_kana = $2 \
         AND id <> $3 ORDER BY id LIMIT 20",
    )
    .bind(region.0)
    .bind(kana)
    .bind(except.0)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, n, p, e)| (ResidentId(id), n, p, e))
        .collect())
}

/// The stage of every resident of a region who has one (what matching reads).
pub async fn stages_in(
    conn: &mut AnyConnection,
    region: RegionId,
) -> Result<std::collections::HashMap<ResidentId, StageNow>> {
    let rows = sqlx::query(
        "SELECT resident_id, stage, since, completed_at FROM resident_stages WHERE region_id = $1",
    )
    .bind(region.0)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((ResidentId(r.try_get("resident_id")?), stage_now_from(r)?)))
        .collect()
}

/// A region's programs that people have completed, with how many (the cohorts an allocation
/// can take), newest first.
pub async fn completed_programs(
    conn: &mut AnyConnection,
    region: RegionId,
) -> Result<Vec<(ProgramId, String, i64)>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT p.id, p.title, COUNT(*) FROM programs p JOIN enrolments e ON e.program_id = p.id \
         WHERE p.region_id = $1 AND e.completed_at IS NOT NULL AND e.status = 'enrolled' \
         GROUP BY p.id, p.title ORDER BY p.id DESC",
    )
    .bind(region.0)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, n)| (ProgramId(id), title, n))
        .collect())
}
