//! The exact allocation: a min-cost flow, solved by cost scaling with push-relabel (Goldberg and
//! Tarjan, "Finding minimum-cost circulations by successive approximation", 1990), on compact
//! arrays built for this one bipartite shape.
//!
//! The network: each person `w` has a supply of `cap_w` units; a unit goes either to a job it is a
//! candidate for (arc `w → j`, capacity 1, cost −fit) or to the sink `T` unplaced (arc `w → T`,
//! cost 0); each job passes at most `cap_j` units to `T`. `T` absorbs every unit. A minimum-cost
//! flow is a maximum-fit allocation, and people and places may stay unfilled. There is no source
//! node, so no node has a degree of a hundred thousand that a relabel would have to scan.
//!
//! Costs are multiplied by `n + 1` (n nodes); ε starts at the largest scaled |cost| and is
//! divided by [`ALPHA`] down to 1. A flow that is 1-optimal for the scaled costs is optimal for
//! the original ones, and the final prices are the certificate: every residual arc has a reduced
//! cost of at least −1, which [`Solution::verify`] checks (debug builds check it on every solve).
//!
//! Heuristics that matter on real instances: the global price update (a bucket-based Dijkstra
//! from the nodes with a deficit, run after about `n` relabels), which keeps relabels few;
//! FIFO order of active nodes; and the current-arc pointer.

use std::collections::VecDeque;

use crate::problem::Problem;

/// How much ε shrinks between refinements.
pub const ALPHA: i64 = 16;

/// The result of a solve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    /// The minimum total cost (= −the maximum total fit).
    pub cost: i64,
    /// The chosen pairs, as indices into the problem's edges, ascending.
    pub chosen: Vec<u32>,
    /// Node prices at the end (persons, then jobs, then the sink), in scaled units: the
    /// certificate of optimality.
    pub prices: Vec<i64>,
    /// Work done, for benchmarks: (pushes, relabels, price updates, refinements).
    pub work: (u64, u64, u64, u32),
}

impl Solution {
    /// The maximum total fit.
    pub fn objective(&self) -> i64 {
        -self.cost
    }
}

/// One residual arc, its fields together so that scanning a node's arcs reads one cache line
/// per four arcs.
#[derive(Debug, Clone, Copy, Default)]
struct Arc {
    head: u32,
    /// The paired arc in the other direction.
    rev: u32,
    /// Residual capacity.
    cap: i32,
    /// Unscaled cost (the pair of an arc has the opposite cost).
    cost: i32,
}

/// The residual network in compressed rows: node `v`'s arcs are `first[v]..first[v + 1]`.
struct Net {
    n: usize,
    first: Vec<u32>,
    arcs: Vec<Arc>,
    /// For each input edge, its arc `w → j`.
    edge_arc: Vec<u32>,
    excess: Vec<i64>,
    price: Vec<i64>,
    current: Vec<u32>,
    scale: i64,
    /// Persons are nodes `0..jobs_from`; jobs `jobs_from..n - 1`; the sink is `n - 1`.
    jobs_from: usize,
    /// Arcs `job_arcs.0..job_arcs.1` are the jobs' rows.
    job_arcs: (usize, usize),
    /// A job's row starts with its arc to the sink, then the arcs back to the people holding
    /// one of its places (`live[j]` of them), then the rest (no room: no one holds them). A job
    /// has a few holders among hundreds of candidates, so its discharge and relabel look at
    /// the few.
    live: Vec<u32>,
}

impl Net {
    fn build(p: &Problem) -> Net {
        let (nw, nj) = (p.cap_w.len(), p.cap_j.len());
        let n = nw + nj + 1;
        let t = (n - 1) as u32;
        // Degrees: a person: its edges and T; a job: its edges and T; T: everyone.
        let mut deg = vec![0u32; n + 1];
        for e in &p.edges {
            deg[e.w as usize] += 1;
            deg[nw + e.j as usize] += 1;
        }
        for d in deg.iter_mut().take(nw + nj) {
            *d += 1;
        }
        deg[n - 1] = (nw + nj) as u32;
        let mut first = vec![0u32; n + 1];
        for v in 0..n {
            first[v + 1] = first[v] + deg[v];
        }
        let m = first[n] as usize;
        let mut net = Net {
            n,
            first: first.clone(),
            arcs: vec![Arc::default(); m],
            edge_arc: vec![0; p.edges.len()],
            excess: vec![0; n],
            price: vec![0; n],
            current: first[..n].to_vec(),
            scale: n as i64 + 1,
            jobs_from: nw,
            job_arcs: (first[nw] as usize, first[nw + nj] as usize),
            live: vec![0; nj],
        };
        let mut next = first;
        let mut add = |net: &mut Net, from: usize, to: usize, cap: i32, cost: i32| -> u32 {
            let a = next[from];
            next[from] += 1;
            let b = next[to];
            next[to] += 1;
            net.arcs[a as usize] = Arc {
                head: to as u32,
                rev: b,
                cap,
                cost,
            };
            net.arcs[b as usize] = Arc {
                head: from as u32,
                rev: a,
                cap: 0,
                cost: -cost,
            };
            a
        };
        // Each job's arc to the sink first in its row.
        for (j, &c) in p.cap_j.iter().enumerate() {
            add(&mut net, nw + j, t as usize, c as i32, 0);
        }
        for (i, e) in p.edges.iter().enumerate() {
            net.edge_arc[i] = add(&mut net, e.w as usize, nw + e.j as usize, 1, e.cost);
        }
        for (w, &c) in p.cap_w.iter().enumerate() {
            add(&mut net, w, t as usize, c as i32, 0);
            net.excess[w] = i64::from(c);
        }
        net.excess[t as usize] = -p.cap_w.iter().map(|&c| i64::from(c)).sum::<i64>();
        net
    }

