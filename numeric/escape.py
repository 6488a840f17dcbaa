"""Is the infimum approached at infinity here? A numeric test for points that only LOOK critical.

The logistic and cross-entropy losses (:data:`ESCAPING_LOSSES`) are positive everywhere, and on separable data
their infimum is approached only as ‖θ‖ → ∞ (Soudry et al. 2018: gradient descent on separable logistic
regression diverges in norm, towards the max-margin direction). Far out on such a ray L − inf L, ∇L and ∇²L are
all of the same tiny size (ℓ(z) = log(1 + e^{−z}) ≈ e^{−z} = −ℓ′(z) ≈ ℓ″(z)), so absolute bands call the point
"critical", and its Hessian "PSD": an optimiser's end point there would pass for a (degenerate) local minimum —
or, compared with another such point a little further out, for a spurious one. Worse, L itself may not resolve the
fall: a sample stuck at a constant loss (a zero input: ℓ = log 2) dominates the sum.

:func:`escape_test` therefore compares SUMMANDS of L (:meth:`numeric.losses.BatchedLoss.terms`, each to its own
relative precision): a change of L is Σ(new − old) over the summands, significant when it exceeds ``noise`` times
the summands that changed. Two tests, either of which makes a point **escaping**:

* the ray: when the output is linear in one parameter matrix (W_H of a deep linear net, U of a two-layer net),
  θ_c scales it by c, so L(θ_c) = ℓ(c·O) + regulariser. If L falls significantly from c = 1 to the first point
  of the grid c = 1 + 10⁻³·4^k (k = 0 … 10, up to c ≈ 10³) and rises at none of its steps (summands that have
  underflowed to 0 stay put), the point is no minimum: L(θ_c) < L(θ) for c > 1 arbitrarily close to 1 (for
  logistic: every margin Y_ij O_ij ≥ 0 and some > 0, then ℓ(cO) decreases strictly to its infimum as c → ∞;
  cross-entropy: every sample classified correctly);
* the descent: ``steps`` steps downhill, each trying the saddle-free Newton step −|H|⁺∇L (it follows a valley
  with curvature O(1) across it and O(L − inf L) along it) and the normalised gradient step, scaled by a grid and
  cut where L stops falling. Escaping when L fell significantly and at least half of the fall comes from summands
  that fell to half their value or less (near a minimum that was not quite reached, the point moves by ~‖H⁺∇L‖
  and no summand halves: a summand of ℓ halves only when its margin grows by O(1));

or when L is 0 in floats (ℓ > 0 everywhere: the point lies far out, where L underflows).

An escaping point is reported as ``unknown`` with the reason by :mod:`numeric.classify` and counted apart by
:mod:`numeric.search` — never a local, global or spurious minimum. What "escaping" does NOT mean: that the
infimum is proved unattained, or that the data are separable; only that L still falls, as far as the test looked
(evidence). Nor does "not escaping" mean a minimum: the descent may just have been too short.

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> from verify.problems.losses import Loss
>>> prob = DeepLinear(widths=(1, 1, 1), X=((F(1), F(2)),), Y=((F(1), F(1)),), loss=Loss(name="logistic"))
>>> theta = torch.tensor([[6.0, 6.0]], dtype=torch.float64)   # L ≈ 2e-16 · 3: "critical" by the absolute bands
>>> escape_test(make_loss(prob, device="cpu"), theta)[0].escaping
True
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import torch

from .hessian import hessians
from .losses import BatchedLoss, make_loss  # noqa: F401  (make_loss: the doctest)
from .optimizers import NEWTON_MAX_PARAMS

ESCAPING_LOSSES = frozenset({"logistic", "cross-entropy"})
"""Losses whose infimum may be approached only at infinity (positive everywhere; inf ℓ = 0 on separable data)."""

GRID = tuple(1e-3 * 4 ** k for k in range(11))   # step factors 1e-3 … ~1e3 (a ray is followed far out)


class Route(str, Enum):
    """How a point was found escaping (or not)."""

    RAY = "ray"                  # L falls all along the output-scaling ray θ_c
    DESCENT = "descent"          # a descent continuation halved the summands that carry the fall
    UNDERFLOW = "underflow"      # L = 0 in floats
    NONE = "none"                # not escaping (as far as the tests looked)


def may_escape(loss: BatchedLoss) -> bool:
    """The problem's loss is one of :data:`ESCAPING_LOSSES` (so L ≈ 0 certifies nothing and minima may not exist)."""
    data_loss = getattr(loss.problem, "loss", None)        # kinds without a loss field (relu-teacher): square
    return data_loss is not None and data_loss.name in ESCAPING_LOSSES


