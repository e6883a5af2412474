//! Pay: one period per engagement and calendar month (clipped to the contract), its amount from
//! the approved hours, income-tax withholding where the work requires it, and a payment date.
//!
//! The rounding rule, stated once: an hourly period's pay is its minutes × the hourly rate ÷ 60,
//! rounded to the nearest yen with half a yen rounded up (the rule for a month's wage total,
//! 昭和63年3月14日 基発第150号); a fixed monthly fee is paid whole for a full month and by
//! calendar days for a month the contract starts or ends in, rounded the same way; withholding
//! is cut down to the yen (国税通則法第119条).

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::posting::PayKind;
use crate::text_enum;

text_enum!(
    /// Where a pay period stands.
    PeriodStatus {
        /// Hours are being logged.
        Open = "open",
        /// Sent to the company for approval.
        Submitted = "submitted",
        /// Sent back with a comment; hours can be corrected and sent again.
        Returned = "returned",
        /// Approved: locked for everyone.
        Approved = "approved",
        /// Paid: locked.
        Paid = "paid",
    }
);

impl PeriodStatus {
    /// Approved and paid periods cannot change, by page or API, for anyone.
    pub fn locked(self) -> bool {
        matches!(self, Self::Approved | Self::Paid)
    }

    /// The resident may log hours (open, or returned for correction).
    pub fn loggable(self) -> bool {
        matches!(self, Self::Open | Self::Returned)
    }
}

/// The withholding settings (源泉徴収: 10.21% up to ¥1,000,000 a payment, 20.42% above; the
/// rates include the special reconstruction income tax until 2037).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayRules {
    /// Rate up to the threshold, in hundredths of a percent (1021 = 10.21%).
    pub withholding_basis_points: i64,
    /// Rate above the threshold, in hundredths of a percent.
    pub withholding_high_basis_points: i64,
    /// The threshold of one payment, in yen.
    pub withholding_threshold_yen: i64,
}

impl Default for PayRules {
    fn default() -> Self {
        Self {
            withholding_basis_points: 1021,
            withholding_high_basis_points: 2042,
            withholding_threshold_yen: 1_000_000,
        }
    }
}

/// `n / d` rounded to the nearest integer, halves up (both positive).
fn div_half_up(n: i64, d: i64) -> i64 {
    (2 * n + d) / (2 * d)
}

/// Days in a calendar month.
fn month_days(day: NaiveDate) -> i64 {
    let first = day.with_day(1).unwrap_or(day);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (next - first).num_days()
}

/// A period's pay before withholding: hourly minutes × rate ÷ 60, or the monthly fee for the
/// period's share of its month; see the module's rounding rule.
pub fn amount(
    kind: PayKind,
    rate_yen: i64,
    minutes: i64,
    starts: NaiveDate,
    ends: NaiveDate,
) -> i64 {
    match kind {
        PayKind::Hourly => div_half_up(minutes * rate_yen, 60),
        PayKind::Fixed => {
            let days = (ends - starts).num_days() + 1;
            let whole = month_days(starts);
            if days >= whole {
                rate_yen
            } else {
                div_half_up(rate_yen * days, whole)
            }
        }
    }
}

/// Income tax withheld from a fee of `amount` yen.
pub fn withholding(amount: i64, rules: PayRules) -> i64 {
    let low = amount.min(rules.withholding_threshold_yen);
    let high = (amount - rules.withholding_threshold_yen).max(0);
    (low * rules.withholding_basis_points + high * rules.withholding_high_basis_points) / 10_000
}

/// The calendar-month period holding `day` within a contract from `start` to `end`.
pub fn period_of(
    day: NaiveDate,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> (NaiveDate, NaiveDate) {
    let first = day.with_day(1).unwrap_or(day);
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|n| n.checked_sub_days(Days::new(1)))
        .unwrap_or(first);
    (first.max(start), end.map_or(last, |e| last.min(e)))
}

/// A period's figures once approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PaySlip {
    /// Minutes approved.
    pub minutes: i64,
    /// Pay before withholding.
    pub amount_yen: i64,
    /// Income tax withheld (0 where none is due).
    pub withholding_yen: i64,
    /// What is paid out.
    pub net_yen: i64,
}

