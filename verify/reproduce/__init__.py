"""``spurious reproduce NAME``: the founding papers' claims re-run on small instances, as sweeps
(:mod:`verify.run.sweep`), each verdict with its trust, every certificate written, a table beside what the paper
says and a figure (the sweep report's, :mod:`verify.run.report`).

* ``kawaguchi2016`` — deep linear nets, square loss (Kawaguchi 2016, Theorem 2.3 and §2.3's remark): every local
  minimum is global at every depth (under the theorem's data hypotheses); every saddle is strict with one hidden
  layer (H = 2), not from two on (the origin has no negative curvature).
* ``venturi2018`` — one hidden layer, σ(t) = t² (Venturi, Bandeira & Bruna 2018): the intrinsic dimension
  (n(n+1)/2 on R^n for t²), no spurious valleys once the width reaches it, and a certified valley below it.
* ``mehta2018`` — critical points of deep linear nets with a generic per-weight regulariser (Mehta et al. 2018:
  the loss surface through algebraic geometry): every complex critical point counted, the real ones classified.

Each writes ``DIR/NAME.sqlite`` (the sweep's rows and certificates), ``DIR/certificates/*.cert.json``,
``DIR/report.md``, ``DIR/report.html`` and ``DIR/status.png`` (``--out DIR``, default ``reproduce/NAME``).
"""

from __future__ import annotations

from verify.reproduce.kawaguchi2016 import kawaguchi2016
from verify.reproduce.mehta2018 import mehta2018
from verify.reproduce.venturi2018 import venturi2018

PAPERS = {"kawaguchi2016": kawaguchi2016, "venturi2018": venturi2018, "mehta2018": mehta2018}
"""Paper → function(quick, out=None, on_progress=None) → (JSON object, human text)."""

__all__ = ["PAPERS", "kawaguchi2016", "mehta2018", "venturi2018"]
