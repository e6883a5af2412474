//! Organisations, scoped by the region they are registered under; company members see and edit
//! only their own.

use super::{Actor, Principal, actions};
use crate::ids::{OrganisationId, RegionId};

actions!(
    /// What can be done with organisations.
    OrganisationAction in Organisation {
        /// Open the organisation list (filtered by [`Actor::visible_org_scope`]).
        List = "organisation.list",
        /// See one organisation.
        View {
            /// The organisation.
            id: OrganisationId,
            /// The region it is registered under.
            region: RegionId,
        } = "organisation.view",
        /// Register an organisation under a region.
        Create {
            /// The region.
            region: RegionId,
        } = "organisation.create",
        /// Change an organisation.
        Edit {
            /// The organisation.
            id: OrganisationId,
            /// The region it is registered under.
            region: RegionId,
        } = "organisation.edit",
        /// Change what kind of body an organisation is (company, municipality, coordinator
        /// body…): it decides what the organisation's members may do, so its members cannot.
        ChangeKind {
            /// The region it is registered under.
            region: RegionId,
        } = "organisation.change_kind",
    }
);

/// Which organisations a list may show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgScope {
    /// Every organisation.
    All,
    /// Those registered under these regions.
    Regions(Vec<RegionId>),
    /// Only this one.
    One(OrganisationId),
    /// None.
    Nothing,
}

pub(super) fn may(actor: &Actor, action: OrganisationAction) -> bool {
    use OrganisationAction as A;
    match action {
        A::List => !matches!(actor.principal, Principal::Resident { .. }),
        A::View { id, region } => {
            actor.is_admin()
                || actor.coordinates(region)
                || actor.municipal_of(region)
                || actor.member_of(id)
        }
        A::Create { region } => actor.is_admin() || actor.coordinates(region),
        A::Edit { id, region } => {
            actor.is_admin() || actor.coordinates(region) || actor.member_of(id)
        }
        A::ChangeKind { region } => actor.is_admin() || actor.coordinates(region),
    }
}

impl Actor {
    /// Which organisations this actor's lists show.
    pub fn visible_org_scope(&self) -> OrgScope {
        match &self.principal {
            Principal::Admin => OrgScope::All,
            Principal::Coordinator { regions } => OrgScope::Regions(regions.clone()),
            Principal::Municipal { region } => OrgScope::Regions(vec![*region]),
            Principal::CompanyMember { organisation } => OrgScope::One(*organisation),
            Principal::Resident { .. } => OrgScope::Nothing,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::test_actor;

    const HAGI: RegionId = RegionId(1);

    #[test]
    fn company_member_sees_only_their_organisation() {
        let m = test_actor(Principal::CompanyMember {
            organisation: OrganisationId(5),
        });
        let own = OrganisationId(5);
        assert!(m.may(OrganisationAction::View {
            id: own,
            region: HAGI
        }));
        assert!(m.may(OrganisationAction::Edit {
            id: own,
            region: HAGI
        }));
        assert!(!m.may(OrganisationAction::View {
            id: OrganisationId(6),
            region: HAGI
        }));
        assert!(!m.may(crate::policy::ResidentAction::List { region: Some(HAGI) }));
        assert_eq!(m.visible_org_scope(), OrgScope::One(own));
    }
}
