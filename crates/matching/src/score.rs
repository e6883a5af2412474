//! Whether a person and a job may be paired (hard rules), and how well they fit (a score from
//! 0 to 1000 made of named parts, each with the facts behind it, so that a page can say "uses
//! your Excel skill (level 3 of the 2 asked)" rather than show a bare number).
//!
//! Everything here is plain data and arithmetic; the weights are settings ([`Weights`]).

/// A skill, by an id the caller keeps (the product maps its skill names to ids).
pub type SkillId = u32;

/// Time windows as a bit set: bit `2 * day + half` (day 0 = Monday … 6 = Sunday, half 0 =
/// morning, 1 = afternoon); bits 14 and 15 are weekday and weekend evenings.
pub type Windows = u16;

/// Where a person is on the growth path, as far as matching cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Learning; no paid work yet.
    Learning = 0,
    /// Has done a first paid job.
    FirstPaid = 1,
    /// Works regularly.
    Recurring = 2,
}

/// The level of a job on the growth path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// On-the-job training for beginners.
    Ojt = 0,
    /// A small paid job.
    Small = 1,
    /// Recurring work.
    Recurring = 2,
}

/// A person as matching sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Skills with levels 1–5.
    pub skills: Vec<(SkillId, u8)>,
    /// Spare hours a week.
    pub spare_hours: u16,
    /// When they can work.
    pub windows: Windows,
    /// The lowest hourly pay they accept, in yen.
    pub min_pay: u32,
    /// Their growth stage.
    pub stage: Stage,
    /// Their municipality (an index into the caller's distance table).
    pub place: u32,
    /// The farthest they travel to an office, in km (0: remote only).
    pub travel_km: u16,
    /// How many office visits a month they accept (0: remote only).
    pub office_visits: u8,
    /// The work styles they prefer, as bits the caller defines (job styles use the same bits).
    pub styles: u8,
}

/// A job as matching sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Skills asked for, with the level asked (1–5).
    pub skills: Vec<(SkillId, u8)>,
    /// Hours a week.
    pub hours: u16,
    /// When the work is done (0: any time).
    pub windows: Windows,
    /// Hourly pay (or its equivalent) in yen.
    pub pay: u32,
    /// Its level on the growth path.
    pub level: Level,
    /// The municipality of its office.
    pub place: u32,
    /// Office visits a month (0: fully remote).
    pub office_visits: u8,
    /// Its work style bit.
    pub style: u8,
}

/// How much each part weighs (out of the 1000 a perfect fit scores). Settings, not constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights {
    /// Skills covered, at the levels asked.
    pub skills: u16,
    /// The share of spare hours the job uses.
    pub hours: u16,
    /// Pay above the person's minimum.
    pub pay: u16,
    /// The job's level right for the person's stage.
    pub stage: u16,
    /// Close to home (or remote).
    pub locality: u16,
    /// A work style the person prefers.
    pub style: u16,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            skills: 400,
            hours: 150,
            pay: 150,
            stage: 100,
            locality: 100,
            style: 100,
        }
    }
}

/// Why a pair is not possible (the first rule that fails).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The job needs more hours a week than the person has.
    Hours {
        /// Hours the job needs.
        needed: u16,
        /// Hours the person has.
        spare: u16,
    },
    /// The job's times are not ones the person can work.
    Windows,
    /// The pay is below the person's minimum.
    Pay {
        /// The job's pay.
        pay: u32,
        /// The person's minimum.
        min: u32,
    },
    /// Recurring work before a first paid job.
    TooEarly,
    /// Training for someone already working regularly.
    TooBasic,
    /// More office visits a month than the person makes.
    Visits {
        /// Visits the job asks for.
        asked: u8,
        /// Visits the person accepts.
        accepted: u8,
    },
    /// Office visits the person does not make (remote only, or too far).
    Office {
        /// Distance in km (None: the person works remotely only).
        km: Option<u16>,
    },
}

