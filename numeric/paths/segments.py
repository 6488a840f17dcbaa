"""The loss along straight segments θ(t) = (1 − t)·θ_l + t·θ_r, t ∈ [0, 1], batched over segments.

Dynamic String Sampling (Freeman & Bruna 2017) asks one question of a segment: what is max_t L(θ(t))? Here it is
answered on a dense sample: K evenly spaced t (endpoints included), then K' more points on the two grid cells
around the highest sample (one refinement), all segments of a round in one call of the batched loss. A sampled
maximum is a lower estimate of the true maximum (a narrow peak between samples can be missed); the exact
``sublevel-path`` certificate is what proves a segment below a level.

>>> import torch
>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> from numeric.losses import make_loss
>>> L = make_loss(DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(2),),)), device="cpu")
>>> top = segment_tops(L, torch.tensor([[1.0, 2.0]], dtype=torch.float64),
...                    torch.tensor([[2.0, 1.0]], dtype=torch.float64), samples=5)
>>> round(top.value.item(), 6), top.t.tolist()        # (1 + t)(2 − t) peaks at t = ½: L = ½(¼)²
(0.03125, [0.5])
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from ..losses import BatchedLoss

CHUNK_ENTRIES = 1 << 23
"""At most this many parameter entries (rows × N) are evaluated in one call of the loss (64 MB in float64)."""


def batched_values(loss: BatchedLoss, theta: torch.Tensor) -> torch.Tensor:
    """L at every row of a (B, N) tensor, in chunks of at most :data:`CHUNK_ENTRIES` entries; NaN → +inf."""
    rows = max(1, CHUNK_ENTRIES // max(1, theta.shape[-1]))
    with torch.no_grad():
        out = torch.cat([loss(theta[i:i + rows]) for i in range(0, theta.shape[0], rows)]) if theta.shape[0] else \
            theta.new_zeros(0)
    return torch.where(torch.isnan(out), torch.full_like(out, float("inf")), out)


def along(left: torch.Tensor, right: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """(S, K, N) points θ_s(t_{s,k}) = left_s + t_{s,k}·(right_s − left_s) for (S, N) ends and (S, K) or (K,) t."""
    if t.ndim == 1:
        t = t.expand(left.shape[0], -1)
    return left[:, None, :] + t[..., None] * (right - left)[:, None, :]


def segment_values(loss: BatchedLoss, left: torch.Tensor, right: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """(S, K) losses L(θ_s(t_{s,k})) along S segments at the parameters ``t`` ((K,) shared or (S, K))."""
    pts = along(left, right, t)
    S, K, N = pts.shape
    return batched_values(loss, pts.reshape(S * K, N)).reshape(S, K)


@dataclass
class Tops:
    """The highest sampled point of each of S segments."""

    value: torch.Tensor       # (S,) max of the sampled losses (≥ the loss at both ends)
    t: torch.Tensor           # (S,) where it was seen
    point: torch.Tensor       # (S, N) θ(t)
    low: torch.Tensor         # (S,) min of the sampled losses
    evaluations: int          # losses evaluated


def segment_tops(loss: BatchedLoss, left: torch.Tensor, right: torch.Tensor, samples: int = 129,
                 refine: int = 17) -> Tops:
    """Max of L on each segment from ``samples`` evenly spaced t, then ``refine`` more on the two grid cells
    around the highest sample (see the module docstring)."""
    S = left.shape[0]
    dev, dt = left.device, left.dtype
    grid = torch.linspace(0, 1, samples, device=dev, dtype=dt)
    vals = segment_values(loss, left, right, grid)
    best = vals.argmax(1)
    value, t = vals.gather(1, best[:, None]).squeeze(1), grid[best]
    low = vals.amin(1)
    evaluations = S * samples
    if refine > 0 and samples > 1 and S:
        h = 1.0 / (samples - 1)
        lo = (t - h).clamp(min=0)
        hi = (t + h).clamp(max=1)
        frac = torch.linspace(0, 1, refine + 2, device=dev, dtype=dt)[1:-1]
        tt = lo[:, None] + frac[None, :] * (hi - lo)[:, None]
        fine = segment_values(loss, left, right, tt)
        fbest = fine.argmax(1)
        fval = fine.gather(1, fbest[:, None]).squeeze(1)
        better = fval > value
        value = torch.where(better, fval, value)
        t = torch.where(better, tt.gather(1, fbest[:, None]).squeeze(1), t)
        low = torch.minimum(low, fine.amin(1))
        evaluations += S * refine
    point = left + t[:, None] * (right - left)
    return Tops(value, t, point, low, evaluations)


def string_profile(loss: BatchedLoss, beads: torch.Tensor, samples: int = 129) -> tuple[torch.Tensor, torch.Tensor]:
    """(s, L): the loss along the piecewise-linear string through the (n, N) ``beads``, ``samples`` points per
    segment, at arc length s (Euclidean, in parameter space) from the first bead; shared ends appear once."""
    left, right = beads[:-1], beads[1:]
    grid = torch.linspace(0, 1, samples, device=beads.device, dtype=beads.dtype)
    vals = segment_values(loss, left, right, grid)
    lengths = torch.linalg.vector_norm(right - left, dim=1)
    start = torch.cat([lengths.new_zeros(1), lengths.cumsum(0)[:-1]])
    s = start[:, None] + grid[None, :] * lengths[:, None]
    keep = torch.ones_like(vals, dtype=torch.bool)
    keep[1:, 0] = False
    return s[keep], vals[keep]


def normalised_length(beads: torch.Tensor) -> float | None:
    """Σ_i ‖θ_i − θ_{i+1}‖ / ‖θ_first − θ_last‖ (Freeman & Bruna's normalised geodesic length; 1 for the straight
    segment), or None when the two ends coincide."""
    chord = float(torch.linalg.vector_norm(beads[-1] - beads[0]))
    total = float(torch.linalg.vector_norm(beads[1:] - beads[:-1], dim=1).sum())
    return None if chord == 0 else total / chord
