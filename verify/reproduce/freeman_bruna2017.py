"""Freeman & Bruna 2017 (topology and geometry of half-rectified nets): the sub-level sets of one-hidden-layer ReLU
nets become connected as the width grows. :func:`numeric.paths.trend.trend` (the task is stated there): per hidden
width and level L0 = L_min + f·(L(0) − L_min), the fraction of pairs of minima joined by Dynamic String Sampling,
the median beads and the median normalised geodesic length, and the deep linear control. The rows are numeric
evidence: a pair not joined is ``unknown``, not a proof that its minima lie in different components. Then, for each
width, the pair joined at the lowest level is certified where it can be
(:func:`verify.certify.sublevel.sublevel_certificate`: the string rationalised, L < λ on every segment proved
exactly by the kernel, a ``sublevel-path`` certificate): those two minima lie in one component of {L < λ} (trust:
kernel). A string that is
not certified is ``unknown`` — its rationalised segments may touch λ; that says nothing about the two minima."""

from __future__ import annotations

import json
import time
from fractions import Fraction

from verify.reproduce.common import out_dir

CLAIM = ("one-hidden-layer ReLU nets: sub-level sets become connected as the width grows (more pairs of minima "
         "joined below each level, by shorter strings)")
QUICK = {"widths": (2, 8, 32), "fractions": (0.1, 0.01, 0.001), "pairs": 4, "starts": 16, "certify_params": 64}
FULL = {"widths": (2, 4, 8, 16, 32), "fractions": (0.1, 0.01, 0.001), "pairs": 16, "starts": 32,
        "certify_params": None}
"""``certify_params``: strings of nets with more parameters are not certified (width 32, 128 parameters: ~20 s a
certificate here, against ~1.5 s at width 8); None: every width."""


def freeman_bruna2017(quick: bool, out=None, on_progress=None, *, widths=None, levels=None, pairs=None, seed=0,
                      plot=None) -> tuple[dict, str]:
    """``widths``/``levels`` tuples and ``pairs`` override the quick or full configuration; the figure goes to
    ``plot`` if given, else ``DIR/trend.png``."""
    cfg = dict(QUICK if quick else FULL)
    for key, value in (("widths", widths), ("fractions", levels), ("pairs", pairs)):
        if value is not None:
            cfg[key] = value
    from numeric.paths.trend import check_arguments, linear_rows, plot_trend, trend  # torch: once the input is read
    from numeric.teacher import one_thread  # measured 65 s with torch's threads, 9 s with one (load 2)

    check_arguments(cfg["widths"], cfg["fractions"], pairs=cfg["pairs"], starts=cfg["starts"], seed=seed)
    started = time.monotonic()
    d = out_dir(out, "freeman-bruna2017")
    strings: list = []
    with one_thread():
        rows = linear_rows(cfg["fractions"], seed=seed, strings=strings)
        rows += trend(cfg["widths"], cfg["fractions"], pairs=cfg["pairs"], starts=cfg["starts"], seed=seed,
                      on_progress=on_progress, strings=strings)
    certified = _certify(strings, d, cfg["certify_params"], on_progress)
    figure = str(plot or d / "trend.png")
    plot_trend(rows, figure, "--plot" if plot else "--out")
    seconds = time.monotonic() - started
    obj = {"name": "freeman-bruna2017", "claim": CLAIM, "status": "evidence", "trust": "numeric", "quick": quick,
           "seed": seed, "rows": [r.to_json() for r in rows], "plot": plot, "figure": figure, "out": str(d),
           "certified": certified, "certificates": sum(1 for c in certified if c["certificate"]), "seconds": seconds}
    obj["headline"] = _headline(rows, certified)
    (d / "rows.json").write_text(json.dumps(obj, indent=1) + "\n")
    return obj, _table(rows, certified, figure, d, seconds)


def _certify(strings, d, max_params, on_progress=None) -> list[dict]:
    """Per width, the string joined at the lowest level, certified (``sublevel-path``) or why not."""
    import proofs
    from verify.certify.sublevel import sublevel_certificate

    lowest: dict = {}
    for s in strings:
        if s.width not in lowest or s.fraction < lowest[s.width].fraction:
            lowest[s.width] = s
    out = []
    for width, s in lowest.items():
        row = {"width": width, "fraction": s.fraction, "level": s.level, "params": s.problem.n_params,
               "certificate": None, "trust": "none"}
        if max_params is not None and s.problem.n_params > max_params:
            out.append(row | {"reason": f"not attempted: {s.problem.n_params} parameters > {max_params} (--quick)"})
            continue
        if on_progress:
            on_progress(f"width {width}: certifying the string at f = {s.fraction:g}")
        try:
            r = sublevel_certificate(s.problem, [s.a, *s.beads[1:-1], s.b], s.level, timeout=120)
        except proofs.CheckTimeout as e:
            out.append(row | {"reason": f"the kernel's check timed out: {e}"})
            continue
        if r.certificate is None:
            out.append(row | {"reason": r.reason})
            continue
        path = d / "certificates" / f"width-{width}-f{s.fraction:g}-sublevel-path.cert.json"
        path.write_text(json.dumps(r.certificate) + "\n")
        out.append(row | {"certificate": str(path), "trust": "kernel", "lambda": r.certificate["claim"]["level"],
                          "reason": r.reason})
    return out


def _headline(rows, certified) -> str:
    relu = [r for r in rows if isinstance(r.width, int) and r.joined is not None]
    if not relu:
        return "no pairs of minima tried"
    low = min(r.fraction for r in relu)
    at = sorted((r.width, r.joined) for r in relu if r.fraction == low)
    proved = [f"{c['width']} (f = {c['fraction']:g})" for c in certified if c["certificate"]]
    return (f"evidence (numeric): pairs joined at f = {low:g}: " + ", ".join(f"width {w} {j:.2f}" for w, j in at)
            + ("; a pair connected below L0 proved (kernel) at width " + ", ".join(proved) if proved else ""))


def _table(rows, certified, figure, d, seconds) -> str:
    def show(v, fmt, width=0):
        return ("—" if v is None else format(v, fmt)).ljust(width)

    lines = ["Freeman & Bruna 2017: DSS between minima; L0 = L_min + f·(L(0) − L_min)",
             f"claim: {CLAIM}", "width    f       L0          minima  pairs  joined  beads  length"]
    for r in rows:
        lines.append(f"{str(r.width):<8} {r.fraction:<7g} {r.level:<11.4g} {r.minima:<7d} {r.pairs:<6d} "
                     f"{show(r.joined, '.2f', 7)} {show(r.median_beads, 'g', 6)} {show(r.median_length, '.3f')}")
    if certified:
        lines.append("per width, the pair joined at the lowest level, certified (sublevel-path):")
    for c in certified:
        what = (f"connected below λ ≈ {float(Fraction(c['lambda'])):.6g} proved (kernel), {c['certificate']}"
                if c["certificate"]
                else f"unknown ({c['reason']})")
        lines.append(f"  width {c['width']}, f = {c['fraction']:g}: {what}")
    lines.append(f"figure: {figure}; rows: {d}/rows.json")
    lines.append(f"{seconds:.1f} s (the rows are numeric evidence; a pair not joined is unknown, not disconnected)")
    return "\n".join(lines)
