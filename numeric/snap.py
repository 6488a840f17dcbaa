"""Float critical point → nearby rationals: the snapping strategies of :func:`numeric.bridge.rationalise`.

* :func:`snap_all` — every coordinate already is a small-denominator rational (to 1e-11 relative): take them.
* :func:`layer_snap` — block by block in canonical order (W_1, W_2, …; two-layer: W then U): snap a whole block
  to small-denominator rationals, repair the LATER blocks by Gauss–Newton on the full system ∇L(θ) = 0, go on;
  the last block is solved EXACTLY when, with the others fixed, L is quadratic in it (deep linear: W_H;
  two-layer: U when trained): its gradient equations H_ll θ_l + b = 0 are then linear, and they are solved in
  Fractions (free unknowns of a singular system set to rationals near their floats). E.g. for W_2 W_1 = Y with
  W_1 snapped, W_2 (A Aᵀ) = Y Aᵀ, A = W_1 X. Quadratic is not assumed: the affine model g(θ_l) = M θ_l + b
  is compared exactly with g at further points (:func:`solve_last_block`); where L is not quadratic in θ_l
  (two-layer with U fixed and σ(t) = t³ − 3t: the last block is W) nothing is solved. A solved point farther
  than ``reach`` from the float candidate is rejected: it is another critical point, not this one.
* :func:`coordinate_snap` — one coordinate at a time: move it to a nearby rational (by at most ``move_tol``)
  and repair the remaining free coordinates; e.g. w₁w₂w₃ = 1 → (1, 9/10, …).

None of these proves anything: :func:`numeric.export.exact_criticality` decides afterwards whether the point
they return is exactly critical.

>>> [str(near_rational(0.3333333333333, 1024, 1e-11)), near_rational(0.31830988618, 1024, 1e-11)]
['1/3', None]
"""

from __future__ import annotations

from fractions import Fraction

import torch

from verify.problems import Problem

from .dual import activation_pattern, dual_value_and_grad
from .hessian import hessians
from .losses import BatchedLoss, value_and_grad

LADDER = (1, 2, 3, 4, 5, 8, 10, 16, 20, 32, 64, 100, 128, 256, 1000, 1024)
LAST_BLOCK_MAX_PARAMS = 256
"""Largest last block solved exactly (k + 3 exact gradient passes of k tangents each)."""


def _grad(loss: BatchedLoss, x: torch.Tensor) -> torch.Tensor:
    return value_and_grad(loss, x[None])[1][0]


def repair(loss: BatchedLoss, x: torch.Tensor, free: torch.Tensor, iters: int = 40, tol: float = 1e-13):
    """Gauss–Newton on ∇L(θ) = 0 over the free coordinates (Jacobian: the Hessian's free columns, minimum-norm
    steps); returns (θ, ‖∇L‖∞). A step is kept only if ‖∇L‖∞ falls."""
    x = x.clone()
    g = _grad(loss, x)
    for _ in range(iters):
        gn = float(g.abs().max())
        if gn <= tol or not bool(free.any()):
            break
        J = hessians(loss, x[None])[0][:, free]
        step = torch.linalg.lstsq(J, -g[:, None], rcond=None, driver="gelsd").solution[:, 0]
        x2 = x.clone()
        x2[free] += step
        g2 = _grad(loss, x2)
        if not bool(torch.isfinite(g2).all()) or float(g2.abs().max()) >= gn:
            break
        x, g = x2, g2
    return x, float(g.abs().max())


def near_rational(v: float, max_den: int, rtol: float) -> Fraction | None:
    """The rational with the smallest denominator in LADDER (≤ max_den) within rtol·(1 + |v|) of v, if any."""
    for D in LADDER:
        if D > max_den:
            break
        r = Fraction(v).limit_denominator(D)
        if abs(float(r) - v) <= rtol * (1 + abs(v)):
            return r
    return None


def snap_all(x: torch.Tensor) -> list[Fraction] | None:
    """Every coordinate as a small-denominator rational within 1e-11 relative, or None if one is not."""
    out = [near_rational(v, 1024, 1e-11) for v in x.tolist()]  # a random float passes with probability ~1e-5
    return None if any(r is None for r in out) else out


def blocks(problem: Problem) -> list[list[int]]:
    """The parameter indices of each weight matrix, in canonical order."""
    out, k = [], 0
    for _, r, c in problem.param_shapes():
        out.append(list(range(k, k + r * c)))
        k += r * c
    return out


def layer_snap(problem: Problem, loss: BatchedLoss, x: torch.Tensor, x0: torch.Tensor, *, move_tol: float,
               reach: float) -> list[Fraction] | None:
    """Snap the blocks one by one and solve the last exactly (module docstring); None when a step fails."""
    if not (problem.polynomial or problem.piecewise_polynomial):
        return None
    bl = blocks(problem)
    if len(bl[-1]) > LAST_BLOCK_MAX_PARAMS:
        return None
    n = x.numel()
    x = x.clone()
    fixed: list[Fraction] = []
    for b, blk in enumerate(bl[:-1]):
        later = torch.zeros(n, dtype=torch.bool)
        later[bl[b + 1][0]:] = True
        vals = [float(x[i]) for i in blk]
        for D in LADDER:
            snapped = [Fraction(v).limit_denominator(D) for v in vals]
            if any(abs(float(r) - v) > move_tol * (1 + abs(v)) for r, v in zip(snapped, vals)):
                continue
            trial = x.clone()
            trial[blk] = torch.tensor([float(r) for r in snapped], dtype=x.dtype)
            trial, gn = repair(loss, trial, later)
            if gn <= 1e-12 and float((trial - x0).abs().max()) <= reach:
                x = trial
                fixed += snapped
                break
        else:
            return None
    last = solve_last_block(problem, fixed, [float(x[i]) for i in bl[-1]])
    if last is None:
        return None
    q = fixed + last
    if max((abs(float(a) - b) for a, b in zip(q, x0.tolist())), default=0.0) > reach:
        return None   # exactly critical, perhaps, but a different critical point
    return q


