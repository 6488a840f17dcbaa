"""Lu & Kawaguchi 2017, "Depth creates no bad local minima" (arXiv 1702.08580): every local minimum of a deep
linear net L(θ) = ℓ(W_H ⋯ W_1 X, Y) maps to a local minimum of the shallow problem min ℓ(R X, Y), rank R ≤ min_i d_i
(claim ``depth-adds-no-bad-minima``; :mod:`verify.run.shallow_route`), beyond the square loss. Four parts:

1. a sweep of ``depth-adds-no-bad-minima`` over deep linear nets with the power-4, logistic and cross-entropy losses,
   hidden widths 1 (a bottleneck: the shallow route, numeric evidence) and 2 (Laurent & von Brecht 2018: proved);
2. a non-convex loss (examples/two-wells.toml): the shallow problem's spurious minimum survives at every
   factorisation (a kernel-checked ``spurious-product-min``) and depth adds none (``scalar-product-open``);
3. logistic and cross-entropy losses on random separable data (labels of a planted product: the infimum is
   approached only at infinity) and non-separable data (a positively spanning block of samples under one label:
   the loss is coercive, minima exist) — :func:`numeric.depth_evidence.losses_evidence`: the batched search's end
   points counted by class (a spurious local minimum would show as a spurious candidate) and every distinct
   minimum mapped to the shallow problem (:func:`numeric.shallow.shallow_check`);
4. the power-4 loss on a wider net (3-4-4-3, no bottleneck): the same, beside the theorem's proof of the claim.

Parts 3 and 4 are numeric evidence (``trust: numeric``): a run counted ``unknown`` ended where the bands could not
decide — for these losses typically a point still escaping to infinity (:mod:`numeric.escape`), never a minimum.
"""

from __future__ import annotations

import time
from pathlib import Path

from verify.reproduce.common import closing, out_dir, run_sweeps, verdict_cells, verdict_text

CLAIM = ("deep linear nets, any loss: every local minimum of ℓ(W_H ⋯ W_1 X, Y) maps to a local minimum of the shallow "
         "problem min ℓ(R X, Y), rank R ≤ min_i d_i — depth creates no bad local minima")
QUICK = {"seeds": 2, "starts": 30, "instances": 2, "wide_starts": 60}
FULL = {"seeds": 5, "starts": 100, "instances": 10, "wide_starts": 500}


def _evidence(label: str, widths, loss, separable: bool, seeds, starts: int, on_progress=None) -> dict:
    """:func:`numeric.depth_evidence.losses_evidence` on one family, summed: runs by class, the runs still falling
    at infinity, spurious candidates, and the shallow status of every distinct minimum found."""
    from numeric.depth_evidence import losses_evidence
    from verify.problems.losses import Loss

    if on_progress:
        on_progress(f"{label}: {len(seeds)} instances × {starts} starts")
    evs = losses_evidence(widths, Loss.from_value(loss), seeds, separable=separable, starts=starts)
    by_class, shallow = {}, {}
    for ev in evs:
        for cls, n in ev.by_class.items():
            by_class[cls.value] = by_class.get(cls.value, 0) + n
        for st, n in ev.shallow_counts.items():
            shallow[st.value] = shallow.get(st.value, 0) + n
    spurious = sum(len(ev.spurious) for ev in evs)
    runs, escaping = sum(ev.runs for ev in evs), sum(ev.not_attained for ev in evs)
    bad = shallow.get("not-local-min", 0)
    status = "unknown (none)" if spurious or bad else "evidence (numeric)"
    mapped = ", ".join(f"{k} {n}" for k, n in sorted(shallow.items())) or "—"
    verdict = (f"{status}: {spurious} spurious candidates, {runs} runs ({len(evs)} instances × {starts} starts); "
               f"by class {', '.join(f'{c} {n}' for c, n in sorted(by_class.items()))}; {escaping} still falling "
               f"(no minimum there); minima → shallow: {mapped}")
    return {"part": label, "instances": len(evs), "starts": starts, "by_class": by_class, "not_attained": escaping,
            "spurious": spurious, "shallow": shallow, "verdicts": verdict,
            "seconds": sum(ev.seconds for ev in evs)}


