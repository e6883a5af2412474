//! Pickers that offer records the user may choose, filled from the services.

use jimoto_domain::{Actor, RegionId};
use jimoto_services::Services;

use crate::error::AppError;
use crate::layout::RegionGroups;
use crate::session::Ctx;

/// The regions a form's region picker offers: those the actor may use, plus the record's
/// current one (so an edit form shows where the record is). Every such region, uncapped.
pub(crate) async fn pickable_regions(
    ctx: &Ctx,
    s: &Services,
    actor: &Actor,
    current: &str,
    allowed: impl Fn(RegionId) -> bool,
) -> Result<RegionGroups, AppError> {
    let all = s.region_refs(actor).await?;
    Ok(RegionGroups::new(
        ctx.tr,
        all.into_iter()
            .filter(|r| allowed(r.id) || current == r.id.to_string())
            .collect(),
    ))
}