impl PaySlip {
    /// A period's slip.
    pub fn of(
        kind: PayKind,
        rate_yen: i64,
        minutes: i64,
        (starts, ends): (NaiveDate, NaiveDate),
        withheld: bool,
        rules: PayRules,
    ) -> Self {
        let amount_yen = amount(kind, rate_yen, minutes, starts, ends);
        let withholding_yen = if withheld {
            withholding(amount_yen, rules)
        } else {
            0
        };
        Self {
            minutes,
            amount_yen,
            withholding_yen,
            net_yen: amount_yen - withholding_yen,
        }
    }
}

/// A pay period: one engagement's calendar month (clipped to the contract).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PayPeriod {
    /// Id.
    pub id: crate::ids::PeriodId,
    /// The engagement.
    pub engagement_id: crate::ids::EngagementId,
    /// The work (the posting's title).
    pub title: String,
    /// The organisation.
    pub organisation_id: crate::ids::OrganisationId,
    /// Its name.
    pub organisation_name: String,
    /// The resident's region.
    pub region_id: crate::ids::RegionId,
    /// The resident.
    pub resident_id: crate::ids::ResidentId,
    /// Their name.
    pub resident_name: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Where it stands.
    pub status: PeriodStatus,
    /// Minutes logged (fixed at approval).
    pub minutes: i64,
    /// Pay before withholding, fixed at approval.
    pub amount_yen: Option<i64>,
    /// Income tax withheld, fixed at approval.
    pub withholding_yen: Option<i64>,
    /// When the fee is due.
    pub due_on: Option<NaiveDate>,
    /// When it was sent for approval.
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When it was approved or returned.
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Who decided.
    pub decided_by: String,
    /// The company's comment when returned.
    pub comment: String,
    /// The day it was paid.
    pub paid_on: Option<NaiveDate>,
}

impl PayPeriod {
    /// What is paid out, once approved.
    pub fn net_yen(&self) -> Option<i64> {
        self.amount_yen
            .map(|a| a - self.withholding_yen.unwrap_or(0))
    }

    /// The month it belongs to (its first day's).
    pub fn month(&self) -> (i32, u32) {
        (self.starts_on.year(), self.starts_on.month())
    }
}

/// One day's hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DayEntry {
    /// The day.
    pub day: NaiveDate,
    /// Minutes worked.
    pub minutes: i64,
    /// What was done.
    #[serde(default)]
    pub note: String,
}

/// Income in one bucket (a month, a calendar year or a fiscal year).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Earned {
    /// Paid out (net of withholding).
    pub paid_yen: i64,
    /// Approved, not paid yet (net).
    pub approved_yen: i64,
    /// Income tax withheld from both.
    pub withheld_yen: i64,
    /// Before withholding (what income thresholds count).
    pub gross_yen: i64,
    /// Minutes behind it.
    pub minutes: i64,
}

impl Earned {
    /// Adds an approved or paid period.
    pub fn add(&mut self, p: &PayPeriod) {
        let (Some(amount), withheld) = (p.amount_yen, p.withholding_yen.unwrap_or(0)) else {
            return;
        };
        if p.status == PeriodStatus::Paid {
            self.paid_yen += amount - withheld;
        } else {
            self.approved_yen += amount - withheld;
        }
        self.withheld_yen += withheld;
        self.gross_yen += amount;
        self.minutes += p.minutes;
    }
}

/// Income of one month, calendar year or fiscal year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Bucket {
    /// The calendar year, or the fiscal year by the year its April falls in.
    pub year: i32,
    /// The month (1–12) for a month's bucket.
    pub month: Option<u32>,
    /// What was earned.
    pub earned: Earned,
}

/// Earnings by month, calendar year and fiscal year (April–March), each newest first. A period
/// counts in the month it belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Earnings {
    /// By month.
    pub months: Vec<Bucket>,
    /// By calendar year (January–December: what tax thresholds count).
    pub years: Vec<Bucket>,
    /// By fiscal year (April–March: what the region reports).
    pub fiscal_years: Vec<Bucket>,
}

