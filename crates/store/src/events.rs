//! Records around a program's sessions: participants' voices, the organisations and people at
//! company events with their follow-up actions, and uploaded participant lists awaiting import.

use chrono::{DateTime, NaiveDate, Utc};
use jimoto_domain::event::{
    EventCounts, EventOrganisation, EventOrganisationInput, EventParticipant, FollowUp,
    FollowUpInput, FollowUpStatus, ParticipantInput, Voice, VoiceInput,
};
use jimoto_domain::{OrganisationId, ProgramId, RegionId, ResidentId, SessionId, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::codec::{Code, Flag, Millis};
use crate::schema::{EVENT_ORGANISATIONS, EVENT_PARTICIPANTS, FOLLOW_UPS, SESSION_VOICES};
use crate::sql::{Sql, Values};
use crate::{Result, StoreError};

fn date_of(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("follow_ups.due: {s}")))
}

// ---------------------------------------------------------------------------------------------
// Voices

/// Records a voice.
pub async fn insert_voice(
    conn: &mut AnyConnection,
    program: ProgramId,
    region: RegionId,
    v: &VoiceInput,
    by: Option<UserId>,
) -> Result<i64> {
    Values::new(SESSION_VOICES)
        .set("session_id", v.session_id.0)
        .set("program_id", program.0)
        .set("region_id", region)
        .set("resident_id", v.resident_id.map(|r| r.0))
        .set("body", v.body.as_str())
        .set("may_quote", Flag(v.may_quote))
        .set("attribution", v.attribution.as_str())
        .set("recorded_at", Millis::now())
        .set("by_user_id", by.map(|u| u.0))
        .insert_returning_id(conn)
        .await
}

/// Deletes a voice of a program; false if there was none.
pub async fn delete_voice(conn: &mut AnyConnection, program: ProgramId, id: i64) -> Result<bool> {
    let done = sqlx::query("DELETE FROM session_voices WHERE id = $1 AND program_id = $2")
        .bind(id)
        .bind(program.0)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

fn voice_from(r: &AnyRow) -> Result<Voice> {
    Ok(Voice {
        id: r.try_get("id")?,
        session_id: SessionId(r.try_get("session_id")?),
        session_date: NaiveDate::parse_from_str(&r.try_get::<String, _>("date")?, "%Y-%m-%d")
            .map_err(|_| StoreError::Corrupt("program_sessions.date".into()))?,
        program_id: ProgramId(r.try_get("program_id")?),
        resident_id: r.try_get::<Option<i64>, _>("resident_id")?.map(ResidentId),
        resident_name: r.try_get("resident_name")?,
        body: r.try_get("body")?,
        may_quote: r.try_get::<Flag, _>("may_quote")?.0,
        attribution: r.try_get("attribution")?,
        recorded_at: r.try_get::<Millis, _>("recorded_at")?.0,
    })
}

/// A program's voices, by session then as recorded; only those that may be quoted when
/// `quotable_only`.
pub async fn voices(
    conn: &mut AnyConnection,
    program: ProgramId,
    quotable_only: bool,
) -> Result<Vec<Voice>> {
    let mut q = Sql::new(
        "SELECT v.id, v.session_id, s.date, v.program_id, v.resident_id, r.name AS resident_name, \
         v.body, v.may_quote, v.attribution, v.recorded_at \
         FROM session_voices v JOIN program_sessions s ON s.id = v.session_id \
         LEFT JOIN residents r ON r.id = v.resident_id WHERE v.program_id = ",
    );
    q.bind(program.0);
    if quotable_only {
        q.push(" AND v.may_quote = 1");
    }
    q.push(" ORDER BY s.date, s.starts_at, v.id");
    let rows = sqlx::query_with(&q.text, q.args()).fetch_all(conn).await?;
    rows.iter().map(voice_from).collect()
}

// ---------------------------------------------------------------------------------------------
// Organisations and people at company events

/// Records an organisation at an event, or updates its purpose and involvement.
pub async fn upsert_event_organisation(
    conn: &mut AnyConnection,
    program: ProgramId,
    region: RegionId,
    i: &EventOrganisationInput,
) -> Result<i64> {
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM event_organisations WHERE program_id = $1 AND organisation_id = $2",
    )
    .bind(program.0)
    .bind(i.organisation_id.0)
    .fetch_optional(&mut *conn)
    .await?;
    let values = Values::new(EVENT_ORGANISATIONS)
        .set("purpose", i.purpose.as_str())
        .set("involvement", i.involvement.as_str())
        .set("updated_at", Millis::now());
    match existing {
        Some(id) => {
            values.update_by_id(conn, id).await?;
            Ok(id)
        }
        None => {
            values
                .set("program_id", program.0)
                .set("region_id", region)
                .set("organisation_id", i.organisation_id.0)
                .insert_returning_id(conn)
                .await
        }
    }
}

