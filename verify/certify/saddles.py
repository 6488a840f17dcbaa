"""Saddle certificates: strict (vᵀHv < 0) and non-strict (H ⪰ 0 by congruence, plus a descent curve).

* strict-saddle: v with vᵀHv < 0, and u with uᵀHu > 0 (so not a local maximum);
* non-strict-saddle: the congruence M (M H Mᵀ = D ≥ 0, singular), the descent curve θ(t) with
  L(θ(t)) − L(θ) = lead·t^order + …, lead < 0, and an ascent witness when D has no positive entry and the
  curve's order is even.
"""

from __future__ import annotations

from verify.certify.common import mat, vec


def strict_saddle_body(problem, point, c) -> dict:
    return {"kind": "strict-saddle", "direction": vec(c.direction), "ascent": {"direction": vec(c.ascent)}}


def non_strict_saddle_body(problem, point, c) -> dict:
    body = {"kind": "non-strict-saddle", "congruence": mat(c.congruence[0]),
            "descent_curve": [vec(coeffs) for coeffs in c.curve.coefficients]}
    if c.ascent is not None:
        body["ascent"] = {"curve": [vec(c.ascent)]} if c.ascent_is_line else {"direction": vec(c.ascent)}
    return body
