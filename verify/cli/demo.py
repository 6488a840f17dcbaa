"""``spurious demo [--out DIR] [--papers [all|NAME,...]] --json`` — the built-in showcase on small instances, every row
certified; with ``--papers`` also every paper's quick reproduction (:mod:`verify.reproduce.summary`) in one table."""

from __future__ import annotations

import json

from verify.cli.common import EXIT_OK, add_json


def register(sub) -> None:
    d = sub.add_parser("demo", help="Kawaguchi's depth-2 vs depth-3 contrast and friends, classified exactly",
                       description="Classify the built-in small instances exactly and write their problem, point, "
                       "result and certificate files (every certificate re-checked by the independent checker).")
    d.add_argument("--out", default="spurious-out", help="directory for the problem, point and certificate files")
    d.add_argument("--papers", nargs="?", const="all", default=None, metavar="all|NAME,NAME,...",
                   help="also run the quick reproduction of every paper (or of those named) into OUT/reproduce/ and "
                   "print one summary table: claim, verdicts with their trust, seconds, where the files went")
    d.add_argument("--quiet", action="store_true", help="no progress on stderr (--papers)")
    add_json(d)
    d.set_defaults(func=run)


def run(args) -> int:
    from verify.reproduce.summary import paper_names
    from verify.run.demo import run_demo

    names = paper_names(args.papers) if args.papers is not None else None     # bad input before any work
    rows = run_demo(args.out)
    papers = _papers(args, names) if args.papers is not None else None
    if args.json:
        print(json.dumps({"cases": rows, "out_dir": args.out} | ({} if papers is None else {"papers": papers})))
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Kawaguchi's contrast and friends — exact classification")
    for col in ("instance", "class", "inertia (−,0,+)", "loss", "evidence", "literature", "certificate"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["instance"], r["class"], str(tuple(r["hessian_inertia"] or ())), r["loss"] or "",
                      r["reason"], r["expected"], "checked" if r["certificate"] else "—")
    Console(width=170).print(table)
    print(f"problem, point, result and certificate files written to {args.out}/; re-check one with\n"
          f"  spurious check-cert {args.out}/depth3-origin.cert.json")
    if papers is not None:
        _papers_table(papers)
    return EXIT_OK


def _papers(args, names) -> list[dict]:
    from pathlib import Path

    from verify.cli.common import Progress
    from verify.reproduce.summary import run_papers

    shown = None if args.quiet else Progress("demo")
    try:
        return run_papers(Path(args.out) / "reproduce", names, on_progress=None if shown is None else shown.update)
    finally:
        if shown is not None:
            shown.close()


def _papers_table(papers: list[dict]) -> None:
    from pathlib import Path

    from rich.console import Console
    from rich.table import Table

    table = Table(title="The papers, re-run small (spurious reproduce NAME --quick)", show_lines=True)
    for col in ("paper", "claim", "verdicts (trust)", "s"):
        table.add_column(col)
    table.add_column("certificates, figure", overflow="fold")
    for p in papers:
        if p["status"] != "ran":
            table.add_row(p["paper"], p["claim"], p["status"], "—", "—")
            continue
        files = f"{p['out']}/: " + (f"{p['certificates']} certificates, " if p["certificates"] else "") \
            + Path(p["figure"]).name
        table.add_row(p["paper"], p["claim"], p["verdicts"], f"{p['seconds']:.1f}", files)
    Console(width=170).print(table)
    ran = [p for p in papers if p["status"] == "ran"]
    print(f"{len(ran)} papers in {sum(p['seconds'] for p in ran):.1f} s; each one's table: "
          "spurious reproduce NAME --quick")
