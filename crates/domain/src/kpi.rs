//! KPIs: the catalogue of what a region reports (defined once, here), the periods they are
//! counted over, the figures computed from the records, and plans — targets with the figures a
//! report published — reconciled against what the records say.
//!
//! Every figure says whether it counts unique people (実人数) or repeats (延べ), and every one
//! can be opened to the rows behind it. The names and definitions people read are translated
//! (`kpi-<key>` and `kpi-<key>-def` in the web's locales); the keys here are stable API codes.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::calendar::FiscalYear;
use crate::error::{FieldError, ValidationFailure};
use crate::ids::{OrganisationId, PlanId, RegionId, ResidentId};
use crate::limits;
use crate::program::{Audience, ProgramKind};
use crate::project::ProjectStatus;
use crate::text_enum;
use crate::work::pay::PeriodStatus;
use crate::work::posting::ContractKind;

text_enum!(
    /// A KPI of the catalogue.
    Kpi {
        /// Attendances at sessions of programs for residents and students, and people at
        /// seminars for local companies (延べ).
        Participants = "participants",
        /// Residents who attended at least one session (実人数).
        ParticipantsUnique = "participants_unique",
        /// People from companies at company seminars and workation tours (延べ).
        EventPeople = "event_people",
        /// Organisations on workation tours (unique).
        TourCompanies = "tour_companies",
        /// Residents with a started contract running in the period (実人数).
        PaidResidents = "paid_residents",
        /// Of those, people with childcare, care or treatment circumstances (実人数).
        SocialValue = "social_value",
        /// Residents the region's programs or work reached in the period who still lived in the
        /// region at its end (実人数).
        Stayed = "stayed",
        /// Pay approved or paid to residents for work in the period (確定した収入).
        Income = "income",
        /// Of that, pay already paid.
        IncomePaid = "income_paid",
        /// Pay approved, not yet paid.
        IncomeApproved = "income_approved",
        /// Hours logged, not yet approved, at the contract's rate (a projection).
        IncomePending = "income_pending",
        /// Pay approved or paid by organisations based outside the region's prefecture.
        IncomeFromOutside = "income_from_outside",
        /// Co-creation projects agreed and not ended before the period.
        Projects = "projects",
        /// Median days from completing a course to the first paid work.
        MedianDaysToPaid = "median_days_to_paid",
        /// Share of course completers paid within 90 days.
        PaidWithin90 = "paid_within_90",
        /// Share of contracts started in the period that lasted 3 months.
        Retention3 = "retention_3",
        /// … 6 months.
        Retention6 = "retention_6",
        /// … 12 months.
        Retention12 = "retention_12",
    }
);

text_enum!(
    /// What a figure is measured in.
    Unit {
        /// People.
        People = "people",
        /// Attendances (a person at two sessions counts twice).
        Attendances = "attendances",
        /// Organisations.
        Companies = "companies",
        /// Projects.
        Projects = "projects",
        /// Yen.
        Yen = "yen",
        /// Days.
        Days = "days",
        /// Percent.
        Percent = "percent",
    }
);

text_enum!(
    /// How a figure counts.
    Counting {
        /// Each person or organisation once (実人数).
        Unique = "unique",
        /// Each occurrence (延べ).
        Repeats = "repeats",
        /// A sum of amounts.
        Sum = "sum",
        /// The middle value.
        Median = "median",
        /// A share of a group, in percent.
        Share = "share",
    }
);

text_enum!(
    /// Which side of the region's story a KPI tells.
    Side {
        /// Growth, inclusion and participation.
        Social = "social",
        /// Work and money.
        Economic = "economic",
    }
);

impl Kpi {
    /// Its unit.
    pub fn unit(self) -> Unit {
        match self {
            Self::Participants => Unit::Attendances,
            Self::ParticipantsUnique
            | Self::EventPeople
            | Self::PaidResidents
            | Self::SocialValue
            | Self::Stayed => Unit::People,
            Self::TourCompanies => Unit::Companies,
            Self::Income
            | Self::IncomePaid
            | Self::IncomeApproved
            | Self::IncomePending
            | Self::IncomeFromOutside => Unit::Yen,
            Self::Projects => Unit::Projects,
            Self::MedianDaysToPaid => Unit::Days,
            Self::PaidWithin90 | Self::Retention3 | Self::Retention6 | Self::Retention12 => {
                Unit::Percent
            }
        }
    }

    /// How it counts.
    pub fn counting(self) -> Counting {
        match self {
            Self::Participants | Self::EventPeople => Counting::Repeats,
            Self::ParticipantsUnique
            | Self::PaidResidents
            | Self::SocialValue
            | Self::Stayed
            | Self::TourCompanies
            | Self::Projects => Counting::Unique,
            Self::Income
            | Self::IncomePaid
            | Self::IncomeApproved
            | Self::IncomePending
            | Self::IncomeFromOutside => Counting::Sum,
            Self::MedianDaysToPaid => Counting::Median,
            Self::PaidWithin90 | Self::Retention3 | Self::Retention6 | Self::Retention12 => {
                Counting::Share
            }
        }
    }

