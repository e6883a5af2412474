//! Accounts, their region assignments, personal access tokens and login attempts.

use jimoto_domain::{Lang, OrganisationId, RegionId, Role, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::sql::{Sql, fetch_page, from_ms, now_ms};
use crate::{Page, PageRequest, Result, StoreError};

/// A stored account. The password hash never leaves the services.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    /// Id.
    pub id: UserId,
    /// Login name.
    pub login: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Organisation (company members).
    pub organisation_id: Option<OrganisationId>,
    /// Interface language.
    pub lang: Lang,
    /// Disabled accounts cannot log in.
    pub disabled: bool,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    /// Login name.
    pub login: &'a str,
    /// Name shown in the UI.
    pub display_name: &'a str,
    /// Argon2id PHC string.
    pub password_hash: &'a str,
    /// Role.
    pub role: Role,
    /// Organisation (company members).
    pub organisation_id: Option<OrganisationId>,
    /// Interface language.
    pub lang: Lang,
}

const COLUMNS: &str =
    "id, login, display_name, password_hash, role, organisation_id, lang, disabled, created_at";

fn from_row(r: &AnyRow) -> Result<UserRecord> {
    let role: String = r.try_get("role")?;
    let lang: String = r.try_get("lang")?;
    Ok(UserRecord {
        id: UserId(r.try_get("id")?),
        login: r.try_get("login")?,
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("users.role: {role}")))?,
        organisation_id: r
            .try_get::<Option<i64>, _>("organisation_id")?
            .map(OrganisationId),
        lang: Lang::parse(&lang).unwrap_or_default(),
        disabled: r.try_get::<i64, _>("disabled")? != 0,
        created_at: from_ms(r.try_get("created_at")?),
    })
}

/// Inserts an account.
pub async fn insert(conn: &mut AnyConnection, u: &NewUser<'_>) -> Result<UserId> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (login, display_name, password_hash, role, organisation_id, lang, disabled, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 0, $7) RETURNING id",
    )
    .bind(u.login.to_owned())
    .bind(u.display_name.to_owned())
    .bind(u.password_hash.to_owned())
    .bind(u.role.as_str())
    .bind(u.organisation_id.map(|o| o.0))
    .bind(u.lang.as_str())
    .bind(now_ms())
    .fetch_one(conn)
    .await?;
    Ok(UserId(id))
}

/// Sets the regions of a coordinator or municipal account (duplicates are ignored).
pub async fn set_regions(
    conn: &mut AnyConnection,
    user: UserId,
    regions: &[RegionId],
) -> Result<()> {
    sqlx::query("DELETE FROM user_regions WHERE user_id = $1")
        .bind(user.0)
        .execute(&mut *conn)
        .await?;
    let mut regions = regions.to_vec();
    regions.sort();
    regions.dedup();
    for r in &regions {
        sqlx::query("INSERT INTO user_regions (user_id, region_id) VALUES ($1, $2)")
            .bind(user.0)
            .bind(r.0)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The regions assigned to an account.
pub async fn regions_of(conn: &mut AnyConnection, user: UserId) -> Result<Vec<RegionId>> {
    let rows: Vec<(i64,)> =
        sqlx::query_as("SELECT region_id FROM user_regions WHERE user_id = $1 ORDER BY region_id")
            .bind(user.0)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(r,)| RegionId(r)).collect())
}

/// One account by id.
pub async fn get(conn: &mut AnyConnection, id: UserId) -> Result<Option<UserRecord>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// One account by login name.
pub async fn find_by_login(conn: &mut AnyConnection, login: &str) -> Result<Option<UserRecord>> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE login = $1"))
        .bind(login.to_owned())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Remembers the interface language.
pub async fn set_lang(conn: &mut AnyConnection, id: UserId, lang: Lang) -> Result<()> {
    sqlx::query("UPDATE users SET lang = $1 WHERE id = $2")
        .bind(lang.as_str())
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Replaces the password hash.
pub async fn set_password(conn: &mut AnyConnection, id: UserId, hash: &str) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash.to_owned())
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// All accounts, by login.
pub async fn list(conn: &mut AnyConnection, page: PageRequest) -> Result<Page<UserRecord>> {
    fetch_page(
        conn,
        "users",
        COLUMNS,
        Sql::new(""),
        "login",
        page,
        from_row,
    )
    .await
}

