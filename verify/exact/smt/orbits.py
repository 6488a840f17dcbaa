"""Rescaling orbits: the continuous symmetry of a two-layer unit with a monomial activation, as a family to exclude.

For ŷ = U σ(W x) with σ(z) = a·z^k and unit i's weights w_i (row i of W) and u_i (column i of U) unregularised,

    g_c : (w_i, u_i) ↦ (c·w_i, u_i / c^k),   c ∈ R∖{0},

satisfies L ∘ g_c = L (σ(c z) = c^k σ(z)). We check this exactly rather than read it off the problem: with w_i
scaled by c and u_i by d, every term of L(…, c·w_i, …, d·u_i, …) ∈ Q[θ, c, d] must have deg_c = k·deg_d (then
d = c^{−k} gives L back). g_c is a linear bijection preserving L, so it maps critical points to critical points,
local minima to local minima and non-minima to non-minima (likewise maxima): every point of the orbit of θ* has
θ*'s class.

**The orbit as an algebraic set.** With a pivot p (w*_{i,p} ≠ 0) and some u*_{i,r} ≠ 0, the orbit of θ* under
g_c (all other coordinates fixed) is exactly the zero set of

    w*_p·θ_a − w*_a·θ_p   (a ∈ w_i, a ≠ p),        θ_b·θ_p^k − u*_b·(w*_p)^k   (b ∈ u_i):

at a zero put c = θ_p / w*_p; then θ_a = c·w*_a for every a, and θ_b·c^k = u*_b, so c ≠ 0 (some u*_b ≠ 0) and
θ_b = u*_b / c^k: the point is g_c θ*. Conversely g_c θ* is a zero. The orbits of several units act on disjoint
coordinates and commute, so their product is the zero set of all their equations together.

>>> from fractions import Fraction as F
>>> from verify.problems import TwoLayer
>>> prob = TwoLayer(n=2, width=1, activation=(F(0), F(0), F(0), F(1)), X=((F(1), F(0)), (F(0), F(1))),
...                 Y=((F(1), F(2)),), train_output=True)
>>> [o.to_json(prob.param_names()) for o in rescaling_orbits(prob, [F(-1), F(0), F(-1)])]
[{'scaled': ['W_0_0', 'W_0_1'], 'inverse_scaled': ['U_0_0'], 'degree': 3, 'pivot': 'W_0_0'}]
"""

from __future__ import annotations

from dataclasses import dataclass

import flint

from verify.exact.loss import loss_in_ring


@dataclass
class Orbit:
    """g_c on unit coordinates ``scaled`` (times c) and ``inverse`` (times c^−degree); ``pivot`` ∈ scaled."""

    scaled: list
    inverse: list
    degree: int
    pivot: int

    def coordinates(self) -> list:
        return self.scaled + self.inverse

    def to_json(self, names: list[str]) -> dict:
        return {"scaled": [names[i] for i in self.scaled], "inverse_scaled": [names[i] for i in self.inverse],
                "degree": self.degree, "pivot": names[self.pivot]}


def invariant(problem, scaled: list, inverse: list, k: int) -> bool:
    """L(…, c·θ_a (a ∈ scaled), …, d·θ_b (b ∈ inverse), …) has deg_c = k·deg_d in every term (module docstring)."""
    n = problem.n_params
    ctx = flint.fmpq_mpoly_ctx.get([f"x{i}" for i in range(n)] + ["c", "d"])
    gens = ctx.gens()
    c, d = gens[n], gens[n + 1]
    params = [gens[i] * c if i in scaled else gens[i] * d if i in inverse else gens[i] for i in range(n)]
    L = loss_in_ring(problem, params)
    return all(int(e[n]) == k * int(e[n + 1]) for e, _ in L.terms())


def rescaling_orbits(problem, point) -> list[Orbit]:
    """The units whose rescaling orbit through ``point`` is the zero set of the module docstring's equations
    (w_i ≠ 0 and u_i ≠ 0 at the point) and whose rescaling leaves L invariant, checked exactly."""
    k = problem.rescaling_degree
    if k is None:
        return []
    (_, p, n_in), (_, dy, _) = problem.param_shapes()
    out = []
    for i in range(p):
        scaled = [i * n_in + j for j in range(n_in)]
        inverse = [p * n_in + r * p + i for r in range(dy)]
        live = [a for a in scaled if point[a] != 0]
        if live and any(point[b] != 0 for b in inverse) and invariant(problem, scaled, inverse, k):
            out.append(Orbit(scaled, inverse, k, live[0]))
    return out


__all__ = ["Orbit", "invariant", "rescaling_orbits"]
