"""Does a deep linear minimum map to a local minimum of the shallow problem? (Lu & Kawaguchi 2017, numerically.)

A deep linear net L(W_1, …, W_H) = ℓ(W_H ⋯ W_1 X, Y) factors through the end-to-end product R = W_H ⋯ W_1, whose
rank is at most r = min(widths). Lu & Kawaguchi (arXiv 1702.08580, Theorem 2.1): every local minimum of the deep
problem maps to a local minimum of the shallow problem min_R ℓ(R X, Y) s.t. rank R ≤ r — depth creates no bad
local minimum of its own. :func:`shallow_check` tests the image R of one found minimum θ, with the bands of
:mod:`numeric.classify` (all evidence, never proof):

* r ≥ min(d_x, d_y) — no bottleneck, the rank bound is void: R is classified as a point of the depth-1 problem
  ``DeepLinear(widths=(d_x, d_y))`` (∇ℓ(R) ≈ 0 and ∇²ℓ(R) ⪰ 0, probes where singular);
* rank R = r < min(d_x, d_y) — the bound is active: near R the set {rank ≤ r} is the smooth manifold of rank-r
  matrices, and the product map (A, B) ↦ A B is a submersion onto it at any full-rank factorisation, so R is a
  local minimum on it iff the factorisation (A, B) = (U√S, √S Vᵀ) of its thin SVD R = U S Vᵀ is a local minimum
  of the two-layer problem ``DeepLinear(widths=(d_x, r, d_y))`` (its Hessian is singular along the GL(r)
  orbit; :mod:`numeric.classify` probes that null space);
* rank R < r, or a singular value of R inside the rank band: **undecided** — {rank ≤ r} is singular at R and a
  second-order test on one factorisation does not decide it.

``undecided`` does not mean "probably not a minimum"; ``local-min`` means only that no numeric test found a way
down from R on the shallow problem. The test needs an unregularised problem (with a regulariser the deep loss
does not factor through R).

>>> from fractions import Fraction as F
>>> from verify.problems import DeepLinear
>>> prob = DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(2),),))
>>> shallow_check(prob, [1.0, 2.0]).status.value           # R = 2 fits Y = 2·X exactly
'local-min'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import torch

from verify.errors import InputError
from verify.problems import DeepLinear
from verify.verdict import PointClass

from .classify import Bands, classify_points
from .losses import make_loss

RANK_ZERO = 1e-9
"""A singular value σ ≤ RANK_ZERO·max(1, σ_max) counts as 0; σ ≥ RANK_SIGN·max(1, σ_max) as non-zero;
in between the rank is undecided."""
RANK_SIGN = 1e-6


class ShallowStatus(str, Enum):
    """What the image R of a deep minimum is on the shallow problem."""

    LOCAL_MIN = "local-min"            # no numeric test found a way down from R (evidence)
    NOT_LOCAL_MIN = "not-local-min"    # R is not critical, or a descent direction was found: refutes Lu–Kawaguchi
    UNDECIDED = "undecided"            # rank-deficient R, a rank or another quantity inside its band


@dataclass(frozen=True)
class ShallowCheck:
    """The shallow test of one deep point: status, R's numerical rank against the bound r, and the numeric class
    of the point that was tested (R itself, or its factorisation)."""

    status: ShallowStatus
    rank: int | None                   # numerical rank of R (None: inside the band)
    bound: int                         # r = min(widths)
    tested: str                        # "R" or "factorisation (U√S, √S Vᵀ)"; "" when nothing was tested
    cls: PointClass | None             # numeric class of the tested point
    loss: float                        # ℓ(R X, Y)
    reason: str
    product: list = field(default_factory=list, repr=False)   # R, row-major rows

    def to_json(self) -> dict:
        return {"status": self.status.value, "rank": self.rank, "bound": self.bound, "tested": self.tested,
                "class": None if self.cls is None else self.cls.value, "loss": self.loss, "reason": self.reason,
                "product": self.product}


FOUND_MIN = frozenset({PointClass.LOCAL_MIN, PointClass.GLOBAL_MIN, PointClass.SPURIOUS_LOCAL_MIN})
NOT_MIN = frozenset({PointClass.NOT_CRITICAL, PointClass.STRICT_SADDLE, PointClass.NON_STRICT_SADDLE,
                     PointClass.LOCAL_MAX})


def product(problem: DeepLinear, theta) -> torch.Tensor:
    """R = W_H ⋯ W_1 (d_y × d_x, float64) at the flat point ``theta`` (canonical order)."""
    loss = make_loss(problem, device="cpu")
    mats = loss.unflatten(torch.as_tensor([float(v) for v in theta], dtype=torch.float64))
    R = mats[0]
    for W in mats[1:]:
        R = W @ R
    return R


def shallow_problem(problem: DeepLinear, width: int | None = None) -> DeepLinear:
    """min_R ℓ(R X, Y) as a deep linear problem: widths (d_x, d_y), or (d_x, width, d_y) for a factorisation."""
    mid = () if width is None else (width,)
    return DeepLinear(widths=(problem.widths[0], *mid, problem.widths[-1]), X=problem.X, Y=problem.Y,
                      loss=problem.loss)


def shallow_check(problem: DeepLinear, theta, bands: Bands | None = None) -> ShallowCheck:
    """Map the deep point θ to R = W_H ⋯ W_1 and test R on the shallow problem (module docstring); ``bands``
    default to :class:`numeric.classify.Bands`."""
    bands = bands or Bands()
    if problem.shallow() is None:
        raise InputError("problem", f"the shallow problem is defined for deep linear nets, not {problem.kind!r}")
    if not problem.unregularised:
        raise InputError("reg", "the shallow problem needs an unregularised deep linear net (the regulariser does "
                         "not factor through the product R)")
    if len(theta) != problem.n_params:
        raise InputError("theta", f"has {len(theta)} entries; the problem has {problem.n_params}")
    R = product(problem, theta)
    dx, dy, r = problem.widths[0], problem.widths[-1], min(problem.widths)
    sv = torch.linalg.svdvals(R)
    scale = max(1.0, float(sv.max())) if sv.numel() else 1.0
    zero, nonzero = int((sv <= RANK_ZERO * scale).sum()), int((sv >= RANK_SIGN * scale).sum())
    rank = nonzero if zero + nonzero == sv.numel() else None
    base = dict(rank=rank, bound=r, product=R.tolist())
    if r >= min(dx, dy):
        point, tested, target = R.flatten(), "R", shallow_problem(problem)
    elif rank is None:
        return _undecided(problem, R, base, f"a singular value of R lies inside the rank band "
                          f"({RANK_ZERO:g}, {RANK_SIGN:g})·{scale:.3g}: rank R undecided")
    elif rank < r:
        return _undecided(problem, R, base, f"rank R = {rank} < r = {r}: the set rank ≤ r is singular at R, and a "
                          "second-order test on one factorisation does not decide it")
    else:
        U, S, Vh = torch.linalg.svd(R, full_matrices=False)
        root = S[:r].sqrt()
        A, B = U[:, :r] * root, root[:, None] * Vh[:r]
        point, tested, target = torch.cat([B.flatten(), A.flatten()]), "factorisation (U√S, √S Vᵀ)", \
            shallow_problem(problem, r)
    got = classify_points(make_loss(target, device="cpu"), point.unsqueeze(0), bands)[0]
    if got.cls in FOUND_MIN:
        status, why = ShallowStatus.LOCAL_MIN, f"{tested} is {got.cls.value} on the shallow problem ({got.reason})"
    elif got.cls in NOT_MIN:
        status, why = ShallowStatus.NOT_LOCAL_MIN, f"{tested} is {got.cls.value} on the shallow problem ({got.reason})"
    else:
        status, why = ShallowStatus.UNDECIDED, f"{tested}: {got.reason}"
    return ShallowCheck(status, tested=tested, cls=got.cls, loss=got.loss, reason=why, **base)


def _undecided(problem, R, base, why) -> ShallowCheck:
    value = float(make_loss(shallow_problem(problem), device="cpu")(R.flatten().unsqueeze(0))[0])
    return ShallowCheck(ShallowStatus.UNDECIDED, tested="", cls=None, loss=value, reason=why, **base)