/// One part of a score, with the facts a sentence needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// A skill asked for: the person's level and the level asked (0: they do not have it).
    Skill {
        /// The skill.
        skill: SkillId,
        /// The person's level (0: none).
        have: u8,
        /// The level asked.
        need: u8,
    },
    /// Hours: the job's and the person's spare ones.
    Hours {
        /// The job's hours a week.
        job: u16,
        /// The person's spare hours a week.
        spare: u16,
    },
    /// The time windows both share (shown as "fits your Tuesday and Thursday mornings").
    Windows {
        /// The shared windows.
        shared: Windows,
    },
    /// Pay against the person's minimum.
    Pay {
        /// The job's pay.
        pay: u32,
        /// The person's minimum.
        min: u32,
    },
    /// The job's level for the person's stage.
    Stage {
        /// The person's stage.
        stage: Stage,
        /// The job's level.
        level: Level,
    },
    /// Where: remote, or km to the office.
    Locality {
        /// None: fully remote.
        km: Option<u16>,
    },
    /// A work style the person prefers.
    Style,
}

/// A fit: the total (0–1000) and each part with what it added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fit {
    /// The score.
    pub score: u32,
    /// The parts, each with its points, in the order above.
    pub parts: Vec<(Part, u32)>,
}

fn level_of(skills: &[(SkillId, u8)], s: SkillId) -> u8 {
    skills
        .iter()
        .find(|(id, _)| *id == s)
        .map_or(0, |(_, l)| *l)
}

/// Scores a pair, or says which rule forbids it. `km` is the distance between the person's
/// municipality and the job's office (needed only for jobs with office visits).
pub fn fit(p: &Person, j: &Job, km: Option<u16>, w: &Weights) -> Result<Fit, Refusal> {
    let mut parts = Vec::with_capacity(j.skills.len() + 6);
    let score = evaluate(p, j, km, w, |part, pts| parts.push((part, pts)))?;
    Ok(Fit { score, parts })
}

/// The score alone, without the parts (no allocation: for ranking thousands of candidates).
pub fn score(p: &Person, j: &Job, km: Option<u16>, w: &Weights) -> Result<u32, Refusal> {
    evaluate(p, j, km, w, |_, _| {})
}

