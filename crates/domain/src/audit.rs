//! The audit log of changes to personal data: who changed which record, when, and how.

use std::collections::BTreeMap;

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
        /// A program (with its sessions).
        Program = "program",
        /// A job posting.
        Posting = "posting",
        /// An application to a posting (its stages and decisions).
        Application = "application",
        /// A contract, with its pay periods' approvals and payments.
        Engagement = "engagement",
        /// The dated income thresholds.
        Threshold = "threshold",
    }
);

text_enum!(
    /// What happened to the record.
    AuditOp {
        /// It was created.
        Create = "create",
        /// It was changed.
        Update = "update",
        /// Another record of the same person was merged into it (and deleted).
        Merge = "merge",
        /// It was read by someone other than its owner and their coordinators (a resident's
        /// profile opened by municipal staff or an administrator).
        View = "view",
        /// Records listed by someone other than their owners and coordinators; `changes`
        /// holds the ids shown (`{"shown": [...]}`), `entity_id` is 0.
        List = "list",
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

/// The names of what a page of audit entries mentions, to show records and people by name:
/// the records themselves, the accounts that acted, and the regions and organisations named in
/// their changes. A record deleted since is simply not here (its id is shown instead).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditLabels {
    /// Region names by id.
    pub regions: BTreeMap<i64, String>,
    /// Organisation names by id.
    pub organisations: BTreeMap<i64, String>,
    /// Resident names by id.
    pub residents: BTreeMap<i64, String>,
    /// Account display names by id.
    pub users: BTreeMap<i64, String>,
    /// Program titles by id.
    pub programs: BTreeMap<i64, String>,
    /// Posting titles by id.
    pub postings: BTreeMap<i64, String>,
}

impl AuditLabels {
    /// The name of the record an entry is about.
    pub fn record(&self, entity: AuditEntity, id: i64) -> Option<&str> {
        let map = match entity {
            AuditEntity::Region => &self.regions,
            AuditEntity::Organisation => &self.organisations,
            AuditEntity::Resident => &self.residents,
            AuditEntity::User => &self.users,
            AuditEntity::Program => &self.programs,
            AuditEntity::Posting => &self.postings,
            // Named by the people and postings in their changes, not by a title of their own.
            AuditEntity::Application | AuditEntity::Engagement | AuditEntity::Threshold => {
                return None;
            }
        };
        map.get(&id).map(String::as_str)
    }
}

/// Filters for the audit list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Record kind.
    pub entity: Option<AuditEntity>,
    /// Record id.
    pub entity_id: Option<i64>,
}
