"""L(θ) and ∇L(θ) in mpmath multiple precision, for refining and checking candidates before they are exported.

For every kind with a ring loss (polynomial, or piecewise polynomial on a ReLU cell) the gradient is generic:
forward-mode dual numbers over ``mpf`` (:mod:`numeric.dual`) pushed through ``problem.ring_loss`` — the same
loss the exact layer uses, so a new polynomial kind needs nothing here. For ReLU the cell is read at θ with
relu′(0) = 0, as torch has it.

Of the losses that are not a ring expression, the one with a capability of its own
(:attr:`verify.problems.Problem.arccos_teacher`) is evaluated here: the relu-teacher (Safran & Shamir 2018)
population loss through the arc-cosine kernel k(w, v) = ‖w‖‖v‖(sin θ + (π − θ) cos θ)/(2π):
∂k(w, v)/∂w = (‖v‖ sin θ · w/‖w‖ + (π − θ) v)/(2π), ∂k(w, w)/∂w = w (so ∂/∂w_i of ½k(w_i, w_i) is w_i/2;
each pair i ≠ j appears twice in ½Σ_ij).

This is a floating-point computation at ``digits`` decimal digits: a tiny residual is evidence that a
rational point is exactly critical, never a proof (:func:`numeric.export.exact_criticality` decides that).

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> L, g = loss_and_grad(DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(2),),)), [F(1), F(3)])
>>> float(L), [float(v) for v in g]
(0.5, [3.0, 1.0])
"""

from __future__ import annotations

from fractions import Fraction

import mpmath

from verify.errors import InputError
from verify.problems import Problem

from .dual import activation_pattern, dual_value_and_grad, ring_special


def _mp(x):
    x = Fraction(x)
    return mpmath.mpf(x.numerator) / x.denominator


def _arccos_teacher(problem, x: list) -> tuple:
    """(F(W), ∇F(W)) of the Safran–Shamir population loss (module docstring), in the current mpmath precision."""
    W = problem.unflatten(x)["W"]
    V = [[_mp(v) for v in row] for row in problem.teacher]
    two_pi = 2 * mpmath.pi

    def k_and_grad(w, v):
        nw, nv = mpmath.norm(w), mpmath.norm(v)
        if nw == 0 or nv == 0:
            return mpmath.mpf(0), [mpmath.mpf(0)] * len(w)
        c = max(-1, min(1, mpmath.fsum(a * b for a, b in zip(w, v)) / (nw * nv)))
        th = mpmath.acos(c)
        k = nw * nv * (mpmath.sin(th) + (mpmath.pi - th) * c) / two_pi
        g = [(nv * mpmath.sin(th) * a / nw + (mpmath.pi - th) * b) / two_pi for a, b in zip(w, v)]
        return k, g

    L = mpmath.mpf(0)
    grad = []
    for i, w in enumerate(W):
        gi = [a / 2 for a in w]                        # ∂/∂w_i of ½ k(w_i, w_i) = ‖w_i‖²/4
        L += mpmath.fsum(a * a for a in w) / 4
        for j, u in enumerate(W):
            if j != i:
                k, g = k_and_grad(w, u)
                L += k / 2
                gi = [a + b for a, b in zip(gi, g)]
        for v in V:
            k, g = k_and_grad(w, v)
            L -= k
            gi = [a - b for a, b in zip(gi, g)]
        grad += gi
    for i, v in enumerate(V):
        L += mpmath.fsum(a * a for a in v) / 4
        for j, u in enumerate(V):
            if j != i:
                L += k_and_grad(v, u)[0] / 2
    return +L, grad


def loss_and_grad(problem: Problem, point, digits: int = 60) -> tuple[mpmath.mpf, list]:
    """(L(θ), ∇L(θ)) at ``digits`` significant digits; ``point`` holds Fractions, ints, floats or mpf."""
    with mpmath.workdps(digits):
        x = [mpmath.mpf(v) if isinstance(v, (float, mpmath.mpf)) else _mp(v) for v in point]
        if problem.arccos_teacher:
            return _arccos_teacher(problem, x)
        if not (problem.polynomial or problem.piecewise_polynomial or problem.transcendental):
            raise InputError("problem", f"{problem.describe()}: no ring loss and not the arc-cosine teacher loss: no "
                             "multiple-precision gradient")
        mask, _ = activation_pattern(problem, x)       # at a kink: relu′(0) = 0
        special = ring_special(mpmath) if problem.transcendental else None
        L, g = dual_value_and_grad(problem, x, _mp, relu_mask=mask, special=special)
        return +L, [+v for v in g]
