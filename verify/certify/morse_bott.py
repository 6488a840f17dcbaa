"""Morse–Bott minimum certificates (``morse-bott-min``, ``spurious-morse-bott-min``; proofs/FORMAT.md).

A classification with ``details["morse_bott"]`` (a :class:`verify.exact.symmetry.Family` whose tangents span
null(H), H ⪰ 0) is written as the family's exponent/coefficient terms plus the congruence M H Mᵀ = diag(D) of the
classifier; the checker re-checks the identity ∇L(θ(s)) ≡ 0, the tangents and D. Other local minima (H ≻ 0) go to
:mod:`verify.certify.minima` unchanged: these two functions are the ``local-min`` emitters of the table.
"""

from __future__ import annotations

from verify.certify import minima
from verify.certify.common import mat, vec


def local_min_body(problem, point, c) -> dict:
    fam = c.details.get("morse_bott")
    if fam is None:
        return minima.local_min_body(problem, point, c)
    return {"kind": "morse-bott-min", "family": fam.to_json(), "congruence": mat(c.congruence[0])}


def spurious_body(problem, point, c, lower) -> dict:
    body = local_min_body(problem, point, c)
    return {**body, "kind": f"spurious-{body['kind']}", "witness": vec(lower)}


__all__ = ["local_min_body", "spurious_body"]
