//! Recommendations both ways — the best jobs for a person, the best people for a job — each with
//! its explanation ([`Fit::parts`]). Candidates come from inverted indexes by skill (and jobs that
//! ask for no skill are candidates for everyone), so the work grows with the candidates a
//! person's skills reach, not with people × jobs; every candidate then passes the hard rules of
//! [`crate::score::fit`] before it is scored.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::score::{Fit, Job, Person, Refusal, SkillId, Weights, fit, score};

/// A recommendation: who or what, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    /// The job (for a person) or the person (for a job), as an index.
    pub id: u32,
    /// The fit with its parts.
    pub fit: Fit,
}

/// Indexes of people and jobs by skill, built once per batch of recommendations.
#[derive(Debug, Clone)]
pub struct Index<'a> {
    persons: &'a [Person],
    jobs: &'a [Job],
    jobs_by_skill: Vec<Vec<u32>>,
    jobs_without_skills: Vec<u32>,
    persons_by_skill: Vec<Vec<u32>>,
    weights: Weights,
}

fn skill_slots(persons: &[Person], jobs: &[Job]) -> usize {
    persons
        .iter()
        .flat_map(|p| p.skills.iter())
        .chain(jobs.iter().flat_map(|j| j.skills.iter()))
        .map(|(s, _)| *s as usize + 1)
        .max()
        .unwrap_or(0)
}

impl<'a> Index<'a> {
    /// Indexes `persons` and `jobs` by the skills they have and ask for.
    pub fn new(persons: &'a [Person], jobs: &'a [Job], weights: Weights) -> Self {
        let slots = skill_slots(persons, jobs);
        let mut jobs_by_skill = vec![Vec::new(); slots];
        let mut jobs_without_skills = Vec::new();
        for (i, j) in jobs.iter().enumerate() {
            if j.skills.is_empty() {
                jobs_without_skills.push(i as u32);
            }
            for &(s, _) in &j.skills {
                jobs_by_skill[s as usize].push(i as u32);
            }
        }
        let mut persons_by_skill = vec![Vec::new(); slots];
        for (i, p) in persons.iter().enumerate() {
            for &(s, _) in &p.skills {
                persons_by_skill[s as usize].push(i as u32);
            }
        }
        Index {
            persons,
            jobs,
            jobs_by_skill,
            jobs_without_skills,
            persons_by_skill,
            weights,
        }
    }

    fn list(lists: &[Vec<u32>], s: SkillId) -> &[u32] {
        lists.get(s as usize).map_or(&[], Vec::as_slice)
    }

    /// Person `p` and job `j` scored with their parts, or the rule that refuses them.
    pub fn fit(&self, p: u32, j: u32, km: &dyn Fn(u32, u32) -> u16) -> Result<Fit, Refusal> {
        let person = &self.persons[p as usize];
        let job = &self.jobs[j as usize];
        let d = (job.office_visits > 0).then(|| km(person.place, job.place));
        fit(person, job, d, &self.weights)
    }

    /// Every job person `p` may take (it asks for one of their skills, or for none, and passes
    /// the hard rules), each once, with its score: the candidates of an allocation. `seen` as in
    /// [`Index::jobs_for`].
    pub fn each_job_for(
        &self,
        p: u32,
        km: &dyn Fn(u32, u32) -> u16,
        seen: &mut Vec<bool>,
        mut f: impl FnMut(u32, u32),
    ) {
        let person = &self.persons[p as usize];
        seen.resize(self.jobs.len(), false);
        let mut touched: Vec<u32> = Vec::new();
        let mut consider = |j: u32| {
            if std::mem::replace(&mut seen[j as usize], true) {
                return;
            }
            touched.push(j);
            let job = &self.jobs[j as usize];
            let d = (job.office_visits > 0).then(|| km(person.place, job.place));
            if let Ok(sc) = score(person, job, d, &self.weights) {
                f(j, sc);
            }
        };
        for &(s, _) in &person.skills {
            for &j in Self::list(&self.jobs_by_skill, s) {
                consider(j);
            }
        }
        for &j in &self.jobs_without_skills {
            consider(j);
        }
        for j in touched {
            seen[j as usize] = false;
        }
    }

