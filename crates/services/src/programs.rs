//! Programs and their sessions: run by the coordinators of their region, seen by its municipal
//! staff and by the organisations taking part.

use jimoto_domain::audit::{AuditEntity, AuditOp};
use jimoto_domain::program::{Program, ProgramInput, Session, SessionInput};
use jimoto_domain::{
    Actor, Page, PageRequest, Principal, ProgramAction, ProgramId, RegionScope, SessionId,
    ValidationFailure,
};
use jimoto_store::{Conn, organisations, programs};

use crate::{ServiceError, ServiceResult, Services, audit, authorize, require};

/// A program with its sessions in time order.
#[derive(Debug, Clone)]
pub struct ProgramView {
    /// The program.
    pub program: Program,
    /// Its sessions.
    pub sessions: Vec<Session>,
}

fn view_action(actor: &Actor, p: &Program) -> ProgramAction {
    let partner = match &actor.principal {
        Principal::CompanyMember { organisation } => p.involves(*organisation),
        _ => false,
    };
    ProgramAction::View {
        id: p.id,
        region: p.region_id,
        partner,
    }
}

/// Loads a program the actor may see ("not found" otherwise).
async fn visible(conn: &mut Conn, actor: &Actor, id: ProgramId) -> ServiceResult<Program> {
    let p = programs::get(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !actor.may(view_action(actor, &p)) {
        return Err(ServiceError::NotFound);
    }
    Ok(p)
}

/// Normalises and validates a program; its region, organiser and partners must exist.
async fn checked(conn: &mut Conn, input: ProgramInput) -> ServiceResult<ProgramInput> {
    let input = crate::checked_in_region(conn, input).await?;
    input.cross_checks()?;
    if organisations::get(conn, input.organiser_id)
        .await?
        .is_none()
    {
        return Err(ValidationFailure::single("organiser_id", "unknown").into());
    }
    for (i, p) in input.partners.iter().enumerate() {
        if organisations::get(conn, p.organisation_id).await?.is_none() {
            return Err(ValidationFailure::single(
                format!("partners[{i}].organisation_id"),
                "unknown",
            )
            .into());
        }
    }
    Ok(input)
}

impl Services {
    /// The programs the actor may see, newest first: those of their regions, or (company
    /// members) those their organisation runs or takes part in.
    pub async fn programs(
        &self,
        actor: &Actor,
        page: &PageRequest,
    ) -> ServiceResult<Page<Program>> {
        require(actor, ProgramAction::List)?;
        let regions = match actor.program_regions() {
            RegionScope::All => None,
            RegionScope::Only(r) => Some(r),
        };
        let partner = match &actor.principal {
            Principal::CompanyMember { organisation } => Some(*organisation),
            _ => None,
        };
        let mut conn = self.db().conn().await?;
        Ok(programs::list(&mut conn, regions.as_deref(), partner, page).await?)
    }

    /// One program with its sessions.
    pub async fn program(&self, actor: &Actor, id: ProgramId) -> ServiceResult<ProgramView> {
        let mut conn = self.db().conn().await?;
        let program = visible(&mut conn, actor, id).await?;
        let sessions = programs::sessions_of(&mut conn, id).await?;
        Ok(ProgramView { program, sessions })
    }

    /// Creates a program in a region the actor coordinates.
    pub async fn create_program(
        &self,
        actor: &Actor,
        input: ProgramInput,
    ) -> ServiceResult<Program> {
        let mut tx = self.db().begin().await?;
        let input = checked(&mut tx, input).await?;
        require(
            actor,
            ProgramAction::Create {
                region: input.region_id,
            },
        )?;
        let id = programs::insert(&mut tx, &input).await?;
        let program = programs::get(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        audit::record_change(
            &mut tx,
            Some(actor),
            Some(program.region_id),
            AuditEntity::Program,
            id.0,
            None,
            &program,
        )
        .await?;
        tx.commit().await?;
        Ok(program)
    }

    /// Changes a program; moving it to another region needs the right to create it there.
    pub async fn update_program(
        &self,
        actor: &Actor,
        id: ProgramId,
        input: ProgramInput,
    ) -> ServiceResult<Program> {
        let mut tx = self.db().begin().await?;
        let old = visible(&mut tx, actor, id).await?;
        authorize(
            actor,
            view_action(actor, &old),
            ProgramAction::Edit {
                id,
                region: old.region_id,
            },
        )?;
        let input = checked(&mut tx, input).await?;
        if input.region_id != old.region_id {
            require(
                actor,
                ProgramAction::Create {
                    region: input.region_id,
                },
            )?;
        }
        programs::update(&mut tx, id, &input).await?;
        let new = programs::get(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        audit::record_change(
            &mut tx,
            Some(actor),
            Some(new.region_id),
            AuditEntity::Program,
            id.0,
            Some(&old),
            &new,
        )
        .await?;
        tx.commit().await?;
        Ok(new)
    }

    /// Adds a session to a program (its coordinators).
    pub async fn add_session(
        &self,
        actor: &Actor,
        program: ProgramId,
        input: SessionInput,
    ) -> ServiceResult<Session> {
        self.save_session(actor, program, None, input).await
    }

    /// Changes a session of a program (its coordinators).
    pub async fn update_session(
        &self,
        actor: &Actor,
        program: ProgramId,
        session: SessionId,
        input: SessionInput,
    ) -> ServiceResult<Session> {
        self.save_session(actor, program, Some(session), input)
            .await
    }

    async fn save_session(
        &self,
        actor: &Actor,
        program: ProgramId,
        session: Option<SessionId>,
        input: SessionInput,
    ) -> ServiceResult<Session> {
        let input = input.normalised();
        let mut tx = self.db().begin().await?;
        let p = visible(&mut tx, actor, program).await?;
        authorize(
            actor,
            view_action(actor, &p),
            ProgramAction::Edit {
                id: p.id,
                region: p.region_id,
            },
        )?;
        input.check()?;
        let old = match session {
            Some(s) => Some(
                programs::get_session(&mut tx, s)
                    .await?
                    .filter(|s| s.program_id == p.id)
                    .ok_or(ServiceError::NotFound)?,
            ),
            None => None,
        };
        let id = match session {
            Some(s) => {
                programs::update_session(&mut tx, &p, s, &input).await?;
                s
            }
            None => programs::insert_session(&mut tx, &p, &input).await?,
        };
        let saved = programs::get_session(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        // Recorded on the program: which session, before and after.
        audit::record(
            &mut tx,
            Some(actor),
            Some(p.region_id),
            AuditEntity::Program,
            p.id.0,
            AuditOp::Update,
            serde_json::json!({ "session": [old, saved] }),
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }
}