/// Removes an organisation from an event (its people stay, with its name).
pub async fn remove_event_organisation(
    conn: &mut AnyConnection,
    program: ProgramId,
    organisation: OrganisationId,
) -> Result<bool> {
    sqlx::query(
        "UPDATE event_participants SET organisation_name = \
         (SELECT name FROM organisations WHERE id = $2), organisation_id = NULL \
         WHERE program_id = $1 AND organisation_id = $2",
    )
    .bind(program.0)
    .bind(organisation.0)
    .execute(&mut *conn)
    .await?;
    let done = sqlx::query(
        "DELETE FROM event_organisations WHERE program_id = $1 AND organisation_id = $2",
    )
    .bind(program.0)
    .bind(organisation.0)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The organisations at an event, by name.
pub async fn event_organisations(
    conn: &mut AnyConnection,
    program: ProgramId,
) -> Result<Vec<EventOrganisation>> {
    let rows = sqlx::query(
        "SELECT eo.id, eo.program_id, eo.organisation_id, o.name, eo.purpose, eo.involvement, \
         (SELECT COUNT(*) FROM event_participants p WHERE p.program_id = eo.program_id \
            AND p.organisation_id = eo.organisation_id) AS people, \
         (SELECT COUNT(*) FROM follow_ups f WHERE f.program_id = eo.program_id \
            AND f.organisation_id = eo.organisation_id AND f.status <> 'done') AS open_follow_ups \
         FROM event_organisations eo JOIN organisations o ON o.id = eo.organisation_id \
         WHERE eo.program_id = $1 ORDER BY eo.id",
    )
    .bind(program.0)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(EventOrganisation {
                id: r.try_get("id")?,
                program_id: ProgramId(r.try_get("program_id")?),
                organisation_id: OrganisationId(r.try_get("organisation_id")?),
                organisation_name: r.try_get("name")?,
                purpose: r.try_get("purpose")?,
                involvement: r.try_get("involvement")?,
                people: r.try_get("people")?,
                open_follow_ups: r.try_get("open_follow_ups")?,
            })
        })
        .collect()
}

/// Records a person at an event.
pub async fn insert_participant(
    conn: &mut AnyConnection,
    program: ProgramId,
    region: RegionId,
    i: &ParticipantInput,
) -> Result<i64> {
    Values::new(EVENT_PARTICIPANTS)
        .set("program_id", program.0)
        .set("region_id", region)
        .set("organisation_id", i.organisation_id.map(|o| o.0))
        .set("organisation_name", i.organisation_name.as_str())
        .set("name", i.name.as_str())
        .set("role", i.role.as_str())
        .set("recorded_at", Millis::now())
        .insert_returning_id(conn)
        .await
}

/// Removes a person from an event; false if there was none.
pub async fn delete_participant(
    conn: &mut AnyConnection,
    program: ProgramId,
    id: i64,
) -> Result<bool> {
    let done = sqlx::query("DELETE FROM event_participants WHERE id = $1 AND program_id = $2")
        .bind(id)
        .bind(program.0)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The people at an event, by organisation then as recorded.
pub async fn participants(
    conn: &mut AnyConnection,
    program: ProgramId,
) -> Result<Vec<EventParticipant>> {
    let rows = sqlx::query(
        "SELECT p.id, p.program_id, p.organisation_id, \
         COALESCE(o.name, p.organisation_name) AS organisation_name, p.name, p.role \
         FROM event_participants p LEFT JOIN organisations o ON o.id = p.organisation_id \
         WHERE p.program_id = $1 ORDER BY COALESCE(o.name, p.organisation_name), p.id",
    )
    .bind(program.0)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(EventParticipant {
                id: r.try_get("id")?,
                program_id: ProgramId(r.try_get("program_id")?),
                organisation_id: r
                    .try_get::<Option<i64>, _>("organisation_id")?
                    .map(OrganisationId),
                organisation_name: r.try_get("organisation_name")?,
                name: r.try_get("name")?,
                role: r.try_get("role")?,
            })
        })
        .collect()
}

