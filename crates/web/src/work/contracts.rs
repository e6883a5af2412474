//! Contract pages: the terms (completed while a draft, checked against the freelance act before
//! the start), the terms notice the resident can print or save as PDF, the end with notice; the
//! month of hours with its approval; pay statements and the organisation's payment list.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use jimoto_domain::work::engagement::{PaymentMethod, Terms};
use jimoto_domain::work::{
    ContractKind, DayEntry, EndInput, EndReason, Engagement, EngagementInput, PayKind, PayPeriod,
    PaySlip, RenewInput,
};
use jimoto_domain::{EngagementId, FieldError, OrganisationId, PeriodId, ValidationFailure};
use jimoto_services::ServiceError;
use serde::Deserialize;

use super::pages::Question;
use crate::AppState;
use crate::download::{TableFormat, table_response};
use crate::error::AppError;
use crate::form::{FormData, finish};
use crate::layout::{FormErrors, Frame, render};
use crate::session::{Authed, Ctx};

/// A contract's facts in words.
struct TermsWords {
    pay: String,
    period: String,
    due: String,
    method: String,
    inspection: String,
}

impl TermsWords {
    fn of(tr: crate::i18n::Tr, e: &Engagement) -> Self {
        let i = &e.input;
        let t = &i.terms;
        let pay = tr.t1(
            &format!("posting-pay-{}", i.pay_kind.as_str()),
            "amount",
            tr.yen(i.rate_yen),
        );
        let mut period = tr.date(i.start_date);
        period.push('–');
        match i.end_date {
            Some(end) => period.push_str(&tr.date(end)),
            None => period.push_str(&tr.t("engagement-open-ended")),
        }
        if let Some(trial) = i.trial_end {
            period.push_str(&tr.paren(tr.t1("engagement-trial-until", "date", tr.date(trial))));
        }
        let due = t
            .payment_due_days
            .map(|d| tr.t1("engagement-due-days", "days", d))
            .unwrap_or_default();
        let method = match t.payment_method {
            Some(PaymentMethod::Other) => t.payment_method_detail.clone(),
            Some(m) => tr.e("payment_method", m.as_str()),
            None => String::new(),
        };
        let inspection = match (t.inspection, t.inspection_days) {
            (true, Some(d)) => tr.t1("engagement-inspection-days", "days", d),
            (true, None) => tr.t("engagement-inspection-yes"),
            (false, _) => tr.t("engagement-inspection-no"),
        };
        Self {
            pay,
            period,
            due,
            method,
            inspection,
        }
    }
}

