//! Accounts, their region assignments, personal access tokens and login attempts.

use jimoto_domain::user::{Account, ApiToken};
use jimoto_domain::{
    Lang, OrganisationId, Page, PageRequest, RegionId, ResidentId, Role, TokenId, UserId,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::codec::{Code, Flag, Millis};
use crate::schema::{API_TOKENS, LOGIN_ATTEMPTS, USER_REGIONS, USERS};
use crate::sql::{KeyKind, Order, Sql, Values, fetch_page};

/// A stored account with its password hash, which never leaves the services.
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
    /// The password was set by someone else: the user must choose their own at next login.
    pub must_change_password: bool,
    /// When a temporary password stops working (None: it does not expire).
    pub password_expires_at: Option<chrono::DateTime<chrono::Utc>>,
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

const ORDER: Order = Order {
    keys: &[("login", KeyKind::Text), ("id", KeyKind::Int)],
    descending: false,
};

fn from_row(r: &AnyRow) -> Result<UserRecord> {
    Ok(UserRecord {
        id: UserId(r.try_get("id")?),
        login: r.try_get("login")?,
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        role: r.try_get::<Code<_>, _>("role")?.0,
        organisation_id: r
            .try_get::<Option<i64>, _>("organisation_id")?
            .map(OrganisationId),
        lang: r.try_get::<Code<_>, _>("lang")?.0,
        disabled: r.try_get::<Flag, _>("disabled")?.0,
        created_at: r.try_get::<Millis, _>("created_at")?.0,
        must_change_password: r.try_get::<Flag, _>("must_change_password")?.0,
        password_expires_at: r
            .try_get::<Option<Millis>, _>("password_expires_at")?
            .map(|m| m.0),
    })
}

/// Inserts an account.
pub async fn insert(conn: &mut AnyConnection, u: &NewUser<'_>) -> Result<UserId> {
    let id = Values::new(USERS)
        .set("login", u.login)
        .set("display_name", u.display_name)
        .set("password_hash", u.password_hash)
        .set("role", Code(u.role))
        .set("organisation_id", u.organisation_id.map(|o| o.0))
        .set("lang", Code(u.lang))
        .set("disabled", Flag(false))
        .set("created_at", Millis::now())
        .insert_returning_id(conn)
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
        Values::new(USER_REGIONS)
            .set("user_id", user.0)
            .set("region_id", *r)
            .insert(&mut *conn)
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
    let row = sqlx::query(&format!(
        "SELECT {} FROM users WHERE id = $1",
        USERS.select_list()
    ))
    .bind(id.0)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// One account by login name.
pub async fn find_by_login(conn: &mut AnyConnection, login: &str) -> Result<Option<UserRecord>> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM users WHERE login = $1",
        USERS.select_list()
    ))
    .bind(login.to_owned())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// Remembers the interface language.
pub async fn set_lang(conn: &mut AnyConnection, id: UserId, lang: Lang) -> Result<()> {
    Values::new(USERS)
        .set("lang", Code(lang))
        .update_by_id(conn, id.0)
        .await?;
    Ok(())
}

/// Replaces the password hash. A temporary password (one set by someone else) carries its
/// expiry and must be changed at the next login; the user's own password clears both.
pub async fn set_password(
    conn: &mut AnyConnection,
    id: UserId,
    hash: &str,
    temporary_until: Option<Millis>,
) -> Result<()> {
    Values::new(USERS)
        .set("password_hash", hash)
        .set("must_change_password", Flag(temporary_until.is_some()))
        .set("password_expires_at", temporary_until)
        .update_by_id(conn, id.0)
        .await?;
    Ok(())
}

/// Revokes every live token of a user; returns how many.
pub async fn revoke_all_tokens(conn: &mut AnyConnection, user: UserId) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
    )
    .bind(Millis::now())
    .bind(user.0)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Changes an account's role.
pub async fn set_role(conn: &mut AnyConnection, id: UserId, role: Role) -> Result<()> {
    Values::new(USERS)
        .set("role", Code(role))
        .update_by_id(conn, id.0)
        .await?;
    Ok(())
}

/// Disables or re-enables an account; false when it does not exist.
pub async fn set_disabled(conn: &mut AnyConnection, id: UserId, disabled: bool) -> Result<bool> {
    Values::new(USERS)
        .set("disabled", Flag(disabled))
        .update_by_id(conn, id.0)
        .await
}

