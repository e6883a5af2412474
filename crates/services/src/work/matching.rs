//! Matching in the product: the jobs a resident is recommended, the people a posting suits, and
//! a coordinator's allocation of a cohort to a region's open places — exact (the maximum total
//! fit, [`jimoto_matching::flow`]), beside what best-first would give, with the coordinator's
//! pins and forbidden pairs honoured, and accepted as applications in one transaction.
//!
//! Everything is read per region (a posting recruits in one region; its office, if any, is in
//! that municipality), mapped to the engine by [`jimoto_domain::work::matching`] and scored by
//! the settings' weights.

use std::collections::{HashMap, HashSet};

use jimoto_domain::growth::Stage;
use jimoto_domain::resident::Resident;
use jimoto_domain::work::matching::{
    self as dm, AllocationRequest, Candidate, Explained, Match1Solution, OpenPlaces, PairRef,
    Proposal, ProposedPair, Vocabulary,
};
use jimoto_domain::work::selection::ApplicationInput;
use jimoto_domain::work::{Application, Posting};
use jimoto_domain::{
    Actor, FieldError, PostingId, RegionId, ResidentId, ValidationFailure, WorkAction,
};
use jimoto_matching::recommend::Index;
use jimoto_matching::score::{Job, Person, Weights};
use jimoto_matching::{Allocation, Edge, PairRule, Problem, greedy};
use jimoto_store::{Conn, growth as gstore, residents as rstore, work as wstore};

use super::selection::apply_in;
use crate::{ServiceError, ServiceResult, Services, require};

/// A job recommended to a resident, with why.
#[derive(Debug, Clone)]
pub struct RecommendedJob {
    /// The posting.
    pub posting: Posting,
    /// The fit and its reasons.
    pub fit: Explained,
}

/// A person a posting suits, with why.
#[derive(Debug, Clone)]
pub struct RecommendedPerson {
    /// The person.
    pub person: Candidate,
    /// The fit and its reasons.
    pub fit: Explained,
}

/// The most pairs one acceptance creates.
pub const MAX_ACCEPTED: usize = 5000;

/// What matching reads of a region: its residents with their stages, its open postings with the
/// places they have left, the pairs already applied for, and the engine's view of each.
struct Scene {
    residents: Vec<Resident>,
    stages: Vec<Stage>,
    postings: Vec<Posting>,
    left: Vec<i64>,
    applied: HashSet<(ResidentId, PostingId)>,
    persons: Vec<Person>,
    jobs: Vec<Job>,
    vocab: Vocabulary,
}

/// Whom a scene reads.
enum Who {
    /// Every resident of the region (an allocation).
    Everyone,
    /// One resident (their recommendations).
    One(Box<Resident>),
    /// Those with one of these skills (the people a posting asking for them suits).
    WithSkills(Vec<String>),
}

impl Scene {
    /// The region's scene with the people `who` says.
    async fn read(conn: &mut Conn, region: RegionId, who: Who) -> ServiceResult<Scene> {
        let (residents, stages_now) = match who {
            Who::One(r) => {
                let stage = gstore::stage_now(&mut *conn, r.id).await?;
                let stages = stage.into_iter().map(|s| (r.id, s)).collect();
                (vec![*r], stages)
            }
            Who::Everyone => (
                rstore::all_in(&mut *conn, region, None).await?,
                gstore::stages_in(&mut *conn, region).await?,
            ),
            Who::WithSkills(asked) => {
                // The names typed in the region that are one of the skills asked, however typed.
                let mut vocab = Vocabulary::default();
                let wanted: HashSet<u32> = asked.iter().map(|s| vocab.id(s)).collect();
                let names: Vec<String> = rstore::skill_names_in(&mut *conn, region)
                    .await?
                    .into_iter()
                    .filter(|n| wanted.contains(&vocab.id(n)))
                    .collect();
                (
                    rstore::all_in(&mut *conn, region, Some(&names)).await?,
                    gstore::stages_in(&mut *conn, region).await?,
                )
            }
        };
        let postings = wstore::open_in_region(&mut *conn, region).await?;
        let hired = wstore::selection::hired_per_posting(&mut *conn, region).await?;
        let applied = wstore::selection::applied_pairs(&mut *conn, region).await?;
        let stages: Vec<Stage> = residents
            .iter()
            .map(|r| stages_now.get(&r.id).map_or(Stage::Interested, |s| s.stage))
            .collect();
        let left = postings
            .iter()
            .map(|p| (p.places - hired.get(&p.id).copied().unwrap_or(0)).max(0))
            .collect();
        let mut vocab = Vocabulary::default();
        // Everyone here is in the region, as is every office: one place.
        let persons = residents
            .iter()
            .zip(&stages)
            .map(|(r, s)| dm::person(r, *s, 0, &mut vocab))
            .collect();
        let jobs = postings.iter().map(|p| dm::job(p, 0, &mut vocab)).collect();
        Ok(Scene {
            residents,
            stages,
            postings,
            left,
            applied,
            persons,
            jobs,
            vocab,
        })
    }

