"""``spurious report --db results.sqlite [--out DIR] [--json]`` — a sweep's database as tables and figures
(:mod:`verify.run.report`)."""

from __future__ import annotations

from verify.cli.common import EXIT_OK, add_json, emit


def register(sub) -> None:
    r = sub.add_parser("report", help="summarise a sweep's database: tables, figures, Markdown and HTML",
                       description="Counts by status and trust, the verdicts over the family's grid, the smallest "
                       "counterexample with its certificate, the slowest instances. With --out: report.md (figures "
                       "as PNG files beside it), one self-contained report.html, and counterexample.cert.json.")
    r.add_argument("--db", default="results.sqlite", help="the SQLite database written by `spurious sweep`")
    r.add_argument("--out", default=None, metavar="DIR", help="write report.md, report.html and the figures here "
                   "(otherwise print the Markdown tables only)")
    add_json(r)
    r.set_defaults(func=run)


def run(args) -> int:
    from verify.run.report import markdown, summarise, write_report
    from verify.run.store import open_existing

    with open_existing(args.db) as store:
        rows = store.rows()
    s = write_report(rows, args.out) if args.out else summarise(rows)
    human = markdown(s) + (f"\nwritten: {args.out}/report.md, {args.out}/report.html" if args.out else "")
    emit(args, {**s, "out": args.out}, human)
    return EXIT_OK
