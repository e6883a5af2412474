//! An allocation problem — people with a capacity, jobs with places, candidate pairs with a cost
//! (−fit) — and its exchange format MATCH1:
//!
//! ```text
//! MATCH1 <W> <J> <E>        header: persons, jobs, candidate edges
//! <cap_w>                   W lines: how many jobs person w may take (>= 0)
//! <cap_j>                   J lines: places of job j (>= 0)
//! <w> <j> <cost>            E lines: cost = -fit (negative integer); each (w, j) at most once
//! ```
//!
//! The reader is strict (a wrong count, an id out of range, a pair given twice are refused with
//! the line number and the reason) and fast (it reads bytes, not `str::parse` per token), since a
//! national instance has tens of millions of lines.

use std::fmt;

/// The largest |cost| accepted: scaled by the number of nodes for the exact solve, costs must
/// stay far inside 64 bits.
pub const MAX_COST: i64 = 1_000_000;
/// The largest capacity of a person or a job.
pub const MAX_CAPACITY: i64 = 1_000_000;

/// A candidate pair: person `w` may take job `j` at `cost` (= −fit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// The person (0-based).
    pub w: u32,
    /// The job (0-based).
    pub j: u32,
    /// −fit: negative for a pair worth making.
    pub cost: i32,
}

/// People, jobs and candidate pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problem {
    /// How many jobs each person may take.
    pub cap_w: Vec<u32>,
    /// How many places each job has.
    pub cap_j: Vec<u32>,
    /// The candidate pairs, each (w, j) at most once.
    pub edges: Vec<Edge>,
}

/// A MATCH1 text that cannot be read: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The line (1-based; the line after the last for a file that ends too early).
    pub line: usize,
    /// What is wrong, in words.
    pub reason: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for ParseError {}

/// A problem that does not hold together (built in code rather than read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidProblem(pub String);

impl fmt::Display for InvalidProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidProblem {}

/// Reads whitespace-separated integers line by line.
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn err(&self, reason: impl Into<String>) -> ParseError {
        ParseError {
            line: self.line,
            reason: reason.into(),
        }
    }

    /// The tokens of the next non-empty line (None at the end).
    fn next_line(&mut self) -> Option<&'a [u8]> {
        while self.pos < self.bytes.len() {
            let start = self.pos;
            let end = self.bytes[start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(self.bytes.len(), |i| start + i);
            self.pos = end + 1;
            self.line += 1;
            let text = &self.bytes[start..end];
            if text.iter().any(|b| !b.is_ascii_whitespace()) {
                return Some(text);
            }
        }
        None
    }

    /// Exactly `N` integers on the next line.
    fn ints<const N: usize>(&mut self, what: &str) -> Result<[i64; N], ParseError> {
        let Some(text) = self.next_line() else {
            return Err(ParseError {
                line: self.line + 1,
                reason: format!("the file ends where {what} was expected"),
            });
        };
        let mut out = [0i64; N];
        let mut n = 0;
        for token in text
            .split(|b| b.is_ascii_whitespace())
            .filter(|t| !t.is_empty())
        {
            if n == N {
                return Err(self.err(format!("{what}: expected {N} number(s), found more")));
            }
            out[n] = int(token).ok_or_else(|| {
                self.err(format!(
                    "{what}: {:?} is not an integer",
                    String::from_utf8_lossy(token)
                ))
            })?;
            n += 1;
        }
        if n < N {
            return Err(self.err(format!("{what}: expected {N} number(s), found {n}")));
        }
        Ok(out)
    }
}

fn int(token: &[u8]) -> Option<i64> {
    let (neg, digits) = match token.first()? {
        b'-' => (true, &token[1..]),
        b'+' => (false, &token[1..]),
        _ => (false, token),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(d - b'0');
    }
    Some(if neg { -v } else { v })
}

