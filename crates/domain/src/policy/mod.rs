//! Who may do what: the one place where roles are checked.
//!
//! Services ask [`Actor::may`] before every read and write; pages and navigation ask it before
//! offering a link or a form. Refused reads of a specific record are reported by the services as
//! "not found", so that ids from another region or company reveal nothing.
//!
//! The rules grow by capability: each capability has its own file here with its actions (an enum
//! whose every variant names a stable kind, e.g. `resident.view`) and their rules. The role ×
//! action matrix test asks [`Action::all_kinds`] so that no action goes untested.

mod accounts;
mod audit;
mod kpis;
mod organisations;
mod programs;
mod regions;
mod residents;
mod work;

use serde::Serialize;

pub use accounts::{AccountAction, AccountScope, role_change_is_safe};
pub use audit::{AuditAction, value_is_secret};
pub use kpis::KpiAction;
pub use organisations::{OrgScope, OrganisationAction};
pub use programs::ProgramAction;
pub use regions::RegionAction;
pub use residents::ResidentAction;
pub use work::WorkAction;

use crate::ids::{OrganisationId, RegionId, ResidentId, UserId};
use crate::user::{Lang, Role};

/// Declares a capability's actions: an enum whose every variant has a stable kind string, and the
/// list of those kinds (so that the matrix test can tell when one has no row).
macro_rules! actions {
    (
        $(#[$meta:meta])*
        $name:ident in $top:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $({ $($(#[$fmeta:meta])* $field:ident : $fty:ty),* $(,)? })? = $kind:literal
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant $({ $($(#[$fmeta])* $field: $fty),* })?
            ),*
        }

        impl $name {
            /// Every kind of this capability's actions.
            pub const KINDS: &'static [&'static str] = &[$($kind),*];

            /// The stable kind of this action, e.g. `resident.view`.
            pub fn kind(&self) -> &'static str {
                match self {
                    $(Self::$variant { .. } => $kind),*
                }
            }
        }

        impl From<$name> for crate::policy::Action {
            fn from(a: $name) -> Self {
                Self::$top(a)
            }
        }
    };
}
pub(crate) use actions;

/// A role together with its scope. Making the scope part of the variant means a company member
/// without an organisation or municipal staff without a region cannot be represented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Principal {
    /// Platform administrator.
    Admin,
    /// Coordinator of one or more regions.
    Coordinator {
        /// The regions they coordinate.
        regions: Vec<RegionId>,
    },
    /// Municipal staff of one region.
    Municipal {
        /// Their municipality's region.
        region: RegionId,
    },
    /// Member of one organisation.
    CompanyMember {
        /// Their organisation.
        organisation: OrganisationId,
    },
    /// A resident with their own record.
    Resident {
        /// Their profile.
        resident: ResidentId,
        /// The region they live in.
        region: RegionId,
    },
}

impl Principal {
    /// The role without its scope.
    pub fn role(&self) -> Role {
        match self {
            Self::Admin => Role::Admin,
            Self::Coordinator { .. } => Role::Coordinator,
            Self::Municipal { .. } => Role::Municipal,
            Self::CompanyMember { .. } => Role::CompanyMember,
            Self::Resident { .. } => Role::Resident,
        }
    }
}

/// The authenticated user on whose behalf a service runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    /// Account id.
    pub user_id: UserId,
    /// Login name.
    pub login: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// Interface language.
    pub lang: Lang,
    /// Role and scope.
    pub principal: Principal,
}

/// Everything a user can ask to do, by capability, with the scope the answer depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Regions.
    Region(RegionAction),
    /// Organisations.
    Organisation(OrganisationAction),
    /// Residents' profiles.
    Resident(ResidentAction),
    /// Accounts and logins.
    Account(AccountAction),
    /// The audit log.
    Audit(AuditAction),
    /// Programs and their sessions.
    Program(ProgramAction),
    /// Organisations' work: task inventories, postings.
    Work(WorkAction),
    /// KPIs, plans and projects.
    Kpi(KpiAction),
}

impl Action {
    /// The stable kind, e.g. `resident.view`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Region(a) => a.kind(),
            Self::Organisation(a) => a.kind(),
            Self::Resident(a) => a.kind(),
            Self::Account(a) => a.kind(),
            Self::Audit(a) => a.kind(),
            Self::Program(a) => a.kind(),
            Self::Work(a) => a.kind(),
            Self::Kpi(a) => a.kind(),
        }
    }

    /// Every kind of action there is: each needs a row in the role × action matrix.
    pub fn all_kinds() -> Vec<&'static str> {
        [
            RegionAction::KINDS,
            OrganisationAction::KINDS,
            ResidentAction::KINDS,
            AccountAction::KINDS,
            AuditAction::KINDS,
            ProgramAction::KINDS,
            WorkAction::KINDS,
            KpiAction::KINDS,
        ]
        .concat()
    }
}

