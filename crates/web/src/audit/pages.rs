//! The audit log page.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use jimoto_domain::audit::{AuditEntity, AuditEntry, AuditFilter};
use jimoto_domain::{Page, PageRequest};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::layout::{Frame, Pager, render};
use crate::session::Authed;

#[derive(Debug, Deserialize)]
pub(super) struct AuditQuery {
    entity: Option<String>,
    entity_id: Option<String>,
    after: Option<String>,
    before: Option<String>,
}

#[derive(Template)]
#[template(path = "audit/list.html")]
struct AuditPage {
    frame: Frame,
    page: Page<AuditEntry>,
    pager: Pager,
    entity: String,
    entity_id: String,
    entities: &'static [AuditEntity],
}

impl AuditPage {
    /// `name: A → B` lines for an entry's changes.
    fn changes(&self, e: &AuditEntry) -> Vec<(String, String)> {
        let Some(obj) = e.changes.as_object() else {
            return vec![];
        };
        obj.iter()
            .map(|(k, v)| {
                let text = match v.as_array() {
                    Some(pair) if pair.len() == 2 => {
                        format!("{} → {}", show(&pair[0]), show(&pair[1]))
                    }
                    _ => self.frame.tr.t("audit-changed"),
                };
                (self.frame.tr.field_label(k), text)
            })
            .collect()
    }
}

fn show(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(super) async fn list(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let filter = AuditFilter {
        entity: q.entity.as_deref().and_then(AuditEntity::parse),
        entity_id: q.entity_id.as_deref().and_then(|s| s.trim().parse().ok()),
    };
    let req = PageRequest::parse_or_first(q.after.as_deref(), q.before.as_deref(), None);
    let page = state.services.audit_log(&actor, &filter, &req).await?;
    let (entity, entity_id) = (
        q.entity.unwrap_or_default(),
        q.entity_id.unwrap_or_default(),
    );
    Ok(render(&AuditPage {
        frame: ctx.frame("audit-title"),
        pager: Pager::new(
            &page,
            &[("entity", entity.clone()), ("entity_id", entity_id.clone())],
        ),
        page,
        entity,
        entity_id,
        entities: AuditEntity::ALL,
    }))
}
