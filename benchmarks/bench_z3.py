"""How long z3 takes per claim as deep linear instances grow, and where it stops deciding in 60 s.

Each instance is run with three set-ups, side by side in this process (solver calls in child
processes with a hard limit): the 2×2-minor relaxation with symmetry slices (the default first
stage), all principal minors with slices, and the 2×2 relaxation WITHOUT slices (the baseline).

    .venv/bin/python benchmarks/bench_z3.py [--limit 60] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from fractions import Fraction as F

from verify import DeepLinear
from verify.run.exact_route import check_claim


def generic(widths, seed=0):
    rng = random.Random(seed)
    m = max(widths[0], 2)

    def rat():
        return F(rng.randint(-9, 9) or 1, rng.randint(1, 5))

    X = tuple(tuple(rat() for _ in range(m)) for _ in range(widths[0]))
    Y = tuple(tuple(rat() for _ in range(m)) for _ in range(widths[-1]))
    return DeepLinear(widths=tuple(widths), X=X, Y=Y)


INSTANCES = [(1, 1, 1), (1, 1, 1, 1), (1, 1, 1, 1, 1), (1, 2, 1), (2, 1, 2), (2, 2, 2), (1, 2, 2, 1), (2, 2, 2, 2),
             (2, 3, 2), (3, 2, 3)]
SETUPS = {
    "2x2+slices": dict(encodings=("2x2-minors",), use_symmetry=True),
    "all-minors+slices": dict(encodings=("all-minors",), use_symmetry=True),
    "2x2, no slices": dict(encodings=("2x2-minors",), use_symmetry=False),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=float, default=60.0)
    ap.add_argument("--json")
    args = ap.parse_args()
    rows = []
    for widths in INSTANCES:
        prob = generic(widths)
        for name, kw in SETUPS.items():
            t0 = time.perf_counter()
            r = check_claim(prob, "no-spurious-local-min", timeout=args.limit, second_solver=False, **kw)
            dt = time.perf_counter() - t0
            z3_time = sum(s["seconds"] for s in r.solvers if s["name"] == "z3")
            rows.append({"widths": "-".join(map(str, widths)), "params": prob.n_params, "setup": name,
                         "status": r.status.value, "wall_s": round(dt, 2), "z3_s": round(z3_time, 2)})
            print(f"{rows[-1]['widths']:>10} n={prob.n_params:<3} {name:<18} {r.status.value:<8} "
                  f"wall {dt:7.2f} s  z3 {z3_time:7.2f} s", flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)


if __name__ == "__main__":
    main()