/// Regions an actor works in or may list: every region, or these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionScope {
    /// Every region (administrators).
    All,
    /// Only these (possibly none).
    Only(Vec<RegionId>),
}

impl Actor {
    /// The policy: whether this actor may do `action`. Each capability's rules are in its file.
    pub fn may(&self, action: impl Into<Action>) -> bool {
        match action.into() {
            Action::Region(a) => regions::may(self, a),
            Action::Organisation(a) => organisations::may(self, a),
            Action::Resident(a) => residents::may(self, a),
            Action::Account(a) => accounts::may(self, a),
            Action::Audit(a) => audit::may(self, a),
            Action::Program(a) => programs::may(self, a),
            Action::Work(a) => work::may(self, a),
            Action::Kpi(a) => kpis::may(self, a),
        }
    }

    pub(crate) fn coordinates(&self, region: RegionId) -> bool {
        matches!(&self.principal, Principal::Coordinator { regions } if regions.contains(&region))
    }

    pub(crate) fn municipal_of(&self, region: RegionId) -> bool {
        matches!(&self.principal, Principal::Municipal { region: r } if *r == region)
    }

    pub(crate) fn is_admin(&self) -> bool {
        matches!(self.principal, Principal::Admin)
    }

    pub(crate) fn is_resident(&self, id: ResidentId) -> bool {
        matches!(&self.principal, Principal::Resident { resident, .. } if *resident == id)
    }

    pub(crate) fn member_of(&self, id: OrganisationId) -> bool {
        matches!(&self.principal, Principal::CompanyMember { organisation } if *organisation == id)
    }

    /// The regions whose work this actor follows on their home page: all for administrators,
    /// their own for coordinators, municipal staff and residents. A company member's region is
    /// that of their organisation, which the services look up (None here).
    pub fn home_regions(&self) -> Option<RegionScope> {
        match &self.principal {
            Principal::Admin => Some(RegionScope::All),
            Principal::Coordinator { regions } => Some(RegionScope::Only(regions.clone())),
            Principal::Municipal { region } | Principal::Resident { region, .. } => {
                Some(RegionScope::Only(vec![*region]))
            }
            Principal::CompanyMember { .. } => None,
        }
    }
}

#[cfg(test)]
pub(crate) fn test_actor(p: Principal) -> Actor {
    Actor {
        user_id: UserId(1),
        login: "x".into(),
        display_name: "x".into(),
        lang: Lang::Ja,
        principal: p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_unique_and_named_by_capability() {
        let kinds = Action::all_kinds();
        let mut sorted = kinds.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), kinds.len(), "duplicate kinds: {kinds:?}");
        assert!(kinds.iter().all(|k| k.contains('.')), "{kinds:?}");
        assert_eq!(
            Action::from(ResidentAction::Create {
                region: RegionId(1)
            })
            .kind(),
            "resident.create"
        );
    }
}
