//! Task inventories: recorded by the organisation or a coordinator on its behalf, assessed, and
//! turned into draft postings.

use jimoto_domain::audit::{AuditEntity, AuditOp};
use jimoto_domain::work::task::{assess, draft_posting, split};
use jimoto_domain::work::{Assessment, PostingStatus, Split, Task, TaskInput};
use jimoto_domain::{
    Actor, OrganisationId, PostingId, RegionId, TaskId, ValidationFailure, WorkAction,
};
use jimoto_store::work as store;
use serde_json::json;

use super::tasks_kept_by;
use crate::{ServiceError, ServiceResult, Services, audit, require};

/// A task with its assessment and the split it proposes.
#[derive(Debug, Clone)]
pub struct TaskView {
    /// The task.
    pub task: Task,
    /// Remote-ready, digitise first, or on site, with the reasons.
    pub assessment: Assessment,
    /// How it could be shared among people with a few hours a day.
    pub split: Split,
}

impl TaskView {
    fn of(task: Task) -> Self {
        Self {
            assessment: assess(task.facts()),
            split: split(task.hours_per_month, task.frequency),
            task,
        }
    }
}

fn checked(input: TaskInput) -> ServiceResult<TaskInput> {
    let input = input.normalised();
    ValidationFailure(input.problems()).into_result()?;
    Ok(input)
}

async fn record(
    conn: &mut jimoto_store::Conn,
    actor: &Actor,
    org: OrganisationId,
    region: RegionId,
    what: serde_json::Value,
) -> ServiceResult<()> {
    audit::record(
        conn,
        Some(actor),
        Some(region),
        AuditEntity::Organisation,
        org.0,
        AuditOp::Update,
        what,
    )
    .await
}

impl Services {
    /// An organisation's task inventory, each task assessed.
    pub async fn tasks(&self, actor: &Actor, org: OrganisationId) -> ServiceResult<Vec<TaskView>> {
        let mut conn = self.db().conn().await?;
        tasks_kept_by(&mut conn, actor, org).await?;
        Ok(store::tasks_of(&mut conn, org)
            .await?
            .into_iter()
            .map(TaskView::of)
            .collect())
    }

    /// One task, assessed.
    pub async fn task(&self, actor: &Actor, id: TaskId) -> ServiceResult<TaskView> {
        let mut conn = self.db().conn().await?;
        let task = store::task(&mut conn, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tasks_kept_by(&mut conn, actor, task.organisation_id).await?;
        Ok(TaskView::of(task))
    }

    /// Records a task in an organisation's inventory.
    pub async fn create_task(
        &self,
        actor: &Actor,
        org: OrganisationId,
        input: TaskInput,
    ) -> ServiceResult<TaskView> {
        let input = checked(input)?;
        let mut tx = self.db().begin().await?;
        let r = tasks_kept_by(&mut tx, actor, org).await?;
        let id = store::insert_task(&mut tx, org, &input).await?;
        record(
            &mut tx,
            actor,
            org,
            r.organisation.region_id,
            json!({"task": [null, input.title]}),
        )
        .await?;
        let task = store::task(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(TaskView::of(task))
    }

    /// Changes a task.
    pub async fn update_task(
        &self,
        actor: &Actor,
        id: TaskId,
        input: TaskInput,
    ) -> ServiceResult<TaskView> {
        let input = checked(input)?;
        let mut tx = self.db().begin().await?;
        let old = store::task(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let r = tasks_kept_by(&mut tx, actor, old.organisation_id).await?;
        store::update_task(&mut tx, id, &input).await?;
        record(
            &mut tx,
            actor,
            old.organisation_id,
            r.organisation.region_id,
            json!({"task": [old.title, input.title]}),
        )
        .await?;
        let task = store::task(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(TaskView::of(task))
    }

    /// Deletes a task that has not become a posting.
    pub async fn delete_task(&self, actor: &Actor, id: TaskId) -> ServiceResult<()> {
        let mut tx = self.db().begin().await?;
        let old = store::task(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let r = tasks_kept_by(&mut tx, actor, old.organisation_id).await?;
        if old.posting_id.is_some() {
            return Err(ValidationFailure::single("task", "has_posting").into());
        }
        store::delete_task(&mut tx, id).await?;
        record(
            &mut tx,
            actor,
            old.organisation_id,
            r.organisation.region_id,
            json!({"task": [old.title, null]}),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Turns a task into a draft posting in one of the organisation's regions, pre-filled from
    /// the task and its split; the task keeps a link to it. A task becomes one posting.
    pub async fn task_to_posting(
        &self,
        actor: &Actor,
        id: TaskId,
        region: RegionId,
    ) -> ServiceResult<PostingId> {
        let mut tx = self.db().begin().await?;
        let task = store::task(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        let r = tasks_kept_by(&mut tx, actor, task.organisation_id).await?;
        if !r.regions.contains(&region) {
            return Err(ValidationFailure::single("region_id", "not_worked_with").into());
        }
        require(
            actor,
            WorkAction::EditPosting {
                organisation: task.organisation_id,
                region,
            },
        )?;
        if task.posting_id.is_some() {
            return Err(ValidationFailure::single("task", "has_posting").into());
        }
        let input = draft_posting(&task, region);
        let posting = store::insert_posting(
            &mut tx,
            task.organisation_id,
            &input,
            Some(id),
            PostingStatus::Draft,
        )
        .await?;
        store::set_task_posting(&mut tx, id, posting).await?;
        audit::record(
            &mut tx,
            Some(actor),
            Some(region),
            AuditEntity::Posting,
            posting.0,
            AuditOp::Create,
            json!({"task": [null, task.title], "status": [null, "draft"]}),
        )
        .await?;
        tx.commit().await?;
        Ok(posting)
    }
}
