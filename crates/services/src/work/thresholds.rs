//! Income thresholds: dated settings an administrator keeps, and each resident's warnings.

use chrono::{Datelike, Months, NaiveDate};
use jimoto_domain::audit::{AuditEntity, AuditOp};
use jimoto_domain::work::threshold::{in_force, project};
use jimoto_domain::work::{
    ContractKind, IncomeSoFar, PayPeriod, PeriodStatus, Projection, Threshold, ThresholdKind,
};
use jimoto_domain::{Actor, Principal, ValidationFailure, WorkAction};
use jimoto_store::work::engagements::{self as estore, EngagementScope};
use jimoto_store::work::pay::{self as pay_store, PeriodScope};
use jimoto_store::work::thresholds as store;
use serde_json::json;

use crate::{ServiceError, ServiceResult, Services, audit, require};

/// A resident's thresholds page: what they chose, their income and each projection.
#[derive(Debug, Clone)]
pub struct ThresholdView {
    /// The thresholds they said matter to them.
    pub chosen: Vec<ThresholdKind>,
    /// Their income as the projections read it.
    pub income: IncomeSoFar,
    /// One projection per chosen threshold in force today.
    pub projections: Vec<Projection>,
    /// The day projected from.
    pub today: NaiveDate,
}

/// A resident's income for the projections on `today`: this calendar year's approved and paid
/// pay (by the month worked), what awaits approval, and the monthly pace over the last three
/// months with approved work (all work, and employment only).
pub fn income_so_far(
    periods: &[PayPeriod],
    employment: &[jimoto_domain::EngagementId],
    pending_yen: i64,
    today: NaiveDate,
) -> IncomeSoFar {
    let year = today.year();
    let ytd = periods
        .iter()
        .filter(|p| p.status.locked() && p.starts_on.year() == year && p.starts_on <= today)
        .filter_map(|p| p.amount_yen)
        .sum();
    let pace = |only_employment: bool| {
        use std::collections::BTreeMap;
        let mut months: BTreeMap<(i32, u32), i64> = BTreeMap::new();
        for p in periods
            .iter()
            .filter(|p| p.status.locked() && p.starts_on <= today)
        {
            if only_employment && !employment.contains(&p.engagement_id) {
                continue;
            }
            *months.entry(p.month()).or_default() += p.amount_yen.unwrap_or(0);
        }
        let last: Vec<i64> = months.values().rev().take(3).copied().collect();
        if last.is_empty() {
            0
        } else {
            last.iter().sum::<i64>() / i64::try_from(last.len()).unwrap_or(1)
        }
    };
    IncomeSoFar {
        year_to_date_yen: ytd,
        pending_yen,
        monthly_pace_yen: pace(false),
        monthly_employment_pace_yen: pace(true),
    }
}

impl Services {
    /// Every dated threshold (anyone signed in may read them).
    pub async fn thresholds(&self) -> ServiceResult<Vec<Threshold>> {
        let mut conn = self.db().conn().await?;
        Ok(store::thresholds(&mut conn).await?)
    }

    /// Sets a threshold from a day on: administrators.
    pub async fn set_threshold(
        &self,
        actor: &Actor,
        kind: ThresholdKind,
        amount_yen: i64,
        valid_from: NaiveDate,
    ) -> ServiceResult<Vec<Threshold>> {
        require(actor, WorkAction::Thresholds)?;
        if !(1..=100_000_000).contains(&amount_yen) {
            return Err(ValidationFailure(vec![
                jimoto_domain::FieldError::new("amount_yen", "out_of_range")
                    .with("min", 1)
                    .with("max", 100_000_000),
            ])
            .into());
        }
        let mut tx = self.db().begin().await?;
        let before = store::thresholds(&mut tx).await?;
        let old = before
            .iter()
            .find(|t| t.kind == kind && t.valid_from == valid_from)
            .map(|t| t.amount_yen);
        store::set_threshold(&mut tx, kind, amount_yen, valid_from).await?;
        audit::record(
            &mut tx,
            Some(actor),
            None,
            AuditEntity::Threshold,
            0,
            if old.is_some() {
                AuditOp::Update
            } else {
                AuditOp::Create
            },
            json!({"kind": [null, kind.as_str()], "valid_from": [null, valid_from],
                   "amount_yen": [old, amount_yen]}),
        )
        .await?;
        let all = store::thresholds(&mut tx).await?;
        tx.commit().await?;
        Ok(all)
    }

