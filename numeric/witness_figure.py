"""The loss along a classification's witnesses (``spurious classify --plot``): L(θ(t)) − L(θ) for t ∈ [−r, r] on
the descent witness (a direction v with vᵀHv < 0, or a curve θ(t) = θ + Σ t^k c_k) and on the ascent witness,
evaluated in torch (float64). A picture of what the certificate proves exactly, not a proof."""

from __future__ import annotations

import torch

from .figure_file import pyplot, save_png
from .losses import make_loss


def along(problem, point, coefficients: list[list[float]], radius: float = 1.0, samples: int = 201):
    """(t, L(θ + Σ_k t^k c_k) − L(θ)) as lists."""
    loss = make_loss(problem, device="cpu")
    theta = torch.tensor([float(v) for v in point], dtype=torch.float64)
    t = torch.linspace(-radius, radius, samples, dtype=torch.float64)
    pts = theta.repeat(samples, 1)
    for k, c in enumerate(coefficients, start=1):
        pts = pts + t[:, None] ** k * torch.tensor([float(v) for v in c], dtype=torch.float64)
    with torch.no_grad():
        vals = loss(pts) - loss(theta[None])[0]
    return t.tolist(), vals.tolist()


def plot_witnesses(problem, point, curves: dict[str, list[list[float]]], path: str, title: str,
                   field: str = "--plot") -> dict:
    plt = pyplot(field)
    fig, ax = plt.subplots(figsize=(5.6, 3.8))
    out = {}
    for (label, coeffs), colour in zip(curves.items(), ("#c92a2a", "#1971c2")):
        scale = max(1e-12, max(abs(float(v)) for c in coeffs for v in c))
        t, v = along(problem, point, coeffs, radius=1.0 / scale)
        ax.plot(t, v, color=colour, label=label)
        out[label] = {"t": t, "delta_loss": v}
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set(xlabel="t", ylabel="L(θ(t)) − L(θ)", title=title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    save_png(fig, path, field)
    return out
