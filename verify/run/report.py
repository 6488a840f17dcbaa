"""A sweep's database as a report: counts by status and trust, the verdicts over the family's grid, the smallest
counterexample with its certificate, the slowest instances, and two figures (status over the grid, time against
size) — as Markdown (with the figures as PNG files beside it) and as one self-contained HTML page (figures inline).
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections import Counter
from pathlib import Path

from numeric.figure_file import save_png
from verify.errors import InputError

STATUS_ORDER = ("proved", "refuted", "evidence", "unknown", "error")
COLOURS = {"proved": "#2b8a3e", "refuted": "#c92a2a", "evidence": "#1971c2", "unknown": "#868e96", "error": "#000000"}


def _axes(rows: list[dict]) -> list[str]:
    """Grid axes: parameters taking more than one value (the data seed last, and only if nothing else varies)."""
    names = list(dict.fromkeys(k for r in rows for k in r["params"]))
    varying = [k for k in names if k != "seed" and len({json.dumps(r["params"].get(k)) for r in rows}) > 1]
    return varying or (["seed"] if "seed" in names else [])


def _order(r: dict, axes) -> tuple:
    return tuple((0, v, "") if isinstance(v, (int, float)) and not isinstance(v, bool) else (1, 0, json.dumps(v))
                 for v in (r["params"].get(a) for a in axes))


def _cell(r: dict, axes) -> str:
    return ", ".join(f"{a} = {json.dumps(r['params'].get(a))}" for a in axes)


def summarise(rows: list[dict]) -> dict:
    """The report's content as JSON (no figures)."""
    axes = _axes(rows)
    by = Counter((r["status"], r["trust"]) for r in rows)
    grid: dict[str, Counter] = {}
    for r in sorted(rows, key=lambda r: _order(r, axes)):
        grid.setdefault(_cell(r, axes), Counter())[r["status"]] += 1
    refuted = sorted((r for r in rows if r["status"] == "refuted"), key=lambda r: (r["size"], r["seconds"], r["key"]))
    slow = sorted(rows, key=lambda r: -r["seconds"])[:5]
    small = refuted[0] if refuted else None
    return {"instances": len(rows), "claims": sorted({r["claim"] for r in rows}),
            "sweeps": sorted({r["sweep"] for r in rows}), "axes": axes,
            "by_status_trust": [{"status": s, "trust": t, "instances": n} for (s, t), n in
                                sorted(by.items(), key=lambda kv: (_rank(kv[0][0]), kv[0][1]))],
            "grid": [{"cell": c, **{s: n for s, n in cnt.items()}} for c, cnt in grid.items()],
            "certificates_verified": sum(1 for r in rows if r["verified"] == 1),
            "certificates_rejected": sum(1 for r in rows if r["verified"] == 0),
            "smallest_counterexample": None if small is None else {
                "key": small["key"], "params": small["params"], "size": small["size"], "trust": small["trust"],
                "reason": small["reason"], "problem": small["problem"], "verified": small["verified"]},
            "slowest": [{"params": r["params"], "status": r["status"], "seconds": r["seconds"], "size": r["size"]}
                        for r in slow]}


def _rank(status: str) -> int:
    return STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)


def _table(header: list[str], body: list[list]) -> list[list[str]]:
    return [header] + [[str(v) for v in row] for row in body]


def tables(s: dict) -> dict[str, list[list[str]]]:
    statuses = [x for x in STATUS_ORDER if any(x in g for g in s["grid"])]
    out = {"Verdicts by status and trust": _table(["status", "trust", "instances"],
                                                  [[d["status"], d["trust"], d["instances"]]
                                                   for d in s["by_status_trust"]]),
           "Verdicts over the grid": _table([", ".join(s["axes"]) or "instance"] + statuses,
                                            [[g["cell"]] + [g.get(x, 0) for x in statuses] for g in s["grid"]]),
           "Slowest instances": _table(["instance", "status", "size (parameters)", "seconds"],
                                       [[json.dumps(d["params"], sort_keys=True), d["status"], d["size"],
                                         f"{d['seconds']:.2f}"] for d in s["slowest"]])}
    return out


