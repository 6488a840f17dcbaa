"""The loss written once (each kind's :meth:`~verify.problems.Problem.ring_loss`), evaluated over exact rings.

:func:`loss_in_ring` evaluates L at parameters that may be python-flint ``fmpq`` (a number),
``fmpq_mpoly`` (the loss as a polynomial in the parameters), ``fmpq_poly`` (the loss along a
polynomial curve θ(t)), or sympy expressions (the symbolic form, :func:`symbolic_loss`). Only
``+``, ``−``, ``×`` are used, so the same code serves every exact purpose.

With relu activations the loss is piecewise polynomial; :meth:`Problem.activation_pattern` gives the pattern
(1[(W X)_ij > 0] for a two-layer net) at a point where no pre-activation is zero, and the loss on the open cell
around that point is the polynomial with σ(t) = t on active entries and 0 (α·t for leaky relu) elsewhere.
The relu-teacher loss involves arccos and is not a polynomial (ball arithmetic).
"""

from __future__ import annotations

import numbers
from fractions import Fraction

import flint

from verify.errors import InputError
from verify.problems import Problem


def fq(x) -> flint.fmpq:
    """An exact rational (Fraction, int or fmpq) as python-flint ``fmpq``."""
    if isinstance(x, flint.fmpq):
        return x
    x = Fraction(x)
    return flint.fmpq(x.numerator, x.denominator)


def to_fraction(x) -> Fraction:
    """An exact rational (fmpq, fmpz, a sympy ``Rational``, Fraction or int) as a :class:`Fraction` — the one
    fmpq → Fraction (and sympy → Fraction)."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    if isinstance(x, numbers.Rational):   # sympy's Rational and Integer (python-flint's types are not registered)
        return Fraction(int(x.numerator), int(x.denominator))
    x = flint.fmpq(x)
    return Fraction(int(x.p), int(x.q))


def loss_in_ring(problem: Problem, params, conv=fq, zero=None, relu_mask=None):
    """L(θ) for θ = ``params`` (canonical order), each entry an element of one commutative ring.

    ``conv`` maps an exact data Fraction into the ring; ``zero`` is the ring's zero.
    """
    if zero is None:
        zero = conv(Fraction(0))
    value = problem.ring_loss(problem.unflatten(list(params)), conv, zero, relu_mask=relu_mask)
    if value is None:
        loss = getattr(problem, "loss", None)
        if loss is not None and not loss.polynomial:
            raise InputError("loss", f"the {loss.describe()} loss is not a polynomial; exact polynomial evaluation "
                             "does not apply (the numeric layer and the checker's balls evaluate it)")
        raise InputError("kind", f"{problem.kind!r}: the loss is not a polynomial (arccos kernel); "
                         "exact polynomial evaluation does not apply")
    return value


def loss_value(problem: Problem, point, relu_mask=None) -> Fraction:
    """Exact L(θ) at a rational point."""
    return to_fraction(loss_in_ring(problem, [fq(x) for x in point], relu_mask=relu_mask))


def symbolic_loss(problem: Problem, names=None, relu_mask=None):
    """The loss as a sympy expression in the parameter symbols (canonical order), for display and cross-checks."""
    import sympy

    names = problem.param_names() if names is None else names
    syms = sympy.symbols(names, real=True) if names else []
    syms = list(syms) if isinstance(syms, (list, tuple)) else [syms]
    expr = loss_in_ring(problem, syms, conv=lambda x: sympy.Rational(x.numerator, x.denominator),
                        zero=sympy.Integer(0), relu_mask=relu_mask)
    return sympy.expand(expr), syms
