//! Who may do what: the one place where roles are checked.
//!
//! Services ask [`Actor::may`] before every read and write. Refused reads of a specific record
//! are reported by the services as "not found", so that ids from another region or company
//! reveal nothing.

use serde::Serialize;

use crate::ids::{OrganisationId, RegionId, ResidentId, UserId};
use crate::user::{Lang, Role};

/// A role together with its scope. Making the scope part of the variant means a coordinator
/// without regions or a company member without an organisation cannot be represented.
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

/// Everything a user can ask to do, with the scope the answer depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See regions (municipality, vision, policy issues): public program information.
    ViewRegions,
    /// Register a new region.
    CreateRegion,
    /// Change a region's description.
    EditRegion(RegionId),
    /// List organisations (the list is then filtered by [`Actor::visible_org_scope`]).
    ListOrganisations,
    /// See one organisation.
    ViewOrganisation {
        /// The organisation.
        id: OrganisationId,
        /// The region it is registered under.
        region: RegionId,
    },
    /// Register an organisation under a region.
    CreateOrganisation(RegionId),
    /// Change an organisation.
    EditOrganisation {
        /// The organisation.
        id: OrganisationId,
        /// The region it is registered under.
        region: RegionId,
    },
    /// List residents of a region.
    ListResidents(RegionId),
    /// See a resident's profile (without circumstances).
    ViewResident {
        /// The resident.
        id: ResidentId,
        /// Their region.
        region: RegionId,
    },
    /// See a resident's circumstances (childcare, care, treatment).
    ViewResidentCircumstances {
        /// The resident.
        id: ResidentId,
        /// Their region.
        region: RegionId,
    },
    /// Register a resident in a region.
    CreateResident(RegionId),
    /// Change a resident's profile.
    EditResident {
        /// The resident.
        id: ResidentId,
        /// Their region.
        region: RegionId,
    },
    /// Give a resident of this region a login to their own record.
    CreateResidentAccount(RegionId),
    /// Add a member account to an organisation.
    CreateMemberAccount {
        /// The organisation.
        id: OrganisationId,
        /// The region it is registered under.
        region: RegionId,
    },
    /// Read the audit log.
    ViewAudit,
    /// Create accounts and give roles.
    ManageUsers,
}

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

impl Actor {
    fn coordinates(&self, region: RegionId) -> bool {
        matches!(&self.principal, Principal::Coordinator { regions } if regions.contains(&region))
    }

    fn municipal_of(&self, region: RegionId) -> bool {
        matches!(&self.principal, Principal::Municipal { region: r } if *r == region)
    }

    fn is_admin(&self) -> bool {
        matches!(self.principal, Principal::Admin)
    }

    fn is_resident(&self, id: ResidentId) -> bool {
        matches!(&self.principal, Principal::Resident { resident, .. } if *resident == id)
    }

    fn member_of(&self, id: OrganisationId) -> bool {
        matches!(&self.principal, Principal::CompanyMember { organisation } if *organisation == id)
    }

    /// The policy. Personal data stays with the people of its region: admins administer the
    /// platform and read the audit log but do not handle residents' records, and a resident's
    /// circumstances are seen only by the resident and their region's coordinators.
    pub fn may(&self, action: Action) -> bool {
        use Action as A;
        match action {
            A::ViewRegions => true,
            A::CreateRegion | A::ViewAudit | A::ManageUsers => self.is_admin(),
            A::EditRegion(r) => self.is_admin() || self.municipal_of(r),
            A::ListOrganisations => !matches!(self.principal, Principal::Resident { .. }),
            A::ViewOrganisation { id, region } => {
                self.is_admin()
                    || self.coordinates(region)
                    || self.municipal_of(region)
                    || self.member_of(id)
            }
            A::CreateOrganisation(r) => self.is_admin() || self.coordinates(r),
            A::EditOrganisation { id, region } => {
                self.is_admin() || self.coordinates(region) || self.member_of(id)
            }
            A::ListResidents(r) => self.is_admin() || self.coordinates(r) || self.municipal_of(r),
            A::ViewResident { id, region } => {
                self.is_admin()
                    || self.coordinates(region)
                    || self.municipal_of(region)
                    || self.is_resident(id)
            }
            A::ViewResidentCircumstances { id, region } | A::EditResident { id, region } => {
                self.coordinates(region) || self.is_resident(id)
            }
            A::CreateResident(r) => self.coordinates(r),
            A::CreateResidentAccount(r) | A::CreateMemberAccount { region: r, .. } => {
                self.is_admin() || self.coordinates(r)
            }
        }
    }

