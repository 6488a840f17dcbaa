"""``spurious check``: a claim decided on one instance by the routes its record names (:mod:`verify.claims`).

Routes: ``theorem`` (:func:`verify.run.theorem_route.theorem_check`, tried first for every backend: a theorem of
the checker's table whose hypotheses the kernel verified), ``witness``
(:func:`verify.run.witness_route.witness_check`, tried next: the literature's counterexample points, classified
and certified exactly), ``landscape`` (:func:`verify.run.landscape_route.landscape_check`, exact-route instances
with a finite critical set: a kernel-verified ``complete-landscape`` certificate), ``exact``
(:func:`verify.run.exact_route.check_claim`, z3 over the reals with kernel-checked counterexamples) and
``numeric`` (:func:`verify.run.numeric_route.numeric_check`, evidence, or a refutation certified exactly) and
``shallow`` (:func:`verify.run.shallow_route.shallow_check`, ``depth-adds-no-bad-minima`` beyond the theorems: every
deep minimum a search finds, its product tested against the shallow problem; evidence at most).
``auto`` takes the exact route for polynomial instances of at most
:data:`AUTO_EXACT_PARAMS` parameters and the numeric route otherwise. Every route returns one
:class:`~verify.run.result.ClaimResult`.
A claim with no route in this build is ``unknown`` with that reason (an answer, exit 0), never a crash.
"""

from __future__ import annotations

import time

from verify.claims import get_claim
from verify.errors import InputError, TooLargeError
from verify.problems import Problem
from verify.run.result import ClaimResult
from verify.verdict import PointClass, Status, Trust

BACKENDS = ("auto", "exact", "numeric")

AUTO_EXACT_PARAMS = 8
"""``--backend auto`` picks z3 up to this many parameters: measured (benchmarks/bench_z3.py), 8-parameter deep
linear nets are decided in about a second with symmetry slices, 12-parameter ones not within 60 s."""


MIN_ROUTE_SECONDS = 0.1
"""The least time a route after the theorem route is given (the theorem route may have used nearly all of it)."""


def check_claim(problem: Problem, claim: str, timeout: float = 60.0, **options) -> ClaimResult:
    """The exact route (:func:`verify.run.exact_route.check_claim`), loaded on first use."""
    from verify.run.exact_route import check_claim as exact_check

    return exact_check(problem, claim, timeout=timeout, **options)


def choose_backend(problem: Problem, backend: str) -> str:
    """The route ``auto`` picks: exact for small polynomial instances, numeric otherwise."""
    if backend not in BACKENDS:
        raise InputError("--backend", f"{backend!r}: expected one of {', '.join(BACKENDS)}")
    if backend != "auto":
        return backend
    return "exact" if problem.polynomial and problem.n_params <= AUTO_EXACT_PARAMS else "numeric"


