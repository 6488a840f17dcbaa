"""What the reproductions share: the output folder, sweeps into it (certificates written, the report), the
verdict cells of a table, the closing line."""

from __future__ import annotations

import json
import time
from pathlib import Path

from verify.errors import InputError


def out_dir(out, name: str) -> Path:
    d = Path(out) if out else Path("reproduce") / name
    try:
        (d / "certificates").mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError("--out", f"cannot create {str(d)!r}: {e.strerror or e}") from None
    return d


def run_sweeps(name: str, conjectures: list[dict], d: Path, on_progress=None) -> list[dict]:
    """Run each conjecture into DIR/NAME.sqlite; write every certificate and the report; return all rows.

    The database of an earlier run is removed first: a reproduction recomputes every verdict (and its time) rather
    than reading them back as a resumed sweep would."""
    from verify.run.report import write_report
    from verify.run.store import Store
    from verify.run.sweep import parse_conjecture, sweep

    db = d / f"{name}.sqlite"
    for stale in (db, *d.glob(f"{name}.sqlite-*")):      # the database and its journal / WAL files
        stale.unlink(missing_ok=True)
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


def verdict_cells(rows, axis: str) -> dict:
    out: dict = {}
    for r in rows:
        k = (r["claim"], r["params"].get(axis))
        cell = out.setdefault(k, {})
        v = f"{r['status']} ({r['trust']})"
        cell[v] = cell.get(v, 0) + 1
    return out


def verdict_text(cell: dict) -> str:
    return ", ".join(f"{n} {v}" for v, n in sorted(cell.items()))


def _headline(t: dict) -> str:
    where = ", ".join(str(v) if k == "claim" else f"{k} {v}" for k, v in t.items() if k not in ("verdicts", "paper"))
    return f"{where}: {t['verdicts']}"


def closing(name, claim, d, rows, table, lines, t0) -> tuple[dict, str]:
    seconds = time.monotonic() - t0
    certs = sum(1 for r in rows if r["certificate"] is not None)
    verified = sum(1 for r in rows if r["verified"] == 1)
    lines.append(f"{seconds:.1f} s; {len(rows)} instances, {certs} certificates written to {d}/certificates/ "
                 f"({verified} re-verified by the checker); report: {d}/report.md, figure: {d}/status.png")
    return {"name": name, "claim": claim, "rows": table, "instances": len(rows), "certificates": certs,
            "verified": verified,
            "headline": f"{len(rows)} instances; " + "; ".join(_headline(t) for t in table),
            "out": str(d), "figure": str(d / "status.png"), "seconds": seconds}, "\n".join(lines)
