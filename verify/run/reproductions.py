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

import json
import time
from pathlib import Path

from verify.errors import InputError

KAWAGUCHI_SAYS = {("no-spurious-local-min", 2): "true (Thm 2.3)", ("no-spurious-local-min", 3): "true (Thm 2.3)",
                  ("strict-saddle", 2): "true (Thm 2.3 (iv), H = 2)",
                  ("strict-saddle", 3): "false: saddles without negative curvature (H ≥ 3)"}


def _out(out, name: str) -> Path:
    d = Path(out) if out else Path("reproduce") / name
    try:
        (d / "certificates").mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError("--out", f"cannot create {str(d)!r}: {e.strerror or e}") from None
    return d


def _sweeps(name: str, conjectures: list[dict], d: Path, on_progress=None) -> list[dict]:
    """Run each conjecture into DIR/NAME.sqlite; write every certificate and the report; return all rows."""
    from verify.run.report import write_report
    from verify.run.store import Store
    from verify.run.sweep import parse_conjecture, sweep

    db = d / f"{name}.sqlite"
    for c in conjectures:
        conj = parse_conjecture(c)
        if on_progress:
            on_progress(f"{conj.name}: {conj.claim} over {len(conj.instances)} instances")
        sweep(conj, db)
    with Store(db) as s:
        rows = s.rows()
    for r in rows:
        if r["certificate"] is not None:
            (d / "certificates" / f"{r['claim']}-{r['key'][:12]}.cert.json").write_text(
                json.dumps(r["certificate"], indent=1) + "\n")
    write_report(rows, d)
    return rows


def _cells(rows, axis: str) -> dict:
    out: dict = {}
    for r in rows:
        k = (r["claim"], r["params"].get(axis))
        cell = out.setdefault(k, {})
        v = f"{r['status']} ({r['trust']})"
        cell[v] = cell.get(v, 0) + 1
    return out


def _verdicts(cell: dict) -> str:
    return ", ".join(f"{n} {v}" for v, n in sorted(cell.items()))


def kawaguchi2016(quick: bool, out=None, on_progress=None) -> tuple[dict, str]:
    t0 = time.monotonic()
    d = _out(out, "kawaguchi2016")
    family = {"kind": "deep-linear", "depth": [2, 3], "width": [1, 2], "dx": 2, "dy": 2, "samples": 3,
              "seeds": 3 if quick else 5, "entries": [-3, 3]}
    conj = [{"name": f"kawaguchi2016-{claim}", "claim": claim, "family": family,
             "budget": {"timeout": 30, "starts": 50}} for claim in ("no-spurious-local-min", "strict-saddle")]
    rows = _sweeps("kawaguchi2016", conj, d, on_progress)
    cells = _cells(rows, "depth")
    table = [{"claim": c, "depth": depth, "verdicts": _verdicts(v), "paper": KAWAGUCHI_SAYS.get((c, depth), "—")}
             for (c, depth), v in sorted(cells.items())]
    lines = ["Kawaguchi 2016: deep linear nets, square loss; widths 1–2 between d_x = d_y = 2, 3 samples, "
             f"{family['seeds']} data seeds", f"{'claim':<24}{'depth H':<9}{'verdicts (trust)':<32}paper"]
    lines += [f"{t['claim']:<24}{t['depth']:<9}{t['verdicts']:<32}{t['paper']}" for t in table]
    return _finish("kawaguchi2016", d, rows, table, lines, t0)


def venturi2018(quick: bool, out=None, on_progress=None) -> tuple[dict, str]:
    from verify.exact.intrinsic import intrinsic_dimension
    from verify.problems import load_problem, problem_from_dict

    t0 = time.monotonic()
    d = _out(out, "venturi2018")
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
    rows = _sweeps("venturi2018", conj, d, on_progress)
    from verify.run.check import decide

    root = Path(__file__).resolve().parents[2]
    below = decide(load_problem(root / "examples" / "square-valley.toml"), "no-spurious-valley", timeout=60)
    if below.certificate is not None:
        (d / "certificates" / "square-valley-no-spurious-valley.cert.json").write_text(
            json.dumps(below.certificate, indent=1) + "\n")
    cells = _cells(rows, "width")
    table = [{"width": w, "verdicts": _verdicts(v),
              "paper": "no spurious valleys (p ≥ 3)" if w >= 3 else "valleys can exist (p < 3)"}
             for (_, w), v in sorted(cells.items())]
    table.append({"width": "1 (examples/square-valley.toml)", "verdicts": f"{below.status.value} ({below.trust.value})",
                  "paper": "valleys can exist (p < 3)"})
    lines = ["Venturi, Bandeira & Bruna 2018: intrinsic dimension of span{σ(w·x)} on R^n",
             f"{'σ':<9}{'n':<4}{'ours':<7}paper"]
    lines += [f"{x['sigma']:<9}{x['n']:<4}{x['dimension']!s:<7}{x['paper']}" for x in dims]
    lines += ["", "no-spurious-valley, σ = t² on R² (intrinsic dimension 3), 4 samples, 2 data seeds",
              f"{'width':<34}{'verdicts (trust)':<30}paper"]
    lines += [f"{t['width']!s:<34}{t['verdicts']:<30}{t['paper']}" for t in table]
    obj, text = _finish("venturi2018", d, rows, table, lines, t0)
    obj["intrinsic_dimensions"] = dims
    return obj, text