    /// The regions whose residents this actor may list (None = all regions).
    pub fn resident_regions(&self) -> Option<Vec<RegionId>> {
        match &self.principal {
            Principal::Admin => None,
            Principal::Coordinator { regions } => Some(regions.clone()),
            Principal::Municipal { region } => Some(vec![*region]),
            Principal::CompanyMember { .. } | Principal::Resident { .. } => Some(vec![]),
        }
    }

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

    fn actor(p: Principal) -> Actor {
        Actor {
            user_id: UserId(1),
            login: "x".into(),
            display_name: "x".into(),
            lang: Lang::Ja,
            principal: p,
        }
    }

    const HAGI: RegionId = RegionId(1);
    const SHIMO: RegionId = RegionId(2);

    #[test]
    fn coordinator_is_confined_to_their_regions() {
        let c = actor(Principal::Coordinator {
            regions: vec![HAGI],
        });
        let own = ResidentId(10);
        assert!(c.may(Action::ViewResident {
            id: own,
            region: HAGI
        }));
        assert!(c.may(Action::ViewResidentCircumstances {
            id: own,
            region: HAGI
        }));
        assert!(c.may(Action::EditResident {
            id: own,
            region: HAGI
        }));
        assert!(!c.may(Action::ViewResident {
            id: ResidentId(20),
            region: SHIMO
        }));
        assert!(!c.may(Action::EditResident {
            id: ResidentId(20),
            region: SHIMO
        }));
        assert!(!c.may(Action::CreateResident(SHIMO)));
        assert!(!c.may(Action::ViewAudit));
        assert!(c.may(Action::CreateResidentAccount(HAGI)));
        assert!(!c.may(Action::CreateResidentAccount(SHIMO)));
        assert!(!c.may(Action::CreateMemberAccount {
            id: OrganisationId(3),
            region: SHIMO
        }));
        assert!(!c.may(Action::ManageUsers));
    }

    #[test]
    fn circumstances_are_for_the_resident_and_their_coordinators_only() {
        let target = Action::ViewResidentCircumstances {
            id: ResidentId(10),
            region: HAGI,
        };
        assert!(
            actor(Principal::Resident {
                resident: ResidentId(10),
                region: HAGI
            })
            .may(target)
        );
        assert!(
            !actor(Principal::Resident {
                resident: ResidentId(11),
                region: HAGI
            })
            .may(target)
        );
        assert!(!actor(Principal::Admin).may(target));
        assert!(!actor(Principal::Municipal { region: HAGI }).may(target));
        assert!(
            !actor(Principal::CompanyMember {
                organisation: OrganisationId(1)
            })
            .may(target)
        );
    }

    #[test]
    fn company_member_sees_only_their_organisation() {
        let m = actor(Principal::CompanyMember {
            organisation: OrganisationId(5),
        });
        assert!(m.may(Action::ViewOrganisation {
            id: OrganisationId(5),
            region: HAGI
        }));
        assert!(m.may(Action::EditOrganisation {
            id: OrganisationId(5),
            region: HAGI
        }));
        assert!(!m.may(Action::ViewOrganisation {
            id: OrganisationId(6),
            region: HAGI
        }));
        assert!(!m.may(Action::ListResidents(HAGI)));
        assert_eq!(m.visible_org_scope(), OrgScope::One(OrganisationId(5)));
    }
}
