//! Writing and reading the audit log.

use jimoto_domain::audit::{AuditEntity, AuditEntry, AuditFilter, AuditLabels, AuditOp};
use jimoto_domain::policy::value_is_secret;
use jimoto_domain::{Actor, AuditAction, Page, PageRequest, RegionId};
use jimoto_store::Conn;
use jimoto_store::audit::{self, NewAuditEntry};
use jimoto_store::labels::{self, Named};
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
            // A new record's empty fields are not news (no "circumstances changed" for someone
            // registered without any).
            if before.is_null() && is_empty(v) {
                continue;
            }
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

/// Null, false, "", [], or an object of only such values.
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.values().all(is_empty),
        Value::Number(_) | Value::Bool(true) => false,
    }
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

    /// The names of the records, people, regions and organisations a page of entries mentions
    /// (admins only, like the log).
    pub async fn audit_labels(
        &self,
        actor: &Actor,
        entries: &[AuditEntry],
    ) -> ServiceResult<AuditLabels> {
        require(actor, AuditAction::View)?;
        let (mut regions, mut orgs, mut residents, mut users) = (vec![], vec![], vec![], vec![]);
        let (mut programs, mut postings) = (vec![], vec![]);
        let ids = |v: &Value| -> Vec<i64> {
            match v {
                Value::Number(n) => n.as_i64().into_iter().collect(),
                Value::Array(a) => a.iter().filter_map(Value::as_i64).collect(),
                _ => vec![],
            }
        };
        for e in entries {
            match e.entity {
                AuditEntity::Region => regions.push(e.entity_id),
                AuditEntity::Organisation => orgs.push(e.entity_id),
                AuditEntity::Resident => residents.push(e.entity_id),
                AuditEntity::User => users.push(e.entity_id),
                AuditEntity::Program => programs.push(e.entity_id),
                AuditEntity::Posting => postings.push(e.entity_id),
                AuditEntity::Application | AuditEntity::Engagement | AuditEntity::Threshold => {}
            }
            users.extend(e.actor_user_id.map(|u| u.0));
            regions.extend(e.region_id.map(|r| r.0));
            if let Some(changes) = e.changes.as_object() {
                for (field, change) in changes {
                    let values: Vec<&Value> = match change.as_array() {
                        Some(pair) if pair.len() == 2 => pair.iter().collect(),
                        _ => vec![],
                    };
                    for v in values {
                        match field.as_str() {
                            "region_id" | "regions" => regions.extend(ids(v)),
                            "organisation_id" | "organiser_id" => orgs.extend(ids(v)),
                            "partners" => orgs.extend(
                                v.as_array()
                                    .into_iter()
                                    .flatten()
                                    .filter_map(|p| p["organisation_id"].as_i64()),
                            ),
                            _ => {}
                        }
                    }
                }
            }
        }
        let mut conn = self.db().conn().await?;
        let named = |m: Vec<(i64, String)>| m.into_iter().collect();
        Ok(AuditLabels {
            regions: named(labels::names(&mut conn, Named::Regions, &regions).await?),
            organisations: named(labels::names(&mut conn, Named::Organisations, &orgs).await?),
            residents: named(labels::names(&mut conn, Named::Residents, &residents).await?),
            users: named(labels::names(&mut conn, Named::Users, &users).await?),
            programs: named(labels::names(&mut conn, Named::Programs, &programs).await?),
            postings: named(labels::names(&mut conn, Named::Postings, &postings).await?),
        })
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
        // A new record's empty fields, secret or not, are left out.
        let new = json!({"name": "A", "email": "", "skills": [], "circumstances":
            {"care": false, "childcare": false, "note": ""}, "hours": 0});
        assert_eq!(
            super::diff(None, &new),
            json!({"name": [null, "A"], "hours": [null, 0]})
        );
    }
}
