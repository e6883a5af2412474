//! Seeded, realistic allocation instances: people with skills at levels, spare hours, time
//! windows, a minimum pay, a growth stage and a home municipality; jobs asking for skills,
//! hours, pay, a level and sometimes office visits; municipalities on a plane with travel
//! distances. Each person gets about 30 candidate jobs that pass the hard rules of
//! [`crate::score`], scored by it; places are scarce (about five people per place).
//!
//! The same seed and sizes give the same instance on every machine.

use crate::problem::{Edge, Problem};
use crate::rng::Rng;
use crate::score::{Job, Level, Person, Stage, Weights, score};

/// Sizes of the issue's instances: S, M and L (persons × jobs).
pub const SIZES: [(&str, usize, usize); 3] = [
    ("S", 1_000, 200),
    ("M", 100_000, 10_000),
    ("L", 1_000_000, 100_000),
];

/// How many kinds of skill there are.
const SKILLS: u32 = 60;
/// Candidates sought per person.
const CANDIDATES: usize = 30;

/// A generated instance: the people and jobs behind the problem, for recommendations too.
#[derive(Debug, Clone)]
pub struct Instance {
    /// The people.
    pub persons: Vec<Person>,
    /// The jobs.
    pub jobs: Vec<Job>,
    /// Municipality coordinates in km.
    pub places: Vec<(f32, f32)>,
    /// The allocation problem (cost = −fit).
    pub problem: Problem,
}

impl Instance {
    /// The distance in whole km between two municipalities.
    pub fn km(&self, a: u32, b: u32) -> u16 {
        let (x, y) = (self.places[a as usize], self.places[b as usize]);
        ((x.0 - y.0).hypot(x.1 - y.1))
            .round()
            .min(f32::from(u16::MAX)) as u16
    }
}

fn skills(rng: &mut Rng, n: usize, popular: &[u32]) -> Vec<(u32, u8)> {
    let mut out: Vec<(u32, u8)> = Vec::with_capacity(n);
    while out.len() < n {
        // Half of all skills come from a few common ones (Excel, writing, data entry …).
        let s = if rng.chance(0.5) {
            popular[rng.below(popular.len() as u64) as usize]
        } else {
            rng.below(u64::from(SKILLS)) as u32
        };
        if !out.iter().any(|(x, _)| *x == s) {
            out.push((s, rng.range(1, 5) as u8));
        }
    }
    out
}

fn windows(rng: &mut Rng) -> u16 {
    // Mornings on weekdays for many parents; afternoons; evenings; weekends.
    let mut w = 0u16;
    for day in 0..5 {
        if rng.chance(0.7) {
            w |= 1 << (2 * day);
        }
        if rng.chance(0.5) {
            w |= 1 << (2 * day + 1);
        }
    }
    if rng.chance(0.3) {
        w |= 0b1111 << 10;
    }
    if rng.chance(0.4) {
        w |= 1 << 14;
    }
    w
}