    /// The `k` best jobs for person `p` (best first, ties by job index), with `km` giving the
    /// distance between two municipalities. `seen` is scratch space of one flag per job (reused
    /// across calls; left all false).
    pub fn jobs_for(
        &self,
        p: u32,
        k: usize,
        km: &dyn Fn(u32, u32) -> u16,
        seen: &mut Vec<bool>,
    ) -> Vec<Recommendation> {
        let person = &self.persons[p as usize];
        let mut heap: BinaryHeap<Reverse<(u32, Reverse<u32>)>> = BinaryHeap::with_capacity(k + 1);
        self.each_job_for(p, km, seen, |j, sc| {
            heap.push(Reverse((sc, Reverse(j))));
            if heap.len() > k {
                heap.pop();
            }
        });
        let mut best: Vec<u32> = heap.into_iter().map(|Reverse((_, Reverse(j)))| j).collect();
        best.sort_unstable();
        let mut out: Vec<Recommendation> = best
            .into_iter()
            .filter_map(|j| {
                let job = &self.jobs[j as usize];
                let d = (job.office_visits > 0).then(|| km(person.place, job.place));
                fit(person, job, d, &self.weights)
                    .ok()
                    .map(|fit| Recommendation { id: j, fit })
            })
            .collect();
        out.sort_by(|a, b| b.fit.score.cmp(&a.fit.score).then(a.id.cmp(&b.id)));
        out
    }

    /// The `k` best people for job `j` (best first, ties by person index): those with one of
    /// the skills it asks for (everyone, for a job that asks for none).
    pub fn persons_for(
        &self,
        j: u32,
        k: usize,
        km: &dyn Fn(u32, u32) -> u16,
        seen: &mut Vec<bool>,
    ) -> Vec<Recommendation> {
        let job = &self.jobs[j as usize];
        seen.resize(self.persons.len(), false);
        let mut touched: Vec<u32> = Vec::new();
        let mut heap: BinaryHeap<Reverse<(u32, Reverse<u32>)>> = BinaryHeap::with_capacity(k + 1);
        let mut consider = |p: u32, heap: &mut BinaryHeap<Reverse<(u32, Reverse<u32>)>>| {
            if std::mem::replace(&mut seen[p as usize], true) {
                return;
            }
            touched.push(p);
            let person = &self.persons[p as usize];
            let d = (job.office_visits > 0).then(|| km(person.place, job.place));
            if let Ok(sc) = score(person, job, d, &self.weights) {
                heap.push(Reverse((sc, Reverse(p))));
                if heap.len() > k {
                    heap.pop();
                }
            }
        };
        if job.skills.is_empty() {
            for p in 0..self.persons.len() as u32 {
                consider(p, &mut heap);
            }
        } else {
            for &(s, _) in &job.skills {
                for &p in Self::list(&self.persons_by_skill, s) {
                    consider(p, &mut heap);
                }
            }
        }
        for p in touched {
            seen[p as usize] = false;
        }
        let mut out: Vec<Recommendation> = heap
            .into_iter()
            .filter_map(|Reverse((_, Reverse(p)))| {
                let person = &self.persons[p as usize];
                let d = (job.office_visits > 0).then(|| km(person.place, job.place));
                fit(person, job, d, &self.weights)
                    .ok()
                    .map(|fit| Recommendation { id: p, fit })
            })
            .collect();
        out.sort_by(|a, b| b.fit.score.cmp(&a.fit.score).then(a.id.cmp(&b.id)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::instance;

    /// The best `k` by scoring everyone: what the index must find.
    fn brute(inst: &crate::generate::Instance, p: u32, k: usize) -> Vec<(u32, u32)> {
        let person = &inst.persons[p as usize];
        let mut all: Vec<(u32, u32)> = inst
            .jobs
            .iter()
            .enumerate()
            .filter_map(|(j, job)| {
                let d = (job.office_visits > 0).then(|| inst.km(person.place, job.place));
                let f = fit(person, job, d, &Weights::default()).ok()?;
                // Only jobs sharing a skill (or asking none) are candidates.
                let shares = job.skills.is_empty()
                    || job
                        .skills
                        .iter()
                        .any(|(s, _)| person.skills.iter().any(|(t, _)| t == s));
                shares.then_some((f.score, j as u32))
            })
            .collect();
        all.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        all.truncate(k);
        all
    }

    #[test]
    fn the_index_finds_what_scoring_everyone_finds() {
        let inst = instance(600, 120, 5);
        let index = Index::new(&inst.persons, &inst.jobs, Weights::default());
        let km = |a, b| inst.km(a, b);
        let mut seen = Vec::new();
        for p in 0..600u32 {
            let got: Vec<(u32, u32)> = index
                .jobs_for(p, 10, &km, &mut seen)
                .iter()
                .map(|r| (r.fit.score, r.id))
                .collect();
            assert_eq!(got, brute(&inst, p, 10), "person {p}");
        }
        assert!(seen.iter().all(|s| !s), "scratch left clean");
        // And the other way: each recommended person would have this job among theirs.
        for j in 0..120u32 {
            for r in index.persons_for(j, 10, &km, &mut seen) {
                let job = &inst.jobs[j as usize];
                let person = &inst.persons[r.id as usize];
                let d = (job.office_visits > 0).then(|| inst.km(person.place, job.place));
                assert_eq!(fit(person, job, d, &Weights::default()).unwrap(), r.fit);
            }
        }
    }
}
