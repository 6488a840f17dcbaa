"""Continuous symmetries as rational families of critical points θ(s) = P(s)/q(s) (Morse–Bott certificates).

For a problem's declared symmetries (``Problem.symmetries``) :func:`critical_family` builds, at a critical point p,
a family through p whose every member is critical, one parameter s_j per move, the moves acting on disjoint
coordinates (so the product family is critical when each move is):

* for every hidden layer the kind declares (:meth:`~verify.problems.Problem.hidden_layers`) whose σ is positively
  homogeneous of degree k (σ(c·z) = c^k σ(z); a polynomial loss: σ = a·t^k), whose outgoing weights are trained
  and which is not linear, and each unit i of it with w_i (its incoming row: W_l's row and b_l's entry) and u_i (its
  outgoing column) unregularised:
  - a live unit (w_i ≠ 0): the rescaling (c·w_i, u_i/c^k) with c = 1 + s_j (denominator (1 + s_j)^k, tangent
    (w_i, −k·u_i));
  - a dead unit (w_i = 0) with k ≥ 2: the translations u_{ri} + s_j (σ(0) = σ'(0) = 0, so the unit neither
    contributes nor feels a gradient).
* Permutations and sign flips are discrete (no tangents); the GL(d_l) families of a linear layer (identity, no
  bias) are not built, nor its rescalings (they lie in GL(d_l)): every local minimum of an unregularised deep linear
  net is global (Kawaguchi 2016), which ``classify`` decides first.

The identity ∇L(θ(s)) ≡ 0 is re-checked here exactly (q^D ∇L(P/q) ≡ 0 as polynomials, D = deg ∇L) before a family
is returned; the checker re-checks it on its own ring (proofs/morse_bott.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import flint

from verify.exact.loss import fq, loss_in_ring, to_fraction


@dataclass
class Family:
    """θ(s) = numerator(s)/denominator(s), s ∈ Q^m; tangents ∂θ/∂s_j(0); names: one move per parameter."""

    m: int
    denominator: object          # fmpq_mpoly in s
    numerator: list              # one fmpq_mpoly per parameter of the problem
    tangents: list
    names: list

    def to_json(self) -> dict:
        def terms(p):
            return [[[int(k) for k in e], _s(c)] for e, c in p.to_dict().items()]
        return {"parameters": self.m, "denominator": terms(self.denominator),
                "numerator": [terms(a) for a in self.numerator]}


def _s(c) -> str:
    x = to_fraction(c)
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def _units(problem):
    """[(k, w coords, u coords)] for each unit of each hidden layer with a rescaling (module docstring)."""
    offsets, at = {}, 0
    for name, r, c in problem.param_shapes():
        offsets[name] = (at, r, c)
        at += r * c
    out = []
    for layer in problem.hidden_layers():
        if layer.degree is None or layer.linear or not layer.incoming or not layer.outgoing:
            continue
        for i in range(layer.width):
            w = [k0 + i * c + j for k0, _, c in map(offsets.get, layer.incoming) for j in range(c)]
            u = [k0 + a * c + i for k0, r, c in map(offsets.get, layer.outgoing) for a in range(r)]
            out.append((layer.degree, w, u))
    return out


def _moves(problem, point):
    """[(name, kind, coords, k)]: ('scale', (w coords, u coords)) or ('shift', coord), each with its layer's k."""
    if not problem.polynomial:
        return []
    lam = problem.param_reg()
    moves = []
    for unit, (k, w, u) in enumerate(_units(problem), start=1):
        if any(lam[c] != 0 for c in w + u):
            continue
        if any(point[c] != 0 for c in w):
            moves.append((f"rescaling of unit {unit}", "scale", (w, u), k))
        elif k >= 2:
            moves += [(f"u[{r + 1}][{unit}] of dead unit {unit}", "shift", c, k) for r, c in enumerate(u)]
    return moves


def _build(problem, point, moves):
    """The product family of ``moves``: θ_a(s) = (θ_a + Σ shifts of a) · Π_{a ∈ w_j} (1 + s_j) / Π_{a ∈ u_j}
    (1 + s_j)^k_j over the common denominator q = Π_scale (1 + s_j)^k_j (a coordinate is in at most one unit's w and
    one unit's u: the units of consecutive layers share W_{l+1}'s entries)."""
    m, n = len(moves), len(point)
    ctx = flint.fmpq_mpoly_ctx.get(("s", m))
    s, one = ctx.gens(), ctx.from_dict({(0,) * m: 1})
    powers = [(one + s[j]) ** k if kind == "scale" else one for j, (_, kind, _, k) in enumerate(moves)]
    q = one
    for f in powers:
        q = q * f
    num = [fq(v) + ctx.from_dict({}) for v in point]
    for j, (_, kind, c, _) in enumerate(moves):
        if kind == "shift":
            num[c] = num[c] + s[j]
    for a in range(n):
        for j, (_, kind, c, _) in enumerate(moves):
            if kind == "scale":
                num[a] = num[a] * ((one + s[j]) if a in c[0] else one) * (one if a in c[1] else powers[j])
    zero = (0,) * m
    tangents = [[to_fraction(a.derivative(j)(*zero) - fq(v) * q.derivative(j)(*zero)) for a, v in zip(num, point)]
                for j in range(m)]
    return Family(m, q, num, tangents, [x[0] for x in moves]) if n else None


def _critical_identically(problem, fam: Family) -> bool:
    """q^D ∂L/∂θ_i(P/q) ≡ 0 for every i (homogenised substitution)."""
    n = problem.n_params
    ctx = flint.fmpq_mpoly_ctx.get(("x", n))
    L = loss_in_ring(problem, list(ctx.gens()))
    for i in range(n):
        g = L.derivative(i)
        if g.is_zero():
            continue
        D = g.total_degree()
        acc = None
        for e, c in g.to_dict().items():
            t = fam.denominator ** (D - sum(e)) * c
            for a, k in zip(fam.numerator, e):
                if k:
                    t = t * a ** k
            acc = t if acc is None else acc + t
        if acc is not None and not acc.is_zero():
            return False
    return True


def critical_family(problem, point, hessian, nullity: int) -> Family | None:
    """A critical family through ``point`` whose tangents are a basis of null(H) (dim ``nullity``), or None."""
    moves = _moves(problem, point)
    if not moves:
        return None
    H = flint.fmpq_mat([[fq(x) for x in row] for row in hessian])
    fam = _build(problem, point, moves)
    chosen, rank = [], 0
    for j, t in enumerate(fam.tangents):   # a maximal independent subset of the moves' tangents
        T = flint.fmpq_mat([[fq(x) for x in fam.tangents[i]] for i in chosen + [j]])
        if T.rank() > rank and all(v == 0 for v in (H * flint.fmpq_mat([[fq(x)] for x in t])).entries()):
            chosen, rank = chosen + [j], rank + 1
    if rank != nullity:
        return None
    fam = _build(problem, point, [moves[j] for j in chosen])
    return fam if _critical_identically(problem, fam) else None


__all__ = ["Family", "critical_family"]