#[derive(Template)]
#[template(path = "work/engagement.html")]
struct EngagementPage {
    frame: Frame,
    e: Engagement,
    words: TermsWords,
    periods: Vec<PayPeriod>,
    can_edit: bool,
    missing: Vec<String>,
    values: FormData,
    choices: Vec<Question>,
    reasons: Vec<(&'static str, String)>,
    today: String,
    /// The contract that renews this one, once written.
    renewal: Option<EngagementId>,
    /// The dates proposed for a renewal.
    renew: jimoto_domain::work::RenewInput,
    evaluations: Vec<jimoto_domain::work::Evaluation>,
    can_evaluate: bool,
    errors: FormErrors,
}

impl EngagementPage {
    /// "15項目中9項目を達成".
    fn met(&self, v: &jimoto_domain::work::Evaluation) -> String {
        super::evaluations::met_words(self.frame.tr, v)
    }
}

fn terms_values(i: &EngagementInput) -> FormData {
    let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let t = &i.terms;
    let mut v: Vec<(String, String)> = [
        ("contract", i.contract.as_str().to_owned()),
        ("pay_kind", i.pay_kind.as_str().to_owned()),
        ("rate_yen", i.rate_yen.to_string()),
        ("hours_per_week", i.hours_per_week.to_string()),
        ("start_date", i.start_date.to_string()),
        ("trial_end", day(i.trial_end)),
        ("end_date", day(i.end_date)),
        ("work_description", t.work_description.clone()),
        ("order_date", day(t.order_date)),
        ("delivery_date", day(t.delivery_date)),
        ("delivery_place", t.delivery_place.clone()),
        ("inspection_days", opt(t.inspection_days)),
        ("payment_due_days", opt(t.payment_due_days)),
        (
            "payment_method",
            t.payment_method
                .map_or("", PaymentMethod::as_str)
                .to_owned(),
        ),
        ("payment_method_detail", t.payment_method_detail.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    if t.inspection {
        v.push(("inspection".into(), "on".into()));
    }
    FormData(v)
}

/// Reads the terms form, naming every problem it can find before the services do.
fn read_terms(form: &FormData) -> Result<EngagementInput, ValidationFailure> {
    let mut p = Vec::new();
    let contract = form.choice("contract", ContractKind::parse, &mut p);
    let pay_kind = form.choice("pay_kind", PayKind::parse, &mut p);
    let rate = form.req_int("rate_yen", &mut p);
    let hours = form.req_int("hours_per_week", &mut p);
    let start = form.req_date("start_date", &mut p);
    let trial_end = form.opt_date("trial_end", &mut p);
    let end_date = form.opt_date("end_date", &mut p);
    let order_date = form.opt_date("order_date", &mut p);
    let delivery_date = form.opt_date("delivery_date", &mut p);
    let inspection_days = form.opt_int("inspection_days", &mut p);
    let payment_due_days = form.opt_int("payment_due_days", &mut p);
    let method = form.get("payment_method");
    let payment_method = if method.is_empty() {
        None
    } else {
        form.choice("payment_method", PaymentMethod::parse, &mut p)
    };
    ValidationFailure(p).into_result()?;
    Ok(EngagementInput {
        contract: contract.unwrap_or(ContractKind::Outsourcing),
        pay_kind: pay_kind.unwrap_or(PayKind::Hourly),
        rate_yen: rate.unwrap_or(0),
        hours_per_week: hours.unwrap_or(1),
        start_date: start.unwrap_or_default(),
        trial_end,
        end_date,
        terms: Terms {
            work_description: form.get("work_description").to_owned(),
            order_date,
            delivery_date,
            delivery_place: form.get("delivery_place").to_owned(),
            inspection: form.checked("inspection"),
            inspection_days,
            payment_due_days,
            payment_method,
            payment_method_detail: form.get("payment_method_detail").to_owned(),
        },
    })
}

async fn engagement_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    values: Option<FormData>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let actor = ctx.signed_in()?;
    let v = state.services.engagement(actor, EngagementId(id)).await?;
    let missing = v.missing.iter().map(|f| ctx.tr.field_error(f)).collect();
    let choices = vec![
        Question::of(ctx, "contract", ContractKind::ALL, ContractKind::as_str),
        Question::of(ctx, "pay_kind", PayKind::ALL, PayKind::as_str),
        Question::of(
            ctx,
            "payment_method",
            PaymentMethod::ALL,
            PaymentMethod::as_str,
        ),
    ];
    let reasons = EndReason::ALL
        .iter()
        .map(|r| (r.as_str(), ctx.tr.e("end_reason", r.as_str())))
        .collect();
    let renew = jimoto_domain::work::RenewInput::proposed(
        &v.engagement.input,
        jimoto_domain::calendar::today_jst(),
    );
    Ok(render(&EngagementPage {
        frame: ctx.frame_titled(format!(
            "{} · {}",
            v.engagement.title, v.engagement.resident_name
        )),
        words: TermsWords::of(ctx.tr, &v.engagement),
        values: values.unwrap_or_else(|| terms_values(&v.engagement.input)),
        e: v.engagement,
        periods: v.periods,
        can_edit: v.can_edit,
        missing,
        choices,
        reasons,
        today: jimoto_domain::calendar::today_jst().to_string(),
        renewal: v.renewal,
        renew,
        evaluations: v.evaluations,
        can_evaluate: v.can_evaluate,
        errors,
    }))
}

/// A contract.
pub(super) async fn engagement(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    engagement_page(&state, &ctx, id, None, FormErrors::default()).await
}

/// Changes a draft's terms.
pub(super) async fn update_terms(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let result = match read_terms(&form) {
        Ok(input) => {
            state
                .services
                .update_engagement(&actor, EngagementId(id), input)
                .await
        }
        Err(v) => Err(v.into()),
    };
    finish(
        &ctx,
        &state,
        "notice-saved",
        result,
        |_| format!("/engagements/{id}"),
        |errors| async { engagement_page(&state, &ctx, id, Some(form.clone()), errors).await },
    )
    .await
}

/// Starts a draft (after the freelance act's check), ends a running contract, or writes its
/// renewal.
pub(super) async fn act(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, what)): Path<(i64, String)>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let s = &state.services;
    let eid = EngagementId(id);
    let (notice, result) = match what.as_str() {
        "start" => ("notice-started", s.start_engagement(&actor, eid).await),
        "end" => {
            let mut p = Vec::new();
            let notice_on = form.req_date("notice_on", &mut p);
            let end_on = form.req_date("end_on", &mut p);
            let reason = form.choice("reason", EndReason::parse, &mut p);
            let r = match (notice_on, end_on, reason, p.is_empty()) {
                (Some(notice_on), Some(end_on), Some(reason), true) => {
                    s.end_engagement(
                        &actor,
                        eid,
                        EndInput {
                            notice_on,
                            end_on,
                            reason,
                            reason_asked: form.checked("reason_asked"),
                            reason_detail: form.get("reason_detail").to_owned(),
                        },
                    )
                    .await
                }
                _ => Err(ValidationFailure(p).into()),
            };
            ("notice-ended", r)
        }
        "renew" => {
            let mut p = Vec::new();
            let start = form.req_date("renew_start", &mut p);
            let end_date = form.opt_date("renew_end", &mut p);
            let r = match (start, p.is_empty()) {
                (Some(start_date), true) => {
                    s.renew_engagement(
                        &actor,
                        eid,
                        RenewInput {
                            start_date,
                            end_date,
                        },
                    )
                    .await
                }
                _ => Err(ValidationFailure(p).into()),
            };
            ("notice-saved", r)
        }
        _ => return Err(ServiceError::NotFound.into()),
    };
    finish(
        &ctx,
        &state,
        notice,
        result,
        // A renewal is a contract of its own: its page is next.
        |v| format!("/engagements/{}", v.engagement.id),
        |errors| async { engagement_page(&state, &ctx, id, None, errors).await },
    )
    .await
}