    /// Social or economic value.
    pub fn side(self) -> Side {
        match self {
            Self::Participants
            | Self::ParticipantsUnique
            | Self::EventPeople
            | Self::TourCompanies
            | Self::SocialValue
            | Self::Stayed
            | Self::Projects
            | Self::MedianDaysToPaid
            | Self::PaidWithin90 => Side::Social,
            _ => Side::Economic,
        }
    }

    /// Whether its rows are people (shown by name only to the region's coordinators).
    pub fn lists_people(self) -> bool {
        matches!(
            self,
            Self::PaidResidents
                | Self::SocialValue
                | Self::Income
                | Self::IncomePaid
                | Self::IncomeApproved
                | Self::IncomePending
                | Self::IncomeFromOutside
                | Self::MedianDaysToPaid
                | Self::PaidWithin90
                | Self::ParticipantsUnique
                | Self::Stayed
        )
    }

    /// The months of retention it reports, for the retention KPIs.
    pub fn retention_months(self) -> Option<u32> {
        match self {
            Self::Retention3 => Some(3),
            Self::Retention6 => Some(6),
            Self::Retention12 => Some(12),
            _ => None,
        }
    }
}

/// The days within which a course should lead to paid work (the growth path's promise).
pub const PAID_WITHIN_DAYS: i64 = 90;

/// The days a KPI period may span at most (a project may run over several fiscal years).
pub const MAX_PERIOD_DAYS: i64 = 3 * 366;

/// A span of days a KPI is counted over, both ends included: a fiscal year or a project's
/// months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

impl Period {
    /// A fiscal year, April to March.
    pub fn fiscal(fy: FiscalYear) -> Self {
        Self {
            from: fy.start(),
            to: fy.end(),
        }
    }

    /// A checked period: `from` ≤ `to`, at most [`MAX_PERIOD_DAYS`].
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, ValidationFailure> {
        if to < from {
            return Err(ValidationFailure::single("to", "before_from"));
        }
        if (to - from).num_days() > MAX_PERIOD_DAYS {
            return Err(ValidationFailure::single("to", "period_too_long"));
        }
        Ok(Self { from, to })
    }

    /// Whether it is exactly one fiscal year.
    pub fn fiscal_year(self) -> Option<FiscalYear> {
        let fy = FiscalYear::of(self.from);
        (Self::fiscal(fy) == self).then_some(fy)
    }

    /// Whether a day falls in it.
    pub fn contains(self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// The months it touches, as `YYYY-MM`, in order.
    pub fn months(self) -> Vec<String> {
        let mut out = Vec::new();
        let mut m = self.from.with_day(1).unwrap_or(self.from);
        while m <= self.to {
            out.push(month_key(m));
            m = match m.checked_add_months(Months::new(1)) {
                Some(n) => n,
                None => break,
            };
        }
        out
    }
}

/// `YYYY-MM` of a day.
pub fn month_key(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

/// One computed figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Figure {
    /// The KPI.
    pub kpi: Kpi,
    /// Its unit.
    pub unit: Unit,
    /// Unique people or repeats, a sum, a median or a share.
    pub counting: Counting,
    /// The value; None when there is nothing to take a median or a share of.
    pub value: Option<f64>,
    /// For a share or a median: how many it is taken over (the base, n).
    pub base: Option<i64>,
    /// The value broken down (e.g. `audience:residents`, `contract:outsourcing`,
    /// `status:running`); the parts of a unique count may overlap.
    pub breakdown: BTreeMap<String, f64>,
    /// The value per month (`YYYY-MM`), for the figures that have one.
    pub by_month: BTreeMap<String, f64>,
}

impl Figure {
    /// An empty figure of a KPI.
    pub fn empty(kpi: Kpi) -> Self {
        Self {
            kpi,
            unit: kpi.unit(),
            counting: kpi.counting(),
            value: None,
            base: None,
            breakdown: BTreeMap::new(),
            by_month: BTreeMap::new(),
        }
    }

    /// A count or sum.
    pub fn total(kpi: Kpi, value: i64) -> Self {
        Self {
            value: Some(value as f64),
            ..Self::empty(kpi)
        }
    }

    /// Adds to a breakdown part.
    pub fn add_part(&mut self, key: impl Into<String>, n: f64) {
        *self.breakdown.entry(key.into()).or_default() += n;
    }

    /// Adds to a month.
    pub fn add_month(&mut self, month: impl Into<String>, n: f64) {
        *self.by_month.entry(month.into()).or_default() += n;
    }

    /// A part of the breakdown (or the whole value for None).
    pub fn part(&self, key: Option<&str>) -> Option<f64> {
        match key {
            None => self.value,
            Some(k) => Some(self.breakdown.get(k).copied().unwrap_or(0.0)),
        }
    }
}

/// The median of whole numbers (halves when the count is even): funnels and KPIs.
pub fn median(mut v: Vec<i64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2] as f64
    } else {
        (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0
    })
}

