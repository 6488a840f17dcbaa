"""Training beads: batched gradient descent from B starting points until each is below its own target level.

Freeman & Bruna's beads are trained by gradient descent from the highest point of a segment until the loss is
below the level L0. Here every bead that a round of Dynamic String Sampling needs is trained at once, as one
(B, N) block: θ ← θ − α·∇L(θ), the step α chosen per row from the grid α_prev·2^j, j = 3, …, −10, by the lowest
loss it gives (a batched line search: one gradient and 14 loss evaluations per row and step). A row stops as soon
as L(θ) ≤ its target — early, so that the bead stays close to the segment it came from — or when no step on the
grid lowers L three times running (e.g. at a critical point: the gradient vanishes at the origin of a deep
linear net), or at the step budget or the deadline.

>>> import torch
>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> from numeric.losses import make_loss
>>> L = make_loss(DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(2),),)), device="cpu")
>>> r = descend_below(L, torch.tensor([[1.5, 1.5]], dtype=torch.float64), torch.tensor([1e-4]))
>>> bool(r.reached[0]), bool(L(r.theta)[0] <= 1e-4)
(True, True)
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import torch

from ..losses import BatchedLoss, value_and_grad
from .segments import batched_values

STEP_GRID = tuple(2.0 ** j for j in range(3, -11, -1))
"""Multipliers of the previous step tried at every iteration (largest first)."""

MISSES = 3
"""A row stops after this many iterations in a row in which no step of the grid lowered its loss."""


@dataclass
class Descent:
    """End of :func:`descend_below` for B rows."""

    theta: torch.Tensor      # (B, N) final points
    value: torch.Tensor      # (B,) L(theta)
    reached: torch.Tensor    # (B,) bool: L ≤ target
    steps: torch.Tensor      # (B,) iterations taken
    timed_out: bool          # the deadline stopped rows that had neither reached their target nor stalled


def descend_below(loss: BatchedLoss, theta0: torch.Tensor, target: torch.Tensor, *, steps: int = 400,
                  first_step: torch.Tensor | None = None, deadline: float | None = None) -> Descent:
    """Gradient descent on each row of ``theta0`` (B, N) until L ≤ ``target`` (B,) (see the module docstring).

    ``first_step`` (B,): the length ‖α∇L‖ of the first step before the grid rescales it (default 0.1·(1 + ‖θ‖)).
    """
    B, dev = theta0.shape[0], theta0.device
    theta = theta0.detach().clone()
    value = torch.full((B,), float("inf"), dtype=theta.dtype, device=dev)
    reached = torch.zeros(B, dtype=torch.bool, device=dev)
    taken = torch.zeros(B, dtype=torch.long, device=dev)
    grid = torch.tensor(STEP_GRID, dtype=theta.dtype, device=dev)
    active = torch.arange(B, device=dev)
    x, goal = theta.clone(), target.to(dev, theta.dtype).clone()
    length = first_step.to(dev, theta.dtype).clone() if first_step is not None else \
        0.1 * (1 + torch.linalg.vector_norm(x, dim=1))
    alpha = None
    misses = torch.zeros(B, dtype=torch.long, device=dev)
    timed_out = False
    for it in range(steps + 1):
        v, g = value_and_grad(loss, x)
        v = torch.where(torch.isnan(v), torch.full_like(v, float("inf")), v)
        if alpha is None:
            alpha = length / torch.linalg.vector_norm(g, dim=1).clamp(min=torch.finfo(x.dtype).tiny)
        ok = v <= goal
        late = it == steps or (deadline is not None and time.monotonic() >= deadline)
        stop = ok | (misses >= MISSES) | ~torch.isfinite(g).all(1) | late
        if bool(stop.any()):
            idx = active[stop]
            theta[idx], value[idx], reached[idx], taken[idx] = x[stop], v[stop], ok[stop], it
            timed_out = timed_out or (late and it < steps and bool((~ok & (misses < MISSES))[stop].any()))
            keep = ~stop
            active, x, g, v, goal, alpha, misses = (active[keep], x[keep], g[keep], v[keep], goal[keep],
                                                    alpha[keep], misses[keep])
        if active.numel() == 0:
            break
        k, A = x.shape[0], grid.numel()
        steps_ = alpha[:, None] * grid[None, :]                                   # (k, A)
        trial = x[:, None, :] - steps_[..., None] * g[:, None, :]                  # (k, A, N)
        lt = batched_values(loss, trial.reshape(k * A, -1)).reshape(k, A)
        best = lt.argmin(1)
        rows = torch.arange(k, device=dev)
        improved = lt[rows, best] < v
        x = torch.where(improved[:, None], trial[rows, best], x)
        alpha = torch.where(improved, steps_[rows, best], alpha * grid[-1])
        misses = torch.where(improved, torch.zeros_like(misses), misses + 1)
    return Descent(theta, value, reached, taken, timed_out)
