"""The witness route of ``spurious check``: classify the points the literature names as counterexamples, exactly.

Kawaguchi (2016, §2.3 and Corollary 2.4): for a deep linear net with H ≥ 3 weight matrices the origin θ = 0 is a
critical point with a zero Hessian that is not a local minimum when Y Xᵀ ≠ 0 — a non-strict saddle, so
``strict-saddle`` is false. :func:`witness_check` classifies such candidate points with the exact classifier and,
when one falls in a class that refutes the claim (:data:`verify.claims.CLAIMS`), returns ``refuted`` with the kernel-
checked certificate — no solver involved, milliseconds. It proves nothing: when no candidate refutes, the other
routes decide (``None`` does not mean the claim holds).
"""

from __future__ import annotations

from fractions import Fraction

from verify.claims import Claim, as_claim
from verify.problems import Problem
from verify.problems.numbers import fraction_str
from verify.run.result import ClaimResult
from verify.verdict import Status, Trust


def candidate_points(problem: Problem) -> list[tuple[str, tuple]]:
    """(name, point) pairs to try: the origin (every kind whose loss is a polynomial, or has rational Taylor data
    there: :meth:`~verify.problems.Problem.taylor_surrogate`)."""
    origin = (Fraction(0),) * problem.n_params
    exact = problem.polynomial or problem.taylor_surrogate(origin, 1) is not None
    return [("the origin θ = 0", origin)] if exact else []


def witness_check(problem: Problem, claim: Claim | str) -> ClaimResult | None:
    """A refutation from a named candidate point, certified by the kernel; ``unknown`` when a candidate is exactly in
    a refuting class but no certificate could be written (e.g. a tanh network's origin, classified from the rational
    Taylor data, which the checker does not read); None when no candidate refutes."""
    from verify.certify import emit_checked
    from verify.exact.classify import classify
    from verify.exact.derivatives import MAX_EXACT_PARAMS

    if problem.n_params > MAX_EXACT_PARAMS:
        return None
    claim = as_claim(claim)
    for name, point in candidate_points(problem):
        c = classify(problem, point)
        if c.cls not in claim.refuted_by:
            continue
        cert, note = emit_checked(problem, point, c)
        if cert is None:   # a counterexample known exactly: never 'evidence' for the claim, and not refuted either
            return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE,
                               f"{name} is a {c.cls.value} exactly ({c.reason}), which refutes the claim, but no "
                               f"certificate the kernel accepts could be written ({note}): not refuted without one",
                               backend="witness", witness={"point": [fraction_str(x) for x in point],
                                                           "class": c.cls.value})
        return ClaimResult(claim.name, Status.REFUTED, Trust.KERNEL,
                           f"{name} is a {c.cls.value} ({c.reason}); {note}", backend="witness",
                           certificate=cert, witness={"point": [fraction_str(x) for x in point],
                                                      "class": c.cls.value})
    return None


__all__ = ["candidate_points", "witness_check"]
