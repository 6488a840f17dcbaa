"""Backend conformance: one property-based test that every derivative backend must pass.

A backend computes L(θ), ∇L(θ), ∇²L(θ) at a rational point of a polynomial problem. The reference is
the exact python-flint layer (:func:`verify.exact.derivatives.taylor`). :func:`run_conformance_test` draws
small problems of every polynomial kind and rational points with hypothesis and asserts agreement:
exactly for exact backends, to a relative 1e-9 (of the largest entry) for floating-point ones.

    from verify.testing.conformance import load_backend, run_conformance_test
    run_conformance_test(load_backend("sympy"))

Backends are an abstract class (:class:`Backend`) and a registry of dotted names loaded lazily
(:data:`BACKENDS`), as Hypothesis does for its providers. numeric/ may not import this module (it loads the
exact layer), so its backend, ``numeric.conformance:TorchBackend``, is a plain class with the same three
members; :func:`load_backend` registers it as a virtual subclass of :class:`Backend`.
The test settings (number of examples) come from the active hypothesis profile (``ci`` / ``thorough``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from importlib import import_module

from hypothesis import given, settings
from hypothesis import strategies as st

from verify.exact.derivatives import taylor
from verify.exact.loss import to_fraction
from verify.problems import Problem


@dataclass
class Derivatives:
    """L(θ), ∇L(θ) and ∇²L(θ) (lists of rows) at one point."""

    loss: object
    gradient: list
    hessian: list


class Backend(ABC):
    """A derivative backend: ``exact`` backends must agree exactly, others to ``rtol``.

    ``derivatives`` returns a :class:`Derivatives` or any object with ``loss``, ``gradient``, ``hessian``.
    """

    name = "abstract"
    exact = False

    @abstractmethod
    def derivatives(self, problem: Problem, point) -> Derivatives:
        """L, ∇L, ∇²L of ``problem`` at the rational ``point`` (canonical order)."""


BACKENDS = {
    "flint": "verify.testing.conformance:FlintBackend",
    "sympy": "verify.testing.conformance:SympyBackend",
    "torch": "numeric.conformance:TorchBackend",
}
"""Backend name → ``"module:Class"``; a new backend is one entry here (and must pass the conformance test)."""


def load_backend(name: str) -> Backend:
    """An instance of the registered backend ``name``."""
    if name not in BACKENDS:
        raise KeyError(f"{name!r} is not a conformance backend; registered: {', '.join(BACKENDS)}")
    module, _, cls_name = BACKENDS[name].partition(":")
    cls = getattr(import_module(module), cls_name)
    if not issubclass(cls, Backend):
        Backend.register(cls)
    return cls()


class FlintBackend(Backend):
    """The reference: python-flint ``fmpq_mpoly`` expansion of L(θ + x)."""

    name, exact = "flint", True

    def derivatives(self, problem, point):
        t = taylor(problem, point)
        return Derivatives(to_fraction(t.loss), [to_fraction(g) for g in t.gradient],
                           [[to_fraction(h) for h in row] for row in t.hessian])


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
            return to_fraction(sympy.Rational(e.subs(subs)))

        hess = [[val(sympy.diff(g, s)) for s in syms] for g in grad]
        return Derivatives(val(expr), [val(g) for g in grad], hess)


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
