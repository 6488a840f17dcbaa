"""The ReLU teacher–student loss (Safran & Shamir 2018) in python-flint ``arb`` balls: gradient, Hessian, Newton.

F(W) = ½ Σ_{i,j} k(w_i, w_j) − Σ_{i,j} k(w_i, v_j) + ½ Σ_{i,j} k(v_i, v_j), k(u, w) = ‖u‖‖w‖(sin θ + (π − θ) cos θ)/(2π)
the arc-cosine kernel (:class:`verify.problems.ReluTeacher`). Its gradient (Brutzkus & Globerson 2017; Safran &
Shamir 2018, eq. (3)) is, row by row,

    ∇_{w_i} F = a_i w_i + (1/2π) [Σ_{j≠i} (π − θ_ij) w_j − Σ_j (π − θ′_ij) v_j],
    a_i = ½ + (Σ_{j≠i} ‖w_j‖ sin θ_ij − Σ_j ‖v_j‖ sin θ′_ij) / (2π ‖w_i‖),

θ_ij the angle between w_i and w_j, θ′_ij between w_i and v_j. With m = (w_1, …, w_k, v_1, …, v_t), s_b = +1 for a
student and −1 for a teacher row and q_ib = m̂_b − cos θ_ib ŵ_i (‖q_ib‖ = sin θ_ib), its Hessian has the blocks

    ∂²F/∂w_i² = I/2 + Σ_{b≠i} s_b ‖m_b‖/(2π‖w_i‖) (sin θ_ib (I − ŵ_i ŵ_iᵀ) + q_ib q_ibᵀ/sin θ_ib),
    ∂²F/∂w_i∂w_a = ((π − θ_ia) I + sin θ_ia ŵ_i ŵ_aᵀ + q_ia q_aiᵀ/sin θ_ia)/(2π)    (a ≠ i).

The torch search evaluates the same closed forms in float64 (:mod:`numeric.teacher`); the two are tied by
tests/conformance/test_teacher_sides.py. Here:

* :func:`gradient_ball` — ∇F in balls at the current precision (raises where two neurons are parallel);
* :func:`loss_float`, :func:`hessian_float` — F and ∇²F evaluated in 128-bit balls, returned as float64 midpoints
  (where a neuron is parallel to another ∇²F does not exist: the matrix holds NaN or ∞);
* :func:`refine` — Newton's iteration at 256 bits on :func:`gradient_ball`, the float64 Hessian as the iteration
  matrix (each step gains ~12 digits);
* :func:`box_radius` — the radius of a ``spurious-isolated-min`` box around a refined minimum.

A failed refinement means only that Newton did not converge from this point — not that no critical point is near.

>>> from verify.problems import ReluTeacher, default_teacher
>>> P = ReluTeacher(k=2, n=2, teacher=default_teacher(2, 2))
>>> loss_float(P, [1, 0, 0, 1])   # F(V) = 0
0.0
"""

from __future__ import annotations

import math
from fractions import Fraction

import flint
import numpy as np

from verify.exact.ball.balls import arb_of
from verify.problems import Problem

BITS = 256
FLOAT_BITS = 128
"""Precision of :func:`loss_float` and :func:`hessian_float` (their float64 results are rounded midpoints)."""


def _arb(x) -> flint.arb:
    return x if isinstance(x, flint.arb) else arb_of(Fraction(x))


def _exact(x: flint.arb) -> Fraction:
    """The midpoint of an arb ball as an exact Fraction."""
    m, e = x.mid().man_exp()
    m, e = int(m), int(e)
    return Fraction(m * 2 ** e) if e >= 0 else Fraction(m, 2 ** -e)


def _rows(problem: Problem, w) -> tuple[list, list]:
    """The rows m_b = (w_1, …, w_k, v_1, …, v_t) as lists of balls, and their signs s_b."""
    k, n = problem.k, problem.n
    x = [_arb(v) for v in w]
    rows = [x[i * n:(i + 1) * n] for i in range(k)] + [[_arb(v) for v in row] for row in problem.teacher]
    return rows, [1] * k + [-1] * len(problem.teacher)


