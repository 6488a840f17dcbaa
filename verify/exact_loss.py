"""The loss written once, over any commutative ring: exact values, polynomials, curves.

:func:`loss_in_ring` evaluates L at parameters that may be python-flint ``fmpq`` (a number),
``fmpq_mpoly`` (the loss as a polynomial in the parameters), ``fmpq_poly`` (the loss along a
polynomial curve θ(t)), or sympy expressions (the symbolic form, :func:`symbolic_loss`). Only
``+``, ``−``, ``×`` are used, so the same code serves every exact purpose.

For ``activation = "relu"`` the loss is piecewise polynomial; :func:`relu_pattern` gives the
activation pattern 1[(W X)_ij > 0] at a point where no pre-activation is zero, and the loss on the
open cell around that point is the polynomial with σ(t) = t on active entries and 0 elsewhere.
The relu-teacher loss involves arccos and is not a polynomial (handled by ball arithmetic, later).
"""

from __future__ import annotations

from fractions import Fraction

import flint

from .errors import InputError
from .problem import DeepLinear, Problem, TwoLayer


def fq(x) -> flint.fmpq:
    """An exact rational (Fraction, int or fmpq) as python-flint ``fmpq``."""
    if isinstance(x, flint.fmpq):
        return x
    x = Fraction(x)
    return flint.fmpq(x.numerator, x.denominator)


def _matmul(A, B, zero):
    return [[sum((A[i][k] * B[k][j] for k in range(len(B))), zero) for j in range(len(B[0]))]
            for i in range(len(A))]


def _const(m, conv):
    return [[conv(x) for x in row] for row in m]


def _reg_term(reg, mats, conv, zero):
    total = zero
    for idx, W in enumerate(mats):
        for i, row in enumerate(W):
            for j, w in enumerate(row):
                lam = reg if isinstance(reg, Fraction) else reg[idx][i][j]
                if lam != 0:
                    total = total + conv(lam) * w * w
    return total


def relu_pattern(problem: TwoLayer, point) -> tuple[tuple[bool, ...], ...] | None:
    """Activation pattern 1[(W X)_ij > 0] at ``point``, or None when some (W X)_ij = 0 (a kink)."""
    W = problem.unflatten(point)["W"]
    Z = _matmul(W, [list(r) for r in problem.X], Fraction(0))
    if any(z == 0 for row in Z for z in row):
        return None
    return tuple(tuple(z > 0 for z in row) for row in Z)


def loss_in_ring(problem: Problem, params, conv=fq, zero=None, relu_mask=None):
    """L(θ) for θ = ``params`` (canonical order), each entry an element of one commutative ring.

    ``conv`` maps an exact data Fraction into the ring; ``zero`` is the ring's zero.
    Deep linear: ½‖W_H⋯W_1 X − Y‖²_F + ½Σ⟨Λ_i, W_i∘W_i⟩. Two-layer: ½‖U σ(W X) − Y‖²_F + reg.
    """
    if zero is None:
        zero = conv(Fraction(0))
    half = conv(Fraction(1, 2))
    mats = problem.unflatten(list(params))
    if isinstance(problem, DeepLinear):
        Z = _const(problem.X, conv)
        Ws = [mats[f"W{i}"] for i in range(1, problem.depth + 1)]
        for W in Ws:
            Z = _matmul(W, Z, zero)
        R = [[z - conv(y) for z, y in zip(zr, yr)] for zr, yr in zip(Z, problem.Y)]
        fit = sum((r * r for row in R for r in row), zero)
        return half * (fit + _reg_term(problem.reg, Ws, conv, zero))
    if isinstance(problem, TwoLayer):
        W = mats["W"]
        Z = _matmul(W, _const(problem.X, conv), zero)
        if problem.is_relu:
            if relu_mask is None:
                raise InputError("activation", "relu loss needs an activation pattern (a point off the kinks)")
            S = [[z if on else zero for z, on in zip(zr, mr)] for zr, mr in zip(Z, relu_mask)]
        else:
            coeffs = [conv(c) for c in problem.activation]
            S = [[_horner(coeffs, z, zero) for z in zr] for zr in Z]
        U = mats["U"] if problem.train_output else _const(problem.output, conv)
        out = _matmul(U, S, zero)
        R = [[o - conv(y) for o, y in zip(orow, yr)] for orow, yr in zip(out, problem.Y)]
        fit = sum((r * r for row in R for r in row), zero)
        regd = [W, mats["U"]] if problem.train_output else [W]
        return half * (fit + _reg_term(problem.reg, regd, conv, zero))
    raise InputError("kind", f"{problem.kind!r}: the loss is not a polynomial (arccos kernel); "
                     "exact polynomial evaluation does not apply")


def _horner(coeffs, z, zero):
    acc = zero
    for c in reversed(coeffs):
        acc = acc * z + c
    return acc


def loss_value(problem: Problem, point, relu_mask=None) -> Fraction:
    """Exact L(θ) at a rational point."""
    v = loss_in_ring(problem, [fq(x) for x in point], relu_mask=relu_mask)
    return Fraction(int(v.p), int(v.q))


def symbolic_loss(problem: Problem, names=None, relu_mask=None):
    """The loss as a sympy expression in the parameter symbols (canonical order), for display and cross-checks."""
    import sympy

    if names is None:
        names = []
        for name, r, c in problem.param_shapes():
            names += [f"{name}_{i + 1}{j + 1}" if r * c < 100 else f"{name}_{i + 1}_{j + 1}"
                      for i in range(r) for j in range(c)]
    syms = sympy.symbols(names, real=True) if names else []
    syms = list(syms) if isinstance(syms, (list, tuple)) else [syms]
    expr = loss_in_ring(problem, syms, conv=lambda x: sympy.Rational(x.numerator, x.denominator),
                        zero=sympy.Integer(0), relu_mask=relu_mask)
    return sympy.expand(expr), syms