#[derive(Template)]
#[template(path = "work/terms_notice.html")]
struct TermsNotice {
    frame: Frame,
    e: Engagement,
    words: TermsWords,
}

/// The terms notice (契約条件通知書): a page to print or save as PDF.
pub(super) async fn terms_notice(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let v = state.services.engagement(&actor, EngagementId(id)).await?;
    Ok(render(&TermsNotice {
        frame: ctx.frame("terms-notice-title"),
        words: TermsWords::of(ctx.tr, &v.engagement),
        e: v.engagement,
    }))
}

#[derive(Template)]
#[template(path = "work/hours.html")]
struct HoursPage {
    frame: Frame,
    t: jimoto_services::Timesheet,
    status: String,
    total: String,
    /// (day, hours text, note).
    days: Vec<(NaiveDate, String, String)>,
    today: String,
    errors: FormErrors,
}

/// Which month.
#[derive(Debug, Deserialize)]
pub(super) struct MonthQuery {
    month: Option<String>,
}

async fn hours_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    month: Option<NaiveDate>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let actor = ctx.signed_in()?;
    let t = state
        .services
        .timesheet(actor, EngagementId(id), month)
        .await?;
    let status = t.period.as_ref().map_or_else(
        || ctx.tr.e("period_status", "open"),
        |p| ctx.tr.e("period_status", p.status.as_str()),
    );
    let days = t
        .entries
        .iter()
        .map(|d| (d.day, super::hours_text(ctx.tr, d.minutes), d.note.clone()))
        .collect();
    let today = jimoto_domain::calendar::today_jst()
        .clamp(t.starts_on, t.ends_on)
        .to_string();
    Ok(render(&HoursPage {
        frame: ctx.frame_titled(format!(
            "{} · {}",
            ctx.tr.t("hours-title"),
            t.engagement.title
        )),
        total: super::hours_text(
            ctx.tr,
            t.slip
                .minutes
                .max(t.entries.iter().map(|d| d.minutes).sum()),
        ),
        status,
        days,
        today,
        t,
        errors,
    }))
}