def _dot(u, v) -> flint.arb:
    return sum((a * b for a, b in zip(u, v)), flint.arb(0))


def _angle(u, v):
    """(cos θ, q = v − cos θ·u, sin θ = ‖q‖, θ) for unit vectors u, v; cos θ clamped to [−1, 1]."""
    c = _dot(u, v).min(flint.arb(1)).max(flint.arb(-1))
    q = [b - c * a for a, b in zip(u, v)]
    s = _dot(q, q).nonnegative_part().sqrt()
    return c, q, s, flint.arb.atan2(s, c)


def loss_float(problem: Problem, w) -> float:
    """F(W) (module docstring) for a flat W (canonical order: W row-major; Fractions, floats or balls), as a float."""
    with flint.ctx.workprec(FLOAT_BITS):
        rows, sign = _rows(problem, w)
        norms = [_dot(r, r).sqrt() for r in rows]
        F = flint.arb(0)
        for a, ra in enumerate(rows):
            F += norms[a] * norms[a] / 4            # ½ k(m_a, m_a) = ‖m_a‖²/4
            ua = [x / norms[a] for x in ra]
            for b in range(a + 1, len(rows)):       # ½ (k(m_a, m_b) + k(m_b, m_a))
                c, _, s, th = _angle(ua, [x / norms[b] for x in rows[b]])
                F += sign[a] * sign[b] * norms[a] * norms[b] * (s + (flint.arb.pi() - th) * c) / (2 * flint.arb.pi())
        return float(F.mid())


def hessian_float(problem: Problem, w) -> np.ndarray:
    """∇²F at a flat W (module docstring) as a float64 matrix, rows of W flattened row-major; NaN or ∞ entries where
    a neuron is 0 or parallel to another (F is not twice differentiable there)."""
    k, n = problem.k, problem.n
    H = np.empty((k * n, k * n))
    with flint.ctx.workprec(FLOAT_BITS):
        rows, sign = _rows(problem, w)
        norms = [_dot(r, r).sqrt() for r in rows]
        units = [[x / nr for x in r] for r, nr in zip(rows, norms)]
        two_pi, eye = 2 * flint.arb.pi(), flint.arb_mat(n, n)
        for j in range(n):
            eye[j, j] = 1
        col = [flint.arb_mat(n, 1, u) for u in units]
        for i in range(k):
            ui = col[i]
            proj = eye - ui * ui.transpose()
            D = eye / 2
            for b in range(len(rows)):
                if b == i:
                    continue
                c, q, s, th = _angle(units[i], units[b])
                qb = flint.arb_mat(n, 1, q)
                D += (sign[b] * norms[b] / (two_pi * norms[i])) * (s * proj + (qb * qb.transpose()) / s)
                if b < k:                           # an off-diagonal block ∂²F/∂w_i∂w_b
                    qa = flint.arb_mat(n, 1, _angle(units[b], units[i])[1])
                    B = ((flint.arb.pi() - th) * eye + s * (ui * col[b].transpose()) + (qb * qa.transpose()) / s)
                    _put(H, i, b, B / two_pi, n)
            _put(H, i, i, D, n)
    return H


def _put(H: np.ndarray, i: int, a: int, block: flint.arb_mat, n: int) -> None:
    H[i * n:(i + 1) * n, a * n:(a + 1) * n] = [[float(block[r, c].mid()) for c in range(n)] for r in range(n)]


