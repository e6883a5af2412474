//! Hours and pay: the resident logs hours per day and sends a month for approval; the
//! organisation approves it (its figures fixed, locked for everyone from then on) or returns it
//! with a comment, and marks it paid. Statements, the payment list and earnings read the fixed
//! figures.

use chrono::{Datelike, NaiveDate};
use jimoto_domain::audit::{AuditEntity, AuditOp};
use jimoto_domain::growth::{Stage, StageCause};
use jimoto_domain::limits;
use jimoto_domain::work::pay::period_of;
use jimoto_domain::work::{
    DayEntry, Earnings, Engagement, EngagementStatus, PayKind, PayPeriod, PaySlip, PeriodStatus,
};
use jimoto_domain::{
    Actor, EngagementId, OrganisationId, PeriodId, Principal, RegionId, ValidationFailure,
    WorkAction,
};
use jimoto_store::Conn;
use jimoto_store::work::pay::{self as store, PeriodChange, PeriodScope};
use serde_json::json;

use super::advance;
use super::engagements::visible as visible_engagement;
use crate::{ServiceError, ServiceResult, Services, audit, require};

/// Every month a period can belong to (stored days compare as text: keep to four-digit years).
const ALL_TIME: (NaiveDate, NaiveDate) = (
    NaiveDate::from_ymd_opt(1900, 1, 1).expect("a day"),
    NaiveDate::from_ymd_opt(9999, 12, 31).expect("a day"),
);

/// One month of a contract's hours.
#[derive(Debug, Clone)]
pub struct Timesheet {
    /// The contract.
    pub engagement: Engagement,
    /// The month's first day within the contract.
    pub starts_on: NaiveDate,
    /// Its last.
    pub ends_on: NaiveDate,
    /// The period, once hours were logged in it.
    pub period: Option<PayPeriod>,
    /// Its days.
    pub entries: Vec<DayEntry>,
    /// The pay its hours come to (fixed once approved).
    pub slip: PaySlip,
    /// The viewer may log hours in it now (the resident, while it is open or returned).
    pub can_log: bool,
    /// The viewer approves or returns it.
    pub can_decide: bool,
    /// The month before, within the contract.
    pub previous: Option<NaiveDate>,
    /// The month after, up to this month.
    pub next: Option<NaiveDate>,
}

/// The last day hours may be logged for: the contract's end (or the day it ended), and never
/// after today.
fn last_loggable(e: &Engagement, today: NaiveDate) -> NaiveDate {
    [Some(today), e.input.end_date, e.ended_on]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(today)
}

fn locked() -> ServiceError {
    ValidationFailure::single("period", "locked").into()
}

/// The slip a period's minutes come to under the contract.
fn slip_of(s: &Services, e: &Engagement, minutes: i64, span: (NaiveDate, NaiveDate)) -> PaySlip {
    PaySlip::of(
        e.input.pay_kind,
        e.input.rate_yen,
        minutes,
        span,
        e.withholding,
        s.config().pay_rules,
    )
}

/// A period as it stands after a change.
async fn reread(conn: &mut Conn, id: PeriodId) -> ServiceResult<PayPeriod> {
    store::period(conn, id).await?.ok_or(ServiceError::NotFound)
}

