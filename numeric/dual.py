"""Forward-mode dual numbers over any commutative ring, pushed through a problem's ``ring_loss``.

A :class:`Dual` is a + Σ_k b_k ε_k with ε_j ε_k = 0: a value ``val`` in a ring R (``Fraction``, mpmath ``mpf``)
and a sparse vector of tangents ``tan`` (parameter index → element of R). Products follow the Leibniz rule
(a + b·ε)(c + d·ε) = ac + (ad + bc)·ε, so one pass of :meth:`verify.problems.Problem.ring_loss` with the seed
θ_k + ε_k returns L(θ) and every ∂L/∂θ_k at once — exactly, when R is ``Fraction``. Nothing here is specific
to a problem kind: a new polynomial kind gets its exact and multiple-precision gradients from its ring loss.

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> p = DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(2),),))
>>> dual_value_and_grad(p, [F(1), F(3)], F)            # L = ½(w2 w1 − 2)², ∇L = (w2, w1)(w2 w1 − 2)
(Fraction(1, 2), [Fraction(3, 1), Fraction(1, 1)])

The activation pattern of a piecewise-polynomial (ReLU) kind is the problem's own
(:meth:`verify.problems.Problem.activation_pattern`): :func:`activation_pattern` only reads it exactly.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Callable

from verify.errors import InputError
from verify.problems import Problem


class Dual:
    """a + Σ_k b_k ε_k over a commutative ring (module docstring); ints and Fractions coerce through ``const``."""

    __slots__ = ("val", "tan", "const")

    def __init__(self, val, tan: dict | None = None, const: Callable = Fraction):
        self.val = val
        self.tan = tan if tan is not None else {}
        self.const = const

    def _lift(self, other) -> "Dual":
        return other if isinstance(other, Dual) else Dual(self.const(other), None, self.const)

    def __add__(self, other):
        o = self._lift(other)
        if not o.tan:
            return Dual(self.val + o.val, self.tan, self.const)   # tangent dicts are never mutated: share them
        if not self.tan:
            return Dual(self.val + o.val, o.tan, self.const)
        t = dict(self.tan)
        for k, v in o.tan.items():
            t[k] = t[k] + v if k in t else v
        return Dual(self.val + o.val, t, self.const)

    __radd__ = __add__

    def __neg__(self):
        return Dual(-self.val, {k: -v for k, v in self.tan.items()}, self.const)

    def __sub__(self, other):
        return self + (-self._lift(other))

    def __rsub__(self, other):
        return self._lift(other) + (-self)

    def __mul__(self, other):
        o = self._lift(other)
        a, c = self.val, o.val
        t = {k: v * c for k, v in self.tan.items()} if c != 0 else {}
        if a != 0:
            for k, v in o.tan.items():
                t[k] = t[k] + a * v if k in t else a * v
        return Dual(a * c, t, self.const)

    __rmul__ = __mul__

    def __repr__(self) -> str:
        return f"Dual({self.val!r}, {self.tan!r})"


def exact_value(x) -> Fraction:
    """A ring element of a real ring as its exact rational value: Fractions and ints, floats, and mpmath ``mpf``
    (sign, mantissa · 2^exponent) — all binary or rational, so nothing is rounded; NaN and ±∞ are an
    :class:`InputError`."""
    if isinstance(x, (Fraction, int)):
        return Fraction(x)
    if x != x or abs(x) == math.inf:
        raise InputError("point", f"{x!r} is not a finite number")
    if isinstance(x, float):
        return Fraction(x)
    man_exp = getattr(x, "man_exp", None)
    if man_exp is None:
        raise InputError("point", f"{type(x).__name__} has no exact rational value")
    man, exp = man_exp                                   # |x| = man · 2^exp
    value = Fraction(man) * Fraction(2) ** exp
    return -value if x < 0 else value


def activation_pattern(problem: Problem, values):
    """(mask, at_kink) for a piecewise-polynomial problem at ``values`` (:meth:`~verify.problems.Problem.
    activation_pattern`, decided exactly on :func:`exact_value`); at a kink the mask counts z = 0 as off (relu′(0) =
    0, L's value there). (None, False) for a polynomial problem."""
    if not problem.piecewise_polynomial:
        return None, False
    point = [exact_value(v) for v in values]
    mask = problem.activation_pattern(point)
    if mask is not None:
        return mask, False
    return problem.activation_pattern(point, at_kinks=True), True


def ring_special(lib) -> Callable:
    """``special(name, z)`` for :meth:`verify.problems.Network.ring_loss` over :class:`Dual` numbers of a real ring
    whose functions ``lib`` has (``lib.tanh``, ``lib.exp``, ``lib.log1p``: :mod:`math` for floats, :mod:`mpmath` for
    ``mpf``): σ(a + Σ b_k ε_k) = σ(a) + σ′(a) Σ b_k ε_k with tanh′ = 1 − tanh², sigmoid′ = s(1 − s), softplus′ = s;
    exp is only taken of a non-positive argument (no overflow)."""
    def sigmoid(a):
        if a >= 0:
            return 1 / (1 + lib.exp(-a))
        e = lib.exp(a)
        return e / (1 + e)

    def value_slope(name, a):
        if name == "tanh":
            t = lib.tanh(a)
            return t, 1 - t * t
        s = sigmoid(a)
        if name == "sigmoid":
            return s, s * (1 - s)
        if name == "softplus":
            return (a if a > 0 else 0) + lib.log1p(lib.exp(-abs(a))), s
        raise InputError("activation", f"no ring form for the activation {name!r}")

    def special(name, z):
        if not isinstance(z, Dual):
            return value_slope(name, z)[0]
        v, d = value_slope(name, z.val)
        return Dual(v, {k: d * t for k, t in z.tan.items()}, z.const)

    return special


def dual_value_and_grad(problem: Problem, values, const: Callable, relu_mask=None, wrt=None, special=None):
    """(L(θ), [∂L/∂θ_k for k in wrt]) in the ring of ``values`` by one forward pass of ``problem.ring_loss``.

    ``values``: θ in canonical order, already ring elements; ``const``: Fraction → ring element (``Fraction``
    itself for exact arithmetic); ``wrt``: the parameter indices to differentiate (default all); ``special``: the
    ring's tanh / sigmoid / softplus for a network that has them (:func:`ring_special`).
    Raises :class:`InputError` when the kind has no ring loss (e.g. relu-teacher's arccos kernel).
    """
    n = len(values)
    wrt = range(n) if wrt is None else wrt
    one, zero = const(1), const(0)
    seeds = set(wrt)
    xs = [Dual(v, {i: one} if i in seeds else None, const) for i, v in enumerate(values)]
    extra = {} if special is None else {"special": special}
    L = problem.ring_loss(problem.unflatten(xs), lambda c: Dual(const(c), None, const), Dual(zero, None, const),
                          relu_mask=relu_mask, **extra)
    if L is None:
        raise InputError("problem", f"{problem.kind}: no ring loss (not polynomial), so no dual-number gradient")
    L = L if isinstance(L, Dual) else Dual(const(L), None, const)
    return L.val, [L.tan.get(k, zero) for k in wrt]
