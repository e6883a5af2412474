//! The audit log of changes to personal data.

use jimoto_domain::{RegionId, UserId};
use serde::Serialize;
use sqlx::{AnyConnection, Row};

use crate::sql::{Sql, fetch_page, from_ms, now_ms};
use crate::{Page, PageRequest, Result};

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Id.
    pub id: i64,
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who (None for the system, e.g. the demo loader or the CLI).
    pub actor_user_id: Option<UserId>,
    /// Their login at the time.
    pub actor_login: String,
    /// Region of the record, when it has one.
    pub region_id: Option<RegionId>,
    /// Record kind: `resident`, `organisation`, `region`, `user`.
    pub entity: String,
    /// Record id.
    pub entity_id: i64,
    /// `create`, `update`.
    pub action: String,
    /// JSON object: field → [old, new]; sensitive fields show only that they changed.
    pub changes: serde_json::Value,
}

/// A change to record.
#[derive(Debug, Clone)]
pub struct NewAuditEntry<'a> {
    /// Who.
    pub actor_user_id: Option<UserId>,
    /// Their login.
    pub actor_login: &'a str,
    /// Region of the record.
    pub region_id: Option<RegionId>,
    /// Record kind.
    pub entity: &'a str,
    /// Record id.
    pub entity_id: i64,
    /// What happened.
    pub action: &'a str,
    /// Field changes.
    pub changes: serde_json::Value,
}

/// Appends an entry (in the caller's transaction, so it commits with the change itself).
pub async fn record(conn: &mut AnyConnection, e: &NewAuditEntry<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, actor_login, region_id, entity, entity_id, action, changes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now_ms())
    .bind(e.actor_user_id.map(|u| u.0))
    .bind(e.actor_login.to_owned())
    .bind(e.region_id.map(|r| r.0))
    .bind(e.entity.to_owned())
    .bind(e.entity_id)
    .bind(e.action.to_owned())
    .bind(e.changes.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Filters for the audit list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Record kind.
    pub entity: Option<String>,
    /// Record id.
    pub entity_id: Option<i64>,
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<AuditEntry> {
    let changes: String = r.try_get("changes")?;
    Ok(AuditEntry {
        id: r.try_get("id")?,
        at: from_ms(r.try_get("at")?),
        actor_user_id: r.try_get::<Option<i64>, _>("actor_user_id")?.map(UserId),
        actor_login: r.try_get("actor_login")?,
        region_id: r.try_get::<Option<i64>, _>("region_id")?.map(RegionId),
        entity: r.try_get("entity")?,
        entity_id: r.try_get("entity_id")?,
        action: r.try_get("action")?,
        changes: serde_json::from_str(&changes).unwrap_or(serde_json::Value::Null),
    })
}

/// Newest first.
pub async fn list(
    conn: &mut AnyConnection,
    f: &AuditFilter,
    page: PageRequest,
) -> Result<Page<AuditEntry>> {
    let mut w = Sql::new(" WHERE 1 = 1");
    if let Some(e) = f.entity.as_deref().filter(|e| !e.is_empty()) {
        w.push(" AND entity = ").bind(e.to_owned());
    }
    if let Some(id) = f.entity_id {
        w.push(" AND entity_id = ").bind(id);
    }
    fetch_page(
        conn,
        "audit_log",
        "id, at, actor_user_id, actor_login, region_id, entity, entity_id, action, changes",
        w,
        "at DESC, id DESC",
        page,
        from_row,
    )
    .await
}
