"""Kawaguchi 2016 (deep linear nets, square loss): every local minimum is global at every depth (Theorem 2.3,
under its data hypotheses); every saddle is strict with one hidden layer (H = 2), not from two on — the origin
is then a saddle with no negative curvature. Re-run as two sweeps over depth 2–3, hidden widths 1–2."""

from __future__ import annotations

import time

from verify.reproduce.common import closing, out_dir, run_sweeps, verdict_cells, verdict_text

CLAIM = ("deep linear nets, square loss: every local minimum is global at every depth; every saddle is strict with "
         "one hidden layer (H = 2), not with two or more")
KAWAGUCHI_SAYS = {("no-spurious-local-min", 2): "true (Thm 2.3)", ("no-spurious-local-min", 3): "true (Thm 2.3)",
                  ("strict-saddle", 2): "true (Thm 2.3 (iv), H = 2)",
                  ("strict-saddle", 3): "false: saddles without negative curvature (H ≥ 3)"}


def kawaguchi2016(quick: bool, out=None, on_progress=None) -> tuple[dict, str]:
    t0 = time.monotonic()
    d = out_dir(out, "kawaguchi2016")
    family = {"kind": "deep-linear", "depth": [2, 3], "width": [1, 2], "dx": 2, "dy": 2, "samples": 3,
              "seeds": 3 if quick else 5, "entries": [-3, 3]}
    conj = [{"name": f"kawaguchi2016-{claim}", "claim": claim, "family": family,
             "budget": {"timeout": 30, "starts": 50}} for claim in ("no-spurious-local-min", "strict-saddle")]
    rows = run_sweeps("kawaguchi2016", conj, d, on_progress)
    cells = verdict_cells(rows, "depth")
    table = [{"claim": c, "depth": depth, "verdicts": verdict_text(v), "paper": KAWAGUCHI_SAYS.get((c, depth), "—")}
             for (c, depth), v in sorted(cells.items())]
    lines = ["Kawaguchi 2016: deep linear nets, square loss; widths 1–2 between d_x = d_y = 2, 3 samples, "
             f"{family['seeds']} data seeds", f"claim: {CLAIM}",
             f"{'claim':<24}{'depth H':<9}{'verdicts (trust)':<32}paper"]
    lines += [f"{t['claim']:<24}{t['depth']:<9}{t['verdicts']:<32}{t['paper']}" for t in table]
    return closing("kawaguchi2016", CLAIM, d, rows, table, lines, t0)
