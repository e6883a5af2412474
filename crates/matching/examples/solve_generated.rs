//! Generates an instance, solves it, then re-optimises after one change (a person with a place
//! withdraws; a job adds a place), each against a fresh solve of the changed problem.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use jimoto_matching::{Allocation, solve};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let w: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let j: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let t = Instant::now();
    let inst = jimoto_matching::generate::instance(w, j, seed);
    println!(
        "generated {w} x {j}: {} edges in {:.2?}",
        inst.problem.edges.len(),
        t.elapsed()
    );
    let t = Instant::now();
    let mut a = Allocation::new(inst.problem.clone());
    if let Ok(b) = std::env::var("REPAIR_BUDGET") {
        a.set_repair_budget(b.parse().ok());
    }
    let s = a.solution();
    println!(
        "full solve: objective={} pairs={} in {:.2?}; work (pushes, relabels, price updates, refinements)={:?}",
        s.objective(),
        s.chosen.len(),
        t.elapsed(),
        s.work
    );
    let t = Instant::now();
    let (g, _) = jimoto_matching::greedy(&inst.problem, &[]);
    println!(
        "best first (greedy): {} in {:.2?}, {:.1}% below the optimum",
        -g,
        t.elapsed(),
        100.0 * (s.objective() + g) as f64 / s.objective() as f64
    );
    let first = inst.problem.edges[s.chosen[0] as usize];
    let busiest = (0..j)
        .max_by_key(|&x| {
            inst.problem
                .edges
                .iter()
                .filter(|e| e.j as usize == x)
                .count()
        })
        .unwrap_or(0) as u32;
    let places = inst.problem.cap_j[busiest as usize];
    for (what, change) in [("person withdraws", 0usize), ("a job adds a place", 1usize)] {
        if change == 0 {
            a.set_person_capacity(first.w, 0);
        } else {
            a.set_job_places(busiest, places + 1);
        }
        let t = Instant::now();
        let warm = a.reoptimise();
        let warm_time = t.elapsed();
        let t = Instant::now();
        let cold = solve(a.problem());
        let cold_time = t.elapsed();
        assert_eq!(warm.cost, cold.cost);
        println!(
            "{what}: re-optimised in {warm_time:.2?} (work {:?}), a fresh solve {cold_time:.2?}; objective {}",
            warm.work,
            warm.objective()
        );
    }
}