@dataclass(frozen=True)
class Escape:
    """One point's tests: does L keep falling — along the output-scaling ray, or by a descent continuation?"""

    route: Route
    loss_start: float
    loss_end: float              # L at the end of the ray / the continuation
    norm_start: float
    norm_end: float
    steps: int                   # ray: grid points; descent: steps that went down

    @property
    def escaping(self) -> bool:
        return self.route is not Route.NONE

    def to_json(self) -> dict:
        return {**self.__dict__, "route": self.route.value}

    def reason(self) -> str:
        how = {Route.RAY: "along the ray that scales the output layer by c ∈ [1, 10³]",
               Route.DESCENT: f"along a descent path of {self.steps} steps, by summands that halve",
               Route.UNDERFLOW: "— L underflows to 0, and ℓ > 0 everywhere —",
               Route.NONE: "(not escaping)"}[self.route]
        return (f"L still falls {how} ({self.loss_start:.12g} → {self.loss_end:.12g}; ‖θ‖ {self.norm_start:.3g} → "
                f"{self.norm_end:.3g}): no minimum here — the infimum is approached, not attained, as far as this "
                "test sees")


def _delta(new: torch.Tensor, old: torch.Tensor, noise: float) -> tuple[torch.Tensor, torch.Tensor]:
    """(Σ(new − old), its rounding error) over the last axis of summands: each changed summand contributes
    ``noise``·max(|new|, |old|) to the error (an unchanged one, none)."""
    diff = new - old
    err = noise * torch.where(diff != 0, torch.maximum(new.abs(), old.abs()), torch.zeros_like(diff)).sum(-1)
    return diff.sum(-1), err


def _change(new: torch.Tensor, old: torch.Tensor, noise: float) -> torch.Tensor:
    """Σ(new − old) when it is significantly negative (below −its rounding error), else 0."""
    total, err = _delta(new, old, noise)
    return torch.where(total < -err, total, torch.zeros_like(total))


def _falling_prefix(T0: torch.Tensor, Tt: torch.Tensor, noise: float) -> torch.Tensor:
    """(…,) number of leading grid points along which the summands' sum falls significantly at every step;
    T0 (…, T) at the start, Tt (…, G, T) along the grid."""
    prev = torch.cat([T0.unsqueeze(-2), Tt[..., :-1, :]], dim=-2)
    ok = (_change(Tt, prev, noise) < 0) & torch.isfinite(Tt).all(-1)
    return torch.cumprod(ok.long(), dim=-1).sum(-1)


def _ray(loss: BatchedLoss, x: torch.Tensor, T0: torch.Tensor, noise: float):
    """(escaping (B,), summands at the ray's end (B, T)) for the output-scaling ray θ_c (module docstring)."""
    block = loss.output_block()
    if block is None:
        return torch.zeros(x.shape[0], dtype=torch.bool, device=x.device), T0
    c = 1 + torch.tensor(GRID, dtype=x.dtype, device=x.device)
    scale = torch.ones(len(GRID), x.shape[1], dtype=x.dtype, device=x.device)
    scale[:, block] = c[:, None]
    trial = x[:, None, :] * scale[None]                                                  # (B, G, N)
    with torch.no_grad():
        Tt = loss.terms(trial.reshape(-1, x.shape[1])).reshape(x.shape[0], len(GRID), -1)
    prev = torch.cat([T0.unsqueeze(1), Tt[:, :-1]], dim=1)
    total, err = _delta(Tt, prev, noise)
    never_up = ((total <= err) & torch.isfinite(Tt).all(-1)).all(1)       # summands underflowed to 0 stay put
    return never_up & (_change(Tt[:, 0], T0, noise) < 0), Tt[:, -1]


def _directions(loss: BatchedLoss, x: torch.Tensor) -> torch.Tensor:
    """(B, D, N) descent directions: the saddle-free Newton step −|H|⁺∇L (dense Hessians, N ≤ 512) and the
    normalised gradient step −(1 + ‖θ‖)∇L/‖∇L‖."""
    with torch.enable_grad():
        xr = x.detach().requires_grad_(True)
        (g,) = torch.autograd.grad(loss(xr).sum(), xr, materialize_grads=True)
    gn = torch.linalg.vector_norm(g, dim=1, keepdim=True)
    scale = 1 + torch.linalg.vector_norm(x, dim=1, keepdim=True)
    dirs = [torch.where(gn > 0, -g / gn.clamp(min=torch.finfo(x.dtype).tiny), torch.zeros_like(g)) * scale]
    if loss.n_params <= NEWTON_MAX_PARAMS:
        H = hessians(loss, x)
        H = (H + H.transpose(1, 2)) / 2
        H = torch.where(torch.isfinite(H).flatten(1).all(1)[:, None, None], H, torch.zeros_like(H))
        lam, V = torch.linalg.eigh(H)
        cut = 1e-15 * lam.abs().amax(1, keepdim=True)
        inv = torch.where(lam.abs() > cut, 1 / lam.abs().clamp(min=torch.finfo(x.dtype).tiny), torch.zeros_like(lam))
        dirs.insert(0, -(V @ (inv * (V.transpose(1, 2) @ g.unsqueeze(-1)).squeeze(-1)).unsqueeze(-1)).squeeze(-1))
    return torch.stack(dirs, dim=1)