def decide(problem: Problem, claim: str, backend: str = "auto", timeout: float = 60.0, starts: int = 500,
           seed: int = 0) -> ClaimResult:
    """Decide ``claim`` on ``problem``: the theorem route first (every backend), then the chosen route; see the
    module docstring. When no theorem applies, the answer's reason ends with the hypothesis that failed.
    ``timeout`` (seconds; None or ≤ 0: no limit) bounds the theorem route hard (a child process) and is then what
    is left of it for the other routes."""
    record = get_claim(claim)
    route = choose_backend(problem, backend)
    if "theorem" not in record.routes:
        return _decide_by(problem, claim, record, route, backend, timeout, starts, seed)
    from verify.run.theorem_route import theorem_check

    limited = timeout is not None and timeout > 0
    start = time.monotonic()
    proved, why = theorem_check(problem, claim, timeout=timeout if limited else None)
    if proved is not None:
        proved.backend = f"theorem (tried first; {route} chosen by {backend})"
        return proved
    if limited:   # the other routes share what the theorem route left
        timeout = max(timeout - (time.monotonic() - start), MIN_ROUTE_SECONDS)
    if "shallow" in record.routes:   # deep minima from a search, each product against the shallow problem
        from verify.run.shallow_route import shallow_check

        result = shallow_check(problem, claim, starts=starts, seed=seed, timeout=timeout, chosen_by=backend)
        result.reason = f"{result.reason} (theorem route: {why})"
        return result
    if "witness" in record.routes:
        from verify.run.witness_route import witness_check

        refuted = witness_check(problem, claim)
        if refuted is not None:
            refuted.backend = f"witness (tried after the theorem route; {route} chosen by {backend})"
            refuted.reason = f"{refuted.reason} (theorem route: {why})"
            return refuted
    if "minima" in record.routes:   # read from the no-spurious-local-min answer (verify.run.valley_route)
        from verify.run.valley_route import VIA, from_minima

        minima = decide(problem, VIA, backend, timeout, starts, seed)
        result = from_minima(minima)
        if route == "numeric" and result.status is Status.UNKNOWN and minima.status is not Status.REFUTED:
            from verify.run.valley_route import dss_evidence

            result = dss_evidence(problem, starts=starts, seed=seed, timeout=timeout) or result
        result.reason = f"{result.reason} (theorem route: {why})"
        return result
    if route == "exact" and "landscape" in record.routes and not exact_route_refuses(problem):
        from verify.run.landscape_route import landscape_check

        proved, no_landscape = landscape_check(problem, claim, timeout)
        if proved is not None:
            proved.backend = f"landscape (after the theorem route; {route} chosen by {backend})"
            proved.reason = f"{proved.reason} (theorem route: {why})"
            return proved
        why = f"{why}; landscape route: {no_landscape}"
    result = _decide_by(problem, claim, record, route, backend, timeout, starts, seed)
    result.reason = f"{result.reason} (theorem route: {why})"
    return result


def _decide_by(problem, claim, record, route, backend, timeout, starts, seed) -> ClaimResult:
    if route not in record.routes:
        return ClaimResult(claim, Status.UNKNOWN, Trust.NONE,
                           f"no {route} route decides {claim!r} in this build"
                           + (f" (routes: {', '.join(record.routes)})" if record.routes else ""),
                           backend=f"{route} (chosen by {backend})")
    if route == "numeric" and problem.kind == "relu-teacher" and PointClass.SPURIOUS_LOCAL_MIN in record.refuted_by:
        from verify.certify.relu_teacher import teacher_check  # arccos loss: descent + a kernel-checked box

        return teacher_check(problem, claim, timeout=timeout, starts=starts, seed=seed, chosen_by=backend)
    if route == "numeric":
        from verify.run.numeric_route import numeric_check

        return numeric_check(problem, claim, starts=starts, seed=seed, chosen_by=backend, timeout=timeout)
    not_applicable = exact_route_refuses(problem)
    if not_applicable:
        return ClaimResult(claim, Status.UNKNOWN, Trust.NONE, f"the exact route does not apply: {not_applicable}; "
                           "nothing was decided (try --backend numeric)", backend=f"exact (chosen by {backend})")
    try:
        result = check_claim(problem, claim, timeout=timeout)
    except TooLargeError as e:
        return ClaimResult(claim, Status.UNKNOWN, Trust.NONE, f"the exact route gave up: {e}; nothing was decided",
                           backend=f"exact (chosen by {backend})")
    result.backend = f"{result.backend} (chosen by {backend})"
    return result


def exact_route_refuses(problem: Problem) -> str | None:
    """Why the exact route cannot take ``problem`` (not polynomial, too many parameters), or None."""
    from verify.run.exact_route import MAX_EXACT_CLAIM_PARAMS

    if not problem.polynomial:
        return (f"the {problem.kind} loss is not a polynomial"
                + (" (relu is piecewise polynomial)" if problem.piecewise_polynomial else ""))
    if problem.n_params > MAX_EXACT_CLAIM_PARAMS:
        return f"{problem.n_params} parameters exceed the exact claim limit {MAX_EXACT_CLAIM_PARAMS}"
    return None


__all__ = ["BACKENDS", "ClaimResult", "check_claim", "choose_backend", "decide"]