def gradient_ball(problem: Problem, w) -> list:
    """∇F(W) in arb balls at the current precision (the closed form of the module docstring); w: flat, any of
    Fraction / float / arb. Raises ValueError where a norm is 0 or two neurons are parallel."""
    k, n = problem.k, problem.n
    Wm = flint.arb_mat(k, n, [_arb(x) for x in w])
    Vm = flint.arb_mat(len(problem.teacher), n, [_arb(x) for row in problem.teacher for x in row])
    pi, m = flint.arb.pi(), Vm.nrows()
    G, C, Gv = Wm * Wm.transpose(), Wm * Vm.transpose(), Vm * Vm.transpose()
    nw = [G[i, i].sqrt() for i in range(k)]
    nv = [Gv[j, j].sqrt() for j in range(m)]
    A, B, a = flint.arb_mat(k, k), flint.arb_mat(k, m), []
    for i in range(k):
        s = flint.arb(0)
        for j in range(k):
            if j != i:
                c = G[i, j] / (nw[i] * nw[j])
                if not (c < 1 and c > -1):
                    raise ValueError(f"neurons {i} and {j} are parallel")
                A[i, j] = pi - c.acos()
                s += nw[j] * (1 - c * c).sqrt()
        for j in range(m):
            c = C[i, j] / (nw[i] * nv[j])
            if not (c < 1 and c > -1):
                raise ValueError(f"neuron {i} is parallel to teacher neuron {j}")
            B[i, j] = pi - c.acos()
            s -= nv[j] * (1 - c * c).sqrt()
        a.append(flint.arb(1) / 2 + s / (2 * pi * nw[i]))
    D = flint.arb_mat(k, k)
    for i in range(k):
        D[i, i] = a[i]
    g = D * Wm + (A * Wm - B * Vm) / (2 * pi)
    return [g[i, j] for i in range(k) for j in range(n)]


def refine(problem: Problem, w, target_bits: int = 160, steps: int = 12, hessian=None) -> tuple[list | None, str]:
    """Newton's iteration x ← x − H⁻¹∇F(x) with ∇F in 256-bit balls and H the float64 Hessian at ``w``
    (``hessian(problem, w)``, default :func:`hessian_float`); returns (x as exact Fractions, "") once
    max |∇F(x)| < 2^−target_bits, or (None, why)."""
    H = (hessian or hessian_float)(problem, w)
    if not np.all(np.isfinite(H)):
        return None, "the float64 Hessian is not finite at the point (a neuron at 0 or parallel to another)"
    with flint.ctx.workprec(BITS):
        x = [_arb(float(v)) for v in w]
        tol = flint.arb(2) ** -target_bits
        for _ in range(steps):
            try:
                g = gradient_ball(problem, x)
            except ValueError as e:
                return None, str(e)
            if all(abs(v) < tol for v in g):
                return [_exact(v) for v in x], ""
            try:
                d = np.linalg.solve(H, [float(v.mid()) for v in g])
            except np.linalg.LinAlgError:
                return None, "the float64 Hessian is singular at the point"
            if not np.all(np.isfinite(d)) or np.abs(d).max() > 1e-2:
                return None, f"Newton's step grew to {np.abs(d).max():.3g}: no critical point near the point"
            x = [(xi - _arb(float(di))).mid() for xi, di in zip(x, d)]
    return None, f"Newton did not reach |∇F| < 2^-{target_bits} in {steps} steps"


def box_radius(problem: Problem, H: np.ndarray, c, lam_min: float) -> Fraction:
    """r = 2^−ρ, ρ the smallest integer with r ≤ λ_min(H) / (2048 ‖H‖_∞ · k) (``lam_min`` = λ_min(H)) and r ≤ 1/64
    of every distance from a student neuron to the line of another student or teacher neuron (a float estimate;
    the kernel decides).
    Calibrated on the minima of k = n = 6 … 12: the kernel's box test first passes at ρ = 19 or 20 there; this
    rule gives ρ ≈ 22, so the box is within a factor ~8 of the largest one this certificate shape verifies."""
    k, n = problem.k, problem.n
    W = np.array([float(x) for x in c]).reshape(k, n)
    V = np.array([[float(x) for x in row] for row in problem.teacher])
    limit = lam_min / (2048 * np.abs(H).sum(1).max() * k)
    for U in (W, V):
        for i in range(k):
            for u in U:
                d = np.linalg.norm(W[i] - (W[i] @ u) / (u @ u) * u) if np.any(u != W[i]) else np.inf
                limit = min(limit, d / 64)
    return Fraction(1, 2 ** max(8, math.ceil(-math.log2(limit))))