def solve_last_block(problem: Problem, fixed: list[Fraction], guess: list[float]) -> list[Fraction] | None:
    """θ_l with ∂L/∂θ_l = 0 exactly, the earlier blocks ``fixed``, when L is quadratic in θ_l.

    The affine model g(θ_l) = M θ_l + b of the block gradient, b = g(0), M e_j = g(e_j) − b (exact dual passes),
    is first compared in Fractions with g at two generic rational points: the rounded ``guess`` and
    (1/3, 2/5, 3/7, …). Second differences along e_j would not suffice: for L(w) = ½(w³ − 3w − 3)²,
    g(w) = 3w⁵ − 12w³ − 9w² + 9w + 9 has g(2) − 2g(1) + g(0) = 0, yet g(1/3) ≠ M/3 + b. A mismatch (L not
    quadratic in θ_l) gives None: nothing is solved. This is a test, not a proof that L is quadratic; the
    solution is checked exactly critical afterwards (:func:`numeric.export.exact_criticality`). Otherwise
    M θ_l = −b is solved in Fractions, free unknowns set near ``guess``. None also when the system is
    inconsistent or the pattern is at a kink."""
    k = len(guess)
    wrt = list(range(len(fixed), len(fixed) + k))
    zero = [Fraction(0)] * k
    mask, kink = activation_pattern(problem, fixed + zero)
    if kink:
        return None

    def g(t):
        return dual_value_and_grad(problem, fixed + t, Fraction, relu_mask=mask, wrt=wrt)[1]

    b = g(zero)
    cols = [[a - c for a, c in zip(g([Fraction(int(i == j)) for i in range(k)]), b)] for j in range(k)]
    M = [[cols[j][i] for j in range(k)] for i in range(k)]
    near = [Fraction(v).limit_denominator(1024) for v in guess]
    for t in (near, [Fraction(i + 1, 2 * i + 3) for i in range(k)]):
        model = [bi + sum((row[j] * t[j] for j in range(k) if t[j]), Fraction(0)) for row, bi in zip(M, b)]
        if g(t) != model:
            return None   # g is not affine in θ_l: L is not quadratic in the last block
    return solve_affine(M, [-v for v in b], near)


def solve_affine(M: list[list[Fraction]], rhs: list[Fraction], fallback: list[Fraction]) -> list[Fraction] | None:
    """A solution t of M t = rhs in Fractions (Gauss–Jordan), the non-pivot unknowns set to ``fallback``;
    None when the system is inconsistent.

    >>> solve_affine([[Fraction(1), Fraction(1)], [Fraction(2), Fraction(2)]], [Fraction(1), Fraction(2)],
    ...              [Fraction(0), Fraction(1, 4)])
    [Fraction(3, 4), Fraction(1, 4)]
    """
    rows = [list(r) + [v] for r, v in zip(M, rhs)]
    m, ncols = len(rows), len(fallback)
    pivots: list[int] = []
    r = 0
    for c in range(ncols):
        p = next((i for i in range(r, m) if rows[i][c] != 0), None)
        if p is None:
            continue
        rows[r], rows[p] = rows[p], rows[r]
        piv = rows[r][c]
        rows[r] = [v / piv for v in rows[r]]
        for i in range(m):
            if i != r and rows[i][c] != 0:
                f = rows[i][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r])]
        pivots.append(c)
        r += 1
        if r == m:
            break
    if any(rows[i][-1] != 0 for i in range(r, m)):
        return None
    t = list(fallback)
    free = [c for c in range(ncols) if c not in pivots]
    for i, c in enumerate(pivots):
        t[c] = rows[i][-1] - sum((rows[i][j] * t[j] for j in free), Fraction(0))
    return t


def coordinate_snap(loss: BatchedLoss, x: torch.Tensor, x0: torch.Tensor, *, move_tol: float, reach: float):
    """Snap coordinates one at a time, repairing the rest (module docstring). Returns (fixed, θ, moved):
    ``fixed`` maps snapped indices to their rationals, θ is the repaired float point, ``moved`` how many were
    moved by more than 1e-11."""
    n = x.numel()
    fixed: dict[int, Fraction] = {}
    moved = 0
    x = x.clone()
    while len(fixed) < n:
        free_idx = [i for i in range(n) if i not in fixed]
        snapped = False
        for i in free_idx:
            r = near_rational(float(x[i]), 1024, 1e-11)
            if r is not None:
                fixed[i], x[i], snapped = r, float(r), True
        if snapped:
            x, _ = repair(loss, x, torch.tensor([i not in fixed for i in range(n)]))
            continue
        for i in sorted(free_idx, key=lambda i: abs(float(x[i]))):
            r = near_rational(float(x[i]), 1024, move_tol)
            if r is None:
                continue
            trial = x.clone()
            trial[i] = float(r)
            trial, gn = repair(loss, trial, torch.tensor([j not in fixed and j != i for j in range(n)]))
            if gn <= 1e-12 and float((trial - x0).abs().max()) <= reach:
                fixed[i], x, snapped = r, trial, True
                moved += 1
                break
        if not snapped:
            break
    return fixed, x, moved
