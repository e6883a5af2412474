//! Retention: how long people stay in the work they were hired for. A contract and the
//! contracts that renew it are one *tenure* with one organisation; retention at N months is the
//! share of tenures that lasted N months, among those that started at least N months before the
//! day the figures are taken (a tenure too young to have reached the mark is left out rather
//! than counted as a loss or a success, so young cohorts do not bend the figure).

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::engagement::{EndReason, EngagementStatus};
use crate::ids::{EngagementId, OrganisationId, RegionId};

/// The marks retention is reported at, in months.
pub const MILESTONES: [u32; 3] = [3, 6, 12];

/// One started contract, as retention needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The contract.
    pub id: EngagementId,
    /// The contract it renews.
    pub renewed_from: Option<EngagementId>,
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// The resident's region.
    pub region_id: RegionId,
    /// Active or ended (drafts never started and are not spans).
    pub status: EngagementStatus,
    /// First day.
    pub start: NaiveDate,
    /// The last day agreed (None: open-ended).
    pub end_date: Option<NaiveDate>,
    /// The day it ended, or will end once notice is given.
    pub ended_on: Option<NaiveDate>,
    /// Why it ended.
    pub end_reason: Option<EndReason>,
}

impl Span {
    /// Its last day as known on `as_of`: the day it ended; a running contract whose agreed
    /// end has passed ran its term; otherwise it is still running (None).
    fn last_day(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        match self.ended_on.or(self.end_date) {
            Some(d) if d < as_of => Some(d),
            Some(_) => None,
            None if self.status == EngagementStatus::Ended => Some(self.start),
            None => None,
        }
    }
}

/// A contract with its renewals: one person's time with one organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenure {
    /// The first contract.
    pub first: EngagementId,
    /// The organisation.
    pub organisation_id: OrganisationId,
    /// The resident's region.
    pub region_id: RegionId,
    /// The first day of the first contract.
    pub start: NaiveDate,
    /// The last day of the last contract (None: still running).
    pub last_day: Option<NaiveDate>,
    /// How many times it was renewed.
    pub renewals: u32,
    /// Why the last contract ended (None: running, or it ran its agreed term unclosed).
    pub end_reason: Option<EndReason>,
}

impl Tenure {
    /// Joins each contract to the one it renews, as things stood on `as_of` (contracts that
    /// start later are left out). A renewal whose first contract is outside `spans` (another
    /// scope) starts its own tenure.
    pub fn from_spans(spans: &[Span], as_of: NaiveDate) -> Vec<Tenure> {
        use std::collections::HashMap;
        let spans: Vec<&Span> = spans.iter().filter(|s| s.start <= as_of).collect();
        let by_id: HashMap<EngagementId, &Span> = spans.iter().map(|s| (s.id, *s)).collect();
        // The latest renewal of each contract (a contract is renewed at most once in practice;
        // should two renew it, the later start wins).
        let mut next: HashMap<EngagementId, &Span> = HashMap::new();
        for s in spans.iter().copied() {
            if let Some(from) = s.renewed_from.filter(|f| by_id.contains_key(f)) {
                let e = next.entry(from).or_insert(s);
                if s.start > e.start {
                    *e = s;
                }
            }
        }
        let mut out = Vec::new();
        for root in spans
            .iter()
            .copied()
            .filter(|s| s.renewed_from.is_none_or(|f| !by_id.contains_key(&f)))
        {
            let mut last = root;
            let mut renewals = 0;
            while let Some(n) = next.get(&last.id) {
                last = n;
                renewals += 1;
                if renewals > spans.len() as u32 {
                    break; // a cycle in bad data; never loop forever
                }
            }
            let last_day = last.last_day(as_of);
            out.push(Tenure {
                first: root.id,
                organisation_id: root.organisation_id,
                region_id: root.region_id,
                start: root.start,
                last_day,
                renewals,
                end_reason: last_day.and(last.end_reason),
            });
        }
        out
    }

    /// Whether it lasted `months` full months (the day after its last day is on or after the
    /// mark).
    pub fn lasted(&self, months: u32) -> bool {
        let Some(mark) = self.start.checked_add_months(Months::new(months)) else {
            return false;
        };
        self.last_day
            .is_none_or(|d| d.succ_opt().is_some_and(|next| next >= mark))
    }

