"""Venturi, Bandeira & Bruna 2018 (one hidden layer, σ(t) = t²): the intrinsic dimension of span{σ(w·x)}
(n(n+1)/2 on R^n), no spurious valleys once the width reaches it (the theorem route), and a certified valley
below it (examples/square-valley.toml, a `spurious-rescaling-valley` certificate)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from verify.reproduce.common import closing, out_dir, run_sweeps, verdict_cells, verdict_text

CLAIM = ("one hidden layer, σ(t) = t²: no spurious valleys once the width reaches the intrinsic dimension "
         "(n(n+1)/2 on R^n); below it spurious valleys can exist")


def venturi2018(quick: bool, out=None, on_progress=None) -> tuple[dict, str]:
    from verify.exact.intrinsic import intrinsic_dimension
    from verify.problems import load_problem, problem_from_dict

    t0 = time.monotonic()
    d = out_dir(out, "venturi2018")
    dims = []
    for label, n, poly, says in (("t²", 2, [0, 0, 1], 3), ("t²", 3, [0, 0, 1], 6), ("t²", 4, [0, 0, 1], 10),
                                 ("t³", 2, [0, 0, 0, 1], 4), ("t + t²", 2, [0, 1, 1], 5)):
        P = problem_from_dict({"kind": "two-layer", "n": n, "width": 1, "activation": {"poly": poly},
                               "X": [[1] * 1] * n, "Y": [[0]], "train_output": True})
        r = intrinsic_dimension(P, population=True)
        dims.append({"sigma": label, "n": n, "dimension": r.dimension, "paper": says})
    widths = [3, 4] if quick else [1, 2, 3, 4]
    conj = [{"name": "venturi2018-square-net", "claim": "no-spurious-valley",
             "family": {"kind": "two-layer", "n": 2, "width": widths, "activation": {"poly": [0, 0, 1]}, "dy": 1,
                        "samples": 4, "seeds": 2, "entries": [-2, 2]},
             "budget": {"timeout": 20, "starts": 50}}]
    rows = run_sweeps("venturi2018", conj, d, on_progress)
    from verify.run.check import decide

    root = Path(__file__).resolve().parents[2]
    below = decide(load_problem(root / "examples" / "square-valley.toml"), "no-spurious-valley", timeout=60)
    if below.certificate is not None:
        (d / "certificates" / "square-valley-no-spurious-valley.cert.json").write_text(
            json.dumps(below.certificate, indent=1) + "\n")
    cells = verdict_cells(rows, "width")
    table = [{"width": w, "verdicts": verdict_text(v),
              "paper": "no spurious valleys (p ≥ 3)" if w >= 3 else "valleys can exist (p < 3)"}
             for (_, w), v in sorted(cells.items())]
    table.append({"width": "1 (examples/square-valley.toml)", "verdicts": f"{below.status.value} ({below.trust.value})",
                  "paper": "valleys can exist (p < 3)"})
    lines = [f"Venturi, Bandeira & Bruna 2018 — claim: {CLAIM}", "intrinsic dimension of span{σ(w·x)} on R^n",
             f"{'σ':<9}{'n':<4}{'ours':<7}paper"]
    lines += [f"{x['sigma']:<9}{x['n']:<4}{x['dimension']!s:<7}{x['paper']}" for x in dims]
    lines += ["", "no-spurious-valley, σ = t² on R² (intrinsic dimension 3), 4 samples, 2 data seeds",
              f"{'width':<34}{'verdicts (trust)':<30}paper"]
    lines += [f"{t['width']!s:<34}{t['verdicts']:<30}{t['paper']}" for t in table]
    obj, text = closing("venturi2018", CLAIM, d, rows, table, lines, t0)
    obj["intrinsic_dimensions"] = dims
    return obj, text
