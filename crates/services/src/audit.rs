//! Writing and reading the audit log.

use jimoto_domain::audit::{AuditEntity, AuditEntry, AuditFilter, AuditOp};
use jimoto_domain::policy::value_is_secret;
use jimoto_domain::{Actor, AuditAction, Page, PageRequest, RegionId};
use jimoto_store::Conn;
use jimoto_store::audit::{self, NewAuditEntry};
use serde_json::{Map, Value};

use crate::{ServiceResult, Services, require};

/// `{field: [old, new]}` for every field that differs between two JSON objects; fields whose
/// values are secret (the policy says which) only say "(changed)".
pub(crate) fn diff(old: Option<&Value>, new: &Value) -> Value {
    let empty = Map::new();
    let old = old.and_then(Value::as_object).unwrap_or(&empty);
    let mut out = Map::new();
    if let Some(new) = new.as_object() {
        for (k, v) in new {
            if matches!(k.as_str(), "id" | "created_at" | "updated_at") {
                continue;
            }
            let before = old.get(k).unwrap_or(&Value::Null);
            if before != v {
                let entry = if value_is_secret(k) {
                    Value::String("(changed)".into())
                } else {
                    Value::Array(vec![before.clone(), v.clone()])
                };
                out.insert(k.clone(), entry);
            }
        }
    }
    Value::Object(out)
}

/// Records a change made by `actor` (None: the operator through the CLI or the demo loader).
pub(crate) async fn record(
    conn: &mut Conn,
    actor: Option<&Actor>,
    region: Option<RegionId>,
    entity: AuditEntity,
    entity_id: i64,
    action: AuditOp,
    changes: Value,
) -> ServiceResult<()> {
    audit::record(
        conn,
        &NewAuditEntry {
            actor_user_id: actor.map(|a| a.user_id),
            actor_login: actor.map_or("system", |a| a.login.as_str()),
            region_id: region,
            entity,
            entity_id,
            action,
            changes,
        },
    )
    .await?;
    Ok(())
}

/// Records the creation (`old` = None) or update of a record as the diff of its JSON forms.
pub(crate) async fn record_change<T: serde::Serialize>(
    conn: &mut Conn,
    actor: Option<&Actor>,
    region: Option<RegionId>,
    entity: AuditEntity,
    entity_id: i64,
    old: Option<&T>,
    new: &T,
) -> ServiceResult<()> {
    let to_json = |v: &T| serde_json::to_value(v).unwrap_or_default();
    let changes = diff(old.map(to_json).as_ref(), &to_json(new));
    let action = if old.is_some() {
        AuditOp::Update
    } else {
        AuditOp::Create
    };
    record(conn, actor, region, entity, entity_id, action, changes).await
}

impl Services {
    /// The audit log, newest first (admins only).
    pub async fn audit_log(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        page: &PageRequest,
    ) -> ServiceResult<Page<AuditEntry>> {
        require(actor, AuditAction::View)?;
        let mut conn = self.db().conn().await?;
        Ok(audit::list(&mut conn, filter, page).await?)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn diff_lists_changed_fields_and_hides_sensitive_values() {
        let old = json!({"id": 1, "name": "A", "phone": "1", "circumstances": {"care": false}});
        let new = json!({"id": 1, "name": "B", "phone": "1", "circumstances": {"care": true}});
        assert_eq!(
            super::diff(Some(&old), &new),
            json!({"name": ["A", "B"], "circumstances": "(changed)"})
        );
        assert_eq!(
            super::diff(None, &json!({"name": "A"})),
            json!({"name": [null, "A"]})
        );
    }
}
