//! Matching in Jimoto's terms: a resident's profile and growth stage, and an open posting, as the
//! matching engine sees them ([`jimoto_matching::score`]), and each score's parts as reasons a
//! page can put into words ("uses your Excel skill (level 3 of the 2 asked)", "fits your weekday
//! mornings"). No I/O: the services read the records and pass them here.
//!
//! What the records do not say yet, and how it is read:
//! - a resident states no lowest pay: every job's pay passes, and the pay part scores the same
//!   for every job of the same rate;
//! - municipalities have no coordinates: an office in the resident's own municipality is 0 km
//!   away, and an office elsewhere is not proposed to them (its distance is unknown);
//! - a resident who named no time windows can work any time (and no window is given as a reason).

use std::collections::HashMap;

use chrono::NaiveDate;
use jimoto_matching::score::{self as m, Fit, Part, Refusal, Windows};
use serde::{Deserialize, Serialize};

use super::posting::{ContractKind, JobLevel, Posting, WorkPlace};
use crate::error::{FieldError, ValidationFailure};
use crate::growth::Stage;
use crate::ids::{PostingId, ProgramId, ResidentId};
use crate::resident::{OfficeVisits, Resident, TimeWindow, WorkStyle};
use crate::text;

/// Skill names as the engine's ids: one id per name as a search would compare it (width, case
/// and spaces folded), so "Excel" and "ｅｘｃｅｌ" are one skill.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Vocabulary {
    /// The id of a skill name, added if new.
    pub fn id(&mut self, name: &str) -> u32 {
        let key = text::fold(name);
        if let Some(id) = self.ids.get(&key) {
            return *id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.ids.insert(key, id);
        self.names.push(name.trim().to_owned());
        id
    }

    /// The name a skill was first seen under.
    pub fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
}

/// The engine's time-window bits for each window a person or posting names: weekday mornings
/// are Monday–Friday mornings (bits 0, 2, …, 8), weekday afternoons the odd bits up to 9, the
/// weekend both halves of Saturday and Sunday plus weekend evenings (bit 15), weekday evenings
/// bit 14.
fn bits(w: TimeWindow) -> Windows {
    match w {
        TimeWindow::WeekdayMorning => 0b01_0101_0101,
        TimeWindow::WeekdayAfternoon => 0b10_1010_1010,
        TimeWindow::WeekdayEvening => 1 << 14,
        TimeWindow::Weekend => 0b1111 << 10 | 1 << 15,
    }
}

/// The engine's bits for a list of windows (0 for none).
pub fn windows_of(list: &[TimeWindow]) -> Windows {
    list.iter().fold(0, |acc, w| acc | bits(*w))
}

/// The named windows that `w` covers any part of.
pub fn windows_in(w: Windows) -> Vec<TimeWindow> {
    TimeWindow::ALL
        .iter()
        .copied()
        .filter(|t| bits(*t) & w != 0)
        .collect()
}

/// A work style as the engine's bit: employment postings suit people who want telework
/// employment, outsourced tasks people who want spare-time work.
fn style_bit(s: WorkStyle) -> u8 {
    match s {
        WorkStyle::TeleworkEmployment => 1,
        WorkStyle::SpareTime => 2,
        WorkStyle::TeleworkMigration => 4,
    }
}

/// The style a posting offers.
pub fn posting_style(p: &Posting) -> WorkStyle {
    match p.contract {
        ContractKind::Employment => WorkStyle::TeleworkEmployment,
        ContractKind::Outsourcing => WorkStyle::SpareTime,
    }
}

/// The engine's stage for a growth-path stage: paid once, paid again and again, or not yet.
pub fn engine_stage(s: Stage) -> m::Stage {
    match s {
        Stage::Recurring => m::Stage::Recurring,
        Stage::FirstPaid => m::Stage::FirstPaid,
        _ => m::Stage::Learning,
    }
}

