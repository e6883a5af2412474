//! Organisations' work: the regions they work with, their task inventories and postings, and
//! the public job board.
//!
//! Who may act for an organisation depends on the regions it works with: its members always,
//! the coordinators of any of those regions on its behalf. A posting belongs to one of those
//! regions; its drafts are seen by its organisation and that region's coordinators and staff.

mod engagements;
mod evaluations;
mod matching;
mod pay;
mod postings;
mod selection;
mod tasks;
mod thresholds;

pub use engagements::EngagementView;
pub use evaluations::EvaluationForm;
pub use matching::{MAX_ACCEPTED, RecommendedJob, RecommendedPerson};
pub use pay::Timesheet;
pub use postings::BoardPage;
pub use selection::ApplicationView;
pub use tasks::TaskView;
pub use thresholds::{ThresholdView, income_so_far};

use jimoto_domain::organisation::{Organisation, OrganisationRef};
use jimoto_domain::{
    Actor, OrganisationAction, OrganisationId, RegionId, ValidationFailure, WorkAction,
};
use jimoto_store::{Conn, organisations, work as store};
use serde_json::json;

use crate::{ServiceError, ServiceResult, Services, audit};

/// An organisation with the regions it works with, as one actor may reach it.
#[derive(Debug, Clone)]
pub(crate) struct Reach {
    pub organisation: Organisation,
    pub regions: Vec<RegionId>,
}

impl Reach {
    /// Whether the actor may do what `action` says in any of the organisation's regions.
    pub fn any(&self, actor: &Actor, action: impl Fn(RegionId) -> WorkAction) -> bool {
        self.regions.iter().any(|r| actor.may(action(*r)))
    }
}

/// The organisation and its regions, if the actor may see it through any of them (else "not
/// found": an id from elsewhere reveals nothing).
pub(crate) async fn reach(
    conn: &mut Conn,
    actor: &Actor,
    id: OrganisationId,
) -> ServiceResult<Reach> {
    let organisation = organisations::get(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let regions = store::regions_of(conn, id).await?;
    let visible = std::iter::once(organisation.region_id)
        .chain(regions.iter().copied())
        .any(|region| actor.may(OrganisationAction::View { id, region }));
    if !visible {
        return Err(ServiceError::NotFound);
    }
    Ok(Reach {
        organisation,
        regions,
    })
}

/// The organisation, if the actor may keep its task inventory (else not found or forbidden).
pub(crate) async fn tasks_kept_by(
    conn: &mut Conn,
    actor: &Actor,
    id: OrganisationId,
) -> ServiceResult<Reach> {
    let r = reach(conn, actor, id).await?;
    if !r.any(actor, |region| WorkAction::Tasks {
        organisation: id,
        region,
    }) {
        return Err(ServiceError::Forbidden);
    }
    Ok(r)
}

/// The regions whose residents' applications and contracts with an organisation the actor
/// follows: all (None) for its members, their own for coordinators, none for anyone else (the
/// policy then decides each record).
pub(crate) fn followed_regions(actor: &Actor, org: OrganisationId) -> Option<Vec<RegionId>> {
    use jimoto_domain::Principal as P;
    match &actor.principal {
        P::CompanyMember { organisation } if *organisation == org => None,
        P::Coordinator { regions } => Some(regions.clone()),
        _ => Some(vec![]),
    }
}

/// Moves a resident forward on the growth path to `stage` because of work (never back: a
/// later stage reached by other means stays).
pub(crate) async fn advance(
    conn: &mut Conn,
    resident: jimoto_domain::ResidentId,
    stage: jimoto_domain::growth::Stage,
    cause: jimoto_domain::growth::StageCause,
    actor: &Actor,
) -> ServiceResult<()> {
    use jimoto_store::growth;
    if growth::stage_now(conn, resident)
        .await?
        .is_some_and(|n| n.stage >= stage)
    {
        return Ok(());
    }
    let region = jimoto_store::residents::get(conn, resident)
        .await?
        .ok_or(ServiceError::NotFound)?
        .region_id;
    growth::set_stage(
        conn,
        resident,
        region,
        &growth::NewStage {
            stage,
            at: chrono::Utc::now(),
            cause,
            reason: "",
            program: None,
            by: (Some(actor.user_id), &actor.display_name),
        },
    )
    .await?;
    Ok(())
}

impl Services {
    /// The regions an organisation works with, for anyone who sees it.
    pub async fn organisation_regions(
        &self,
        actor: &Actor,
        id: OrganisationId,
    ) -> ServiceResult<Vec<RegionId>> {
        let mut conn = self.db().conn().await?;
        Ok(reach(&mut conn, actor, id).await?.regions)
    }

    /// Records that an organisation works with a region: by that region's coordinators (who
    /// must see the organisation already) or an administrator.
    pub async fn add_organisation_region(
        &self,
        actor: &Actor,
        id: OrganisationId,
        region: RegionId,
    ) -> ServiceResult<bool> {
        let mut tx = self.db().begin().await?;
        let r = reach(&mut tx, actor, id).await?;
        if jimoto_store::regions::get(&mut tx, region).await?.is_none() {
            return Err(ValidationFailure::single("region_id", "unknown").into());
        }
        crate::require(actor, WorkAction::Regions { region })?;
        let added = store::add_region(&mut tx, id, region).await?;
        if added {
            let mut after = r.regions.clone();
            after.push(region);
            audit::record(
                &mut tx,
                Some(actor),
                Some(r.organisation.region_id),
                jimoto_domain::audit::AuditEntity::Organisation,
                id.0,
                jimoto_domain::audit::AuditOp::Update,
                json!({"regions": [r.regions, after]}),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Takes a region out of an organisation's work: never the region it is registered under,
    /// nor one it has postings in.
    pub async fn remove_organisation_region(
        &self,
        actor: &Actor,
        id: OrganisationId,
        region: RegionId,
    ) -> ServiceResult<()> {
        let mut tx = self.db().begin().await?;
        let r = reach(&mut tx, actor, id).await?;
        if !r.regions.contains(&region) {
            return Err(ServiceError::NotFound);
        }
        crate::require(actor, WorkAction::Regions { region })?;
        if region == r.organisation.region_id {
            return Err(ValidationFailure::single("region_id", "own_region").into());
        }
        if store::has_postings_in(&mut tx, id, region).await? {
            return Err(ValidationFailure::single("region_id", "has_postings").into());
        }
        store::remove_region(&mut tx, id, region).await?;
        let after: Vec<RegionId> = r.regions.iter().copied().filter(|x| *x != region).collect();
        audit::record(
            &mut tx,
            Some(actor),
            Some(r.organisation.region_id),
            jimoto_domain::audit::AuditEntity::Organisation,
            id.0,
            jimoto_domain::audit::AuditOp::Update,
            json!({"regions": [r.regions, after]}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The organisations whose work the actor keeps: their own (a company member), or those
    /// working with their regions (a coordinator), by name.
    pub async fn work_organisations(&self, actor: &Actor) -> ServiceResult<Vec<OrganisationRef>> {
        use jimoto_domain::Principal as P;
        let mut conn = self.db().conn().await?;
        Ok(match &actor.principal {
            P::CompanyMember { organisation } => {
                organisations::names(
                    &mut conn,
                    &jimoto_domain::policy::OrgScope::One(*organisation),
                )
                .await?
            }
            P::Coordinator { regions } => store::working_with(&mut conn, regions).await?,
            P::Admin | P::Municipal { .. } | P::Resident { .. } => vec![],
        })
    }
}
