"""numeric's derivative backend for the conformance test (registered in verify.testing.conformance.BACKENDS).

L, ∇L in one reverse pass and the dense Hessian via torch.func, float64, at one rational point. It agrees with
the exact flint reference to a relative 1e-9 of the largest entry (``run_conformance_test``).
"""

from __future__ import annotations

from types import SimpleNamespace


class TorchBackend:
    """torch float64 (the numeric layer), dense Hessian via torch.func."""

    name, exact = "numeric-torch", False

    def derivatives(self, problem, point):
        import torch

        from .hessian import hessians
        from .losses import make_loss, value_and_grad

        loss = make_loss(problem)
        theta = torch.tensor([[float(x) for x in point]], dtype=torch.float64)
        value, grad = value_and_grad(loss, theta)
        hess = hessians(loss, theta)
        return SimpleNamespace(loss=float(value[0]), gradient=grad[0].tolist(), hessian=hess[0].tolist())
