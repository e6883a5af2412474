//! Engagements: the contract between an organisation and a resident, from an accepted offer.
//!
//! Outsourcing to an individual falls under the freelance act (特定受託事業者に係る取引の適正化等に
//! 関する法律, in force since 1 November 2024): the commissioning party must state the terms in
//! writing (Art. 3), pay no later than 60 days after receiving the work (Art. 4), and end a
//! contract of six months or more with 30 days' notice, giving the reason if asked (Art. 16).
//! [`Terms::problems`] and [`end_problems`] check these before a contract starts or ends.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::posting::{Category, ContractKind, PayKind};
use crate::error::FieldError;
use crate::growth::Channel;
use crate::ids::{ApplicationId, EngagementId, OrganisationId, PostingId, RegionId, ResidentId};
use crate::{limits, text_enum};

text_enum!(
    /// Where a contract stands.
    EngagementStatus {
        /// Written, not started (its terms may still be missing).
        Draft = "draft",
        /// Running.
        Active = "active",
        /// Ended.
        Ended = "ended",
    }
);

text_enum!(
    /// How the fee is paid.
    PaymentMethod {
        /// Bank transfer.
        BankTransfer = "bank_transfer",
        /// Cash.
        Cash = "cash",
        /// Anything else (digital money, an electronic bill): the act asks for it to be named.
        Other = "other",
    }
);

text_enum!(
    /// Why a contract ended (kept for retention figures).
    EndReason {
        /// It ran its term.
        Completed = "completed",
        /// It was renewed as a new contract.
        Renewed = "renewed",
        /// The trial was not continued.
        TrialNotContinued = "trial_not_continued",
        /// The resident's choice (health, family, other work).
        ResidentLeft = "resident_left",
        /// The organisation's choice.
        OrganisationEnded = "organisation_ended",
        /// Other.
        Other = "other",
    }
);

/// The written terms of an outsourcing contract (the freelance act's Art. 3 items that are not
/// already the contract's own fields: the fee is its rate, the parties its organisation and
/// resident, the period of service its start and end).
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema,
)]
pub struct Terms {
    /// 給付の内容: the work to be delivered.
    #[validate(length(max = limits::DESCRIPTION_MAX))]
    #[serde(default)]
    pub work_description: String,
    /// 業務委託をした日: the date of the order.
    #[serde(default)]
    pub order_date: Option<NaiveDate>,
    /// 給付を受領する期日: the delivery date of a one-off piece of work (a continuing service
    /// states its period instead: the contract's start and end).
    #[serde(default)]
    pub delivery_date: Option<NaiveDate>,
    /// 給付を受領する場所: where the work is delivered (e.g. a shared folder, the office).
    #[validate(length(max = limits::ADDRESS_MAX))]
    #[serde(default)]
    pub delivery_place: String,
    /// Whether the work is inspected before it is accepted.
    #[serde(default)]
    pub inspection: bool,
    /// 検査完了期日: days after delivery by which the inspection is complete.
    #[validate(range(min = limits::TERM_DAYS.0, max = limits::TERM_DAYS.1))]
    #[serde(default)]
    pub inspection_days: Option<i64>,
    /// 支払期日: days after delivery (or the end of each month's service) by which the fee is
    /// paid; at most 60.
    #[validate(range(min = limits::TERM_DAYS.0, max = limits::TERM_DAYS.1))]
    #[serde(default)]
    pub payment_due_days: Option<i64>,
    /// How the fee is paid.
    #[serde(default)]
    pub payment_method: Option<PaymentMethod>,
    /// The method, when it is neither cash nor a bank transfer.
    #[validate(length(max = limits::ADDRESS_MAX))]
    #[serde(default)]
    pub payment_method_detail: String,
}

/// The longest the act allows between receiving the work and paying for it (Art. 4).
pub const MAX_PAYMENT_DAYS: i64 = 60;
/// Notice for ending a contract of [`NOTICE_FROM_MONTHS`] or more early (Art. 16).
pub const NOTICE_DAYS: i64 = 30;
/// Contracts this long or longer need notice to end early.
pub const NOTICE_FROM_MONTHS: u32 = 6;

