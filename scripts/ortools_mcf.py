#!/usr/bin/env python3
"""Solves a MATCH1 allocation with Google OR-Tools' SimpleMinCostFlow, for comparison with
`jimoto allocate` (scripts/bench-matching runs both on the same file).

The network is the usual one: source -> person (capacity cap_w), person -> job (capacity 1,
cost = the edge's cost), job -> sink (capacity cap_j), and source -> sink (cost 0) so that
people and places may stay unfilled. Prints key=value lines like `jimoto allocate`.
"""
import resource
import sys
import time

import numpy as np
from ortools.graph.python import min_cost_flow


def main(path):
    t0 = time.perf_counter()
    with open(path, "rb") as f:
        header = f.readline().split()
        if header[0] != b"MATCH1":
            sys.exit("not a MATCH1 file")
        nw, nj, ne = (int(x) for x in header[1:4])
        data = np.array(f.read().split(), dtype=np.int64)
    cap_w = data[:nw]
    cap_j = data[nw:nw + nj]
    edges = data[nw + nj:].reshape(ne, 3)
    parse_ms = (time.perf_counter() - t0) * 1000

    t1 = time.perf_counter()
    source, sink = nw + nj, nw + nj + 1
    total = int(cap_w.sum())
    persons = np.arange(nw, dtype=np.int64)
    jobs = np.arange(nj, dtype=np.int64) + nw
    tails = np.concatenate([np.full(nw, source), edges[:, 0], jobs, [source]])
    heads = np.concatenate([persons, edges[:, 1] + nw, np.full(nj, sink), [sink]])
    caps = np.concatenate([cap_w, np.ones(ne, dtype=np.int64), cap_j, [total]])
    costs = np.concatenate([np.zeros(nw, dtype=np.int64), edges[:, 2],
                            np.zeros(nj, dtype=np.int64), [0]])
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    smcf.set_node_supply(source, total)
    smcf.set_node_supply(sink, -total)
    status = smcf.solve()
    solve_ms = (time.perf_counter() - t1) * 1000
    if status != smcf.OPTIMAL:
        sys.exit(f"OR-Tools status {status}")
    flows = smcf.flows(np.arange(nw, nw + ne, dtype=np.int64))
    print(f"objective={-smcf.optimal_cost()}")
    print(f"pairs={int(flows.sum())}")
    print(f"parse_ms={parse_ms:.1f}")
    print(f"solve_ms={solve_ms:.1f}")
    print(f"peak_rss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")


if __name__ == "__main__":
    main(sys.argv[1])
