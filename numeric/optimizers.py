"""Batched optimisers over a (B, N) block of starts, each row independent; converged rows are dropped.

* :func:`first_order` — Adam (Kingma & Ba 2015) or heavy-ball gradient descent, towards minima.
* :func:`newton` — two second-order methods on dense batched Hessians H = V diag(λ) Vᵀ (N ≤ NEWTON_MAX_PARAMS):
  ``mode="critical"``: Levenberg–Marquardt on the gradient equation ∇L(θ) = 0, i.e. damped Gauss–Newton for
  min ½‖∇L‖²: Δ = −(H² + μI)⁻¹ H g = −Σ_i λ_i/(λ_i² + μ) (v_iᵀg) v_i, μ adapted per row so that ‖∇L‖ falls.
  It is attracted by critical points of every index (saddles, maxima, degenerate points such as the origin
  of a deep linear net, where it contracts θ ↦ θ(1 − 1/d) for a gradient homogeneous of degree d).
  ``mode="min"``: saddle-free Newton (Dauphin et al. 2014) Δ = −Σ_i (v_iᵀg)/(|λ_i| + √‖g‖) v_i with a
  backtracking line search on L: a descent method that polishes minima to machine precision.

Stopping rule (per row): ‖g‖∞ ≤ gtol and ‖Δ‖∞ ≤ xtol (the Newton step estimates the distance to the
critical point, so a slow crawl towards a degenerate point is not stopped early), or the step budget. A
``deadline`` (a ``time.monotonic()`` value) stops every row at once, between chunks of steps (every
``check_every`` first-order steps, every Newton iteration); :attr:`RunState.timed_out` then says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import torch

from .hessian import hessians
from .losses import BatchedLoss, value_and_grad

NEWTON_MAX_PARAMS = 512
"""Largest N for the dense Newton methods (B Hessians of N × N are formed each step)."""


@dataclass
class RunState:
    """Final points of one optimiser run over B starts."""

    theta: torch.Tensor        # (B, N)
    steps: torch.Tensor        # (B,) steps taken
    converged: torch.Tensor    # (B,) bool: stopping rule met (not the step budget)
    timed_out: bool = False    # the deadline stopped the rows still active


def _past(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


class _Rows:
    """The B rows of one run: final θ, the step each row stopped at, whether it met the stopping rule; ``active``
    the indices of the rows still running (their current points are the optimiser's ``x``, one row each)."""

    def __init__(self, theta0: torch.Tensor, steps: int):
        self.theta = theta0.detach().clone()
        B, dev = self.theta.shape[0], self.theta.device
        self.active = torch.arange(B, device=dev)
        self.steps = torch.full((B,), steps, dtype=torch.long, device=dev)
        self.converged = torch.zeros(B, dtype=torch.bool, device=dev)

    def stop(self, mask: torch.Tensor, x: torch.Tensor, t: int, converged) -> torch.Tensor:
        """Stop the active rows ``mask`` at ``x[mask]`` after step t; returns the mask of the rows that go on."""
        idx = self.active[mask]
        self.theta[idx] = x[mask]
        self.steps[idx] = t
        self.converged[idx] = converged
        keep = ~mask
        self.active = self.active[keep]
        return keep

    def end(self, t: int, x: torch.Tensor, on_progress, deadline: float | None) -> RunState | None:
        """After step t: report progress; the final state once no row is active, or at the ``deadline`` (the rows
        still active stop where they are, ``timed_out``); else None."""
        if on_progress is not None:
            on_progress(t, self.active.numel())
        if self.active.numel() == 0:
            return self.result(x)
        if _past(deadline):
            self.steps[self.active] = t
            return self.result(x, timed_out=True)
        return None

    def result(self, x: torch.Tensor, timed_out: bool = False) -> RunState:
        self.theta[self.active] = x
        return RunState(self.theta, self.steps, self.converged, timed_out)


def first_order(loss: BatchedLoss, theta0: torch.Tensor, *, method: str = "adam", steps: int = 5000,
                lr: float = 1e-2, momentum: float = 0.9, tol: float = 1e-4, check_every: int = 10,
                on_progress: Callable[[int, int], None] | None = None, deadline: float | None = None) -> RunState:
    """Adam / heavy-ball GD on every row until ‖∇L‖∞ ≤ ``tol`` (checked every ``check_every`` steps, as is the
    ``deadline``)."""
    rows = _Rows(theta0, steps)
    x = rows.theta.clone()
    m = torch.zeros_like(x)
    v = torch.zeros_like(x)
    b1, b2, eps = 0.9, 0.999, 1e-12
    for t in range(1, steps + 1):
        _, g = value_and_grad(loss, x)
        if t % check_every == 0 or t == steps:
            ok = g.abs().amax(1) <= tol
            if bool(ok.any()):
                keep = rows.stop(ok, x, t, True)
                x, g, m, v = x[keep], g[keep], m[keep], v[keep]
            if (end := rows.end(t, x, on_progress, deadline)) is not None:
                return end
        if method == "adam":
            m.mul_(b1).add_(g, alpha=1 - b1)
            v.mul_(b2).addcmul_(g, g, value=1 - b2)
            mhat = m / (1 - b1 ** t)
            vhat = v / (1 - b2 ** t)
            x = x - lr * mhat / (vhat.sqrt() + eps)
        else:
            m.mul_(momentum).add_(g)
            x = x - lr * m
    return rows.result(x)


def newton(loss: BatchedLoss, theta0: torch.Tensor, *, mode: str = "critical", steps: int = 200,
           gtol: float = 1e-10, xtol: float = 1e-9, on_progress: Callable[[int, int], None] | None = None,
           deadline: float | None = None) -> RunState:
    """Batched dense Newton iterations (see the module docstring for the two modes), stopped at ``deadline``."""
    rows = _Rows(theta0, steps)
    x = rows.theta.clone()
    dev = x.device
    mu = None
    mults = torch.tensor([0.1, 1.0, 10.0, 100.0], dtype=x.dtype, device=dev)
    alphas = torch.tensor([1.0, 0.5, 0.25, 0.1, 0.03, 0.01, 1e-3], dtype=x.dtype, device=dev)
    for t in range(1, steps + 1):
        val, g = value_and_grad(loss, x)
        H = hessians(loss, x)
        H = (H + H.transpose(1, 2)) / 2
        finite = torch.isfinite(H).flatten(1).all(1) & torch.isfinite(g).all(1)
        H = torch.where(finite[:, None, None], H, torch.zeros_like(H))
        lam, V = torch.linalg.eigh(H)
        s = lam.abs().amax(1).clamp(min=1.0)
        gv = (V.transpose(1, 2) @ g.unsqueeze(-1)).squeeze(-1)           # coordinates of g in the eigenbasis
        gnorm = g.abs().amax(1)
        if mode == "critical":
            if mu is None:
                mu = 1e-6 * s ** 2
            k, A = x.shape[0], mults.numel()
            mus = mu[:, None] * mults[None, :]                               # (k, A)
            coef = -lam[:, None, :] / (lam[:, None, :] ** 2 + mus[..., None])  # (k, A, N)
            steps_ = ((V[:, None] @ (coef * gv[:, None, :]).unsqueeze(-1)).squeeze(-1))  # (k, A, N)
            trial = (x[:, None, :] + steps_).reshape(k * A, -1)
            _, gt = value_and_grad(loss, trial)
            gt = torch.linalg.vector_norm(gt, dim=1).reshape(k, A)
            gt = torch.where(torch.isfinite(gt), gt, torch.full_like(gt, float("inf")))
            best = gt.argmin(1)
            improved = gt[torch.arange(k, device=dev), best] < torch.linalg.vector_norm(g, dim=1)
            step = steps_[torch.arange(k, device=dev), best]
            step = torch.where(improved[:, None], step, torch.zeros_like(step))
            mu = torch.where(improved, mus[torch.arange(k, device=dev), best] / 4, mu * 1e3)
            pure = -(V @ (torch.where(lam.abs() > 1e-14 * s[:, None], 1 / lam, torch.zeros_like(lam))
                          * gv).unsqueeze(-1)).squeeze(-1)
            dist = torch.minimum(pure.abs().amax(1), step.abs().amax(1).where(improved, pure.abs().amax(1)))
            stalled = mu > 1e16 * s ** 2
        else:
            d = lam.abs() + torch.linalg.vector_norm(g, dim=1, keepdim=True).sqrt()
            d = torch.where(d > 0, d, torch.ones_like(d))
            direction = -(V @ (gv / d).unsqueeze(-1)).squeeze(-1)
            k, A = x.shape[0], alphas.numel()
            trial = (x[:, None, :] + alphas[None, :, None] * direction[:, None, :]).reshape(k * A, -1)
            with torch.no_grad():
                lt = loss(trial).reshape(k, A)
            ok = lt <= val[:, None]
            first = torch.where(ok.any(1), ok.float().argmax(1), torch.full_like(val, A - 1, dtype=torch.long))
            improved = ok.any(1)
            step = alphas[first][:, None] * direction
            step = torch.where(improved[:, None], step, torch.zeros_like(step))
            dist = direction.abs().amax(1)
            stalled = ~improved & (gnorm > gtol)
        conv = (gnorm <= gtol) & ((dist <= xtol) | ~finite)   # no Hessian (arccos kink): the gradient decides
        stop = conv | stalled | ~finite
        x = x + step
        if bool(stop.any()):
            keep = rows.stop(stop, x, t, conv[stop])
            x = x[keep]
            if mu is not None:
                mu = mu[keep]
        if (end := rows.end(t, x, on_progress, deadline)) is not None:
            return end
    return rows.result(x)