/// What a contract says: created from an accepted offer (or written directly by the company).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct EngagementInput {
    /// The contract after any trial.
    pub contract: ContractKind,
    /// Hourly or a fixed monthly fee.
    pub pay_kind: PayKind,
    /// The hourly rate or the monthly fee in yen (the act's 報酬の額).
    #[validate(range(min = limits::PAY_YEN.0, max = limits::PAY_YEN.1))]
    pub rate_yen: i64,
    /// Hours a week agreed.
    #[validate(range(min = limits::WEEK_HOURS.0, max = limits::WEEK_HOURS.1))]
    pub hours_per_week: i64,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day of the trial, if there is one.
    #[serde(default)]
    pub trial_end: Option<NaiveDate>,
    /// Last day (None: open-ended).
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// The written terms (checked for outsourcing).
    #[validate(nested)]
    #[serde(default)]
    pub terms: Terms,
}

impl EngagementInput {
    /// Trimmed text.
    #[must_use]
    pub fn normalised(mut self) -> Self {
        let t = &mut self.terms;
        t.work_description = t.work_description.trim().to_owned();
        t.delivery_place = t.delivery_place.trim().to_owned();
        t.payment_method_detail = t.payment_method_detail.trim().to_owned();
        if !t.inspection {
            t.inspection_days = None;
        }
        if t.payment_method != Some(PaymentMethod::Other) {
            t.payment_method_detail.clear();
        }
        self
    }

    /// Dates in order: the trial and the end after the start.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if let Some(t) = self.trial_end
            && t < self.start_date
        {
            out.push(FieldError::new("trial_end", "before_start"));
        }
        if let Some(e) = self.end_date
            && e < self.start_date
        {
            out.push(FieldError::new("end_date", "before_start"));
        }
        out
    }

    /// Before an outsourcing contract with an individual starts: every item the freelance act
    /// requires in writing, each missing one named, and a payment date no later than 60 days
    /// after delivery. `parties` are the organisation's and the resident's names.
    pub fn freelance_problems(&self, parties: (&str, &str)) -> Vec<FieldError> {
        let mut out = Vec::new();
        if self.contract != ContractKind::Outsourcing {
            return out;
        }
        let missing = |field: &str| FieldError::new(field, "freelance_missing");
        let t = &self.terms;
        if t.work_description.is_empty() {
            out.push(missing("terms.work_description"));
        }
        if self.rate_yen < 1 {
            out.push(missing("rate_yen"));
        }
        match t.payment_due_days {
            None => out.push(missing("terms.payment_due_days")),
            Some(d) if d > MAX_PAYMENT_DAYS => out.push(
                FieldError::new("terms.payment_due_days", "freelance_over_60_days")
                    .with("days", d)
                    .with("max", MAX_PAYMENT_DAYS),
            ),
            Some(_) => {}
        }
        if parties.0.trim().is_empty() {
            out.push(missing("organisation"));
        }
        if parties.1.trim().is_empty() {
            out.push(missing("resident"));
        }
        if t.order_date.is_none() {
            out.push(missing("terms.order_date"));
        }
        if t.delivery_date.is_none() && self.end_date.is_none() {
            out.push(missing("terms.delivery_date"));
        }
        if t.delivery_place.is_empty() {
            out.push(missing("terms.delivery_place"));
        }
        if t.inspection && t.inspection_days.is_none() {
            out.push(missing("terms.inspection_days"));
        }
        match t.payment_method {
            None => out.push(missing("terms.payment_method")),
            Some(PaymentMethod::Other) if t.payment_method_detail.is_empty() => {
                out.push(missing("terms.payment_method_detail"));
            }
            Some(_) => {}
        }
        out
    }
}