/// The engine's level of a posting.
pub fn engine_level(l: JobLevel) -> m::Level {
    match l {
        JobLevel::Ojt => m::Level::Ojt,
        JobLevel::SmallJob => m::Level::Small,
        JobLevel::Recurring => m::Level::Recurring,
    }
}

/// A distance that stands for "as far as the person said they would go": the engine compares
/// it with offices' distances, which are 0 (same municipality) or unknown.
const ANY_DISTANCE: u16 = 1;

/// The person as the engine sees them. `place` is an index the caller keeps per municipality.
pub fn person(r: &Resident, stage: Stage, place: u32, vocab: &mut Vocabulary) -> m::Person {
    let visits = match r.office_visits {
        OfficeVisits::Never => 0,
        OfficeVisits::Monthly => 1,
        OfficeVisits::Weekly => 5,
    };
    let windows = windows_of(&r.time_windows);
    m::Person {
        skills: r
            .skills
            .iter()
            .map(|s| (vocab.id(&s.name), level(s.level)))
            .collect(),
        spare_hours: u16::try_from(r.spare_hours_per_week.max(0)).unwrap_or(u16::MAX),
        windows: if windows == 0 { Windows::MAX } else { windows },
        min_pay: 0,
        stage: engine_stage(stage),
        place,
        travel_km: if visits > 0 { ANY_DISTANCE } else { 0 },
        office_visits: visits,
        styles: r.work_styles.iter().fold(0, |a, s| a | style_bit(*s)),
    }
}

fn level(l: i64) -> u8 {
    u8::try_from(l.clamp(0, 5)).unwrap_or(0)
}

/// The posting as the engine sees it. `place` is the index of its region's municipality.
pub fn job(p: &Posting, place: u32, vocab: &mut Vocabulary) -> m::Job {
    let visits = match p.work_place {
        WorkPlace::Remote => 0,
        WorkPlace::Office => u8::try_from(p.office_visits_per_month.clamp(1, 31)).unwrap_or(1),
    };
    m::Job {
        skills: p
            .skills
            .iter()
            .map(|s| (vocab.id(&s.name), level(s.level).max(1)))
            .collect(),
        hours: u16::try_from(p.hours_per_week.max(0)).unwrap_or(u16::MAX),
        windows: windows_of(&p.time_windows),
        pay: u32::try_from(p.hourly_yen.max(0)).unwrap_or(u32::MAX),
        level: engine_level(p.level),
        place,
        office_visits: visits,
        style: style_bit(posting_style(p)),
    }
}

/// The distance the engine is given between two municipalities: 0 for the same one, and
/// farther than anyone travels between two others (their distance is not known).
pub fn km(a: u32, b: u32) -> u16 {
    if a == b { 0 } else { u16::MAX }
}

/// One reason a pair fits, with the points it added (out of the 1,000 a perfect fit scores).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// A skill the job asks for: the person's level (0: they do not have it) and the level asked.
    Skill {
        /// The skill's name.
        skill: String,
        /// The person's level, 0–5.
        have: u8,
        /// The level asked, 1–5.
        need: u8,
        /// Points.
        points: u32,
    },
    /// The job asks for no particular skill.
    NoSkillAsked {
        /// Points.
        points: u32,
    },
    /// How much of the person's spare hours the job uses.
    Hours {
        /// The job's hours a week.
        hours: u16,
        /// The person's spare hours a week.
        spare: u16,
        /// Points.
        points: u32,
    },
    /// The times of the week the job is done, which the person said they can work.
    Windows {
        /// The windows both share.
        windows: Vec<TimeWindow>,
    },
    /// The pay by the hour.
    Pay {
        /// Yen an hour.
        hourly_yen: u32,
        /// Points.
        points: u32,
    },
    /// The job's level for where the person is on the growth path.
    Stage {
        /// The person's stage.
        stage: Stage,
        /// The job's level.
        level: JobLevel,
        /// Points.
        points: u32,
    },
    /// Fully remote.
    Remote {
        /// Points.
        points: u32,
    },
    /// Office visits in the person's own municipality.
    OfficeNearby {
        /// Visits a month.
        visits: u8,
        /// Points.
        points: u32,
    },
    /// A work style the person prefers.
    Style {
        /// The style.
        style: WorkStyle,
        /// Points.
        points: u32,
    },
}

