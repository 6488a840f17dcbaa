"""``spurious critical-points PROBLEM [--timeout S] [--cert FILE [--statement S] [--ideal I]] --json`` — every
critical point of a finite critical set, and optionally a kernel-checked ``complete-landscape`` certificate."""

from __future__ import annotations

import json
import os
import time

from verify.cli.common import EXIT_OK, add_json, add_problem, add_timeout, emit
from verify.errors import InputError

STATEMENT_HELP = ("auto: strict-saddle when every local minimum is global (needs every Λ > 0), else count; count: "
                  "the number of critical points and the class of each real one; strict-saddle / "
                  "no-spurious-local-min: also that every local minimum is global")


def register(sub) -> None:
    cp = sub.add_parser("critical-points", help="count and classify all critical points (finite critical sets)",
                        description="Gröbner basis of ∇L over Q, Hermite counts (complex, real), every real point "
                        "isolated in a certified box and classified there.")
    add_problem(cp, "problem file, e.g. a deep linear net with a per-weight regulariser")
    add_timeout(cp, 120.0)
    cp.add_argument("--cert", metavar="FILE", help="also write a complete-landscape certificate (every complex "
                    "critical point in a Krawczyk box, proofs/FORMAT.md) to FILE, checked by the kernel first")
    # choices are validated in run(): the certificate module loads python-flint, which --help must not
    cp.add_argument("--statement", default="auto", metavar="S",
                    help=f"what the certificate claims: {STATEMENT_HELP}")
    cp.add_argument("--ideal", default="auto", metavar="I",
                    help="how the checker learns G ⊆ ⟨∇L⟩: cofactors (Singular's lift; checked by multiplication), "
                    "recompute (the checker's own FLINT Buchberger), auto: cofactors when they fit")
    add_json(cp)
    cp.set_defaults(func=run)


def _options(args) -> None:
    from verify.exact.algebra.complete_landscape import AUTO, IDEALS, STATEMENTS

    for flag, value, allowed in (("--statement", args.statement, (AUTO,) + STATEMENTS),
                                 ("--ideal", args.ideal, IDEALS)):
        if value not in allowed:
            raise InputError(flag, f"{value!r} is not one of {', '.join(allowed)}")


def _writable(path: str) -> None:
    """Refuse an unwritable --cert path before the long computation (exit 2, the field named)."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path) or not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise InputError("--cert", f"cannot write {path!r}: not a file in a writable directory")


def _write(path: str, cert: dict) -> None:
    try:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(cert, fh, separators=(",", ":"), ensure_ascii=False)
            fh.write("\n")
    except OSError as e:
        raise InputError("--cert", f"cannot write {path!r}: {e.strerror or e}") from None


def _certificate(args, problem, left: float) -> tuple[dict, list[str]]:
    from verify.certify.landscape import complete_landscape_certificate

    made = complete_landscape_certificate(problem, statement=args.statement, ideal=args.ideal,
                                          timeout=max(1.0, left))
    path = None
    if made.certificate is not None:
        _write(args.cert, made.certificate)
        path = args.cert
    out = made.to_json(path)
    if path is None:
        return out, [f"certificate: none ({made.failure.value}: {made.reason})"]
    checked = made.kernel or "not checked (this checker has no complete-landscape rule)"
    return out, [f"certificate: {path} ({made.statement}; G ⊆ ⟨∇L⟩ by {made.route}, variables {made.variables}; "
                 f"D = {made.critical_points}, R = {made.real}; {made.size_bytes} bytes; {made.seconds:.2f} s)",
                 f"  {checked}"]


def run(args) -> int:
    from verify.exact.algebra.enumerate import critical_points
    from verify.problems import load_problem
    from verify.verdict import Completion

    cert = getattr(args, "cert", None)  # the options may be absent when run() is called directly
    if cert:
        _options(args)
        _writable(cert)
    elif getattr(args, "statement", "auto") != "auto" or getattr(args, "ideal", "auto") != "auto":
        raise InputError("--cert", "--statement and --ideal describe the certificate: give --cert FILE too")
    t0 = time.monotonic()
    problem = load_problem(args.problem)
    result = critical_points(problem, timeout=args.timeout)
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
    if cert:
        result["landscape_certificate"], more = _certificate(args, problem, args.timeout - (time.monotonic() - t0))
        lines += more
    emit(args, result, "\n".join(lines))
    return EXIT_OK