    #[inline]
    fn reduced(&self, v: usize, a: &Arc) -> i64 {
        i64::from(a.cost) * self.scale + self.price[v] - self.price[a.head as usize]
    }

    /// Whether arc `x` is a job's arc back to a person (capacity 0 or 1).
    #[inline]
    fn is_job_back_arc(&self, x: usize) -> bool {
        x >= self.job_arcs.0 && x < self.job_arcs.1 && (self.arcs[x].head as usize) < self.jobs_from
    }

    /// Moves `d` units along arc `a` (from its tail, whose excess the caller adjusts), keeping
    /// every job's holders at the front of its row. Returns true when `a` itself moved (a job
    /// gave a place back: the caller looks at position `a` again).
    #[inline]
    fn shift(&mut self, a: usize, d: i32) -> bool {
        self.arcs[a].cap -= d;
        let r = self.arcs[a].rev as usize;
        self.arcs[r].cap += d;
        if self.is_job_back_arc(r) && self.arcs[r].cap == d {
            // A person took a place: their arc back becomes a holder.
            let j = self.arcs[a].head as usize - self.jobs_from;
            let pos = self.first[self.jobs_from + j] as usize + 1 + self.live[j] as usize;
            self.swap(r, pos);
            self.live[j] += 1;
            false
        } else if self.is_job_back_arc(a) && self.arcs[a].cap == 0 {
            // A job gave a place back.
            let j = self.arcs[r].head as usize - self.jobs_from;
            self.live[j] -= 1;
            let last = self.first[self.jobs_from + j] as usize + 1 + self.live[j] as usize;
            self.swap(a, last);
            a != last
        } else {
            false
        }
    }

    /// Calls `f(x, len)` for every residual arc `x → u`, with its length in ε units
    /// (⌊reduced cost / ε⌋ + 1, never below 0 while the flow is ε-optimal): the arcs a global
    /// price update walks backwards from the deficits.
    #[inline]
    fn each_arc_into(&self, u: usize, eps: i64, mut f: impl FnMut(usize, u64)) {
        let sink = self.n - 1;
        for arc in &self.arcs[self.first[u] as usize..self.first[u + 1] as usize] {
            let x = arc.head as usize;
            // Between a person and a job every arc has capacity 1 in all, so the arc back has
            // room exactly when this one has none (no need to read it).
            let back_has_room = if x == sink || u == sink {
                self.arcs[arc.rev as usize].cap > 0
            } else {
                arc.cap == 0
            };
            if back_has_room {
                let rc = -i64::from(arc.cost) * self.scale + self.price[x] - self.price[u];
                f(x, (rc.div_euclid(eps) + 1).max(0) as u64);
            }
        }
    }

    /// Lowers every price by ε times its node's distance. Nodes a price update did not settle
    /// are given the farthest distance settled, so every price moves by at least as much as any
    /// settled node's: reduced costs of arcs into them cannot drop below −ε.
    fn lower_prices(&mut self, eps: i64, dist: impl Fn(usize) -> u64) {
        for v in 0..self.n {
            self.price[v] -= dist(v) as i64 * eps;
            self.current[v] = self.first[v];
        }
    }

    /// Swaps two arcs of one job's row, keeping their pairs pointing at them.
    #[inline]
    fn swap(&mut self, x: usize, y: usize) {
        if x == y {
            return;
        }
        self.arcs.swap(x, y);
        let rx = self.arcs[x].rev as usize;
        self.arcs[rx].rev = x as u32;
        let ry = self.arcs[y].rev as usize;
        self.arcs[ry].rev = y as u32;
    }

    /// The arcs of `v` that may have room: for a job, its sink arc and its holders; for anyone
    /// else, the whole row.
    #[inline]
    fn row(&self, v: usize) -> (usize, usize) {
        let lo = self.first[v] as usize;
        if v >= self.jobs_from && v + 1 < self.n {
            (lo, lo + 1 + self.live[v - self.jobs_from] as usize)
        } else {
            (lo, self.first[v + 1] as usize)
        }
    }
}

/// Solves the allocation exactly.
pub fn solve(p: &Problem) -> Solution {
    Allocation::new(p.clone()).solution()
}

/// A solved allocation that can be changed and re-optimised from where it stands: after a
/// person withdraws or a job gains a place, the flow and the prices of the last solve are
/// repaired and refined at the finest scale only, instead of starting again.
pub struct Allocation {
    problem: Problem,
    net: Net,
    work: (u64, u64, u64, u32),
    /// Pushes and relabels a repair may spend before a fresh solve is cheaper (None: a quarter
    /// of the last full solve's, at least 10,000).
    repair_budget: Option<u64>,
    /// What a coordinator decided about each pair.
    rules: Vec<PairRule>,
    /// Places taken by pinned pairs, per person and per job.
    pinned_w: Vec<u32>,
    pinned_j: Vec<u32>,
}