/// Renames an account.
pub async fn set_display_name(conn: &mut AnyConnection, id: UserId, name: &str) -> Result<()> {
    Values::new(USERS)
        .set("display_name", name)
        .update_by_id(conn, id.0)
        .await?;
    Ok(())
}

/// Moves a member account to another organisation.
pub async fn set_organisation(
    conn: &mut AnyConnection,
    id: UserId,
    org: OrganisationId,
) -> Result<()> {
    Values::new(USERS)
        .set("organisation_id", Some(org.0))
        .update_by_id(conn, id.0)
        .await?;
    Ok(())
}

/// Accounts as administrators see them: their scope filled in, no password hashes.
async fn accounts(conn: &mut AnyConnection, records: Vec<UserRecord>) -> Result<Vec<Account>> {
    let ids: Vec<i64> = records.iter().map(|u| u.id.0).collect();
    let mut regions: Vec<(i64, i64)> = Vec::new();
    let mut residents: Vec<(i64, i64)> = Vec::new();
    if !ids.is_empty() {
        let mut q = Sql::new("SELECT user_id, region_id FROM user_regions WHERE ");
        q.bind_in("user_id", &ids).push(" ORDER BY region_id");
        regions = sqlx::query_as_with(&q.text, q.args())
            .fetch_all(&mut *conn)
            .await?;
        let mut q = Sql::new("SELECT user_id, id FROM residents WHERE ");
        q.bind_in("user_id", &ids);
        residents = sqlx::query_as_with(&q.text, q.args())
            .fetch_all(&mut *conn)
            .await?;
    }
    Ok(records
        .into_iter()
        .map(|u| Account {
            regions: regions
                .iter()
                .filter(|(user, _)| *user == u.id.0)
                .map(|(_, r)| RegionId(*r))
                .collect(),
            resident_id: residents
                .iter()
                .find(|(user, _)| *user == u.id.0)
                .map(|(_, r)| ResidentId(*r)),
            id: u.id,
            login: u.login,
            display_name: u.display_name,
            role: u.role,
            organisation_id: u.organisation_id,
            lang: u.lang,
            disabled: u.disabled,
            created_at: u.created_at,
        })
        .collect())
}

/// All accounts, by login.
pub async fn list(conn: &mut AnyConnection, page: &PageRequest) -> Result<Page<Account>> {
    let p = fetch_page(
        conn,
        &USERS,
        Sql::new(" WHERE 1 = 1"),
        None,
        ORDER,
        page,
        from_row,
    )
    .await?;
    let items = accounts(conn, p.items).await?;
    Ok(Page {
        items,
        total: p.total,
        next: p.next,
        prev: p.prev,
    })
}

/// One account as administrators see it.
pub async fn account(conn: &mut AnyConnection, id: UserId) -> Result<Option<Account>> {
    let Some(u) = get(conn, id).await? else {
        return Ok(None);
    };
    Ok(accounts(conn, vec![u]).await?.pop())
}

/// The accounts of an organisation's members.
pub async fn members_of(conn: &mut AnyConnection, org: OrganisationId) -> Result<Vec<Account>> {
    let rows = sqlx::query(&format!(
        "SELECT {} FROM users WHERE organisation_id = $1 ORDER BY login",
        USERS.select_list()
    ))
    .bind(org.0)
    .fetch_all(&mut *conn)
    .await?;
    let records = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    accounts(conn, records).await
}

/// The municipal staff of a region (the members of the municipality's own organisation).
pub async fn municipal_staff_of(
    conn: &mut AnyConnection,
    region: RegionId,
) -> Result<Vec<Account>> {
    let rows = sqlx::query(&format!(
        "SELECT {} FROM users WHERE role = 'municipal' AND id IN \
         (SELECT user_id FROM user_regions WHERE region_id = $1) ORDER BY login",
        USERS.select_list()
    ))
    .bind(region.0)
    .fetch_all(&mut *conn)
    .await?;
    let records = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    accounts(conn, records).await
}

/// The people who work a region: its coordinators and municipal staff (enabled accounts), by
/// name — those who may own a follow-up action there.
pub async fn staff_of(conn: &mut AnyConnection, region: RegionId) -> Result<Vec<Account>> {
    let rows = sqlx::query(&format!(
        "SELECT {} FROM users WHERE role IN ('coordinator', 'municipal') AND disabled = 0 \
         AND id IN (SELECT user_id FROM user_regions WHERE region_id = $1) ORDER BY display_name",
        USERS.select_list()
    ))
    .bind(region.0)
    .fetch_all(&mut *conn)
    .await?;
    let records = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    accounts(conn, records).await
}