/// A month of a contract's hours: the resident logs them, the organisation approves them.
pub(super) async fn hours(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<MonthQuery>,
) -> Result<Response, AppError> {
    let month = q
        .month
        .as_deref()
        .and_then(|m| NaiveDate::parse_from_str(m, "%Y-%m-%d").ok());
    hours_page(&state, &ctx, id, month, FormErrors::default()).await
}

/// The resident logs one day (hours and minutes; 0 removes the day).
pub(super) async fn log_hours(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let mut p = Vec::new();
    let day = form.req_date("day", &mut p);
    let hours = form.opt_int("hours", &mut p).unwrap_or(0);
    let minutes = form.opt_int("minutes", &mut p).unwrap_or(0);
    if !(0..=59).contains(&minutes) {
        p.push(
            FieldError::new("minutes", "out_of_range")
                .with("min", 0)
                .with("max", 59),
        );
    }
    let result = match (day, p.is_empty()) {
        (Some(day), true) => {
            state
                .services
                .log_hours(
                    &actor,
                    EngagementId(id),
                    DayEntry {
                        day,
                        minutes: hours.saturating_mul(60).saturating_add(minutes),
                        note: form.get("note").to_owned(),
                    },
                )
                .await
        }
        _ => Err(ValidationFailure(p).into()),
    };
    finish(
        &ctx,
        &state,
        "notice-hours-saved",
        result,
        |p| format!("/engagements/{id}/hours?month={}", p.starts_on),
        |errors| async { hours_page(&state, &ctx, id, day, errors).await },
    )
    .await
}

/// Sends, returns, approves or records as paid a period.
pub(super) async fn period_act(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path((id, what)): Path<(i64, String)>,
    form: FormData,
) -> Result<Response, AppError> {
    ctx.check_csrf(&form)?;
    let s = &state.services;
    let pid = PeriodId(id);
    let (notice, result) = match what.as_str() {
        "submit" => ("notice-submitted", s.submit_period(&actor, pid).await),
        "return" => (
            "notice-returned",
            s.return_period(&actor, pid, form.get("comment")).await,
        ),
        "approve" => ("notice-approved", s.approve_period(&actor, pid).await),
        "paid" => {
            let mut p = Vec::new();
            let r = match form.req_date("paid_on", &mut p) {
                Some(d) if p.is_empty() => s.mark_paid(&actor, pid, d).await,
                _ => Err(ValidationFailure(p).into()),
            };
            ("notice-paid", r)
        }
        _ => return Err(ServiceError::NotFound.into()),
    };
    let back = form.get("back");
    let (st, cx, who) = (&state, &ctx, &actor);
    finish(
        &ctx,
        &state,
        notice,
        result,
        |p| {
            if back.is_empty() {
                format!(
                    "/engagements/{}/hours?month={}",
                    p.engagement_id, p.starts_on
                )
            } else {
                crate::request::safe_next(Some(back))
            }
        },
        // Problems are shown on the month's page the button was on.
        |errors| async move {
            let p = st.services.pay_period(who, pid).await?;
            hours_page(st, cx, p.engagement_id.0, Some(p.starts_on), errors).await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "work/statement.html")]
struct StatementPage {
    frame: Frame,
    p: PayPeriod,
    e: Engagement,
    slip: PaySlip,
    /// (day, hours text, note).
    days: Vec<(NaiveDate, String, String)>,
    rate: String,
    hours: String,
    rule: String,
}

/// A pay statement: a page to print or save as PDF.
pub(super) async fn statement(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (p, e, days) = state.services.statement(&actor, PeriodId(id)).await?;
    let slip = PaySlip {
        minutes: p.minutes,
        amount_yen: p.amount_yen.unwrap_or(0),
        withholding_yen: p.withholding_yen.unwrap_or(0),
        net_yen: p.net_yen().unwrap_or(0),
    };
    let rate = ctx.tr.t1(
        &format!("posting-pay-{}", e.input.pay_kind.as_str()),
        "amount",
        ctx.tr.yen(e.input.rate_yen),
    );
    let rule = ctx
        .tr
        .t(&format!("statement-rule-{}", e.input.pay_kind.as_str()));
    Ok(render(&StatementPage {
        frame: ctx.frame("statement-title"),
        days: days
            .iter()
            .map(|d| (d.day, super::hours_text(ctx.tr, d.minutes), d.note.clone()))
            .collect(),
        hours: super::hours_text(ctx.tr, p.minutes),
        rate,
        rule,
        slip,
        p,
        e,
    }))
}

#[derive(Template)]
#[template(path = "work/payments.html")]
struct PaymentsPage {
    frame: Frame,
    org_id: OrganisationId,
    from: String,
    to: String,
    rows: Vec<PayPeriod>,
    total_gross: i64,
    total_withheld: i64,
    total_net: i64,
    today: String,
    errors: FormErrors,
}

/// The payment list's months and format.
#[derive(Debug, Deserialize)]
pub(super) struct PaymentsQuery {
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
}

fn month_param(s: Option<&str>) -> Result<Option<NaiveDate>, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(m) => NaiveDate::parse_from_str(m, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d"))
            .map(Some)
            .map_err(|_| {
                ServiceError::from(ValidationFailure::single("from_month", "date")).into()
            }),
    }
}