/// A contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Engagement {
    /// Id.
    pub id: EngagementId,
    /// The application it came from.
    pub application_id: Option<ApplicationId>,
    /// The posting.
    pub posting_id: Option<PostingId>,
    /// Its title (or the work described).
    pub title: String,
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// Its name.
    pub organisation_name: String,
    /// The resident's region.
    pub region_id: RegionId,
    /// The resident.
    pub resident_id: ResidentId,
    /// Their name.
    pub resident_name: String,
    /// How the resident first heard of the program (kept through hiring).
    pub channel: Channel,
    /// Kind of work (decides withholding).
    pub category: Category,
    /// Fee subject to income-tax withholding.
    pub withholding: bool,
    /// Status.
    pub status: EngagementStatus,
    /// The contract's terms.
    pub input: EngagementInput,
    /// When it started.
    pub started_at: Option<DateTime<Utc>>,
    /// When notice of an early end was given.
    pub notice_given_on: Option<NaiveDate>,
    /// The day it ended (or will end, once notice is given).
    pub ended_on: Option<NaiveDate>,
    /// Why.
    pub end_reason: Option<EndReason>,
    /// In words (given on request).
    pub end_reason_detail: String,
    /// The contract this one renews.
    pub renewed_from: Option<EngagementId>,
}

impl Engagement {
    /// The payment date of work delivered (or a month of service ending) on `delivered`.
    pub fn payment_due(&self, delivered: NaiveDate) -> Option<NaiveDate> {
        self.input
            .terms
            .payment_due_days
            .and_then(|d| delivered.checked_add_days(chrono::Days::new(d.unsigned_abs())))
    }

    /// Whether an early end needs notice: an outsourcing contract meant to last six months or
    /// more (counting the contracts it renews is the caller's: `months_before`).
    pub fn needs_notice(&self, months_before: u32) -> bool {
        if self.input.contract != ContractKind::Outsourcing {
            return false;
        }
        let Some(end) = self.input.end_date else {
            // Open-ended: continuing, so treated as long.
            return true;
        };
        let six = self.input.start_date.checked_add_months(Months::new(
            NOTICE_FROM_MONTHS.saturating_sub(months_before),
        ));
        six.is_some_and(|six| end >= six.pred_opt().unwrap_or(six))
    }
}

/// A renewal: a new contract that continues a running one on the same terms (changed while
/// it is a draft); starting it ends the one it renews, with the reason "renewed".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RenewInput {
    /// The renewal's first day (after the running contract's first day).
    pub start_date: NaiveDate,
    /// Its last day (None: open-ended).
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
}

impl RenewInput {
    /// The renewal's terms: `from`'s, over the new dates, ordered `today`, without a trial.
    pub fn terms(
        &self,
        from: &EngagementInput,
        today: NaiveDate,
    ) -> Result<EngagementInput, Vec<FieldError>> {
        let mut out = Vec::new();
        if self.start_date <= from.start_date {
            out.push(FieldError::new("start_date", "before_start"));
        }
        if self.end_date.is_some_and(|e| e < self.start_date) {
            out.push(FieldError::new("end_date", "before_start"));
        }
        if !out.is_empty() {
            return Err(out);
        }
        let mut input = from.clone();
        input.start_date = self.start_date;
        input.end_date = self.end_date;
        input.trial_end = None;
        input.terms.order_date = Some(today);
        input.terms.delivery_date = None;
        Ok(input)
    }

    /// The dates proposed for renewing `from`: the day after its end, for as long again.
    pub fn proposed(from: &EngagementInput, today: NaiveDate) -> Self {
        let start = from
            .end_date
            .and_then(|e| e.succ_opt())
            .unwrap_or(today)
            .max(from.start_date.succ_opt().unwrap_or(from.start_date));
        // Whole months stay whole months (Nov 1–Jan 31 is renewed as Feb 1–Apr 30).
        let end = from.end_date.map(|e| {
            let next = e.succ_opt().unwrap_or(e);
            let months = (next.year() * 12 + next.month0() as i32)
                - (from.start_date.year() * 12 + from.start_date.month0() as i32);
            match u32::try_from(months) {
                Ok(m)
                    if m > 0
                        && from.start_date.checked_add_months(Months::new(m)) == Some(next) =>
                {
                    start
                        .checked_add_months(Months::new(m))
                        .and_then(|d| d.pred_opt())
                        .unwrap_or(start)
                }
                _ => start + (e - from.start_date),
            }
        });
        Self {
            start_date: start,
            end_date: end,
        }
    }
}

