//! Forecast: what N more courses of a kind are expected to yield in people in paid work, hours
//! and income, from the region's own history of that kind — the participants per course, the
//! share of participants who started paid work within a year of their first session (someone
//! already working before it is not the course's result), and what those people earned and
//! worked in that year. Every figure comes with a range and the assumptions
//! behind it, because a coordinator plans a budget with it and a small history is uncertain.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, ValidationFailure};
use crate::ids::ProgramId;
use crate::program::ProgramKind;

/// The days after a person's first session within which paid work counts as its result.
pub const WINDOW_DAYS: u64 = 365;

/// The most courses one forecast may ask for.
pub const MAX_COURSES: u32 = 50;

/// The two-sided 80% normal quantile: the ranges are 80% intervals (one in ten below, one in
/// ten above), wide enough to plan with and narrow enough to mean something.
const Z: f64 = 1.281_551_565_545;

/// A course of the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Course {
    /// Its program.
    pub program_id: ProgramId,
    /// Its title.
    pub title: String,
    /// Its first session.
    pub first: NaiveDate,
    /// Its last session.
    pub last: NaiveDate,
    /// Residents who attended at least one session.
    pub participants: i64,
}

/// A person of the history: their first session of the kind, and their contracts and pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Their first session of a course of the kind.
    pub first: NaiveDate,
    /// Their contracts: first and last day (none while it runs).
    pub contracts: Vec<(NaiveDate, Option<NaiveDate>)>,
    /// Their pay approved or paid: the period's first day, yen and minutes.
    pub pay: Vec<(NaiveDate, i64, i64)>,
}

/// What a forecast is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    /// The day it was read.
    pub as_of: NaiveDate,
    /// The courses of the kind held (with at least one participant).
    pub courses: Vec<Course>,
    /// Everyone who attended one of them.
    pub people: Vec<Person>,
}

/// A low, expected and high value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Range {
    /// The low end.
    pub low: f64,
    /// The expected value.
    pub expected: f64,
    /// The high end.
    pub high: f64,
}

/// The forecast with its assumptions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Forecast {
    /// The kind of course.
    pub kind: ProgramKind,
    /// How many more courses.
    pub courses: u32,
    /// The day the history was read.
    pub as_of: NaiveDate,
    /// The courses the history holds.
    pub history: Vec<Course>,
    /// Participants per course: fewest, mean, most.
    pub participants_per_course: Range,
    /// People whose first session was at least a year before `as_of` (the base of the share).
    pub people: i64,
    /// Of them, who started paid work within a year of their first session.
    pub in_work: i64,
    /// Of them, who were already working before their first session (not counted as started).
    pub working_before: i64,
    /// People whose first year is not over yet (left out of the share).
    pub maturing: i64,
    /// The share who started paid work, percent: 80% interval and estimate (none without
    /// people).
    pub share_percent: Option<Range>,
    /// Yen one person in work earned in that year: lower quartile, mean, upper quartile.
    pub income_per_person: Option<Range>,
    /// Hours one person in work worked in that year, on average.
    pub hours_per_person: Option<f64>,
    /// Expected participants of the new courses.
    pub participants: Range,
    /// Expected people in paid work (whole people at the ends).
    pub in_work_expected: Option<Range>,
    /// Expected yen they earn in their first year.
    pub income: Option<Range>,
    /// Expected hours they work in their first year.
    pub hours: Option<f64>,
}

/// Whether residents attend the kind session by session, which a forecast needs.
pub fn forecastable(kind: ProgramKind) -> bool {
    !matches!(
        kind,
        ProgramKind::CompanySeminar | ProgramKind::LocalSeminar | ProgramKind::WorkationTour
    )
}

/// Checks what was asked: a kind residents attend, and 1–50 courses.
pub fn check(kind: ProgramKind, courses: u32) -> Result<(), ValidationFailure> {
    let mut errors = Vec::new();
    if !forecastable(kind) {
        errors.push(FieldError::new("kind", "invalid_choice"));
    }
    if !(1..=MAX_COURSES).contains(&courses) {
        errors.push(
            FieldError::new("courses", "out_of_range")
                .with("min", 1)
                .with("max", MAX_COURSES),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ValidationFailure(errors))
    }
}

