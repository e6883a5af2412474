//! Income thresholds (扶養の壁): amounts of yearly income above which a resident's taxes, their
//! family's deductions or their insurance change. They are dated settings (each holds from its
//! first day until the next of its kind), never constants: from 2025 the income-tax threshold on
//! wages rose from ¥1,030,000 to ¥1,600,000 and the spouse deduction's from ¥1,030,000 to
//! ¥1,230,000.
//!
//! Tax thresholds run by calendar year (January–December), counted by the day pay is paid; the
//! health-insurance dependant threshold looks ahead twelve months from now; the social-insurance
//! one is a monthly wage (¥88,000, about ¥1,060,000 a year) at larger employers.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::text_enum;

text_enum!(
    /// Which threshold.
    ThresholdKind {
        /// 所得税: income tax starts on wages above it (年収の壁).
        IncomeTax = "income_tax",
        /// 配偶者控除・扶養控除: a spouse or parent loses the deduction for you above it.
        Spouse = "spouse",
        /// 健康保険の被扶養者: above it (expected over the next twelve months) you leave your
        /// family's health insurance and pay your own.
        HealthInsurance = "health_insurance",
        /// 社会保険の加入: above it, at an employer of 51 or more, you join its insurance.
        SocialInsurance = "social_insurance",
    }
);

impl ThresholdKind {
    /// Whether the threshold is judged on the calendar year (else on the next twelve months).
    pub fn by_calendar_year(self) -> bool {
        matches!(self, Self::IncomeTax | Self::Spouse)
    }

    /// Whether only wages from employment count (social insurance follows employment).
    pub fn employment_only(self) -> bool {
        matches!(self, Self::SocialInsurance)
    }
}

/// One dated threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Threshold {
    /// Id.
    pub id: i64,
    /// Which.
    pub kind: ThresholdKind,
    /// The amount, in yen a year.
    pub amount_yen: i64,
    /// First day it holds.
    pub valid_from: NaiveDate,
}

/// The threshold of a kind in force on a day: the latest one starting on or before it.
pub fn in_force(all: &[Threshold], kind: ThresholdKind, day: NaiveDate) -> Option<&Threshold> {
    all.iter()
        .filter(|t| t.kind == kind && t.valid_from <= day)
        .max_by_key(|t| t.valid_from)
}

/// A resident's income as the projection reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct IncomeSoFar {
    /// Paid, or approved and due, in the calendar year up to today.
    pub year_to_date_yen: i64,
    /// Logged but not yet approved in the year.
    pub pending_yen: i64,
    /// A month's pay lately: the average of the last three months with approved work (0 with
    /// none yet).
    pub monthly_pace_yen: i64,
    /// The same, from employment only.
    pub monthly_employment_pace_yen: i64,
}

text_enum!(
    /// How close a resident is to a threshold.
    Closeness {
        /// Already above it.
        Crossed = "crossed",
        /// Expected to cross it.
        WillCross = "will_cross",
        /// Within the warning margin of it.
        Near = "near",
        /// Comfortably below it.
        Clear = "clear",
    }
);

/// Warn when the projection reaches this share of a threshold, in percent: early enough to
/// change hours.
pub const NEAR_PERCENT: i64 = 80;

/// A threshold with the projection's arithmetic, for the page to explain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Projection {
    /// Which threshold, and its amount.
    pub threshold: Threshold,
    /// Counted so far (calendar-year thresholds: this year; else 0).
    pub so_far_yen: i64,
    /// Logged, awaiting approval.
    pub pending_yen: i64,
    /// A month's pay lately.
    pub monthly_pace_yen: i64,
    /// Months the pace is multiplied by: those left in the year, or twelve.
    pub months: i64,
    /// so_far + pending + pace × months.
    pub projected_yen: i64,
    /// How close.
    pub closeness: Closeness,
}

