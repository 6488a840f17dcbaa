"""Every derivative backend passes the one conformance test; a deliberately broken one does not."""

import pytest

from verify.testing.conformance import (
    Backend,
    Derivatives,
    FlintBackend,
    NumericBackend,
    SympyBackend,
    run_conformance_test,
)


def test_sympy_backend_conforms():
    # sympy differentiates slowly; 25 examples in the default run, the profile's count under `thorough`
    import os

    thorough = os.environ.get("SPURIOUS_HYPOTHESIS_PROFILE") == "thorough"
    run_conformance_test(SympyBackend(), max_examples=None if thorough else 25)


def test_numeric_backend_conforms():
    run_conformance_test(NumericBackend())


class PerturbedHessian(Backend):
    """A broken backend: the flint reference with H[0][0] off by 1e-6 (relative)."""

    name, exact = "broken", False

    def derivatives(self, problem, point):
        d = FlintBackend().derivatives(problem, point)
        H = [[float(h) for h in row] for row in d.hessian]
        H[0][0] += 1e-6 * max(1.0, abs(H[0][0]))
        return Derivatives(float(d.loss), [float(g) for g in d.gradient], H)


def test_broken_backend_is_caught():
    with pytest.raises(AssertionError, match="hessian\\[0\\]\\[0\\]"):
        run_conformance_test(PerturbedHessian())
