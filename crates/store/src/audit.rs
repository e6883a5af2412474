//! The audit log of changes to personal data.

use jimoto_domain::audit::{AuditEntity, AuditEntry, AuditFilter, AuditOp};
use jimoto_domain::{AuditId, Page, PageRequest, RegionId, UserId};
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::codec::{Code, Json, Millis};
use crate::schema::AUDIT_LOG;
use crate::sql::{KeyKind, Order, Sql, Values, fetch_page};

/// Newest first: ids grow with time.
const ORDER: Order = Order {
    keys: &[("id", KeyKind::Int)],
    descending: true,
};

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
    pub entity: AuditEntity,
    /// Record id.
    pub entity_id: i64,
    /// What happened.
    pub action: AuditOp,
    /// Field changes.
    pub changes: serde_json::Value,
}

/// Appends an entry (in the caller's transaction, so it commits with the change itself).
pub async fn record(conn: &mut AnyConnection, e: &NewAuditEntry<'_>) -> Result<()> {
    Values::new(AUDIT_LOG)
        .set("at", Millis::now())
        .set("actor_user_id", e.actor_user_id.map(|u| u.0))
        .set("actor_login", e.actor_login)
        .set("region_id", e.region_id.map(|r| r.0))
        .set("entity", Code(e.entity))
        .set("entity_id", e.entity_id)
        .set("action", Code(e.action))
        .set("changes", Json(&e.changes))
        .insert(conn)
        .await
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: AuditId(r.try_get("id")?),
        at: r.try_get::<Millis, _>("at")?.0,
        actor_user_id: r.try_get::<Option<i64>, _>("actor_user_id")?.map(UserId),
        actor_login: r.try_get("actor_login")?,
        region_id: r.try_get::<Option<i64>, _>("region_id")?.map(RegionId),
        entity: r.try_get::<Code<_>, _>("entity")?.0,
        entity_id: r.try_get("entity_id")?,
        action: r.try_get::<Code<_>, _>("action")?.0,
        changes: r.try_get::<Json<serde_json::Value>, _>("changes")?.0,
    })
}

/// Newest first.
pub async fn list(
    conn: &mut AnyConnection,
    f: &AuditFilter,
    page: &PageRequest,
) -> Result<Page<AuditEntry>> {
    let mut w = Sql::new(" WHERE 1 = 1");
    if let Some(e) = f.entity {
        w.push(" AND audit_log.entity = ").bind(Code(e));
    }
    if let Some(id) = f.entity_id {
        w.push(" AND audit_log.entity_id = ").bind(id);
    }
    fetch_page(conn, &AUDIT_LOG, w, None, ORDER, page, from_row).await
}