def figures(rows: list[dict], s: dict) -> dict[str, bytes]:
    """PNG bytes: ``status`` (stacked counts per grid cell) and ``time`` (seconds against parameters)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise InputError("--out", "the figures need matplotlib (pip install matplotlib)") from None
    out = {}
    cells = [g["cell"] for g in s["grid"]]
    fig, ax = plt.subplots(figsize=(max(5, 1.2 * len(cells) + 2), 3.6))
    bottom = [0] * len(cells)
    for status in STATUS_ORDER:
        vals = [g.get(status, 0) for g in s["grid"]]
        if any(vals):
            ax.bar(range(len(cells)), vals, bottom=bottom, color=COLOURS[status], label=status)
            bottom = [b + v for b, v in zip(bottom, vals)]
    ax.set_xticks(range(len(cells)), [c.replace(", ", "\n") for c in cells], fontsize=8)
    ax.set(ylabel="instances", title=f"{', '.join(s['claims'])}: verdicts over the grid")
    ax.legend(fontsize=8)
    fig.tight_layout()
    out["status"] = _png(fig)
    fig, ax = plt.subplots(figsize=(5, 3.6))
    for status in STATUS_ORDER:
        mine = [r for r in rows if r["status"] == status]
        if mine:
            ax.scatter([r["size"] for r in mine], [max(r["seconds"], 1e-4) for r in mine], s=18,
                       color=COLOURS[status], label=status)
    ax.set(xlabel="parameters", ylabel="seconds per instance", yscale="log", title="time against size")
    ax.legend(fontsize=8)
    fig.tight_layout()
    out["time"] = _png(fig)
    return out


def _png(fig) -> bytes:
    buf = io.BytesIO()
    save_png(fig, buf, "--out", dpi=100)
    return buf.getvalue()


def markdown(s: dict, figs: dict[str, str] | None = None) -> str:
    lines = [f"# Sweep report: {', '.join(s['sweeps'])} ({', '.join(s['claims'])})", "",
             f"{s['instances']} instances; certificates re-verified by the checker: {s['certificates_verified']}"
             f" (rejected: {s['certificates_rejected']}).", ""]
    for title, t in tables(s).items():
        lines += [f"## {title}", "", "| " + " | ".join(t[0]) + " |", "|" + "---|" * len(t[0])]
        lines += ["| " + " | ".join(row) + " |" for row in t[1:]] + [""]
    c = s["smallest_counterexample"]
    lines += ["## Smallest counterexample", ""]
    if c is None:
        lines += ["No instance refuted the claim.", ""]
    else:
        lines += [f"{json.dumps(c['params'], sort_keys=True)} — {c['size']} parameters, trust {c['trust']}, "
                  f"certificate {'verified' if c['verified'] == 1 else 'not verified'} "
                  f"({'counterexample.cert.json' if c['verified'] is not None else 'none stored'}).", "",
                  f"> {c['reason']}", "", "```json", json.dumps(c["problem"], sort_keys=True), "```", ""]
    for name, path in (figs or {}).items():
        lines += [f"![{name}]({path})", ""]
    return "\n".join(lines)


def page(s: dict, pngs: dict[str, bytes]) -> str:
    """One self-contained HTML page: the tables, the counterexample, the figures as data: URIs."""
    def table(t):
        head = "".join(f"<th>{html.escape(h)}</th>" for h in t[0])
        body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in t[1:])
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    parts = [f"<h1>Sweep report: {html.escape(', '.join(s['sweeps']))} ({html.escape(', '.join(s['claims']))})</h1>",
             f"<p>{s['instances']} instances; certificates re-verified by the checker: {s['certificates_verified']}"
             f" (rejected: {s['certificates_rejected']}).</p>"]
    for title, t in tables(s).items():
        parts += [f"<h2>{html.escape(title)}</h2>", table(t)]
    c = s["smallest_counterexample"]
    parts.append("<h2>Smallest counterexample</h2>")
    parts.append("<p>No instance refuted the claim.</p>" if c is None else
                 f"<p>{html.escape(json.dumps(c['params'], sort_keys=True))} — {c['size']} parameters, trust "
                 f"{html.escape(c['trust'])}</p><blockquote>{html.escape(c['reason'])}</blockquote>"
                 f"<pre>{html.escape(json.dumps(c['problem'], sort_keys=True))}</pre>")
    for name, data in pngs.items():
        parts.append(f'<h2>{html.escape(name)}</h2><img alt="{html.escape(name)}" src="data:image/png;base64,'
                     f'{base64.b64encode(data).decode("ascii")}">')
    style = ("body{font-family:sans-serif;max-width:1000px;margin:2em auto}table{border-collapse:collapse}"
             "td,th{border:1px solid #aaa;padding:3px 8px;text-align:left}th{background:#eee}")
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>Sweep report</title><style>{style}</style>"
            f"</head><body>{''.join(parts)}</body></html>\n")


def write_report(rows: list[dict], out: str | Path) -> dict:
    """report.md, report.html, status.png, time.png and counterexample.cert.json (when there is one) in ``out``."""
    d = Path(out)
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError("--out", f"cannot create {str(out)!r}: {e.strerror or e}") from None
    s = summarise(rows)
    pngs = figures(rows, s) if rows else {}
    names = {}
    for name, data in pngs.items():
        (d / f"{name}.png").write_bytes(data)
        names[name] = f"{name}.png"
    small = s["smallest_counterexample"]
    if small is not None:
        row = next(r for r in rows if r["key"] == small["key"] and r["status"] == "refuted")
        if row["certificate"] is not None:
            (d / "counterexample.cert.json").write_text(json.dumps(row["certificate"], indent=1) + "\n")
    (d / "report.md").write_text(markdown(s, names) + "\n")
    (d / "report.html").write_text(page(s, pngs))
    return s


__all__ = ["markdown", "page", "summarise", "write_report"]