/// A fit explained: the score (0–1,000) and its reasons, the most telling first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Explained {
    /// Out of 1,000.
    pub score: u32,
    /// Each part of the score.
    pub reasons: Vec<Reason>,
}

/// The reasons of a fit, in the words' raw material (a person who named no time windows is
/// given none as a reason).
pub fn explain(
    fit: &Fit,
    r: &Resident,
    stage: Stage,
    p: &Posting,
    vocab: &Vocabulary,
) -> Explained {
    let reasons = fit
        .parts
        .iter()
        .filter_map(|(part, points)| {
            let points = *points;
            Some(match *part {
                Part::Skill { need: 0, .. } => Reason::NoSkillAsked { points },
                Part::Skill { skill, have, need } => Reason::Skill {
                    skill: vocab.name(skill).to_owned(),
                    have,
                    need,
                    points,
                },
                Part::Hours { job, spare } => Reason::Hours {
                    hours: job,
                    spare,
                    points,
                },
                Part::Windows { shared } => {
                    if r.time_windows.is_empty() {
                        return None;
                    }
                    Reason::Windows {
                        windows: windows_in(shared),
                    }
                }
                Part::Pay { pay, .. } => Reason::Pay {
                    hourly_yen: pay,
                    points,
                },
                Part::Stage { .. } => Reason::Stage {
                    stage,
                    level: p.level,
                    points,
                },
                Part::Locality { km: None } => Reason::Remote { points },
                Part::Locality { km: Some(_) } => Reason::OfficeNearby {
                    visits: u8::try_from(p.office_visits_per_month.clamp(0, 255)).unwrap_or(0),
                    points,
                },
                Part::Style => Reason::Style {
                    style: posting_style(p),
                    points,
                },
            })
        })
        .collect();
    Explained {
        score: fit.score,
        reasons,
    }
}

/// Why a pair cannot be made, as a stable code the pages translate.
pub fn refusal_code(r: Refusal) -> &'static str {
    match r {
        Refusal::Hours { .. } => "refused_hours",
        Refusal::Windows => "refused_windows",
        Refusal::Pay { .. } => "refused_pay",
        Refusal::TooEarly => "refused_too_early",
        Refusal::TooBasic => "refused_too_basic",
        Refusal::Visits { .. } => "refused_visits",
        Refusal::Office { .. } => "refused_office",
    }
}

/// A pair of a resident and a posting, as a coordinator pins or forbids it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PairRef {
    /// The resident.
    pub resident_id: ResidentId,
    /// The posting.
    pub posting_id: PostingId,
}

/// Who and what an allocation weighs, and the coordinator's decisions so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AllocationRequest {
    /// Those who completed this program (None: every resident of the region).
    #[serde(default)]
    pub program_id: Option<ProgramId>,
    /// Only those who completed it on or after this day.
    #[serde(default)]
    pub completed_from: Option<NaiveDate>,
    /// Only those who completed it on or before this day.
    #[serde(default)]
    pub completed_to: Option<NaiveDate>,
    /// How many jobs each person may be given (1–3; default 1).
    #[serde(default)]
    pub jobs_per_person: Option<u32>,
    /// Pairs that must be in the allocation.
    #[serde(default)]
    pub pinned: Vec<PairRef>,
    /// Pairs that must not.
    #[serde(default)]
    pub forbidden: Vec<PairRef>,
}

/// The most jobs an allocation gives one person.
pub const MAX_JOBS_PER_PERSON: u32 = 3;

/// The most pins and forbidden pairs one allocation takes.
pub const MAX_RULES: usize = 500;

