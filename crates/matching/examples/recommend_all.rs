//! Top-10 jobs for every person of a generated instance (default M: 100,000 × 10,000), and
//! top-10 people for every job: total time and per-call p50/p99.
#![allow(clippy::print_stdout)]

use std::time::Instant;

use jimoto_matching::recommend::Index;
use jimoto_matching::score::Weights;

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let w: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let j: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let inst = jimoto_matching::generate::instance(w, j, 1);
    let t = Instant::now();
    let index = Index::new(&inst.persons, &inst.jobs, Weights::default());
    println!("index built in {:.1?}", t.elapsed());
    let km = |a, b| inst.km(a, b);
    let mut seen = Vec::new();
    for (what, n) in [("jobs for each person", w), ("people for each job", j)] {
        let mut times = Vec::with_capacity(n);
        let mut found = 0usize;
        let t = Instant::now();
        for i in 0..n as u32 {
            let one = Instant::now();
            let r = if what.starts_with("jobs") {
                index.jobs_for(i, 10, &km, &mut seen)
            } else {
                index.persons_for(i, 10, &km, &mut seen)
            };
            times.push(one.elapsed().as_secs_f64() * 1e6);
            found += r.len();
        }
        let total = t.elapsed();
        times.sort_by(f64::total_cmp);
        println!(
            "top-10 {what}: {n} calls in {total:.2?}, {:.1} found on average; per call p50={:.0}µs p99={:.0}µs max={:.0}µs",
            found as f64 / n as f64,
            pct(&times, 0.5),
            pct(&times, 0.99),
            times[times.len() - 1]
        );
    }
}
