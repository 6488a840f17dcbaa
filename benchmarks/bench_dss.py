"""Dynamic String Sampling batched over pairs vs one pair at a time (issue 11).

The minima are those of a one-hidden-layer relu net (width 8, cubic regression on 20 samples in R² with a bias
input: :func:`numeric.paths.trend.polynomial_task`) found by :func:`numeric.search.search`; 64 seeded pairs of the
lowest minima are joined at each level L0 = L_min + f·(L(0) − L_min), f ∈ {1e-1, 1e-2, 1e-3}, once by ONE
:func:`numeric.paths.connect_pairs` call over the 64 pairs and once by a Python loop of :func:`numeric.paths.connect`
(same seed: the two give the same strings, the tests check it), in the same process, one after the other.

    .venv/bin/python benchmarks/bench_dss.py [--pairs 64] [--threads 1] [--out benchmarks/bench_dss.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

import numeric.paths.descent as descent  # noqa: E402
from numeric.losses import make_loss  # noqa: E402
from numeric.paths import connect, connect_pairs  # noqa: E402
from numeric.paths.trend import _minima, polynomial_task  # noqa: E402

FRACTIONS = (1e-1, 1e-2, 1e-3)


def summary(results) -> dict:
    won = [r for r in results if r.connected]
    return {"joined": len(won), "median_beads": statistics.median(r.counts.beads for r in won) if won else None,
            "median_length": statistics.median(r.geodesic_length for r in won) if won else None}


ITERATIONS = [0]
_step = descent.BeadPool.step


def _counted_step(self):
    """Descent iterations (one batched gradient + line search each): the batch needs at least as many as its
    longest string, the loop the sum over its strings."""
    ITERATIONS[0] += 1
    return _step(self)


descent.BeadPool.step = _counted_step


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=64)
    ap.add_argument("--width", type=int, default=8)
    ap.add_argument("--threads", type=int, default=1, help="torch intra-op threads (1: immune to the slow-down "
                    "that torch's threads suffer when another process holds a core)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench_dss.json"))
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    prob = polynomial_task(a.width, 0)
    found = _minima(prob, 48, 0, 1500)
    loss = make_loss(prob, device="cpu")
    zero = float(loss(torch.zeros(1, len(found[0][1]), dtype=torch.float64))[0])
    low = found[0][0]
    rows = []
    for f in FRACTIONS:
        level = low + f * (zero - low)
        ok = [p for v, p in found if v <= low + f / 2 * (zero - low)]
        combos = [(i, j) for i in range(len(ok)) for j in range(i + 1, len(ok))]
        random.Random(0).shuffle(combos)
        pairs = [(ok[i], ok[j]) for i, j in (combos * a.pairs)[:a.pairs]]
        ITERATIONS[0] = 0
        t = time.monotonic()
        batched = connect_pairs(prob, pairs, level, seed=0, device="cpu")
        t_batched, it_batched = time.monotonic() - t, ITERATIONS[0]
        t = time.monotonic()
        loop, longest, it_loop = [], 0, 0
        for x, y in pairs:
            ITERATIONS[0] = 0
            loop.append(connect(prob, x, y, level, seed=0, device="cpu"))
            longest, it_loop = max(longest, ITERATIONS[0]), it_loop + ITERATIONS[0]
        t_loop = time.monotonic() - t
        same = all(b.counts.beads == s.counts.beads and b.connected == s.connected for b, s in zip(batched, loop))
        rows.append({"fraction": f, "level": level, "pairs": len(pairs), "distinct_pairs": min(len(combos), a.pairs),
                     "batched": summary(batched), "loop": summary(loop), "seconds_batched": t_batched,
                     "seconds_loop": t_loop, "ratio": t_loop / t_batched, "same_strings": same,
                     "iterations_batched": it_batched, "iterations_loop": it_loop, "longest_string": longest})
        print(json.dumps(rows[-1]), file=sys.stderr)
    out = {"problem": f"two-layer relu width {a.width}, cubic regression, 20 samples", "minima": len(found),
           "torch_threads": torch.get_num_threads(), "rows": rows}
    with open(a.out, "w") as fh:
        json.dump(out, fh, indent=1)
    print("| f (L0 = L_min + f·spread) | L0 | pairs (distinct) | joined | median beads | median length "
          "| batched s | loop s | loop / batched | same strings | iterations batched / loop (longest string) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for r in rows:
        b = r["batched"]
        def fmt(v, s):
            return "—" if v is None else format(v, s)
        print(f"| {r['fraction']:g} | {r['level']:.4g} | {r['pairs']} ({r['distinct_pairs']}) | {b['joined']} | "
              f"{fmt(b['median_beads'], 'g')} | {fmt(b['median_length'], '.3f')} | {r['seconds_batched']:.2f} | "
              f"{r['seconds_loop']:.2f} | {r['ratio']:.1f}× | {'yes' if r['same_strings'] else 'NO'} | "
              f"{r['iterations_batched']} / {r['iterations_loop']} ({r['longest_string']}) |")


if __name__ == "__main__":
    main()
