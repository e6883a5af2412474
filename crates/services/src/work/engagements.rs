//! Contracts: written from a hire, their terms completed while a draft, checked against the
//! freelance act before they start, and ended with the notice the act requires.

use jimoto_domain::audit::{AuditEntity, AuditOp};
use jimoto_domain::work::engagement::end_problems;
use jimoto_domain::work::{
    Category, ContractKind, EndInput, EndReason, Engagement, EngagementInput, EngagementStatus,
    PayPeriod, RenewInput,
};
use jimoto_domain::{
    Actor, EngagementId, FieldError, OrganisationId, Principal, ValidationFailure, WorkAction,
};
use jimoto_store::Conn;
use jimoto_store::work::engagements::{self as store, Ending, EngagementScope};
use jimoto_store::work::pay as pay_store;
use serde_json::json;
use validator::Validate;

use crate::{ServiceError, ServiceResult, Services, audit, require};

/// Whether a fee is subject to income-tax withholding: outsourcing of the kinds of work the
/// income tax act lists (writing, design, translation and the like).
pub(crate) fn withheld(category: Category, contract: ContractKind) -> bool {
    contract == ContractKind::Outsourcing && category.requires_withholding()
}

/// A contract as one viewer meets it.
#[derive(Debug, Clone)]
pub struct EngagementView {
    /// The contract.
    pub engagement: Engagement,
    /// Its pay periods, latest first.
    pub periods: Vec<PayPeriod>,
    /// The viewer may change its terms, start or end it.
    pub can_edit: bool,
    /// The viewer approves its hours.
    pub can_decide: bool,
    /// The viewer logs its hours (the resident).
    pub can_log: bool,
    /// What the freelance act still asks for before it can start (outsourcing drafts).
    pub missing: Vec<FieldError>,
    /// The contract that renews it, once written.
    pub renewal: Option<EngagementId>,
    /// Its evaluations, latest first.
    pub evaluations: Vec<jimoto_domain::work::Evaluation>,
    /// The viewer evaluates it (its organisation's members).
    pub can_evaluate: bool,
}