/// `part` of `whole` in percent, rounded to one decimal; None of nothing (funnels, shares).
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| ((part as f64) * 1000.0 / (whole as f64)).round() / 10.0)
}

/// One course completer on the way to paid work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completer {
    /// The day they first completed a course in the period.
    pub completed: NaiveDate,
    /// The first day they were paid (at any time), if they were.
    pub first_paid: Option<NaiveDate>,
}

impl Completer {
    /// Days from completion to first pay (0 when they were paid before completing).
    pub fn days(&self) -> Option<i64> {
        self.first_paid
            .map(|p| (p - self.completed).num_days().max(0))
    }
}

/// The median days to paid work over completers who were paid, and the share paid within
/// [`PAID_WITHIN_DAYS`] over completers who have had 90 days (a completer of last week is
/// neither a success nor a failure yet). Returns (median figure, share figure).
pub fn time_to_paid(completers: &[Completer], as_of: NaiveDate) -> (Figure, Figure) {
    let days: Vec<i64> = completers.iter().filter_map(Completer::days).collect();
    let mut m = Figure::empty(Kpi::MedianDaysToPaid);
    m.base = Some(days.len() as i64);
    m.value = median(days);
    let due: Vec<&Completer> = completers
        .iter()
        .filter(|c| (as_of - c.completed).num_days() >= PAID_WITHIN_DAYS)
        .collect();
    let within = due
        .iter()
        .filter(|c| c.days().is_some_and(|d| d <= PAID_WITHIN_DAYS))
        .count() as i64;
    let mut s = Figure::empty(Kpi::PaidWithin90);
    s.base = Some(due.len() as i64);
    s.value = percent(within, due.len() as i64);
    (m, s)
}

/// A plan: the targets of some regions over a period, and the figures a report published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Plan {
    /// Id.
    pub id: PlanId,
    /// Its name, e.g. the project's.
    pub title: String,
    /// The regions it covers.
    pub regions: Vec<RegionId>,
    /// The period.
    pub period: Period,
    /// Where its published figures come from (a report's name, page or address).
    pub source: String,
    /// The rows.
    pub rows: Vec<PlanRow>,
}

/// One KPI of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct PlanRow {
    /// The KPI.
    pub kpi: Kpi,
    /// The target (in the KPI's unit; percent as a whole number).
    #[validate(range(min = 0, max = 1_000_000_000_000_i64))]
    pub target: Option<i64>,
    /// Who answers for it.
    #[validate(length(max = limits::NAME_MAX))]
    pub owner: String,
    /// The figure a report published, if one did.
    #[validate(range(min = 0, max = 1_000_000_000_000_i64))]
    pub reported: Option<i64>,
    /// The published figure's details, as the report lists them.
    #[validate(nested)]
    pub parts: Vec<ReportedPart>,
    /// What the report says about it, in its words.
    #[validate(length(max = limits::NOTE_MAX))]
    pub note: String,
}

/// A line of a published figure's details, e.g. 「下関市：36名」.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct ReportedPart {
    /// As the report words it.
    #[validate(length(min = 1, max = limits::NAME_MAX))]
    pub label: String,
    /// Its value.
    #[validate(range(min = 0, max = 1_000_000_000_000_i64))]
    pub value: i64,
    /// The region it is about (None: all the plan's regions).
    pub region_id: Option<RegionId>,
    /// The part of the computed breakdown it corresponds to (e.g. `audience:residents`).
    #[validate(length(max = 64))]
    pub breakdown: Option<String>,
}

/// The most rows a plan may have.
pub const MAX_PLAN_ROWS: u64 = 40;
/// The most parts a row may list.
pub const MAX_PARTS: usize = 20;

/// A plan to create or change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, utoipa::ToSchema)]
pub struct PlanInput {
    /// Its name.
    #[validate(length(min = 1, max = limits::NAME_MAX))]
    pub title: String,
    /// The regions it covers (one or more).
    #[validate(length(min = 1, max = 100))]
    pub regions: Vec<RegionId>,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Where the published figures come from.
    #[serde(default)]
    #[validate(length(max = limits::NOTE_MAX))]
    pub source: String,
    /// The rows.
    #[validate(nested, length(max = MAX_PLAN_ROWS))]
    pub rows: Vec<PlanRow>,
}

impl PlanInput {
    /// Trims the texts.
    pub fn normalised(mut self) -> Self {
        self.title = self.title.trim().to_owned();
        self.source = self.source.trim().to_owned();
        self.regions.sort();
        self.regions.dedup();
        for r in &mut self.rows {
            r.owner = r.owner.trim().to_owned();
            r.note = r.note.trim().to_owned();
            for p in &mut r.parts {
                p.label = p.label.trim().to_owned();
                p.breakdown = p
                    .breakdown
                    .take()
                    .map(|b| b.trim().to_owned())
                    .filter(|b| !b.is_empty());
            }
        }
        self
    }

