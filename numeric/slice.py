"""2-D slices of the loss around a point: L(θ + s·d₁ + t·d₂) on an (s, t) grid, batched in torch (float64).

Directions: given, or by default the two eigenvectors of the Hessian at θ with the lowest eigenvalues (the witness
directions: at a strict saddle d₁ descends, at a minimum both are its flattest; at a non-strict saddle the first
may be a null direction along which L falls only at third order). The radius defaults to 1 in units of the
directions (each normalised to length 1), and to max(1, ‖θ‖/2) when that is larger.

>>> from fractions import Fraction as F                                            # doctest: +SKIP
>>> from verify.problems import DeepLinear                                         # doctest: +SKIP
>>> s = loss_slice(DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(1),),)), [0, 0])  # doctest: +SKIP
>>> s.values.shape                                                                 # doctest: +SKIP
(61, 61)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from verify.errors import InputError
from verify.problems import Problem

from .figure_file import pyplot, save_png
from .hessian import hessians
from .losses import make_loss

MAX_GRID = 401


@dataclass
class Slice:
    point: list[float]
    directions: list[list[float]]
    eigenvalues: list[float] | None      # of the Hessian, for the default directions
    s: list[float]
    t: list[float]
    values: torch.Tensor                 # (len(t), len(s)): values[j, i] = L(θ + s_i d₁ + t_j d₂)
    centre: float

    def to_json(self) -> dict:
        return {"point": self.point, "directions": self.directions, "eigenvalues": self.eigenvalues, "s": self.s,
                "t": self.t, "loss": self.values.tolist(), "loss_at_point": self.centre,
                "min": float(self.values.min()), "max": float(self.values.max()), "backend": "numeric",
                "method": "2-d slice"}


def loss_slice(problem: Problem, point, directions=None, *, radius: float | None = None, grid: int = 61,
               device=None) -> Slice:
    if not isinstance(grid, int) or isinstance(grid, bool) or not 3 <= grid <= MAX_GRID:
        raise InputError("--grid", f"{grid!r} must be an integer between 3 and {MAX_GRID}")
    if radius is not None and not (isinstance(radius, (int, float)) and math.isfinite(radius) and radius > 0):
        raise InputError("--radius", f"{radius!r} must be a positive finite number")
    loss = make_loss(problem, device=device)
    theta = torch.tensor([[float(v) for v in point]], dtype=loss.dtype, device=loss.device)
    n = theta.shape[1]
    eig = None
    if directions is not None and len(directions) != 2:
        raise InputError("--dirs", "give two directions")
    given = [None, None] if directions is None else [None if d is None else
                                                    torch.tensor([float(v) for v in d], dtype=loss.dtype,
                                                                 device=loss.device) for d in directions]
    if any(d is not None and d.shape != (n,) for d in given):
        raise InputError("--dirs", f"each direction needs the problem's {n} parameters")
    if given[0] is None or given[1] is None:
        H = hessians(loss, theta)[0]
        w, V = torch.linalg.eigh((H + H.T) / 2)
        if given[0] is None and given[1] is None:
            eig = w[:2].tolist() if n >= 2 else None
        for k in range(n):      # fill the missing ones with the lowest eigenvectors not parallel to a given one
            v = V[:, k]
            for d in given:
                if d is not None:
                    u = d / torch.linalg.vector_norm(d).clamp(min=1e-300)
                    v = v - (v @ u) * u
            if float(torch.linalg.vector_norm(v)) > 1e-6:
                slot = given.index(None)
                given[slot] = v
                if None not in given:
                    break
        if None in given:
            given[given.index(None)] = torch.zeros(n, dtype=loss.dtype, device=loss.device)
    D = torch.stack(given)
    norms = torch.linalg.vector_norm(D, dim=1, keepdim=True)
    if bool((norms[:1] == 0).any()):
        raise InputError("--dirs", "the first direction is zero")
    D = D / norms.clamp(min=torch.finfo(D.dtype).tiny)
    r = radius if radius is not None else max(1.0, float(torch.linalg.vector_norm(theta)) / 2)
    axis = torch.linspace(-r, r, grid, dtype=loss.dtype, device=loss.device)
    if grid % 2:
        axis[grid // 2] = 0.0          # the point itself exactly on the grid
    T, S = torch.meshgrid(axis, axis, indexing="ij")
    pts = theta + S.reshape(-1, 1) * D[0] + T.reshape(-1, 1) * D[1]
    with torch.no_grad():
        vals = torch.cat([loss(c) for c in pts.split(8192)]).reshape(grid, grid)
        centre = float(loss(theta)[0])
    return Slice(theta[0].tolist(), D.tolist(), eig, axis.tolist(), axis.tolist(), vals.cpu(), centre)


def plot_slice(sl: Slice, path: str, title: str = "", field: str = "--plot") -> None:
    """Filled contours of L on the slice (log scale of L − min L + tiny when the range is wide), the point marked."""
    plt = pyplot(field)
    v = sl.values.numpy()
    fig, ax = plt.subplots(figsize=(5.4, 4.6))
    cs = ax.contourf(sl.s, sl.t, v, levels=30, cmap="viridis")
    ax.contour(sl.s, sl.t, v, levels=[sl.centre], colors="white", linewidths=1)
    ax.plot([0], [0], "r+", markersize=12, label=f"θ (L = {sl.centre:.4g})")
    fig.colorbar(cs, ax=ax, label="L")
    lab = ["d₁", "d₂"] if sl.eigenvalues is None else [f"d₁ (λ = {sl.eigenvalues[0]:.3g})",
                                                       f"d₂ (λ = {sl.eigenvalues[1]:.3g})"]
    ax.set(xlabel=lab[0], ylabel=lab[1], title=title or "L on a 2-D slice (white: the level L(θ))")
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    save_png(fig, path, field)
