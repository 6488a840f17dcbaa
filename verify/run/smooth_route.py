"""The ``smooth`` route: ``spurious check`` on a network with tanh / sigmoid / softplus activations, for a claim that
a spurious local minimum refutes (``no-spurious-local-min``, ``strict-saddle``).

A seeded batched search (:func:`numeric.search.search`, half the time limit) finds candidate minima; the lowest
point it reached, rounded to rationals, is the witness of lower loss; each candidate minimum above it is refined
and boxed (:func:`verify.certify.smooth.critical_box`: Krawczyk, H ≻ 0 on the box, L over the box above
L(witness)), and the first ``spurious-isolated-min`` certificate the kernel verifies refutes the claim (trust
kernel). With no candidate the answer is ``evidence`` (trust numeric); with candidates none of which certified, or a
search stopped at its limit, ``unknown`` — never ``proved``: these losses are not polynomial, and a search that
finds no spurious minimum is not a proof that none exists.

:func:`accepts` and :func:`run` are the route's two halves for :data:`verify.run.routes.ROUTES`; this module imports
torch and flint only when :func:`run` runs.
"""

from __future__ import annotations

import time
from fractions import Fraction

from verify.claims import Claim
from verify.problems import Problem
from verify.run.result import ClaimResult
from verify.verdict import PointClass, Status, Trust

MAX_BOXES = 8
"""Candidate minima refined and boxed at most (the search finds each minimum many times, up to symmetry)."""


def accepts(attempt) -> str | None:
    """Why the route does not apply to ``attempt`` (:class:`verify.run.routes.Attempt`), or None."""
    p = attempt.problem
    if not p.transcendental or p.arccos_teacher:
        return "the smooth ball route takes networks with tanh / sigmoid / softplus activations"
    if PointClass.SPURIOUS_LOCAL_MIN not in attempt.claim.refuted_by:
        return "a spurious local minimum does not refute this claim"
    return None if attempt.chosen == "numeric" else f"the {attempt.chosen} backend was chosen"


def run(attempt) -> ClaimResult | str:
    return smooth_check(attempt.problem, attempt.claim, timeout=attempt.left(), starts=attempt.starts,
                        seed=attempt.seed, chosen_by=attempt.backend)


def smooth_check(problem: Problem, claim: Claim, *, timeout: float = 60.0, starts: int = 200, seed: int = 0,
                 chosen_by: str = "numeric") -> ClaimResult | str:
    """Decide ``claim`` on ``problem`` by search and kernel-checked boxes (module docstring); a string (why not) when
    the ball layer cannot evaluate this loss (e.g. a logistic loss, a relu layer among tanh ones)."""
    from numeric.search import SearchConfig, search
    from verify.certify.common import vec
    from verify.certify.smooth import critical_box
    from verify.errors import WallClockTimeout
    from verify.exact.ball.smooth import smooth_refuses
    from verify.infra.limits import wall_clock_limit

    why = smooth_refuses(problem)
    if why is not None:
        return why
    backend = f"ball (smooth activations: search, then a kernel-checked Krawczyk box; chosen by {chosen_by})"
    t0 = time.perf_counter()
    extra = {"starts": starts, "seed": seed}
    try:
        with wall_clock_limit(timeout + 5.0):
            res = search(problem, SearchConfig(starts=starts, seed=seed, time_limit=timeout / 2))
            extra["by_class"] = res.by_class
            reached = [c for c in res.candidates if not c.get("not_attained")]
            lowest = min(reached, key=lambda c: c["loss"], default=None)
            minima = sorted((c for c in reached if c["class"] in (PointClass.LOCAL_MIN, PointClass.SPURIOUS_LOCAL_MIN)
                             and c is not lowest and c["loss"] > lowest["loss"]),
                            key=lambda c: -(c["lambda_min"] or 0))
            witness = None if lowest is None else [Fraction(v).limit_denominator(10 ** 12) for v in lowest["params"]]
            notes = []
            for c in minima[:MAX_BOXES]:
                left = timeout - (time.perf_counter() - t0)
                if left <= 1:
                    notes.append("the time limit was reached before every candidate was boxed")
                    break
                b = critical_box(problem, c["params"], witness=witness, timeout=left)
                if b.certificate is not None and b.certificate["claim"]["kind"] == "spurious-isolated-min":
                    return ClaimResult(claim.name, Status.REFUTED, Trust.KERNEL,
                                       f"a spurious local minimum with L ≈ {b.loss:.10g} (λ_min(H) ≈ {b.lam[0]:.3g}) "
                                       f"in the box centre ± {b.radius}, above a point of loss ≈ "
                                       f"{lowest['loss']:.10g}: {b.note}", backend=backend,
                                       certificate=b.certificate, extra=extra,
                                       witness={"point": vec(b.centre), "class": PointClass.SPURIOUS_LOCAL_MIN.value})
                notes.append(b.note)
    except WallClockTimeout as e:
        return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE, f"timeout: {e}; nothing was decided",
                           backend=backend, extra=extra)
    stop = "; the search stopped at its time limit" if res.stopped_at_limit else ""
    others = sorted({c["class"].value for c in reached if c["class"] in claim.refuted_by
                     and c["class"] is not PointClass.SPURIOUS_LOCAL_MIN})
    if others:   # e.g. non-strict saddles against strict-saddle: no ball certificate kind for them
        return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE,
                           f"the search found candidate {', '.join(others)} points, which would refute the claim; "
                           "the ball layer certifies only strict local minima, so nothing is decided", backend=backend,
                           extra=extra)
    if not minima and not res.stopped_at_limit:
        return ClaimResult(claim.name, Status.EVIDENCE, Trust.NUMERIC,
                           f"{starts} starts (seed {seed}): no local minimum above the lowest point found — numeric "
                           "evidence, not a proof (the loss is not a polynomial: no exact route)", backend=backend,
                           extra=extra)
    if not minima:
        why = f"no local minimum above the lowest point among the runs that finished{stop}"
    else:
        why = (f"{len(minima)} candidate minima above the lowest point, none certified (first: "
               f"{notes[0] if notes else 'not tried'}){stop}")
    return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE, why, backend=backend, extra=extra)
