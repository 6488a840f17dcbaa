"""Polynomial systems for whole-instance claims: ∇L, ∇²L, principal minors, symmetry slices.

The loss of a deep linear or polynomial net is a polynomial L(θ) ∈ Q[θ]; its gradient
and Hessian are polynomial too (python-flint ``fmpq_mpoly``). Claims about ALL critical points become
existential sentences over the reals, e.g. ∃θ: ∇L(θ) = 0 ∧ ∇²L(θ) ⪰ 0 ∧ L(θ) > L*.

**Symmetry slices** (a linear hidden layer l — identity activation, no bias, W_l and W_{l+1} trained and not
regularised —, the first the kind declares in :meth:`~verify.problems.Problem.hidden_layers`; e.g. the first hidden
layer of an unregularised deep linear net): (W_l, W_{l+1}) ↦ (G W_l, W_{l+1} G⁻¹), G ∈ GL(d_l), is linear in θ
and preserves L, criticality and Hessian inertia (the Hessian transforms by a congruence). So ∃θ. φ(θ) holds iff
it holds on one representative per orbit. We cover all W_l (d_l × d_{l−1}) by: reduced row echelon forms of full
row rank (one slice per pivot set; only when d_l ≤ d_{l−1}), and the slice "last row of W_l is zero" (every W_l
of rank < d_l is G-equivalent to one). A regulariser on W_l or W_{l+1} breaks the symmetry: no slice there.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import flint

from verify.errors import InputError
from verify.exact.loss import loss_in_ring
from verify.problems import Problem


@dataclass
class Slice:
    """θ = S(y): every original parameter as a polynomial in the slice's free variables y."""

    name: str
    subs: list  # fmpq_mpoly in the slice context, one per original parameter
    ctx: object
    free: list  # names of y, same order as ctx generators


def check_polynomial(problem: Problem, what: str = "whole-instance exact claims") -> None:
    """Raise an :class:`InputError` naming the field unless L is a polynomial in θ (the kind's capability)."""
    if problem.polynomial:
        return
    if problem.piecewise_polynomial:
        raise InputError("activation", f"{what} need a polynomial loss; a relu activation is piecewise polynomial "
                         "(use a polynomial activation {poly = [...]} or the numeric backend)")
    raise InputError("kind", f"{problem.kind!r}: the loss is not a polynomial; {what} do not apply "
                     "(use the numeric backend)")


def loss_poly(problem: Problem, ctx=None):
    """L as an fmpq_mpoly in the canonical parameters (context ``ctx`` or a fresh one)."""
    check_polynomial(problem)
    if ctx is None:
        ctx = flint.fmpq_mpoly_ctx.get(problem.param_names())
    return loss_in_ring(problem, list(ctx.gens())), ctx


def identity_slice(problem: Problem, ctx) -> Slice:
    return Slice("all", list(ctx.gens()), ctx, problem.param_names())


def _gl_layer(problem: Problem) -> tuple[int, int, int] | None:
    """(offset of W_l in θ, d_l, d_{l−1}) for the first hidden layer whose GL(d_l) preserves L (module docstring)."""
    offsets, k = {}, 0
    for name, r, c in problem.param_shapes():
        offsets[name] = (k, r, c)
        k += r * c
    lam = problem.param_reg()
    for layer in problem.hidden_layers():
        if not (layer.linear and len(layer.incoming) == 1 and layer.outgoing):
            continue
        blocks = [offsets[b] for b in layer.incoming + layer.outgoing]
        if all(lam[i] == 0 for k0, r, c in blocks for i in range(k0, k0 + r * c)):
            return offsets[layer.incoming[0]]
    return None


def symmetry_slices(problem: Problem, ctx) -> list[Slice]:
    """Orbit representatives of the GL(d_l) action on a linear hidden layer (see the module docstring)."""
    gl = _gl_layer(problem)
    if gl is None:
        return [identity_slice(problem, ctx)]
    k0, d1, d0 = gl
    names = problem.param_names()
    n1 = d0 * d1
    slices = []
    patterns = []
    if d1 <= d0:
        for pivots in itertools.combinations(range(d0), d1):
            entry = {}
            for i, p in enumerate(pivots):
                for j in range(d0):
                    if j == p:
                        entry[(i, j)] = 1
                    elif j < p or j in pivots:
                        entry[(i, j)] = 0
                    else:
                        entry[(i, j)] = None  # free
            patterns.append((f"rank {d1}, pivots {pivots}", entry))
    # rank < d1: after G the last row of W_l is zero; if d1 > d0 rank ≤ d0 < d1 anyway, zero rows d0..d1-1
    zero_from = d1 - 1 if d1 <= d0 else d0
    entry = {(i, j): (0 if i >= zero_from else None) for i in range(d1) for j in range(d0)}
    patterns.append((f"rank < {d1}" if d1 <= d0 else f"rank ≤ {d0}", entry))
    for label, entry in patterns:
        free = names[:k0] + [names[k0 + i * d0 + j] for i in range(d1) for j in range(d0) if entry[(i, j)] is None] \
            + names[k0 + n1:]
        sctx = flint.fmpq_mpoly_ctx.get(free) if free else flint.fmpq_mpoly_ctx.get(("unused", 1))
        gens = dict(zip(free, sctx.gens())) if free else {}
        subs = []
        for k, name in enumerate(names):
            if k0 <= k < k0 + n1:
                value = entry[((k - k0) // d0, (k - k0) % d0)]
                subs.append(gens[name] if value is None else sctx.from_dict({(0,) * sctx.nvars(): value}
                                                                          if value else {}))
            else:
                subs.append(gens[name])
        slices.append(Slice(label, subs, sctx, free))
    return slices


def restrict(P, sl: Slice):
    """P(S(y)) in the slice context."""
    return P.compose(*sl.subs, ctx=sl.ctx)


def gradient_hessian(L, n: int):
    grad = [L.derivative(i) for i in range(n)]
    H = [[None] * n for _ in range(n)]
    for i in range(n):
        for j in range(i, n):
            H[i][j] = H[j][i] = grad[i].derivative(j)
    return grad, H


def principal_minors(H, max_order: int | None = None) -> list:
    """All principal minors det H[S, S] (|S| ≤ max_order), by memoised Laplace expansion."""
    n = len(H)
    memo: dict = {}

    def det(rows: tuple, cols: tuple):
        if len(rows) == 1:
            return H[rows[0]][cols[0]]
        key = (rows, cols)
        if key in memo:
            return memo[key]
        r0, rest = rows[0], rows[1:]
        total = None
        for k, c in enumerate(cols):
            a = H[r0][c]
            if a.is_zero():
                continue
            term = a * det(rest, cols[:k] + cols[k + 1:])
            total = term if total is None else (total - term if k % 2 else total + term)
        if total is None:
            total = H[r0][cols[0]] * 0
        memo[key] = total
        return total

    out = []
    top = n if max_order is None else min(n, max_order)
    for size in range(1, top + 1):
        for S in itertools.combinations(range(n), size):
            out.append(det(S, S))
    return out


def apply_slice_to_point(sl: Slice, values: dict) -> list:
    """The original parameter vector for slice variables given as {name: fmpq}."""
    args = [values.get(name, flint.fmpq(0)) for name in sl.free] if sl.free else [flint.fmpq(0)]
    return [flint.fmpq(s(*args)) for s in sl.subs]