    /// What is wrong beyond the field rules: the period, a KPI listed twice, too many parts,
    /// a part about a region the plan does not cover.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut out = Vec::new();
        if let Err(e) = Period::new(self.from, self.to) {
            out.extend(e.0);
        }
        let mut seen = Vec::new();
        for (i, r) in self.rows.iter().enumerate() {
            if seen.contains(&r.kpi) {
                out.push(FieldError::new(format!("rows[{i}].kpi"), "duplicate"));
            }
            seen.push(r.kpi);
            if r.parts.len() > MAX_PARTS {
                out.push(FieldError::new(format!("rows[{i}].parts"), "too_many"));
            }
            for (j, p) in r.parts.iter().enumerate() {
                if p.region_id.is_some_and(|g| !self.regions.contains(&g)) {
                    out.push(FieldError::new(
                        format!("rows[{i}].parts[{j}].region_id"),
                        "not_in_plan",
                    ));
                }
            }
        }
        out
    }
}

/// A plan row beside what the records say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reconciled {
    /// The row.
    pub row: PlanRow,
    /// The computed figure over the plan's regions and period.
    pub actual: Figure,
    /// Actual ÷ target in percent.
    pub progress_percent: Option<f64>,
    /// Reported − computed.
    pub difference: Option<f64>,
    /// The sum of the published details, when there are any.
    pub parts_sum: Option<i64>,
    /// Each published detail beside its computed counterpart.
    pub parts: Vec<PartCheck>,
    /// The reasons the published figure differs, in order.
    pub findings: Vec<Finding>,
}

/// A published detail and what the records say for the same thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PartCheck {
    /// The detail.
    pub part: ReportedPart,
    /// The computed value of the same region and breakdown.
    pub computed: Option<f64>,
}

/// Why a published figure and the records disagree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// The published total is not the sum of its own details.
    TotalIsNotItsParts {
        /// Published.
        reported: i64,
        /// Its details added up.
        parts_sum: i64,
    },
    /// A detail differs from the records.
    PartDiffers {
        /// The detail's label.
        label: String,
        /// Published.
        reported: i64,
        /// Computed.
        computed: f64,
    },
    /// The records give a different total.
    RecordsDiffer {
        /// Published.
        reported: i64,
        /// Computed.
        computed: f64,
    },
    /// Published and computed agree.
    Agrees,
}

/// Figures per region of a plan or comparison, for the parts that name one region.
pub type ByRegion = BTreeMap<RegionId, BTreeMap<Kpi, Figure>>;

impl Reconciled {
    /// Puts a plan row beside the figure of all its regions and the figures per region.
    pub fn of(row: PlanRow, actual: Figure, by_region: &ByRegion) -> Self {
        let progress_percent = match (row.target, actual.value) {
            (Some(t), Some(v)) if t > 0 => Some((v * 1000.0 / t as f64).round() / 10.0),
            _ => None,
        };
        let difference = match (row.reported, actual.value) {
            (Some(r), Some(v)) => Some(r as f64 - v),
            (Some(r), None) => Some(r as f64),
            _ => None,
        };
        let parts_sum = (!row.parts.is_empty()).then(|| row.parts.iter().map(|p| p.value).sum());
        let parts: Vec<PartCheck> = row
            .parts
            .iter()
            .map(|p| {
                let figure = match p.region_id {
                    Some(g) => by_region.get(&g).and_then(|f| f.get(&row.kpi)),
                    None => Some(&actual),
                };
                PartCheck {
                    part: p.clone(),
                    computed: figure.and_then(|f| f.part(p.breakdown.as_deref())),
                }
            })
            .collect();
        let mut findings = Vec::new();
        if let (Some(r), Some(s)) = (row.reported, parts_sum)
            && r != s
        {
            findings.push(Finding::TotalIsNotItsParts {
                reported: r,
                parts_sum: s,
            });
        }
        for c in &parts {
            if let Some(v) = c.computed
                && (v - c.part.value as f64).abs() >= 0.5
            {
                findings.push(Finding::PartDiffers {
                    label: c.part.label.clone(),
                    reported: c.part.value,
                    computed: v,
                });
            }
        }
        if let Some(r) = row.reported {
            let v = actual.value.unwrap_or(0.0);
            if (v - r as f64).abs() >= 0.5 {
                findings.push(Finding::RecordsDiffer {
                    reported: r,
                    computed: v,
                });
            } else if findings.is_empty() {
                findings.push(Finding::Agrees);
            }
        }
        Self {
            row,
            actual,
            progress_percent,
            difference,
            parts_sum,
            parts,
            findings,
        }
    }
}

/// Attendances (or, at local seminars, people) of one region, program kind, audience and month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipationRow {
    /// The program's region.
    pub region_id: RegionId,
    /// Its kind.
    pub kind: ProgramKind,
    /// Its audience.
    pub audience: Audience,
    /// `YYYY-MM` of the session (of a seminar's first session).
    pub month: String,
    /// How many.
    pub count: i64,
}

/// People at a company seminar or tour, and for tours the organisations that came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// The program's region.
    pub region_id: RegionId,
    /// Company seminar or workation tour.
    pub kind: ProgramKind,
    /// `YYYY-MM` of its first session.
    pub month: String,
    /// People recorded.
    pub people: i64,
    /// Organisations on it (tours).
    pub organisations: Vec<OrganisationId>,
}

