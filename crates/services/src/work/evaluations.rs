//! Fair evaluation and retention: an organisation's rubric, evaluations of its contracts against
//! every criterion (seen by the resident criterion by criterion), and how long people stay.

use chrono::{Datelike, NaiveDate};
use jimoto_domain::audit::{AuditEntity, AuditOp};
use jimoto_domain::work::evaluation::standard_rubric;
use jimoto_domain::work::retention::{GroupBy, RetentionReport, Span};
use jimoto_domain::work::{
    Criterion, CriterionInput, Engagement, EngagementStatus, Evaluation, EvaluationInput,
};
use jimoto_domain::{
    Actor, CriterionId, EngagementId, EvaluationId, OrganisationId, RegionId, ValidationFailure,
    WorkAction,
};
use jimoto_store::Conn;
use jimoto_store::work::evaluations::{self as store, Evaluator, NamedSpan, SpanScope};
use serde_json::json;
use validator::Validate;

use super::engagements::visible;
use crate::{ServiceError, ServiceResult, Services, audit, require};

/// What an evaluator needs to write an evaluation: the contract, the rubric in use and the
/// period proposed (the last whole month of the contract so far).
#[derive(Debug, Clone)]
pub struct EvaluationForm {
    /// The contract.
    pub engagement: Engagement,
    /// The organisation's criteria in use.
    pub rubric: Vec<Criterion>,
    /// The period proposed.
    pub period: (NaiveDate, NaiveDate),
}

/// The last whole month of a contract on `today` (or its days so far when no month has ended
/// yet), clipped to its dates: `last` is its last day, if known.
fn proposed_period(
    start: NaiveDate,
    last: Option<NaiveDate>,
    today: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    let first_of_month = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    let to = match last {
        Some(last) if last <= today => last,
        _ => {
            let before = first_of_month(today).pred_opt().unwrap_or(today);
            if before < start {
                today.max(start)
            } else {
                before
            }
        }
    };
    (first_of_month(to).max(start), to)
}

impl Services {
    /// An organisation's rubric, retired criteria included: its members.
    pub async fn rubric(
        &self,
        actor: &Actor,
        org: OrganisationId,
    ) -> ServiceResult<Vec<Criterion>> {
        let mut conn = self.db().conn().await?;
        super::reach(&mut conn, actor, org).await?;
        require(actor, WorkAction::Evaluate { organisation: org })?;
        Ok(store::criteria(&mut conn, org, false).await?)
    }

