//! The audit log in the JSON API.

use axum::Json;
use axum::extract::State;
use jimoto_domain::audit::{AuditEntity, AuditEntry, AuditFilter};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::api::{ApiPage, ApiQuery, page_request};
use crate::error::{ApiErrorEnvelope, AppError};
use crate::session::ApiActor;

/// Audit list parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AuditQuery {
    /// Record kind.
    entity: Option<AuditEntity>,
    /// Record id.
    entity_id: Option<i64>,
    /// Position after which to read (a response's `next`).
    after: Option<String>,
    /// Position before which to read (a response's `prev`).
    before: Option<String>,
    /// Rows per page, 1–200 (default 50).
    limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = ApiPage<AuditEntry>), (status = 400, body = ApiErrorEnvelope),
        (status = 403, body = ApiErrorEnvelope)))]
pub(crate) async fn list_audit(
    State(s): State<AppState>,
    a: ApiActor,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<ApiPage<AuditEntry>>, AppError> {
    let page = page_request(q.after.as_deref(), q.before.as_deref(), q.limit)?;
    let f = AuditFilter {
        entity: q.entity,
        entity_id: q.entity_id,
    };
    Ok(Json(
        s.services.audit_log(&a.actor, &f, &page).await?.into(),
    ))
}
