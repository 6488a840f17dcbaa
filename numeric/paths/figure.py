"""The figure of a string: the loss along it against arc length, beads marked, the level drawn (matplotlib).

>>> from numeric.paths.figure import plot_string   # doctest: +SKIP
>>> plot_string(problem, result, "string.png")      # doctest: +SKIP
"""

from __future__ import annotations

import torch

from verify.problems import Problem

from ..figure_file import pyplot, save_png
from ..losses import make_loss
from .dss import StringResult
from .segments import string_profile


def plot_string(problem: Problem, result: StringResult, path: str, *, samples: int = 257, device=None,
                field: str = "--plot") -> None:
    """Write a PNG (or any format matplotlib infers from ``path``) of L along ``result``'s string: x = arc length
    Σ ‖θ_i − θ_{i+1}‖ from θ_a, dotted vertical lines at the inserted beads, a horizontal line at L0."""
    plt = pyplot(field)
    loss = make_loss(problem, device=device)
    beads = torch.tensor(result.beads, dtype=loss.dtype, device=loss.device)
    s, values = string_profile(loss, beads, samples)
    lengths = torch.linalg.vector_norm(beads[1:] - beads[:-1], dim=1).cumsum(0).tolist()
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.plot(s.cpu().numpy(), values.cpu().numpy(), color="tab:blue", lw=1.4, label="L along the string")
    for x in lengths[:-1]:
        ax.axvline(x, color="tab:gray", ls=":", lw=0.9)
    ax.axhline(result.level, color="tab:red", ls="--", lw=1.0, label=f"L0 = {result.level:.4g}")
    top = max(result.level, float(values.max()))
    ax.set_ylim(min(0.0, float(values.min())), 1.12 * top if top > 0 else 1.0)
    ax.set_xlabel("arc length from θ_a")
    ax.set_ylabel("loss")
    length = result.geodesic_length
    ax.set_title(f"{'connected' if result.connected else 'not connected within budget'}: {result.counts.beads} "
                 f"beads, normalised length {'n/a' if length is None else f'{length:.4f}'}", fontsize=10)
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    save_png(fig, path, field, dpi=120)