    fn explain(&self, fit: &jimoto_matching::score::Fit, w: usize, j: usize) -> Explained {
        dm::explain(
            fit,
            &self.residents[w],
            self.stages[w],
            &self.postings[j],
            &self.vocab,
        )
    }

    fn candidate(&self, w: usize) -> Candidate {
        Candidate {
            resident_id: self.residents[w].id,
            name: self.residents[w].name.clone(),
            stage: self.stages[w],
        }
    }

    /// Where each resident and each posting is in the scene.
    fn positions(&self) -> (HashMap<ResidentId, usize>, HashMap<PostingId, usize>) {
        (
            self.residents
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id, i))
                .collect(),
            self.postings
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id, i))
                .collect(),
        )
    }

    fn applied(&self, w: usize, j: usize) -> bool {
        self.applied
            .contains(&(self.residents[w].id, self.postings[j].id))
    }
}

/// An allocation's problem: people `cohort` (indices into the scene) × the postings with places
/// left, every pair that passes the rules, is not applied for already and fits at all.
struct Built {
    problem: Problem,
    /// Person of the problem → resident index in the scene.
    people: Vec<usize>,
    /// Job of the problem → posting index in the scene.
    jobs: Vec<usize>,
    /// (resident index, posting index) → edge.
    edge_of: HashMap<(usize, usize), u32>,
}

fn build(scene: &Scene, index: &Index<'_>, cohort: &[usize], per_person: u32) -> Built {
    let jobs: Vec<usize> = (0..scene.postings.len())
        .filter(|&j| scene.left[j] > 0)
        .collect();
    let job_of: HashMap<usize, u32> = jobs
        .iter()
        .enumerate()
        .map(|(i, &j)| (j, i as u32))
        .collect();
    let mut seen = Vec::new();
    let mut edges = Vec::new();
    let mut edge_of = HashMap::new();
    for (w, &r) in cohort.iter().enumerate() {
        let mut mine = Vec::new();
        index.each_job_for(r as u32, &dm::km, &mut seen, |j, score| {
            mine.push((j as usize, score));
        });
        mine.sort_unstable();
        for (j, score) in mine {
            let Some(&jj) = job_of.get(&j) else { continue };
            if score == 0 || scene.applied(r, j) {
                continue;
            }
            edge_of.insert((r, j), edges.len() as u32);
            edges.push(Edge {
                w: w as u32,
                j: jj,
                cost: -(score as i32),
            });
        }
    }
    Built {
        problem: Problem {
            cap_w: vec![per_person; cohort.len()],
            cap_j: jobs
                .iter()
                .map(|&j| u32::try_from(scene.left[j]).unwrap_or(u32::MAX))
                .collect(),
            edges,
        },
        people: cohort.to_vec(),
        jobs,
        edge_of,
    }
}

impl Services {
    fn weights(&self) -> Weights {
        self.config().match_weights
    }

    /// The `k` open postings of the resident's region that suit them best, with why: for the
    /// resident and the coordinators of their region. Postings they applied for are left out.
    pub async fn recommended_jobs(
        &self,
        actor: &Actor,
        resident: ResidentId,
        k: usize,
    ) -> ServiceResult<Vec<RecommendedJob>> {
        let mut conn = self.db().conn().await?;
        let r = rstore::get(&mut conn, resident)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if !actor.may(WorkAction::Apply {
            resident,
            region: r.region_id,
        }) {
            return Err(ServiceError::NotFound);
        }
        let scene = Scene::read(&mut conn, r.region_id, Who::One(Box::new(r))).await?;
        let Some(w) = scene.residents.iter().position(|x| x.id == resident) else {
            return Ok(Vec::new());
        };
        let index = Index::new(&scene.persons, &scene.jobs, self.weights());
        let mut seen = Vec::new();
        // Ask for more than k, since applied ones are dropped after ranking.
        let applied = scene.applied.iter().filter(|(r, _)| *r == resident).count();
        Ok(index
            .jobs_for(w as u32, k + applied, &dm::km, &mut seen)
            .into_iter()
            .filter(|rec| !scene.applied(w, rec.id as usize))
            .take(k)
            .map(|rec| RecommendedJob {
                fit: scene.explain(&rec.fit, w, rec.id as usize),
                posting: scene.postings[rec.id as usize].clone(),
            })
            .collect())
    }