/// An event's figures.
pub async fn event_counts(conn: &mut AnyConnection, program: ProgramId) -> Result<EventCounts> {
    let row = sqlx::query(
        "SELECT \
         (SELECT COUNT(*) FROM event_organisations WHERE program_id = $1) AS organisations, \
         (SELECT COUNT(*) FROM event_participants WHERE program_id = $1) AS people, \
         (SELECT COUNT(*) FROM event_organisations WHERE program_id = $1 AND purpose <> '') \
            AS with_purpose, \
         (SELECT COUNT(*) FROM follow_ups WHERE program_id = $1) AS follow_ups, \
         (SELECT COUNT(*) FROM follow_ups WHERE program_id = $1 AND status <> 'done') AS open_fu",
    )
    .bind(program.0)
    .fetch_one(conn)
    .await?;
    Ok(EventCounts {
        organisations: row.try_get("organisations")?,
        people: row.try_get("people")?,
        with_purpose: row.try_get("with_purpose")?,
        follow_ups: row.try_get("follow_ups")?,
        open_follow_ups: row.try_get("open_fu")?,
    })
}

// ---------------------------------------------------------------------------------------------
// Follow-up actions

/// Adds a follow-up action.
pub async fn insert_follow_up(
    conn: &mut AnyConnection,
    program: ProgramId,
    region: RegionId,
    i: &FollowUpInput,
) -> Result<i64> {
    let now = Millis::now();
    Values::new(FOLLOW_UPS)
        .set("program_id", program.0)
        .set("region_id", region)
        .set("organisation_id", i.organisation_id.map(|o| o.0))
        .set("action", i.action.as_str())
        .set("owner_user_id", i.owner_user_id.0)
        .set("due", i.due.format("%Y-%m-%d").to_string())
        .set("status", Code(i.status))
        .set("done_at", (i.status == FollowUpStatus::Done).then_some(now))
        .set("created_at", now)
        .set("updated_at", now)
        .insert_returning_id(conn)
        .await
}

/// Changes a follow-up action; its done time is kept while it stays done.
pub async fn update_follow_up(
    conn: &mut AnyConnection,
    id: i64,
    i: &FollowUpInput,
    was_done_at: Option<DateTime<Utc>>,
) -> Result<bool> {
    let done_at = match (i.status, was_done_at) {
        (FollowUpStatus::Done, Some(at)) => Some(Millis(at)),
        (FollowUpStatus::Done, None) => Some(Millis::now()),
        _ => None,
    };
    Values::new(FOLLOW_UPS)
        .set("organisation_id", i.organisation_id.map(|o| o.0))
        .set("action", i.action.as_str())
        .set("owner_user_id", i.owner_user_id.0)
        .set("due", i.due.format("%Y-%m-%d").to_string())
        .set("status", Code(i.status))
        .set("done_at", done_at)
        .set("updated_at", Millis::now())
        .update_by_id(conn, id)
        .await
}

const FOLLOW_UP_SELECT: &str = "SELECT f.id, f.program_id, p.title, f.region_id, \
    f.organisation_id, o.name AS organisation_name, f.action, f.owner_user_id, \
    u.display_name AS owner_name, f.due, f.status, f.done_at \
    FROM follow_ups f JOIN programs p ON p.id = f.program_id \
    JOIN users u ON u.id = f.owner_user_id \
    LEFT JOIN organisations o ON o.id = f.organisation_id";

fn follow_up_from(r: &AnyRow) -> Result<FollowUp> {
    Ok(FollowUp {
        id: r.try_get("id")?,
        program_id: ProgramId(r.try_get("program_id")?),
        program_title: r.try_get("title")?,
        region_id: RegionId(r.try_get("region_id")?),
        organisation_id: r
            .try_get::<Option<i64>, _>("organisation_id")?
            .map(OrganisationId),
        organisation_name: r.try_get("organisation_name")?,
        action: r.try_get("action")?,
        owner_user_id: UserId(r.try_get("owner_user_id")?),
        owner_name: r.try_get("owner_name")?,
        due: date_of(&r.try_get::<String, _>("due")?)?,
        status: r.try_get::<Code<FollowUpStatus>, _>("status")?.0,
        done_at: r.try_get::<Option<Millis>, _>("done_at")?.map(|m| m.0),
    })
}

