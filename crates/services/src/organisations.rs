//! Organisations, scoped by the region they are registered under; company members see and
//! edit only their own.

use jimoto_domain::audit::AuditEntity;
use jimoto_domain::organisation::{
    OrgFilter, OrgKind, Organisation, OrganisationInput, OrganisationRef,
};
use jimoto_domain::user::Account;
use jimoto_domain::{Actor, OrganisationAction, OrganisationId, Page, PageRequest};
use jimoto_store::{organisations, users};

use crate::{ServiceError, ServiceResult, Services, audit, authorize, require};

/// An organisation with its members' accounts.
#[derive(Debug, Clone)]
pub struct OrganisationView {
    /// The organisation.
    pub organisation: Organisation,
    /// Members' accounts.
    pub members: Vec<Account>,
}

/// An organisation whose prefecture is left empty is in its region's prefecture (a local
/// company, the municipality itself): nothing else is assumed for it.
async fn with_region_prefecture(
    conn: &mut jimoto_store::Conn,
    mut input: OrganisationInput,
) -> ServiceResult<OrganisationInput> {
    if input.hq_prefecture.trim().is_empty()
        && let Some(region) = jimoto_store::regions::get(conn, input.region_id).await?
    {
        input.hq_prefecture = region.prefecture;
    }
    Ok(input)
}

impl Services {
    /// Organisations the actor may see, filtered.
    pub async fn organisations(
        &self,
        actor: &Actor,
        filter: &OrgFilter,
        page: &PageRequest,
    ) -> ServiceResult<Page<Organisation>> {
        require(actor, OrganisationAction::List)?;
        let mut conn = self.db().conn().await?;
        Ok(organisations::list(&mut conn, &actor.visible_org_scope(), filter, page).await?)
    }

    /// Every organisation the actor may see, by name, for pickers: never cut off.
    pub async fn organisation_refs(&self, actor: &Actor) -> ServiceResult<Vec<OrganisationRef>> {
        require(actor, OrganisationAction::List)?;
        let mut conn = self.db().conn().await?;
        Ok(organisations::names(&mut conn, &actor.visible_org_scope()).await?)
    }

    /// The names of these organisations, to label records that mention them (a program's
    /// organiser and partners), for anyone who may list organisations.
    pub async fn organisation_labels(
        &self,
        actor: &Actor,
        ids: &[OrganisationId],
    ) -> ServiceResult<Vec<(OrganisationId, String)>> {
        require(actor, OrganisationAction::List)?;
        let ids: Vec<i64> = ids.iter().map(|i| i.0).collect();
        let mut conn = self.db().conn().await?;
        let names = jimoto_store::labels::names(
            &mut conn,
            jimoto_store::labels::Named::Organisations,
            &ids,
        )
        .await?;
        Ok(names
            .into_iter()
            .map(|(id, name)| (OrganisationId(id), name))
            .collect())
    }

    /// One organisation with its members; "not found" when the actor may not see it.
    pub async fn organisation(
        &self,
        actor: &Actor,
        id: OrganisationId,
    ) -> ServiceResult<OrganisationView> {
        let mut conn = self.db().conn().await?;
        let organisation = organisations::get(&mut conn, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if !actor.may(OrganisationAction::View {
            id,
            region: organisation.region_id,
        }) {
            return Err(ServiceError::NotFound);
        }
        // A municipality's people are its region's municipal staff; others have member accounts.
        let members = if organisation.kind == OrgKind::Municipality {
            users::municipal_staff_of(&mut conn, organisation.region_id).await?
        } else {
            users::members_of(&mut conn, id).await?
        };
        Ok(OrganisationView {
            organisation,
            members,
        })
    }

    /// Registers an organisation under a region the actor works in.
    pub async fn create_organisation(
        &self,
        actor: &Actor,
        input: OrganisationInput,
    ) -> ServiceResult<Organisation> {
        let mut tx = self.db().begin().await?;
        let input = with_region_prefecture(&mut tx, input).await?;
        let input = crate::checked_in_region(&mut tx, input).await?;
        require(
            actor,
            OrganisationAction::Create {
                region: input.region_id,
            },
        )?;
        let id = organisations::insert(&mut tx, &input).await?;
        let org = organisations::get(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        audit::record_change(
            &mut tx,
            Some(actor),
            Some(org.region_id),
            AuditEntity::Organisation,
            id.0,
            None,
            &org,
        )
        .await?;
        tx.commit().await?;
        Ok(org)
    }

    /// Changes an organisation. Moving it to another region needs the right to register it there.
    pub async fn update_organisation(
        &self,
        actor: &Actor,
        id: OrganisationId,
        input: OrganisationInput,
    ) -> ServiceResult<Organisation> {
        let mut tx = self.db().begin().await?;
        let old = organisations::get(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let region = old.region_id;
        authorize(
            actor,
            OrganisationAction::View { id, region },
            OrganisationAction::Edit { id, region },
        )?;
        let input = with_region_prefecture(&mut tx, input).await?;
        let input = crate::checked_in_region(&mut tx, input).await?;
        if input.kind != old.kind {
            require(actor, OrganisationAction::ChangeKind { region })?;
        }
        if input.region_id != old.region_id {
            require(
                actor,
                OrganisationAction::Create {
                    region: input.region_id,
                },
            )?;
        }
        organisations::update(&mut tx, id, &input).await?;
        let new = organisations::get(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        audit::record_change(
            &mut tx,
            Some(actor),
            Some(new.region_id),
            AuditEntity::Organisation,
            id.0,
            Some(&old),
            &new,
        )
        .await?;
        tx.commit().await?;
        Ok(new)
    }
}
