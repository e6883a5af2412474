//! Resident profiles: personal data, handled by the coordinators of the resident's region and
//! by the resident; circumstances are stripped for everyone else.

use jimoto_domain::audit::{AuditEntity, AuditOp};
use jimoto_domain::resident::{Resident, ResidentFilter, ResidentInput};
use jimoto_domain::{Actor, Page, PageRequest, RegionScope, ResidentAction, ResidentId};
use jimoto_store::residents;

use crate::{ServiceError, ServiceResult, Services, audit, authorize, require};

/// Removes what the actor may not see.
fn redact(actor: &Actor, mut r: Resident) -> Resident {
    if !actor.may(ResidentAction::ViewCircumstances {
        id: r.id,
        region: r.region_id,
    }) {
        r.circumstances = None;
    }
    r
}

impl Services {
    /// Residents the actor may list. A region filter outside their scope yields "forbidden".
    pub async fn residents(
        &self,
        actor: &Actor,
        filter: &ResidentFilter,
        page: &PageRequest,
    ) -> ServiceResult<Page<Resident>> {
        require(actor, ResidentAction::List { region: None })?;
        if let Some(r) = filter.region {
            require(actor, ResidentAction::List { region: Some(r) })?;
        }
        let scope = match actor.resident_regions() {
            RegionScope::All => None,
            RegionScope::Only(r) => Some(r),
        };
        let mut conn = self.db().conn().await?;
        let page = residents::list(&mut conn, scope.as_deref(), filter, page).await?;
        let recorded: Vec<i64> = page
            .items
            .iter()
            .filter(|r| actor.resident_read_is_recorded(r.id, r.region_id))
            .map(|r| r.id.0)
            .collect();
        if !recorded.is_empty() {
            audit::record(
                &mut conn,
                Some(actor),
                filter.region,
                AuditEntity::Resident,
                0,
                AuditOp::List,
                serde_json::json!({ "shown": recorded }),
            )
            .await?;
        }
        Ok(page.map(|r| redact(actor, r)))
    }