/// A coordinator's decision about a pair, honoured by every later solve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PairRule {
    /// The solver decides.
    #[default]
    Open,
    /// Never this pair.
    Forbidden,
    /// Always this pair (it takes one of the person's jobs and one of the job's places).
    Pinned,
}

/// The flow network of `p` solved by cost scaling from greedy prices, with the pairs `closed`
/// says are decided left out.
fn from_scratch(p: &Problem, closed: &dyn Fn(usize) -> bool) -> (Net, (u64, u64, u64, u32)) {
    let mut net = Net::build(p);
    for i in 0..p.edges.len() {
        if closed(i) {
            let a = net.edge_arc[i] as usize;
            net.arcs[a].cap = 0;
        }
    }
    let max_cost = p
        .edges
        .iter()
        .map(|e| i64::from(e.cost).abs())
        .max()
        .unwrap_or(0);
    // Greedy prices are close enough that the first refinement can start ten times finer than
    // the largest cost (measured on generated instances: fewer pushes and relabels).
    initial_prices(p, &mut net);
    let mut eps = (max_cost * net.scale / 10).max(1);
    let mut work = (0u64, 0u64, 0u64, 0u32);
    loop {
        eps = (eps / ALPHA).max(1);
        refine(&mut net, eps, &mut work);
        if eps == 1 {
            break;
        }
    }
    (net, work)
}

impl std::fmt::Debug for Allocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Allocation")
            .field("persons", &self.problem.cap_w.len())
            .field("jobs", &self.problem.cap_j.len())
            .field("edges", &self.problem.edges.len())
            .finish()
    }
}

impl Allocation {
    /// Solves `p` from scratch.
    pub fn new(p: Problem) -> Allocation {
        let (net, work) = from_scratch(&p, &|_| false);
        Allocation {
            rules: vec![PairRule::Open; p.edges.len()],
            pinned_w: vec![0; p.cap_w.len()],
            pinned_j: vec![0; p.cap_j.len()],
            problem: p,
            net,
            work,
            repair_budget: None,
        }
    }

    /// How many pushes and relabels a repair may spend before [`Allocation::reoptimise`] solves
    /// afresh (None: a quarter of the last full solve's, at least 10,000).
    pub fn set_repair_budget(&mut self, budget: Option<u64>) {
        self.repair_budget = budget;
    }

    /// The problem as it stands (with every change made so far).
    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// The current optimum.
    pub fn solution(&self) -> Solution {
        let net = &self.net;
        let chosen: Vec<u32> = net
            .edge_arc
            .iter()
            .enumerate()
            .filter(|(i, a)| match self.rules[*i] {
                PairRule::Open => net.arcs[**a as usize].cap == 0,
                PairRule::Pinned => true,
                PairRule::Forbidden => false,
            })
            .map(|(i, _)| i as u32)
            .collect();
        let cost = chosen
            .iter()
            .map(|&i| i64::from(self.problem.edges[i as usize].cost))
            .sum();
        let s = Solution {
            cost,
            chosen,
            prices: net.price.clone(),
            work: self.work,
        };
        debug_assert_eq!(
            verify_with(&self.problem, &s, &self.rules),
            Ok(()),
            "the solution's certificate"
        );
        s
    }

    /// Every pair's rule, by edge.
    pub fn rules(&self) -> &[PairRule] {
        &self.rules
    }

    /// Pins, forbids or opens a pair. Pinning needs a job left in the person's capacity and a
    /// place left in the job (else an error says which); call [`Allocation::reoptimise`] after.
    pub fn set_rule(&mut self, edge: u32, rule: PairRule) -> Result<(), String> {
        let i = edge as usize;
        let e = *self
            .problem
            .edges
            .get(i)
            .ok_or_else(|| format!("pair {edge} does not exist"))?;
        let (w, j) = (e.w as usize, e.j as usize);
        if rule == PairRule::Pinned && self.rules[i] != PairRule::Pinned {
            if self.pinned_w[w] >= self.problem.cap_w[w] {
                return Err(format!("person {w} has no job left to pin"));
            }
            if self.pinned_j[j] >= self.problem.cap_j[j] {
                return Err(format!("job {j} has no place left to pin"));
            }
        }
        let a = self.net.edge_arc[i] as usize;
        // Back to open.
        match self.rules[i] {
            PairRule::Open => {}
            PairRule::Forbidden => self.open_arc(a),
            PairRule::Pinned => {
                self.open_arc(a);
                self.pinned_w[w] -= 1;
                self.pinned_j[j] -= 1;
                self.resize_person(w, 1);
                self.resize_job(j, 1);
            }
        }
        // Then the new rule.
        match rule {
            PairRule::Open => {}
            PairRule::Forbidden => self.close_arc(a),
            PairRule::Pinned => {
                self.close_arc(a);
                self.pinned_w[w] += 1;
                self.pinned_j[j] += 1;
                self.resize_person(w, -1);
                self.resize_job(j, -1);
            }
        }
        self.rules[i] = rule;
        Ok(())
    }

    /// Takes a pair out of the network: a unit on it goes back to the person (who has it to
    /// place again) and the job is short of it.
    fn close_arc(&mut self, a: usize) {
        let net = &mut self.net;
        if net.arcs[a].cap == 0 {
            let r = net.arcs[a].rev as usize;
            let (w, j) = (net.arcs[r].head as usize, net.arcs[a].head as usize);
            net.excess[w] += 1;
            net.excess[j] -= 1;
            net.shift(r, 1);
        }
        net.arcs[a].cap = 0;
    }

