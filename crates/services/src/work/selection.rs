//! Applications and selection: a resident applies (and may withdraw); the organisation, or a
//! coordinator of the applicant's region, moves the application through the organisation's
//! stages with notes and ratings, and declines or hires — hiring writes a draft contract from
//! the posting. Nobody else sees an application: not another company, not municipal staff.

use chrono::{Months, NaiveDate};
use jimoto_domain::audit::{AuditEntity, AuditOp};
use jimoto_domain::growth::{Channel, Stage, StageCause};
use jimoto_domain::work::engagement::Terms;
use jimoto_domain::work::selection::{ApplicationInput, Note, NoteInput};
use jimoto_domain::work::{
    Application, ApplicationStatus, EngagementInput, PostingStatus, SelectionStage,
};
use jimoto_domain::{
    Actor, ApplicationId, EngagementId, OrganisationId, PostingId, Principal, StageId,
    ValidationFailure, WorkAction,
};
use jimoto_store::work::engagements::{self as estore, Parties};
use jimoto_store::work::selection::{self as store, AppScope, NewApplication};
use jimoto_store::{Conn, work as wstore};
use serde_json::json;
use validator::Validate;

use super::advance;
use crate::{ServiceError, ServiceResult, Services, audit, require};

/// An application with what its viewer may see of its selection.
#[derive(Debug, Clone)]
pub struct ApplicationView {
    /// The application.
    pub application: Application,
    /// The organisation's stages.
    pub stages: Vec<SelectionStage>,
    /// Notes and ratings (only for the organisation and the coordinators).
    pub notes: Vec<Note>,
    /// The viewer runs the selection (sees notes, moves stages, decides).
    pub selects: bool,
    /// The contract made from it.
    pub engagement: Option<EngagementId>,
}

fn selects(actor: &Actor, a: &Application) -> bool {
    actor.may(WorkAction::Selection {
        organisation: a.organisation_id,
        region: a.region_id,
    })
}