    /// Whether the mark has been reached on `as_of` (so the tenure counts at that mark).
    pub fn reached(&self, months: u32, as_of: NaiveDate) -> bool {
        self.start
            .checked_add_months(Months::new(months))
            .is_some_and(|mark| mark <= as_of)
    }
}

/// Retention at one mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Milestone {
    /// Months.
    pub months: u32,
    /// Tenures old enough to have reached the mark.
    pub eligible: u32,
    /// Of those, how many lasted to it.
    pub retained: u32,
}

impl Milestone {
    /// The share retained, in whole percent (half up); None with nothing to count.
    pub fn percent(&self) -> Option<u32> {
        (self.eligible > 0).then(|| (self.retained * 200 + self.eligible) / (self.eligible * 2))
    }
}

/// How many tenures ended for one reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReasonCount {
    /// The reason (None: the contract ran its agreed term and was not closed).
    pub reason: Option<EndReason>,
    /// How many.
    pub count: u32,
}

/// Retention figures of a group of tenures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Retention {
    /// Tenures (people × organisation, renewals joined).
    pub tenures: u32,
    /// Still running.
    pub running: u32,
    /// Renewals in all.
    pub renewals: u32,
    /// The median length in days of the tenures (running ones to the day the figures are taken).
    pub median_days: Option<i64>,
    /// Retention at 3, 6 and 12 months.
    pub milestones: Vec<Milestone>,
    /// Why ended tenures ended.
    pub ended_by: Vec<ReasonCount>,
}

impl Retention {
    /// The figures of `tenures` on `as_of`.
    pub fn of<'a>(tenures: impl IntoIterator<Item = &'a Tenure>, as_of: NaiveDate) -> Self {
        let tenures: Vec<&Tenure> = tenures.into_iter().collect();
        let mut lengths: Vec<i64> = tenures
            .iter()
            .map(|t| (t.last_day.unwrap_or(as_of).min(as_of) - t.start).num_days() + 1)
            .collect();
        lengths.sort_unstable();
        let median_days = match lengths.len() {
            0 => None,
            n if n % 2 == 1 => Some(lengths[n / 2]),
            n => Some((lengths[n / 2 - 1] + lengths[n / 2]) / 2),
        };
        let milestones = MILESTONES
            .iter()
            .map(|&months| {
                let eligible: Vec<_> = tenures
                    .iter()
                    .filter(|t| t.reached(months, as_of))
                    .collect();
                Milestone {
                    months,
                    eligible: eligible.len() as u32,
                    retained: eligible.iter().filter(|t| t.lasted(months)).count() as u32,
                }
            })
            .collect();
        let mut ended_by: Vec<ReasonCount> = Vec::new();
        for t in tenures.iter().filter(|t| t.last_day.is_some()) {
            match ended_by.iter_mut().find(|r| r.reason == t.end_reason) {
                Some(r) => r.count += 1,
                None => ended_by.push(ReasonCount {
                    reason: t.end_reason,
                    count: 1,
                }),
            }
        }
        ended_by.sort_by_key(|r| std::cmp::Reverse(r.count));
        Retention {
            tenures: tenures.len() as u32,
            running: tenures.iter().filter(|t| t.last_day.is_none()).count() as u32,
            renewals: tenures.iter().map(|t| t.renewals).sum(),
            median_days,
            milestones,
            ended_by,
        }
    }
}

/// What a retention report's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// One row per organisation (a region's figures).
    Organisation,
    /// One row per region (an organisation's figures).
    Region,
}

/// Retention of one organisation or one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RetentionRow {
    /// The organisation (on a region's figures) or the region (on an organisation's).
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The figures.
    pub figures: Retention,
}

/// Retention figures per organisation or per region, and in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RetentionReport {
    /// The day the figures are taken on.
    pub as_of: NaiveDate,
    /// One row per group, by name.
    pub rows: Vec<RetentionRow>,
    /// All of them together.
    pub total: Retention,
}