/// A started contract running in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractRow {
    /// The resident's region.
    pub region_id: RegionId,
    /// The resident.
    pub resident_id: ResidentId,
    /// Employment or outsourcing.
    pub contract: ContractKind,
    /// Its first day.
    pub start: NaiveDate,
    /// Its last day, if it has one.
    pub last: Option<NaiveDate>,
    /// The resident's circumstances: childcare, care, treatment.
    pub circumstances: (bool, bool, bool),
    /// The day the resident moved out of the region, if they did.
    pub moved_away_on: Option<NaiveDate>,
}

/// A resident who attended a session of a region's program in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendeeRow {
    /// The program's region.
    pub region_id: RegionId,
    /// The resident.
    pub resident_id: ResidentId,
    /// The region they live in.
    pub home_region_id: RegionId,
    /// The day they moved out of it, if they did.
    pub moved_away_on: Option<NaiveDate>,
}

/// Pay of one region, month and status, from organisations inside or outside the prefecture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayRow {
    /// The resident's region.
    pub region_id: RegionId,
    /// `YYYY-MM` of the period.
    pub month: String,
    /// Its status.
    pub status: PeriodStatus,
    /// Paid by an organisation based outside the region's prefecture.
    pub outside: bool,
    /// Yen (for periods not yet approved: the logged hours at the contract's rate).
    pub amount: i64,
}

/// A project as the KPI needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRow {
    /// Its region.
    pub region_id: RegionId,
    /// Where it stands now.
    pub status: ProjectStatus,
    /// Agreed on.
    pub agreed_on: Option<NaiveDate>,
    /// Ended on.
    pub ended_on: Option<NaiveDate>,
    /// Whether it came from an event (a tour or seminar).
    pub from_event: bool,
}

/// What the KPIs are computed from: the records of some regions in a period, read once.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Attendances and local seminar people.
    pub participation: Vec<ParticipationRow>,
    /// Unique residents who attended, per region.
    pub attendees: BTreeMap<RegionId, i64>,
    /// Unique residents who attended, over all the regions read.
    pub attendees_all: i64,
    /// Each resident who attended a session of each region's programs (for who stayed).
    pub attendee_rows: Vec<AttendeeRow>,
    /// Company seminars and tours.
    pub events: Vec<EventRow>,
    /// Contracts running in the period.
    pub contracts: Vec<ContractRow>,
    /// Pay by month.
    pub pay: Vec<PayRow>,
    /// Projects.
    pub projects: Vec<ProjectRow>,
    /// Course completers of the period.
    pub completers: Vec<(RegionId, Completer)>,
    /// Tenures (contracts with their renewals) that started in the period.
    pub tenures: Vec<crate::work::retention::Tenure>,
}

/// Whether a project counts in a period: agreed by its last day and not ended before its first.
pub fn project_counts(
    period: Period,
    agreed_on: Option<NaiveDate>,
    ended_on: Option<NaiveDate>,
) -> bool {
    agreed_on.is_some_and(|a| a <= period.to) && ended_on.is_none_or(|e| e >= period.from)
}

