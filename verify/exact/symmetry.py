"""Continuous symmetries as rational families of critical points θ(s) = P(s)/q(s) (Morse–Bott certificates).

For a problem's declared symmetries (``Problem.symmetries``) :func:`critical_family` builds, at a critical point p,
a family through p whose every member is critical, one parameter s_j per move, the moves acting on disjoint
coordinates (so the product family is critical when each move is):

* two-layer, σ(t) = a·t^k (a single monomial), trained output, no regulariser on the unit's weights:
  - a live unit i (w_i ≠ 0): the rescaling (c·w_i, u_i/c^k) with c = 1 + s_j (denominator (1 + s_j)^k, tangent
    (w_i, −k·u_i));
  - a dead unit (w_i = 0) with k ≥ 2: the translations u_{ri} + s_j (σ(0) = σ'(0) = 0, so the unit neither
    contributes nor feels a gradient).
* Permutations and sign flips are discrete (no tangents); deep linear GL(d) families are not built: every local
  minimum of an unregularised deep linear net is global (Kawaguchi 2016), which ``classify`` decides first.

The identity ∇L(θ(s)) ≡ 0 is re-checked here exactly (q^D ∇L(P/q) ≡ 0 as polynomials, D = deg ∇L) before a family
is returned; the checker re-checks it on its own ring (proofs/morse_bott.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

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


def _unreg(problem, coords) -> bool:
    reg = problem.reg
    if isinstance(reg, Fraction):
        return reg == 0
    flat = [lam for Lam in reg for row in Lam for lam in row]
    return all(flat[i] == 0 for i in coords)


def _moves(problem, point):
    """[(name, kind, coords)]: ('scale', w coords, u coords) or ('shift', coord)."""
    k = problem.rescaling_degree
    if k is None:
        return [], k
    n, p, dy = problem.n, problem.width, problem.d_y
    moves = []
    for i in range(p):
        w = [i * n + j for j in range(n)]
        u = [p * n + r * p + i for r in range(dy)]
        if not _unreg(problem, w + u):
            continue
        if any(point[c] != 0 for c in w):
            moves.append((f"rescaling of unit {i + 1}", "scale", (w, u)))
        elif k >= 2:
            moves += [(f"u[{r + 1}][{i + 1}] of dead unit {i + 1}", "shift", c) for r, c in enumerate(u)]
    return moves, k


def _build(problem, point, moves, k):
    m, n = len(moves), len(point)
    ctx = flint.fmpq_mpoly_ctx.get(("s", m))
    s, one = ctx.gens(), ctx.from_dict({(0,) * m: 1})
    q = one
    for j, (_, kind, _) in enumerate(moves):
        if kind == "scale":
            q = q * (one + s[j]) ** k
    num = [q * fq(v) for v in point]
    for j, (_, kind, c) in enumerate(moves):
        if kind == "scale":
            rest = ctx.from_dict({(0,) * m: 1})
            for i, (_, kd, _) in enumerate(moves):
                if kd == "scale" and i != j:
                    rest = rest * (one + s[i]) ** k
            for a in c[0]:
                num[a] = q * (one + s[j]) * fq(point[a])
            for a in c[1]:
                num[a] = rest * fq(point[a])
        else:
            num[c] = q * (fq(point[c]) + s[j])
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
    moves, k = _moves(problem, point)
    if not moves:
        return None
    H = flint.fmpq_mat([[fq(x) for x in row] for row in hessian])
    fam = _build(problem, point, moves, k)
    chosen, rank = [], 0
    for j, t in enumerate(fam.tangents):   # a maximal independent subset of the moves' tangents
        T = flint.fmpq_mat([[fq(x) for x in fam.tangents[i]] for i in chosen + [j]])
        if T.rank() > rank and all(v == 0 for v in (H * flint.fmpq_mat([[fq(x)] for x in t])).entries()):
            chosen, rank = chosen + [j], rank + 1
    if rank != nullity:
        return None
    fam = _build(problem, point, [moves[j] for j in chosen], k)
    return fam if _critical_identically(problem, fam) else None


__all__ = ["Family", "critical_family"]