impl RetentionReport {
    /// The report of `spans` (each with its organisation's and region's names) on `as_of`.
    pub fn of(spans: &[(Span, &str, &str)], as_of: NaiveDate, by: GroupBy) -> Self {
        let plain: Vec<Span> = spans.iter().map(|s| s.0.clone()).collect();
        let tenures = Tenure::from_spans(&plain, as_of);
        let key = |organisation: OrganisationId, region: RegionId| match by {
            GroupBy::Organisation => organisation.0,
            GroupBy::Region => region.0,
        };
        let mut groups: Vec<(i64, String)> = Vec::new();
        for (s, org, region) in spans {
            let id = key(s.organisation_id, s.region_id);
            if !groups.iter().any(|(g, _)| *g == id) {
                let name = if by == GroupBy::Organisation {
                    org
                } else {
                    region
                };
                groups.push((id, (*name).to_owned()));
            }
        }
        groups.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        let rows = groups
            .into_iter()
            .map(|(id, name)| RetentionRow {
                figures: Retention::of(
                    tenures
                        .iter()
                        .filter(|t| key(t.organisation_id, t.region_id) == id),
                    as_of,
                ),
                id,
                name,
            })
            .filter(|r| r.figures.tenures > 0)
            .collect();
        RetentionReport {
            as_of,
            rows,
            total: Retention::of(&tenures, as_of),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn span(id: i64, from: Option<i64>, start: &str, end: Option<&str>, ended: bool) -> Span {
        Span {
            id: EngagementId(id),
            renewed_from: from.map(EngagementId),
            organisation_id: OrganisationId(1),
            region_id: RegionId(1),
            status: if ended {
                EngagementStatus::Ended
            } else {
                EngagementStatus::Active
            },
            start: day(start),
            end_date: end.map(day),
            ended_on: if ended { end.map(day) } else { None },
            end_reason: ended.then_some(if from.is_none() && id == 1 {
                EndReason::Renewed
            } else {
                EndReason::ResidentLeft
            }),
        }
    }

    #[test]
    fn renewals_join_into_one_tenure_and_count_at_each_mark() {
        let as_of = day("2025-01-01");
        let spans = [
            // 3-month trial renewed for 6 more months: 9 months in all.
            span(1, None, "2024-01-01", Some("2024-03-31"), true),
            span(2, Some(1), "2024-04-01", Some("2024-09-30"), true),
            // Left after two months.
            span(3, None, "2024-02-01", Some("2024-03-31"), true),
            // Ran its 3-month term, never closed.
            span(4, None, "2024-05-01", Some("2024-07-31"), false),
            // Open-ended and running since November: too young for any mark.
            span(5, None, "2024-11-01", None, false),
        ];
        let t = Tenure::from_spans(&spans, as_of);
        assert_eq!(t.len(), 4);
        assert_eq!(t[0].renewals, 1);
        assert_eq!(t[0].last_day, Some(day("2024-09-30")));
        assert_eq!(t[0].end_reason, Some(EndReason::ResidentLeft));
        assert_eq!(t[2].last_day, Some(day("2024-07-31")));
        assert_eq!(t[2].end_reason, None);
        assert_eq!(t[3].last_day, None);
        let r = Retention::of(&t, as_of);
        assert_eq!(
            r.milestones,
            [
                Milestone {
                    months: 3,
                    eligible: 3,
                    retained: 2
                },
                Milestone {
                    months: 6,
                    eligible: 3,
                    retained: 1
                },
                Milestone {
                    months: 12,
                    eligible: 1,
                    retained: 0
                },
            ]
        );
        assert_eq!(r.milestones[0].percent(), Some(67));
        assert_eq!(r.milestones[2].percent(), Some(0));
        assert_eq!(Retention::of(&[], as_of).milestones[0].percent(), None);
        assert_eq!((r.tenures, r.running, r.renewals), (4, 1, 1));
        assert_eq!(r.ended_by.len(), 2);
        assert_eq!(r.ended_by[0].count, 2);
        // Lengths 274, 60, 92, 62 days: median (62 + 92) / 2.
        assert_eq!(r.median_days, Some(77));
    }

    #[test]
    fn a_mark_is_reached_on_the_same_day_of_the_month() {
        let t = Tenure {
            first: EngagementId(1),
            organisation_id: OrganisationId(1),
            region_id: RegionId(1),
            start: day("2023-11-01"),
            last_day: Some(day("2024-01-31")),
            renewals: 0,
            end_reason: None,
        };
        assert!(t.lasted(3));
        assert!(!t.lasted(6));
        assert!(t.reached(3, day("2024-02-01")));
        assert!(!t.reached(3, day("2024-01-31")));
        let short = Tenure {
            last_day: Some(day("2024-01-30")),
            ..t
        };
        assert!(!short.lasted(3));
    }
}