/// The period, if the actor may see its contract; with the contract.
async fn visible_period(
    conn: &mut Conn,
    actor: &Actor,
    id: PeriodId,
) -> ServiceResult<(PayPeriod, Engagement)> {
    let p = store::period(conn, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let e = visible_engagement(conn, actor, p.engagement_id).await?;
    Ok((p, e))
}

impl Services {
    /// A month of a contract's hours (`month`: any day in it; None: this month, or the
    /// contract's last).
    pub async fn timesheet(
        &self,
        actor: &Actor,
        id: EngagementId,
        month: Option<NaiveDate>,
    ) -> ServiceResult<Timesheet> {
        let mut conn = self.db().conn().await?;
        let e = visible_engagement(&mut conn, actor, id).await?;
        let today = jimoto_domain::calendar::today_jst();
        let last = last_loggable(&e, today).max(e.input.start_date);
        let day = month
            .unwrap_or(last)
            .clamp(e.input.start_date, last.max(e.input.start_date));
        let (starts_on, ends_on) = period_of(day, e.input.start_date, e.input.end_date);
        let period = store::period_starting(&mut conn, id, starts_on).await?;
        let entries = match &period {
            Some(p) => store::entries(&mut conn, p.id).await?,
            None => vec![],
        };
        let minutes: i64 = entries.iter().map(|d| d.minutes).sum();
        let slip = match &period {
            Some(p) if p.status.locked() => PaySlip {
                minutes: p.minutes,
                amount_yen: p.amount_yen.unwrap_or(0),
                withholding_yen: p.withholding_yen.unwrap_or(0),
                net_yen: p.net_yen().unwrap_or(0),
            },
            _ => slip_of(self, &e, minutes, (starts_on, ends_on)),
        };
        let status = period.as_ref().map_or(PeriodStatus::Open, |p| p.status);
        let can_log = status.loggable()
            && e.status != EngagementStatus::Draft
            && starts_on <= last
            && actor.may(WorkAction::LogHours {
                resident: e.resident_id,
                region: e.region_id,
            });
        let can_decide = status == PeriodStatus::Submitted
            && actor.may(WorkAction::DecideHours {
                organisation: e.organisation_id,
            });
        let previous = starts_on.pred_opt().filter(|d| *d >= e.input.start_date);
        let next = ends_on.succ_opt().filter(|d| *d <= last);
        Ok(Timesheet {
            engagement: e,
            starts_on,
            ends_on,
            period,
            entries,
            slip,
            can_log,
            can_decide,
            previous,
            next,
        })
    }

    /// The resident logs one day's hours (0 removes the day): within the contract, not after
    /// today, at most a day's worth; never into an approved or paid period.
    pub async fn log_hours(
        &self,
        actor: &Actor,
        id: EngagementId,
        entry: DayEntry,
    ) -> ServiceResult<PayPeriod> {
        let entry = DayEntry {
            note: entry.note.trim().to_owned(),
            ..entry
        };
        let mut problems = Vec::new();
        if !(0..=limits::DAY_MINUTES.1).contains(&entry.minutes) {
            problems.push(
                jimoto_domain::FieldError::new("minutes", "out_of_range")
                    .with("min", 0)
                    .with("max", limits::DAY_MINUTES.1),
            );
        }
        if entry.note.chars().count() > limits::NOTE_MAX as usize {
            problems.push(jimoto_domain::FieldError::new("note", "too_long"));
        }
        ValidationFailure(problems).into_result()?;
        let mut tx = self.db().begin().await?;
        let e = visible_engagement(&mut tx, actor, id).await?;
        require(
            actor,
            WorkAction::LogHours {
                resident: e.resident_id,
                region: e.region_id,
            },
        )?;
        if e.status == EngagementStatus::Draft {
            return Err(ValidationFailure::single("engagement", "not_started").into());
        }
        let today = jimoto_domain::calendar::today_jst();
        if entry.day < e.input.start_date || entry.day > last_loggable(&e, today) {
            return Err(ValidationFailure::single("day", "outside_contract").into());
        }
        let span = period_of(entry.day, e.input.start_date, e.input.end_date);
        if let Some(p) = store::period_starting(&mut tx, id, span.0).await?
            && !p.status.loggable()
        {
            return Err(if p.status.locked() {
                locked()
            } else {
                ValidationFailure::single("period", "submitted").into()
            });
        }
        let pid = store::ensure_period(&mut tx, &e, span).await?;
        if !store::set_entry(&mut tx, id, pid, &entry).await? {
            return Err(locked());
        }
        let p = reread(&mut tx, pid).await?;
        tx.commit().await?;
        Ok(p)
    }

    /// The resident sends a period for approval.
    pub async fn submit_period(&self, actor: &Actor, id: PeriodId) -> ServiceResult<PayPeriod> {
        let mut tx = self.db().begin().await?;
        let (p, e) = visible_period(&mut tx, actor, id).await?;
        require(
            actor,
            WorkAction::LogHours {
                resident: e.resident_id,
                region: e.region_id,
            },
        )?;
        if p.status.locked() {
            return Err(locked());
        }
        if e.input.pay_kind == PayKind::Hourly && p.minutes == 0 {
            return Err(ValidationFailure::single("minutes", "none_logged").into());
        }
        let from = [PeriodStatus::Open, PeriodStatus::Returned];
        if !store::change_period(&mut tx, id, &from, &PeriodChange::Submit).await? {
            return Err(ValidationFailure::single("period", "submitted").into());
        }
        self.period_changed(&mut tx, actor, &p, &e, PeriodStatus::Submitted)
            .await?;
        let p = reread(&mut tx, id).await?;
        tx.commit().await?;
        Ok(p)
    }

    /// The organisation returns a submitted period with a comment (required).
    pub async fn return_period(
        &self,
        actor: &Actor,
        id: PeriodId,
        comment: &str,
    ) -> ServiceResult<PayPeriod> {
        let comment = comment.trim();
        if comment.is_empty() {
            return Err(ValidationFailure::single("comment", "required").into());
        }
        if comment.chars().count() > limits::NOTE_MAX as usize {
            return Err(ValidationFailure::single("comment", "too_long").into());
        }
        let mut tx = self.db().begin().await?;
        let (p, e) = self.deciding(&mut tx, actor, id).await?;
        let change = PeriodChange::Return {
            by: &actor.display_name,
            comment,
        };
        if !store::change_period(&mut tx, id, &[PeriodStatus::Submitted], &change).await? {
            return Err(ValidationFailure::single("period", "not_submitted").into());
        }
        self.period_changed(&mut tx, actor, &p, &e, PeriodStatus::Returned)
            .await?;
        let p = reread(&mut tx, id).await?;
        tx.commit().await?;
        Ok(p)
    }

    /// The organisation approves a submitted period: its minutes, pay, withholding and
    /// payment date are fixed and it is locked for everyone. The resident's growth path
    /// reaches "first paid job" (and "recurring work" at the third approved month).
    pub async fn approve_period(&self, actor: &Actor, id: PeriodId) -> ServiceResult<PayPeriod> {
        let mut tx = self.db().begin().await?;
        let (p, e) = self.deciding(&mut tx, actor, id).await?;
        let minutes = store::logged_minutes(&mut tx, id).await?;
        let slip = slip_of(self, &e, minutes, (p.starts_on, p.ends_on));
        let change = PeriodChange::Approve {
            by: &actor.display_name,
            slip,
            due_on: e.payment_due(p.ends_on),
        };
        if !store::change_period(&mut tx, id, &[PeriodStatus::Submitted], &change).await? {
            return Err(ValidationFailure::single("period", "not_submitted").into());
        }
        self.period_changed(&mut tx, actor, &p, &e, PeriodStatus::Approved)
            .await?;
        let approved = store::approved_count(&mut tx, e.resident_id).await?;
        if approved >= 1 {
            advance(
                &mut tx,
                e.resident_id,
                Stage::FirstPaid,
                StageCause::Pay,
                actor,
            )
            .await?;
        }
        if approved >= 3 {
            advance(
                &mut tx,
                e.resident_id,
                Stage::Recurring,
                StageCause::Pay,
                actor,
            )
            .await?;
        }
        let p = reread(&mut tx, id).await?;
        tx.commit().await?;
        Ok(p)
    }

    /// The organisation records an approved period as paid on a day.
    pub async fn mark_paid(
        &self,
        actor: &Actor,
        id: PeriodId,
        on: NaiveDate,
    ) -> ServiceResult<PayPeriod> {
        let mut tx = self.db().begin().await?;
        let (p, e) = visible_period(&mut tx, actor, id).await?;
        require(
            actor,
            WorkAction::DecideHours {
                organisation: e.organisation_id,
            },
        )?;
        if on < p.starts_on {
            return Err(ValidationFailure::single("paid_on", "before_period").into());
        }
        if !store::change_period(
            &mut tx,
            id,
            &[PeriodStatus::Approved],
            &PeriodChange::Paid(on),
        )
        .await?
        {
            return Err(if p.status == PeriodStatus::Paid {
                locked()
            } else {
                ValidationFailure::single("period", "not_approved").into()
            });
        }
        self.period_changed(&mut tx, actor, &p, &e, PeriodStatus::Paid)
            .await?;
        let p = reread(&mut tx, id).await?;
        tx.commit().await?;
        Ok(p)
    }

    /// One period, for those who see its contract.
    pub async fn pay_period(&self, actor: &Actor, id: PeriodId) -> ServiceResult<PayPeriod> {
        let mut conn = self.db().conn().await?;
        Ok(visible_period(&mut conn, actor, id).await?.0)
    }

    /// A pay statement: an approved or paid period with its days.
    pub async fn statement(
        &self,
        actor: &Actor,
        id: PeriodId,
    ) -> ServiceResult<(PayPeriod, Engagement, Vec<DayEntry>)> {
        let mut conn = self.db().conn().await?;
        let (p, e) = visible_period(&mut conn, actor, id).await?;
        if !p.status.locked() {
            return Err(ValidationFailure::single("period", "not_approved").into());
        }
        let days = store::entries(&mut conn, id).await?;
        Ok((p, e, days))
    }

    /// An organisation's payment list: approved and paid periods of months from `from` to `to`
    /// (their first days), for its members.
    pub async fn payments(
        &self,
        actor: &Actor,
        org: OrganisationId,
        (from, to): (NaiveDate, NaiveDate),
    ) -> ServiceResult<Vec<PayPeriod>> {
        let mut conn = self.db().conn().await?;
        super::reach(&mut conn, actor, org).await?;
        require(actor, WorkAction::DecideHours { organisation: org })?;
        Ok(store::periods(
            &mut conn,
            PeriodScope::Organisation(org, None),
            (from, to),
            &[PeriodStatus::Approved, PeriodStatus::Paid],
        )
        .await?)
    }

    /// Periods awaiting the organisation's decision.
    pub async fn periods_to_decide(
        &self,
        actor: &Actor,
        org: OrganisationId,
    ) -> ServiceResult<Vec<PayPeriod>> {
        let mut conn = self.db().conn().await?;
        super::reach(&mut conn, actor, org).await?;
        require(actor, WorkAction::DecideHours { organisation: org })?;
        Ok(store::periods(
            &mut conn,
            PeriodScope::Organisation(org, None),
            ALL_TIME,
            &[PeriodStatus::Submitted],
        )
        .await?)
    }

    /// A resident's own earnings by month, calendar year and fiscal year, with the periods.
    pub async fn my_earnings(&self, actor: &Actor) -> ServiceResult<(Earnings, Vec<PayPeriod>)> {
        let Principal::Resident { resident, .. } = actor.principal else {
            return Err(ServiceError::Forbidden);
        };
        let mut conn = self.db().conn().await?;
        let periods =
            store::periods(&mut conn, PeriodScope::Resident(resident), ALL_TIME, &[]).await?;
        Ok((Earnings::of(&periods), periods))
    }

    /// A region's pay totals by month and year (no one's lines): its staff, coordinators and
    /// administrators.
    pub async fn region_pay_totals(
        &self,
        actor: &Actor,
        region: RegionId,
    ) -> ServiceResult<Earnings> {
        require(actor, WorkAction::PayTotals { region })?;
        let mut conn = self.db().conn().await?;
        if jimoto_store::regions::get(&mut conn, region)
            .await?
            .is_none()
        {
            return Err(ServiceError::NotFound);
        }
        let periods = store::periods(
            &mut conn,
            PeriodScope::Regions(&[region]),
            ALL_TIME,
            &[PeriodStatus::Approved, PeriodStatus::Paid],
        )
        .await?;
        Ok(Earnings::of(&periods))
    }

    async fn deciding(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        id: PeriodId,
    ) -> ServiceResult<(PayPeriod, Engagement)> {
        let (p, e) = visible_period(conn, actor, id).await?;
        require(
            actor,
            WorkAction::DecideHours {
                organisation: e.organisation_id,
            },
        )?;
        if p.status.locked() {
            return Err(locked());
        }
        Ok((p, e))
    }

    async fn period_changed(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        p: &PayPeriod,
        e: &Engagement,
        to: PeriodStatus,
    ) -> ServiceResult<()> {
        audit::record(
            conn,
            Some(actor),
            Some(e.region_id),
            AuditEntity::Engagement,
            e.id.0,
            AuditOp::Update,
            json!({"period": [null, format!("{}-{:02}", p.starts_on.year(), p.starts_on.month())],
                   "period_status": [p.status.as_str(), to.as_str()]}),
        )
        .await
    }
}