    /// Adds a criterion to an organisation's rubric.
    pub async fn add_criterion(
        &self,
        actor: &Actor,
        org: OrganisationId,
        input: CriterionInput,
    ) -> ServiceResult<Criterion> {
        let input = checked(input)?;
        let mut tx = self.db().begin().await?;
        super::reach(&mut tx, actor, org).await?;
        require(actor, WorkAction::Evaluate { organisation: org })?;
        let count = store::criteria(&mut tx, org, false).await?.len();
        if count as u64 >= jimoto_domain::limits::CRITERIA_MAX {
            return Err(ValidationFailure(vec![
                jimoto_domain::FieldError::new("name", "too_many")
                    .with("max", jimoto_domain::limits::CRITERIA_MAX),
            ])
            .into());
        }
        let id = store::insert_criterion(&mut tx, org, &input).await?;
        let c = store::criterion(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(c)
    }

    /// Starts an organisation's rubric from the fifteen standard behaviour criteria (only while
    /// it has none); `ja` picks their language.
    pub async fn adopt_standard_rubric(
        &self,
        actor: &Actor,
        org: OrganisationId,
        ja: bool,
    ) -> ServiceResult<Vec<Criterion>> {
        let mut tx = self.db().begin().await?;
        super::reach(&mut tx, actor, org).await?;
        require(actor, WorkAction::Evaluate { organisation: org })?;
        if !store::criteria(&mut tx, org, false).await?.is_empty() {
            return Err(ValidationFailure::single("rubric", "not_empty").into());
        }
        for c in standard_rubric(ja) {
            store::insert_criterion(&mut tx, org, &c).await?;
        }
        let all = store::criteria(&mut tx, org, false).await?;
        tx.commit().await?;
        Ok(all)
    }

    /// Changes a criterion's words, or retires it (or brings it back). Evaluations already
    /// written keep the words they were written with.
    pub async fn update_criterion(
        &self,
        actor: &Actor,
        org: OrganisationId,
        id: CriterionId,
        input: CriterionInput,
        active: bool,
    ) -> ServiceResult<Criterion> {
        let input = checked(input)?;
        let mut tx = self.db().begin().await?;
        super::reach(&mut tx, actor, org).await?;
        require(actor, WorkAction::Evaluate { organisation: org })?;
        let c = store::criterion(&mut tx, id)
            .await?
            .filter(|c| c.organisation_id == org)
            .ok_or(ServiceError::NotFound)?;
        store::update_criterion(&mut tx, c.id, &input, active).await?;
        let c = store::criterion(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(c)
    }

    /// A contract's evaluations, for whoever sees the contract (the resident included).
    pub async fn evaluations(
        &self,
        actor: &Actor,
        engagement: EngagementId,
    ) -> ServiceResult<Vec<Evaluation>> {
        let mut conn = self.db().conn().await?;
        visible(&mut conn, actor, engagement).await?;
        Ok(store::evaluations_of(&mut conn, engagement).await?)
    }

    /// One evaluation, for whoever sees its contract.
    pub async fn evaluation(&self, actor: &Actor, id: EvaluationId) -> ServiceResult<Evaluation> {
        let mut conn = self.db().conn().await?;
        let e = store::evaluation(&mut conn, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        visible(&mut conn, actor, e.engagement_id).await?;
        Ok(e)
    }

    /// What the organisation needs to evaluate a contract: its rubric and a proposed period.
    pub async fn evaluation_form(
        &self,
        actor: &Actor,
        engagement: EngagementId,
    ) -> ServiceResult<EvaluationForm> {
        let mut conn = self.db().conn().await?;
        let e = evaluable(&mut conn, actor, engagement).await?;
        let rubric = store::criteria(&mut conn, e.organisation_id, true).await?;
        let period = proposed_period(
            e.input.start_date,
            e.ended_on.or(e.input.end_date),
            jimoto_domain::calendar::today_jst(),
        );
        Ok(EvaluationForm {
            engagement: e,
            rubric,
            period,
        })
    }

    /// Evaluates a started contract over a period against every criterion of the
    /// organisation's rubric: the organisation's members. Each missing criterion and each
    /// level out of range is named; two evaluations of one contract never cover the same day.
    pub async fn evaluate(
        &self,
        actor: &Actor,
        engagement: EngagementId,
        input: EvaluationInput,
    ) -> ServiceResult<Evaluation> {
        let input = input.normalised();
        let mut problems = match input.validate() {
            Ok(()) => vec![],
            Err(e) => ValidationFailure::from_validator(&e).0,
        };
        let mut tx = self.db().begin().await?;
        let e = evaluable(&mut tx, actor, engagement).await?;
        let rubric = store::criteria(&mut tx, e.organisation_id, true).await?;
        let last = e.ended_on.or(e.input.end_date);
        problems.extend(input.problems(
            &rubric,
            (e.input.start_date, last),
            jimoto_domain::calendar::today_jst(),
        ));
        if problems.is_empty()
            && store::overlapping(&mut tx, engagement, input.starts_on, input.ends_on).await?
        {
            problems.push(jimoto_domain::FieldError::new("starts_on", "evaluated"));
        }
        ValidationFailure(problems).into_result()?;
        let id = store::insert_evaluation(
            &mut tx,
            &e,
            &input,
            &rubric,
            Evaluator {
                user: Some(actor.user_id),
                name: &actor.display_name,
            },
        )
        .await?;
        audit::record(
            &mut tx,
            Some(actor),
            Some(e.region_id),
            AuditEntity::Engagement,
            engagement.0,
            AuditOp::Update,
            json!({"evaluation": [null, format!("{} – {}", input.starts_on, input.ends_on)]}),
        )
        .await?;
        let saved = store::evaluation(&mut tx, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Retention of an organisation's people, per region it hired from: its members and
    /// administrators. `as_of` defaults to today.
    pub async fn organisation_retention(
        &self,
        actor: &Actor,
        org: OrganisationId,
        as_of: Option<NaiveDate>,
    ) -> ServiceResult<RetentionReport> {
        let mut conn = self.db().conn().await?;
        super::reach(&mut conn, actor, org).await?;
        require(actor, WorkAction::Retention { organisation: org })?;
        let spans = store::spans(&mut conn, SpanScope::Organisation(org)).await?;
        let as_of = as_of.unwrap_or_else(jimoto_domain::calendar::today_jst);
        Ok(RetentionReport::of(&named(&spans), as_of, GroupBy::Region))
    }

    /// Retention of a region's residents, per organisation (counts only, no names): its
    /// municipal staff, coordinators and administrators.
    pub async fn region_retention(
        &self,
        actor: &Actor,
        region: RegionId,
        as_of: Option<NaiveDate>,
    ) -> ServiceResult<RetentionReport> {
        require(actor, WorkAction::PayTotals { region })?;
        let mut conn = self.db().conn().await?;
        if jimoto_store::regions::get(&mut conn, region)
            .await?
            .is_none()
        {
            return Err(ServiceError::NotFound);
        }
        let spans = store::spans(&mut conn, SpanScope::Region(region)).await?;
        let as_of = as_of.unwrap_or_else(jimoto_domain::calendar::today_jst);
        Ok(RetentionReport::of(
            &named(&spans),
            as_of,
            GroupBy::Organisation,
        ))
    }
}

fn named(spans: &[NamedSpan]) -> Vec<(Span, &str, &str)> {
    spans
        .iter()
        .map(|s| {
            (
                s.span.clone(),
                s.organisation_name.as_str(),
                s.region_name.as_str(),
            )
        })
        .collect()
}

fn checked(input: CriterionInput) -> ServiceResult<CriterionInput> {
    let input = input.normalised();
    let mut problems = match input.validate() {
        Ok(()) => vec![],
        Err(e) => ValidationFailure::from_validator(&e).0,
    };
    problems.extend(input.problems());
    ValidationFailure(problems).into_result()?;
    Ok(input)
}

/// The contract, if the actor may evaluate it (its organisation's members) and it has started.
async fn evaluable(
    conn: &mut Conn,
    actor: &Actor,
    engagement: EngagementId,
) -> ServiceResult<Engagement> {
    let e = visible(conn, actor, engagement).await?;
    require(
        actor,
        WorkAction::Evaluate {
            organisation: e.organisation_id,
        },
    )?;
    if e.status == EngagementStatus::Draft {
        return Err(ValidationFailure::single("status", "not_started").into());
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proposed_period_is_the_last_whole_month() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let p = |today| proposed_period(d("2023-11-01"), Some(d("2024-01-31")), d(today));
        assert_eq!(p("2024-01-20"), (d("2023-12-01"), d("2023-12-31")));
        assert_eq!(p("2026-11-22"), (d("2024-01-01"), d("2024-01-31")));
        assert_eq!(p("2023-11-10"), (d("2023-11-01"), d("2023-11-10")));
    }
}