/// The rules and the arithmetic, once: each part goes to `part` as it is counted.
#[inline]
fn evaluate(
    p: &Person,
    j: &Job,
    km: Option<u16>,
    w: &Weights,
    mut part: impl FnMut(Part, u32),
) -> Result<u32, Refusal> {
    if j.hours > p.spare_hours {
        return Err(Refusal::Hours {
            needed: j.hours,
            spare: p.spare_hours,
        });
    }
    if j.windows != 0 && j.windows & p.windows != j.windows {
        return Err(Refusal::Windows);
    }
    if j.pay < p.min_pay {
        return Err(Refusal::Pay {
            pay: j.pay,
            min: p.min_pay,
        });
    }
    match (p.stage, j.level) {
        (Stage::Learning, Level::Recurring) => return Err(Refusal::TooEarly),
        (Stage::Recurring, Level::Ojt) => return Err(Refusal::TooBasic),
        _ => {}
    }
    if j.office_visits > 0 && p.office_visits > 0 && j.office_visits > p.office_visits {
        return Err(Refusal::Visits {
            asked: j.office_visits,
            accepted: p.office_visits,
        });
    }
    if j.office_visits > 0 {
        let travels = p.office_visits > 0 && p.travel_km > 0;
        if !travels || km.is_none_or(|d| d > p.travel_km) {
            return Err(Refusal::Office {
                km: travels.then_some(km.unwrap_or(u16::MAX)),
            });
        }
    }
    let mut total = 0u32;
    let mut add = |(pt, pts): (Part, u32)| {
        total += pts;
        part(pt, pts);
    };
    // Skills: each asked skill is worth an equal share; a level below the one asked earns a
    // part of it, a level above a little more (capped at the share).
    if !j.skills.is_empty() {
        let share = u32::from(w.skills) / j.skills.len() as u32;
        for &(s, need) in &j.skills {
            let have = level_of(&p.skills, s);
            let pts = if have == 0 {
                0
            } else if have >= need {
                share
            } else {
                share * u32::from(have) / u32::from(need.max(1))
            };
            add((
                Part::Skill {
                    skill: s,
                    have,
                    need,
                },
                pts,
            ));
        }
    } else {
        add((
            Part::Skill {
                skill: 0,
                have: 0,
                need: 0,
            },
            u32::from(w.skills) / 2,
        ));
    }
    // Hours: using most of the spare hours is best (people asked for a few hours a day).
    let used = u32::from(j.hours) * 100 / u32::from(p.spare_hours.max(1));
    add((
        Part::Hours {
            job: j.hours,
            spare: p.spare_hours,
        },
        u32::from(w.hours) * used.min(100) / 100,
    ));
    if j.windows != 0 {
        add((
            Part::Windows {
                shared: j.windows & p.windows,
            },
            0,
        ));
    }
    // Pay: up to 50% above the minimum earns the full weight.
    let margin = (j.pay - p.min_pay) * 100 / p.min_pay.max(1);
    add((
        Part::Pay {
            pay: j.pay,
            min: p.min_pay,
        },
        u32::from(w.pay) * margin.min(50) / 50,
    ));
    // Stage: the next step is best, the same level is good.
    let stage_pts = match (p.stage, j.level) {
        (Stage::Learning, Level::Ojt) | (Stage::FirstPaid, Level::Recurring) => 100,
        (Stage::Learning, Level::Small) | (Stage::Recurring, Level::Recurring) => 80,
        (Stage::FirstPaid, Level::Small) | (Stage::Recurring, Level::Small) => 60,
        _ => 30,
    };
    add((
        Part::Stage {
            stage: p.stage,
            level: j.level,
        },
        u32::from(w.stage) * stage_pts / 100,
    ));
    // Locality: remote is full; an office nearby nearly so, farther less.
    let loc = if j.office_visits == 0 {
        100
    } else {
        let d = u32::from(km.unwrap_or(0));
        100u32.saturating_sub(d * 60 / u32::from(p.travel_km.max(1)))
    };
    add((
        Part::Locality {
            km: (j.office_visits > 0).then_some(km.unwrap_or(0)),
        },
        u32::from(w.locality) * loc / 100,
    ));
    if p.styles & j.style != 0 {
        add((Part::Style, u32::from(w.style)));
    }
    Ok(total.min(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> Person {
        Person {
            skills: vec![(1, 3), (2, 1)],
            spare_hours: 20,
            windows: 0b11_1111_1111,
            min_pay: 1000,
            stage: Stage::FirstPaid,
            place: 0,
            travel_km: 20,
            office_visits: 2,
            styles: 1,
        }
    }

    fn job() -> Job {
        Job {
            skills: vec![(1, 2), (2, 2)],
            hours: 10,
            windows: 0b0100_0100,
            pay: 1200,
            level: Level::Small,
            place: 0,
            office_visits: 0,
            style: 1,
        }
    }

    #[test]
    fn each_part_says_what_it_counted() {
        let f = fit(&person(), &job(), None, &Weights::default()).unwrap();
        // Excel (1) at 3 of 2: the full 200; (2) at 1 of 2: 100; hours 50% of 150 = 75; pay 20%
        // above: 150 × 20/50 = 60; stage 60; remote 100; style 100.
        assert_eq!(
            f.parts[0],
            (
                Part::Skill {
                    skill: 1,
                    have: 3,
                    need: 2
                },
                200
            )
        );
        assert_eq!(f.parts[1].1, 100);
        assert_eq!(f.score, 200 + 100 + 75 + 60 + 60 + 100 + 100);
    }

    #[test]
    fn the_hard_rules_refuse_with_their_reason() {
        let w = Weights::default();
        let mut j = job();
        j.hours = 30;
        assert_eq!(
            fit(&person(), &j, None, &w),
            Err(Refusal::Hours {
                needed: 30,
                spare: 20
            })
        );
        let mut j = job();
        j.pay = 900;
        assert!(matches!(
            fit(&person(), &j, None, &w),
            Err(Refusal::Pay { .. })
        ));
        let mut p = person();
        p.stage = Stage::Learning;
        let mut j = job();
        j.level = Level::Recurring;
        assert_eq!(fit(&p, &j, None, &w), Err(Refusal::TooEarly));
        p.stage = Stage::Recurring;
        j.level = Level::Ojt;
        assert_eq!(fit(&p, &j, None, &w), Err(Refusal::TooBasic));
        let mut j = job();
        j.office_visits = 2;
        assert_eq!(
            fit(&person(), &j, Some(35), &w),
            Err(Refusal::Office { km: Some(35) })
        );
        assert!(fit(&person(), &j, Some(10), &w).is_ok());
        j.office_visits = 3;
        assert_eq!(
            fit(&person(), &j, Some(10), &w),
            Err(Refusal::Visits {
                asked: 3,
                accepted: 2
            })
        );
        let mut j = job();
        j.windows = 1 << 14;
        let mut p = person();
        p.windows = 1;
        assert_eq!(fit(&p, &j, None, &w), Err(Refusal::Windows));
    }
}
