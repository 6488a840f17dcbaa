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

from dataclasses import dataclass
from fractions import Fraction

from verify.exact.derivatives import taylor
from verify.exact.inertia import congruence_diagonalise
from verify.exact.loss import to_fraction


def product_min(problem, point) -> dict | None:
    """{"R": π(θ), "congruence": M, "D": D} with ∇f(R) = 0 and M ∇²f(R) Mᵀ = diag(D) ≻ 0, or None (module
    docstring: None is not a negative answer)."""
    if problem.kind != "deep-linear" or not problem.unregularised or not problem.polynomial:
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


@dataclass
class ShallowReport:
    """What ``spurious shallow`` prints: the shallow problem of a deep-linear instance and, for a point θ, R = π(θ)
    classified exactly in the shallow problem beside θ's own class in the deep one."""

    deep: object
    shallow: object
    rank_bound: int
    bottleneck: bool
    convex: bool
    point: tuple | None = None
    R: tuple | None = None
    deep_class: object = None
    shallow_class: object = None
    note: str = ""

    def to_json(self) -> dict:
        from verify.problems.numbers import fraction_str

        out = {"problem": self.deep.describe(), "shallow": self.shallow.to_json(), "rank_bound": self.rank_bound,
               "bottleneck": self.bottleneck, "loss": self.deep.loss.describe(), "convex": self.convex,
               "polynomial": self.deep.polynomial, "unregularised": self.deep.unregularised}
        if self.point is not None:
            out["point"] = {"R": [fraction_str(x) for x in self.R],
                            "deep": self.deep_class.to_json() if self.deep_class is not None else None,
                            "shallow": self.shallow_class.to_json() if self.shallow_class is not None else None,
                            "note": self.note}
        return out


def shallow_report(problem, point=None) -> ShallowReport:
    """The shallow problem f(R) = ℓ(R X, Y), rank R ≤ r = min_i d_i, of a deep-linear ``problem``; with ``point``,
    R = π(θ) and both classifications (exact; polynomial losses). With a bottleneck (r < min(d_x, d_y)) R's class
    is over ALL matrices: a local minimum there is one of the rank-bounded problem too, anything else says nothing
    about the rank-bounded problem (``note``)."""
    from verify.errors import InputError
    from verify.exact.classify import classify

    if problem.kind != "deep-linear":
        raise InputError("problem", f"the shallow problem is defined for deep-linear nets, not {problem.kind}")
    if not problem.unregularised:
        raise InputError("reg", "the deep problem is ℓ(W_H ⋯ W_1 X, Y) only without regularisation (reg = 0)")
    r, d = problem.rank_bound, min(problem.widths[0], problem.widths[-1])
    rep = ShallowReport(problem, problem.shallow(), r, r < d, problem.loss.convex)
    if point is None:
        return rep
    rep.point = tuple(Fraction(x) for x in point)
    rep.R = problem.product(rep.point)
    if not problem.polynomial:
        rep.note = f"the {problem.loss.describe()} loss is not a polynomial: no exact classification"
        return rep
    rep.deep_class, rep.shallow_class = classify(problem, rep.point), classify(rep.shallow, rep.R)
    if rep.bottleneck:
        rep.note = (f"rank bound r = {r} < min(d_x, d_y) = {d}: R is classified over all matrices; a local minimum "
                    "there is one of the rank-bounded problem, other classes say nothing about it")
    return rep


__all__ = ["ShallowReport", "product_min", "shallow_report"]