    /// Puts a closed pair back, empty.
    fn open_arc(&mut self, a: usize) {
        self.net.arcs[a].cap = 1;
    }

    /// Changes the capacity the network gives person `w` by `delta`.
    fn resize_person(&mut self, w: usize, delta: i64) {
        let cap = self.problem.cap_w[w];
        let now = i64::from(cap) - i64::from(self.pinned_w[w]);
        let before = now - delta;
        let t = self.net.n - 1;
        self.net.excess[w] += delta;
        self.net.excess[t] -= delta;
        let a = self.sink_arc(w);
        self.resize(w, a, before as u32, now as u32);
    }

    /// Changes the places the network gives job `j` by `delta`.
    fn resize_job(&mut self, j: usize, delta: i64) {
        let now = i64::from(self.problem.cap_j[j]) - i64::from(self.pinned_j[j]);
        let before = now - delta;
        let v = self.net.jobs_from + j;
        let a = self.net.first[v] as usize;
        self.resize(v, a, before as u32, now as u32);
    }

    /// Changes how many jobs person `w` may take (0: they withdraw). Call
    /// [`Allocation::reoptimise`] after one or more changes.
    /// A capacity below the pairs pinned for the person is raised to them.
    pub fn set_person_capacity(&mut self, w: u32, cap: u32) {
        let w = w as usize;
        let cap = cap.max(self.pinned_w[w]);
        let delta = i64::from(cap) - i64::from(self.problem.cap_w[w]);
        self.problem.cap_w[w] = cap;
        // The person's supply changes, and the sink's demand with it.
        self.resize_person(w, delta);
    }

    /// Changes the places of job `j` (never below its pinned pairs). Call
    /// [`Allocation::reoptimise`] after.
    pub fn set_job_places(&mut self, j: u32, places: u32) {
        let j = j as usize;
        let places = places.max(self.pinned_j[j]);
        let delta = i64::from(places) - i64::from(self.problem.cap_j[j]);
        self.problem.cap_j[j] = places;
        self.resize_job(j, delta);
    }

    /// A person's arc to the sink (the last of their row).
    fn sink_arc(&self, w: usize) -> usize {
        self.net.first[w + 1] as usize - 1
    }

    /// Gives arc `a` out of `v` (to the sink) a new capacity; flow above it goes back to `v`.
    fn resize(&mut self, v: usize, a: usize, old: u32, cap: u32) {
        let net = &mut self.net;
        let flow = i64::from(old) - i64::from(net.arcs[a].cap);
        let keep = flow.min(i64::from(cap));
        let back = flow - keep;
        let t = net.arcs[a].head as usize;
        net.excess[v] += back;
        net.excess[t] -= back;
        net.arcs[a].cap = (i64::from(cap) - keep) as i32;
        let r = net.arcs[a].rev as usize;
        net.arcs[r].cap = keep as i32;
    }

    /// Re-optimises after changes, from the last flow and prices: the last solve left every
    /// arc's reduced cost at −1 or more, so only the arcs a change disturbed are saturated and
    /// only the excesses it made are pushed, at the finest scale.
    pub fn reoptimise(&mut self) -> Solution {
        let full = self.work.0 + self.work.1;
        // A change is usually mended by a few pushes at the finest scale, led by an exact price
        // update from the deficits it made. Should one ripple through most of the bids, a fresh
        // solve is cheaper: past the budget, solve afresh.
        let budget = self.repair_budget.unwrap_or_else(|| (full / 4).max(10_000));
        let mut work = (0, 0, 0, 0);
        if settle(&mut self.net, 1, 1, budget, &mut work) {
            self.work = work;
        } else {
            // The network's capacities leave out what pinned pairs take.
            let mut reduced = self.problem.clone();
            for (c, p) in reduced.cap_w.iter_mut().zip(&self.pinned_w) {
                *c -= p;
            }
            for (c, p) in reduced.cap_j.iter_mut().zip(&self.pinned_j) {
                *c -= p;
            }
            let rules = &self.rules;
            let (net, mut fresh) = from_scratch(&reduced, &|i| rules[i] != PairRule::Open);
            fresh.0 += work.0;
            fresh.1 += work.1;
            self.net = net;
            self.work = fresh;
        }
        self.solution()
    }
}

fn refine(net: &mut Net, eps: i64, work: &mut (u64, u64, u64, u32)) {
    settle(net, eps, 0, u64::MAX, work);
}

