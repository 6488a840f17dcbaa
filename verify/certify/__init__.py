"""Certificate emitters (proofs/FORMAT.md, version 1): what the search found, written as hints.

The emitter lives with the search; the checker (``proofs``) re-derives everything from the embedded
problem and shares nothing with this code but the file format. Every certificate is re-checked by
``proofs.check_certificate`` before it is reported (:func:`emit_checked`): nothing leaves the search as a
certificate until the kernel accepted it.

:data:`EMITTERS` is the table point class → body emitter (one module per family of certificate kinds:
:mod:`~verify.certify.saddles`, :mod:`~verify.certify.minima`; solver attestations in
:mod:`~verify.certify.attestation`). ``not-critical``, ``local-max`` and ``unknown`` have no certificate kind.
"""

from __future__ import annotations

from fractions import Fraction

from verify.certify.common import envelope, vec
from verify.certify.minima import global_min_body
from verify.certify.morse_bott import local_min_body, spurious_body
from verify.certify.saddles import non_strict_saddle_body, strict_saddle_body
from verify.errors import InternalError
from verify.problems import Problem
from verify.problems.numbers import fraction_str
from verify.verdict import PointClass

EMITTERS = {
    PointClass.STRICT_SADDLE: strict_saddle_body,
    PointClass.NON_STRICT_SADDLE: non_strict_saddle_body,
    PointClass.LOCAL_MIN: local_min_body,
    PointClass.GLOBAL_MIN: global_min_body,
}
"""Point class → ``body(problem, point, classification) -> dict | None`` (None: no hints were found)."""

CERTIFIABLE = frozenset(EMITTERS)


def classify_point(problem: Problem, point, timeout: float | None = None):
    """The classification ``spurious classify`` reports (:class:`verify.exact.classify.Classification`), chosen by
    what the loss is:

    * polynomial and piecewise-polynomial losses — exact (:func:`verify.exact.classify.classify`);
    * the arc-cosine teacher–student loss (:attr:`~verify.problems.Problem.arccos_teacher`) — its ball route
      (:func:`verify.certify.relu_teacher.classify_ball`: a kernel-checked spurious-isolated-min box);
    * other transcendental losses (networks with tanh / sigmoid / softplus) — exact where the exact layer decides
      the point (rational Taylor data at 0), otherwise the ball route (:func:`verify.certify.smooth.classify_ball`:
      refine, then a Krawczyk box with the Hessian's inertia on it; a minimum rests on a kernel-checked
      ``isolated-critical-point`` / ``spurious-isolated-min`` certificate, a strict saddle on an
      ``isolated-strict-saddle`` one).

    The ball classes rest on certificates or ball arithmetic, so they are made here, above the exact layer."""
    from verify.exact.classify import classify

    if problem.arccos_teacher:
        from verify.certify.relu_teacher import classify_ball as arccos_ball

        return arccos_ball(problem, tuple(Fraction(x) for x in point), timeout=timeout)
    c = classify(problem, point)
    if not problem.transcendental or c.cls is not PointClass.UNKNOWN:
        return c
    from verify.certify.smooth import classify_ball

    return classify_ball(problem, point, timeout=timeout)


def build_certificate(problem: Problem, point, c) -> dict | None:
    """The version-1 certificate for classification ``c`` at ``point``, or None when its class has none. A
    classification that already holds its certificate (the relu-teacher ball route's box) returns that one."""
    if isinstance(c.details.get("certificate"), dict):
        return c.details["certificate"]
    if c.method == "ball" or "taylor_order" in c.details:   # a ball class without a certificate (a local-max box),
        return None        # or one read from tanh's Taylor data at 0 (the checker evaluates tanh on balls only)
    emitter = EMITTERS.get(c.cls)
    body = emitter(problem, point, c) if emitter is not None else None
    if body is None:
        return None
    claim = {"kind": body["kind"], "point": vec(point), "loss": fraction_str(c.loss)}
    return envelope(problem, claim, body, {"generator": "spurious classify", "reason": c.reason})


def _checked(cert: dict, what: str) -> str:
    import proofs

    result = proofs.check_certificate(cert)
    if not result.verified:
        raise InternalError(f"the checker rejected our own {what} certificate: {result.reason}")
    return result.reason


def emit_checked(problem: Problem, point, c) -> tuple[dict | None, str]:
    """Build the certificate and re-check it with the independent checker; returns (cert, note).

    A certificate the checker rejects is never returned: that would be a bug in the emitter or the
    classifier, reported as an :class:`~verify.errors.InternalError`.
    """
    cert = build_certificate(problem, point, c)
    if cert is None and "taylor_order" in c.details:
        return None, ("the class rests on the rational Taylor data of tanh / sigmoid at 0, which the checker does not "
                      "read (it evaluates them on balls only)")
    if cert is None:
        return None, f"no version-1 certificate for class {c.cls.value!r}"
    return cert, _checked(cert, c.cls.value)


def spurious_certificate(problem: Problem, point, c, lower) -> tuple[dict | None, str]:
    """A ``spurious-local-min`` certificate: the local-min hints of ``c`` plus ``lower``, a point of lower loss.

    Returns (certificate, checker note), or (None, why) when ``c`` is not a strict local minimum or the checker
    does not accept the witness (e.g. its loss is not lower): a witness is a guess of the search, not a bug.
    """
    import proofs

    if c.cls is not PointClass.LOCAL_MIN:
        return None, f"class {c.cls.value!r} is not a strict local minimum"
    if c.method == "ball":
        from verify.certify.smooth import critical_box

        box = critical_box(problem, point, witness=[Fraction(x) for x in lower])
        ok = box.certificate is not None and box.certificate["claim"]["kind"] == "spurious-isolated-min"
        return (box.certificate, box.note) if ok else (None, box.note)
    body = spurious_body(problem, point, c, lower)
    if body is None:
        return None, "no certificate kind for this local minimum (at a relu kink: every cell meeting it classified)"
    claim = {"kind": body["kind"], "point": vec(point), "loss": fraction_str(c.loss)}
    cert = envelope(problem, claim, body, {"generator": "spurious", "reason": c.reason})
    check = proofs.check_certificate(cert)
    return (cert, check.reason) if check.verified else (None, check.reason)


__all__ = ["CERTIFIABLE", "EMITTERS", "build_certificate", "classify_point", "emit_checked", "spurious_certificate"]
