"""Turning a :class:`~verify.exact.classify.Classification` into the CONTRACT.md JSON and a human line."""

from __future__ import annotations

from verify.exact.classify import Classification
from verify.problems.numbers import fraction_str


def _fs(x) -> str | None:
    return None if x is None else fraction_str(x)


def classification_json(c: Classification, certificate: str | None = None) -> dict:
    """``{"class", "loss", "gradient_zero", "hessian_inertia", "certificate", "method", "reason", "witness"}``."""
    witness = None
    if c.direction is not None:
        witness = {"direction": [_fs(x) for x in c.direction], "vHv": _fs(c.curvature)}
    elif c.curve is not None:
        witness = {"curve": [[_fs(x) for x in coeffs] for coeffs in _as_fractions(c.curve.coefficients)],
                   "order": c.curve.order, "lead": str(c.curve.lead),
                   "note": "θ(t) = θ + Σ_k t^k curve[k-1]; L(θ(t)) − L(θ) = lead·t^order + O(t^(order+1))"}
    return {
        "class": c.cls.value,
        "loss": _fs(c.loss),
        "gradient_zero": c.gradient_zero,
        "hessian_inertia": list(c.inertia) if c.inertia is not None else None,
        "certificate": certificate,
        "method": c.method,
        "reason": c.reason,
        "witness": witness,
    }


def _as_fractions(vectors):
    from fractions import Fraction

    return [[Fraction(int(x.p), int(x.q)) for x in v] for v in vectors]
