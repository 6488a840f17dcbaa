"""``spurious demo [--out DIR] --json`` — the built-in showcase on small instances, every row certified."""

from __future__ import annotations

import json

from verify.cli.common import EXIT_OK, add_json


def register(sub) -> None:
    d = sub.add_parser("demo", help="Kawaguchi's depth-2 vs depth-3 contrast and friends, classified exactly",
                       description="Classify the built-in small instances exactly and write their problem, point, "
                       "result and certificate files (every certificate re-checked by the independent checker).")
    d.add_argument("--out", default="spurious-out", help="directory for the problem, point and certificate files")
    add_json(d)
    d.set_defaults(func=run)


def run(args) -> int:
    from verify.run.demo import run_demo

    rows = run_demo(args.out)
    if args.json:
        print(json.dumps({"cases": rows, "out_dir": args.out}))
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
    return EXIT_OK
