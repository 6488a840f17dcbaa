"""``spurious critical-points PROBLEM [--timeout S] --json`` — every critical point of a finite critical set."""

from __future__ import annotations

from verify.cli.common import EXIT_OK, add_json, add_problem, add_timeout, emit


def register(sub) -> None:
    cp = sub.add_parser("critical-points", help="count and classify all critical points (finite critical sets)",
                        description="Gröbner basis of ∇L over Q, Hermite counts (complex, real), every real point "
                        "isolated in a certified box and classified there.")
    add_problem(cp, "problem file, e.g. a deep linear net with a per-weight regulariser")
    add_timeout(cp, 120.0)
    add_json(cp)
    cp.set_defaults(func=run)


def run(args) -> int:
    from verify.exact.algebra.enumerate import critical_points
    from verify.problems import load_problem
    from verify.verdict import Completion

    result = critical_points(load_problem(args.problem), timeout=args.timeout)
    if Completion(result["status"]) is not Completion.COMPLETE:
        emit(args, result, f"status:  {result['status']}\nreason:  {result['reason']}")
        return EXIT_OK
    lines = [f"complex critical points (distinct): {result['complex']}",
             f"  with multiplicity:               {result['multiplicity_count']}",
             f"real critical points:              {result['real']}",
             "by class:  " + ", ".join(f"{k} {v}" for k, v in result["by_class"].items() if v),
             f"engine:    {result['engine']} ({result['seconds']:.2f} s, {result.get('precision_bits')} bits)"]
    for i, p in enumerate(result["points"]):
        lo, hi = p["loss_interval"]
        approx = ", ".join(f"{x:.6g}" for x in p["approx"])
        lines.append(f"  [{i}] {p['class']:<19} loss ∈ [{lo:.10g}, {hi:.10g}]  θ ≈ ({approx})")
    emit(args, result, "\n".join(lines))
    return EXIT_OK
