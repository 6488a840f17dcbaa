"""`spurious critical-points` end to end: today's python-flint pipeline vs the msolve pipeline, side by side.

Instances: regularised deep linear nets with one data point and generic per-weight Λ
(verify.testing.instances.generic_deep_regularised_net, seed 0; three widths = the critical-count tests'
instances). Each engine runs `critical_points(problem, timeout=T, engine=...)`, i.e. in a forked child killed at
the limit (msolve's own runs are limited to what is left and die with that child). The msolve column also gives
the time to the complex count alone (reduced basis over Q + standard monomials, `msolve.complex_count`).
Nothing is asserted; the goals are printed beside the figures.

Reproduce:  .venv/bin/python benchmarks/bench_msolve.py            (options: --timeout S, --cases ...)
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import flint  # noqa: E402

from verify.errors import WallClockTimeout  # noqa: E402
from verify.exact.algebra import msolve  # noqa: E402
from verify.exact.algebra.enumerate import critical_points  # noqa: E402
from verify.infra.child import run_in_child  # noqa: E402
from verify.testing.instances import generic_deep_regularised_net  # noqa: E402

DEFAULT_CASES = ["1-1-1", "1-2-1", "1-1-2", "2-2-2", "1-2-3", "1-3-3", "2-2-2-2"]
SHORT = {"global-min": "gmin", "spurious-local-min": "spur", "local-min": "lmin", "strict-saddle": "saddle",
         "local-max": "lmax", "unknown": "unk"}


def _classes(r):
    return ", ".join(f"{SHORT[k]} {v}" for k, v in r["by_class"].items() if v) or "—"


def _end_to_end(prob, engine, timeout):
    t0 = time.perf_counter()
    r = critical_points(prob, timeout=timeout, engine=engine)
    secs = time.perf_counter() - t0
    if r["status"] != "complete":
        return f"not done in {timeout:g} s", "", "", ""
    return str(r["complex"]), str(r["real"]), _classes(r), f"{secs:.2f}"


def _count_only(prob, timeout):
    t0 = time.perf_counter()
    try:
        d = run_in_child(msolve.complex_count, prob, timeout, timeout=timeout, what="msolve count")
    except WallClockTimeout:
        return f"not done in {timeout:g} s"
    return f"{d} in {time.perf_counter() - t0:.2f} s"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", nargs="*", default=DEFAULT_CASES, help="widths d_0-…-d_H")
    ap.add_argument("--timeout", type=float, default=600.0, help="wall-clock limit per engine and case")
    ap.add_argument("--flint-timeout", type=float, default=None, help="flint pipeline limit (default --timeout)")
    args = ap.parse_args(argv)
    flint_limit = args.flint_timeout or args.timeout
    print(f"python {platform.python_version()}, python-flint {flint.__version__}, msolve "
          f"{'installed' if msolve.available() else 'MISSING'} ({msolve.PIP_REQUIREMENT}), {os.cpu_count()} CPUs; "
          f"limit {args.timeout:g} s (flint {flint_limit:g} s), load {os.getloadavg()[0]:.2f}")
    print("| widths | vars | flint: complex | real | classes | s | msolve: complex | real | classes | s "
          "| msolve count only |")
    print("|---|---:|---:|---:|---|---:|---:|---:|---|---:|---|")
    for case in args.cases:
        widths = tuple(int(c) for c in case.split("-"))
        prob = generic_deep_regularised_net(widths, 0)
        fl = _end_to_end(prob, "flint", flint_limit)
        ms = _end_to_end(prob, "msolve", args.timeout)
        print(f"| {case} | {prob.n_params} | {' | '.join(fl)} | {' | '.join(ms)} | {_count_only(prob, args.timeout)} |",
              flush=True)
    print("\ngoals (measured, not asserted): 1-3-3 end to end ≤ 20 s; 2-2-2-2: 641 complex counted ≤ 60 s, "
          "its real points certified and classified")


if __name__ == "__main__":
    main()
