//! Regions: public program information; administrators register them, administrators and the
//! region's municipal staff describe them.

use super::{Actor, actions};
use crate::ids::RegionId;

actions!(
    /// What can be done with regions.
    RegionAction in Region {
        /// See regions (municipality, vision, policy issues).
        View = "region.view",
        /// Register a new region.
        Create = "region.create",
        /// Change a region's description.
        Edit {
            /// The region.
            region: RegionId,
        } = "region.edit",
        /// Change a region's local government code: it names the municipality itself, so only
        /// administrators correct it.
        ChangeLgCode = "region.change_lg_code",
    }
);

pub(super) fn may(actor: &Actor, action: RegionAction) -> bool {
    match action {
        RegionAction::View => true,
        RegionAction::Create => actor.is_admin(),
        RegionAction::Edit { region } => actor.is_admin() || actor.municipal_of(region),
        RegionAction::ChangeLgCode => actor.is_admin(),
    }
}
