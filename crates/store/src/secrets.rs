//! Secrets shared by every app server on the same database, made once at random by whichever
//! server needs one first.

use sqlx::AnyConnection;

use crate::Result;
use crate::codec::Millis;

/// The secret called `name`: the stored one, or `fresh` stored now if there was none (two
/// servers racing both end up with the winner's value).
pub async fn get_or_create(conn: &mut AnyConnection, name: &str, fresh: &str) -> Result<String> {
    sqlx::query(
        "INSERT INTO server_secrets (name, value, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name.to_owned())
    .bind(fresh.to_owned())
    .bind(Millis::now())
    .execute(&mut *conn)
    .await?;
    Ok(
        sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = $1")
            .bind(name.to_owned())
            .fetch_one(conn)
            .await?,
    )
}
