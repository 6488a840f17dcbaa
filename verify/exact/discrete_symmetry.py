"""Discrete symmetries of L as signed permutations of the parameters: hidden-unit sign flips and swaps.

A signed permutation g is a list of pairs (j_i, s_i), one per parameter i, with (gθ)_i = s_i·θ_{j_i} (s_i = ±1;
proofs/FORMAT.md's ``symmetries``). If L(gθ) ≡ L(θ) as polynomials then ∇L(gθ) = g∇L(θ) (g is orthogonal), so g
maps critical points to critical points of the same loss and the same Hessian inertia.

:func:`signed_symmetries` proposes, from the hidden layers the kind declares
(:meth:`verify.problems.Problem.hidden_layers`: unit i reads row i of every incoming block — W_l and b_l — and feeds
column i of every outgoing block, W_{l+1}), the moves that can be symmetries —

* unit i: negate its incoming rows, its outgoing columns, or both (an even activation, an odd one; the incoming
  flip alone also when the output layer is fixed);
* units i < j: swap their incoming rows and their outgoing columns —

and keeps exactly those with L(gθ) ≡ L(θ), checked here in python-flint ``fmpq_mpoly`` (a generic per-weight Λ
keeps the flips and breaks the swaps). :func:`group` closes a set of generators under composition.

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> m = lambda *rows: tuple(tuple(F(x) for x in row) for row in rows)
>>> signed_symmetries(DeepLinear(widths=(1, 1, 1), X=m((1,)), Y=m((2,)), reg=(m((1,)), m((3,)))))
[((0, -1), (1, -1))]
"""

from __future__ import annotations

import flint

from verify.exact.loss import loss_in_ring
from verify.problems import Problem

Signed = tuple[tuple[int, int], ...]

MAX_GROUP = 4096
"""Largest group :func:`group` enumerates (None beyond it)."""


def _offsets(problem: Problem) -> dict:
    out, k = {}, 0
    for name, r, c in problem.param_shapes():
        out[name] = (k, r, c)
        k += r * c
    return out


def _identity(n: int) -> list:
    return [(i, 1) for i in range(n)]


def _flip(g: list, block, row=None, col=None) -> None:
    k, r, c = block
    for a in range(r):
        for b in range(c):
            if a == row or b == col:
                j, s = g[k + a * c + b]
                g[k + a * c + b] = (j, -s)


def _swap(g: list, block, rows=None, cols=None) -> None:
    k, r, c = block
    idx = {}
    for a in range(r):
        for b in range(c):
            a2 = (rows[1] if a == rows[0] else rows[0] if a == rows[1] else a) if rows else a
            b2 = (cols[1] if b == cols[0] else cols[0] if b == cols[1] else b) if cols else b
            idx[k + a * c + b] = k + a2 * c + b2
    old = list(g)
    for i, j in idx.items():
        g[i] = old[j]


def _candidates(problem: Problem) -> list[Signed]:
    blocks, n = _offsets(problem), problem.n_params
    moves = []
    for layer in problem.hidden_layers():
        inc = [blocks[b] for b in layer.incoming]
        out = [blocks[b] for b in layer.outgoing]
        if not inc and not out:
            continue
        flips = [(inc, []), ([], out), (inc, out)] if inc and out else [(inc, out)] if inc or out else []
        for i in range(layer.width):
            for rows, cols in flips:
                g = _identity(n)
                for block in rows:
                    _flip(g, block, row=i)
                for block in cols:
                    _flip(g, block, col=i)
                moves.append(g)
            for j in range(i + 1, layer.width):
                g = _identity(n)
                for block in inc:
                    _swap(g, block, rows=(i, j))
                for block in out:
                    _swap(g, block, cols=(i, j))
                moves.append(g)
    return [tuple(g) for g in moves]


def preserves_loss(problem: Problem, g: Signed, loss=None, gens=None) -> bool:
    """L(gθ) ≡ L(θ) as polynomials over Q (exact)."""
    if gens is None:
        ctx = flint.fmpq_mpoly_ctx.get(("t", problem.n_params), "degrevlex")
        gens = ctx.gens()
    if loss is None:
        loss = loss_in_ring(problem, gens)
    return loss_in_ring(problem, [gens[j] * s for j, s in g]) == loss


def signed_symmetries(problem: Problem) -> list[Signed]:
    """The structural moves (module docstring) that preserve L exactly; none for a non-polynomial loss."""
    if not problem.polynomial:
        return []
    ctx = flint.fmpq_mpoly_ctx.get(("t", problem.n_params), "degrevlex")
    gens = ctx.gens()
    loss = loss_in_ring(problem, gens)
    return [g for g in _candidates(problem) if preserves_loss(problem, g, loss, gens)]


def compose(g: Signed, h: Signed) -> Signed:
    """g∘h: (g(hθ))_i = s_i·(hθ)_{j_i} = s_i·s'_{j_i}·θ_{j'_{j_i}}."""
    return tuple((h[j][0], s * h[j][1]) for j, s in g)


def apply(g: Signed, x) -> list:
    """gx for a vector of numbers (any type with unary minus)."""
    return [x[j] if s > 0 else -x[j] for j, s in g]


def group(generators, n: int, limit: int = MAX_GROUP) -> list[Signed] | None:
    """Every element of the group the generators generate (the identity first), or None above ``limit``."""
    e = tuple(_identity(n))
    seen, frontier = {e: None}, [e]
    while frontier:
        nxt = []
        for a in frontier:
            for g in generators:
                b = compose(g, a)
                if b not in seen:
                    seen[b] = None
                    nxt.append(b)
                    if len(seen) > limit:
                        return None
        frontier = nxt
    return list(seen)
