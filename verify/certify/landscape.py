"""Complete-landscape certificates (proofs/FORMAT.md, ``complete-landscape``): every critical point, counted over C,
each real one classified — for a polynomial problem whose critical set is finite.

:func:`complete_landscape_certificate` writes what :func:`verify.exact.algebra.complete_landscape.find_landscape`
found (G and why it lies in ⟨∇L⟩, D standard monomials, D disjoint Krawczyk boxes, the real ones classified, the
signed-permutation symmetries for a statement about minima) as the certificate's body, and has the kernel check it
before it is returned when the kernel has the ``complete-landscape`` rule (:func:`verify.certify.emit_checked`'s
contract); ``result.kernel`` is its reason. How the checker learns G ⊆ ⟨∇L⟩ is the body's ``ideal``: ``cofactors``
(Singular's ``lift``; the checker only multiplies polynomials and FLINT's Buchberger stays out of the trusted base)
when they were found and the certificate fits the format's 5 MB, else ``recompute`` (the checker runs FLINT's
Buchberger itself; measured in the reversed order: 2-2-2 244 KB, 1-2-3 405 KB, 1-3-3 6.4 MB with cofactors — over
the limit — with ``lift`` in 3–4 s).

``strict-saddle`` (CONTRACT.md: every critical point that is not a global minimum has a negative eigenvalue) and
``no-spurious-local-min`` both need every local minimum to be global; :data:`RULES_OUT` says which point classes each
statement excludes, so that a claim refuted by those classes (:attr:`verify.claims.Claim.refuted_by`) is decided by
a verified certificate (:func:`statement_for`). When a spurious minimum blocks such a statement, its box becomes a
``spurious-isolated-min`` certificate (:func:`spurious_box_certificate`).

No certificate (``result.failure`` says why) does NOT mean the landscape is different from what was found: an
infinite critical set, a multiple root (no box isolates it), a spurious minimum for ``no-spurious-local-min``, a
tool missing or a timeout only say that this certificate could not be made.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction

from verify.certify.common import envelope, mat, vec
from verify.errors import InputError, InternalError, WallClockTimeout
from verify.exact.algebra.complete_landscape import (
    AUTO,
    DEFAULT_PRECISION,
    IDEALS,
    ORDERS,
    STATEMENTS,
    Failure,
    Landscape,
    find_landscape,
    time_left,
)
from verify.exact.algebra.groebner import degrevlex_key
from verify.exact.loss import to_fraction
from verify.problems import Problem
from verify.problems.numbers import fraction_str
from verify.verdict import Completion, PointClass

KIND = "complete-landscape"
MAX_BYTES = 5_000_000
MAX_SYMMETRIES = 64
"""The format's limit on listed symmetries (generators; their orbits are what the checker joins)."""
RULES_OUT: dict[str, frozenset] = {
    "count": frozenset(),
    "no-spurious-local-min": frozenset({PointClass.SPURIOUS_LOCAL_MIN}),
    "strict-saddle": frozenset({PointClass.SPURIOUS_LOCAL_MIN, PointClass.NON_STRICT_SADDLE}),
}
"""Statement → the point classes a verified certificate of it says no critical point has (CONTRACT.md): every
real point is a strict local minimum or has a negative Hessian eigenvalue, and for a statement about minima every
minimum lies on the lowest level. (The checker's own table of statements is proofs/landscape.py's.)"""


def statement_for(refuted_by: frozenset) -> str | None:
    """The weakest statement whose verified certificate excludes every class in ``refuted_by`` — so that it decides a
    claim with those refuting classes —, or None (an empty ``refuted_by``: no point class refutes the claim).

    >>> statement_for(frozenset({PointClass.SPURIOUS_LOCAL_MIN}))
    'no-spurious-local-min'
    """
    if not refuted_by:
        return None
    return next((s for s in sorted(STATEMENTS, key=lambda s: len(RULES_OUT[s])) if refuted_by <= RULES_OUT[s]), None)


