//! What the home pages summarise: a region's figures, a coordinator's follow-ups, a company's
//! coordinators.

use jimoto_domain::home::{FollowUp, FollowUpList, RegionFigures, STALE_DAYS};
use jimoto_domain::{Actor, OrganisationAction, OrganisationId, RegionId, ResidentAction};
use jimoto_store::{home, organisations};

use crate::{ServiceError, ServiceResult, Services, require};

/// How many residents each follow-up list names (the count says how many there are).
const FOLLOW_UP_NAMES: i64 = 5;

impl Services {
    /// A region's residents in figures, for those who may list them (no one is named).
    pub async fn region_figures(
        &self,
        actor: &Actor,
        region: RegionId,
    ) -> ServiceResult<RegionFigures> {
        require(
            actor,
            ResidentAction::List {
                region: Some(region),
            },
        )?;
        let mut conn = self.db().conn().await?;
        Ok(home::region_figures(&mut conn, region).await?)
    }

    /// The residents a coordinator should follow up, by reason (empty for everyone else).
    pub async fn follow_ups(&self, actor: &Actor) -> ServiceResult<Vec<FollowUpList>> {
        let regions = actor.follow_up_regions();
        if regions.is_empty() {
            return Ok(vec![]);
        }
        let today = jimoto_domain::calendar::today_jst();
        let since = today - chrono::Duration::days(STALE_DAYS);
        let mut conn = self.db().conn().await?;
        let mut out = Vec::new();
        for reason in FollowUp::ALL {
            out.push(home::follow_up(&mut conn, &regions, *reason, since, FOLLOW_UP_NAMES).await?);
        }
        Ok(out)
    }

    /// Who coordinates the region an organisation is registered under: the people its members
    /// turn to (for those who may see the organisation).
    pub async fn coordinators_for(
        &self,
        actor: &Actor,
        organisation: OrganisationId,
    ) -> ServiceResult<Vec<String>> {
        let mut conn = self.db().conn().await?;
        let org = organisations::get(&mut conn, organisation)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if !actor.may(OrganisationAction::View {
            id: organisation,
            region: org.region_id,
        }) {
            return Err(ServiceError::NotFound);
        }
        Ok(home::coordinators_of(&mut conn, org.region_id).await?)
    }
}
