"""Freeman & Bruna 2017 (topology and geometry of half-rectified nets): the sub-level sets of one-hidden-layer ReLU
nets become connected as the width grows. :func:`numeric.paths.trend.trend` (the task is stated there): per hidden
width and level L0 = L_min + f·(L(0) − L_min), the fraction of pairs of minima joined by Dynamic String Sampling,
the median beads and the median normalised geodesic length, and the deep linear control. Numeric evidence only: a
pair not joined is ``unknown``, not a proof that its minima lie in different components; no certificates."""

from __future__ import annotations

import json
import time

from verify.errors import InputError
from verify.reproduce.common import out_dir

CLAIM = ("one-hidden-layer ReLU nets: sub-level sets become connected as the width grows (more pairs of minima "
         "joined below each level, by shorter strings)")
QUICK = {"widths": (2, 8, 32), "fractions": (0.1, 0.01, 0.001), "pairs": 4, "starts": 16}
FULL = {"widths": (2, 4, 8, 16, 32), "fractions": (0.1, 0.01, 0.001), "pairs": 16, "starts": 32}


def freeman_bruna2017(quick: bool, out=None, on_progress=None, *, widths=None, levels=None, pairs=None, seed=0,
                      plot=None) -> tuple[dict, str]:
    """``widths``/``levels`` tuples and ``pairs`` override the quick or full configuration; the figure goes to
    ``plot`` if given, else ``DIR/trend.png``."""
    cfg = dict(QUICK if quick else FULL)
    for key, value in (("widths", widths), ("fractions", levels), ("pairs", pairs)):
        if value is not None:
            cfg[key] = value
    from numeric.paths.trend import linear_rows, plot_trend, trend  # torch: only once the input is read
    from verify.certify.relu_teacher import one_thread  # measured 65 s with torch's threads, 9 s with one (load 2)

    started = time.monotonic()
    d = out_dir(out, "freeman-bruna2017")
    try:
        with one_thread():
            rows = linear_rows(cfg["fractions"], seed=seed)
            rows += trend(cfg["widths"], cfg["fractions"], pairs=cfg["pairs"], starts=cfg["starts"], seed=seed,
                          on_progress=on_progress)
    except InputError as e:
        raise InputError("levels" if e.field == "fractions" else e.field, e.detail) from None
    figure = str(plot or d / "trend.png")
    plot_trend(rows, figure, "--plot" if plot else "--out")
    seconds = time.monotonic() - started
    obj = {"name": "freeman-bruna2017", "claim": CLAIM, "status": "evidence", "trust": "numeric", "quick": quick,
           "seed": seed, "rows": [r.to_json() for r in rows], "plot": plot, "figure": figure, "out": str(d),
           "certificates": 0, "seconds": seconds}
    obj["headline"] = _headline(rows)
    (d / "rows.json").write_text(json.dumps(obj, indent=1) + "\n")
    return obj, _table(rows, figure, d, seconds)


def _headline(rows) -> str:
    relu = [r for r in rows if isinstance(r.width, int) and r.joined is not None]
    if not relu:
        return "no pairs of minima tried"
    low = min(r.fraction for r in relu)
    at = sorted((r.width, r.joined) for r in relu if r.fraction == low)
    return f"evidence (numeric): pairs joined at f = {low:g}: " + ", ".join(f"width {w} {j:.2f}" for w, j in at)


def _table(rows, figure, d, seconds) -> str:
    def show(v, fmt, width=0):
        return ("—" if v is None else format(v, fmt)).ljust(width)

    lines = ["Freeman & Bruna 2017: DSS between minima; L0 = L_min + f·(L(0) − L_min)",
             f"claim: {CLAIM}", "width    f       L0          minima  pairs  joined  beads  length"]
    for r in rows:
        lines.append(f"{str(r.width):<8} {r.fraction:<7g} {r.level:<11.4g} {r.minima:<7d} {r.pairs:<6d} "
                     f"{show(r.joined, '.2f', 7)} {show(r.median_beads, 'g', 6)} {show(r.median_length, '.3f')}")
    lines.append(f"figure: {figure}; rows: {d}/rows.json")
    lines.append(f"{seconds:.1f} s (numeric evidence, no certificates; a pair not joined is unknown, not "
                 "disconnected)")
    return "\n".join(lines)
