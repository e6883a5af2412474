//! Server-side sessions, shared by every app server on the same database.

use jimoto_domain::UserId;
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::codec::Millis;
use crate::schema::SESSIONS;
use crate::sql::Values;

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// Its user.
    pub user_id: UserId,
    /// The synchroniser token every form of this session must carry.
    pub csrf_token: String,
    /// Expiry.
    pub expires_at: Millis,
    /// A notice waiting for the next page (e.g. "saved").
    pub flash: Option<String>,
}

/// Stores a new session under the hash of its cookie value.
pub async fn create(
    conn: &mut AnyConnection,
    id_hash: &str,
    user: UserId,
    csrf: &str,
    expires_at: Millis,
) -> Result<()> {
    Values::new(SESSIONS)
        .set("id_hash", id_hash)
        .set("user_id", user.0)
        .set("csrf_token", csrf)
        .set("created_at", Millis::now())
        .set("expires_at", expires_at)
        .insert(conn)
        .await
}

/// The live (unexpired) session with this hash, if any.
pub async fn get(conn: &mut AnyConnection, id_hash: &str) -> Result<Option<SessionRecord>> {
    let row = sqlx::query(
        "SELECT user_id, csrf_token, expires_at, flash FROM sessions \
         WHERE id_hash = $1 AND expires_at > $2",
    )
    .bind(id_hash.to_owned())
    .bind(Millis::now())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(SessionRecord {
            user_id: UserId(r.try_get("user_id")?),
            csrf_token: r.try_get("csrf_token")?,
            expires_at: r.try_get("expires_at")?,
            flash: r.try_get("flash")?,
        })
    })
    .transpose()
}

/// Pushes the expiry forward (sliding sessions).
pub async fn extend(conn: &mut AnyConnection, id_hash: &str, expires_at: Millis) -> Result<()> {
    sqlx::query("UPDATE sessions SET expires_at = $1 WHERE id_hash = $2")
        .bind(expires_at)
        .bind(id_hash.to_owned())
        .execute(conn)
        .await?;
    Ok(())
}

/// Keeps a notice for the session's next page, or (None) clears it once shown.
pub async fn set_flash(conn: &mut AnyConnection, id_hash: &str, flash: Option<&str>) -> Result<()> {
    sqlx::query("UPDATE sessions SET flash = $1 WHERE id_hash = $2")
        .bind(flash.map(str::to_owned))
        .bind(id_hash.to_owned())
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends one session.
pub async fn delete(conn: &mut AnyConnection, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash.to_owned())
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes expired sessions; returns how many.
pub async fn delete_expired(conn: &mut AnyConnection) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(Millis::now())
        .execute(conn)
        .await?
        .rows_affected())
}

/// Ends every session of a user, except the one with `keep` (the caller's own), if given.
pub async fn delete_for_user(
    conn: &mut AnyConnection,
    user: UserId,
    keep: Option<&str>,
) -> Result<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(user.0)
        .bind(keep.unwrap_or("").to_owned())
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