def lu_kawaguchi2017(quick: bool, out=None, on_progress=None, *, starts=None, seed: int = 0) -> tuple[dict, str]:
    """``starts`` overrides the starts of every search (the sweep's, parts 3 and 4); ``seed`` shifts the data seeds
    of part 3's instances."""
    from numeric.teacher import one_thread  # small matrices: torch's threads only contend (2 cores)

    cfg = dict(QUICK if quick else FULL)
    if starts is not None:
        cfg["starts"] = cfg["wide_starts"] = starts
    with one_thread():
        return _run(quick, cfg, seed, out, on_progress)


def _run(quick, cfg, seed, out, on_progress) -> tuple[dict, str]:
    from verify.problems import load_problem
    from verify.run.check import decide

    t0 = time.monotonic()
    d = out_dir(out, "lu-kawaguchi2017")
    family = {"kind": "deep-linear", "depth": 2 if quick else [2, 3], "width": [1, 2], "dx": 2, "dy": 2,
              "samples": 3, "seeds": cfg["seeds"], "entries": [-3, 3],
              "loss": [{"power": 4}, "logistic", "cross-entropy"]}
    conj = [{"name": "lu-kawaguchi2017-depth", "claim": "depth-adds-no-bad-minima", "family": family,
             "budget": {"timeout": 30, "starts": cfg["starts"]}}]
    rows = run_sweeps("lu-kawaguchi2017", conj, d, on_progress)
    table = []
    for (_, width), cell in sorted(verdict_cells(rows, "width").items()):
        table.append({"part": "1 sweep", "family": f"depth 2{'' if quick else '–3'}, hidden width {width}, d_x = "
                      "d_y = 2; power 4, logistic, cross-entropy", "verdicts": verdict_text(cell),
                      "paper": "no bad minima from depth" + (" (Laurent & von Brecht: proved)" if width >= 2 else "")})
    root = Path(__file__).resolve().parents[2]
    wells = load_problem(root / "examples" / "two-wells.toml")
    keeps = decide(wells, "no-spurious-local-min", timeout=60)
    adds = decide(wells, "depth-adds-no-bad-minima", timeout=60)
    for r, name in ((keeps, "two-wells-spurious-product-min"), (adds, "two-wells-depth-adds-no-bad-minima")):
        if r.certificate is not None:
            import json

            (d / "certificates" / f"{name}.cert.json").write_text(json.dumps(r.certificate, indent=1) + "\n")
    table.append({"part": "2 non-convex ℓ", "family": "examples/two-wells.toml (scalar, depth 3)",
                  "verdicts": f"no-spurious-local-min {keeps.status.value} ({keeps.trust.value}); "
                              f"depth-adds-no-bad-minima {adds.status.value} ({adds.trust.value})",
                  "paper": "the shallow spurious minimum is kept, none is added"})
    parts = []
    seeds = list(range(seed, seed + cfg["instances"]))
    for loss in ("logistic", "cross-entropy"):
        for separable in (True, False):
            kind = "separable" if separable else "non-separable"
            parts.append(_evidence(f"3 {loss}, {kind}", (3, 3, 3), loss, separable, seeds, cfg["starts"],
                                   on_progress))
    parts.append(_evidence("4 power 4, 3-4-4-3", (3, 4, 4, 3), {"power": 4}, False, [0], cfg["wide_starts"],
                           on_progress))
    for p in parts:
        table.append({"part": p["part"], "family": f"{p['instances']} random instances, widths 3-3-3"
                      if p["part"].startswith("3") else "one instance, widths 3-4-4-3 (no bottleneck)",
                      "verdicts": p["verdicts"], "paper": "no spurious local minimum"})
    lines = [f"Lu & Kawaguchi 2017 — claim: {CLAIM}"]
    for t in table:
        lines += [f"{t['part']:<31}{t['family']}", f"{'  verdicts':<31}{t['verdicts']}",
                  f"{'  the paper':<31}{t['paper']}"]
    obj, text = closing("lu-kawaguchi2017", CLAIM, d, rows, table, lines, t0)
    obj["evidence"] = parts
    spurious = sum(p["spurious"] for p in parts)
    runs = sum(sum(p["by_class"].values()) for p in parts)
    widths = "; ".join(f"width {w}: {verdict_text(c)}" for (_, w), c in sorted(verdict_cells(rows, "width").items()))
    obj["headline"] = (f"depth-adds-no-bad-minima, {widths}; two-wells: spurious minimum kept "
                       f"{keeps.status.value} ({keeps.trust.value}), none added {adds.status.value} "
                       f"({adds.trust.value}); search: {spurious} spurious candidates in {runs} runs (numeric)")
    return obj, text
