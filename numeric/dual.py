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

The only kind-specific piece is how to read the activation pattern of a piecewise-polynomial (ReLU) kind off a
point: :data:`ACTIVATION_PATTERNS`, keyed by kind.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable

from verify.errors import InputError
from verify.problems import Problem
from verify.problems.base import ring_const, ring_matmul


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


def _two_layer_pattern(problem, values, const):
    """The relu pattern 1[(W X)_ij > 0] at θ, and whether some (W X)_ij is exactly 0 (a kink)."""
    mats = problem.unflatten(values)
    Z = ring_matmul(mats["W"], ring_const(problem.X, const), const(0))
    return [[z > 0 for z in row] for row in Z], any(z == 0 for row in Z for z in row)


ACTIVATION_PATTERNS: dict[str, Callable] = {"two-layer": _two_layer_pattern}
"""Piecewise-polynomial kind → (problem, values, const) ↦ (relu mask, touches a kink?)."""


def activation_pattern(problem: Problem, values, const):
    """(mask, at_kink) for a piecewise-polynomial problem at ``values``; (None, False) for a polynomial one."""
    if not problem.piecewise_polynomial:
        return None, False
    rule = ACTIVATION_PATTERNS.get(problem.kind)
    if rule is None:
        raise InputError("problem", f"{problem.kind}: piecewise polynomial, but no rule in "
                         "numeric.dual.ACTIVATION_PATTERNS reads its activation pattern")
    return rule(problem, values, const)


def dual_value_and_grad(problem: Problem, values, const: Callable, relu_mask=None, wrt=None):
    """(L(θ), [∂L/∂θ_k for k in wrt]) in the ring of ``values`` by one forward pass of ``problem.ring_loss``.

    ``values``: θ in canonical order, already ring elements; ``const``: Fraction → ring element (``Fraction``
    itself for exact arithmetic); ``wrt``: the parameter indices to differentiate (default all).
    Raises :class:`InputError` when the kind has no ring loss (e.g. relu-teacher's arccos kernel).
    """
    n = len(values)
    wrt = range(n) if wrt is None else wrt
    one, zero = const(1), const(0)
    seeds = set(wrt)
    xs = [Dual(v, {i: one} if i in seeds else None, const) for i, v in enumerate(values)]
    L = problem.ring_loss(problem.unflatten(xs), lambda c: Dual(const(c), None, const), Dual(zero, None, const),
                          relu_mask=relu_mask)
    if L is None:
        raise InputError("problem", f"{problem.kind}: no ring loss (not polynomial), so no dual-number gradient")
    L = L if isinstance(L, Dual) else Dual(const(L), None, const)
    return L.val, [L.tan.get(k, zero) for k in wrt]
