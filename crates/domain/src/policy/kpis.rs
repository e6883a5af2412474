//! KPIs, plans and co-creation projects: a region's figures are read by its municipal staff,
//! its coordinators and administrators; its plans (targets, published figures) and projects are
//! written by the region's own staff only. People are named in a KPI's rows only to the
//! region's coordinators; everyone else sees a number in their place.

use super::{Actor, actions};
use crate::ids::RegionId;

actions!(
    /// What can be done with KPIs, plans and projects.
    KpiAction in Kpi {
        /// Read a region's KPIs, plans, projects and reports.
        View {
            /// The region.
            region: RegionId,
        } = "kpi.view",
        /// See the names of the people behind a region's KPI rows.
        SeePeople {
            /// The region.
            region: RegionId,
        } = "kpi.people",
        /// Set targets and published figures of a plan that covers the region.
        EditPlan {
            /// The region.
            region: RegionId,
        } = "kpi.plan",
        /// Record and update the region's co-creation projects.
        EditProject {
            /// The region.
            region: RegionId,
        } = "project.edit",
    }
);

pub(super) fn may(actor: &Actor, action: KpiAction) -> bool {
    match action {
        KpiAction::View { region } => {
            actor.is_admin() || actor.coordinates(region) || actor.municipal_of(region)
        }
        KpiAction::SeePeople { region } => actor.coordinates(region),
        KpiAction::EditPlan { region } | KpiAction::EditProject { region } => {
            actor.coordinates(region) || actor.municipal_of(region)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Principal, test_actor};

    const HAGI: RegionId = RegionId(1);
    const SHIMONOSEKI: RegionId = RegionId(2);

    #[test]
    fn a_regions_staff_read_and_edit_its_kpis_and_no_other() {
        let m = test_actor(Principal::Municipal { region: HAGI });
        assert!(m.may(KpiAction::View { region: HAGI }));
        assert!(m.may(KpiAction::EditPlan { region: HAGI }));
        assert!(!m.may(KpiAction::SeePeople { region: HAGI }));
        assert!(!m.may(KpiAction::View {
            region: SHIMONOSEKI
        }));
        assert!(!m.may(KpiAction::EditPlan {
            region: SHIMONOSEKI
        }));
        let a = test_actor(Principal::Admin);
        assert!(a.may(KpiAction::View {
            region: SHIMONOSEKI
        }));
        assert!(!a.may(KpiAction::EditPlan { region: HAGI }));
        assert!(!a.may(KpiAction::SeePeople { region: HAGI }));
        let c = test_actor(Principal::Coordinator {
            regions: vec![HAGI],
        });
        assert!(c.may(KpiAction::SeePeople { region: HAGI }));
        assert!(!c.may(KpiAction::SeePeople {
            region: SHIMONOSEKI
        }));
    }
}
