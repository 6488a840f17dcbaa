"""The deep problem against its shallow problem (Lu & Kawaguchi 2017, "Depth creates no bad local minima").

An unregularised deep linear net has L(θ) = f(π(θ)) with π(θ) = W_H ⋯ W_1 and f(R) = ℓ(R X, Y) the shallow loss
(:meth:`verify.problems.DeepLinear.shallow`; rank R ≤ r = min_i d_i). :func:`product_min` decides exactly whether
R = π(θ) is a STRICT local minimum of f over all d_y × d_x matrices (∇f(R) = 0, ∇²f(R) ≻ 0 by an exact LDLᵀ); then θ
is a local minimum of L whatever its own Hessian (continuity of π; the kernel's ``product-min`` rule). A None answer
does NOT mean θ is no local minimum: R may be a non-strict minimum of f, or a minimum only on {rank R ≤ r}.

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> from verify.problems.losses import Loss
>>> p = DeepLinear(widths=(1, 1, 1, 1), X=((F(1),),), Y=((F(0),),), loss=Loss.from_value({"poly": [0, 0, -2, 0, 1]}))
>>> product_min(p, (F(1), F(1), F(1)))["D"]        # φ(t) = t⁴ − 2t², R = 1: φ'' = 8
[Fraction(8, 1)]
"""

from __future__ import annotations

from fractions import Fraction

from verify.exact.derivatives import taylor
from verify.exact.inertia import congruence_diagonalise
from verify.exact.loss import to_fraction


def product_min(problem, point) -> dict | None:
    """{"R": π(θ), "congruence": M, "D": D} with ∇f(R) = 0 and M ∇²f(R) Mᵀ = diag(D) ≻ 0, or None (module
    docstring: None is not a negative answer)."""
    if problem.shallow() is None or not problem.unregularised or not problem.polynomial:
        return None
    point = tuple(Fraction(x) for x in point)
    shallow, R = problem.shallow(), problem.product(point)
    tay = taylor(shallow, R)
    if any(to_fraction(g) != 0 for g in tay.gradient):
        return None
    M, D = congruence_diagonalise(tay.hessian)
    D = [to_fraction(d) for d in D]
    if not all(d > 0 for d in D):
        return None
    return {"R": R, "congruence": [[to_fraction(x) for x in row] for row in M], "D": D}


__all__ = ["product_min"]
