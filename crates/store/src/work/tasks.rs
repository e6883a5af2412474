//! Task inventories.

use jimoto_domain::work::{Task, TaskInput};
use jimoto_domain::{OrganisationId, PostingId, TaskId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::codec::{Code, Millis};
use crate::schema::WORK_TASKS;
use crate::sql::Values;

fn from_row(r: &AnyRow) -> Result<Task> {
    Ok(Task {
        id: TaskId(r.try_get("id")?),
        organisation_id: OrganisationId(r.try_get("organisation_id")?),
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        frequency: r.try_get::<Code<_>, _>("frequency")?.0,
        hours_per_month: r.try_get("hours_per_month")?,
        done_by: r.try_get("done_by")?,
        tools: r.try_get("tools")?,
        tools_access: r.try_get::<Code<_>, _>("tools_access")?.0,
        data_form: r.try_get::<Code<_>, _>("data_form")?.0,
        confidentiality: r.try_get::<Code<_>, _>("confidentiality")?.0,
        on_site: r.try_get::<Code<_>, _>("on_site")?.0,
        posting_id: r.try_get::<Option<i64>, _>("posting_id")?.map(PostingId),
        created_at: r.try_get::<Millis, _>("created_at")?.0,
        updated_at: r.try_get::<Millis, _>("updated_at")?.0,
    })
}

fn values(i: &TaskInput) -> Values {
    Values::new(WORK_TASKS)
        .set("title", i.title.as_str())
        .set("description", i.description.as_str())
        .set("frequency", Code(i.frequency))
        .set("hours_per_month", i.hours_per_month)
        .set("done_by", i.done_by.as_str())
        .set("tools", i.tools.as_str())
        .set("tools_access", Code(i.tools_access))
        .set("data_form", Code(i.data_form))
        .set("confidentiality", Code(i.confidentiality))
        .set("on_site", Code(i.on_site))
        .set("updated_at", Millis::now())
}

/// Records a task.
pub async fn insert_task(
    conn: &mut AnyConnection,
    org: OrganisationId,
    i: &TaskInput,
) -> Result<TaskId> {
    Ok(TaskId(
        values(i)
            .set("organisation_id", org.0)
            .set("created_at", Millis::now())
            .insert_returning_id(conn)
            .await?,
    ))
}

/// Changes a task; false when it does not exist.
pub async fn update_task(conn: &mut AnyConnection, id: TaskId, i: &TaskInput) -> Result<bool> {
    values(i).update_by_id(conn, id.0).await
}

/// Deletes a task that has not become a posting; false when there was none to delete.
pub async fn delete_task(conn: &mut AnyConnection, id: TaskId) -> Result<bool> {
    let done = sqlx::query("DELETE FROM work_tasks WHERE id = $1 AND posting_id IS NULL")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// One task.
pub async fn task(conn: &mut AnyConnection, id: TaskId) -> Result<Option<Task>> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM work_tasks WHERE id = $1",
        WORK_TASKS.select_list()
    ))
    .bind(id.0)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// An organisation's tasks, as recorded.
pub async fn tasks_of(conn: &mut AnyConnection, org: OrganisationId) -> Result<Vec<Task>> {
    let rows = sqlx::query(&format!(
        "SELECT {} FROM work_tasks WHERE organisation_id = $1 ORDER BY id",
        WORK_TASKS.select_list()
    ))
    .bind(org.0)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Links a task to the posting it became.
pub async fn set_task_posting(
    conn: &mut AnyConnection,
    task: TaskId,
    posting: PostingId,
) -> Result<()> {
    sqlx::query("UPDATE work_tasks SET posting_id = $1 WHERE id = $2")
        .bind(posting.0)
        .bind(task.0)
        .execute(conn)
        .await?;
    Ok(())
}
