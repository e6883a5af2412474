//! `jimoto allocate`: the exact allocation on a MATCH1 file (or a generated instance), printed as
//! `key=value` lines for scripts: `objective=`, `pairs=`, `parse_ms=`, `solve_ms=`,
//! `peak_rss_kb=`, and `certificate=ok` once the prices have proved the optimum.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context as _, bail};
use clap::Args;
use jimoto_matching::{Allocation, Problem, generate, verify};

/// What to allocate.
#[derive(Debug, Args)]
pub(crate) struct AllocateArgs {
    /// A MATCH1 file to solve.
    #[arg(long, conflicts_with = "generate")]
    input: Option<PathBuf>,
    /// Generate an instance instead: S (1,000 × 200), M (100,000 × 10,000), L (1,000,000 ×
    /// 100,000) or PERSONSxJOBS.
    #[arg(long)]
    generate: Option<String>,
    /// The generator's seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write the generated instance to this MATCH1 file (and solve nothing).
    #[arg(long, requires = "generate")]
    write: Option<PathBuf>,
}

fn sizes(spec: &str) -> anyhow::Result<(usize, usize)> {
    if let Some((_, w, j)) = generate::SIZES
        .iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(spec))
    {
        return Ok((*w, *j));
    }
    let (w, j) = spec
        .split_once(['x', 'X', '×'])
        .context("--generate: S, M, L or PERSONSxJOBS")?;
    Ok((w.trim().parse()?, j.trim().parse()?))
}

/// Peak resident memory of this process in kB (Linux; 0 elsewhere).
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn read(path: &Path) -> anyhow::Result<Problem> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Problem::parse(&bytes).with_context(|| format!("{} is not a MATCH1 file", path.display()))
}

/// Runs the command: lines go to standard output.
pub(crate) fn run(args: &AllocateArgs) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    let started = Instant::now();
    let problem = match (&args.input, &args.generate) {
        (Some(path), _) => read(path)?,
        (None, Some(spec)) => {
            let (w, j) = sizes(spec)?;
            let inst = generate::instance(w, j, args.seed);
            if let Some(path) = &args.write {
                std::fs::write(path, inst.problem.to_match1())
                    .with_context(|| format!("writing {}", path.display()))?;
                out.push(format!("wrote={}", path.display()));
                out.push(format!("persons={w}"));
                out.push(format!("jobs={j}"));
                out.push(format!("edges={}", inst.problem.edges.len()));
                return Ok(out);
            }
            inst.problem
        }
        (None, None) => bail!("give --input FILE or --generate SIZE"),
    };
    let parse_ms = started.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let allocation = Allocation::new(problem);
    let s = allocation.solution();
    let solve_ms = t.elapsed().as_secs_f64() * 1000.0;
    let problem = allocation.problem();
    let certificate = match verify(problem, &s) {
        Ok(()) => "ok".to_owned(),
        Err(e) => format!("FAILED: {e}"),
    };
    out.push(format!("persons={}", problem.cap_w.len()));
    out.push(format!("jobs={}", problem.cap_j.len()));
    out.push(format!("edges={}", problem.edges.len()));
    out.push(format!("objective={}", s.objective()));
    out.push(format!("pairs={}", s.chosen.len()));
    out.push(format!("parse_ms={parse_ms:.1}"));
    out.push(format!("solve_ms={solve_ms:.1}"));
    out.push(format!("certificate={certificate}"));
    out.push(format!("peak_rss_kb={}", peak_rss_kb()));
    if certificate != "ok" {
        bail!("{}", out.join("\n"));
    }
    Ok(out)
}