/// How a contract is ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct EndInput {
    /// The day notice is given (today, unless it was given earlier in writing).
    pub notice_on: NaiveDate,
    /// The last day of work.
    pub end_on: NaiveDate,
    /// Why.
    pub reason: EndReason,
    /// The resident asked for the reason (the act then requires it in words).
    #[serde(default)]
    pub reason_asked: bool,
    /// The reason in words.
    #[validate(length(max = limits::NOTE_MAX))]
    #[serde(default)]
    pub reason_detail: String,
}

/// What ending a contract early must respect: 30 days' notice for a contract that needs it, and
/// the reason when the resident asked for it.
pub fn end_problems(
    e: &Engagement,
    months_before: u32,
    notice_on: NaiveDate,
    end_on: NaiveDate,
    reason_asked: bool,
    reason_detail: &str,
) -> Vec<FieldError> {
    let mut out = Vec::new();
    if end_on < e.input.start_date {
        out.push(FieldError::new("ended_on", "before_start"));
    }
    let early = e.input.end_date.is_none_or(|planned| end_on < planned);
    if early && e.needs_notice(months_before) {
        let earliest = notice_on + chrono::Days::new(NOTICE_DAYS.unsigned_abs());
        if end_on < earliest {
            out.push(
                FieldError::new("ended_on", "notice_30_days")
                    .with("earliest", earliest)
                    .with("days", NOTICE_DAYS),
            );
        }
    }
    if reason_asked && reason_detail.trim().is_empty() {
        out.push(FieldError::new("end_reason_detail", "reason_asked"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn full() -> EngagementInput {
        EngagementInput {
            contract: ContractKind::Outsourcing,
            pay_kind: PayKind::Hourly,
            rate_yen: 1200,
            hours_per_week: 12,
            start_date: d("2023-12-01"),
            trial_end: Some(d("2024-02-29")),
            end_date: Some(d("2024-02-29")),
            terms: Terms {
                work_description: "ウェビナー運営補助".into(),
                order_date: Some(d("2023-11-24")),
                delivery_date: None,
                delivery_place: "共有フォルダ".into(),
                inspection: false,
                inspection_days: None,
                payment_due_days: Some(30),
                payment_method: Some(PaymentMethod::BankTransfer),
                payment_method_detail: String::new(),
            },
        }
    }

    fn fields(v: &[FieldError]) -> Vec<(&str, &str)> {
        v.iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect()
    }

    #[test]
    fn complete_terms_pass_and_each_missing_item_is_named() {
        assert!(
            full()
                .freelance_problems(("コグニティ", "山田 花子"))
                .is_empty()
        );
        let mut e = full();
        e.terms.payment_due_days = None;
        assert_eq!(
            fields(&e.freelance_problems(("コグニティ", "山田 花子"))),
            [("terms.payment_due_days", "freelance_missing")]
        );
        let mut e = full();
        e.terms.payment_due_days = Some(61);
        let p = e.freelance_problems(("コグニティ", "山田 花子"));
        assert_eq!(
            fields(&p),
            [("terms.payment_due_days", "freelance_over_60_days")]
        );
        assert_eq!(p[0].params["days"], "61");
        e.terms.payment_due_days = Some(60);
        assert!(e.freelance_problems(("a", "b")).is_empty());

        let blank = EngagementInput {
            rate_yen: 0,
            end_date: None,
            terms: Terms {
                inspection: true,
                payment_method: Some(PaymentMethod::Other),
                ..Terms::default()
            },
            ..full()
        };
        assert_eq!(
            fields(&blank.freelance_problems(("", " "))),
            [
                ("terms.work_description", "freelance_missing"),
                ("rate_yen", "freelance_missing"),
                ("terms.payment_due_days", "freelance_missing"),
                ("organisation", "freelance_missing"),
                ("resident", "freelance_missing"),
                ("terms.order_date", "freelance_missing"),
                ("terms.delivery_date", "freelance_missing"),
                ("terms.delivery_place", "freelance_missing"),
                ("terms.inspection_days", "freelance_missing"),
                ("terms.payment_method_detail", "freelance_missing"),
            ]
        );
        // Employment is not under the act.
        let employment = EngagementInput {
            contract: ContractKind::Employment,
            ..blank
        };
        assert!(employment.freelance_problems(("", "")).is_empty());
    }

    fn engagement(input: EngagementInput) -> Engagement {
        Engagement {
            id: EngagementId(1),
            application_id: None,
            posting_id: None,
            title: String::new(),
            organisation_id: OrganisationId(1),
            organisation_name: String::new(),
            region_id: RegionId(1),
            resident_id: ResidentId(1),
            resident_name: String::new(),
            channel: Channel::Unknown,
            category: Category::Other,
            withholding: false,
            status: EngagementStatus::Active,
            input,
            started_at: None,
            notice_given_on: None,
            ended_on: None,
            end_reason: None,
            end_reason_detail: String::new(),
            renewed_from: None,
        }
    }

    #[test]
    fn ending_a_long_contract_early_needs_thirty_days_notice() {
        // Three months: no notice needed.
        let short = engagement(full());
        assert!(!short.needs_notice(0));
        assert!(end_problems(&short, 0, d("2024-01-10"), d("2024-01-10"), false, "").is_empty());
        // Six months: 2023-12-01 … 2024-05-31.
        let long = engagement(EngagementInput {
            end_date: Some(d("2024-05-31")),
            ..full()
        });
        assert!(long.needs_notice(0));
        let p = end_problems(&long, 0, d("2024-01-10"), d("2024-02-08"), false, "");
        assert_eq!(fields(&p), [("ended_on", "notice_30_days")]);
        assert_eq!(p[0].params["earliest"], "2024-02-09");
        assert!(end_problems(&long, 0, d("2024-01-10"), d("2024-02-09"), false, "").is_empty());
        // Ending on the planned day is not early.
        assert!(end_problems(&long, 0, d("2024-05-31"), d("2024-05-31"), false, "").is_empty());
        // A three-month renewal of a three-month contract counts as six months.
        assert!(short.needs_notice(3));
        // Asked for the reason: it must be given.
        assert_eq!(
            fields(&end_problems(
                &long,
                0,
                d("2024-01-10"),
                d("2024-03-01"),
                true,
                " "
            )),
            [("end_reason_detail", "reason_asked")]
        );
        assert!(
            !engagement(EngagementInput {
                contract: ContractKind::Employment,
                end_date: None,
                ..full()
            })
            .needs_notice(0)
        );
    }

    #[test]
    fn the_payment_date_follows_delivery() {
        let e = engagement(full());
        assert_eq!(e.payment_due(d("2023-12-31")), Some(d("2024-01-30")));
    }

    #[test]
    fn a_renewal_continues_on_the_same_terms_for_as_long_again() {
        let mut from = full();
        from.start_date = d("2023-11-01");
        from.trial_end = Some(d("2024-01-31"));
        from.end_date = Some(d("2024-01-31"));
        let p = RenewInput::proposed(&from, d("2024-01-20"));
        assert_eq!(
            (p.start_date, p.end_date),
            (d("2024-02-01"), Some(d("2024-04-30")))
        );
        let t = p.terms(&from, d("2024-01-20")).unwrap();
        assert_eq!(t.trial_end, None);
        assert_eq!(t.terms.order_date, Some(d("2024-01-20")));
        assert_eq!(t.rate_yen, from.rate_yen);
        let bad = RenewInput {
            start_date: d("2023-11-01"),
            end_date: Some(d("2023-10-01")),
        };
        let codes: Vec<_> = bad
            .terms(&from, d("2024-01-20"))
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            codes,
            [
                ("start_date".to_owned(), "before_start".to_owned()),
                ("end_date".to_owned(), "before_start".to_owned())
            ]
        );
    }
}