    /// Removes one dated threshold (not the last of its kind): administrators.
    pub async fn delete_threshold(&self, actor: &Actor, id: i64) -> ServiceResult<Vec<Threshold>> {
        require(actor, WorkAction::Thresholds)?;
        let mut tx = self.db().begin().await?;
        let before = store::thresholds(&mut tx).await?;
        let t = before
            .iter()
            .find(|t| t.id == id)
            .ok_or(ServiceError::NotFound)?;
        if before.iter().filter(|x| x.kind == t.kind).count() < 2 {
            return Err(ValidationFailure::single("id", "last_of_kind").into());
        }
        store::delete_threshold(&mut tx, id).await?;
        audit::record(
            &mut tx,
            Some(actor),
            None,
            AuditEntity::Threshold,
            0,
            AuditOp::Update,
            json!({"kind": [t.kind.as_str(), null], "valid_from": [t.valid_from, null],
                   "amount_yen": [t.amount_yen, null]}),
        )
        .await?;
        let all = store::thresholds(&mut tx).await?;
        tx.commit().await?;
        Ok(all)
    }

    /// A resident's thresholds and projections on `today` (the calendar year runs
    /// January–December for the tax thresholds, whatever the fiscal year).
    pub async fn my_thresholds(
        &self,
        actor: &Actor,
        today: NaiveDate,
    ) -> ServiceResult<ThresholdView> {
        let Principal::Resident { resident, region } = actor.principal else {
            return Err(ServiceError::Forbidden);
        };
        require(actor, WorkAction::Apply { resident, region })?;
        let mut conn = self.db().conn().await?;
        let chosen = store::kinds_of(&mut conn, resident).await?;
        let all = store::thresholds(&mut conn).await?;
        let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let periods = pay_store::periods(
            &mut conn,
            PeriodScope::Resident(resident),
            (
                year_start
                    .checked_sub_months(Months::new(12))
                    .unwrap_or(year_start),
                today,
            ),
            &[],
        )
        .await?;
        let engagements =
            estore::engagements(&mut conn, EngagementScope::Resident(resident)).await?;
        let employment: Vec<_> = engagements
            .iter()
            .filter(|e| e.input.contract == ContractKind::Employment)
            .map(|e| e.id)
            .collect();
        let mut pending = 0;
        for p in periods.iter().filter(|p| {
            !p.status.locked()
                && p.starts_on.year() == today.year()
                && p.status != PeriodStatus::Paid
        }) {
            if let Some(e) = engagements.iter().find(|e| e.id == p.engagement_id) {
                pending += jimoto_domain::work::pay::amount(
                    e.input.pay_kind,
                    e.input.rate_yen,
                    p.minutes,
                    p.starts_on,
                    p.ends_on,
                );
            }
        }
        let income = income_so_far(&periods, &employment, pending, today);
        let projections = chosen
            .iter()
            .filter_map(|k| in_force(&all, *k, today))
            .map(|t| project(t, income, today))
            .collect();
        Ok(ThresholdView {
            chosen,
            income,
            projections,
            today,
        })
    }

    /// A resident chooses the thresholds that matter to them.
    pub async fn choose_thresholds(
        &self,
        actor: &Actor,
        kinds: &[ThresholdKind],
    ) -> ServiceResult<()> {
        let Principal::Resident { resident, region } = actor.principal else {
            return Err(ServiceError::Forbidden);
        };
        require(actor, WorkAction::Apply { resident, region })?;
        let mut kinds = kinds.to_vec();
        kinds.sort_by_key(|k| k.as_str());
        kinds.dedup();
        let mut tx = self.db().begin().await?;
        store::set_kinds_of(&mut tx, resident, &kinds).await?;
        tx.commit().await?;
        Ok(())
    }
}