/// The organisation's payment list for some months, as a page, CSV or .xlsx.
pub(super) async fn payments(
    State(state): State<AppState>,
    Authed(ctx, actor): Authed,
    Path(id): Path<i64>,
    Query(q): Query<PaymentsQuery>,
) -> Result<Response, AppError> {
    let org = OrganisationId(id);
    let range = super::api_hire::month_range(
        month_param(q.from.as_deref())?,
        month_param(q.to.as_deref())?,
    );
    let rows = state.services.payments(&actor, org, range).await?;
    if let Some(f) = q.format.as_deref() {
        let format = TableFormat::parse(f).ok_or_else(|| {
            AppError::from(ServiceError::from(ValidationFailure::single(
                "format",
                "invalid_choice",
            )))
        })?;
        let tr = ctx.tr;
        let mut table = vec![
            [
                "payments-col-month",
                "payments-col-resident",
                "payments-col-work",
                "payments-col-minutes",
                "payments-col-gross",
                "payments-col-withheld",
                "payments-col-net",
                "payments-col-due",
                "payments-col-status",
                "payments-col-paid",
            ]
            .iter()
            .map(|k| tr.t(k))
            .collect::<Vec<_>>(),
        ];
        for p in &rows {
            table.push(vec![
                p.starts_on.format("%Y-%m").to_string(),
                p.resident_name.clone(),
                p.title.clone(),
                p.minutes.to_string(),
                p.amount_yen.unwrap_or(0).to_string(),
                p.withholding_yen.unwrap_or(0).to_string(),
                p.net_yen().unwrap_or(0).to_string(),
                p.due_on.map(|d| d.to_string()).unwrap_or_default(),
                tr.e("period_status", p.status.as_str()),
                p.paid_on.map(|d| d.to_string()).unwrap_or_default(),
            ]);
        }
        let stem = format!(
            "payments-{}-{}",
            range.0.format("%Y%m"),
            range.1.format("%Y%m")
        );
        return table_response(&table, format, &stem, true);
    }
    let total = |f: fn(&PayPeriod) -> i64| rows.iter().map(f).sum();
    Ok(render(&PaymentsPage {
        frame: ctx.frame("payments-title"),
        org_id: org,
        from: range.0.format("%Y-%m").to_string(),
        to: range.1.format("%Y-%m").to_string(),
        total_gross: total(|p| p.amount_yen.unwrap_or(0)),
        total_withheld: total(|p| p.withholding_yen.unwrap_or(0)),
        total_net: total(|p| p.net_yen().unwrap_or(0)),
        rows,
        today: jimoto_domain::calendar::today_jst().to_string(),
        errors: FormErrors::default(),
    }))
}
