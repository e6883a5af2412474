//! Server-side sessions, shared by every app server on the same database.

use jimoto_domain::UserId;
use sqlx::AnyConnection;

use crate::Result;
use crate::sql::now_ms;

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// Its user.
    pub user_id: UserId,
    /// The synchroniser token every form of this session must carry.
    pub csrf_token: String,
    /// Expiry, ms since the epoch.
    pub expires_at: i64,
}

/// Stores a new session under the hash of its cookie value.
pub async fn create(
    conn: &mut AnyConnection,
    id_hash: &str,
    user: UserId,
    csrf: &str,
    expires_at: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id_hash.to_owned())
        .bind(user.0)
        .bind(csrf.to_owned())
        .bind(now_ms())
        .bind(expires_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// The live (unexpired) session with this hash, if any.
pub async fn get(conn: &mut AnyConnection, id_hash: &str) -> Result<Option<SessionRecord>> {
    let row: Option<(i64, String, i64)> =
        sqlx::query_as("SELECT user_id, csrf_token, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2")
            .bind(id_hash.to_owned())
            .bind(now_ms())
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(u, csrf_token, expires_at)| SessionRecord {
        user_id: UserId(u),
        csrf_token,
        expires_at,
    }))
}

/// Pushes the expiry forward (sliding sessions).
pub async fn extend(conn: &mut AnyConnection, id_hash: &str, expires_at: i64) -> Result<()> {
    sqlx::query("UPDATE sessions SET expires_at = $1 WHERE id_hash = $2")
        .bind(expires_at)
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
        .bind(now_ms())
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
