//! Jimoto's matching engine, a pure library (no I/O, no database):
//!
//! - [`score`]: the hard rules a pair must pass and a fit score made of named parts, so every
//!   recommendation can be explained in words;
//! - [`flow`]: the exact cohort allocation — maximum total fit subject to each person's capacity
//!   and each job's places — as a min-cost flow solved by cost scaling, with a certificate of
//!   optimality checked in debug builds;
//! - [`problem`]: the allocation problem and its exchange format MATCH1;
//! - [`generate`]: seeded realistic instances for tests and benchmarks;
//! - [`recommend`]: top-k jobs for a person and people for a job, from inverted indexes;
//! - [`reference`]: slow, independent solvers the fast one is tested against.

// Numeric code walks parallel arrays by index; iterator chains would hide which array is which.
#![allow(clippy::needless_range_loop)]

pub mod flow;
pub mod generate;
pub mod problem;
pub mod recommend;
pub mod reference;
pub mod rng;
pub mod score;

pub use flow::{Allocation, PairRule, Solution, greedy, solve, verify, verify_with};
pub use problem::{Edge, ParseError, Problem};