/// Every KPI of the catalogue over the regions read (`only`: one of them), in catalogue order.
pub fn figures(
    inputs: &Inputs,
    period: Period,
    as_of: NaiveDate,
    only: Option<RegionId>,
) -> BTreeMap<Kpi, Figure> {
    let keep = |r: RegionId| only.is_none_or(|o| o == r);
    let mut out: BTreeMap<Kpi, Figure> = Kpi::ALL.iter().map(|k| (*k, Figure::empty(*k))).collect();
    for r in inputs.participation.iter().filter(|r| keep(r.region_id)) {
        add(
            &mut out,
            Kpi::Participants,
            r.count,
            &[
                format!("audience:{}", r.audience),
                format!("kind:{}", r.kind),
            ],
            Some(&r.month),
        );
    }
    add(
        &mut out,
        Kpi::ParticipantsUnique,
        match only {
            Some(g) => inputs.attendees.get(&g).copied().unwrap_or(0),
            None => inputs.attendees_all,
        },
        &[],
        None,
    );
    let mut tour_orgs: Vec<OrganisationId> = Vec::new();
    for e in inputs.events.iter().filter(|e| keep(e.region_id)) {
        add(
            &mut out,
            Kpi::EventPeople,
            e.people,
            &[format!("kind:{}", e.kind)],
            Some(&e.month),
        );
        if e.kind == ProgramKind::WorkationTour {
            tour_orgs.extend(&e.organisations);
        }
    }
    let tours: usize = inputs
        .events
        .iter()
        .filter(|e| keep(e.region_id) && e.kind == ProgramKind::WorkationTour)
        .count();
    tour_orgs.sort();
    tour_orgs.dedup();
    add(
        &mut out,
        Kpi::TourCompanies,
        tour_orgs.len() as i64,
        &[],
        None,
    );
    if let Some(f) = out.get_mut(&Kpi::TourCompanies) {
        f.base = Some(tours as i64);
    }
    // Contracts: unique people, by contract kind and per month they were working.
    let contracts: Vec<&ContractRow> = inputs
        .contracts
        .iter()
        .filter(|c| keep(c.region_id))
        .collect();
    let months = period.months();
    for (kpi, social) in [(Kpi::PaidResidents, false), (Kpi::SocialValue, true)] {
        let chosen: Vec<&&ContractRow> = contracts
            .iter()
            .filter(|c| !social || c.circumstances.0 || c.circumstances.1 || c.circumstances.2)
            .collect();
        let mut people: Vec<ResidentId> = chosen.iter().map(|c| c.resident_id).collect();
        people.sort();
        people.dedup();
        let f = out.entry(kpi).or_insert_with(|| Figure::empty(kpi));
        f.value = Some(people.len() as f64);
        // Each person counts once per part and month: a set, as there may be many thousands.
        let mut seen: std::collections::HashSet<(String, ResidentId)> =
            std::collections::HashSet::new();
        for c in &chosen {
            let mut keys = vec![format!("contract:{}", c.contract)];
            if social {
                keys.clear();
                for (flag, key) in [
                    (c.circumstances.0, "childcare"),
                    (c.circumstances.1, "care"),
                    (c.circumstances.2, "treatment"),
                ] {
                    if flag {
                        keys.push(format!("circumstance:{key}"));
                    }
                }
            }
            keys.push(format!("region:{}", c.region_id));
            for m in &months {
                if overlaps_month(c, m) {
                    keys.push(format!("month:{m}"));
                }
            }
            for k in keys {
                if seen.insert((k.clone(), c.resident_id)) {
                    if let Some(m) = k.strip_prefix("month:") {
                        f.add_month(m, 1.0);
                    } else if !k.starts_with("region:") {
                        f.add_part(k, 1.0);
                    }
                }
            }
        }
    }
    out.insert(Kpi::Stayed, stayed(inputs, period, keep));
    for p in inputs.pay.iter().filter(|p| keep(p.region_id)) {
        let kpi = match p.status {
            PeriodStatus::Paid => Kpi::IncomePaid,
            PeriodStatus::Approved => Kpi::IncomeApproved,
            _ => Kpi::IncomePending,
        };
        add(&mut out, kpi, p.amount, &[], Some(&p.month));
        if matches!(p.status, PeriodStatus::Paid | PeriodStatus::Approved) {
            add(
                &mut out,
                Kpi::Income,
                p.amount,
                &[format!("status:{}", p.status)],
                Some(&p.month),
            );
        }
        if p.outside && matches!(p.status, PeriodStatus::Paid | PeriodStatus::Approved) {
            add(
                &mut out,
                Kpi::IncomeFromOutside,
                p.amount,
                &[format!("status:{}", p.status)],
                Some(&p.month),
            );
        }
    }
    for p in inputs.projects.iter().filter(|p| keep(p.region_id)) {
        if project_counts(period, p.agreed_on, p.ended_on) {
            let origin = if p.from_event {
                "origin:event"
            } else {
                "origin:other"
            };
            add(
                &mut out,
                Kpi::Projects,
                1,
                &[format!("status:{}", p.status), origin.to_owned()],
                None,
            );
        }
    }
    let completers: Vec<Completer> = inputs
        .completers
        .iter()
        .filter(|(r, _)| keep(*r))
        .map(|(_, c)| c.clone())
        .collect();
    let (m, s) = time_to_paid(&completers, as_of);
    out.insert(Kpi::MedianDaysToPaid, m);
    out.insert(Kpi::PaidWithin90, s);
    let tenures: Vec<&crate::work::retention::Tenure> = inputs
        .tenures
        .iter()
        .filter(|t| keep(t.region_id))
        .collect();
    let retention = crate::work::retention::Retention::of(tenures.iter().copied(), as_of);
    for k in [Kpi::Retention3, Kpi::Retention6, Kpi::Retention12] {
        let f = out.entry(k).or_insert_with(|| Figure::empty(k));
        if let Some(ms) = retention
            .milestones
            .iter()
            .find(|m| Some(m.months) == k.retention_months())
        {
            f.base = Some(i64::from(ms.eligible));
            f.value = percent(i64::from(ms.retained), i64::from(ms.eligible));
        }
    }
    out
}

/// Whether a resident still lived in the region on the period's last day.
pub fn stayed_through(period: Period, moved_away_on: Option<NaiveDate>) -> bool {
    moved_away_on.is_none_or(|d| d > period.to)
}