@dataclass
class LandscapeResult:
    """A certificate (``failure`` None) or why none was made; counts and route when they were reached."""

    statement: str
    certificate: dict | None = None
    failure: Failure | None = None
    reason: str = ""
    route: str | None = None
    variables: list | None = None
    critical_points: int | None = None
    real: int | None = None
    minima: int | None = None
    saddles: int | None = None
    size_bytes: int | None = None
    kernel: str | None = None
    spurious: dict | None = None   # failure SPURIOUS_MINIMUM: a kernel-verified spurious-isolated-min certificate
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)

    @property
    def status(self) -> Completion:
        return Completion.COMPLETE if self.certificate is not None else Completion.UNKNOWN

    def to_json(self, path: str | None = None) -> dict:
        return {"status": self.status.value, "statement": self.statement, "certificate": path,
                "failure": None if self.failure is None else self.failure.value, "reason": self.reason,
                "route": self.route, "variables": self.variables, "critical_points": self.critical_points,
                "real": self.real, "minima": self.minima, "saddles": self.saddles, "size_bytes": self.size_bytes,
                "kernel": self.kernel, "seconds": round(self.seconds, 3),
                "timings": {k: round(v, 3) for k, v in self.timings.items()}}


def _terms(poly: dict) -> list:
    return [[list(e), fraction_str(to_fraction(poly[e]))] for e in sorted(poly, key=degrevlex_key, reverse=True)]


def _fail(res: LandscapeResult, failure: Failure, reason: str) -> LandscapeResult:
    res.failure, res.reason = failure, reason
    return res


def spurious_box_certificate(problem: Problem, boxes, r: Fraction, bits: int, timeout) -> dict | None:
    """A ``spurious-isolated-min`` certificate (proofs/FORMAT.md) for the first real minimum box whose loss is above
    the lowest real box's: its Krawczyk box (preconditioner: the inverse Hessian at the centre, rationalised), its
    congruence, and the lowest box's centre as the witness of lower loss. Kernel-checked; None if it does not check."""
    import numpy as np

    import proofs
    from verify.exact.ball.krawczyk import GradientSystem, hessian_on_box

    real = [b for b in boxes if b.real]
    low = min(real, key=lambda b: float(b.loss.upper()))
    for b in real:
        if not (b.minimum and b.loss.lower() > low.loss.upper()):
            continue
        H = hessian_on_box(GradientSystem(problem), b.re, r, bits)
        n = H.nrows()
        Y = np.linalg.inv(np.array([[float(H[i, j].mid()) for j in range(n)] for i in range(n)]))
        Yq = [[Fraction(float(v)).limit_denominator(1 << 40) for v in row] for row in Y]
        cert = envelope(problem, {"kind": "spurious-isolated-min", "centre": vec(b.re), "radius": vec([r] * n)},
                        {"kind": "spurious-isolated-min", "preconditioner": mat(Yq), "congruence": mat(b.congruence),
                         "witness": vec(low.re)}, {"generator": "spurious critical-points (a spurious minimum of "
                                                   "the complete landscape)"})
        try:
            if proofs.check_certificate(cert, timeout=timeout).verified:
                return cert
        except proofs.MalformedCertificate:
            return None
    return None


def _box_json(b) -> dict:
    out = {"re": vec(b.re), "im": vec(b.im)}
    if b.congruence is not None:
        out["congruence"] = mat(b.congruence)
    elif b.direction is not None:
        out["direction"] = vec(b.direction)
    return out


def _kernel_check(cert: dict, timeout) -> str | None:
    import proofs
    from proofs.kernel import KINDS

    if KIND not in KINDS:
        return None
    try:
        result = proofs.check_certificate(cert, timeout=timeout)
    except proofs.CheckTimeout as e:
        raise WallClockTimeout(f"the kernel's check: {e}") from e
    except proofs.MalformedCertificate as e:
        raise InternalError(f"the checker cannot read our own {KIND} certificate: {e}") from e
    if not result.verified:
        raise InternalError(f"the checker rejected our own {KIND} certificate: {result.reason}")
    return result.reason


# ---------------------------------------------------------------------------------------------------------
# the certificate


def _certificate(problem: Problem, found: Landscape, route: str, basis, cofactors) -> dict:
    claim = {"kind": KIND, "statement": found.statement, "critical_points": found.critical_points,
             "real": found.real, "minima": found.minima, "saddles": found.saddles}
    body = {"kind": KIND, "variables": found.variables, "ideal": route, "basis": [_terms(g) for g in basis]}
    if route == "cofactors":
        body["cofactors"] = [[_terms(c) for c in row] for row in cofactors]
    if found.precision != DEFAULT_PRECISION:
        body["precision"] = found.precision
    r, gens = found.radius, found.symmetries
    body["boxes"] = [{**_box_json(b), "radius": fraction_str(r)} for b in found.boxes]
    if found.statement != "count" and gens:
        body["symmetries"] = [[[j, s] for j, s in g] for g in gens[:MAX_SYMMETRIES]]
    meta = {"generator": "spurious critical-points --cert", "route": route,
            "radius": f"2^-{int(math.log2(r.denominator))}", "symmetries": len(gens)}
    return envelope(problem, claim, body, meta)


