"""The routes that decide a claim on one instance: a registry of small objects (cf. Hypothesis's backends).

A :class:`Route` says when it applies (``accepts``: None, or why not) and decides (``run``): a
:class:`~verify.run.result.ClaimResult` ends :func:`verify.run.check.decide`; a string is why it did not decide,
kept for the final answer's reason; None says nothing. A *conclusive* route always answers when it applies. A
claim's record (:data:`verify.claims.CLAIMS`) orders the routes by name; ``decide`` tries them in that order and
passes each the record (never its name). Every route's module is imported only when the route runs, so listing
the routes loads no solver.

============  ==========================================================================================
``theorem``   a theorem of the checker's table whose hypotheses the kernel verified (every backend)
``witness``   the literature's counterexample points (the origin), classified and certified exactly
``landscape`` exact backend, a finite critical set: a kernel-verified ``complete-landscape`` certificate
``exact``     exact backend: z3 over the reals, counterexamples kernel-checked (conclusive)
``teacher``   numeric backend, relu-teacher (arc-cosine kernel): descent + a kernel-checked Krawczyk box
``smooth``    numeric backend, networks with tanh / sigmoid / softplus: search + a kernel-checked Krawczyk box
``numeric``   numeric backend: multi-start search, candidates certified exactly, else evidence (conclusive)
``minima``    no-spurious-valley read from the no-spurious-local-min answer (conclusive)
``shallow``   depth-adds-no-bad-minima: each deep minimum's product against the shallow problem (conclusive)
============  ==========================================================================================
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from verify.claims import Claim
from verify.problems import Problem
from verify.run.result import ClaimResult
from verify.verdict import PointClass, Status, Trust

MIN_ROUTE_SECONDS = 0.1
"""The least time a route after the first is given (an earlier route may have used nearly all of it)."""


@dataclass(frozen=True)
class Attempt:
    """One ``decide`` call as the routes see it: the instance, the claim's record, the backend asked for and the
    route it chose (``exact`` | ``numeric``), the search's starts and seed, and the wall-clock ``deadline``
    (``time.monotonic()``) of the whole call."""

    problem: Problem
    claim: Claim
    backend: str
    chosen: str
    starts: int
    seed: int
    deadline: float

    def left(self) -> float:
        """Seconds left for the next route (at least :data:`MIN_ROUTE_SECONDS`)."""
        return max(self.deadline - time.monotonic(), MIN_ROUTE_SECONDS)


@dataclass(frozen=True)
class Route:
    """``name`` as claims list it; ``accepts(attempt)`` → None or why the route does not apply (it is then skipped
    silently); ``run(attempt)`` → a result (the answer), a string (why not: appended to the answer as
    "(<name> route: <why>)") or None; ``conclusive``: ``run`` always returns a result; ``after``: how its answer's
    ``backend`` says it followed the routes that left a reason ("tried after the theorem route")."""

    name: str
    accepts: Callable[[Attempt], str | None]
    run: Callable[[Attempt], ClaimResult | str | None]
    conclusive: bool = False
    after: str = "tried after"


def _any(a: Attempt) -> None:
    return None


def _backend(name: str) -> Callable[[Attempt], str | None]:
    return lambda a: None if a.chosen == name else f"the {a.chosen} backend was chosen"


def exact_route_refuses(problem: Problem) -> str | None:
    """Why the exact route cannot take ``problem`` (not polynomial, too many parameters), or None."""
    from verify.run.exact_route import MAX_EXACT_CLAIM_PARAMS

    if not problem.polynomial:
        return (f"the {problem.kind} loss is not a polynomial"
                + (" (relu is piecewise polynomial)" if problem.piecewise_polynomial else ""))
    if problem.n_params > MAX_EXACT_CLAIM_PARAMS:
        return f"{problem.n_params} parameters exceed the exact claim limit {MAX_EXACT_CLAIM_PARAMS}"
    return None


def _theorem(a: Attempt) -> ClaimResult | str:
    from verify.run.theorem_route import theorem_check

    proved, why = theorem_check(a.problem, a.claim, timeout=a.left())
    return proved if proved is not None else why


def _witness(a: Attempt) -> ClaimResult | None:
    from verify.run.witness_route import witness_check

    return witness_check(a.problem, a.claim)


def _landscape_accepts(a: Attempt) -> str | None:
    return _backend("exact")(a) or exact_route_refuses(a.problem)


def _landscape(a: Attempt) -> ClaimResult | str:
    from verify.run.landscape_route import landscape_check

    proved, why = landscape_check(a.problem, a.claim, a.left())
    return proved if proved is not None else why


def _exact(a: Attempt) -> ClaimResult:
    from verify.errors import TooLargeError
    from verify.run.exact_route import check_claim

    chosen = f"exact (chosen by {a.backend})"
    refuses = exact_route_refuses(a.problem)
    if refuses:
        return ClaimResult(a.claim.name, Status.UNKNOWN, Trust.NONE, f"the exact route does not apply: {refuses}; "
                           "nothing was decided (try --backend numeric)", backend=chosen)
    try:
        result = check_claim(a.problem, a.claim, timeout=a.left())
    except TooLargeError as e:
        return ClaimResult(a.claim.name, Status.UNKNOWN, Trust.NONE, f"the exact route gave up: {e}; nothing was "
                           "decided", backend=chosen)
    return result.with_(backend=f"{result.backend} (chosen by {a.backend})")


def _teacher_accepts(a: Attempt) -> str | None:
    if not a.problem.arccos_teacher:
        return "the arc-cosine route takes the relu-teacher (arc-cosine kernel) loss only"
    if PointClass.SPURIOUS_LOCAL_MIN not in a.claim.refuted_by:
        return "a spurious local minimum does not refute this claim"
    return _backend("numeric")(a)


def _teacher(a: Attempt) -> ClaimResult:
    from verify.run.teacher_route import teacher_check

    return teacher_check(a.problem, a.claim, timeout=a.left(), starts=a.starts, seed=a.seed, chosen_by=a.backend)


def _smooth_accepts(a: Attempt) -> str | None:
    from verify.run.smooth_route import accepts

    return accepts(a)


def _smooth(a: Attempt) -> ClaimResult | str:
    from verify.run.smooth_route import run

    return run(a)


def _numeric(a: Attempt) -> ClaimResult:
    from verify.run.numeric_route import numeric_check

    return numeric_check(a.problem, a.claim, starts=a.starts, seed=a.seed, chosen_by=a.backend, timeout=a.left())


def _minima(a: Attempt) -> ClaimResult:
    from verify.claims import get_claim
    from verify.run.check import decide
    from verify.run.valley_route import VIA, dss_evidence, from_minima

    minima = decide(a.problem, get_claim(VIA), a.backend, a.left(), a.starts, a.seed)
    result = from_minima(minima, a.claim)
    if a.chosen == "numeric" and result.status is Status.UNKNOWN and minima.status is not Status.REFUTED:
        result = dss_evidence(a.problem, a.claim, starts=a.starts, seed=a.seed, timeout=a.left()) or result
    return result


def _shallow(a: Attempt) -> ClaimResult:
    from verify.run.shallow_route import shallow_check

    return shallow_check(a.problem, a.claim, starts=a.starts, seed=a.seed, timeout=a.left(), chosen_by=a.backend)


ROUTES: dict[str, Route] = {r.name: r for r in (
    Route("theorem", _any, _theorem),
    Route("witness", _any, _witness),
    Route("landscape", _landscape_accepts, _landscape, after="after"),
    Route("exact", _backend("exact"), _exact, conclusive=True),
    Route("teacher", _teacher_accepts, _teacher, conclusive=True),
    Route("smooth", _smooth_accepts, _smooth),
    Route("numeric", _backend("numeric"), _numeric, conclusive=True),
    Route("minima", _any, _minima, conclusive=True),
    Route("shallow", _any, _shallow, conclusive=True),
)}
"""Route name → :class:`Route`; a claim's ``routes`` name entries of this table."""


__all__ = ["Attempt", "MIN_ROUTE_SECONDS", "ROUTES", "Route", "exact_route_refuses"]
