//! Solves a MATCH1 file and prints the time and the solver's work counts (pushes, relabels,
//! global price updates, refinements): for tuning the solver on large instances without the
//! product's binary.
//!
//! `cargo run --release -p jimoto-matching --example solve_file -- FILE`
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::time::Instant;

use jimoto_matching::Problem;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: solve_file FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let t = Instant::now();
    let p = Problem::parse(&bytes).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    drop(bytes);
    println!("parsed in {:.2?}", t.elapsed());
    let t = Instant::now();
    let s = jimoto_matching::solve(&p);
    println!(
        "objective={} pairs={} in {:.2?}; work (pushes, relabels, price updates, refinements)={:?}",
        s.objective(),
        s.chosen.len(),
        t.elapsed(),
        s.work
    );
}
