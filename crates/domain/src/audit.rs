//! The audit log of changes to personal data: who changed which record, when, and how.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::ids::{AuditId, RegionId, UserId};
use crate::text_enum;

text_enum!(
    /// The kind of record an entry is about.
    AuditEntity {
        /// A region.
        Region = "region",
        /// An organisation.
        Organisation = "organisation",
        /// A resident's profile.
        Resident = "resident",
        /// An account.
        User = "user",
    }
);

text_enum!(
    /// What happened to the record.
    AuditOp {
        /// It was created.
        Create = "create",
        /// It was changed.
        Update = "update",
    }
);

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    /// Id.
    pub id: AuditId,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (None for the operator at the machine: the demo loader or the CLI).
    pub actor_user_id: Option<UserId>,
    /// Their login at the time.
    pub actor_login: String,
    /// Region of the record, when it has one.
    pub region_id: Option<RegionId>,
    /// Record kind.
    pub entity: AuditEntity,
    /// Record id.
    pub entity_id: i64,
    /// What happened.
    pub action: AuditOp,
    /// Field → [old, new]; fields whose values are secret only say "(changed)".
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
}

/// Filters for the audit list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Record kind.
    pub entity: Option<AuditEntity>,
    /// Record id.
    pub entity_id: Option<i64>,
}
