"""The numeric layer's cost per loss: the batched search on a 3-3-3-3 deep linear net, each loss against the
square loss measured in the same process.

    .venv/bin/python benchmarks/bench_losses.py [--starts 1000] [--threads 1] [--repeat 3] [--json FILE]

For each loss (square, power 4, logistic, cross-entropy) one random instance with minima
(:func:`numeric.depth_evidence.random_instance`, ``separable=False``: for logistic and cross-entropy a positively
spanning block of samples makes ℓ coercive) and one separable instance for logistic / cross-entropy (no
minimiser: the runs never meet the stopping rule, so they spend the whole step budget), and:

* step: one batched value-and-gradient over all starts (the optimisers' hot loop), and one batch of dense
  Hessians (the Newton polish and the classification), best of ``--repeat``;
* search: the whole ``search(problem, starts, method="adam")`` (Adam, saddle-free Newton polish, classification
  with the escape test for logistic / cross-entropy), seconds and the runs per class.

Ratios are against the square loss on the same X (its Y drawn the same way as power 4's).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from numeric.depth_evidence import random_instance  # noqa: E402
from numeric.hessian import hessians  # noqa: E402
from numeric.losses import make_loss, value_and_grad  # noqa: E402
from numeric.search import initial_points, search  # noqa: E402
from verify.problems.losses import Loss  # noqa: E402

WIDTHS = (3, 3, 3, 3)
CASES = [("square", "square", False), ("power 4", {"power": 4}, False), ("logistic", "logistic", False),
         ("cross-entropy", "cross-entropy", False), ("logistic, separable", "logistic", True),
         ("cross-entropy, separable", "cross-entropy", True)]


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def measure(name, value, separable, starts: int, repeat: int, seed: int) -> dict:
    prob = random_instance(WIDTHS, Loss.from_value(value), seed, separable)
    L = make_loss(prob, device="cpu")
    th = initial_points(L, starts, seed)
    step = best_of(repeat, lambda: value_and_grad(L, th))
    hess = best_of(repeat, lambda: hessians(L, th[: min(starts, 256)]))
    t = time.perf_counter()
    res = search(prob, starts=starts, seed=seed, method="adam")
    total = time.perf_counter() - t
    return {"loss": name, "separable": separable, "n_params": prob.n_params, "samples": len(prob.X[0]),
            "value_and_grad_s": step, "hessians_256_s": hess, "search_s": total,
            "by_class": {k: v["runs"] for k, v in res.by_class.items()}, "not_attained": res.not_attained["runs"],
            "spurious": sum(1 for c in res.candidates if c["class"].value == "spurious-local-min")}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--starts", type=int, default=1000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", help="write the rows to this file")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    rows = [measure(*case, args.starts, args.repeat, args.seed) for case in CASES]
    base = rows[0]
    for r in rows:
        for k in ("value_and_grad_s", "hessians_256_s", "search_s"):
            r[k.replace("_s", "_ratio")] = r[k] / base[k]
    print(f"{'loss':<26}{'v&g ms':>9}{'×sq':>6}{'H ms':>9}{'×sq':>6}{'search s':>10}{'×sq':>6}  classes")
    for r in rows:
        print(f"{r['loss']:<26}{1e3 * r['value_and_grad_s']:>9.2f}{r['value_and_grad_ratio']:>6.2f}"
              f"{1e3 * r['hessians_256_s']:>9.1f}{r['hessians_256_ratio']:>6.2f}{r['search_s']:>10.1f}"
              f"{r['search_ratio']:>6.2f}  {r['by_class']} not_attained {r['not_attained']} spurious {r['spurious']}")
    if args.json:
        meta = {"starts": args.starts, "threads": args.threads, "widths": WIDTHS, "torch": torch.__version__,
                "python": platform.python_version(), "machine": platform.machine()}
        Path(args.json).write_text(json.dumps({"meta": meta, "rows": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
