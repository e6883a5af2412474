//! Regions: anyone signed in may read them; admins register them from the national list;
//! admins and the region's municipal staff describe them.

use jimoto_domain::audit::AuditEntity;
use jimoto_domain::municipality::{self, Municipality};
use jimoto_domain::region::{Region, RegionFilter, RegionInput, RegionRef};
use jimoto_domain::{
    Actor, LgCode, Page, PageRequest, RegionAction, RegionId, RegionScope, ResidentAction, Total,
    ValidationFailure,
};
use jimoto_store::{organisations, regions, residents};
use validator::Validate;

use crate::{ServiceError, ServiceResult, Services, audit, authorize, require};

/// A region on someone's home page, with its resident count where they may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HomeRegion {
    /// The region.
    pub region: Region,
    /// Residents registered there, counted up to the bound (None when the viewer may not list them).
    pub residents: Option<Total>,
}

/// A municipality of the national list offered when registering a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MunicipalityChoice {
    /// The list's entry.
    pub municipality: &'static Municipality,
    /// The region already registered for it, if any.
    pub region: Option<RegionId>,
}

/// Validates the input and finds its code on the national list.
fn checked(input: RegionInput) -> Result<(RegionInput, &'static Municipality), ValidationFailure> {
    let input = input.normalised();
    input
        .validate()
        .map_err(|e| ValidationFailure::from_validator(&e))?;
    let code = LgCode::parse(&input.lg_code)
        .map_err(|e| ValidationFailure::single("lg_code", e.code()))?;
    let m = municipality::by_code(code.as_str())
        .ok_or_else(|| ValidationFailure::single("lg_code", "lg_code_unlisted"))?;
    Ok((input, m))
}

impl Services {
    /// A page of regions.
    pub async fn regions(
        &self,
        actor: &Actor,
        filter: &RegionFilter,
        page: &PageRequest,
    ) -> ServiceResult<Page<Region>> {
        require(actor, RegionAction::View)?;
        let mut conn = self.db().conn().await?;
        Ok(regions::list(&mut conn, filter, page).await?)
    }

    /// One region.
    pub async fn region(&self, actor: &Actor, id: RegionId) -> ServiceResult<Region> {
        if !actor.may(RegionAction::View) {
            return Err(ServiceError::NotFound);
        }
        let mut conn = self.db().conn().await?;
        regions::get(&mut conn, id)
            .await?
            .ok_or(ServiceError::NotFound)
    }

    /// Every region, by code, for pickers: the whole list, never cut off.
    pub async fn region_refs(&self, actor: &Actor) -> ServiceResult<Vec<RegionRef>> {
        require(actor, RegionAction::View)?;
        let mut conn = self.db().conn().await?;
        Ok(regions::all_names(&mut conn).await?)
    }

    /// The names of these regions, to label a page of records.
    pub async fn region_labels(
        &self,
        actor: &Actor,
        ids: &[RegionId],
    ) -> ServiceResult<Vec<RegionRef>> {
        require(actor, RegionAction::View)?;
        let mut conn = self.db().conn().await?;
        Ok(regions::names_of(&mut conn, ids).await?)
    }

    /// How many regions are registered.
    pub async fn region_count(&self, actor: &Actor) -> ServiceResult<i64> {
        require(actor, RegionAction::View)?;
        let mut conn = self.db().conn().await?;
        Ok(regions::count(&mut conn).await?)
    }

    /// The regions an actor works in, with resident counts where they may see them; None for
    /// administrators, whose home page summarises every region instead of listing them.
    pub async fn home_regions(&self, actor: &Actor) -> ServiceResult<Option<Vec<HomeRegion>>> {
        let mut conn = self.db().conn().await?;
        let ids = match actor.home_regions() {
            Some(RegionScope::All) => return Ok(None),
            Some(RegionScope::Only(ids)) => ids,
            None => match &actor.principal {
                jimoto_domain::Principal::CompanyMember { organisation } => {
                    organisations::get(&mut conn, *organisation)
                        .await?
                        .map(|o| vec![o.region_id])
                        .unwrap_or_default()
                }
                _ => vec![],
            },
        };
        let mut out = Vec::new();
        for id in ids {
            if let Some(region) = regions::get(&mut conn, id).await? {
                let residents = if actor.may(ResidentAction::List { region: Some(id) }) {
                    Some(residents::count_in(&mut conn, id).await?)
                } else {
                    None
                };
                out.push(HomeRegion { region, residents });
            }
        }
        Ok(Some(out))
    }

    /// Municipalities of the national list whose name or reading contains `q` (萩, ハギ, はぎ),
    /// each with the region already registered for it, if any (admins, who register regions).
    pub async fn municipality_choices(
        &self,
        actor: &Actor,
        q: &str,
    ) -> ServiceResult<Vec<MunicipalityChoice>> {
        require(actor, RegionAction::Create)?;
        let mut conn = self.db().conn().await?;
        let registered = regions::registered_codes(&mut conn).await?;
        Ok(municipality::search(q)
            .into_iter()
            .map(|m| MunicipalityChoice {
                municipality: m,
                region: registered
                    .binary_search_by(|(c, _)| c.as_str().cmp(&m.code))
                    .ok()
                    .map(|i| registered[i].1),
            })
            .collect())
    }

    /// Registers a region for a municipality of the national list (admins). Its name, reading
    /// and prefecture come from the list.
    pub async fn create_region(&self, actor: &Actor, input: RegionInput) -> ServiceResult<Region> {
        require(actor, RegionAction::Create)?;
        let (input, m) = checked(input)?;
        let mut tx = self.db().begin().await?;
        let id = regions::insert(&mut tx, m, &input).await?;
        let region = regions::get(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        audit::record_change(
            &mut tx,
            Some(actor),
            Some(id),
            AuditEntity::Region,
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
        authorize(actor, RegionAction::View, RegionAction::Edit { region: id })?;
        let (input, m) = checked(input)?;
        if m.code != old.lg_code {
            require(actor, RegionAction::ChangeLgCode)?;
        }
        regions::update(&mut tx, id, m, &input).await?;
        let new = regions::get(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        audit::record_change(
            &mut tx,
            Some(actor),
            Some(id),
            AuditEntity::Region,
            id.0,
            Some(&old),
            &new,
        )
        .await?;
        tx.commit().await?;
        Ok(new)
    }
}