/// Generates an instance of `persons` × `jobs` from `seed`.
pub fn instance(persons: usize, jobs: usize, seed: u64) -> Instance {
    let mut rng = Rng::new(seed);
    // Municipalities: about one per 2,000 people, on a 300 × 300 km prefecture-sized plane
    // (a national instance is many such planes; distances beyond travel range never matter).
    let n_places = (persons / 2_000).clamp(5, 2_000);
    let places: Vec<(f32, f32)> = (0..n_places)
        .map(|_| {
            (
                rng.below(300_000) as f32 / 1000.0,
                rng.below(300_000) as f32 / 1000.0,
            )
        })
        .collect();
    let popular: Vec<u32> = (0..8).collect();
    let people: Vec<Person> = (0..persons)
        .map(|_| {
            let n = rng.range(1, 4) as usize;
            Person {
                skills: skills(&mut rng, n, &popular),
                spare_hours: rng.range(5, 30) as u16,
                windows: windows(&mut rng),
                min_pay: (rng.range(9, 14) * 100) as u32,
                stage: match rng.below(10) {
                    0..=4 => Stage::Learning,
                    5..=7 => Stage::FirstPaid,
                    _ => Stage::Recurring,
                },
                place: rng.below(n_places as u64) as u32,
                travel_km: if rng.chance(0.4) {
                    0
                } else {
                    rng.range(5, 40) as u16
                },
                // People who travel accept the visits any generated job asks for (1–3).
                office_visits: 4,
                styles: 1 << rng.below(4),
            }
        })
        .collect();
    // Places: about five people per place.
    let total_places = (persons / 5).max(jobs);
    let work: Vec<Job> = (0..jobs)
        .map(|i| {
            let n = rng.range(1, 3) as usize;
            Job {
                skills: skills(&mut rng, n, &popular)
                    .into_iter()
                    .map(|(s, l)| (s, l.min(4)))
                    .collect(),
                hours: rng.range(3, 15) as u16,
                windows: if rng.chance(0.6) {
                    0
                } else {
                    1 << (2 * rng.below(5))
                },
                pay: (rng.range(10, 20) * 100) as u32,
                level: match rng.below(10) {
                    0..=2 => Level::Ojt,
                    3..=7 => Level::Small,
                    _ => Level::Recurring,
                },
                place: rng.below(n_places as u64) as u32,
                office_visits: if i % 7 != 0 && rng.chance(0.25) {
                    rng.range(1, 4) as u8
                } else {
                    0
                },
                style: 1 << rng.below(4),
            }
        })
        .collect();
    let cap_j: Vec<u32> = (0..jobs)
        .map(|i| {
            let base = total_places / jobs;
            let extra = usize::from(i < total_places % jobs);
            (base + extra) as u32
        })
        .collect();
    // Candidates: jobs asking for a skill the person has (an inverted index by skill), tried
    // in random order until about 30 pass the hard rules.
    let mut by_skill: Vec<Vec<u32>> = vec![Vec::new(); SKILLS as usize];
    for (i, j) in work.iter().enumerate() {
        for &(s, _) in &j.skills {
            by_skill[s as usize].push(i as u32);
        }
    }
    let weights = Weights::default();
    let mut inst = Instance {
        persons: Vec::new(),
        jobs: Vec::new(),
        places,
        problem: Problem {
            cap_w: Vec::with_capacity(persons),
            cap_j,
            edges: Vec::with_capacity(persons * CANDIDATES),
        },
    };
    let mut seen: Vec<u32> = Vec::with_capacity(CANDIDATES * 4);
    for (w, p) in people.iter().enumerate() {
        seen.clear();
        let mut found = 0;
        let pool: Vec<&Vec<u32>> = p
            .skills
            .iter()
            .map(|(s, _)| &by_skill[*s as usize])
            .filter(|v| !v.is_empty())
            .collect();
        let mut tries = 0;
        while found < CANDIDATES && tries < CANDIDATES * 6 && !pool.is_empty() {
            tries += 1;
            let list = pool[rng.below(pool.len() as u64) as usize];
            let j = list[rng.below(list.len() as u64) as usize];
            if seen.contains(&j) {
                continue;
            }
            seen.push(j);
            let job = &work[j as usize];
            let km = (job.office_visits > 0).then(|| inst.km(p.place, job.place));
            if let Ok(sc) = score(p, job, km, &weights)
                && sc > 0
            {
                inst.problem.edges.push(Edge {
                    w: w as u32,
                    j,
                    cost: -(sc as i32),
                });
                found += 1;
            }
        }
        // Capacity: the jobs their hours allow (most people take one).
        inst.problem
            .cap_w
            .push(1 + u32::from(p.spare_hours >= 20) + u32::from(p.spare_hours >= 28));
    }
    inst.persons = people;
    inst.jobs = work;
    inst
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_instance() {
        let a = instance(300, 60, 7);
        let b = instance(300, 60, 7);
        assert_eq!(a.problem, b.problem);
        assert_ne!(a.problem, instance(300, 60, 8).problem);
        a.problem.check().expect("a valid problem");
    }

    #[test]
    fn instances_look_like_the_issue_asks() {
        let inst = instance(5_000, 500, 1);
        let p = &inst.problem;
        let per_person = p.edges.len() as f64 / p.cap_w.len() as f64;
        assert!(
            (20.0..=30.0).contains(&per_person),
            "{per_person} candidates each"
        );
        let places: u32 = p.cap_j.iter().sum();
        assert_eq!(places, 1_000, "five people per place");
        assert!(p.edges.iter().all(|e| (-1000..0).contains(&e.cost)));
    }
}