MEHTA_SYSTEMS = [("1-1-1", [1, 1, 1], 5), ("1-2-1", [1, 2, 1], None), ("2-2-2", [2, 2, 2], 33),
                 ("1-2-3", [1, 2, 3], 73), ("1-3-3", [1, 3, 3], 245)]
"""(name, widths, complex critical points known from REFERENCE.md / the library, or None)."""


def mehta2018(quick: bool, out=None, on_progress=None) -> tuple[dict, str]:
    import random

    import proofs
    from verify.certify.landscape import complete_landscape_certificate
    from verify.exact.algebra.enumerate import critical_points
    from verify.problems import problem_from_dict

    t0 = time.monotonic()
    d = _out(out, "mehta2018")
    table = []
    for name, widths, known in MEHTA_SYSTEMS[:4] if quick else MEHTA_SYSTEMS:
        if on_progress:
            on_progress(f"{name}: critical points")
        rng = random.Random(name)
        reg = [[[f"{rng.randint(1, 9)}/{rng.randint(10, 19)}" for _ in range(widths[i])] for _ in
                range(widths[i + 1])] for i in range(len(widths) - 1)]
        P = problem_from_dict({"kind": "deep-linear", "widths": widths, "X": [[rng.randint(1, 3)] for _ in
                                                                              range(widths[0])],
                               "Y": [[rng.randint(1, 3)] for _ in range(widths[-1])], "reg": reg})
        r = critical_points(P, timeout=120)
        made = complete_landscape_certificate(P, statement="auto", ideal="auto", timeout=120)
        verified = False
        if made.certificate is not None:
            (d / "certificates" / f"{name}-complete-landscape.cert.json").write_text(json.dumps(made.certificate)
                                                                                     + "\n")
            verified = proofs.check_certificate(made.certificate, timeout=120).verified
        row = {"system": name, "status": r["status"], "complex": r.get("complex"), "real": r.get("real"),
               "by_class": {k: v for k, v in r.get("by_class", {}).items() if v}, "seconds": r.get("seconds"),
               "known": known, "certificate": made.statement if made.certificate is not None else None,
               "verified": verified}
        table.append(row)
        (d / f"{name}.json").write_text(json.dumps({k: v for k, v in r.items() if k != "points"}, indent=1) + "\n")
    lines = ["Mehta et al. 2018: critical points of deep linear nets, one sample, a generic per-weight regulariser",
             f"{'widths':<8}{'complex':<9}{'real':<6}{'known':<7}{'seconds':<9}{'certificate':<24}real points by class"]
    for t in table:
        cert = f"{t['certificate']} ({'kernel' if t['verified'] else 'not verified'})" if t["certificate"] else "none"
        lines.append(f"{t['system']:<8}{t['complex']!s:<9}{t['real']!s:<6}{t['known'] or '—'!s:<7}"
                     f"{(t['seconds'] or 0):<9.2f}{cert:<24}{', '.join(f'{k} {v}' for k, v in t['by_class'].items())}")
    _counts_figure(table, d / "counts.png")
    seconds = time.monotonic() - t0
    lines.append(f"{seconds:.1f} s; counts exact (Gröbner basis over Q), each re-proved by a complete-landscape "
                 f"certificate the kernel checked (trust: kernel); files in {d}/, figure: {d}/counts.png")
    return {"name": "mehta2018", "rows": table, "out": str(d), "seconds": seconds, "figure": str(d / "counts.png"),
            "trust": "kernel" if all(t["verified"] for t in table) else "solver"}, "\n".join(lines)


def _counts_figure(table, path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.6))
    xs = range(len(table))
    ax.bar([x - 0.2 for x in xs], [t["complex"] or 0 for t in table], 0.4, label="complex", color="#1971c2")
    ax.bar([x + 0.2 for x in xs], [t["real"] or 0 for t in table], 0.4, label="real", color="#c92a2a")
    ax.set_xticks(list(xs), [t["system"] for t in table])
    ax.set(yscale="log", xlabel="widths", ylabel="critical points", title="deep linear nets, generic Λ")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _finish(name, d, rows, table, lines, t0) -> tuple[dict, str]:
    seconds = time.monotonic() - t0
    certs = sum(1 for r in rows if r["certificate"] is not None)
    verified = sum(1 for r in rows if r["verified"] == 1)
    lines.append(f"{seconds:.1f} s; {len(rows)} instances, {certs} certificates written to {d}/certificates/ "
                 f"({verified} re-verified by the checker); report: {d}/report.md, figure: {d}/status.png")
    return {"name": name, "rows": table, "instances": len(rows), "certificates": certs, "verified": verified,
            "out": str(d), "figure": str(d / "status.png"), "seconds": seconds}, "\n".join(lines)


PAPERS = {"kawaguchi2016": kawaguchi2016, "venturi2018": venturi2018, "mehta2018": mehta2018}
