"""The ``teacher`` route: ``spurious check`` on a relu-teacher instance (Safran & Shamir 2018), for a claim that a
spurious local minimum refutes.

A seeded batched descent (:func:`numeric.teacher.find_spurious_minima`, half the time limit) finds candidate minima;
each is refined and certified (:func:`verify.certify.relu_teacher.spurious_min_certificate`); the first the kernel
verifies refutes the claim (trust kernel). Otherwise ``unknown`` with the reason — never ``proved``: a descent that
finds no spurious minimum is not a proof that none exists.
"""

from __future__ import annotations

import time

from numeric.teacher import find_spurious_minima, flat_hessian
from verify.certify.common import vec
from verify.certify.relu_teacher import checker_limit, spurious_min_certificate
from verify.claims import Claim
from verify.errors import WallClockTimeout
from verify.infra.limits import wall_clock_limit
from verify.problems import Problem
from verify.run.result import ClaimResult
from verify.verdict import PointClass, Status, Trust


def teacher_check(problem: Problem, claim: Claim, *, timeout: float = 60.0, starts: int = 1000, seed: int = 0,
                  chosen_by: str = "numeric") -> ClaimResult:
    """Decide ``claim`` on the relu-teacher ``problem`` by descent and a kernel-checked box (module docstring)."""
    backend = f"ball (relu-teacher: descent, then a kernel-checked box; chosen by {chosen_by})"
    t0 = time.perf_counter()
    extra = {"starts": starts, "seed": seed}
    if problem.n_params > checker_limit():
        return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE, f"{problem.n_params} parameters exceed the "
                           f"checker's limit of {checker_limit()}: no box certificate can be checked; nothing was "
                           "decided", backend=backend, extra=extra)
    try:
        with wall_clock_limit(timeout + 5.0):
            d = find_spurious_minima(problem, starts=starts, seed=seed, time_limit=timeout / 2, want=3)
            extra.update(spurious_runs=d.spurious_runs, minima=len(d.minima), descent_seconds=round(d.seconds, 2))
            notes = []
            for x in d.minima:
                left = timeout - (time.perf_counter() - t0)
                if left <= 1:
                    notes.append("the time limit was reached before every candidate was certified")
                    break
                b = spurious_min_certificate(problem, x, timeout=left, hessian=flat_hessian)
                if b.certificate is not None:
                    return ClaimResult(claim.name, Status.REFUTED, Trust.KERNEL,
                                       f"a spurious local minimum with F ≈ {b.loss:.10g} (λ_min(H) ≈ {b.lam_min:.3g}) "
                                       f"in the box centre ± {b.radius}: {b.note}", backend=backend,
                                       certificate=b.certificate, extra=extra,
                                       witness={"point": vec(b.centre),
                                                "class": PointClass.SPURIOUS_LOCAL_MIN.value})
                notes.append(b.note)
    except WallClockTimeout as e:
        return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE, f"timeout: {e}; nothing was decided",
                           backend=backend, extra=extra)
    stop = "; the descent stopped at its time limit" if d.stopped_at_limit else ""
    if not d.minima:
        why = (f"no spurious local minimum among {starts} descent runs (seed {seed}){stop}; numeric search is not "
               "a proof that none exists (the relu-teacher loss is not a polynomial: no exact route)")
    else:
        why = f"{len(d.minima)} candidate minima, none certified (first: {notes[0] if notes else 'not tried'})"
    return ClaimResult(claim.name, Status.UNKNOWN, Trust.NONE, why, backend=backend, extra=extra)
