//! Work: organisations, their task inventories and postings, by the regions an organisation
//! works with. A company's members see and change their own organisation's work; the
//! coordinators of a region it works with see its postings there and act on its behalf; an open
//! posting is public.

use super::{Actor, actions};
use crate::ids::{OrganisationId, RegionId, ResidentId};

actions!(
    /// What can be done with an organisation's work.
    WorkAction in Work {
        /// Add an organisation to a region's work, or take it out (the region's coordinators
        /// invite it; an organisation's own region cannot be taken out).
        Regions {
            /// The region added or removed.
            region: RegionId,
        } = "work.regions",
        /// See and change an organisation's task inventory and turn tasks into postings.
        Tasks {
            /// The organisation.
            organisation: OrganisationId,
            /// A region it works with (the services ask for each of them).
            region: RegionId,
        } = "work.tasks",
        /// See a posting: an open one, anyone; a draft or closed one, its organisation and the
        /// people of the region it recruits in.
        ViewPosting {
            /// The organisation.
            organisation: OrganisationId,
            /// The region it recruits in.
            region: RegionId,
            /// It is on the board.
            open: bool,
        } = "work.posting_view",
        /// Write, open and close a posting.
        EditPosting {
            /// The organisation.
            organisation: OrganisationId,
            /// The region it recruits in.
            region: RegionId,
        } = "work.posting_edit",
        /// Apply to a posting, and see and withdraw one's applications: the resident
        /// themself, or a coordinator of their region on their behalf (for people without a
        /// smartphone or a login).
        Apply {
            /// The applicant.
            resident: ResidentId,
            /// Their region.
            region: RegionId,
        } = "work.apply",
        /// See an organisation's applicants from a region, their notes and ratings, move them
        /// through the stages and decide: the organisation and that region's coordinators, no
        /// one else (not another company, not municipal staff).
        Selection {
            /// The organisation.
            organisation: OrganisationId,
            /// The applicant's region.
            region: RegionId,
        } = "work.selection",
        /// See a contract, its hours, pay statements and evaluations: the resident, the
        /// organisation and the coordinators of the resident's region.
        ViewEngagement {
            /// The organisation.
            organisation: OrganisationId,
            /// The resident's region.
            region: RegionId,
            /// The resident.
            resident: ResidentId,
        } = "work.engagement_view",
        /// Write a contract's terms, start it, end it: the organisation, or a coordinator of the
        /// resident's region on its behalf.
        EditEngagement {
            /// The organisation.
            organisation: OrganisationId,
            /// The resident's region.
            region: RegionId,
        } = "work.engagement_edit",
        /// Log hours and send a period for approval: the resident themself, or a coordinator of
        /// their region entering them on their behalf (代理入力).
        LogHours {
            /// The resident.
            resident: ResidentId,
            /// Their region.
            region: RegionId,
        } = "work.hours_log",
        /// Approve or return a period, mark it paid, and read the payment list: the organisation
        /// that pays.
        DecideHours {
            /// The organisation.
            organisation: OrganisationId,
        } = "work.hours_decide",
        /// A region's pay totals and retention figures (never other people's pay lines or
        /// names): its municipal staff and coordinators, and administrators.
        PayTotals {
            /// The region.
            region: RegionId,
        } = "work.pay_totals",
        /// Define an organisation's own selection stages and evaluation rubric, and evaluate
        /// its engagements: the organisation only.
        Evaluate {
            /// The organisation.
            organisation: OrganisationId,
        } = "work.evaluate",
        /// An organisation's retention figures (how long its people stay, per region):
        /// its members and administrators.
        Retention {
            /// The organisation.
            organisation: OrganisationId,
        } = "work.retention",
        /// Run an allocation of a region's people to its open places and see the people a
        /// posting would suit: that region's coordinators (the allocation applies on the
        /// people's behalf, and who suits a job is personal).
        Match {
            /// The region.
            region: RegionId,
        } = "work.match",
        /// Solve an allocation problem given in the exchange format (no records involved; CPU
        /// work): coordinators and administrators.
        Solve = "work.solve",
        /// Change the dated income thresholds: administrators.
        Thresholds = "work.thresholds",
    }
);

pub(super) fn may(actor: &Actor, action: WorkAction) -> bool {
    use WorkAction as A;
    match action {
        A::Regions { region } => actor.is_admin() || actor.coordinates(region),
        A::Tasks {
            organisation,
            region,
        }
        | A::EditPosting {
            organisation,
            region,
        } => actor.member_of(organisation) || actor.coordinates(region),
        A::ViewPosting {
            organisation,
            region,
            open,
        } => {
            open || actor.is_admin()
                || actor.member_of(organisation)
                || actor.coordinates(region)
                || actor.municipal_of(region)
        }
        A::Apply { resident, region } | A::LogHours { resident, region } => {
            actor.is_resident(resident) || actor.coordinates(region)
        }
        A::Selection {
            organisation,
            region,
        }
        | A::EditEngagement {
            organisation,
            region,
        } => actor.member_of(organisation) || actor.coordinates(region),
        A::ViewEngagement {
            organisation,
            region,
            resident,
        } => {
            actor.is_resident(resident)
                || actor.member_of(organisation)
                || actor.coordinates(region)
        }
        A::DecideHours { organisation } | A::Evaluate { organisation } => {
            actor.member_of(organisation)
        }
        A::Retention { organisation } => actor.is_admin() || actor.member_of(organisation),
        A::PayTotals { region } => {
            actor.is_admin() || actor.coordinates(region) || actor.municipal_of(region)
        }
        A::Match { region } => actor.coordinates(region),
        A::Solve => {
            actor.is_admin() || matches!(actor.principal, super::Principal::Coordinator { .. })
        }
        A::Thresholds => actor.is_admin(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Principal, test_actor};

    const HAGI: RegionId = RegionId(1);
    const SHIMONOSEKI: RegionId = RegionId(2);
    const COGNITY: OrganisationId = OrganisationId(5);

    #[test]
    fn coordinators_act_for_an_organisation_only_in_their_regions() {
        let c = test_actor(Principal::Coordinator {
            regions: vec![HAGI],
        });
        assert!(c.may(WorkAction::Tasks {
            organisation: COGNITY,
            region: HAGI
        }));
        assert!(!c.may(WorkAction::Tasks {
            organisation: COGNITY,
            region: SHIMONOSEKI
        }));
        assert!(c.may(WorkAction::Regions { region: HAGI }));
        assert!(!c.may(WorkAction::Regions {
            region: SHIMONOSEKI
        }));
        let other = test_actor(Principal::CompanyMember {
            organisation: OrganisationId(6),
        });
        assert!(!other.may(WorkAction::ViewPosting {
            organisation: COGNITY,
            region: HAGI,
            open: false
        }));
        assert!(other.may(WorkAction::ViewPosting {
            organisation: COGNITY,
            region: HAGI,
            open: true
        }));
    }
}