impl AllocationRequest {
    /// Jobs per person, checked.
    pub fn per_person(&self) -> Result<u32, ValidationFailure> {
        let n = self.jobs_per_person.unwrap_or(1);
        if !(1..=MAX_JOBS_PER_PERSON).contains(&n) {
            return Err(ValidationFailure(vec![
                FieldError::new("jobs_per_person", "out_of_range")
                    .with("min", 1)
                    .with("max", MAX_JOBS_PER_PERSON),
            ]));
        }
        if self.pinned.len() + self.forbidden.len() > MAX_RULES {
            return Err(ValidationFailure::single("pinned", "too_many_rules"));
        }
        if let (Some(a), Some(b)) = (self.completed_from, self.completed_to)
            && a > b
        {
            return Err(ValidationFailure::single("completed_to", "before_start"));
        }
        Ok(n)
    }
}

/// A person in an allocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Candidate {
    /// The resident.
    pub resident_id: ResidentId,
    /// Their name.
    pub name: String,
    /// Where they are on the growth path.
    pub stage: Stage,
}

/// A pair of an allocation, with why it fits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProposedPair {
    /// The resident.
    pub resident_id: ResidentId,
    /// The posting.
    pub posting_id: PostingId,
    /// Its title.
    pub posting_title: String,
    /// Its organisation.
    pub organisation_name: String,
    /// The fit and its reasons.
    pub fit: Explained,
    /// Pinned by the coordinator.
    pub pinned: bool,
}

/// A posting an allocation fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OpenPlaces {
    /// The posting.
    pub posting_id: PostingId,
    /// Its title.
    pub title: String,
    /// Its organisation.
    pub organisation_name: String,
    /// Places not yet filled by a hire.
    pub places_left: i64,
    /// Places this allocation fills.
    pub proposed: i64,
}

/// What the allocation proposes, the total fit, and what best-first would have given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Proposal {
    /// The people weighed.
    pub people: Vec<Candidate>,
    /// The open postings with places left.
    pub postings: Vec<OpenPlaces>,
    /// Pairs that pass every rule (the allocation's candidates).
    pub candidate_pairs: usize,
    /// The proposed pairs, by person.
    pub pairs: Vec<ProposedPair>,
    /// Other pairs the coordinator may pin: each person's best candidates outside the
    /// proposal (up to three).
    pub alternatives: Vec<ProposedPair>,
    /// Pairs the coordinator forbade.
    pub forbidden: Vec<PairRef>,
    /// The total fit of the proposal (the maximum under the pins and forbidden pairs).
    pub total: i64,
    /// The total fit best-first gives under the same decisions (taking the best-fitting pair
    /// left, again and again).
    pub greedy_total: i64,
    /// Pairs best-first gives.
    pub greedy_pairs: usize,
}