/// Projects a resident's income against a threshold on `today`: a calendar-year threshold adds
/// what is counted so far, what awaits approval and the monthly pace for each month left after
/// this one; the twelve-month ones take the pace for twelve months.
pub fn project(threshold: &Threshold, income: IncomeSoFar, today: NaiveDate) -> Projection {
    let kind = threshold.kind;
    let pace = if kind.employment_only() {
        income.monthly_employment_pace_yen
    } else {
        income.monthly_pace_yen
    };
    let (so_far, pending, months) = if kind.by_calendar_year() {
        (
            income.year_to_date_yen,
            income.pending_yen,
            i64::from(12 - today.month()),
        )
    } else {
        (0, 0, 12)
    };
    let projected = so_far + pending + pace * months;
    let amount = threshold.amount_yen;
    let closeness = if so_far > amount && kind.by_calendar_year() {
        Closeness::Crossed
    } else if projected > amount {
        Closeness::WillCross
    } else if projected * 100 >= amount * NEAR_PERCENT {
        Closeness::Near
    } else {
        Closeness::Clear
    };
    Projection {
        threshold: threshold.clone(),
        so_far_yen: so_far,
        pending_yen: pending,
        monthly_pace_yen: pace,
        months,
        projected_yen: projected,
        closeness,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(kind: ThresholdKind, amount: i64, from: &str) -> Threshold {
        Threshold {
            id: 0,
            kind,
            amount_yen: amount,
            valid_from: d(from),
        }
    }

    #[test]
    fn the_threshold_in_force_is_the_latest_started() {
        let all = vec![
            t(ThresholdKind::IncomeTax, 1_030_000, "2020-01-01"),
            t(ThresholdKind::IncomeTax, 1_600_000, "2025-01-01"),
            t(ThresholdKind::Spouse, 1_230_000, "2025-01-01"),
        ];
        let k = ThresholdKind::IncomeTax;
        assert_eq!(
            in_force(&all, k, d("2024-12-31")).unwrap().amount_yen,
            1_030_000
        );
        assert_eq!(
            in_force(&all, k, d("2025-01-01")).unwrap().amount_yen,
            1_600_000
        );
        assert!(in_force(&all, ThresholdKind::Spouse, d("2024-06-01")).is_none());
    }

    #[test]
    fn a_calendar_year_projection_adds_the_months_left() {
        let th = t(ThresholdKind::IncomeTax, 1_600_000, "2025-01-01");
        // 30 September: 900,000 so far, 60,000 pending, 120,000 a month for Oct–Dec.
        let income = IncomeSoFar {
            year_to_date_yen: 900_000,
            pending_yen: 60_000,
            monthly_pace_yen: 120_000,
            monthly_employment_pace_yen: 0,
        };
        let p = project(&th, income, d("2025-09-30"));
        assert_eq!((p.months, p.projected_yen), (3, 1_320_000));
        assert_eq!(p.closeness, Closeness::Near);
        // Around the threshold: exactly at it is not over it; a yen more is.
        let at = IncomeSoFar {
            year_to_date_yen: 1_240_000,
            ..income
        };
        assert_eq!(project(&th, at, d("2025-09-30")).projected_yen, 1_660_000);
        assert_eq!(
            project(&th, at, d("2025-09-30")).closeness,
            Closeness::WillCross
        );
        let exact = IncomeSoFar {
            year_to_date_yen: 1_180_000,
            ..income
        };
        assert_eq!(
            project(&th, exact, d("2025-09-30")).closeness,
            Closeness::Near
        );
        let over = IncomeSoFar {
            year_to_date_yen: 1_600_001,
            ..income
        };
        assert_eq!(
            project(&th, over, d("2025-12-31")).closeness,
            Closeness::Crossed
        );
        let low = IncomeSoFar {
            year_to_date_yen: 100_000,
            pending_yen: 0,
            monthly_pace_yen: 10_000,
            monthly_employment_pace_yen: 0,
        };
        assert_eq!(
            project(&th, low, d("2025-03-31")).closeness,
            Closeness::Clear
        );
    }

    #[test]
    fn health_insurance_looks_twelve_months_ahead() {
        let th = t(ThresholdKind::HealthInsurance, 1_300_000, "2020-01-01");
        // ¥108,334 a month is ¥1,300,008 over twelve months: over; ¥108,333 is ¥1,299,996.
        let over = IncomeSoFar {
            monthly_pace_yen: 108_334,
            ..IncomeSoFar::default()
        };
        let p = project(&th, over, d("2025-01-15"));
        assert_eq!(
            (p.months, p.projected_yen, p.closeness),
            (12, 1_300_008, Closeness::WillCross)
        );
        let under = IncomeSoFar {
            monthly_pace_yen: 108_333,
            year_to_date_yen: 5_000_000,
            ..IncomeSoFar::default()
        };
        assert_eq!(
            project(&th, under, d("2025-11-15")).closeness,
            Closeness::Near
        );
        // Social insurance counts employment only.
        let si = t(ThresholdKind::SocialInsurance, 1_060_000, "2020-01-01");
        let fees = IncomeSoFar {
            monthly_pace_yen: 200_000,
            ..IncomeSoFar::default()
        };
        assert_eq!(
            project(&si, fees, d("2025-01-15")).closeness,
            Closeness::Clear
        );
    }
}