/// The contract, if the actor may see it ("not found" otherwise).
pub(crate) async fn visible(
    conn: &mut Conn,
    actor: &Actor,
    id: EngagementId,
) -> ServiceResult<Engagement> {
    let e = store::engagement(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if actor.may(WorkAction::ViewEngagement {
        organisation: e.organisation_id,
        region: e.region_id,
        resident: e.resident_id,
    }) {
        Ok(e)
    } else {
        Err(ServiceError::NotFound)
    }
}

async fn editable(conn: &mut Conn, actor: &Actor, id: EngagementId) -> ServiceResult<Engagement> {
    let e = visible(conn, actor, id).await?;
    require(
        actor,
        WorkAction::EditEngagement {
            organisation: e.organisation_id,
            region: e.region_id,
        },
    )?;
    Ok(e)
}

fn freelance(e: &Engagement, input: &EngagementInput) -> Vec<FieldError> {
    input.freelance_problems((&e.organisation_name, &e.resident_name))
}

impl Services {
    /// One contract with its periods, for its resident, organisation and coordinators.
    pub async fn engagement(
        &self,
        actor: &Actor,
        id: EngagementId,
    ) -> ServiceResult<EngagementView> {
        let mut conn = self.db().conn().await?;
        let engagement = visible(&mut conn, actor, id).await?;
        let periods = pay_store::periods_of(&mut conn, id).await?;
        let renewal = store::renewal_of(&mut conn, id).await?;
        let evaluations = jimoto_store::work::evaluations::evaluations_of(&mut conn, id).await?;
        let missing = if engagement.status == EngagementStatus::Draft {
            freelance(&engagement, &engagement.input)
        } else {
            vec![]
        };
        Ok(EngagementView {
            can_edit: actor.may(WorkAction::EditEngagement {
                organisation: engagement.organisation_id,
                region: engagement.region_id,
            }),
            can_decide: actor.may(WorkAction::DecideHours {
                organisation: engagement.organisation_id,
            }),
            can_log: actor.may(WorkAction::LogHours {
                resident: engagement.resident_id,
                region: engagement.region_id,
            }),
            can_evaluate: actor.may(WorkAction::Evaluate {
                organisation: engagement.organisation_id,
            }),
            renewal,
            evaluations,
            engagement,
            periods,
            missing,
        })
    }

    /// A resident's own contracts.
    pub async fn my_engagements(&self, actor: &Actor) -> ServiceResult<Vec<Engagement>> {
        let Principal::Resident { resident, .. } = actor.principal else {
            return Err(ServiceError::Forbidden);
        };
        let mut conn = self.db().conn().await?;
        Ok(store::engagements(&mut conn, EngagementScope::Resident(resident)).await?)
    }

    /// An organisation's contracts the actor may see (its members: all; a coordinator: with
    /// residents of their regions).
    pub async fn engagements_of(
        &self,
        actor: &Actor,
        org: OrganisationId,
    ) -> ServiceResult<Vec<Engagement>> {
        let mut conn = self.db().conn().await?;
        super::reach(&mut conn, actor, org).await?;
        let regions = super::followed_regions(actor, org);
        let all = store::engagements(
            &mut conn,
            EngagementScope::Organisation(org, regions.as_deref()),
        )
        .await?;
        Ok(all
            .into_iter()
            .filter(|e| {
                actor.may(WorkAction::ViewEngagement {
                    organisation: e.organisation_id,
                    region: e.region_id,
                    resident: e.resident_id,
                })
            })
            .collect())
    }

    /// Changes a draft contract's terms (a started one cannot change: end it and write another).
    pub async fn update_engagement(
        &self,
        actor: &Actor,
        id: EngagementId,
        input: EngagementInput,
    ) -> ServiceResult<EngagementView> {
        let input = input.normalised();
        let mut problems = match input.validate() {
            Ok(()) => vec![],
            Err(e) => ValidationFailure::from_validator(&e).0,
        };
        problems.extend(input.problems());
        ValidationFailure(problems).into_result()?;
        let mut tx = self.db().begin().await?;
        let e = editable(&mut tx, actor, id).await?;
        if e.status != EngagementStatus::Draft {
            return Err(ValidationFailure::single("status", "started").into());
        }
        store::update_engagement(&mut tx, id, &input, withheld(e.category, input.contract)).await?;
        audit::record(
            &mut tx,
            Some(actor),
            Some(e.region_id),
            AuditEntity::Engagement,
            id.0,
            AuditOp::Update,
            json!({"rate_yen": [e.input.rate_yen, input.rate_yen],
                   "start_date": [e.input.start_date, input.start_date]}),
        )
        .await?;
        tx.commit().await?;
        self.engagement(actor, id).await
    }

    /// Starts a draft contract: an outsourcing contract with an individual only once every
    /// item the freelance act requires in writing is there (each missing one named) and its
    /// payment date is no later than 60 days after delivery.
    pub async fn start_engagement(
        &self,
        actor: &Actor,
        id: EngagementId,
    ) -> ServiceResult<EngagementView> {
        let mut tx = self.db().begin().await?;
        let e = editable(&mut tx, actor, id).await?;
        if e.status != EngagementStatus::Draft {
            return Err(ValidationFailure::single("status", "started").into());
        }
        ValidationFailure(freelance(&e, &e.input)).into_result()?;
        store::start_engagement(&mut tx, id).await?;
        // A renewal takes over from the contract it renews: that one ends the day before.
        if let Some(from) = e.renewed_from
            && let Some(prev) = store::engagement(&mut tx, from).await?
            && prev.status == EngagementStatus::Active
        {
            let last = e.input.start_date.pred_opt().unwrap_or(e.input.start_date);
            store::end_engagement(
                &mut tx,
                from,
                &Ending {
                    notice_on: jimoto_domain::calendar::today_jst().min(last),
                    end_on: last.max(prev.input.start_date),
                    reason: EndReason::Renewed,
                    detail: "",
                },
            )
            .await?;
            audit::record(
                &mut tx,
                Some(actor),
                Some(prev.region_id),
                AuditEntity::Engagement,
                from.0,
                AuditOp::Update,
                json!({"status": ["active", "ended"], "end_reason": [null, "renewed"]}),
            )
            .await?;
        }
        audit::record(
            &mut tx,
            Some(actor),
            Some(e.region_id),
            AuditEntity::Engagement,
            id.0,
            AuditOp::Update,
            json!({"status": ["draft", "active"]}),
        )
        .await?;
        tx.commit().await?;
        self.engagement(actor, id).await
    }

    /// Writes a renewal of a running contract: a draft on the same terms over new dates, ordered
    /// today (its terms can still change; starting it ends this one as "renewed"). A contract is
    /// renewed once; the renewal is renewed in its turn.
    pub async fn renew_engagement(
        &self,
        actor: &Actor,
        id: EngagementId,
        input: RenewInput,
    ) -> ServiceResult<EngagementView> {
        let mut tx = self.db().begin().await?;
        let e = editable(&mut tx, actor, id).await?;
        if e.status != EngagementStatus::Active {
            return Err(ValidationFailure::single("status", "not_running").into());
        }
        if store::renewal_of(&mut tx, id).await?.is_some() {
            return Err(ValidationFailure::single("status", "already_renewed").into());
        }
        let terms = input
            .terms(&e.input, jimoto_domain::calendar::today_jst())
            .map_err(ValidationFailure)?;
        let new = store::insert_engagement(
            &mut tx,
            store::Parties {
                application: None,
                posting: e.posting_id,
                organisation: e.organisation_id,
                region: e.region_id,
                resident: e.resident_id,
                channel: e.channel,
                category: e.category,
            },
            &terms,
            e.withholding,
        )
        .await?;
        store::set_renewed_from(&mut tx, new, id).await?;
        audit::record(
            &mut tx,
            Some(actor),
            Some(e.region_id),
            AuditEntity::Engagement,
            new.0,
            AuditOp::Create,
            json!({"start_date": [null, terms.start_date], "end_date": [null, terms.end_date]}),
        )
        .await?;
        tx.commit().await?;
        self.engagement(actor, new).await
    }

    /// Ends a running contract: early, a contract of six months or more needs 30 days' notice,
    /// and the reason in words when the resident asked for it.
    pub async fn end_engagement(
        &self,
        actor: &Actor,
        id: EngagementId,
        input: EndInput,
    ) -> ServiceResult<EngagementView> {
        let input = EndInput {
            reason_detail: input.reason_detail.trim().to_owned(),
            ..input
        };
        input
            .validate()
            .map_err(|e| ValidationFailure::from_validator(&e))?;
        let mut tx = self.db().begin().await?;
        let e = editable(&mut tx, actor, id).await?;
        if e.status != EngagementStatus::Active {
            return Err(ValidationFailure::single("status", "not_running").into());
        }
        let months_before = store::months_renewed(&mut tx, id).await?;
        ValidationFailure(end_problems(
            &e,
            months_before,
            input.notice_on,
            input.end_on,
            input.reason_asked,
            &input.reason_detail,
        ))
        .into_result()?;
        store::end_engagement(
            &mut tx,
            id,
            &Ending {
                notice_on: input.notice_on,
                end_on: input.end_on,
                reason: input.reason,
                detail: &input.reason_detail,
            },
        )
        .await?;
        audit::record(
            &mut tx,
            Some(actor),
            Some(e.region_id),
            AuditEntity::Engagement,
            id.0,
            AuditOp::Update,
            json!({"status": ["active", "ended"], "end_reason": [null, input.reason.as_str()]}),
        )
        .await?;
        tx.commit().await?;
        self.engagement(actor, id).await
    }
}
