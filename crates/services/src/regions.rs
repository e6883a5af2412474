//! Regions: anyone signed in may read them; admins create; admins and the region's municipal
//! staff edit.

use jimoto_domain::region::{Region, RegionInput};
use jimoto_domain::{Action, Actor, LgCode, RegionId, ValidationFailure};
use jimoto_store::regions::{self, RegionFilter};
use jimoto_store::{Page, PageRequest, StoreError, residents};
use validator::Validate;

use crate::{ServiceError, ServiceResult, Services, audit};

/// A region with the counts a home page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionOverview {
    /// The region.
    pub region: Region,
    /// Residents registered there (None when the viewer may not count them).
    pub residents: Option<i64>,
}

fn checked(input: RegionInput) -> Result<(RegionInput, LgCode), ValidationFailure> {
    let input = input.normalised();
    input
        .validate()
        .map_err(|e| ValidationFailure::from_validator(&e))?;
    let code = LgCode::parse(&input.lg_code)
        .map_err(|e| ValidationFailure::single("lg_code", e.code()))?;
    Ok((input, code))
}

fn duplicate(e: StoreError) -> ServiceError {
    match e {
        StoreError::Duplicate(_) => ValidationFailure::single("lg_code", "taken").into(),
        e => e.into(),
    }
}

impl Services {
    /// A page of regions.
    pub async fn regions(
        &self,
        actor: &Actor,
        filter: &RegionFilter,
        page: PageRequest,
    ) -> ServiceResult<Page<Region>> {
        if !actor.may(Action::ViewRegions) {
            return Err(ServiceError::Forbidden);
        }
        let mut conn = self.db().conn().await?;
        Ok(regions::list(&mut conn, filter, page).await?)
    }

    /// One region.
    pub async fn region(&self, actor: &Actor, id: RegionId) -> ServiceResult<Region> {
        if !actor.may(Action::ViewRegions) {
            return Err(ServiceError::NotFound);
        }
        let mut conn = self.db().conn().await?;
        regions::get(&mut conn, id)
            .await?
            .ok_or(ServiceError::NotFound)
    }

    /// The regions an actor works in, with resident counts where they may see them.
    pub async fn my_regions(&self, actor: &Actor) -> ServiceResult<Vec<RegionOverview>> {
        let mut conn = self.db().conn().await?;
        let counts = residents::count_by_region(&mut conn).await?;
        let ids: Vec<RegionId> = match &actor.principal {
            jimoto_domain::Principal::Admin => regions::list(
                &mut conn,
                &RegionFilter::default(),
                PageRequest::new(Some(1), Some(200)),
            )
            .await?
            .items
            .iter()
            .map(|r| r.id)
            .collect(),
            jimoto_domain::Principal::Coordinator { regions } => regions.clone(),
            jimoto_domain::Principal::Municipal { region }
            | jimoto_domain::Principal::Resident { region, .. } => {
                vec![*region]
            }
            jimoto_domain::Principal::CompanyMember { organisation } => {
                match jimoto_store::organisations::get(&mut conn, *organisation).await? {
                    Some(o) => vec![o.region_id],
                    None => vec![],
                }
            }
        };
        let mut out = Vec::new();
        for id in ids {
            if let Some(region) = regions::get(&mut conn, id).await? {
                let residents = actor
                    .may(Action::ListResidents(id))
                    .then(|| counts.iter().find(|(r, _)| *r == id).map_or(0, |(_, n)| *n));
                out.push(RegionOverview { region, residents });
            }
        }
        Ok(out)
    }

    /// Registers a region (admins).
    pub async fn create_region(&self, actor: &Actor, input: RegionInput) -> ServiceResult<Region> {
        if !actor.may(Action::CreateRegion) {
            return Err(ServiceError::Forbidden);
        }
        let (input, code) = checked(input)?;
        let mut tx = self.db().begin().await?;
        let id = regions::insert(&mut tx, &code, &input)
            .await
            .map_err(duplicate)?;
        let region = regions::get(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        audit::record_change(
            &mut tx,
            Some(actor),
            Some(id),
            "region",
            id.0,
            None,
            &region,
        )
        .await?;
        tx.commit().await?;
        Ok(region)
    }

    /// Changes a region (admins, and the region's municipal staff).
    pub async fn update_region(
        &self,
        actor: &Actor,
        id: RegionId,
        input: RegionInput,
    ) -> ServiceResult<Region> {
        let mut tx = self.db().begin().await?;
        let old = regions::get(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if !actor.may(Action::EditRegion(id)) {
            return Err(ServiceError::Forbidden);
        }
        let (input, code) = checked(input)?;
        regions::update(&mut tx, id, &code, &input)
            .await
            .map_err(duplicate)?;
        let new = regions::get(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        audit::record_change(
            &mut tx,
            Some(actor),
            Some(id),
            "region",
            id.0,
            Some(&old),
            &new,
        )
        .await?;
        tx.commit().await?;
        Ok(new)
    }
}