/// The optimum of a problem given in the exchange format MATCH1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Match1Solution {
    /// Persons read.
    pub persons: usize,
    /// Jobs read.
    pub jobs: usize,
    /// Candidate pairs read.
    pub edges: usize,
    /// The maximum total fit (−the minimum total cost).
    pub objective: i64,
    /// The chosen pairs as [person, job], 0-based, in the order of the file's pairs.
    pub pairs: Vec<[u32; 2]>,
    /// What best-first gives on the same problem.
    pub greedy_objective: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resident::Skill;
    use crate::{OrganisationId, RegionId};
    use chrono::Utc;
    use jimoto_matching::score::Weights;

    fn resident() -> Resident {
        Resident {
            id: ResidentId(1),
            region_id: RegionId(1),
            user_id: None,
            name: "山田 花子".into(),
            name_kana: "ヤマダ ハナコ".into(),
            email: String::new(),
            phone: String::new(),
            circumstances: None,
            skills: vec![Skill {
                name: "Excel".into(),
                level: 3,
            }],
            spare_hours_per_week: 20,
            time_windows: vec![TimeWindow::WeekdayMorning],
            work_styles: vec![WorkStyle::SpareTime],
            office_visits: OfficeVisits::Monthly,
            max_travel_minutes: Some(30),
            moved_away_on: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn posting() -> Posting {
        Posting {
            id: PostingId(1),
            organisation_id: OrganisationId(1),
            organisation_name: String::new(),
            region_id: RegionId(1),
            region_name: String::new(),
            task_id: None,
            title: "経理補助".into(),
            description: String::new(),
            category: super::super::Category::Accounting,
            skills: vec![Skill {
                name: "ｅｘｃｅｌ".into(),
                level: 2,
            }],
            level: JobLevel::SmallJob,
            contract: ContractKind::Outsourcing,
            trial_months: None,
            pay_kind: super::super::PayKind::Hourly,
            pay_yen: 1200,
            hourly_yen: 1200,
            hours_per_week: 10,
            days_per_month: 8,
            time_windows: vec![TimeWindow::WeekdayMorning],
            duration_months: None,
            places: 2,
            work_place: WorkPlace::Remote,
            office_visits_per_month: 0,
            office_place: String::new(),
            status: super::super::PostingStatus::Open,
            published_at: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn a_pair_is_explained_in_the_records_terms() {
        let mut v = Vocabulary::default();
        let r = resident();
        let p = posting();
        let pe = person(&r, Stage::Completed, 0, &mut v);
        let j = job(&p, 0, &mut v);
        // One skill, however it was typed.
        assert_eq!(
            pe.skills,
            j.skills.iter().map(|(s, _)| (*s, 3)).collect::<Vec<_>>()
        );
        let fit = m::fit(&pe, &j, Some(km(pe.place, j.place)), &Weights::default()).unwrap();
        let e = explain(&fit, &r, Stage::Completed, &p, &v);
        assert_eq!(
            e.reasons[0],
            Reason::Skill {
                skill: "Excel".into(),
                have: 3,
                need: 2,
                points: 400
            }
        );
        assert!(e.reasons.contains(&Reason::Windows {
            windows: vec![TimeWindow::WeekdayMorning]
        }));
        assert!(e.reasons.contains(&Reason::Remote { points: 100 }));
        assert!(e.reasons.contains(&Reason::Style {
            style: WorkStyle::SpareTime,
            points: 100
        }));
        assert_eq!(e.score, fit.score);
    }

    #[test]
    fn the_records_rules_refuse() {
        let mut v = Vocabulary::default();
        let mut r = resident();
        let mut p = posting();
        p.time_windows = vec![TimeWindow::Weekend];
        let check = |r: &Resident, p: &Posting, v: &mut Vocabulary| {
            let pe = person(r, Stage::Completed, 0, v);
            let j = job(p, if p.region_id == r.region_id { 0 } else { 1 }, v);
            m::fit(&pe, &j, Some(km(pe.place, j.place)), &Weights::default()).map_err(refusal_code)
        };
        assert_eq!(check(&r, &p, &mut v).err(), Some("refused_windows"));
        // No windows named: any time.
        r.time_windows.clear();
        assert!(check(&r, &p, &mut v).is_ok());
        p.work_place = WorkPlace::Office;
        p.office_visits_per_month = 4;
        assert_eq!(check(&r, &p, &mut v).err(), Some("refused_visits"));
        p.office_visits_per_month = 1;
        assert!(check(&r, &p, &mut v).is_ok());
        p.region_id = RegionId(2);
        assert_eq!(check(&r, &p, &mut v).err(), Some("refused_office"));
        r.office_visits = OfficeVisits::Never;
        p.region_id = RegionId(1);
        assert_eq!(check(&r, &p, &mut v).err(), Some("refused_office"));
        p.work_place = WorkPlace::Remote;
        p.level = JobLevel::Recurring;
        assert_eq!(check(&r, &p, &mut v).err(), Some("refused_too_early"));
        p.hours_per_week = 30;
        assert_eq!(check(&r, &p, &mut v).err(), Some("refused_hours"));
    }

    #[test]
    fn windows_go_both_ways() {
        for w in TimeWindow::ALL {
            assert_eq!(windows_in(windows_of(&[*w])), vec![*w]);
        }
        assert_eq!(windows_in(1 << 2), vec![TimeWindow::WeekdayMorning]);
    }
}
