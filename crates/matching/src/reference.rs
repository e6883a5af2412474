//! Independent answers to check the solver against: an exhaustive search for tiny problems and
//! successive shortest paths (Bellman–Ford, no prices, no scaling) for small ones. Slow on
//! purpose: they share nothing with [`crate::flow`] but the problem.

use crate::problem::Problem;

/// The minimum total cost by trying every set of pairs (at most 20 edges).
pub fn brute_force(p: &Problem) -> i64 {
    assert!(p.edges.len() <= 20, "brute force is for tiny problems");
    let mut best = 0i64;
    let m = p.edges.len();
    for mask in 0u32..(1u32 << m) {
        let chosen: Vec<u32> = (0..m as u32).filter(|i| mask & (1 << i) != 0).collect();
        if let Ok(c) = p.cost_of(&chosen) {
            best = best.min(c);
        }
    }
    best
}

/// The minimum total cost by successive shortest paths: while a path from a person with room to
/// a job with a place has negative cost in the residual graph, send one unit along the
/// cheapest. Costs are not scaled; Bellman–Ford handles the negative arcs.
pub fn successive_shortest_paths(p: &Problem) -> i64 {
    let (nw, nj) = (p.cap_w.len(), p.cap_j.len());
    // Nodes: source, persons, jobs, sink.
    let n = nw + nj + 2;
    let (s, t) = (0usize, n - 1);
    let mut to = Vec::new();
    let mut cap = Vec::new();
    let mut cost = Vec::new();
    let mut adj = vec![Vec::new(); n];
    let mut add = |adj: &mut Vec<Vec<usize>>, a: usize, b: usize, c: i64, k: i64| {
        adj[a].push(to.len());
        to.push(b);
        cap.push(c);
        cost.push(k);
        adj[b].push(to.len());
        to.push(a);
        cap.push(0);
        cost.push(-k);
    };
    for (w, &c) in p.cap_w.iter().enumerate() {
        add(&mut adj, s, 1 + w, i64::from(c), 0);
    }
    for (j, &c) in p.cap_j.iter().enumerate() {
        add(&mut adj, 1 + nw + j, t, i64::from(c), 0);
    }
    for e in &p.edges {
        add(
            &mut adj,
            1 + e.w as usize,
            1 + nw + e.j as usize,
            1,
            i64::from(e.cost),
        );
    }
    let mut total = 0i64;
    loop {
        let mut dist = vec![i64::MAX; n];
        let mut via = vec![usize::MAX; n];
        dist[s] = 0;
        for _ in 0..n {
            let mut changed = false;
            for u in 0..n {
                if dist[u] == i64::MAX {
                    continue;
                }
                for &a in &adj[u] {
                    if cap[a] > 0 && dist[u] + cost[a] < dist[to[a]] {
                        dist[to[a]] = dist[u] + cost[a];
                        via[to[a]] = a;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        if dist[t] >= 0 {
            return total;
        }
        let mut v = t;
        while v != s {
            let a = via[v];
            cap[a] -= 1;
            cap[a ^ 1] += 1;
            v = to[a ^ 1];
        }
        total += dist[t];
    }
}
