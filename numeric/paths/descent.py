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


class BeadPool:
    """Rows descending independently, as one (k, N) block; rows may join at any iteration (Dynamic String Sampling
    keeps the block full this way instead of waiting for a round's slowest bead). Each row's iterates depend on
    that row only: the same row gives the same bead whatever else is in the block.

    :meth:`add` rows with their target, first-step length and a tag; :meth:`step` runs one iteration of every row
    and returns the rows that stopped, as (tag, θ, L(θ), reached, iterations, timed_out)."""

    def __init__(self, loss: BatchedLoss, *, steps: int = 400, deadline: float | None = None):
        self.loss, self.steps, self.deadline = loss, steps, deadline
        n, dt, dev = loss.n_params, loss.dtype, loss.device
        self.x = torch.empty(0, n, dtype=dt, device=dev)
        self.goal, self.length, self.alpha = (torch.empty(0, dtype=dt, device=dev) for _ in range(3))
        self.misses, self.taken = (torch.empty(0, dtype=torch.long, device=dev) for _ in range(2))
        self.tags: list = []
        self.grid = torch.tensor(STEP_GRID, dtype=dt, device=dev)

    def __len__(self) -> int:
        return len(self.tags)

    def add(self, x0: torch.Tensor, target: torch.Tensor, length: torch.Tensor, tags: list) -> None:
        k = len(tags)
        self.x = torch.cat([self.x, x0.detach().to(self.x)])
        self.goal = torch.cat([self.goal, target.to(self.goal)])
        self.length = torch.cat([self.length, length.to(self.length)])
        self.alpha = torch.cat([self.alpha, torch.full((k,), float("nan"), dtype=self.x.dtype, device=self.x.device)])
        self.misses = torch.cat([self.misses, torch.zeros(k, dtype=torch.long, device=self.x.device)])
        self.taken = torch.cat([self.taken, torch.zeros(k, dtype=torch.long, device=self.x.device)])
        self.tags += list(tags)

    def step(self) -> list[tuple]:
        if not self.tags:
            return []
        x = self.x
        v, g = value_and_grad(self.loss, x)
        v = torch.where(torch.isnan(v), torch.full_like(v, float("inf")), v)
        fresh = torch.isnan(self.alpha)
        if bool(fresh.any()):
            first = self.length / torch.linalg.vector_norm(g, dim=1).clamp(min=torch.finfo(x.dtype).tiny)
            self.alpha = torch.where(fresh, first, self.alpha)
        ok = v <= self.goal
        late = (self.taken >= self.steps) | (self.deadline is not None and time.monotonic() >= self.deadline)
        stalled = self.misses >= MISSES
        stop = ok | stalled | ~torch.isfinite(g).all(1) | late
        out = []
        if bool(stop.any()):
            timed = late & (self.taken < self.steps) & ~ok & ~stalled
            for i in stop.nonzero().flatten().tolist():
                out.append((self.tags[i], x[i], float(v[i]), bool(ok[i]), int(self.taken[i]), bool(timed[i])))
            keep = ~stop
            self.tags = [t for t, k in zip(self.tags, keep.tolist()) if k]
            x, g, v = x[keep], g[keep], v[keep]
            self.goal, self.length, self.alpha, self.misses, self.taken = (
                t[keep] for t in (self.goal, self.length, self.alpha, self.misses, self.taken))
        if not self.tags:
            self.x = x
            return out
        k, A = x.shape[0], self.grid.numel()
        steps_ = self.alpha[:, None] * self.grid[None, :]                         # (k, A)
        trial = x[:, None, :] - steps_[..., None] * g[:, None, :]                  # (k, A, N)
        lt = batched_values(self.loss, trial.reshape(k * A, -1)).reshape(k, A)
        best = lt.argmin(1)
        rows = torch.arange(k, device=x.device)
        improved = lt[rows, best] < v
        self.x = torch.where(improved[:, None], trial[rows, best], x)
        self.alpha = torch.where(improved, steps_[rows, best], self.alpha * self.grid[-1])
        self.misses = torch.where(improved, torch.zeros_like(self.misses), self.misses + 1)
        self.taken = self.taken + 1
        return out


def descend_below(loss: BatchedLoss, theta0: torch.Tensor, target: torch.Tensor, *, steps: int = 400,
                  first_step: torch.Tensor | None = None, deadline: float | None = None) -> Descent:
    """Gradient descent on each row of ``theta0`` (B, N) until L ≤ ``target`` (B,) (see the module docstring).

    ``first_step`` (B,): the length ‖α∇L‖ of the first step before the grid rescales it (default 0.1·(1 + ‖θ‖)).
    """
    B = theta0.shape[0]
    pool = BeadPool(loss, steps=steps, deadline=deadline)
    length = first_step if first_step is not None else 0.1 * (1 + torch.linalg.vector_norm(theta0, dim=1))
    pool.add(theta0, target, length, list(range(B)))
    theta = theta0.detach().clone().to(pool.x)
    value = torch.full((B,), float("inf"), dtype=theta.dtype, device=theta.device)
    reached = torch.zeros(B, dtype=torch.bool, device=theta.device)
    taken = torch.zeros(B, dtype=torch.long, device=theta.device)
    timed_out = False
    while len(pool):
        for i, x, v, ok, it, timed in pool.step():
            theta[i], value[i], reached[i], taken[i] = x, v, ok, it
            timed_out = timed_out or timed
    return Descent(theta, value, reached, taken, timed_out)
