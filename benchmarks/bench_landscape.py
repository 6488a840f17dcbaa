"""Complete-landscape certificates: time to produce, size, and time for the independent checker to verify them.

Instances: regularised deep linear nets with one data point and generic per-weight Λ
(verify.testing.instances.generic_deep_regularised_net, seed 0; the critical-count tests' instances). For each
instance and each way the checker learns G ⊆ ⟨∇L⟩ — ``cofactors`` (Singular's lift; the checker multiplies) and
``recompute`` (the checker runs FLINT's Buchberger itself) — in the default reversed variable order, and for
``recompute`` also in the canonical order, the producer (:func:`complete_landscape_certificate`, statement
``no-spurious-local-min``) runs in a child killed at the limit; "produce" excludes the producer's own kernel
self-check, and "check" is a fresh ``proofs.check_certificate`` of the written certificate. Nothing is asserted; the
issue's goal (every certificate up to 245 points checked in ≤ 60 s) is printed beside the table.

Reproduce:  .venv/bin/python benchmarks/bench_landscape.py     (options: --cases ..., --timeout S, --no-canonical)
Writes benchmarks/bench_landscape.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import flint  # noqa: E402

import proofs  # noqa: E402
from verify.certify.landscape import complete_landscape_certificate  # noqa: E402
from verify.exact.algebra import msolve, singular  # noqa: E402
from verify.infra.child import run_in_child  # noqa: E402
from verify.testing.instances import generic_deep_regularised_net  # noqa: E402

DEFAULT_CASES = ["1-1-1", "1-2-1", "1-1-2", "2-2-2", "1-2-3", "1-3-3"]
STATEMENT = "no-spurious-local-min"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench_landscape.json")


def _check(cert, timeout):
    t0 = time.perf_counter()
    result = proofs.check_certificate(cert, timeout=timeout)
    return time.perf_counter() - t0, result.outcome.value


def _one(case, ideal, order, timeout):
    prob = generic_deep_regularised_net(tuple(int(c) for c in case.split("-")), 0)
    row = {"case": case, "vars": prob.n_params, "ideal": ideal, "order": order}
    made = complete_landscape_certificate(prob, STATEMENT, timeout=timeout, ideal=ideal, order=order)
    row.update({"route": made.route, "variables": made.variables, "D": made.critical_points, "R": made.real,
                "minima": made.minima, "bytes": made.size_bytes, "failure": made.failure and made.failure.value,
                "reason": made.reason if made.failure else "", "timings": made.to_json()["timings"]})
    if made.certificate is None:
        return row
    row["produce_s"] = made.seconds - made.timings.get("kernel_check", 0.0)
    try:
        secs, outcome = run_in_child(_check, made.certificate, timeout, timeout=timeout + 5, what="the check")
        row.update({"check_s": secs, "outcome": outcome})
    except Exception as e:  # noqa: BLE001 — a benchmark row, not a verdict
        row.update({"check_s": None, "outcome": f"{type(e).__name__}: {e}"})
    return row


def _fmt(row):
    if row["failure"]:
        return (f"| {row['case']} | {row['vars']} | {row['ideal']} | {row['order']} | {row['D'] or '—'} | "
                f"{row['R'] or '—'} | — | — | — | no certificate: {row['failure']} ({row['reason'][:60]}) |")
    check = f"{row['check_s']:.2f}" if row.get("check_s") is not None else "—"
    return (f"| {row['case']} | {row['vars']} | {row['route']} | {row['order']} | {row['D']} | {row['R']} | "
            f"{row['bytes']:,} | {row['produce_s']:.2f} | {check} | {row['outcome']} |")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", nargs="*", default=DEFAULT_CASES, help="widths d_0-…-d_H")
    ap.add_argument("--timeout", type=float, default=600.0, help="wall-clock limit per certificate and per check")
    ap.add_argument("--no-canonical", action="store_true", help="skip the canonical-order recompute rows")
    args = ap.parse_args(argv)
    head = (f"python {platform.python_version()}, python-flint {flint.__version__}, msolve "
            f"{'installed' if msolve.available() else 'MISSING'}, Singular "
            f"{'installed' if singular.available() else 'MISSING'} ({singular.PIP_REQUIREMENT}), {os.cpu_count()} "
            f"CPUs, load {os.getloadavg()[0]:.2f}; statement {STATEMENT}; limit {args.timeout:g} s")
    print(head)
    print("| widths | vars | route | variable order | D | R | bytes | produce s | check s | checker |")
    print("|---|---:|---|---|---:|---:|---:|---:|---:|---|")
    rows = []
    for case in args.cases:
        runs = [("cofactors", "reversed")] if singular.available() else []
        runs.append(("recompute", "reversed"))
        if not args.no_canonical:
            runs.append(("recompute", "canonical"))
        for ideal, order in runs:
            row = _one(case, ideal, order, args.timeout)
            rows.append(row)
            print(_fmt(row), flush=True)
    with open(OUT, "w") as fh:
        json.dump({"environment": head, "rows": rows}, fh, indent=1)
    print(f"\ngoal (measured, not asserted): every certificate up to 245 points checked in ≤ 60 s; wrote {OUT}")


if __name__ == "__main__":
    main()