    /// The `k` residents of a posting's region it suits best, with why: for that region's
    /// coordinators. People who applied already are left out.
    pub async fn recommended_people(
        &self,
        actor: &Actor,
        posting: PostingId,
        k: usize,
    ) -> ServiceResult<Vec<RecommendedPerson>> {
        let mut conn = self.db().conn().await?;
        let p = wstore::posting(&mut conn, posting)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if !actor.may(WorkAction::Match {
            region: p.region_id,
        }) {
            return Err(ServiceError::NotFound);
        }
        // A posting that asks for skills is a candidate for the people with one of them (as
        // the index has it); one that asks for none, for everyone.
        let who = if p.skills.is_empty() {
            Who::Everyone
        } else {
            Who::WithSkills(p.skills.iter().map(|s| s.name.clone()).collect())
        };
        let scene = Scene::read(&mut conn, p.region_id, who).await?;
        let Some(j) = scene.postings.iter().position(|x| x.id == posting) else {
            // Not open: nobody is recommended for it.
            return Ok(Vec::new());
        };
        let index = Index::new(&scene.persons, &scene.jobs, self.weights());
        let mut seen = Vec::new();
        let applied = scene.applied.iter().filter(|(_, q)| *q == posting).count();
        Ok(index
            .persons_for(j as u32, k + applied, &dm::km, &mut seen)
            .into_iter()
            .filter(|rec| !scene.applied(rec.id as usize, j))
            .take(k)
            .map(|rec| RecommendedPerson {
                person: scene.candidate(rec.id as usize),
                fit: scene.explain(&rec.fit, rec.id as usize, j),
            })
            .collect())
    }

    /// The region's programs people have completed, with how many: the cohorts a coordinator
    /// can allocate.
    pub async fn cohort_programs(
        &self,
        actor: &Actor,
        region: RegionId,
    ) -> ServiceResult<Vec<(jimoto_domain::ProgramId, String, i64)>> {
        require(actor, WorkAction::Match { region })?;
        let mut conn = self.db().conn().await?;
        Ok(gstore::completed_programs(&mut conn, region).await?)
    }

    /// The people an allocation weighs: those who completed the program (in the period), or
    /// every resident of the region. Indices into the scene.
    async fn cohort(
        conn: &mut Conn,
        region: RegionId,
        req: &AllocationRequest,
        scene: &Scene,
    ) -> ServiceResult<Vec<usize>> {
        let Some(program) = req.program_id else {
            return Ok((0..scene.residents.len()).collect());
        };
        let p = jimoto_store::programs::get(&mut *conn, program)
            .await?
            .ok_or(ServiceError::NotFound)?;
        // The caller may allocate in `region`; another region's program is not found.
        if p.region_id != region {
            return Err(ServiceError::NotFound);
        }
        let day = |t| jimoto_domain::calendar::jst_date(t);
        let done: HashSet<ResidentId> = gstore::enrolments(
            &mut *conn,
            program,
            Some(jimoto_domain::growth::EnrolmentStatus::Enrolled),
        )
        .await?
        .into_iter()
        .filter_map(|e| e.completed_at.map(|t| (e.resident_id, day(t))))
        .filter(|(_, d)| req.completed_from.is_none_or(|f| *d >= f))
        .filter(|(_, d)| req.completed_to.is_none_or(|t| *d <= t))
        .map(|(r, _)| r)
        .collect();
        Ok((0..scene.residents.len())
            .filter(|&w| done.contains(&scene.residents[w].id))
            .collect())
    }

