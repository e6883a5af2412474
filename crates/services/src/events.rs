//! Use cases around a program's sessions: recording what participants said (quoted only with
//! their consent, and without their name to anyone who may not see the program's people), and
//! for company seminars and workation tours the organisations, their people, purposes and
//! follow-up actions — listed for the coordinators of the region until each is done.

use jimoto_domain::audit::{AuditEntity, AuditOp};
use jimoto_domain::event::{
    EventCounts, EventOrganisation, EventOrganisationInput, EventParticipant, FollowUp,
    FollowUpInput, ParticipantInput, Voice, VoiceInput,
};
use jimoto_domain::program::Program;
use jimoto_domain::user::Account;
use jimoto_domain::{
    Actor, OrganisationId, ProgramId, RegionScope, ResidentAction, ValidationFailure,
};
use jimoto_store::events as store;
use jimoto_store::{Conn, organisations, programs, users};
use serde_json::json;
use validator::Validate;

use crate::growth::{kept_by, with_people};
use crate::{ServiceError, ServiceResult, Services, audit, require};

/// A company event's organisations, people and follow-ups together.
#[derive(Debug, Clone)]
pub struct EventView {
    /// The program.
    pub program: Program,
    /// Its figures.
    pub counts: EventCounts,
    /// The organisations that came.
    pub organisations: Vec<EventOrganisation>,
    /// Their people.
    pub participants: Vec<EventParticipant>,
    /// Follow-up actions, by due date.
    pub follow_ups: Vec<FollowUp>,
}

fn checked<T: Validate>(input: &T) -> ServiceResult<()> {
    input
        .validate()
        .map_err(|e| ValidationFailure::from_validator(&e).into())
}

async fn record(
    conn: &mut Conn,
    actor: &Actor,
    p: &Program,
    what: serde_json::Value,
) -> ServiceResult<()> {
    audit::record(
        conn,
        Some(actor),
        Some(p.region_id),
        AuditEntity::Program,
        p.id.0,
        AuditOp::Update,
        what,
    )
    .await
}

/// The organisation must be recorded at the event.
async fn at_event(
    conn: &mut Conn,
    p: &Program,
    org: Option<OrganisationId>,
    field: &str,
) -> ServiceResult<()> {
    if let Some(o) = org
        && !store::event_organisations(conn, p.id)
            .await?
            .iter()
            .any(|e| e.organisation_id == o)
    {
        return Err(ValidationFailure::single(field, "not_at_event").into());
    }
    Ok(())
}

impl Services {
    /// A program's voices: all of them, with names, for those who see its people; the ones that
    /// may be quoted, without names, for anyone else who sees the program.
    pub async fn voices(&self, actor: &Actor, program: ProgramId) -> ServiceResult<Vec<Voice>> {
        let view = self.program(actor, program).await?;
        let mut conn = self.db().conn().await?;
        if with_people(&mut conn, actor, view.program.id).await.is_ok() {
            return Ok(store::voices(&mut conn, view.program.id, false).await?);
        }
        let mut quotable = store::voices(&mut conn, view.program.id, true).await?;
        for v in &mut quotable {
            v.resident_id = None;
            v.resident_name = None;
        }
        Ok(quotable)
    }

