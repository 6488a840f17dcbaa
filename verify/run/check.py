"""``spurious check``: a claim decided on one instance by the routes its record names, in its order.

:func:`decide` is a loop over the claim's ``routes`` (:data:`verify.claims.CLAIMS`), each an entry of
:data:`verify.run.routes.ROUTES` (theorem, witness, landscape, exact, teacher, numeric, minima, shallow). A route
that does not apply is skipped; the first result ends the loop; a route that did not decide leaves its reason,
which the answer's reason ends with, e.g. "(theorem route: …)". ``auto`` takes the exact backend for polynomial
instances of at most :data:`AUTO_EXACT_PARAMS` parameters and the numeric one otherwise. A claim with no route
for the chosen backend is ``unknown`` with that reason (an answer, exit 0), never a crash. Results are immutable
(:class:`~verify.run.result.ClaimResult`).
"""

from __future__ import annotations

import math
import time

from verify.claims import Claim, as_claim
from verify.errors import InputError, InternalError
from verify.problems import Problem
from verify.run.result import ClaimResult
from verify.run.routes import ROUTES, Attempt
from verify.verdict import Status, Trust

BACKENDS = ("auto", "exact", "numeric")

AUTO_EXACT_PARAMS = 8
"""``--backend auto`` picks z3 up to this many parameters: measured (benchmarks/bench_z3.py), 8-parameter deep
linear nets are decided in about a second with symmetry slices, 12-parameter ones not within 60 s."""


def choose_backend(problem: Problem, backend: str) -> str:
    """The route ``auto`` picks: exact for small polynomial instances, numeric otherwise."""
    if backend not in BACKENDS:
        raise InputError("--backend", f"{backend!r}: expected one of {', '.join(BACKENDS)}")
    if backend != "auto":
        return backend
    return "exact" if problem.polynomial and problem.n_params <= AUTO_EXACT_PARAMS else "numeric"


def decide(problem: Problem, claim: Claim | str, backend: str = "auto", timeout: float = 60.0,
           starts: int = 500, seed: int = 0) -> ClaimResult:
    """Decide ``claim`` (its record, or its name) on ``problem``: the routes of its record in order; see the module
    docstring. ``timeout`` (seconds, > 0) is the whole call's: each route gets what is left (the theorem route,
    tried first, runs in a child process killed at the limit)."""
    record = as_claim(claim)
    chosen = choose_backend(problem, backend)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout < math.inf:
        raise InputError("timeout", f"{timeout!r}: expected a positive, finite number of seconds (every route's "
                         "limit is what is left of it)")
    attempt = Attempt(problem, record, backend, chosen, starts, seed, time.monotonic() + timeout)
    notes: list[tuple[str, str]] = []   # (route, why it did not decide), in the order tried
    for name in record.routes:
        route = ROUTES.get(name)
        if route is None:
            raise InternalError(f"claim {record.name!r} names the route {name!r}, which is not in "
                                "verify.run.routes.ROUTES")
        if route.accepts(attempt) is not None:
            continue
        got = route.run(attempt)
        if isinstance(got, ClaimResult):
            if not route.conclusive:
                where = (f"{route.after} the {' and '.join(n for n, _ in notes)} route" if notes else "tried first")
                got = got.with_(backend=f"{name} ({where}; {chosen} chosen by {backend})")
            return _with_notes(got, notes)
        if got is not None:
            notes.append((name, got))
    return _with_notes(ClaimResult(record.name, Status.UNKNOWN, Trust.NONE,
                                   f"no {chosen} route decides {record.name!r} in this build"
                                   + (f" (routes: {', '.join(record.routes)})" if record.routes else ""),
                                   backend=f"{chosen} (chosen by {backend})"), notes)


def _with_notes(result: ClaimResult, notes: list[tuple[str, str]]) -> ClaimResult:
    if not notes:
        return result
    return result.with_(reason=f"{result.reason} ({'; '.join(f'{n} route: {why}' for n, why in notes)})")


__all__ = ["BACKENDS", "ClaimResult", "choose_backend", "decide"]
