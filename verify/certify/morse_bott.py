"""Morse–Bott minimum certificates (``morse-bott-min``, ``spurious-morse-bott-min``; proofs/FORMAT.md).

A classification with ``details["morse_bott"]`` (a :class:`verify.exact.symmetry.Family` whose tangents span
null(H), H ⪰ 0) is written as the family's exponent/coefficient terms plus the congruence M H Mᵀ = diag(D) of the
classifier; the checker re-checks the identity ∇L(θ(s)) ≡ 0, the tangents and D. A classification with
``details["product_min"]`` (:mod:`verify.exact.shallow`) is written as ``product-min``: the congruence of the shallow
loss's Hessian at R = W_H ⋯ W_1. A local minimum at a relu kink (``details["kink"]``: every cell meeting the point,
:mod:`verify.exact.classify`) has no certificate (None): the kernel evaluates no derivative at a kink. Other local
minima (H ≻ 0) go to :mod:`verify.certify.minima` unchanged: these two functions are the ``local-min`` emitters of the
table.
"""

from __future__ import annotations

from verify.certify import minima
from verify.certify.common import mat, vec


def local_min_body(problem, point, c) -> dict | None:
    if "kink" in c.details:   # a relu kink's cells (verify.exact.classify): the kernel evaluates no derivative there
        return None
    pm = c.details.get("product_min")
    if pm is not None:   # H ⪰ 0 singular, W_H ⋯ W_1 a strict minimum of the shallow loss (verify.exact.shallow)
        return {"kind": "product-min", "congruence": mat(pm["congruence"])}
    fam = c.details.get("morse_bott")
    if fam is None:
        return minima.local_min_body(problem, point, c)
    return {"kind": "morse-bott-min", "family": fam.to_json(), "congruence": mat(c.congruence[0])}


def spurious_body(problem, point, c, lower) -> dict | None:
    """The local-min body plus the witness; None when the local minimum has no body (a relu kink minimum)."""
    body = local_min_body(problem, point, c)
    return None if body is None else {**body, "kind": f"spurious-{body['kind']}", "witness": vec(lower)}


__all__ = ["local_min_body", "spurious_body"]
