"""Every derivative backend passes the one conformance test; a deliberately broken one does not."""

import pytest
from hypothesis import settings

from verify.testing.conformance import BACKENDS, Backend, Derivatives, FlintBackend, load_backend, run_conformance_test


def test_sympy_backend_conforms():
    # sympy differentiates slowly: a quarter of the profile's example count (25 under ci, 2,500 under thorough)
    run_conformance_test(load_backend("sympy"), max_examples=max(10, settings.default.max_examples // 4))


def test_torch_backend_conforms():
    backend = load_backend("torch")
    assert isinstance(backend, Backend)  # numeric's class, registered virtually
    run_conformance_test(backend)


def test_every_registered_backend_loads():
    assert {load_backend(name).name for name in BACKENDS} == {"flint", "sympy", "numeric-torch"}


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
