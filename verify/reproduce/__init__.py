"""``spurious reproduce NAME``: the founding papers' claims re-run on small instances (mostly as sweeps,
:mod:`verify.run.sweep`), each verdict with its trust, every certificate written, a table beside what the paper
says and a figure.

* ``kawaguchi2016`` — deep linear nets, square loss (Kawaguchi 2016, Theorem 2.3 and §2.3's remark): every local
  minimum is global at every depth (under the theorem's data hypotheses); every saddle is strict with one hidden
  layer (H = 2), not from two on (the origin has no negative curvature).
* ``lu-kawaguchi2017`` — deep linear nets beyond the square loss (Lu & Kawaguchi 2017): depth creates no bad local
  minima (``depth-adds-no-bad-minima``) — power 4, logistic, cross-entropy, and a non-convex loss whose shallow
  spurious minimum survives at every factorisation (kernel) while depth adds none.
* ``venturi2018`` — one hidden layer, σ(t) = t² (Venturi, Bandeira & Bruna 2018): the intrinsic dimension
  (n(n+1)/2 on R^n for t²), no spurious valleys once the width reaches it, and a certified valley below it.
* ``freeman-bruna2017`` — one hidden ReLU layer (Freeman & Bruna 2017): Dynamic String Sampling joins more pairs of
  minima below each level as the width grows (numeric evidence), one joined pair per width certified
  (``sublevel-path``, kernel).
* ``mehta2018`` — critical points of deep linear nets with a generic per-weight regulariser (Mehta et al. 2018:
  the loss surface through algebraic geometry): every complex critical point counted, the real ones classified.
* ``safran-shamir2018`` — ReLU teacher–student under Gaussian input (Safran & Shamir 2018): how often gradient
  descent ends at a spurious minimum (numeric), the lowest spurious family of each k certified (kernel).

Each module states the paper's claim in one line, ``CLAIM``; its function takes
``(quick, out=None, on_progress=None, **options)`` and returns (JSON object, human text); the JSON has
``name``, ``claim``, ``headline`` (one line: the verdicts with their trust), ``out``, ``figure`` and ``seconds``.
Its keyword-only parameters are the options it accepts (the CLI refuses the others). Files go to ``--out DIR``
(default ``reproduce/NAME``): the certificates in ``DIR/certificates/``, the table's rows and the figure.

A paper whose capability has not landed is in :data:`PENDING` (name → what it will show); when its module lands it
moves to :data:`PAPERS`.
"""

from __future__ import annotations

from verify.reproduce.freeman_bruna2017 import freeman_bruna2017
from verify.reproduce.kawaguchi2016 import kawaguchi2016
from verify.reproduce.lu_kawaguchi2017 import lu_kawaguchi2017
from verify.reproduce.mehta2018 import mehta2018
from verify.reproduce.safran_shamir2018 import safran_shamir2018
from verify.reproduce.venturi2018 import venturi2018

PAPERS = {"kawaguchi2016": kawaguchi2016, "lu-kawaguchi2017": lu_kawaguchi2017, "venturi2018": venturi2018,
          "freeman-bruna2017": freeman_bruna2017, "mehta2018": mehta2018, "safran-shamir2018": safran_shamir2018}
"""Paper → function(quick, out=None, on_progress=None, **options) → (JSON object, human text)."""

PENDING: dict[str, str] = {}
"""Papers named in issue 14 whose capability has not landed: name → the claim they will check."""

ALIASES = {"safran-shamir": "safran-shamir2018"}

__all__ = ["ALIASES", "PAPERS", "PENDING", "freeman_bruna2017", "kawaguchi2016", "lu_kawaguchi2017", "mehta2018",
           "safran_shamir2018", "venturi2018"]
