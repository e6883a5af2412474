//! Each organisation's evaluation rubric, the evaluations written against it (each score with a
//! copy of its criterion as it read then), and the spans of started contracts that retention is
//! computed from.

use chrono::NaiveDate;
use jimoto_domain::work::retention::Span;
use jimoto_domain::work::{
    Criterion, CriterionInput, EndReason, Engagement, EngagementStatus, Evaluation,
    EvaluationInput, Score,
};
use jimoto_domain::{
    CriterionId, EngagementId, EvaluationId, OrganisationId, RegionId, ResidentId, UserId,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::Result;
use crate::codec::{Code, Day, Flag, Json, Millis};
use crate::schema::{EVALUATION_SCORES, EVALUATIONS, RUBRIC_CRITERIA};
use crate::sql::{Sql, Values};

fn criterion_from(r: &AnyRow) -> Result<Criterion> {
    Ok(Criterion {
        id: CriterionId(r.try_get("id")?),
        organisation_id: OrganisationId(r.try_get("organisation_id")?),
        position: r.try_get("position")?,
        input: CriterionInput {
            name: r.try_get("name")?,
            description: r.try_get("description")?,
            levels: r.try_get::<Json<Vec<String>>, _>("level_labels")?.0,
        },
        active: r.try_get::<Flag, _>("active")?.0,
    })
}

/// An organisation's criteria in order (`active_only`: those used for new evaluations).
pub async fn criteria(
    conn: &mut AnyConnection,
    org: OrganisationId,
    active_only: bool,
) -> Result<Vec<Criterion>> {
    let rows = sqlx::query(&format!(
        "SELECT {} FROM rubric_criteria WHERE organisation_id = $1{} ORDER BY position, id",
        RUBRIC_CRITERIA.select_list(),
        if active_only { " AND active = 1" } else { "" }
    ))
    .bind(org.0)
    .fetch_all(conn)
    .await?;
    rows.iter().map(criterion_from).collect()
}

/// One criterion.
pub async fn criterion(conn: &mut AnyConnection, id: CriterionId) -> Result<Option<Criterion>> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM rubric_criteria WHERE id = $1",
        RUBRIC_CRITERIA.select_list()
    ))
    .bind(id.0)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(criterion_from).transpose()
}

/// Adds a criterion at the end of the rubric.
pub async fn insert_criterion(
    conn: &mut AnyConnection,
    org: OrganisationId,
    input: &CriterionInput,
) -> Result<CriterionId> {
    let last: Option<i64> =
        sqlx::query_scalar("SELECT MAX(position) FROM rubric_criteria WHERE organisation_id = $1")
            .bind(org.0)
            .fetch_one(&mut *conn)
            .await?;
    Ok(CriterionId(
        Values::new(RUBRIC_CRITERIA)
            .set("organisation_id", org.0)
            .set("position", last.unwrap_or(0) + 1)
            .set("name", input.name.as_str())
            .set("description", input.description.as_str())
            .set("level_labels", Json(&input.levels))
            .set("active", Flag(true))
            .insert_returning_id(conn)
            .await?,
    ))
}

/// Changes a criterion's words and whether it is in use (evaluations keep their own copy).
pub async fn update_criterion(
    conn: &mut AnyConnection,
    id: CriterionId,
    input: &CriterionInput,
    active: bool,
) -> Result<bool> {
    Values::new(RUBRIC_CRITERIA)
        .set("name", input.name.as_str())
        .set("description", input.description.as_str())
        .set("level_labels", Json(&input.levels))
        .set("active", Flag(active))
        .update_by_id(conn, id.0)
        .await
}

/// Who writes an evaluation.
#[derive(Debug, Clone, Copy)]
pub struct Evaluator<'a> {
    /// Their account.
    pub user: Option<UserId>,
    /// Their name as shown.
    pub name: &'a str,
}

/// Writes an evaluation of `e` with a copy of each criterion it scores (`rubric`: the criteria
/// the input was checked against).
pub async fn insert_evaluation(
    conn: &mut AnyConnection,
    e: &Engagement,
    input: &EvaluationInput,
    rubric: &[Criterion],
    by: Evaluator<'_>,
) -> Result<EvaluationId> {
    let id = Values::new(EVALUATIONS)
        .set("engagement_id", e.id.0)
        .set("organisation_id", e.organisation_id.0)
        .set("region_id", e.region_id)
        .set("resident_id", e.resident_id.0)
        .set("starts_on", Day(input.starts_on))
        .set("ends_on", Day(input.ends_on))
        .set("comment", input.comment.as_str())
        .set("by_user_id", by.user.map(|u| u.0))
        .set("by_name", by.name)
        .set("at", Millis::now())
        .insert_returning_id(&mut *conn)
        .await?;
    for s in &input.scores {
        let Some(c) = rubric.iter().find(|c| c.id == s.criterion_id) else {
            continue;
        };
        Values::new(EVALUATION_SCORES)
            .set("evaluation_id", id)
            .set("criterion_id", c.id.0)
            .set("level", s.level)
            .set("comment", s.comment.as_str())
            .set("position", c.position)
            .set("criterion_name", c.input.name.as_str())
            .set("description", c.input.description.as_str())
            .set("level_labels", Json(&c.input.levels))
            .insert(&mut *conn)
            .await?;
    }
    Ok(EvaluationId(id))
}

const EVAL_SELECT: &str = "SELECT v.id, v.engagement_id, v.organisation_id, o.name AS org_name, \
     v.region_id, v.resident_id, v.starts_on, v.ends_on, v.comment, v.by_name, v.at \
     FROM evaluations v JOIN organisations o ON o.id = v.organisation_id";