/// The Wilson score interval of `k` of `n`, as fractions: honest for small `n` and for shares
/// near 0 or 1, where the normal approximation runs outside [0, 1].
pub fn wilson(k: i64, n: i64) -> Option<(f64, f64)> {
    if n <= 0 {
        return None;
    }
    let n = n as f64;
    let p = k as f64 / n;
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// The value below which `q` of the sorted values lie (linear between neighbours).
fn quantile(sorted: &[i64], q: f64) -> f64 {
    match sorted.len() {
        0 => 0.0,
        1 => sorted[0] as f64,
        n => {
            let at = q * (n - 1) as f64;
            let lo = at.floor() as usize;
            let hi = at.ceil() as usize;
            let w = at - lo as f64;
            sorted[lo] as f64 * (1.0 - w) + sorted[hi] as f64 * w
        }
    }
}

/// What `courses` more courses are expected to yield, or `None` without a course in the history.
pub fn forecast(kind: ProgramKind, history: &History, courses: u32) -> Option<Forecast> {
    if history.courses.is_empty() {
        return None;
    }
    let n = f64::from(courses);
    let sizes: Vec<i64> = history.courses.iter().map(|c| c.participants).collect();
    let per_course = Range {
        low: sizes.iter().copied().min().unwrap_or(0) as f64,
        expected: sizes.iter().sum::<i64>() as f64 / sizes.len() as f64,
        high: sizes.iter().copied().max().unwrap_or(0) as f64,
    };
    // People whose year after their first session is over; the others are still maturing.
    let mut base = 0i64;
    let mut maturing = 0i64;
    let mut working_before = 0i64;
    let mut incomes: Vec<i64> = Vec::new();
    let mut minutes = 0i64;
    for p in &history.people {
        let Some(end) = p.first.checked_add_days(Days::new(WINDOW_DAYS)) else {
            continue;
        };
        if end > history.as_of {
            maturing += 1;
            continue;
        }
        base += 1;
        // Someone already working before the course did not find work through it.
        if p.contracts.iter().any(|(start, _)| *start < p.first) {
            working_before += 1;
            continue;
        }
        if !p.contracts.iter().any(|(start, _)| *start < end) {
            continue;
        }
        let year = p
            .pay
            .iter()
            .filter(|(on, _, _)| *on >= p.first && *on < end);
        incomes.push(year.clone().map(|(_, yen, _)| yen).sum());
        minutes += year.map(|(_, _, m)| m).sum::<i64>();
    }
    incomes.sort_unstable();
    let in_work = incomes.len() as i64;
    let share = wilson(in_work, base).map(|(lo, hi)| Range {
        low: lo * 100.0,
        expected: in_work as f64 * 100.0 / base as f64,
        high: hi * 100.0,
    });
    let income_per_person = (in_work > 0).then(|| Range {
        low: quantile(&incomes, 0.25),
        expected: incomes.iter().sum::<i64>() as f64 / in_work as f64,
        high: quantile(&incomes, 0.75),
    });
    let hours_per_person = (in_work > 0).then(|| minutes as f64 / 60.0 / in_work as f64);
    let participants = Range {
        low: n * per_course.low,
        expected: n * per_course.expected,
        high: n * per_course.high,
    };
    let in_work_expected = share.map(|s| Range {
        low: (participants.low * s.low / 100.0).floor(),
        expected: participants.expected * s.expected / 100.0,
        high: (participants.high * s.high / 100.0).ceil(),
    });
    let income = match (in_work_expected, income_per_person) {
        (Some(w), Some(i)) => Some(Range {
            low: w.low * i.low,
            expected: w.expected * i.expected,
            high: w.high * i.high,
        }),
        _ => None,
    };
    let hours = match (in_work_expected, hours_per_person) {
        (Some(w), Some(h)) => Some(w.expected * h),
        _ => None,
    };
    Some(Forecast {
        kind,
        courses,
        as_of: history.as_of,
        history: history.courses.clone(),
        participants_per_course: per_course,
        people: base,
        in_work,
        working_before,
        maturing,
        share_percent: share,
        income_per_person,
        hours_per_person,
        participants,
        in_work_expected,
        income,
        hours,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn course(id: i64, participants: i64) -> Course {
        Course {
            program_id: ProgramId(id),
            title: format!("IT基礎講座 {id}"),
            first: d(2023, 6, 1),
            last: d(2023, 7, 1),
            participants,
        }
    }

    fn person(first: NaiveDate, contract: Option<NaiveDate>, yen: i64) -> Person {
        Person {
            first,
            contracts: contract.map(|s| (s, None)).into_iter().collect(),
            pay: if yen > 0 {
                vec![(first, yen, 600)]
            } else {
                Vec::new()
            },
        }
    }

    #[test]
    fn the_wilson_interval_stays_within_zero_and_one_and_holds_the_share() {
        let (lo, hi) = wilson(0, 5).unwrap();
        assert!(lo == 0.0 && hi > 0.0 && hi < 0.5, "{lo} {hi}");
        let (lo, hi) = wilson(5, 5).unwrap();
        assert!(hi == 1.0 && lo > 0.5, "{lo} {hi}");
        let (lo, hi) = wilson(40, 100).unwrap();
        assert!(lo < 0.4 && hi > 0.4 && hi - lo < 0.14, "{lo} {hi}");
        // More people, a narrower range.
        let (lo2, hi2) = wilson(400, 1000).unwrap();
        assert!(hi2 - lo2 < (hi - lo) / 3.0);
        assert_eq!(wilson(0, 0), None);
    }

    #[test]
    fn courses_yield_people_in_work_and_income_in_proportion_with_a_range() {
        let as_of = d(2025, 6, 1);
        let first = d(2023, 6, 1);
        // Ten people: four started work after their first session, earning 100k–400k; one was
        // already working before it, which is not the course's result.
        let mut people: Vec<Person> = (0..5).map(|_| person(first, None, 0)).collect();
        people.push(person(first, Some(d(2023, 7, 1)), 100_000));
        people.push(person(first, Some(d(2023, 8, 1)), 200_000));
        people.push(person(first, Some(d(2023, 9, 1)), 300_000));
        people.push(person(first, Some(d(2024, 5, 1)), 400_000));
        people.push(person(first, Some(d(2022, 9, 1)), 900_000));
        // One who started recently is not counted yet.
        people.push(person(d(2025, 3, 1), Some(d(2025, 4, 1)), 50_000));
        let history = History {
            as_of,
            courses: vec![course(1, 8), course(2, 12)],
            people,
        };
        let f = forecast(ProgramKind::ItBasicsBeginner, &history, 3).unwrap();
        assert_eq!(
            (f.people, f.in_work, f.working_before, f.maturing),
            (10, 4, 1, 1)
        );
        assert_eq!(f.participants_per_course.expected, 10.0);
        assert_eq!(
            (
                f.participants.low,
                f.participants.expected,
                f.participants.high
            ),
            (24.0, 30.0, 36.0)
        );
        let share = f.share_percent.unwrap();
        assert_eq!(share.expected, 40.0);
        assert!(share.low < 40.0 && share.high > 40.0);
        let w = f.in_work_expected.unwrap();
        assert!((w.expected - 12.0).abs() < 1e-9, "30 people × 40%");
        assert!(w.low <= 12.0 && w.high >= 12.0 && w.low.fract() == 0.0);
        let per = f.income_per_person.unwrap();
        assert_eq!(
            (per.low, per.expected, per.high),
            (175_000.0, 250_000.0, 325_000.0)
        );
        assert!((f.income.unwrap().expected - 3_000_000.0).abs() < 1e-6);
        assert!((f.hours_per_person.unwrap() - 10.0).abs() < 1e-9);
        // Twice the courses, twice the people.
        let g = forecast(ProgramKind::ItBasicsBeginner, &history, 6).unwrap();
        assert!((g.in_work_expected.unwrap().expected - 24.0).abs() < 1e-9);
    }

    #[test]
    fn pay_outside_the_first_year_is_not_the_courses_result() {
        let first = d(2023, 6, 1);
        let mut p = person(first, Some(d(2023, 7, 1)), 100_000);
        p.pay.push((d(2024, 6, 1), 900_000, 6000));
        p.pay.push((d(2023, 5, 1), 900_000, 6000));
        let history = History {
            as_of: d(2025, 1, 1),
            courses: vec![course(1, 1)],
            people: vec![p],
        };
        let f = forecast(ProgramKind::Workshop, &history, 1).unwrap();
        assert_eq!(f.income_per_person.unwrap().expected, 100_000.0);
    }

    #[test]
    fn without_courses_there_is_no_forecast_and_without_work_no_income() {
        let empty = History {
            as_of: d(2025, 1, 1),
            courses: Vec::new(),
            people: Vec::new(),
        };
        assert!(forecast(ProgramKind::Workshop, &empty, 2).is_none());
        let history = History {
            as_of: d(2025, 1, 1),
            courses: vec![course(1, 3)],
            people: (0..3).map(|_| person(d(2023, 6, 1), None, 0)).collect(),
        };
        let f = forecast(ProgramKind::Workshop, &history, 2).unwrap();
        assert_eq!(f.in_work_expected.unwrap().expected, 0.0);
        assert!(
            f.in_work_expected.unwrap().high >= 1.0,
            "none so far is not none ever"
        );
        assert_eq!(f.income, None);
    }

    #[test]
    fn what_is_asked_is_checked() {
        assert!(check(ProgramKind::ItBasicsBeginner, 3).is_ok());
        let e = check(ProgramKind::WorkationTour, 0).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["kind", "courses"]);
        assert!(check(ProgramKind::Workshop, MAX_COURSES + 1).is_err());
    }
}
