"""Search for a polynomial curve along which the loss strictly decreases (non-strict saddles).

At a critical point θ with H = ∇²L(θ) ⪰ 0 and singular, second-order information cannot decide.
We look for a curve θ(t) = θ + t v + t² w with v in the null space of H such that
f(t) = L(θ(t)) − L(θ) has a **negative lowest-order non-zero coefficient** (exactly): then
L(θ(t)) < L(θ) for all small t > 0 and θ is not a local minimum — a saddle with no negative
eigenvalue (Kawaguchi 2016, Thm 2.3(iv): for H ≥ 3 layers the origin is such a point).

Writing P(x) = L(θ + x) = L(θ) + ½xᵀHx + C(x) + Q(x) + …, with Hv = 0 the curve gives
f(t) = t³ C(v) + t⁴ (½wᵀHw + ∇C(v)·w + Q(v)) + O(t⁵). So:

1. **lines** (w = 0): any v with C(v) ≠ 0 works (orient v so that the t³ term is negative);
   generally we compute f exactly and read its lowest term.
2. **quadratic curves**: when C(v) = 0, choose w minimising the t⁴ coefficient: if b = ∇C(v) has
   a component along a null vector n (n·b ≠ 0), w = −s·sign(n·b)·n drives it to −∞; otherwise
   w = −H⁺b (computed from M H Mᵀ = D), which gives Q(v) − ½bᵀH⁺b.

Every candidate is confirmed by computing f(t) exactly; the derivation only proposes. Not finding a
curve does NOT mean θ is a local minimum — it means ``unknown``.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

import flint

from verify.exact.derivatives import Taylor, curve_loss

MAX_LINE_CANDIDATES = 400


@dataclass
class DescentCurve:
    """θ(t) = θ + Σ_k t^k c_k with f(t) = L(θ(t)) − L(θ) = lead·t^order + O(t^{order+1}), lead < 0."""

    coefficients: list  # [c_1, c_2, ...] as lists of fmpq
    order: int
    lead: flint.fmpq
    f: flint.fmpq_poly  # f(t) = L(θ(t)) − L(θ), exact


def _lowest_term(f: flint.fmpq_poly):
    for k, c in enumerate(f.coeffs()):
        if c != 0:
            return k, flint.fmpq(c)
    return None, None


def _null_combinations(null_basis, seed: int = 0):
    """Candidate null-space directions: basis vectors, then {−1,0,1} combinations by support size, then random."""
    k = len(null_basis)
    n = len(null_basis[0]) if k else 0
    seen = 0
    if k <= 6:
        combos = [c for c in itertools.product((0, 1, -1), repeat=k) if any(c)]
        # smallest support first; among equal supports, the first non-zero coefficient is +1
        combos = [c for c in combos if next(x for x in c if x) == 1]
        combos.sort(key=lambda c: sum(1 for x in c if x))
    else:
        combos = [tuple(int(i == j) for j in range(k)) for i in range(k)]
        rng = random.Random(seed)
        combos += [tuple(rng.choice((-2, -1, 0, 1, 2)) for _ in range(k)) for _ in range(MAX_LINE_CANDIDATES)]
        combos = [c for c in combos if any(c)]
    for c in combos:
        if seen >= MAX_LINE_CANDIDATES:
            return
        seen += 1
        yield [sum((ci * b[i] for ci, b in zip(c, null_basis) if ci), flint.fmpq(0)) for i in range(n)]


def find_ascent_line(problem, point, M, D, relu_mask=None):
    """A line θ + t·u in the null space along which L rises (lowest term a_k t^k with a_k > 0 or k odd).

    This proves θ is not a local maximum when H ⪰ 0 has no positive direction (e.g. H = 0). Returns
    (u, f) with f(t) = L(θ + t u) − L(θ), or (None, None).
    """
    null_basis = [M[k] for k in range(len(D)) if D[k] == 0]
    for u in _null_combinations(null_basis):
        f = curve_loss(problem, point, [u], relu_mask) - curve_loss(problem, point, [], relu_mask)
        order, lead = _lowest_term(f)
        if order is not None and (lead > 0 or order % 2 == 1):
            return u, f
    return None, None


def find_descent_curve(problem, point, tay: Taylor, M, D, relu_mask=None):
    """Return a :class:`DescentCurve` or None (none found among the candidates tried), and the count tried.

    Lines first; a line along which L has a positive t⁴ term — or, after every line was tried, one along which L
    is constant — gets a quadratic bend θ + t v + t² w (w in null(H) against ∇C(v), C the cubic form)."""
    null_basis = [M[k] for k in range(len(D)) if D[k] == 0]
    nonnull = [k for k in range(len(D)) if D[k] != 0]
    cubic = [None]
    tried = 0
    flat = []

    def bend(v, lead):
        nonlocal tried
        if cubic[0] is None:
            cubic[0] = tay.homogeneous_part(3)
        if cubic[0].is_zero():
            return None
        b = [flint.fmpq(cubic[0].derivative(i)(*v)) for i in range(len(v))]
        Mb = [sum((m_i * b_i for m_i, b_i in zip(row, b)), flint.fmpq(0)) for row in M]
        w = None
        for k in range(len(D)):
            if D[k] == 0 and Mb[k] != 0:
                s = (abs(lead) + 1) / abs(Mb[k])
                sign = 1 if Mb[k] > 0 else -1
                w = [-s * sign * x for x in M[k]]
                break
        if w is None:
            # w = −Mᵀ D⁺ M b
            y = [(-Mb[k] / D[k]) if k in nonnull else flint.fmpq(0) for k in range(len(D))]
            w = [sum((y[k] * M[k][i] for k in nonnull), flint.fmpq(0)) for i in range(len(v))]
        tried += 1
        f = curve_loss(problem, point, [v, w], relu_mask) - curve_loss(problem, point, [], relu_mask)
        order, lead = _lowest_term(f)
        return DescentCurve([v, w], order, lead, f) if order is not None and lead < 0 else None

    for v in _null_combinations(null_basis):
        tried += 1
        f = curve_loss(problem, point, [v], relu_mask) - curve_loss(problem, point, [], relu_mask)
        order, lead = _lowest_term(f)
        if order is None:
            flat.append(v)   # L constant along the line: bent after every line was tried
            continue
        if lead < 0:
            return DescentCurve([v], order, lead, f), tried
        if order % 2 == 1:
            v = [-x for x in v]
            g = curve_loss(problem, point, [v], relu_mask) - curve_loss(problem, point, [], relu_mask)
            o2, l2 = _lowest_term(g)
            if l2 is not None and l2 < 0:
                return DescentCurve([v], o2, l2, g), tried
            continue
        if order != 4:
            continue  # t³ term vanishes and the t⁴ term is positive only when order is 4: try a bend
        found = bend(v, lead)
        if found is not None:
            return found, tried
    for v in flat:
        found = bend(v, flint.fmpq(0))
        if found is not None:
            return found, tried
    return None, tried