/// The application, if the actor is its applicant or runs its selection ("not found" else).
pub(crate) async fn visible(
    conn: &mut Conn,
    actor: &Actor,
    id: ApplicationId,
) -> ServiceResult<Application> {
    let a = store::application(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if actor.may(WorkAction::Apply {
        resident: a.resident_id,
        region: a.region_id,
    }) || selects(actor, &a)
    {
        Ok(a)
    } else {
        Err(ServiceError::NotFound)
    }
}

/// The application, if the actor runs its selection (not found if they may not see it,
/// forbidden for the applicant) and it is still in selection.
async fn selecting(
    conn: &mut Conn,
    actor: &Actor,
    id: ApplicationId,
) -> ServiceResult<Application> {
    let a = visible(conn, actor, id).await?;
    if !selects(actor, &a) {
        return Err(ServiceError::Forbidden);
    }
    if !a.status.is_open() {
        return Err(ValidationFailure::single("status", "decided").into());
    }
    Ok(a)
}

/// Moves an application to a status and stage, records what changed, and reads it back.
async fn set(
    conn: &mut Conn,
    actor: &Actor,
    a: &Application,
    (status, stage): (ApplicationStatus, Option<StageId>),
    changes: serde_json::Value,
) -> ServiceResult<Application> {
    store::set_application(conn, a.id, status, stage).await?;
    audit::record(
        conn,
        Some(actor),
        Some(a.region_id),
        AuditEntity::Application,
        a.id.0,
        AuditOp::Update,
        changes,
    )
    .await?;
    store::application(conn, a.id)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// A contract's first draft from the posting: its kind, pay and hours, starting on `start`,
/// the trial and the term counted from it, ordered today.
fn draft_terms(
    p: &jimoto_domain::work::Posting,
    start: NaiveDate,
    today: NaiveDate,
) -> EngagementInput {
    let months = |m: Option<i64>| {
        m.and_then(|m| u32::try_from(m).ok())
            .filter(|m| *m > 0)
            .and_then(|m| start.checked_add_months(Months::new(m)))
            .and_then(|d| d.pred_opt())
    };
    let mut work = p.title.clone();
    if let Some(first) = p.description.lines().find(|l| !l.trim().is_empty()) {
        work.push('：');
        work.push_str(first.trim());
    }
    EngagementInput {
        contract: p.contract,
        pay_kind: p.pay_kind,
        rate_yen: p.pay_yen,
        hours_per_week: p.hours_per_week,
        start_date: start,
        trial_end: months(p.trial_months),
        end_date: months(p.duration_months).or_else(|| months(p.trial_months)),
        terms: Terms {
            work_description: work,
            order_date: Some(today),
            ..Terms::default()
        },
    }
}

/// Applies within the caller's transaction (one application, or every pair of an accepted
/// allocation at once): the checks and writes of [`Services::apply`] after validation.
pub(super) async fn apply_in(
    conn: &mut Conn,
    actor: &Actor,
    posting: PostingId,
    input: &ApplicationInput,
) -> ServiceResult<Application> {
    let (resident, region) = match (actor.principal.clone(), input.resident_id) {
        (Principal::Resident { resident, region }, None) => (resident, region),
        (_, Some(r)) => {
            let found = jimoto_store::residents::get(&mut *conn, r)
                .await?
                .ok_or(ServiceError::NotFound)?;
            if !actor.may(jimoto_domain::ResidentAction::View {
                id: r,
                region: found.region_id,
            }) {
                return Err(ServiceError::NotFound);
            }
            (r, found.region_id)
        }
        _ => return Err(ServiceError::Forbidden),
    };
    require(actor, WorkAction::Apply { resident, region })?;
    let p = wstore::posting(&mut *conn, posting)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if p.status != PostingStatus::Open {
        return Err(ServiceError::NotFound);
    }
    let stages = store::stages_of(&mut *conn, p.organisation_id).await?;
    let first = stages.first().map(|s| s.id);
    let id = match store::application_of(&mut *conn, posting, resident).await? {
        Some(a) if a.status == ApplicationStatus::Withdrawn => {
            store::reopen_application(&mut *conn, a.id, &input.message, first).await?;
            a.id
        }
        Some(_) => {
            return Err(ValidationFailure::single("posting_id", "already_applied").into());
        }
        None => {
            let channel = store::first_channel(&mut *conn, resident)
                .await?
                .unwrap_or(Channel::Unknown);
            store::insert_application(
                &mut *conn,
                &NewApplication {
                    posting,
                    organisation: p.organisation_id,
                    region,
                    resident,
                    channel,
                    message: &input.message,
                    stage: first,
                },
            )
            .await?
        }
    };
    audit::record(
        &mut *conn,
        Some(actor),
        Some(region),
        AuditEntity::Application,
        id.0,
        AuditOp::Create,
        json!({"posting_id": p.id, "organisation_id": p.organisation_id}),
    )
    .await?;
    advance(
        &mut *conn,
        resident,
        Stage::Applied,
        StageCause::Application,
        actor,
    )
    .await?;
    store::application(&mut *conn, id)
        .await?
        .ok_or(ServiceError::NotFound)
}

impl Services {
    /// A resident applies to an open posting (again, after withdrawing), or a coordinator of
    /// their region applies on their behalf (`input.resident_id`); their growth path reaches
    /// "applied".
    pub async fn apply(
        &self,
        actor: &Actor,
        posting: PostingId,
        input: ApplicationInput,
    ) -> ServiceResult<Application> {
        let input = ApplicationInput {
            message: input.message.trim().to_owned(),
            ..input
        };
        input
            .validate()
            .map_err(|e| ValidationFailure::from_validator(&e))?;
        let mut tx = self.db().begin().await?;
        let a = apply_in(&mut tx, actor, posting, &input).await?;
        tx.commit().await?;
        Ok(a)
    }

    /// The applicant withdraws an application still in selection.
    pub async fn withdraw(&self, actor: &Actor, id: ApplicationId) -> ServiceResult<Application> {
        let mut tx = self.db().begin().await?;
        let a = visible(&mut tx, actor, id).await?;
        require(
            actor,
            WorkAction::Apply {
                resident: a.resident_id,
                region: a.region_id,
            },
        )?;
        if !a.status.is_open() {
            return Err(ValidationFailure::single("status", "decided").into());
        }
        let a = set(
            &mut tx,
            actor,
            &a,
            (ApplicationStatus::Withdrawn, a.stage_id),
            json!({"status": ["active", "withdrawn"]}),
        )
        .await?;
        tx.commit().await?;
        Ok(a)
    }

    /// A resident's own applications, newest first.
    pub async fn my_applications(&self, actor: &Actor) -> ServiceResult<Vec<Application>> {
        let Principal::Resident { resident, .. } = actor.principal else {
            return Err(ServiceError::Forbidden);
        };
        let mut conn = self.db().conn().await?;
        Ok(store::applications(&mut conn, AppScope::Resident(resident)).await?)
    }

    /// The applications to an organisation that the actor runs the selection of (its members:
    /// all; a coordinator: those from their regions), optionally of one posting.
    pub async fn applications_to(
        &self,
        actor: &Actor,
        org: OrganisationId,
        posting: Option<PostingId>,
    ) -> ServiceResult<Vec<Application>> {
        let mut conn = self.db().conn().await?;
        super::reach(&mut conn, actor, org).await?;
        let regions = super::followed_regions(actor, org);
        let scope = match posting {
            Some(p) => AppScope::Posting(p, regions.as_deref()),
            None => AppScope::Organisation(org, regions.as_deref()),
        };
        let all = store::applications(&mut conn, scope).await?;
        Ok(all
            .into_iter()
            .filter(|a| a.organisation_id == org && selects(actor, a))
            .collect())
    }

    /// One application with its stages, and its notes for those who run the selection.
    pub async fn application(
        &self,
        actor: &Actor,
        id: ApplicationId,
    ) -> ServiceResult<ApplicationView> {
        let mut conn = self.db().conn().await?;
        let application = visible(&mut conn, actor, id).await?;
        let selects = selects(actor, &application);
        let stages = store::stages_of(&mut conn, application.organisation_id).await?;
        let notes = if selects {
            store::notes_of(&mut conn, id).await?
        } else {
            vec![]
        };
        let engagement = estore::engagement_of_application(&mut conn, id).await?;
        Ok(ApplicationView {
            application,
            stages,
            notes,
            selects,
            engagement,
        })
    }

    /// An organisation's selection stages (written with the defaults the first time).
    pub async fn selection_stages(
        &self,
        actor: &Actor,
        org: OrganisationId,
    ) -> ServiceResult<Vec<SelectionStage>> {
        let mut tx = self.db().begin().await?;
        super::reach(&mut tx, actor, org).await?;
        let stages = store::stages_of(&mut tx, org).await?;
        tx.commit().await?;
        Ok(stages)
    }

    /// Adds an organisation's own stage before the offer: its members only.
    pub async fn add_selection_stage(
        &self,
        actor: &Actor,
        org: OrganisationId,
        name: &str,
    ) -> ServiceResult<Vec<SelectionStage>> {
        let name = name.trim();
        if name.is_empty() {
            return Err(ValidationFailure::single("name", "required").into());
        }
        if name.chars().count() > jimoto_domain::limits::NAME_MAX as usize {
            return Err(ValidationFailure::single("name", "too_long").into());
        }
        let mut tx = self.db().begin().await?;
        let r = super::reach(&mut tx, actor, org).await?;
        if !actor.may(WorkAction::Evaluate { organisation: org }) {
            return Err(ServiceError::Forbidden);
        }
        store::add_stage(&mut tx, org, name).await?;
        audit::record(
            &mut tx,
            Some(actor),
            Some(r.organisation.region_id),
            AuditEntity::Organisation,
            org.0,
            AuditOp::Update,
            json!({"selection_stage": [null, name]}),
        )
        .await?;
        let stages = store::stages_of(&mut tx, org).await?;
        tx.commit().await?;
        Ok(stages)
    }

    /// Moves an application to one of its organisation's stages.
    pub async fn move_application(
        &self,
        actor: &Actor,
        id: ApplicationId,
        stage: StageId,
    ) -> ServiceResult<Application> {
        let mut tx = self.db().begin().await?;
        let a = selecting(&mut tx, actor, id).await?;
        let stages = store::stages_of(&mut tx, a.organisation_id).await?;
        if !stages.iter().any(|s| s.id == stage) {
            return Err(ValidationFailure::single("stage_id", "unknown").into());
        }
        let a = set(
            &mut tx,
            actor,
            &a,
            (ApplicationStatus::Active, Some(stage)),
            json!({"stage_id": [a.stage_id, stage]}),
        )
        .await?;
        tx.commit().await?;
        Ok(a)
    }

    /// A note (and rating) at a stage.
    pub async fn add_application_note(
        &self,
        actor: &Actor,
        id: ApplicationId,
        input: NoteInput,
    ) -> ServiceResult<Vec<Note>> {
        let input = NoteInput {
            body: input.body.trim().to_owned(),
            ..input
        };
        input
            .validate()
            .map_err(|e| ValidationFailure::from_validator(&e))?;
        if input.body.is_empty() && input.rating.is_none() {
            return Err(ValidationFailure::single("body", "required").into());
        }
        let mut tx = self.db().begin().await?;
        let a = visible(&mut tx, actor, id).await?;
        if !selects(actor, &a) {
            return Err(ServiceError::Forbidden);
        }
        let stages = store::stages_of(&mut tx, a.organisation_id).await?;
        if !stages.iter().any(|s| s.id == input.stage_id) {
            return Err(ValidationFailure::single("stage_id", "unknown").into());
        }
        store::insert_note(
            &mut tx,
            id,
            input.stage_id,
            input.rating,
            &input.body,
            (Some(actor.user_id), &actor.display_name),
        )
        .await?;
        let notes = store::notes_of(&mut tx, id).await?;
        tx.commit().await?;
        Ok(notes)
    }

    /// Declines an application.
    pub async fn decline(&self, actor: &Actor, id: ApplicationId) -> ServiceResult<Application> {
        let mut tx = self.db().begin().await?;
        let a = selecting(&mut tx, actor, id).await?;
        let a = set(
            &mut tx,
            actor,
            &a,
            (ApplicationStatus::Declined, a.stage_id),
            json!({"status": ["active", "declined"]}),
        )
        .await?;
        tx.commit().await?;
        Ok(a)
    }

    /// Hires an applicant: the application is decided, a draft contract is written from the
    /// posting (starting on `start`), the outreach channel goes with it, and the resident's
    /// growth path reaches "hired".
    pub async fn hire(
        &self,
        actor: &Actor,
        id: ApplicationId,
        start: NaiveDate,
    ) -> ServiceResult<EngagementId> {
        let mut tx = self.db().begin().await?;
        let a = selecting(&mut tx, actor, id).await?;
        require(
            actor,
            WorkAction::EditEngagement {
                organisation: a.organisation_id,
                region: a.region_id,
            },
        )?;
        let p = wstore::posting(&mut tx, a.posting_id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let input = draft_terms(&p, start, jimoto_domain::calendar::today_jst());
        let withholding = super::engagements::withheld(p.category, input.contract);
        let eid = estore::insert_engagement(
            &mut tx,
            Parties {
                application: Some(id),
                posting: Some(p.id),
                organisation: a.organisation_id,
                region: a.region_id,
                resident: a.resident_id,
                channel: a.channel,
                category: p.category,
            },
            &input,
            withholding,
        )
        .await?;
        set(
            &mut tx,
            actor,
            &a,
            (ApplicationStatus::Hired, a.stage_id),
            json!({"status": ["active", "hired"]}),
        )
        .await?;
        audit::record(
            &mut tx,
            Some(actor),
            Some(a.region_id),
            AuditEntity::Engagement,
            eid.0,
            AuditOp::Create,
            json!({"organisation_id": a.organisation_id, "rate_yen": input.rate_yen}),
        )
        .await?;
        advance(
            &mut tx,
            a.resident_id,
            Stage::Hired,
            StageCause::Hire,
            actor,
        )
        .await?;
        tx.commit().await?;
        Ok(eid)
    }
}
