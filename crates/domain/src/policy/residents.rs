//! Resident profiles: personal data, handled by the coordinators of the resident's region and by
//! the resident. The region's municipal staff and administrators (who support every region) may
//! read them, without the circumstances (childcare, care, treatment), which are for the resident
//! and their coordinators only; every such read is recorded in the audit log
//! ([`Actor::resident_read_is_recorded`]).

use super::{Actor, Principal, RegionScope, actions};
use crate::ids::{RegionId, ResidentId};

actions!(
    /// What can be done with residents' profiles.
    ResidentAction in Resident {
        /// List residents: of one region, or (None) of every region the actor may see.
        List {
            /// The region asked for, if any.
            region: Option<RegionId>,
        } = "resident.list",
        /// See a resident's profile (without circumstances).
        View {
            /// The resident.
            id: ResidentId,
            /// Their region.
            region: RegionId,
        } = "resident.view",
        /// See a resident's circumstances (childcare, care, treatment).
        ViewCircumstances {
            /// The resident.
            id: ResidentId,
            /// Their region.
            region: RegionId,
        } = "resident.view_circumstances",
        /// Register a resident in a region (and move one there).
        Create {
            /// The region.
            region: RegionId,
        } = "resident.create",
        /// Change a resident's profile.
        Edit {
            /// The resident.
            id: ResidentId,
            /// Their region.
            region: RegionId,
        } = "resident.edit",
        /// See and record the contacts with a resident (their coordinators' working notes).
        Contacts {
            /// The resident.
            id: ResidentId,
            /// Their region.
            region: RegionId,
        } = "resident.contacts",
        /// Set a resident's stage by hand (with a reason).
        SetStage {
            /// The resident.
            id: ResidentId,
            /// Their region.
            region: RegionId,
        } = "resident.set_stage",
        /// Merge two records of one person.
        Merge {
            /// Their region.
            region: RegionId,
        } = "resident.merge",
    }
);

pub(super) fn may(actor: &Actor, action: ResidentAction) -> bool {
    use ResidentAction as A;
    match action {
        A::List { region: None } => match actor.resident_regions() {
            RegionScope::All => true,
            RegionScope::Only(r) => !r.is_empty(),
        },
        A::List { region: Some(r) } => {
            actor.is_admin() || actor.coordinates(r) || actor.municipal_of(r)
        }
        A::View { id, region } => {
            actor.is_admin()
                || actor.coordinates(region)
                || actor.municipal_of(region)
                || actor.is_resident(id)
        }
        A::ViewCircumstances { id, region } | A::Edit { id, region } => {
            actor.coordinates(region) || actor.is_resident(id)
        }
        A::Create { region }
        | A::Contacts { region, .. }
        | A::SetStage { region, .. }
        | A::Merge { region } => actor.coordinates(region),
    }
}

impl Actor {
    /// Whether this actor's reading of a resident's profile is written to the audit log:
    /// everyone's but the resident's own and their region's coordinators'.
    pub fn resident_read_is_recorded(&self, id: ResidentId, region: RegionId) -> bool {
        !(self.coordinates(region) || self.is_resident(id))
    }

    /// The regions whose residents this actor follows up person by person (their to-dos):
    /// the coordinators' own regions; nobody else's.
    pub fn follow_up_regions(&self) -> Vec<RegionId> {
        match &self.principal {
            Principal::Coordinator { regions } => regions.clone(),
            _ => vec![],
        }
    }

    /// The regions whose residents this actor may list.
    pub fn resident_regions(&self) -> RegionScope {
        match &self.principal {
            Principal::Admin => RegionScope::All,
            Principal::Coordinator { regions } => RegionScope::Only(regions.clone()),
            Principal::Municipal { region } => RegionScope::Only(vec![*region]),
            Principal::CompanyMember { .. } | Principal::Resident { .. } => {
                RegionScope::Only(vec![])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OrganisationId;
    use crate::policy::{AccountAction, AuditAction, test_actor};

    const HAGI: RegionId = RegionId(1);
    const SHIMO: RegionId = RegionId(2);

    #[test]
    fn coordinator_is_confined_to_their_regions() {
        let c = test_actor(Principal::Coordinator {
            regions: vec![HAGI],
        });
        let own = ResidentId(10);
        let other = ResidentId(20);
        assert!(c.may(ResidentAction::View {
            id: own,
            region: HAGI
        }));
        assert!(c.may(ResidentAction::ViewCircumstances {
            id: own,
            region: HAGI
        }));
        assert!(c.may(ResidentAction::Edit {
            id: own,
            region: HAGI
        }));
        assert!(!c.may(ResidentAction::View {
            id: other,
            region: SHIMO
        }));
        assert!(!c.may(ResidentAction::Edit {
            id: other,
            region: SHIMO
        }));
        assert!(!c.may(ResidentAction::Create { region: SHIMO }));
        assert!(c.may(ResidentAction::List { region: None }));
        assert!(!c.may(ResidentAction::List {
            region: Some(SHIMO)
        }));
        assert!(!c.may(AuditAction::View));
        assert!(c.may(AccountAction::CreateResidentLogin { region: HAGI }));
        assert!(!c.may(AccountAction::CreateResidentLogin { region: SHIMO }));
        assert!(!c.may(AccountAction::CreateMemberLogin {
            id: OrganisationId(3),
            region: SHIMO
        }));
        assert!(!c.may(AccountAction::Manage));
    }

    #[test]
    fn circumstances_are_for_the_resident_and_their_coordinators_only() {
        let target = ResidentAction::ViewCircumstances {
            id: ResidentId(10),
            region: HAGI,
        };
        let resident = |id| {
            test_actor(Principal::Resident {
                resident: ResidentId(id),
                region: HAGI,
            })
        };
        assert!(resident(10).may(target));
        assert!(!resident(11).may(target));
        assert!(!test_actor(Principal::Admin).may(target));
        assert!(!test_actor(Principal::Municipal { region: HAGI }).may(target));
        assert!(
            !test_actor(Principal::CompanyMember {
                organisation: OrganisationId(1)
            })
            .may(target)
        );
    }

    #[test]
    fn only_staff_with_regions_open_the_resident_list() {
        let list = ResidentAction::List { region: None };
        assert!(test_actor(Principal::Admin).may(list));
        assert!(test_actor(Principal::Municipal { region: HAGI }).may(list));
        assert!(!test_actor(Principal::Coordinator { regions: vec![] }).may(list));
        assert!(
            !test_actor(Principal::Resident {
                resident: ResidentId(1),
                region: HAGI
            })
            .may(list)
        );
    }
}
