"""Gröbner bases of critical-point systems: python-flint Buchberger vs sympy's plain ``groebner``, side by side.

The systems are ∇L = 0 for regularised deep linear nets (one data point, generic per-weight Λ, the
instances of tests/cases/test_critical_counts.py), with integer coefficients, in degrevlex. Each engine runs
in a forked child process under a wall-clock limit (a killed run is reported as "did not finish in T s");
the clock covers the Gröbner computation only (flint: ``buchberger_naive`` + ``autoreduction(groebner=True)``,
i.e. the reduced basis; sympy: ``groebner(..., order="grevlex")``, which returns the reduced basis). When both
finish, the two reduced bases are compared (monic) and must be equal.

Both engines run in both variable orders (canonical = W1 row-major then W2; reversed), because Buchberger's
running time depends strongly on the order, for both engines.

Reproduce:  .venv/bin/python benchmarks/bench_groebner.py            (options: --sympy-timeout S, --cases ...)
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from fractions import Fraction as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

import flint  # noqa: E402
import sympy  # noqa: E402

from verify.errors import WallClockTimeout  # noqa: E402
from verify.exact.algebra.groebner import (  # noqa: E402  # noqa: E402
    critical_system,
    degrevlex_key,
    groebner_flint,
    leading_monomial,
    missing_pure_powers,
    standard_monomials,
)
from verify.infra.child import run_in_child  # noqa: E402
from verify.testing.instances import generic_regularised_net  # noqa: E402

DEFAULT_CASES = ["1-1-1", "1-2-1", "1-1-2", "2-2-1", "1-3-1", "1-2-2", "2-2-2", "1-2-3", "1-3-2", "1-3-3"]


def instance(widths, seed=0):
    """The critical-count tests' generator (verify.exact.algebra.enumerate.generic_regularised_net)."""
    return generic_regularised_net(widths, seed)


def _monic_set(bases):
    out = []
    for d in bases:
        lead = max(d, key=degrevlex_key)
        out.append(tuple(sorted((e, F(c) / F(d[lead])) for e, c in d.items())))
    return sorted(out)


def _run_flint(widths, order):
    polys, _, _, zctx = critical_system(instance(widths), order)
    t0, c0 = time.perf_counter(), time.process_time()
    gb = groebner_flint(polys, zctx)
    secs = (time.perf_counter() - t0, time.process_time() - c0)
    lms = [leading_monomial(g) for g in gb]
    D = len(standard_monomials(lms, zctx.nvars())) if not missing_pure_powers(lms, zctx.nvars()) else None
    return secs, len(gb), D, _monic_set([{tuple(int(k) for k in e): int(c) for e, c in g.terms()} for g in gb])


def _run_sympy(widths, order):
    polys, _, _, zctx = critical_system(instance(widths), order)
    gens = sympy.symbols(f"t0:{zctx.nvars()}")
    sp = [sympy.Poly.from_dict({tuple(int(k) for k in e): int(c) for e, c in p.terms()}, *gens) for p in polys]
    t0, c0 = time.perf_counter(), time.process_time()
    gb = sympy.groebner(sp, *gens, order="grevlex")
    secs = (time.perf_counter() - t0, time.process_time() - c0)
    return secs, len(gb.exprs), None, _monic_set([{e: int(c) if c.is_Integer else F(int(c.p), int(c.q))
                                                  for e, c in sympy.Poly(g, *gens).terms()} for g in gb.exprs])


def timed(fn, widths, order, timeout):
    """``fn(widths, order)`` in a forked child (verify.infra.child), or None when it did not finish in time."""
    try:
        return run_in_child(fn, widths, order, timeout=timeout, what=f"{fn.__name__} on {widths}")
    except WallClockTimeout:
        return None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", nargs="*", default=DEFAULT_CASES, help="widths d_x-d-d_y")
    ap.add_argument("--sympy-timeout", type=float, default=300.0)
    ap.add_argument("--flint-timeout", type=float, default=1200.0)
    ap.add_argument("--repeat", type=int, default=3, help="flint repeats (best of) when a run takes < 1 s")
    args = ap.parse_args(argv)
    print(f"python {platform.python_version()}, python-flint {flint.__version__}, sympy {sympy.__version__}, "
          f"{os.cpu_count()} CPUs; sympy limit {args.sympy_timeout:g} s, flint limit {args.flint_timeout:g} s")
    print("Times are CPU seconds of the child process (wall seconds in brackets); c = canonical variable order "
          "(W1 row-major, then W2), r = reversed.")
    print("| widths d_x-d-d_y | vars | D | flint c | flint r | sympy c | sympy r | sympy/flint, order c "
          "| best sympy / best flint | same basis |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    best = None
    for case in args.cases:
        widths = tuple(int(c) for c in case.split("-"))
        n = widths[0] * widths[1] + widths[1] * widths[2]
        res = {}
        for engine, fn, limit in (("flint", _run_flint, args.flint_timeout), ("sympy", _run_sympy, args.sympy_timeout)):
            for order in ("canonical", "reversed"):
                r = timed(fn, widths, order, limit)
                if engine == "flint" and r is not None and r[0][0] < 1.0:
                    for _ in range(args.repeat - 1):
                        again = timed(fn, widths, order, limit)
                        if again is not None and again[0][1] < r[0][1]:
                            r = again
                res[engine, order] = r

        def cell(engine, order, res=res):
            r = res[engine, order]
            if r is None:
                lim = args.flint_timeout if engine == "flint" else args.sympy_timeout
                return f"did not finish in {lim:g} s"
            return f"{r[0][1]:.3g} ({r[0][0]:.3g})"

        D = next((r[2] for r in (res["flint", "canonical"], res["flint", "reversed"]) if r), "—")
        same_order = "—"
        if res["flint", "canonical"] and res["sympy", "canonical"]:
            same_order = f"{res['sympy', 'canonical'][0][1] / res['flint', 'canonical'][0][1]:.0f}×"
        fl = [r[0][1] for r in (res["flint", "canonical"], res["flint", "reversed"]) if r]
        sy = [r[0][1] for r in (res["sympy", "canonical"], res["sympy", "reversed"]) if r]
        best_ratio = "—"
        if fl and sy:
            best_ratio = f"{min(sy) / min(fl):.0f}×"
            best = (case, min(sy) / min(fl))
        elif fl and not sy:
            best_ratio = f"> {args.sympy_timeout / min(fl):.0f}×"
        same = "—"
        pairs = [(res["flint", o], res["sympy", o]) for o in ("canonical", "reversed")
                 if res["flint", o] and res["sympy", o]]
        if pairs:
            same = "yes" if all(a[3] == b[3] for a, b in pairs) else "NO"
        print(f"| {case} | {n} | {D} | {cell('flint', 'canonical')} | {cell('flint', 'reversed')} "
              f"| {cell('sympy', 'canonical')} | {cell('sympy', 'reversed')} | {same_order} | {best_ratio} | {same} |",
              flush=True)
    if best:
        print(f"\nlargest size where both engines finished: {best[0]}, best sympy / best flint = {best[1]:.0f}× (CPU)")


if __name__ == "__main__":
    main()