impl Earnings {
    /// Sums approved and paid periods.
    pub fn of(periods: &[PayPeriod]) -> Self {
        use std::collections::BTreeMap;
        let mut months: BTreeMap<(i32, u32), Earned> = BTreeMap::new();
        let mut years: BTreeMap<i32, Earned> = BTreeMap::new();
        let mut fys: BTreeMap<i32, Earned> = BTreeMap::new();
        for p in periods.iter().filter(|p| p.status.locked()) {
            let (y, m) = p.month();
            months.entry((y, m)).or_default().add(p);
            years.entry(y).or_default().add(p);
            fys.entry(crate::calendar::FiscalYear::of(p.starts_on).0)
                .or_default()
                .add(p);
        }
        let bucket = |year, month, earned| Bucket {
            year,
            month,
            earned,
        };
        Self {
            months: months
                .into_iter()
                .rev()
                .map(|((y, m), e)| bucket(y, Some(m), e))
                .collect(),
            years: years
                .into_iter()
                .rev()
                .map(|(y, e)| bucket(y, None, e))
                .collect(),
            fiscal_years: fys
                .into_iter()
                .rev()
                .map(|(y, e)| bucket(y, None, e))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn hourly_pay_rounds_half_a_yen_up() {
        let m = (d("2024-01-01"), d("2024-01-31"));
        assert_eq!(amount(PayKind::Hourly, 1200, 50 * 60, m.0, m.1), 60_000);
        // 1 minute at ¥1,000: 16.67 → 17; at ¥1,030: 17.17 → 17; 1 minute at ¥1,230: 20.5 → 21.
        assert_eq!(amount(PayKind::Hourly, 1000, 1, m.0, m.1), 17);
        assert_eq!(amount(PayKind::Hourly, 1030, 1, m.0, m.1), 17);
        assert_eq!(amount(PayKind::Hourly, 1230, 1, m.0, m.1), 21);
        // 20.4 → 20.
        assert_eq!(amount(PayKind::Hourly, 1224, 1, m.0, m.1), 20);
        assert_eq!(amount(PayKind::Hourly, 1200, 0, m.0, m.1), 0);
    }

    #[test]
    fn a_fixed_fee_is_paid_by_calendar_days_in_a_part_month() {
        assert_eq!(
            amount(PayKind::Fixed, 40_000, 0, d("2024-02-01"), d("2024-02-29")),
            40_000
        );
        // 15 of 29 days (leap February): 20,689.66 → 20,690.
        assert_eq!(
            amount(PayKind::Fixed, 40_000, 0, d("2024-02-15"), d("2024-02-29")),
            20_690
        );
        // 10 of 31 days: 12,903.2 → 12,903.
        assert_eq!(
            amount(PayKind::Fixed, 40_000, 99, d("2023-12-22"), d("2023-12-31")),
            12_903
        );
    }

    #[test]
    fn withholding_is_10_21_percent_then_20_42_above_a_million() {
        let r = PayRules::default();
        assert_eq!(withholding(60_000, r), 6126);
        // 10.21% of ¥12,345 = 1,260.4245 → 1,260.
        assert_eq!(withholding(12_345, r), 1260);
        assert_eq!(withholding(1_000_000, r), 102_100);
        // ¥1,500,000: 102,100 + 20.42% of 500,000 = 204,200.
        assert_eq!(withholding(1_500_000, r), 204_200);
        assert_eq!(withholding(0, r), 0);
        // A changed setting takes effect.
        let r2 = PayRules {
            withholding_basis_points: 1000,
            ..r
        };
        assert_eq!(withholding(60_000, r2), 6000);
        let slip = PaySlip::of(
            PayKind::Hourly,
            1200,
            50 * 60,
            (d("2024-01-01"), d("2024-01-31")),
            true,
            r,
        );
        assert_eq!(
            slip,
            PaySlip {
                minutes: 3000,
                amount_yen: 60_000,
                withholding_yen: 6126,
                net_yen: 53_874
            }
        );
    }

    #[test]
    fn periods_are_calendar_months_clipped_to_the_contract() {
        let (s, e) = (d("2023-12-15"), Some(d("2024-03-14")));
        assert_eq!(
            period_of(d("2023-12-20"), s, e),
            (d("2023-12-15"), d("2023-12-31"))
        );
        assert_eq!(
            period_of(d("2024-02-29"), s, e),
            (d("2024-02-01"), d("2024-02-29"))
        );
        assert_eq!(
            period_of(d("2024-03-01"), s, e),
            (d("2024-03-01"), d("2024-03-14"))
        );
        assert_eq!(
            period_of(d("2024-03-31"), s, None),
            (d("2024-03-01"), d("2024-03-31"))
        );
    }
}