/// Stores a token's hash.
pub async fn insert_token(
    conn: &mut AnyConnection,
    user: UserId,
    name: &str,
    prefix: &str,
    hash: &str,
) -> Result<TokenId> {
    let id = Values::new(API_TOKENS)
        .set("user_id", user.0)
        .set("name", name)
        .set("prefix", prefix)
        .set("token_hash", hash)
        .set("created_at", Millis::now())
        .insert_returning_id(conn)
        .await?;
    Ok(TokenId(id))
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
    Values::new(API_TOKENS)
        .set("last_used_at", Millis::now())
        .update_by_id(conn, id)
        .await?;
    Ok(Some(UserId(user)))
}

/// A user's live tokens.
pub async fn tokens_of(conn: &mut AnyConnection, user: UserId) -> Result<Vec<ApiToken>> {
    let rows = sqlx::query(
        "SELECT id, name, prefix, created_at, last_used_at FROM api_tokens \
         WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id",
    )
    .bind(user.0)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ApiToken {
                id: TokenId(r.try_get("id")?),
                name: r.try_get("name")?,
                prefix: r.try_get("prefix")?,
                created_at: r.try_get::<Millis, _>("created_at")?.0,
                last_used_at: r.try_get::<Option<Millis>, _>("last_used_at")?.map(|m| m.0),
            })
        })
        .collect()
}

/// Revokes one of the user's tokens; false if it is not theirs or already revoked.
pub async fn revoke_token(conn: &mut AnyConnection, user: UserId, id: TokenId) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(Millis::now())
    .bind(id.0)
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
    Values::new(LOGIN_ATTEMPTS)
        .set("login", login)
        .set("ip", ip)
        .set("succeeded", Flag(succeeded))
        .set("at", Millis::now())
        .insert(conn)
        .await
}

/// Failed attempts for a login since `since`, not counting those before its last success (in
/// the order they were recorded: two attempts can share a millisecond).
pub async fn recent_failures(conn: &mut AnyConnection, login: &str, since: Millis) -> Result<i64> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_attempts WHERE login = $1 AND succeeded = 0 AND at >= $2 \
         AND id > COALESCE((SELECT MAX(id) FROM login_attempts WHERE login = $1 AND succeeded = 1), 0)",
    )
    .bind(login.to_owned())
    .bind(since)
    .fetch_one(conn)
    .await?;
    Ok(n)
}

/// Failed attempts for a login from one address since `since`, not counting those before the
/// last success from there.
pub async fn recent_failures_for(
    conn: &mut AnyConnection,
    login: &str,
    ip: &str,
    since: Millis,
) -> Result<i64> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_attempts WHERE login = $1 AND ip = $2 AND succeeded = 0 \
         AND at >= $3 AND id > COALESCE((SELECT MAX(id) FROM login_attempts \
         WHERE login = $1 AND ip = $2 AND succeeded = 1), 0)",
    )
    .bind(login.to_owned())
    .bind(ip.to_owned())
    .bind(since)
    .fetch_one(conn)
    .await?;
    Ok(n)
}

/// Whether this login has succeeded from this address since `since` (a known place).
pub async fn succeeded_from(
    conn: &mut AnyConnection,
    login: &str,
    ip: &str,
    since: Millis,
) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_attempts WHERE login = $1 AND ip = $2 AND succeeded = 1 \
         AND at >= $3",
    )
    .bind(login.to_owned())
    .bind(ip.to_owned())
    .bind(since)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Failed attempts from one address since `since` (any login): stops password spraying.
pub async fn recent_failures_from(
    conn: &mut AnyConnection,
    ip: &str,
    since: Millis,
) -> Result<i64> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_attempts WHERE ip = $1 AND succeeded = 0 AND at >= $2",
    )
    .bind(ip.to_owned())
    .bind(since)
    .fetch_one(conn)
    .await?;
    Ok(n)
}

/// Forgets attempts older than `before`.
pub async fn prune_attempts(conn: &mut AnyConnection, before: Millis) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM login_attempts WHERE at < $1")
        .bind(before)
        .execute(conn)
        .await?
        .rows_affected())
}
