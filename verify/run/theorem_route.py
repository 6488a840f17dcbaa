"""The theorem route of ``spurious check``: a published theorem whose hypotheses the kernel checked exactly.

:func:`theorem_check` is tried first for every backend (:func:`verify.run.check.decide`). It proves the claim
(``trust: theorem``, the theorem named in ``reason``) when the checker VERIFIED a ``theorem-instance`` certificate
(:mod:`verify.certify.theorem`); otherwise it returns None and the reason (which hypothesis failed), which
``decide`` appends to the other routes' answer. It does no search: ranks and one characteristic polynomial.
"""

from __future__ import annotations

from verify.problems import Problem
from verify.run.result import ClaimResult
from verify.verdict import Status, Trust


def theorem_check(problem: Problem, claim: str) -> tuple[ClaimResult | None, str]:
    """(proved ClaimResult, "") when a theorem of the checker's table applies, else (None, why not)."""
    from verify.certify.theorem import theorem_certificate

    cert, note = theorem_certificate(problem, claim)
    if cert is None:
        return None, note
    return ClaimResult(claim, Status.PROVED, Trust.THEOREM, f"{note.removeprefix('kernel-checked: ')} (a "
                       "theorem-instance certificate the kernel verified; the verdict rests on the theorem)",
                       backend="theorem", certificate=cert), ""


__all__ = ["theorem_check"]