/// One follow-up action.
pub async fn follow_up(conn: &mut AnyConnection, id: i64) -> Result<Option<FollowUp>> {
    let row = sqlx::query(&format!("{FOLLOW_UP_SELECT} WHERE f.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(follow_up_from).transpose()
}

/// A program's follow-up actions, by due date.
pub async fn follow_ups_of(conn: &mut AnyConnection, program: ProgramId) -> Result<Vec<FollowUp>> {
    let rows = sqlx::query(&format!(
        "{FOLLOW_UP_SELECT} WHERE f.program_id = $1 ORDER BY f.due, f.id"
    ))
    .bind(program.0)
    .fetch_all(conn)
    .await?;
    rows.iter().map(follow_up_from).collect()
}

/// Follow-up actions not done in some regions (None: all), earliest due first; with
/// `owner`, only theirs.
pub async fn open_follow_ups(
    conn: &mut AnyConnection,
    regions: Option<&[RegionId]>,
    owner: Option<UserId>,
    limit: i64,
) -> Result<Vec<FollowUp>> {
    let mut q = Sql::new(&format!("{FOLLOW_UP_SELECT} WHERE f.status <> 'done'"));
    q.and_in_regions("f.region_id", regions);
    if let Some(u) = owner {
        q.push(" AND f.owner_user_id = ").bind(u.0);
    }
    q.push(" ORDER BY f.due, f.id LIMIT ").bind(limit);
    let rows = sqlx::query_with(&q.text, q.args()).fetch_all(conn).await?;
    rows.iter().map(follow_up_from).collect()
}

// ---------------------------------------------------------------------------------------------
// Uploaded participant lists

/// An uploaded participant list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredImport {
    /// Id.
    pub id: i64,
    /// The program.
    pub program_id: ProgramId,
    /// Who uploaded it.
    pub by_user_id: Option<UserId>,
    /// Its file name.
    pub file_name: String,
    /// Its content (None once applied: what it did is kept, not the personal data).
    pub content: Option<Vec<u8>>,
    /// When it was applied.
    pub applied_at: Option<DateTime<Utc>>,
    /// What applying it did (JSON), empty before.
    pub summary: String,
}

/// A file to keep for import.
#[derive(Debug, Clone, Copy)]
pub struct NewImport<'a> {
    /// The program.
    pub program: ProgramId,
    /// Its region.
    pub region: RegionId,
    /// Who uploaded it.
    pub by: Option<UserId>,
    /// Its name.
    pub file_name: &'a str,
    /// SHA-256 of its content, hex.
    pub sha256: &'a str,
    /// Its content.
    pub content: &'a [u8],
}

/// Keeps an uploaded file for its preview and application; forgets unapplied uploads older
/// than `forget_before`.
pub async fn insert_import(
    conn: &mut AnyConnection,
    i: &NewImport<'_>,
    forget_before: DateTime<Utc>,
) -> Result<i64> {
    let NewImport {
        program,
        region,
        by,
        file_name,
        sha256,
        content,
    } = *i;
    sqlx::query("DELETE FROM roster_imports WHERE applied_at IS NULL AND uploaded_at < $1")
        .bind(Millis(forget_before).ms())
        .execute(&mut *conn)
        .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO roster_imports (program_id, region_id, by_user_id, file_name, sha256, \
         content, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(program.0)
    .bind(region.0)
    .bind(by.map(|u| u.0))
    .bind(file_name)
    .bind(sha256)
    .bind(content.to_vec())
    .bind(Millis::now().ms())
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// An uploaded file of a program.
pub async fn import(
    conn: &mut AnyConnection,
    program: ProgramId,
    id: i64,
) -> Result<Option<StoredImport>> {
    let row = sqlx::query(
        "SELECT id, program_id, by_user_id, file_name, content, applied_at, summary \
         FROM roster_imports WHERE id = $1 AND program_id = $2",
    )
    .bind(id)
    .bind(program.0)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(StoredImport {
            id: r.try_get("id")?,
            program_id: ProgramId(r.try_get("program_id")?),
            by_user_id: r.try_get::<Option<i64>, _>("by_user_id")?.map(UserId),
            file_name: r.try_get("file_name")?,
            content: r.try_get("content")?,
            applied_at: r.try_get::<Option<Millis>, _>("applied_at")?.map(|m| m.0),
            summary: r.try_get("summary")?,
        })
    })
    .transpose()
}

/// Marks an upload applied, keeping what it did and dropping its content.
pub async fn mark_import_applied(conn: &mut AnyConnection, id: i64, summary: &str) -> Result<()> {
    sqlx::query(
        "UPDATE roster_imports SET applied_at = $1, summary = $2, content = NULL WHERE id = $3",
    )
    .bind(Millis::now().ms())
    .bind(summary)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
