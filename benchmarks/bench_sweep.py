"""Sweep throughput (issue 14): instances per minute with 1 worker (in process) and 2 workers (a local process pool),
run side by side in one process on the same conjecture, and the store's overhead per instance (one SQLite
transaction per row, certificate included) against writing nothing.

    .venv/bin/python benchmarks/bench_sweep.py [--seeds 20] [--rows 2000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from verify.run.store import Store  # noqa: E402
from verify.run.sweep import parse_conjecture, sweep  # noqa: E402


def conjecture(seeds: int):
    return parse_conjecture({"name": "bench", "claim": "strict-saddle",
                             "family": {"kind": "deep-linear", "depth": [2, 3], "width": [1, 2], "dx": 2, "dy": 2,
                                        "samples": 3, "seeds": seeds},
                             "budget": {"timeout": 30, "starts": 50}})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--rows", type=int, default=2000)
    a = ap.parse_args()
    conj = conjecture(a.seeds)
    n = len(conj.instances)
    out = []
    with tempfile.TemporaryDirectory() as d:
        for workers in (1, 2):
            t = time.monotonic()
            s = sweep(conj, os.path.join(d, f"w{workers}.sqlite"), workers=workers)
            dt = time.monotonic() - t
            out.append((workers, s.engine, n, dt, 60 * n / dt, s.counts))
        with Store(os.path.join(d, "w1.sqlite")) as src:
            sample = src.rows()
        rows = [dict(r, key=f"{r['key']}-{i}") for i in range(a.rows // len(sample) + 1) for r in sample][:a.rows]
        t = time.monotonic()
        for r in rows:
            dict(r)                      # the baseline: the same loop writing nothing
        base = time.monotonic() - t
        with Store(os.path.join(d, "store.sqlite")) as st:
            t = time.monotonic()
            for r in rows:
                st.write(r)
            stored = time.monotonic() - t
        size = sum(len(str(r["certificate"] or "")) for r in rows) / len(rows)
    print(f"load average: {os.getloadavg()[0]:.2f}")
    print("| workers | engine | instances | seconds | instances / minute | verdicts |")
    print("|---:|---|---:|---:|---:|---|")
    for w, engine, k, dt, rate, counts in out:
        print(f"| {w} | {engine} | {k} | {dt:.1f} | {rate:.0f} | {counts} |")
    print(f"\nstore: {len(rows)} rows (mean certificate {size:.0f} characters) in {stored:.2f} s = "
          f"{1000 * (stored - base) / len(rows):.2f} ms per row over the baseline loop "
          f"({1000 * base / len(rows):.4f} ms)")


if __name__ == "__main__":
    main()