/// Residents of the regions who attended the region's programs or worked on a contract in the
/// period (the base), and of them those who had not moved away by its end; parts: whether they
/// worked or only attended.
fn stayed(inputs: &Inputs, period: Period, keep: impl Fn(RegionId) -> bool) -> Figure {
    // Each person once, with whether they worked and when they left.
    let mut served: std::collections::HashMap<ResidentId, (bool, Option<NaiveDate>)> =
        std::collections::HashMap::new();
    for a in &inputs.attendee_rows {
        if a.region_id == a.home_region_id && keep(a.home_region_id) {
            served
                .entry(a.resident_id)
                .or_insert((false, a.moved_away_on));
        }
    }
    for c in inputs.contracts.iter().filter(|c| keep(c.region_id)) {
        served
            .entry(c.resident_id)
            .or_insert((true, c.moved_away_on))
            .0 = true;
    }
    let mut f = Figure::empty(Kpi::Stayed);
    f.value = Some(0.0);
    f.base = Some(served.len() as i64);
    for (worked, moved) in served.values() {
        if stayed_through(period, *moved) {
            f.value = f.value.map(|v| v + 1.0);
            f.add_part(
                if *worked {
                    "took_part:worked"
                } else {
                    "took_part:attended"
                },
                1.0,
            );
        }
    }
    f
}

fn add(out: &mut BTreeMap<Kpi, Figure>, k: Kpi, n: i64, parts: &[String], month: Option<&str>) {
    let f = out.entry(k).or_insert_with(|| Figure::empty(k));
    f.value = Some(f.value.unwrap_or(0.0) + n as f64);
    for p in parts {
        f.add_part(p.clone(), n as f64);
    }
    if let Some(m) = month {
        f.add_month(m, n as f64);
    }
}

fn overlaps_month(c: &ContractRow, month: &str) -> bool {
    let Some(first) = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok() else {
        return false;
    };
    let last = first
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(first);
    c.start <= last && c.last.is_none_or(|l| l >= first)
}

/// One cell of a KPI's rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Cell {
    /// Text as recorded (a program's title, an organisation's name).
    Text(String),
    /// A count.
    Count(i64),
    /// Yen.
    Yen(i64),
    /// Minutes of work.
    Minutes(i64),
    /// A day.
    Date(NaiveDate),
    /// A month (its first day).
    Month(NaiveDate),
    /// A code of a set of labels (`set` e.g. `program_kind`, `contract`, `period_status`).
    Code {
        /// The label set.
        set: String,
        /// The code.
        code: String,
    },
    /// A resident: named only for the region's coordinators.
    Person {
        /// Their record.
        id: ResidentId,
        /// Their name, when the reader may see it.
        name: Option<String>,
    },
    /// Nothing recorded.
    Empty,
}

impl Cell {
    /// A code cell.
    pub fn code(set: &str, code: impl std::fmt::Display) -> Self {
        Self::Code {
            set: set.to_owned(),
            code: code.to_string(),
        }
    }
}

/// The rows behind a figure: the records it counts, a column heading key per column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rows {
    /// The KPI.
    pub kpi: Kpi,
    /// Column keys (`region`, `date`, `program`…), translated as `kpi-col-<key>`.
    pub columns: Vec<String>,
    /// The rows, at most [`MAX_ROWS`].
    pub rows: Vec<Vec<Cell>>,
    /// How many rows there are in all.
    pub total: i64,
}

/// The most rows a KPI's drill-down returns at once.
pub const MAX_ROWS: i64 = 1000;

/// A region's KPIs for a period, with the plans that cover it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Dashboard {
    /// The region.
    pub region_id: RegionId,
    /// The period.
    pub period: Period,
    /// The day the figures were taken (shares and retention count only what was due by then).
    pub as_of: NaiveDate,
    /// Every KPI of the catalogue, in catalogue order.
    pub figures: Vec<Figure>,
    /// The plans that cover the region and overlap the period.
    pub plans: Vec<PlanReport>,
}

/// A table of a report: column heading keys (`kpi-col-<key>`) and its rows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Table {
    /// Column keys.
    pub columns: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
}

/// A region's results for a period in the shape of the ministry's results report (実績報告):
/// the figures, the plans beside the records with their details, the programs with their
/// sessions and participants, the companies on tours with their purposes and follow-ups, and
/// the co-creation projects. It names no resident, so every reader of the region's KPIs gets
/// the same report.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Report {
    /// The region.
    pub region_id: RegionId,
    /// Its name.
    pub region_name: String,
    /// The period.
    pub period: Period,
    /// The day the figures were taken.
    pub as_of: NaiveDate,
    /// Every KPI of the catalogue.
    pub figures: Vec<Figure>,
    /// The plans covering the region and the period, beside the records.
    pub plans: Vec<PlanReport>,
    /// Programs held in the period: sessions, attendances, people.
    pub programs: Table,
    /// Organisations on workation tours: purpose, involvement, people, follow-ups.
    pub tours: Table,
    /// Co-creation projects agreed by the period's end and not ended before it.
    pub projects: Table,
}

/// A plan beside the records.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlanReport {
    /// The plan.
    pub plan: Plan,
    /// The names of its regions, in the plan's order.
    pub region_names: Vec<String>,
    /// Each row with its computed figure, progress, and the differences explained.
    pub rows: Vec<Reconciled>,
    /// The day the figures were taken.
    pub as_of: NaiveDate,
}

/// One region's figures in a comparison.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RegionFigures {
    /// The region.
    pub region_id: RegionId,
    /// Its name.
    pub name: String,
    /// Its figures, in catalogue order.
    pub figures: Vec<Figure>,
}

