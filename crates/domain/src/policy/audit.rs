//! The audit log: administrators read it; some values never enter it at all.

use super::{Actor, actions};

actions!(
    /// What can be done with the audit log.
    AuditAction in Audit {
        /// Read the audit log.
        View = "audit.view",
    }
);

pub(super) fn may(actor: &Actor, action: AuditAction) -> bool {
    match action {
        AuditAction::View => actor.is_admin(),
    }
}

/// Fields whose values never enter the audit log, only the fact that they changed: residents'
/// circumstances (health, caregiving) and passwords.
pub fn value_is_secret(field: &str) -> bool {
    matches!(field, "circumstances" | "password" | "password_hash")
}
