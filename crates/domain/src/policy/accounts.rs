//! Accounts: administrators create any and change their scope; a coordinator gives logins to
//! residents of their regions and adds member accounts to organisations registered there.

use super::{Actor, actions};
use crate::ids::{OrganisationId, RegionId, ResidentId};
use crate::user::Role;

actions!(
    /// What can be done with accounts.
    AccountAction in Account {
        /// Create accounts of any role, change their scope, disable them.
        Manage = "account.manage",
        /// Give a resident of this region a login to their own record.
        CreateResidentLogin {
            /// The resident's region.
            region: RegionId,
        } = "account.create_resident_login",
        /// Add a member account to an organisation.
        CreateMemberLogin {
            /// The organisation.
            id: OrganisationId,
            /// The region it is registered under.
            region: RegionId,
        } = "account.create_member_login",
        /// Issue a temporary password to someone who forgot theirs: administrators for any
        /// account, coordinators for the residents and organisation members of their regions.
        ResetPassword {
            /// The account's role.
            role: Role,
            /// The resident's region, or the region the member's organisation is registered
            /// under (None for staff accounts).
            region: Option<RegionId>,
        } = "account.reset_password",
        /// Make personal access tokens for the JSON API: staff and companies, who connect
        /// their own tools; residents use the pages only.
        UseTokens = "account.use_tokens",
    }
);

pub(super) fn may(actor: &Actor, action: AccountAction) -> bool {
    use AccountAction as A;
    match action {
        A::Manage => actor.is_admin(),
        A::CreateResidentLogin { region } | A::CreateMemberLogin { region, .. } => {
            actor.is_admin() || actor.coordinates(region)
        }
        A::UseTokens => !matches!(actor.principal, super::Principal::Resident { .. }),
        A::ResetPassword { role, region } => {
            actor.is_admin()
                || (matches!(role, Role::Resident | Role::CompanyMember)
                    && region.is_some_and(|r| actor.coordinates(r)))
        }
    }
}

/// Whether an administrator may change an account's role from `from` to `to`: only between
/// the roles scoped by regions (coordinator ↔ municipal staff), whose scope carries over.
/// Administrators, company members and residents keep their role: their scope (the platform,
/// an organisation, a resident's record) cannot become another role's, so such a change is a
/// new account.
pub fn role_change_is_safe(from: Role, to: Role) -> bool {
    from == to
        || matches!(
            (from, to),
            (Role::Coordinator, Role::Municipal) | (Role::Municipal, Role::Coordinator)
        )
}

/// What an account is scoped to; must fit its role ([`AccountScope::fits`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountScope {
    /// Admins: everything.
    Platform,
    /// Coordinators (one or more) and municipal staff (exactly one).
    Regions(Vec<RegionId>),
    /// Company members.
    Organisation(OrganisationId),
    /// Residents: their own record.
    Resident(ResidentId),
}

impl AccountScope {
    /// The scope a role takes from what a form or request names: regions for coordinators and
    /// municipal staff, an organisation for company members, a record for residents. None when
    /// the role needs something that was not named.
    pub fn for_role(
        role: Role,
        regions: Vec<RegionId>,
        organisation: Option<OrganisationId>,
        resident: Option<ResidentId>,
    ) -> Option<Self> {
        match role {
            Role::Admin => Some(Self::Platform),
            Role::Coordinator | Role::Municipal => Some(Self::Regions(regions)),
            Role::CompanyMember => organisation.map(Self::Organisation),
            Role::Resident => resident.map(Self::Resident),
        }
    }

    /// Whether this scope fits a role: coordinators have one or more regions, municipal staff
    /// exactly one, company members an organisation, residents their record.
    pub fn fits(&self, role: Role) -> bool {
        match (role, self) {
            (Role::Admin, Self::Platform)
            | (Role::CompanyMember, Self::Organisation(_))
            | (Role::Resident, Self::Resident(_)) => true,
            (Role::Coordinator, Self::Regions(r)) => !r.is_empty(),
            (Role::Municipal, Self::Regions(r)) => r.len() == 1,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_fit_their_roles() {
        let one = AccountScope::Regions(vec![RegionId(1)]);
        let two = AccountScope::Regions(vec![RegionId(1), RegionId(2)]);
        assert!(one.fits(Role::Municipal) && !two.fits(Role::Municipal));
        assert!(two.fits(Role::Coordinator));
        assert!(!AccountScope::Regions(vec![]).fits(Role::Coordinator));
        assert!(AccountScope::Platform.fits(Role::Admin));
        assert!(!AccountScope::Platform.fits(Role::Resident));
        assert!(AccountScope::Resident(ResidentId(1)).fits(Role::Resident));
        assert!(AccountScope::Organisation(OrganisationId(1)).fits(Role::CompanyMember));
    }
}
