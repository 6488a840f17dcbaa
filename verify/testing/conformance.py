"""Backend conformance: one property-based test that every derivative backend must pass.

A backend computes L(θ), ∇L(θ), ∇²L(θ) at a rational point of a polynomial problem. The reference is
the exact python-flint layer (:func:`verify.exact.derivatives.taylor`). :func:`run_conformance_test` draws
small problems of every polynomial kind and rational points with hypothesis and asserts agreement:
exactly for exact backends, to a relative 1e-9 (of the largest entry) for floating-point ones.

    from verify.testing.conformance import run_conformance_test, SympyBackend
    run_conformance_test(SympyBackend())

The test settings (number of examples) come from the active hypothesis profile (``ci`` / ``thorough``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from verify.exact.derivatives import taylor
from verify.problems import Problem


@dataclass
class Derivatives:
    loss: object
    gradient: list
    hessian: list


class Backend:
    """A derivative backend: ``exact`` backends must agree exactly, others to ``rtol``."""

    name = "abstract"
    exact = False

    def derivatives(self, problem: Problem, point) -> Derivatives:
        raise NotImplementedError


def _q(x) -> Fraction:
    return Fraction(int(x.p), int(x.q))


class FlintBackend(Backend):
    """The reference: python-flint ``fmpq_mpoly`` expansion of L(θ + x)."""

    name, exact = "flint", True

    def derivatives(self, problem, point):
        t = taylor(problem, point)
        return Derivatives(_q(t.loss), [_q(g) for g in t.gradient], [[_q(h) for h in row] for row in t.hessian])


class SympyBackend(Backend):
    """sympy's symbolic differentiation of the expanded loss (independent of flint)."""

    name, exact = "sympy", True

    def derivatives(self, problem, point):
        import sympy

        from verify.exact.loss import symbolic_loss

        expr, syms = symbolic_loss(problem)
        subs = {s: sympy.Rational(p.numerator, p.denominator) for s, p in zip(syms, point)}
        grad = [sympy.diff(expr, s) for s in syms]

        def val(e):
            return Fraction(str(sympy.Rational(e.subs(subs))))

        hess = [[val(sympy.diff(g, s)) for s in syms] for g in grad]
        return Derivatives(val(expr), [val(g) for g in grad], hess)


class NumericBackend(Backend):
    """torch float64 (numeric layer), dense Hessian via torch.func."""

    name, exact = "numeric-torch", False

    def derivatives(self, problem, point):
        import torch

        from numeric.hessian import hessians
        from numeric.losses import make_loss, value_and_grad

        loss = make_loss(problem)
        theta = torch.tensor([[float(x) for x in point]], dtype=torch.float64)
        value, grad = value_and_grad(loss, theta)
        hess = hessians(loss, theta)
        return Derivatives(float(value[0]), grad[0].tolist(), hess[0].tolist())


def _close(a, b, scale: float, rtol: float) -> bool:
    return abs(float(a) - float(b)) <= rtol * max(1.0, scale)


def compare(reference: Derivatives, other: Derivatives, exact: bool, rtol: float = 1e-9) -> str | None:
    """None when they agree; otherwise a message naming the first disagreeing quantity."""
    pairs = [("loss", reference.loss, other.loss)]
    pairs += [(f"gradient[{i}]", a, b) for i, (a, b) in enumerate(zip(reference.gradient, other.gradient))]
    pairs += [(f"hessian[{i}][{j}]", a, b) for i, (ra, rb) in enumerate(zip(reference.hessian, other.hessian))
              for j, (a, b) in enumerate(zip(ra, rb))]
    if len(other.gradient) != len(reference.gradient) or len(other.hessian) != len(reference.hessian):
        return "shape mismatch"
    scale = max(abs(float(v)) for _, v, _ in pairs)
    for name, a, b in pairs:
        if (a != b) if exact else not _close(a, b, scale, rtol):
            return f"{name}: reference {a} vs backend {b}"
    return None


def polynomial_cases():
    """(problem, point) pairs of every polynomial kind, small, with exact rational data."""
    from verify.testing.strategies import deep_linear_problems, points, rationals, two_layer_problems

    probs = st.one_of(deep_linear_problems(max_depth=3, max_width=2),
                      deep_linear_problems(max_depth=2, max_width=2, regularised=True),
                      two_layer_problems(activation="poly", max_n=2, max_width=2))
    return probs.flatmap(lambda p: points(p, rationals(3, 3)).map(lambda x: (p, x)))


def run_conformance_test(backend: Backend, reference: Backend | None = None, rtol: float = 1e-9,
                         max_examples: int | None = None) -> None:
    """Assert that ``backend`` agrees with ``reference`` (default: flint) on hypothesis-drawn cases.

    ``max_examples`` overrides the active profile (e.g. for a slow backend in the default run).
    """
    reference = reference or FlintBackend()

    @settings(max_examples=max_examples) if max_examples else (lambda f: f)
    @given(polynomial_cases())
    def conformance(case):
        problem, point = case
        msg = compare(reference.derivatives(problem, point), backend.derivatives(problem, point),
                      exact=backend.exact and reference.exact, rtol=rtol)
        assert msg is None, f"{backend.name} disagrees with {reference.name} on {problem} at {point}: {msg}"

    conformance()