impl Problem {
    /// Reads a MATCH1 text: every problem is refused with its line number and the reason.
    pub fn parse(bytes: &[u8]) -> Result<Problem, ParseError> {
        let mut r = Lines {
            bytes,
            pos: 0,
            line: 0,
        };
        let Some(header) = r.next_line() else {
            return Err(r.err("empty: expected the header `MATCH1 <W> <J> <E>`"));
        };
        let mut tokens = header
            .split(|b| b.is_ascii_whitespace())
            .filter(|t| !t.is_empty());
        if tokens.next() != Some(b"MATCH1".as_slice()) {
            return Err(r.err("the header must start with MATCH1"));
        }
        let mut counts = [0u64; 3];
        for (i, name) in ["W", "J", "E"].iter().enumerate() {
            let t = tokens
                .next()
                .ok_or_else(|| r.err(format!("the header lacks {name}")))?;
            counts[i] = int(t)
                .filter(|v| (0..=u32::MAX as i64).contains(v))
                .ok_or_else(|| {
                    r.err(format!(
                        "the header's {name} must be a count, not {:?}",
                        String::from_utf8_lossy(t)
                    ))
                })? as u64;
        }
        if tokens.next().is_some() {
            return Err(r.err("the header has more than MATCH1 <W> <J> <E>"));
        }
        let [w_count, j_count, e_count] = counts;
        let mut p = Problem {
            cap_w: Vec::with_capacity(w_count as usize),
            cap_j: Vec::with_capacity(j_count as usize),
            edges: Vec::with_capacity(e_count as usize),
        };
        for (caps, n, what) in [
            (&mut p.cap_w, w_count, "a person's capacity"),
            (&mut p.cap_j, j_count, "a job's places"),
        ] {
            for _ in 0..n {
                let [c] = r.ints::<1>(what)?;
                if !(0..=MAX_CAPACITY).contains(&c) {
                    return Err(r.err(format!("{what} must be 0 to {MAX_CAPACITY}, not {c}")));
                }
                caps.push(c as u32);
            }
        }
        let mut lines = Vec::with_capacity(e_count as usize);
        for _ in 0..e_count {
            let [w, j, cost] = r.ints::<3>("an edge `w j cost`")?;
            if !(0..w_count as i64).contains(&w) {
                return Err(r.err(format!("person {w} is out of range 0..{w_count}")));
            }
            if !(0..j_count as i64).contains(&j) {
                return Err(r.err(format!("job {j} is out of range 0..{j_count}")));
            }
            if !(-MAX_COST..0).contains(&cost) {
                return Err(r.err(format!(
                    "cost {cost} must be negative (−fit) and at least −{MAX_COST}"
                )));
            }
            p.edges.push(Edge {
                w: w as u32,
                j: j as u32,
                cost: cost as i32,
            });
            lines.push(r.line as u32);
        }
        if r.next_line().is_some() {
            return Err(r.err(format!(
                "more lines than the header's {w_count} + {j_count} + {e_count}"
            )));
        }
        if let Some((a, b)) = p.duplicate() {
            return Err(ParseError {
                line: lines[b] as usize,
                reason: format!(
                    "the pair ({}, {}) is given twice (first on line {})",
                    p.edges[b].w, p.edges[b].j, lines[a]
                ),
            });
        }
        Ok(p)
    }

    /// The first pair given twice, as (earlier edge, later edge).
    fn duplicate(&self) -> Option<(usize, usize)> {
        let mut order: Vec<u32> = (0..self.edges.len() as u32).collect();
        order.sort_unstable_by_key(|&i| {
            let e = self.edges[i as usize];
            (e.w, e.j, i)
        });
        order
            .windows(2)
            .filter(|p| {
                let (a, b) = (self.edges[p[0] as usize], self.edges[p[1] as usize]);
                a.w == b.w && a.j == b.j
            })
            .map(|p| (p[0] as usize, p[1] as usize))
            .min_by_key(|&(_, b)| b)
    }

    /// Checks a problem built in code the way [`Problem::parse`] checks a file.
    pub fn check(&self) -> Result<(), InvalidProblem> {
        let (w, j) = (self.cap_w.len(), self.cap_j.len());
        for (i, e) in self.edges.iter().enumerate() {
            if e.w as usize >= w || e.j as usize >= j {
                return Err(InvalidProblem(format!(
                    "edge {i}: ({}, {}) out of range",
                    e.w, e.j
                )));
            }
            if !(-MAX_COST..0).contains(&i64::from(e.cost)) {
                return Err(InvalidProblem(format!(
                    "edge {i}: cost {} out of range",
                    e.cost
                )));
            }
        }
        if let Some((_, b)) = self.duplicate() {
            return Err(InvalidProblem(format!("edge {b}: the pair is given twice")));
        }
        Ok(())
    }

    /// The problem as MATCH1 text.
    pub fn to_match1(&self) -> String {
        use std::fmt::Write;
        let mut s = String::with_capacity(16 * (self.edges.len() + self.cap_w.len() + 8));
        let _ = writeln!(
            s,
            "MATCH1 {} {} {}",
            self.cap_w.len(),
            self.cap_j.len(),
            self.edges.len()
        );
        for c in self.cap_w.iter().chain(&self.cap_j) {
            let _ = writeln!(s, "{c}");
        }
        for e in &self.edges {
            let _ = writeln!(s, "{} {} {}", e.w, e.j, e.cost);
        }
        s
    }