def size_of(cert: dict) -> int:
    """Bytes of the certificate as written (compact JSON, UTF-8)."""
    return len(json.dumps(cert, separators=(",", ":"), ensure_ascii=False).encode())


def _emit(problem: Problem, found: Landscape, deadline: float | None, res: LandscapeResult) -> None:
    """The first of ``found.ideals`` whose certificate fits :data:`MAX_BYTES`, kernel-checked, into ``res``."""
    for route, G, C in found.ideals:
        cert = _certificate(problem, found, route, G, C)
        res.size_bytes = size_of(cert)
        if res.size_bytes <= MAX_BYTES:
            break
    else:
        _fail(res, Failure.TOO_LARGE, f"the certificate has {res.size_bytes} bytes, over the format's {MAX_BYTES} "
              f"({' and '.join(o[0] for o in found.ideals)} tried)")
        return
    t0 = time.perf_counter()
    res.kernel = _kernel_check(cert, time_left(deadline))
    res.timings["kernel_check"] = time.perf_counter() - t0
    res.route, res.certificate = route, cert
    res.reason = (f"{found.critical_points} complex critical points, {res.real} real ({res.minima} minima, "
                  f"{res.saddles} saddles); G ⊆ ⟨∇L⟩ by {route}")


def _build(problem: Problem, statement: str, ideal: str, order: str, deadline: float | None) -> LandscapeResult:
    t_start = time.perf_counter()
    found = find_landscape(problem, statement, ideal, order, deadline)
    res = LandscapeResult(found.statement, failure=found.failure, reason=found.reason, variables=found.variables,
                          critical_points=found.critical_points, real=found.real, minima=found.minima,
                          saddles=found.saddles, timings=found.timings)
    try:
        if found.failure is Failure.SPURIOUS_MINIMUM:
            res.spurious = spurious_box_certificate(problem, found.boxes, found.radius, found.precision,
                                                    time_left(deadline))
        elif found.failure is None:
            _emit(problem, found, deadline, res)
        return res
    except WallClockTimeout as e:
        return _fail(res, Failure.TIMEOUT, f"timeout: {e}; nothing was decided")
    finally:
        res.seconds = time.perf_counter() - t_start


def complete_landscape_certificate(problem: Problem, statement: str = "count", timeout: float | None = None,
                                   ideal: str = "auto", order: str = "auto") -> LandscapeResult:
    """A ``complete-landscape`` certificate for ``statement`` on a polynomial problem with a finite critical set.

    ``statement``: ``count`` | ``strict-saddle`` | ``no-spurious-local-min`` | ``auto`` (:data:`AUTO`);
    ``ideal``: ``auto`` | ``recompute`` | ``cofactors``; ``order``: ``auto`` | ``canonical`` | ``reversed`` (the
    body's ring variable order).
    ``timeout`` (seconds): the whole construction runs in a child process killed at the limit (a
    :attr:`Failure.TIMEOUT` result). Bad arguments or a non-polynomial problem raise :class:`InputError`.

    >>> from verify.testing.instances import generic_regularised_net
    >>> r = complete_landscape_certificate(generic_regularised_net((1, 1, 1)))   # doctest: +SKIP
    >>> r.critical_points, r.real, r.route                                      # doctest: +SKIP
    (5, 1, 'cofactors')
    """
    from verify.exact.polysystem import check_polynomial

    for name, value, allowed in (("statement", statement, STATEMENTS + (AUTO,)), ("ideal", ideal, IDEALS),
                                 ("order", order, ORDERS)):
        if value not in allowed:
            raise InputError(name, f"{value!r} is not one of {', '.join(allowed)}")
    check_polynomial(problem, "complete-landscape certificates")
    from verify.exact.algebra.groebner import check_enumerable

    check_enumerable(problem)
    if not timeout or timeout <= 0:
        return _build(problem, statement, ideal, order, None)
    from verify.infra.child import run_in_child

    deadline = time.monotonic() + timeout
    try:
        return run_in_child(_build, problem, statement, ideal, order, deadline, timeout=timeout + 1.0,
                            what="the complete-landscape certificate")
    except WallClockTimeout:
        return _fail(LandscapeResult(statement, seconds=timeout), Failure.TIMEOUT,
                     f"timeout: wall-clock limit of {timeout:g} s reached; nothing was decided")


__all__ = ["KIND", "LandscapeResult", "MAX_BYTES", "RULES_OUT", "complete_landscape_certificate", "size_of",
           "spurious_box_certificate", "statement_for"]