    /// The exact allocation of a cohort of a region to its open places: the maximum total fit
    /// with each person given at most `jobs_per_person` jobs and each posting no more people
    /// than its places left, the pinned pairs in and the forbidden ones out; beside it, what
    /// best-first gives under the same decisions. For the region's coordinators. Nothing is
    /// written: [`Services::accept_allocation`] applies.
    pub async fn allocate(
        &self,
        actor: &Actor,
        region: RegionId,
        req: &AllocationRequest,
    ) -> ServiceResult<Proposal> {
        require(actor, WorkAction::Match { region })?;
        let per_person = req.per_person()?;
        let mut conn = self.db().conn().await?;
        let scene = Scene::read(&mut conn, region, Who::Everyone).await?;
        let cohort = Self::cohort(&mut conn, region, req, &scene).await?;
        let index = Index::new(&scene.persons, &scene.jobs, self.weights());
        let built = build(&scene, &index, &cohort, per_person);
        let (resident_at, posting_at) = scene.positions();
        let edge = |pair: &PairRef| {
            let r = resident_at.get(&pair.resident_id)?;
            let p = posting_at.get(&pair.posting_id)?;
            built.edge_of.get(&(*r, *p)).copied()
        };
        let mut alloc = Allocation::new(built.problem.clone());
        let mut problems = Vec::new();
        for (i, pair) in req.forbidden.iter().enumerate() {
            if let Some(e) = edge(pair) {
                alloc
                    .set_rule(e, PairRule::Forbidden)
                    .map_err(|_| ServiceError::NotFound)?;
            } else if !resident_at.contains_key(&pair.resident_id) {
                problems.push(FieldError::new(format!("forbidden[{i}]"), "not_found"));
            }
        }
        for (i, pair) in req.pinned.iter().enumerate() {
            let field = format!("pinned[{i}]");
            match edge(pair) {
                None => {
                    let code = if !resident_at.contains_key(&pair.resident_id)
                        || !posting_at.contains_key(&pair.posting_id)
                    {
                        "not_found"
                    } else {
                        "not_a_candidate"
                    };
                    problems.push(FieldError::new(field, code));
                }
                Some(e) => {
                    if alloc.rules()[e as usize] == PairRule::Forbidden {
                        problems.push(FieldError::new(field, "forbidden"));
                    } else if alloc.set_rule(e, PairRule::Pinned).is_err() {
                        problems.push(FieldError::new(field, "no_room"));
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(ValidationFailure(problems).into());
        }
        let solution = alloc.reoptimise();
        let rules = alloc.rules().to_vec();
        let (greedy_cost, greedy_chosen) = greedy(&built.problem, &rules);
        let pair = |e: usize, pinned: bool| -> Option<ProposedPair> {
            let edge = built.problem.edges[e];
            let (w, j) = (built.people[edge.w as usize], built.jobs[edge.j as usize]);
            let fit = index.fit(w as u32, j as u32, &dm::km).ok()?;
            Some(ProposedPair {
                resident_id: scene.residents[w].id,
                posting_id: scene.postings[j].id,
                posting_title: scene.postings[j].title.clone(),
                organisation_name: scene.postings[j].organisation_name.clone(),
                fit: scene.explain(&fit, w, j),
                pinned,
            })
        };
        let chosen: HashSet<u32> = solution.chosen.iter().copied().collect();
        let pairs: Vec<ProposedPair> = solution
            .chosen
            .iter()
            .filter_map(|&e| pair(e as usize, rules[e as usize] == PairRule::Pinned))
            .collect();
        // Each person's best three pairs outside the proposal, to pin instead.
        let mut by_person: Vec<Vec<u32>> = vec![Vec::new(); built.people.len()];
        for (e, edge) in built.problem.edges.iter().enumerate() {
            if !chosen.contains(&(e as u32)) && rules[e] == PairRule::Open {
                by_person[edge.w as usize].push(e as u32);
            }
        }
        let mut alternatives = Vec::new();
        for mut list in by_person {
            list.sort_by_key(|&e| (built.problem.edges[e as usize].cost, e));
            alternatives.extend(
                list.into_iter()
                    .take(3)
                    .filter_map(|e| pair(e as usize, false)),
            );
        }
        let mut proposed = vec![0i64; built.jobs.len()];
        for &e in &solution.chosen {
            proposed[built.problem.edges[e as usize].j as usize] += 1;
        }
        Ok(Proposal {
            people: built.people.iter().map(|&w| scene.candidate(w)).collect(),
            postings: built
                .jobs
                .iter()
                .zip(&proposed)
                .map(|(&j, &n)| OpenPlaces {
                    posting_id: scene.postings[j].id,
                    title: scene.postings[j].title.clone(),
                    organisation_name: scene.postings[j].organisation_name.clone(),
                    places_left: scene.left[j],
                    proposed: n,
                })
                .collect(),
            candidate_pairs: built.problem.edges.len(),
            pairs,
            alternatives,
            forbidden: req.forbidden.clone(),
            total: solution.objective(),
            greedy_total: -greedy_cost,
            greedy_pairs: greedy_chosen.len(),
        })
    }

    /// Accepts an allocation's pairs: each becomes an application in the organisation's
    /// selection (the coordinator applying on the person's behalf), and each person's growth
    /// path reaches "applied". Every pair is checked again as things stand now — the person in
    /// the region, the posting open there with a place left, the pair passing the rules and not
    /// applied for — and every problem is reported by its row; all or nothing is written.
    pub async fn accept_allocation(
        &self,
        actor: &Actor,
        region: RegionId,
        pairs: &[PairRef],
    ) -> ServiceResult<Vec<Application>> {
        require(actor, WorkAction::Match { region })?;
        if pairs.is_empty() {
            return Err(ValidationFailure::single("pairs", "required").into());
        }
        if pairs.len() > MAX_ACCEPTED {
            return Err(ValidationFailure::single("pairs", "too_many_pairs").into());
        }
        let mut tx = self.db().begin().await?;
        let scene = Scene::read(&mut tx, region, Who::Everyone).await?;
        let index = Index::new(&scene.persons, &scene.jobs, self.weights());
        let (resident_at, posting_at) = scene.positions();
        let mut left = scene.left.clone();
        let mut per_person: HashMap<ResidentId, u32> = HashMap::new();
        let mut seen = HashSet::new();
        let mut problems = Vec::new();
        let mut scores = Vec::new();
        for (i, pair) in pairs.iter().enumerate() {
            let field = format!("pairs[{i}]");
            let w = resident_at.get(&pair.resident_id).copied();
            let j = posting_at.get(&pair.posting_id).copied();
            let (Some(w), Some(j)) = (w, j) else {
                problems.push(FieldError::new(field, "not_found"));
                continue;
            };
            let code = if !seen.insert(*pair) {
                Some("duplicate")
            } else if scene.applied(w, j) {
                Some("already_applied")
            } else if left[j] <= 0 {
                Some("no_place_left")
            } else {
                let n = per_person.entry(pair.resident_id).or_default();
                *n += 1;
                if *n > dm::MAX_JOBS_PER_PERSON {
                    Some("too_many_for_person")
                } else {
                    match index.fit(w as u32, j as u32, &dm::km) {
                        Ok(fit) => {
                            scores.push(fit.score);
                            None
                        }
                        Err(r) => Some(dm::refusal_code(r)),
                    }
                }
            };
            match code {
                Some(c) => problems.push(FieldError::new(field, c)),
                None => left[j] -= 1,
            }
        }
        if !problems.is_empty() {
            return Err(ValidationFailure(problems).into());
        }
        let mut out = Vec::with_capacity(pairs.len());
        for (pair, score) in pairs.iter().zip(scores) {
            let input = ApplicationInput {
                message: format!(
                    "地域のコーディネーターが、この仕事に合う方としてご提案しました（適合度 {score}／1000）。"
                ),
                resident_id: Some(pair.resident_id),
            };
            out.push(apply_in(&mut tx, actor, pair.posting_id, &input).await?);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// The exact optimum of a problem in the exchange format MATCH1 (the same as `jimoto
    /// allocate --input`), with best-first's beside it: for coordinators and administrators.
    /// A text that is not MATCH1 is refused naming its line (`input`: `match1`).
    pub async fn solve_match1(
        &self,
        actor: &Actor,
        text: Vec<u8>,
    ) -> ServiceResult<Match1Solution> {
        require(actor, WorkAction::Solve)?;
        // Solving is CPU work: off the request threads.
        let solved = tokio::task::spawn_blocking(move || {
            let p = Problem::parse(&text)?;
            let solution = jimoto_matching::solve(&p);
            let (greedy_cost, _) = greedy(&p, &[]);
            Ok::<_, jimoto_matching::ParseError>(Match1Solution {
                persons: p.cap_w.len(),
                jobs: p.cap_j.len(),
                edges: p.edges.len(),
                objective: solution.objective(),
                pairs: solution
                    .chosen
                    .iter()
                    .map(|&e| {
                        let edge = p.edges[e as usize];
                        [edge.w, edge.j]
                    })
                    .collect(),
                greedy_objective: -greedy_cost,
            })
        })
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
        solved.map_err(|e| {
            ValidationFailure(vec![
                FieldError::new("input", "match1")
                    .with("line", e.line)
                    .with("reason", e.reason),
            ])
            .into()
        })
    }
}
