"""The figure of a search (``spurious search --plot``): a histogram of the loss levels the runs ended at, one
colour per class, and the Hessian spectra of the candidates (all eigenvalues, symlog scale) beside it.

>>> plot_search(result, "search.png")      # doctest: +SKIP
"""

from __future__ import annotations

import math

import torch

from .figure_file import pyplot, save_png
from .hessian import hessians
from .losses import make_loss

SPECTRA = 12
"""Candidates whose full spectrum is drawn (the lowest-loss ones), when N ≤ MAX_DENSE."""
MAX_DENSE = 400
COLOURS = {"global-min": "#2b8a3e", "local-min": "#74b816", "spurious-local-min": "#c92a2a",
           "strict-saddle": "#1971c2", "non-strict-saddle": "#7048e8", "saddle": "#1c7ed6", "local-max": "#e67700",
           "not-critical": "#adb5bd", "unknown": "#495057"}


def plot_search(result, path: str, field: str = "--plot") -> dict:
    """Write the PNG; returns {"spectra": [{"id", "class", "eigenvalues"}...]} for the candidates drawn."""
    plt = pyplot(field)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    by: dict[str, list[float]] = {}
    weights: dict[str, list[int]] = {}
    for c in result.candidates:           # every run belongs to one candidate (its class after de-duplication)
        if math.isfinite(c["loss"]):
            cls = c["class"].value if hasattr(c["class"], "value") else str(c["class"])
            by.setdefault(cls, []).append(c["loss"])
            weights.setdefault(cls, []).append(c["count"])
    values = [v for vs in by.values() for v in vs]
    if values:
        lo, hi = min(values), max(values)
        log = lo > 0 and hi / lo > 100
        bins = (torch.logspace(math.log10(lo), math.log10(hi), 41).tolist() if log and hi > lo else 40)
        left.hist(list(by.values()), bins=bins, weights=list(weights.values()), stacked=True, label=list(by),
                  color=[COLOURS.get(k, "#000000") for k in by])
        if log:
            left.set_xscale("log")
    left.set(xlabel="loss at the end of a run", ylabel="runs",
             title=f"{len(result.classes)} runs by class of their candidate")
    left.legend(fontsize=8)
    spectra = []
    n = result.problem.n_params
    cands = [c for c in result.candidates if "params" in c][:SPECTRA]
    if cands and n <= MAX_DENSE:
        loss = make_loss(result.problem, device="cpu")
        H = hessians(loss, torch.tensor([c["params"] for c in cands], dtype=torch.float64))
        for k, (c, h) in enumerate(zip(cands, H)):
            ev = torch.linalg.eigvalsh((h + h.T) / 2).tolist()
            cls = c["class"].value if hasattr(c["class"], "value") else str(c["class"])
            spectra.append({"id": c["id"], "class": cls, "eigenvalues": ev})
            right.scatter([k] * len(ev), ev, s=10, color=COLOURS.get(cls, "#000000"))
        right.set_xticks(range(len(cands)), [f"#{c['id']}" for c in cands], fontsize=8)
        right.set_yscale("symlog", linthresh=1e-6)
        right.axhline(0, color="black", linewidth=0.6)
    right.set(xlabel="candidate (lowest loss first)", ylabel="Hessian eigenvalues",
              title="Hessian spectra of the candidates" if spectra else f"no spectra (N = {n} > {MAX_DENSE})")
    fig.suptitle(f"{result.problem.describe()}: numeric search (evidence, not proofs)")
    fig.tight_layout()
    save_png(fig, path, field)
    return {"spectra": spectra}