    /// One resident; "not found" when the actor may not see them.
    pub async fn resident(&self, actor: &Actor, id: ResidentId) -> ServiceResult<Resident> {
        let mut conn = self.db().conn().await?;
        let r = residents::get(&mut conn, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if !actor.may(ResidentAction::View {
            id,
            region: r.region_id,
        }) {
            return Err(ServiceError::NotFound);
        }
        if actor.resident_read_is_recorded(id, r.region_id) {
            audit::record(
                &mut conn,
                Some(actor),
                Some(r.region_id),
                AuditEntity::Resident,
                id.0,
                AuditOp::View,
                serde_json::json!({}),
            )
            .await?;
        }
        Ok(redact(actor, r))
    }

    /// Registers a resident in a region the actor coordinates.
    pub async fn create_resident(
        &self,
        actor: &Actor,
        input: ResidentInput,
    ) -> ServiceResult<Resident> {
        self.insert_resident(Some(actor), input).await
    }

    /// Registers a resident without an acting user (the demo loader and imports run by the operator).
    pub async fn create_resident_as_operator(
        &self,
        input: ResidentInput,
    ) -> ServiceResult<ResidentId> {
        Ok(self.insert_resident(None, input).await?.id)
    }

    async fn insert_resident(
        &self,
        actor: Option<&Actor>,
        input: ResidentInput,
    ) -> ServiceResult<Resident> {
        let mut tx = self.db().begin().await?;
        let input = crate::checked_in_region(&mut tx, input).await?;
        if let Some(a) = actor {
            require(
                a,
                ResidentAction::Create {
                    region: input.region_id,
                },
            )?;
        }
        let id = residents::insert(&mut tx, &input, None).await?;
        let r = residents::get(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        audit::record_change(
            &mut tx,
            actor,
            Some(r.region_id),
            AuditEntity::Resident,
            id.0,
            None,
            &r,
        )
        .await?;
        tx.commit().await?;
        Ok(match actor {
            Some(a) => redact(a, r),
            None => r,
        })
    }

    /// Changes a resident's profile. Moving a resident to another region needs the right to
    /// register residents there, so residents cannot move themselves and a coordinator moves
    /// people only between regions they coordinate.
    pub async fn update_resident(
        &self,
        actor: &Actor,
        id: ResidentId,
        input: ResidentInput,
    ) -> ServiceResult<Resident> {
        let mut tx = self.db().begin().await?;
        let old = residents::get(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let region = old.region_id;
        authorize(
            actor,
            ResidentAction::View { id, region },
            ResidentAction::Edit { id, region },
        )?;
        let input = crate::checked_in_region(&mut tx, input).await?;
        if input.region_id != region
            && !actor.may(ResidentAction::Create {
                region: input.region_id,
            })
        {
            return Err(jimoto_domain::ValidationFailure::single(
                "region_id",
                "region_not_allowed",
            )
            .into());
        }
        residents::update(&mut tx, id, &input).await?;
        let new = residents::get(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        audit::record_change(
            &mut tx,
            Some(actor),
            Some(new.region_id),
            AuditEntity::Resident,
            id.0,
            Some(&old),
            &new,
        )
        .await?;
        tx.commit().await?;
        Ok(redact(actor, new))
    }
}

/// How many contacts a resident's page shows (newest first).
const CONTACTS_SHOWN: i64 = 50;

impl Services {
    /// The contacts with a resident, newest first (their coordinators only); "not found" for a
    /// resident the actor may not see.
    pub async fn contacts(
        &self,
        actor: &Actor,
        id: ResidentId,
    ) -> ServiceResult<Vec<jimoto_domain::contact::Contact>> {
        let mut conn = self.db().conn().await?;
        let r = residents::get(&mut conn, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        authorize(
            actor,
            ResidentAction::View {
                id,
                region: r.region_id,
            },
            ResidentAction::Contacts {
                id,
                region: r.region_id,
            },
        )?;
        Ok(jimoto_store::contacts::of_resident(&mut conn, id, CONTACTS_SHOWN).await?)
    }

    /// Records a contact with a resident (their coordinators). The audit log keeps the day and
    /// the kind, not the note.
    pub async fn record_contact(
        &self,
        actor: &Actor,
        id: ResidentId,
        input: jimoto_domain::contact::ContactInput,
    ) -> ServiceResult<jimoto_domain::contact::Contact> {
        use validator::Validate as _;
        let mut input = input;
        input.note = input.note.trim().to_owned();
        let mut errors = match input.validate() {
            Ok(()) => vec![],
            Err(e) => jimoto_domain::ValidationFailure::from_validator(&e).0,
        };
        let today = jimoto_domain::calendar::today_jst();
        if input.contacted_on > today {
            errors.push(jimoto_domain::FieldError::new("contacted_on", "in_future"));
        }
        let mut tx = self.db().begin().await?;
        let r = residents::get(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        authorize(
            actor,
            ResidentAction::View {
                id,
                region: r.region_id,
            },
            ResidentAction::Contacts {
                id,
                region: r.region_id,
            },
        )?;
        jimoto_domain::ValidationFailure(errors).into_result()?;
        let contact_id = jimoto_store::contacts::insert(
            &mut tx,
            id,
            r.region_id,
            &input,
            (Some(actor.user_id), &actor.display_name),
        )
        .await?;
        audit::record(
            &mut tx,
            Some(actor),
            Some(r.region_id),
            AuditEntity::Resident,
            id.0,
            AuditOp::Update,
            serde_json::json!({"contact": [null, {
                "contacted_on": input.contacted_on.format("%Y-%m-%d").to_string(),
                "kind": input.kind.as_str(),
            }]}),
        )
        .await?;
        let saved = jimoto_store::contacts::of_resident(&mut tx, id, CONTACTS_SHOWN)
            .await?
            .into_iter()
            .find(|c| c.id == contact_id)
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(saved)
    }
}