/// The regions of a prefecture side by side.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Comparison {
    /// The prefecture's two-digit code.
    pub prefecture: String,
    /// The period.
    pub period: Period,
    /// The regions the reader may see, by local government code.
    pub regions: Vec<RegionFigures>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn every_kpi_has_a_unit_a_counting_and_a_side() {
        for k in Kpi::ALL {
            let _ = (k.unit(), k.counting(), k.side());
            if k.counting() == Counting::Share {
                assert_eq!(k.unit(), Unit::Percent, "{k}");
            }
        }
        assert_eq!(Kpi::Participants.counting(), Counting::Repeats);
        assert_eq!(Kpi::ParticipantsUnique.counting(), Counting::Unique);
    }

    #[test]
    fn a_fiscal_year_period_has_twelve_months() {
        let p = Period::fiscal(FiscalYear(2023));
        assert_eq!(p.months().len(), 12);
        assert_eq!(p.months()[0], "2023-04");
        assert_eq!(p.months()[11], "2024-03");
        assert_eq!(p.fiscal_year(), Some(FiscalYear(2023)));
        let project = Period::new(d(2023, 10, 1), d(2024, 2, 29)).unwrap();
        assert_eq!(project.fiscal_year(), None);
        assert_eq!(project.months().len(), 5);
        assert!(Period::new(d(2024, 1, 1), d(2023, 1, 1)).is_err());
        assert!(Period::new(d(2020, 1, 1), d(2024, 1, 1)).is_err());
    }

    #[test]
    fn time_to_paid_counts_only_completers_who_had_ninety_days() {
        let c = |completed, paid| Completer {
            completed,
            first_paid: paid,
        };
        let as_of = d(2024, 3, 31);
        let people = [
            c(d(2023, 10, 1), Some(d(2023, 11, 30))), // 60 days
            c(d(2023, 10, 1), Some(d(2024, 2, 1))),   // 123 days
            c(d(2023, 10, 1), None),                  // not paid
            c(d(2024, 3, 1), None),                   // too recent to count
        ];
        let (m, s) = time_to_paid(&people, as_of);
        assert_eq!(m.value, Some(91.5));
        assert_eq!(m.base, Some(2));
        assert_eq!(s.base, Some(3));
        assert_eq!(s.value, Some(33.3));
    }

    #[test]
    fn a_published_total_is_checked_against_its_parts_and_the_records() {
        let hagi = RegionId(1);
        let shimo = RegionId(2);
        let mut all = Figure::total(Kpi::Participants, 209);
        all.add_part("audience:residents", 152.0);
        let mut h = Figure::total(Kpi::Participants, 107);
        h.add_part("audience:residents", 107.0);
        let mut s = Figure::total(Kpi::Participants, 102);
        s.add_part("audience:residents", 45.0);
        s.add_part("audience:companies", 57.0);
        let by_region: ByRegion = [
            (hagi, [(Kpi::Participants, h)].into()),
            (shimo, [(Kpi::Participants, s)].into()),
        ]
        .into();
        let part = |label: &str, value, region, breakdown: Option<&str>| ReportedPart {
            label: label.into(),
            value,
            region_id: Some(region),
            breakdown: breakdown.map(str::to_owned),
        };
        let row = PlanRow {
            kpi: Kpi::Participants,
            target: Some(50),
            owner: String::new(),
            reported: Some(203),
            parts: vec![
                part("萩市", 107, hagi, None),
                part("下関市", 36, shimo, Some("audience:residents")),
                part("aubeBizセミナー", 57, shimo, Some("audience:companies")),
            ],
            note: String::new(),
        };
        let r = Reconciled::of(row, all, &by_region);
        assert_eq!(r.parts_sum, Some(200));
        assert_eq!(r.progress_percent, Some(418.0));
        assert_eq!(r.difference, Some(-6.0));
        assert_eq!(
            r.findings,
            vec![
                Finding::TotalIsNotItsParts {
                    reported: 203,
                    parts_sum: 200
                },
                Finding::PartDiffers {
                    label: "下関市".into(),
                    reported: 36,
                    computed: 45.0
                },
                Finding::RecordsDiffer {
                    reported: 203,
                    computed: 209.0
                },
            ]
        );
    }

    #[test]
    fn a_plan_names_its_problems() {
        let input = PlanInput {
            title: "x".into(),
            regions: vec![RegionId(1)],
            from: d(2024, 1, 1),
            to: d(2023, 1, 1),
            source: String::new(),
            rows: vec![
                PlanRow {
                    kpi: Kpi::Projects,
                    target: Some(2),
                    owner: String::new(),
                    reported: None,
                    parts: vec![ReportedPart {
                        label: "a".into(),
                        value: 1,
                        region_id: Some(RegionId(9)),
                        breakdown: None,
                    }],
                    note: String::new(),
                };
                2
            ],
        };
        let fields: Vec<String> = input.problems().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec![
                "to",
                "rows[0].parts[0].region_id",
                "rows[1].kpi",
                "rows[1].parts[0].region_id"
            ]
        );
    }
}