/// The accounts of an organisation's members.
pub async fn members_of(conn: &mut AnyConnection, org: OrganisationId) -> Result<Vec<UserRecord>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM users WHERE organisation_id = $1 ORDER BY login"
    ))
    .bind(org.0)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// A personal access token as listed to its owner (never the secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    /// Id.
    pub id: i64,
    /// Owner's label.
    pub name: String,
    /// First characters, to recognise it.
    pub prefix: String,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last used.
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Stores a token's hash.
pub async fn insert_token(
    conn: &mut AnyConnection,
    user: UserId,
    name: &str,
    prefix: &str,
    hash: &str,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user.0)
    .bind(name.to_owned())
    .bind(prefix.to_owned())
    .bind(hash.to_owned())
    .bind(now_ms())
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// The owner of a live token, and marks it used.
pub async fn use_token(conn: &mut AnyConnection, hash: &str) -> Result<Option<UserId>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT id, user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
    )
    .bind(hash.to_owned())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, user)) = row else {
        return Ok(None);
    };
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(Some(UserId(user)))
}

/// A user's live tokens.
pub async fn tokens_of(conn: &mut AnyConnection, user: UserId) -> Result<Vec<TokenRecord>> {
    let rows = sqlx::query(
        "SELECT id, name, prefix, created_at, last_used_at FROM api_tokens \
         WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id",
    )
    .bind(user.0)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TokenRecord {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                prefix: r.try_get("prefix")?,
                created_at: from_ms(r.try_get("created_at")?),
                last_used_at: r.try_get::<Option<i64>, _>("last_used_at")?.map(from_ms),
            })
        })
        .collect()
}

/// Revokes one of the user's tokens; false if it is not theirs or already revoked.
pub async fn revoke_token(conn: &mut AnyConnection, user: UserId, id: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(id)
    .bind(user.0)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a login attempt.
pub async fn record_attempt(
    conn: &mut AnyConnection,
    login: &str,
    ip: &str,
    succeeded: bool,
) -> Result<()> {
    sqlx::query("INSERT INTO login_attempts (login, ip, succeeded, at) VALUES ($1, $2, $3, $4)")
        .bind(login.to_owned())
        .bind(ip.to_owned())
        .bind(i64::from(succeeded))
        .bind(now_ms())
        .execute(conn)
        .await?;
    Ok(())
}

/// Failed attempts for a login since `since_ms`, not counting those before its last success.
pub async fn recent_failures(conn: &mut AnyConnection, login: &str, since_ms: i64) -> Result<i64> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_attempts WHERE login = $1 AND succeeded = 0 AND at >= $2 \
         AND at > COALESCE((SELECT MAX(at) FROM login_attempts WHERE login = $1 AND succeeded = 1), 0)",
    )
    .bind(login.to_owned())
    .bind(since_ms)
    .fetch_one(conn)
    .await?;
    Ok(n)
}

/// Failed attempts from one address since `since_ms` (any login): stops password spraying.
pub async fn recent_failures_from(
    conn: &mut AnyConnection,
    ip: &str,
    since_ms: i64,
) -> Result<i64> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_attempts WHERE ip = $1 AND succeeded = 0 AND at >= $2",
    )
    .bind(ip.to_owned())
    .bind(since_ms)
    .fetch_one(conn)
    .await?;
    Ok(n)
}

/// Forgets attempts older than `before_ms`.
pub async fn prune_attempts(conn: &mut AnyConnection, before_ms: i64) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM login_attempts WHERE at < $1")
        .bind(before_ms)
        .execute(conn)
        .await?
        .rows_affected())
}

/// Disables or re-enables an account; false when it does not exist.
pub async fn set_disabled(conn: &mut AnyConnection, id: UserId, disabled: bool) -> Result<bool> {
    let done = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
        .bind(i64::from(disabled))
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Renames an account.
pub async fn set_display_name(conn: &mut AnyConnection, id: UserId, name: &str) -> Result<()> {
    sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
        .bind(name.to_owned())
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

/// Moves a member account to another organisation.
pub async fn set_organisation(
    conn: &mut AnyConnection,
    id: UserId,
    org: OrganisationId,
) -> Result<()> {
    sqlx::query("UPDATE users SET organisation_id = $1 WHERE id = $2")
        .bind(org.0)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}
