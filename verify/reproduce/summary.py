"""Every reproduction in one table (``spurious demo --papers``, ``make demo``): each paper of
:data:`verify.reproduce.PAPERS` run (quick by default) into ``OUT/NAME``, one row a paper — its claim, its verdicts
with their trust (the run's ``headline``), the seconds it took, where its certificates and figure went; the papers of
:data:`verify.reproduce.PENDING` as rows "not available yet".

>>> rows = run_papers("spurious-out/reproduce", names=["kawaguchi2016"])     # doctest: +SKIP
>>> [r["status"] for r in rows]                                              # doctest: +SKIP
['ran', 'not run', 'not run', 'not run', 'not run', 'not available yet']
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from verify.errors import InputError


def paper_names(text: str | None) -> list[str] | None:
    """``--papers`` as given: None or ``all`` for every paper, else a comma list of names (aliases allowed)."""
    from verify.reproduce import ALIASES, PAPERS

    if text is None or text == "all":
        return None
    names = [ALIASES.get(t.strip(), t.strip()) for t in text.split(",") if t.strip()]
    for name in names:
        if name not in PAPERS:
            raise InputError("--papers", f"{name!r} is not one of all, {', '.join(PAPERS)}")
    if not names:
        raise InputError("--papers", f"{text!r} is empty")
    return names


def run_papers(out: str | Path, names: list[str] | None = None, quick: bool = True, on_progress=None) -> list[dict]:
    """Run the papers ``names`` (None: all) into ``out/NAME``; one row for every paper of PAPERS and PENDING:
    ``{"paper", "claim", "status": "ran" | "not run" | "not available yet", "verdicts", "seconds", "out",
    "figure", "certificates"}``."""
    from verify.reproduce import PAPERS, PENDING

    rows = []
    for name, fn in PAPERS.items():
        row = _row(name, getattr(import_module(fn.__module__), "CLAIM", ""), "not run")
        if names is None or name in names:
            def progress(text, fraction=None, name=name):
                if on_progress:
                    on_progress(f"{name}: {text}", None)

            progress("running")
            obj, _ = fn(quick, out=Path(out) / name, on_progress=progress)
            row.update(status="ran", verdicts=obj["headline"], seconds=obj["seconds"], out=obj["out"],
                       figure=obj["figure"], certificates=obj.get("certificates"))
            progress(f"done in {obj['seconds']:.1f} s")
        rows.append(row)
    rows += [_row(name, claim, "not available yet") for name, claim in PENDING.items()]
    return rows


def _row(name: str, claim: str, status: str) -> dict:
    return {"paper": name, "claim": claim, "status": status, "verdicts": None, "seconds": None, "out": None,
            "figure": None, "certificates": None}