/// Saturates every arc whose reduced cost is below `-slack`, then pushes and relabels at `eps`
/// until no node has an excess. A refinement starts from slack 0 (the flow becomes
/// 0-optimal); a repair after a change starts from slack `eps` (only the arcs the change
/// disturbed move). Gives up (false) after `budget` pushes and relabels.
fn settle(
    net: &mut Net,
    eps: i64,
    slack: i64,
    budget: u64,
    work: &mut (u64, u64, u64, u32),
) -> bool {
    let spent_before = work.0 + work.1;
    work.3 += 1;
    let n = net.n;
    // Saturate every arc with a negative reduced cost: the flow becomes ε-optimal (0-optimal),
    // at the price of excesses and deficits.
    for v in 0..n {
        let mut a = net.row(v).0;
        while a < net.row(v).1 {
            let arc = net.arcs[a];
            if arc.cap > 0 && net.reduced(v, &arc) < -slack {
                net.excess[v] -= i64::from(arc.cap);
                net.excess[arc.head as usize] += i64::from(arc.cap);
                if net.shift(a, arc.cap) {
                    continue;
                }
            }
            a += 1;
        }
        net.current[v] = net.first[v];
    }
    let mut queue: VecDeque<u32> = (0..n as u32)
        .filter(|&v| net.excess[v as usize] > 0)
        .collect();
    let mut relabels_since_update = 0usize;
    // A refinement starts with a global price update; a repair touches too little to pay for
    // one (it still gets one after n/2 relabels).
    if slack == 0 {
        price_update(net, eps, work);
    } else if !queue.is_empty() {
        // A repair at the finest scale: the distances are too long for buckets, and exact
        // ones lead the few active nodes straight to the deficits the change made.
        exact_price_update(net, eps, work);
    }
    while let Some(v) = queue.pop_front() {
        if work.0 + work.1 - spent_before > budget {
            return false;
        }
        let v = v as usize;
        // Discharge v (a job from the start of its short row, anyone else from its current arc).
        let is_job = v >= net.jobs_from && v + 1 < n;
        while net.excess[v] > 0 {
            let mut a = if is_job {
                net.first[v] as usize
            } else {
                net.current[v] as usize
            };
            while a < net.row(v).1 {
                let arc = net.arcs[a];
                if arc.cap > 0 && net.reduced(v, &arc) < 0 {
                    let w = arc.head as usize;
                    let d = i64::from(arc.cap).min(net.excess[v]);
                    net.excess[v] -= d;
                    let before = net.excess[w];
                    net.excess[w] += d;
                    work.0 += 1;
                    if before <= 0 && net.excess[w] > 0 {
                        queue.push_back(w as u32);
                    }
                    let moved = net.shift(a, d as i32);
                    if net.excess[v] == 0 {
                        break;
                    }
                    if moved {
                        continue;
                    }
                }
                a += 1;
            }
            if net.excess[v] == 0 {
                if !is_job {
                    net.current[v] = a as u32;
                }
                break;
            }
            // Relabel: lower the price just enough that the best residual arc has a reduced
            // cost of −ε (every other one stays at −ε or more).
            let mut best = i64::MIN;
            let (lo, hi) = net.row(v);
            for arc in &net.arcs[lo..hi] {
                if arc.cap > 0 {
                    best = best.max(net.price[arc.head as usize] - i64::from(arc.cost) * net.scale);
                }
            }
            debug_assert!(best != i64::MIN, "an active node always has a residual arc");
            net.price[v] = best - eps;
            net.current[v] = net.first[v];
            work.1 += 1;
            relabels_since_update += 1;
            if relabels_since_update > n / 2 {
                relabels_since_update = 0;
                if slack == 0 {
                    price_update(net, eps, work);
                } else {
                    exact_price_update(net, eps, work);
                }
            }
        }
    }
    true
}

/// The global price update with exact distances (a binary heap instead of buckets), stopping
/// once every active node is reached: for repairs, where ε is 1 and distances are long.
fn exact_price_update(net: &mut Net, eps: i64, work: &mut (u64, u64, u64, u32)) {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    work.2 += 1;
    let n = net.n;
    let mut dist = vec![u64::MAX; n];
    let mut done = vec![false; n];
    let mut heap = BinaryHeap::new();
    let mut active_left = (0..n).filter(|&v| net.excess[v] > 0).count();
    for v in 0..n {
        if net.excess[v] < 0 {
            dist[v] = 0;
            heap.push(Reverse((0u64, v as u32)));
        }
    }
    let mut far = 0u64;
    while let Some(Reverse((d, u))) = heap.pop() {
        let u = u as usize;
        if done[u] || d != dist[u] {
            continue;
        }
        done[u] = true;
        far = d;
        if net.excess[u] > 0 {
            active_left -= 1;
            if active_left == 0 {
                break;
            }
        }
        net.each_arc_into(u, eps, |x, len| {
            let nd = d + len;
            if !done[x] && nd < dist[x] {
                dist[x] = nd;
                heap.push(Reverse((nd, x as u32)));
            }
        });
    }
    net.lower_prices(eps, |v| if done[v] { dist[v] } else { far });
}

/// Goldberg's global price update: every node's price is lowered by ε times its distance (in ε
/// units of reduced cost, plus one per arc) to a node with a deficit, so that admissible paths
/// lead to the deficits. Keeps the flow ε-optimal.
fn price_update(net: &mut Net, eps: i64, work: &mut (u64, u64, u64, u32)) {
    work.2 += 1;
    let n = net.n;
    const UNSEEN: u32 = u32::MAX;
    let mut dist = vec![UNSEEN; n];
    // Buckets by distance; distances beyond the last bucket are capped (their nodes keep their
    // relative order well enough, and ε-optimality holds for any distances that are exact
    // shortest paths; capped ones only lower prices less).
    let limit = 2 * n + 2;
    let mut buckets: Vec<Vec<u32>> = Vec::new();
    let mut active_left = (0..n).filter(|&v| net.excess[v] > 0).count();
    for v in 0..n {
        if net.excess[v] < 0 {
            dist[v] = 0;
            if buckets.is_empty() {
                buckets.push(Vec::new());
            }
            buckets[0].push(v as u32);
        }
    }
    let mut done = vec![false; n];
    let mut d = 0usize;
    while d < buckets.len() && active_left > 0 {
        while let Some(u) = buckets[d].pop() {
            let u = u as usize;
            if done[u] || dist[u] as usize != d {
                continue;
            }
            done[u] = true;
            if net.excess[u] > 0 {
                active_left -= 1;
            }
            net.each_arc_into(u, eps, |x, len| {
                let nd = (d + len as usize).min(limit);
                if !done[x] && (nd as u32) < dist[x] {
                    dist[x] = nd as u32;
                    if buckets.len() <= nd {
                        buckets.resize_with(nd + 1, Vec::new);
                    }
                    buckets[nd].push(x as u32);
                }
            });
        }
        d += 1;
    }
    let far = d as u64;
    net.lower_prices(eps, |v| if done[v] { u64::from(dist[v]) } else { far });
}