    /// Records what a participant said about a session.
    pub async fn add_voice(
        &self,
        actor: &Actor,
        program: ProgramId,
        input: VoiceInput,
    ) -> ServiceResult<i64> {
        let input = VoiceInput {
            body: input.body.trim().to_owned(),
            attribution: input.attribution.trim().to_owned(),
            ..input
        };
        checked(&input)?;
        let mut tx = self.db().begin().await?;
        let p = kept_by(&mut tx, actor, program).await?;
        if programs::get_session(&mut tx, input.session_id)
            .await?
            .is_none_or(|s| s.program_id != p.id)
        {
            return Err(ValidationFailure::single("session_id", "unknown").into());
        }
        if let Some(r) = input.resident_id
            && jimoto_store::growth::enrolment_of(&mut tx, p.id, r)
                .await?
                .is_none()
        {
            return Err(ValidationFailure::single("resident_id", "unknown").into());
        }
        let id =
            store::insert_voice(&mut tx, p.id, p.region_id, &input, Some(actor.user_id)).await?;
        record(
            &mut tx,
            actor,
            &p,
            json!({ "voice": { "id": id, "session": input.session_id, "may_quote": input.may_quote } }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One voice, for those who keep the program (the page that asks before deleting it).
    pub async fn voice(&self, actor: &Actor, program: ProgramId, id: i64) -> ServiceResult<Voice> {
        let mut conn = self.db().conn().await?;
        let p = kept_by(&mut conn, actor, program).await?;
        store::voices(&mut conn, p.id, false)
            .await?
            .into_iter()
            .find(|v| v.id == id)
            .ok_or(ServiceError::NotFound)
    }

    /// Deletes a voice (e.g. consent withdrawn).
    pub async fn delete_voice(
        &self,
        actor: &Actor,
        program: ProgramId,
        id: i64,
    ) -> ServiceResult<()> {
        let mut tx = self.db().begin().await?;
        let p = kept_by(&mut tx, actor, program).await?;
        if !store::delete_voice(&mut tx, p.id, id).await? {
            return Err(ServiceError::NotFound);
        }
        record(&mut tx, actor, &p, json!({ "voice_deleted": id })).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A company event: its organisations, people and follow-ups (for those who see the
    /// program's people).
    pub async fn event(&self, actor: &Actor, program: ProgramId) -> ServiceResult<EventView> {
        let mut conn = self.db().conn().await?;
        let p = with_people(&mut conn, actor, program).await?;
        Ok(EventView {
            counts: store::event_counts(&mut conn, p.id).await?,
            organisations: store::event_organisations(&mut conn, p.id).await?,
            participants: store::participants(&mut conn, p.id).await?,
            follow_ups: store::follow_ups_of(&mut conn, p.id).await?,
            program: p,
        })
    }

    /// A company event's figures, for anyone who sees the program (no names).
    pub async fn event_counts(
        &self,
        actor: &Actor,
        program: ProgramId,
    ) -> ServiceResult<EventCounts> {
        let view = self.program(actor, program).await?;
        let mut conn = self.db().conn().await?;
        Ok(store::event_counts(&mut conn, view.program.id).await?)
    }

    /// Records an organisation at an event with its purpose and how it stays involved (again:
    /// updates them).
    pub async fn set_event_organisation(
        &self,
        actor: &Actor,
        program: ProgramId,
        input: EventOrganisationInput,
    ) -> ServiceResult<i64> {
        let input = EventOrganisationInput {
            purpose: input.purpose.trim().to_owned(),
            involvement: input.involvement.trim().to_owned(),
            ..input
        };
        checked(&input)?;
        let mut tx = self.db().begin().await?;
        let p = kept_by(&mut tx, actor, program).await?;
        if organisations::get(&mut tx, input.organisation_id)
            .await?
            .is_none()
        {
            return Err(ValidationFailure::single("organisation_id", "unknown").into());
        }
        let id = store::upsert_event_organisation(&mut tx, p.id, p.region_id, &input).await?;
        record(
            &mut tx,
            actor,
            &p,
            json!({ "event_organisation": { "organisation": input.organisation_id,
                "purpose": input.purpose, "involvement": input.involvement } }),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Removes an organisation from an event.
    pub async fn remove_event_organisation(
        &self,
        actor: &Actor,
        program: ProgramId,
        organisation: OrganisationId,
    ) -> ServiceResult<()> {
        let mut tx = self.db().begin().await?;
        let p = kept_by(&mut tx, actor, program).await?;
        if !store::remove_event_organisation(&mut tx, p.id, organisation).await? {
            return Err(ServiceError::NotFound);
        }
        record(
            &mut tx,
            actor,
            &p,
            json!({ "event_organisation_removed": organisation }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a person at an event.
    pub async fn add_participant(
        &self,
        actor: &Actor,
        program: ProgramId,
        input: ParticipantInput,
    ) -> ServiceResult<i64> {
        let input = ParticipantInput {
            name: input.name.trim().to_owned(),
            role: input.role.trim().to_owned(),
            organisation_name: if input.organisation_id.is_some() {
                String::new()
            } else {
                input.organisation_name.trim().to_owned()
            },
            ..input
        };
        checked(&input)?;
        let mut tx = self.db().begin().await?;
        let p = kept_by(&mut tx, actor, program).await?;
        at_event(&mut tx, &p, input.organisation_id, "organisation_id").await?;
        let id = store::insert_participant(&mut tx, p.id, p.region_id, &input).await?;
        record(&mut tx, actor, &p, json!({ "participant_added": id })).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Removes a person from an event.
    pub async fn remove_participant(
        &self,
        actor: &Actor,
        program: ProgramId,
        id: i64,
    ) -> ServiceResult<()> {
        let mut tx = self.db().begin().await?;
        let p = kept_by(&mut tx, actor, program).await?;
        if !store::delete_participant(&mut tx, p.id, id).await? {
            return Err(ServiceError::NotFound);
        }
        record(&mut tx, actor, &p, json!({ "participant_removed": id })).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Those who may own a follow-up action of a program: its region's coordinators and staff.
    pub async fn follow_up_owners(
        &self,
        actor: &Actor,
        program: ProgramId,
    ) -> ServiceResult<Vec<Account>> {
        let mut conn = self.db().conn().await?;
        let p = with_people(&mut conn, actor, program).await?;
        Ok(users::staff_of(&mut conn, p.region_id).await?)
    }

    async fn checked_follow_up(
        conn: &mut Conn,
        p: &Program,
        input: &FollowUpInput,
    ) -> ServiceResult<FollowUpInput> {
        let input = FollowUpInput {
            action: input.action.trim().to_owned(),
            ..input.clone()
        };
        checked(&input)?;
        at_event(conn, p, input.organisation_id, "organisation_id").await?;
        if !users::staff_of(conn, p.region_id)
            .await?
            .iter()
            .any(|u| u.id == input.owner_user_id)
        {
            return Err(ValidationFailure::single("owner_user_id", "unknown").into());
        }
        Ok(input)
    }

    /// Adds a follow-up action to an event.
    pub async fn add_follow_up(
        &self,
        actor: &Actor,
        program: ProgramId,
        input: FollowUpInput,
    ) -> ServiceResult<FollowUp> {
        let mut tx = self.db().begin().await?;
        let p = kept_by(&mut tx, actor, program).await?;
        let input = Self::checked_follow_up(&mut tx, &p, &input).await?;
        let id = store::insert_follow_up(&mut tx, p.id, p.region_id, &input).await?;
        record(
            &mut tx,
            actor,
            &p,
            json!({ "follow_up": { "id": id, "action": input.action, "owner": input.owner_user_id,
                "due": input.due, "status": input.status } }),
        )
        .await?;
        let f = store::follow_up(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(f)
    }

    /// Changes a follow-up action (its status above all).
    pub async fn update_follow_up(
        &self,
        actor: &Actor,
        program: ProgramId,
        id: i64,
        input: FollowUpInput,
    ) -> ServiceResult<FollowUp> {
        let mut tx = self.db().begin().await?;
        let p = kept_by(&mut tx, actor, program).await?;
        let before = store::follow_up(&mut tx, id)
            .await?
            .filter(|f| f.program_id == p.id)
            .ok_or(ServiceError::NotFound)?;
        let input = Self::checked_follow_up(&mut tx, &p, &input).await?;
        store::update_follow_up(&mut tx, id, &input, before.done_at).await?;
        let after = store::follow_up(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        audit::record_change(
            &mut tx,
            Some(actor),
            Some(p.region_id),
            AuditEntity::Program,
            p.id.0,
            Some(&before),
            &after,
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Follow-up actions not done in the actor's regions, earliest due first (`mine`: only those
    /// they own).
    pub async fn open_follow_ups(
        &self,
        actor: &Actor,
        mine: bool,
        limit: i64,
    ) -> ServiceResult<Vec<FollowUp>> {
        require(actor, ResidentAction::List { region: None })?;
        let regions = match actor.resident_regions() {
            RegionScope::All => None,
            RegionScope::Only(r) => Some(r),
        };
        let mut conn = self.db().conn().await?;
        Ok(store::open_follow_ups(
            &mut conn,
            regions.as_deref(),
            mine.then_some(actor.user_id),
            limit,
        )
        .await?)
    }
}
