//! Generates an instance and solves it, printing sizes, time and work (a quick look while
//! tuning; the benchmark against OR-Tools is `scripts/bench-matching`).
#![allow(clippy::print_stdout)]

use std::time::Instant;

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
    let s = jimoto_matching::solve(&inst.problem);
    println!(
        "objective={} pairs={} solve={:.2?} work(pushes, relabels, updates, refines)={:?}",
        s.objective(),
        s.chosen.len(),
        t.elapsed(),
        s.work
    );
}
