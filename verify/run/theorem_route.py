"""The theorem route of ``spurious check``: a published theorem whose hypotheses the kernel checked exactly.

:func:`theorem_check` is tried first for every backend (:func:`verify.run.check.decide`). It proves the claim
(``trust: theorem``, the theorem named in ``reason``) when the checker VERIFIED a ``theorem-instance`` certificate
(:mod:`verify.certify.theorem`); otherwise it returns None and the reason (which hypothesis failed), which
``decide`` appends to the other routes' answer. It does no search: ranks and one characteristic polynomial, at a
cost that depends on the data (d_x, d_y, m), not on the hidden widths — a [1, 100000, 1] net is decided at once.

With a ``timeout`` the route runs in a child process killed at the limit (one exact rank of a large rank-deficient
X Xᵀ is a single flint call that no signal interrupts): not finishing in time proves nothing, and ``decide`` goes
on to the other routes with the time left.
"""

from __future__ import annotations

from verify.claims import Claim, as_claim
from verify.problems import Problem
from verify.run.result import ClaimResult
from verify.verdict import Status, Trust


def theorem_check(problem: Problem, claim: Claim | str, timeout: float | None = None) -> tuple[ClaimResult | None, str]:
    """(proved ClaimResult, "") when a theorem of the checker's table applies, else (None, why not)."""
    claim = as_claim(claim)
    from verify.certify.theorem import theorem_certificate

    if timeout is None:
        cert, note = theorem_certificate(problem, claim.name)
    else:
        from verify.errors import WallClockTimeout
        from verify.infra.child import run_in_child

        try:
            cert, note = run_in_child(theorem_certificate, problem, claim.name, timeout=timeout,
                                      what="the theorem route")
        except WallClockTimeout:
            return None, f"not decided within the time limit of {timeout:g} s (the hypotheses' exact ranks)"
    if cert is None:
        return None, note
    return ClaimResult(claim.name, Status.PROVED, Trust.THEOREM, f"{note.removeprefix('kernel-checked: ')} (a "
                       "theorem-instance certificate the kernel verified; the verdict rests on the theorem)",
                       backend="theorem", certificate=cert), ""


__all__ = ["theorem_check"]