/// What "best first" gives: pairs taken in order of fit (ties by edge order) while both the
/// person and the job have room, honouring `rules` (pinned pairs first, forbidden never). Shown
/// beside the optimum so a coordinator sees what the exact allocation adds.
pub fn greedy(p: &Problem, rules: &[PairRule]) -> (i64, Vec<u32>) {
    let rule = |i: usize| rules.get(i).copied().unwrap_or_default();
    let mut left_w = p.cap_w.clone();
    let mut left_j = p.cap_j.clone();
    let mut order: Vec<u32> = (0..p.edges.len() as u32)
        .filter(|&i| rule(i as usize) != PairRule::Forbidden)
        .collect();
    order.sort_by_key(|&i| {
        (
            rule(i as usize) != PairRule::Pinned,
            p.edges[i as usize].cost,
            i,
        )
    });
    let mut chosen = Vec::new();
    let mut cost = 0i64;
    for i in order {
        let e = p.edges[i as usize];
        let (w, j) = (e.w as usize, e.j as usize);
        if left_w[w] > 0 && left_j[j] > 0 {
            left_w[w] -= 1;
            left_j[j] -= 1;
            chosen.push(i);
            cost += i64::from(e.cost);
        }
    }
    chosen.sort_unstable();
    (cost, chosen)
}

/// Checks a solution: the chosen pairs respect every capacity and add up to its cost, and its
/// prices prove it optimal (in the network the pairs define, every arc with room left has a
/// reduced cost of at least −1 in scaled units, so no negative cycle exists).
pub fn verify(p: &Problem, s: &Solution) -> Result<(), String> {
    verify_with(p, s, &[])
}

/// [`verify`] under a coordinator's rules (by edge; missing ones are open): pinned pairs must be
/// chosen, forbidden ones not, and the prices must prove the rest optimal in the network that
/// leaves both out.
pub fn verify_with(p: &Problem, s: &Solution, rules: &[PairRule]) -> Result<(), String> {
    let rule = |i: usize| rules.get(i).copied().unwrap_or_default();
    let cost = p.cost_of(&s.chosen).map_err(|e| e.to_string())?;
    if cost != s.cost {
        return Err(format!("the pairs cost {cost}, not {}", s.cost));
    }
    let (nw, nj) = (p.cap_w.len(), p.cap_j.len());
    let n = nw + nj + 1;
    if s.prices.len() != n {
        return Err("no prices".into());
    }
    let scale = n as i64 + 1;
    let t = n - 1;
    let pr = &s.prices;
    let mut chosen = vec![false; p.edges.len()];
    // Units on the network's arcs, and the capacities the network has (pinned pairs left out).
    let mut used_w = vec![0i64; nw];
    let mut used_j = vec![0i64; nj];
    let mut cap_w: Vec<i64> = p.cap_w.iter().map(|&c| i64::from(c)).collect();
    let mut cap_j: Vec<i64> = p.cap_j.iter().map(|&c| i64::from(c)).collect();
    for &i in &s.chosen {
        chosen[i as usize] = true;
        if rule(i as usize) == PairRule::Forbidden {
            return Err(format!("pair {i} is forbidden but chosen"));
        }
    }
    for (i, e) in p.edges.iter().enumerate() {
        match rule(i) {
            PairRule::Pinned if !chosen[i] => {
                return Err(format!("pair {i} is pinned but not chosen"));
            }
            PairRule::Pinned => {
                cap_w[e.w as usize] -= 1;
                cap_j[e.j as usize] -= 1;
            }
            PairRule::Open if chosen[i] => {
                used_w[e.w as usize] += 1;
                used_j[e.j as usize] += 1;
            }
            _ => {}
        }
    }
    let check = |from: usize, to: usize, cost: i64, what: &dyn Fn() -> String| {
        let rc = cost * scale + pr[from] - pr[to];
        if rc < -1 {
            Err(format!("{}: reduced cost {rc}", what()))
        } else {
            Ok(())
        }
    };
    for (i, e) in p.edges.iter().enumerate() {
        if rule(i) != PairRule::Open {
            continue;
        }
        let (w, j) = (e.w as usize, nw + e.j as usize);
        let c = i64::from(e.cost);
        if chosen[i] {
            check(j, w, -c, &|| format!("pair {i} (back)"))?;
        } else {
            check(w, j, c, &|| format!("pair {i}"))?;
        }
    }
    // w → T carries cap_w − used_w (every person's supply goes somewhere).
    for w in 0..nw {
        let on_t = cap_w[w] - used_w[w];
        if on_t < cap_w[w] {
            check(w, t, 0, &|| format!("person {w} to T"))?;
        }
        if on_t > 0 {
            check(t, w, 0, &|| format!("T back to person {w}"))?;
        }
    }
    for j in 0..nj {
        if used_j[j] < cap_j[j] {
            check(nw + j, t, 0, &|| format!("job {j} to T"))?;
        }
        if used_j[j] > 0 {
            check(t, nw + j, 0, &|| format!("T back to job {j}"))?;
        }
    }
    Ok(())
}