    /// Whether `chosen` (indices into `edges`) respects every capacity, and its total cost.
    pub fn cost_of(&self, chosen: &[u32]) -> Result<i64, InvalidProblem> {
        let mut used_w = vec![0u32; self.cap_w.len()];
        let mut used_j = vec![0u32; self.cap_j.len()];
        let mut seen = vec![false; self.edges.len()];
        let mut total = 0i64;
        for &i in chosen {
            let e = *self
                .edges
                .get(i as usize)
                .ok_or_else(|| InvalidProblem(format!("edge {i} does not exist")))?;
            if std::mem::replace(&mut seen[i as usize], true) {
                return Err(InvalidProblem(format!("edge {i} chosen twice")));
            }
            used_w[e.w as usize] += 1;
            used_j[e.j as usize] += 1;
            if used_w[e.w as usize] > self.cap_w[e.w as usize] {
                return Err(InvalidProblem(format!("person {} over capacity", e.w)));
            }
            if used_j[e.j as usize] > self.cap_j[e.j as usize] {
                return Err(InvalidProblem(format!("job {} over its places", e.j)));
            }
            total += i64::from(e.cost);
        }
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ParseError {
        Problem::parse(text.as_bytes()).expect_err("refused")
    }

    #[test]
    fn a_good_file_reads_and_writes_back() {
        let text = "MATCH1 2 1 2\n1\n2\n\n1\n0 0 -5\n1 0 -7\n";
        let p = Problem::parse(text.as_bytes()).unwrap();
        assert_eq!(p.cap_w, [1, 2]);
        assert_eq!(p.cap_j, [1]);
        assert_eq!(
            p.edges[1],
            Edge {
                w: 1,
                j: 0,
                cost: -7
            }
        );
        assert_eq!(Problem::parse(p.to_match1().as_bytes()).unwrap(), p);
    }

    #[test]
    fn each_mistake_is_named_with_its_line() {
        assert_eq!(err("MATCH2 1 1 0\n1\n1\n").line, 1);
        assert!(err("MATCH1 1 1\n").reason.contains("lacks E"));
        assert!(err("MATCH1 1 x 0\n").reason.contains("J"));
        let e = err("MATCH1 1 1 1\n1\n1\n0 3 -5\n");
        assert_eq!((e.line, e.reason.contains("job 3")), (4, true));
        let e = err("MATCH1 1 1 1\n1\n1\n-1 0 -5\n");
        assert!(e.reason.contains("person -1"), "{e}");
        let e = err("MATCH1 2 1 3\n1\n1\n1\n0 0 -5\n1 0 -4\n0 0 -6\n");
        assert_eq!(e.line, 7, "{e}");
        assert!(e.reason.contains("given twice (first on line 5)"), "{e}");
        let e = err("MATCH1 1 1 2\n1\n1\n0 0 -5\n");
        assert_eq!(e.line, 5);
        assert!(e.reason.contains("ends"), "{e}");
        let e = err("MATCH1 1 1 1\n1\n1\n0 0 -5\n0 0 -5\n");
        assert!(e.reason.contains("more lines"), "{e}");
        assert!(
            err("MATCH1 1 1 1\n1\n1\n0 0 5\n")
                .reason
                .contains("negative")
        );
        assert!(
            err("MATCH1 1 1 1\n-1\n1\n0 0 -5\n")
                .reason
                .contains("capacity")
        );
        assert!(
            err("MATCH1 1 1 1\n1\n1\n0 0 -5 9\n")
                .reason
                .contains("more")
        );
        assert!(
            err("MATCH1 1 1 1\n1\n1\n0 0 -5x\n")
                .reason
                .contains("not an integer")
        );
        assert_eq!(err("").line, 0);
    }

    #[test]
    fn a_choice_is_checked_against_every_capacity() {
        let p = Problem::parse(b"MATCH1 2 1 2\n1\n1\n1\n0 0 -5\n1 0 -7\n").unwrap();
        assert_eq!(p.cost_of(&[1]), Ok(-7));
        assert!(p.cost_of(&[0, 1]).is_err(), "one place");
        assert!(p.cost_of(&[1, 1]).is_err());
    }
}