def _descent(loss: BatchedLoss, x: torch.Tensor, T0: torch.Tensor, steps: int, noise: float):
    """(escaping (B,), end points (B, N), summands there (B, T), steps that went down (B,)): the continuation.
    A row whose step found no fall is dropped: from the same point the next step would be the same (so a genuine
    minimum costs one step)."""
    B, N = x.shape
    x, T = x.clone(), T0.clone()
    downs = torch.zeros(B, dtype=torch.long, device=x.device)
    grid = torch.tensor(GRID, dtype=x.dtype, device=x.device)
    active = torch.arange(B, device=x.device)
    for _ in range(steps):
        if active.numel() == 0:
            break
        xa, Ta = x[active], T[active]
        d = _directions(loss, xa)                                                       # (b, D, N)
        b, D = d.shape[:2]
        trial = xa[:, None, None, :] + grid[None, None, :, None] * d[:, :, None, :]     # (b, D, G, N)
        with torch.no_grad():
            Tt = loss.terms(trial.reshape(-1, N)).reshape(b, D, len(GRID), -1)
        k = _falling_prefix(Ta[:, None].expand(-1, D, -1), Tt, noise)                   # (b, D)
        rows = torch.arange(b, device=x.device)
        at = Tt[rows[:, None], torch.arange(D, device=x.device)[None], (k - 1).clamp(min=0)]
        gain = torch.where(k > 0, _change(at, Ta[:, None], noise), torch.zeros_like(k, dtype=x.dtype))
        best = gain.argmin(1)                                                           # the larger fall
        moved = gain[rows, best] < 0
        x[active] = torch.where(moved[:, None], trial[rows, best, (k[rows, best] - 1).clamp(min=0)], xa)
        T[active] = torch.where(moved[:, None], at[rows, best], Ta)
        downs[active] += moved.long()
        active = active[moved]
    fall = -_change(T, T0, noise)
    halved = torch.where(T <= T0 / 2, T0 - T, torch.zeros_like(T0)).sum(-1)         # fall of the summands that halved
    return (fall > 0) & (halved >= 0.5 * fall), x, T, downs


def escape_test(loss: BatchedLoss, theta: torch.Tensor, steps: int = 20, noise: float = 1e-13,
                descent: bool = True) -> list[Escape]:
    """:class:`Escape` for every row of ``theta`` (B, N), batched: the ray, then (``descent``) the descent
    continuation for the rows the ray did not settle (module docstring)."""
    x = theta.detach().to(device=loss.device, dtype=loss.dtype).clone()
    if x.ndim == 1:
        x = x.unsqueeze(0)
    with torch.no_grad():
        T0 = loss.terms(x)
    L0 = T0.sum(-1)
    n0 = torch.linalg.vector_norm(x, dim=1)
    ray, T_ray = _ray(loss, x, T0, noise)
    out: list[Escape | None] = [None] * x.shape[0]
    for b in torch.nonzero(ray | (L0 == 0)).flatten().tolist():
        route, c = (Route.UNDERFLOW, 1.0) if float(L0[b]) == 0 else (Route.RAY, 1 + GRID[-1])
        block = loss.output_block()
        end = x[b].clone()
        if block is not None:
            end[block] *= c
        out[b] = Escape(route, float(L0[b]), float(T_ray[b].sum()) if route is Route.RAY else 0.0, float(n0[b]),
                        float(torch.linalg.vector_norm(end)), len(GRID) if route is Route.RAY else 0)
    rest = [b for b, e in enumerate(out) if e is None]
    if rest and not descent:
        for b in rest:
            out[b] = Escape(Route.NONE, float(L0[b]), float(L0[b]), float(n0[b]), float(n0[b]), 0)
    elif rest:
        esc, xe, Te, downs = _descent(loss, x[rest], T0[rest], steps, noise)
        for i, b in enumerate(rest):
            out[b] = Escape(Route.DESCENT if bool(esc[i]) else Route.NONE, float(L0[b]), float(Te[i].sum()),
                            float(n0[b]), float(torch.linalg.vector_norm(xe[i])), int(downs[i]))
    return out