/// Prices from a greedy look at the competition: a job's place costs the fit of the best
/// candidate its places cannot take (the (cap_j + 1)-th best), a person's surplus is the best
/// fit minus place price among their candidates (at least 0). These satisfy every "not chosen"
/// condition, so the first refinement starts near the optimum instead of at zero.
fn initial_prices(p: &Problem, net: &mut Net) {
    let (nw, nj) = (p.cap_w.len(), p.cap_j.len());
    let mut fits: Vec<Vec<i64>> = vec![Vec::new(); nj];
    for e in &p.edges {
        fits[e.j as usize].push(-i64::from(e.cost));
    }
    let mut place = vec![0i64; nj];
    for (j, f) in fits.iter_mut().enumerate() {
        let k = p.cap_j[j] as usize;
        if f.len() > k {
            f.select_nth_unstable_by(k, |a, b| b.cmp(a));
            place[j] = f[k];
        }
    }
    let mut surplus = vec![0i64; nw];
    for e in &p.edges {
        let s = -i64::from(e.cost) - place[e.j as usize];
        let u = &mut surplus[e.w as usize];
        *u = (*u).max(s);
    }
    for w in 0..nw {
        net.price[w] = surplus[w] * net.scale;
    }
    for j in 0..nj {
        net.price[nw + j] = -place[j] * net.scale;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::Edge;
    use crate::reference::{brute_force, successive_shortest_paths};
    use crate::rng::Rng;

    /// A random problem: `w` people, `j` jobs, each pair a candidate with probability `density`.
    fn random(rng: &mut Rng, w: usize, j: usize, density: f64, max_cost: i64) -> Problem {
        let mut p = Problem {
            cap_w: (0..w).map(|_| rng.range(0, 3) as u32).collect(),
            cap_j: (0..j).map(|_| rng.range(0, 3) as u32).collect(),
            edges: Vec::new(),
        };
        for a in 0..w {
            for b in 0..j {
                if rng.chance(density) {
                    p.edges.push(Edge {
                        w: a as u32,
                        j: b as u32,
                        cost: -(rng.range(1, max_cost) as i32),
                    });
                }
            }
        }
        p
    }

    #[test]
    fn tiny_problems_match_an_exhaustive_search() {
        let mut rng = Rng::new(1);
        for case in 0..3000 {
            let w = rng.range(1, 5) as usize;
            let j = rng.range(1, 4) as usize;
            let mut p = random(&mut rng, w, j, 0.7, if case % 2 == 0 { 9 } else { 1000 });
            p.edges.truncate(14);
            let s = solve(&p);
            assert_eq!(s.cost, brute_force(&p), "case {case}: {p:?}");
            verify(&p, &s).unwrap_or_else(|e| panic!("case {case}: {e}"));
        }
    }

    #[test]
    fn small_problems_match_successive_shortest_paths() {
        let mut rng = Rng::new(2);
        for case in 0..1500 {
            let w = rng.range(1, 30) as usize;
            let j = rng.range(1, 12) as usize;
            let density = [0.1, 0.3, 0.8][case % 3];
            let p = random(&mut rng, w, j, density, [3, 100, 1_000_000][case % 3]);
            let s = solve(&p);
            assert_eq!(s.cost, successive_shortest_paths(&p), "case {case}");
            verify(&p, &s).unwrap_or_else(|e| panic!("case {case}: {e}"));
        }
    }

    #[test]
    fn generated_instances_are_solved_and_certified() {
        for seed in 0..3 {
            let inst = crate::generate::instance(400, 80, seed);
            let s = solve(&inst.problem);
            assert_eq!(
                s.cost,
                successive_shortest_paths(&inst.problem),
                "seed {seed}"
            );
            verify(&inst.problem, &s).unwrap();
        }
    }

    #[test]
    fn a_change_is_reoptimised_to_the_same_optimum_as_a_fresh_solve() {
        let mut rng = Rng::new(3);
        for case in 0..800 {
            let w = rng.range(1, 25) as usize;
            let j = rng.range(1, 10) as usize;
            let p = random(&mut rng, w, j, 0.4, [5, 1000][case % 2]);
            let mut a = Allocation::new(p);
            // Every third case gives up the repair at once: the fresh solve it falls back on
            // must give the same optimum.
            if case % 3 == 0 {
                a.repair_budget = Some(0);
            }
            for _ in 0..3 {
                if rng.chance(0.5) {
                    let who = rng.below(w as u64) as u32;
                    a.set_person_capacity(who, rng.range(0, 2) as u32);
                } else {
                    let which = rng.below(j as u64) as u32;
                    a.set_job_places(which, rng.range(0, 3) as u32);
                }
                let warm = a.reoptimise();
                let cold = solve(a.problem());
                assert_eq!(warm.cost, cold.cost, "case {case}");
                verify(a.problem(), &warm).unwrap_or_else(|e| panic!("case {case}: {e}"));
            }
        }
    }

    /// The best cost with every pinned pair in and every forbidden one out, by trying all sets.
    fn brute_with(p: &Problem, rules: &[PairRule]) -> Option<i64> {
        let m = p.edges.len();
        let mut best = None;
        for mask in 0u32..(1u32 << m) {
            let ok = (0..m).all(|i| match rules[i] {
                PairRule::Pinned => mask & (1 << i) != 0,
                PairRule::Forbidden => mask & (1 << i) == 0,
                PairRule::Open => true,
            });
            if !ok {
                continue;
            }
            let chosen: Vec<u32> = (0..m as u32).filter(|i| mask & (1 << i) != 0).collect();
            if let Ok(c) = p.cost_of(&chosen) {
                best = Some(best.map_or(c, |b: i64| b.min(c)));
            }
        }
        best
    }

    #[test]
    fn pinned_and_forbidden_pairs_are_honoured_at_the_optimum() {
        let mut rng = Rng::new(4);
        for case in 0..1500 {
            let w = rng.range(1, 5) as usize;
            let j = rng.range(1, 4) as usize;
            let mut p = random(&mut rng, w, j, 0.7, [9, 1000][case % 2]);
            p.edges.truncate(12);
            let mut a = Allocation::new(p.clone());
            if case % 5 == 0 {
                a.repair_budget = Some(0);
            }
            for _ in 0..4 {
                if p.edges.is_empty() {
                    break;
                }
                let e = rng.below(p.edges.len() as u64) as u32;
                let rule =
                    [PairRule::Open, PairRule::Forbidden, PairRule::Pinned][rng.below(3) as usize];
                if a.set_rule(e, rule).is_err() {
                    // No room to pin: nothing changed.
                    assert_ne!(a.rules()[e as usize], PairRule::Pinned);
                    continue;
                }
                if rng.chance(0.3) {
                    let who = rng.below(w as u64) as u32;
                    a.set_person_capacity(who, rng.range(0, 2) as u32);
                }
                let s = a.reoptimise();
                let rules = a.rules().to_vec();
                let expected = brute_with(a.problem(), &rules).expect("pins fit the capacities");
                assert_eq!(s.cost, expected, "case {case}: {rules:?}");
                verify_with(a.problem(), &s, &rules)
                    .unwrap_or_else(|err| panic!("case {case}: {err}"));
            }
        }
    }

    #[test]
    fn greedy_is_feasible_and_never_better_than_the_optimum() {
        let mut rng = Rng::new(5);
        for case in 0..500 {
            let p = random(&mut rng, 12, 6, 0.5, 100);
            let (g, chosen) = greedy(&p, &[]);
            assert_eq!(p.cost_of(&chosen), Ok(g), "case {case}");
            assert!(g >= solve(&p).cost, "case {case}");
        }
        // Best first takes 10 and leaves 2; the optimum is 9 + 8.
        let p = Problem {
            cap_w: vec![1, 1],
            cap_j: vec![1, 1],
            edges: vec![
                Edge {
                    w: 0,
                    j: 0,
                    cost: -10,
                },
                Edge {
                    w: 0,
                    j: 1,
                    cost: -9,
                },
                Edge {
                    w: 1,
                    j: 0,
                    cost: -8,
                },
                Edge {
                    w: 1,
                    j: 1,
                    cost: -2,
                },
            ],
        };
        assert_eq!(greedy(&p, &[]).0, -12);
        assert_eq!(solve(&p).cost, -17);
    }

    /// Two people for one place: person 0 fits it by 5, person 1 by 7.
    fn two_for_one_place() -> Problem {
        Problem {
            cap_w: vec![1, 1],
            cap_j: vec![1],
            edges: vec![
                Edge {
                    w: 0,
                    j: 0,
                    cost: -5,
                },
                Edge {
                    w: 1,
                    j: 0,
                    cost: -7,
                },
            ],
        }
    }

    #[test]
    fn a_pin_needs_room() {
        let p = two_for_one_place();
        let mut a = Allocation::new(p);
        assert_eq!(a.solution().chosen, [1]);
        a.set_rule(0, PairRule::Pinned).unwrap();
        let s = a.reoptimise();
        assert_eq!((s.cost, s.chosen), (-5, vec![0]));
        assert_eq!(
            a.set_rule(1, PairRule::Pinned),
            Err("job 0 has no place left to pin".into())
        );
        a.set_rule(0, PairRule::Forbidden).unwrap();
        assert_eq!(a.reoptimise().chosen, [1]);
        a.set_rule(1, PairRule::Forbidden).unwrap();
        assert_eq!(a.reoptimise().cost, 0);
        assert!(a.set_rule(9, PairRule::Open).is_err());
    }

    #[test]
    fn a_wrong_certificate_is_caught() {
        let p = two_for_one_place();
        let mut s = solve(&p);
        assert_eq!((s.cost, s.chosen.clone()), (-7, vec![1]));
        // The worse pair, claimed with the good pair's prices.
        s.chosen = vec![0];
        s.cost = -5;
        assert!(verify(&p, &s).is_err());
        // Nothing at all.
        assert_eq!(solve(&Problem::default()).cost, 0);
        let empty = Problem {
            cap_w: vec![0],
            cap_j: vec![3],
            edges: vec![Edge {
                w: 0,
                j: 0,
                cost: -5,
            }],
        };
        assert_eq!(solve(&empty).cost, 0);
    }
}