fn evaluation_from(r: &AnyRow) -> Result<Evaluation> {
    Ok(Evaluation {
        id: EvaluationId(r.try_get("id")?),
        engagement_id: EngagementId(r.try_get("engagement_id")?),
        organisation_id: OrganisationId(r.try_get("organisation_id")?),
        organisation_name: r.try_get("org_name")?,
        region_id: RegionId(r.try_get("region_id")?),
        resident_id: ResidentId(r.try_get("resident_id")?),
        starts_on: r.try_get::<Day, _>("starts_on")?.0,
        ends_on: r.try_get::<Day, _>("ends_on")?.0,
        comment: r.try_get("comment")?,
        by_name: r.try_get("by_name")?,
        at: r.try_get::<Millis, _>("at")?.0,
        scores: Vec::new(),
    })
}

/// Reads the scores of `evals` in one query and puts them in place, in the rubric's order.
async fn with_scores(conn: &mut AnyConnection, evals: &mut [Evaluation]) -> Result<()> {
    if evals.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = evals.iter().map(|e| e.id.0).collect();
    let mut q = Sql::new(&format!(
        "SELECT {} FROM evaluation_scores WHERE ",
        EVALUATION_SCORES.select_list()
    ));
    q.bind_in("evaluation_id", &ids)
        .push(" ORDER BY evaluation_id, position, criterion_id");
    let rows = sqlx::query_with(&q.text, q.args()).fetch_all(conn).await?;
    for r in &rows {
        let eval: i64 = r.try_get("evaluation_id")?;
        let score = Score {
            criterion_id: CriterionId(r.try_get("criterion_id")?),
            position: r.try_get("position")?,
            criterion_name: r.try_get("criterion_name")?,
            description: r.try_get("description")?,
            levels: r.try_get::<Json<Vec<String>>, _>("level_labels")?.0,
            level: r.try_get("level")?,
            comment: r.try_get("comment")?,
        };
        if let Some(e) = evals.iter_mut().find(|e| e.id.0 == eval) {
            e.scores.push(score);
        }
    }
    Ok(())
}

/// A contract's evaluations, latest period first, with their scores.
pub async fn evaluations_of(
    conn: &mut AnyConnection,
    engagement: EngagementId,
) -> Result<Vec<Evaluation>> {
    let rows = sqlx::query(&format!(
        "{EVAL_SELECT} WHERE v.engagement_id = $1 ORDER BY v.ends_on DESC, v.id DESC"
    ))
    .bind(engagement.0)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = rows
        .iter()
        .map(evaluation_from)
        .collect::<Result<Vec<_>>>()?;
    with_scores(conn, &mut out).await?;
    Ok(out)
}

/// One evaluation with its scores.
pub async fn evaluation(conn: &mut AnyConnection, id: EvaluationId) -> Result<Option<Evaluation>> {
    let row = sqlx::query(&format!("{EVAL_SELECT} WHERE v.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let mut one = [evaluation_from(&row)?];
    with_scores(conn, &mut one).await?;
    let [e] = one;
    Ok(Some(e))
}

/// Whether the contract already has an evaluation over any day of `from..=to`.
pub async fn overlapping(
    conn: &mut AnyConnection,
    engagement: EngagementId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM evaluations WHERE engagement_id = $1 \
         AND starts_on <= $2 AND ends_on >= $3",
    )
    .bind(engagement.0)
    .bind(Day(to))
    .bind(Day(from))
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Whose started contracts to read for retention.
#[derive(Debug, Clone, Copy)]
pub enum SpanScope {
    /// An organisation's, with residents of every region.
    Organisation(OrganisationId),
    /// A region's residents', with every organisation.
    Region(RegionId),
}

/// A started contract with the names retention is grouped by.
#[derive(Debug, Clone)]
pub struct NamedSpan {
    /// The contract's dates and links.
    pub span: Span,
    /// The organisation's name.
    pub organisation_name: String,
    /// The region's name.
    pub region_name: String,
}

/// Every started contract (active or ended) of a scope, oldest first.
pub async fn spans(conn: &mut AnyConnection, scope: SpanScope) -> Result<Vec<NamedSpan>> {
    let mut q = Sql::new(
        "SELECT e.id, e.renewed_from, e.organisation_id, e.region_id, e.status, e.start_date, \
         e.end_date, e.ended_on, e.end_reason, o.name AS org_name, g.name AS region_name \
         FROM engagements e JOIN organisations o ON o.id = e.organisation_id \
         JOIN regions g ON g.id = e.region_id WHERE e.status <> ",
    );
    q.bind(Code(EngagementStatus::Draft));
    match scope {
        SpanScope::Organisation(o) => q.push(" AND e.organisation_id = ").bind(o.0),
        SpanScope::Region(r) => q.push(" AND e.region_id = ").bind(r),
    };
    q.push(" ORDER BY e.start_date, e.id");
    let rows = sqlx::query_with(&q.text, q.args()).fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            let reason: String = r.try_get("end_reason")?;
            Ok(NamedSpan {
                span: Span {
                    id: EngagementId(r.try_get("id")?),
                    renewed_from: r
                        .try_get::<Option<i64>, _>("renewed_from")?
                        .map(EngagementId),
                    organisation_id: OrganisationId(r.try_get("organisation_id")?),
                    region_id: RegionId(r.try_get("region_id")?),
                    status: r.try_get::<Code<EngagementStatus>, _>("status")?.0,
                    start: r.try_get::<Day, _>("start_date")?.0,
                    end_date: r.try_get::<Option<Day>, _>("end_date")?.map(|d| d.0),
                    ended_on: r.try_get::<Option<Day>, _>("ended_on")?.map(|d| d.0),
                    end_reason: EndReason::parse(&reason),
                },
                organisation_name: r.try_get("org_name")?,
                region_name: r.try_get("region_name")?,
            })
        })
        .collect()
}
