//! Programs: the coordinators of a region run them; the region's municipal staff see them and
//! their figures; a partner organisation's members see the programs it takes part in;
//! administrators see all.

use super::{Actor, Principal, RegionScope, actions};
use crate::ids::{ProgramId, RegionId};

actions!(
    /// What can be done with programs and their sessions.
    ProgramAction in Program {
        /// List programs (each shown only if [`ProgramAction::View`] allows it).
        List = "program.list",
        /// See a program with its sessions.
        View {
            /// The program.
            id: ProgramId,
            /// Its region.
            region: RegionId,
            /// The actor's organisation is one of its partners (or its organiser).
            partner: bool,
        } = "program.view",
        /// Create a program in a region.
        Create {
            /// The region.
            region: RegionId,
        } = "program.create",
        /// Change a program and its sessions.
        Edit {
            /// The program.
            id: ProgramId,
            /// Its region.
            region: RegionId,
        } = "program.edit",
        /// See who signed up for a program and who attended (names: personal data).
        People {
            /// The program.
            id: ProgramId,
            /// Its region.
            region: RegionId,
        } = "program.people",
        /// Enrol people, tick attendance, add walk-ins, import lists, cancel, mark completion.
        Attendance {
            /// The program.
            id: ProgramId,
            /// Its region.
            region: RegionId,
        } = "program.attendance",
        /// See the funnel of a region's programs (None: every region).
        Funnel {
            /// The region.
            region: Option<RegionId>,
        } = "program.funnel",
    }
);

pub(super) fn may(actor: &Actor, action: ProgramAction) -> bool {
    use ProgramAction as A;
    match action {
        A::List => !matches!(actor.principal, Principal::Resident { .. }),
        A::View {
            region, partner, ..
        } => {
            actor.is_admin()
                || actor.coordinates(region)
                || actor.municipal_of(region)
                || (partner && matches!(actor.principal, Principal::CompanyMember { .. }))
        }
        A::Create { region } | A::Edit { region, .. } | A::Attendance { region, .. } => {
            actor.coordinates(region)
        }
        A::People { region, .. }
        | A::Funnel {
            region: Some(region),
        } => actor.is_admin() || actor.coordinates(region) || actor.municipal_of(region),
        A::Funnel { region: None } => actor.is_admin(),
    }
}

impl Actor {
    /// The regions whose programs this actor's list shows in full (a company member's list
    /// shows the programs its organisation partners in, whatever the region).
    pub fn program_regions(&self) -> RegionScope {
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
    use crate::policy::test_actor;

    const HAGI: RegionId = RegionId(1);
    const SHIMO: RegionId = RegionId(2);

    #[test]
    fn coordinators_run_their_regions_programs_and_partners_see_theirs() {
        let view = |region, partner| ProgramAction::View {
            id: ProgramId(1),
            region,
            partner,
        };
        let coord = test_actor(Principal::Coordinator {
            regions: vec![HAGI],
        });
        assert!(coord.may(view(HAGI, false)));
        assert!(coord.may(ProgramAction::Create { region: HAGI }));
        assert!(!coord.may(view(SHIMO, false)));
        assert!(!coord.may(ProgramAction::Edit {
            id: ProgramId(1),
            region: SHIMO
        }));
        let city = test_actor(Principal::Municipal { region: HAGI });
        assert!(city.may(view(HAGI, false)));
        assert!(!city.may(ProgramAction::Edit {
            id: ProgramId(1),
            region: HAGI
        }));
        let member = test_actor(Principal::CompanyMember {
            organisation: OrganisationId(3),
        });
        assert!(member.may(view(SHIMO, true)));
        assert!(!member.may(view(HAGI, false)));
        assert!(!test_actor(Principal::Admin).may(ProgramAction::Create { region: HAGI }));
        let people = |region| ProgramAction::People {
            id: ProgramId(1),
            region,
        };
        let tick = |region| ProgramAction::Attendance {
            id: ProgramId(1),
            region,
        };
        assert!(coord.may(people(HAGI)) && coord.may(tick(HAGI)));
        assert!(!coord.may(people(SHIMO)) && !coord.may(tick(SHIMO)));
        assert!(city.may(people(HAGI)) && !city.may(tick(HAGI)));
        // A partner company sees the program, never who signed up.
        assert!(!member.may(people(SHIMO)));
    }
}
