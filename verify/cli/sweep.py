"""``spurious sweep CONJ.toml [--workers N] [--scheduler ADDRESS] [--db results.sqlite] [--json]`` — one claim over a
family of instances (:mod:`verify.run.sweep`), answers in SQLite (:mod:`verify.run.store`), resumable."""

from __future__ import annotations

import sys

from verify.cli.common import EXIT_OK, Progress, add_json, count, emit


def register(sub) -> None:
    s = sub.add_parser("sweep", help="test a conjecture over a family of instances; results in SQLite, resumable",
                       description="Run `spurious check`'s claim on every instance of a conjecture file (TOML: the "
                       "claim, an instance family — grids over depth, widths, activation, dimensions and data seeds — "
                       "and a per-instance budget; see verify/run/sweep.py). Each answer is written to the database "
                       "in its own transaction, keyed by the instance's content hash and the claim: a re-run skips "
                       "what is there, a sweep killed and resumed loses and duplicates nothing. `spurious report "
                       "--db FILE` summarises it.")
    s.add_argument("conjecture", metavar="CONJ", help="conjecture file (TOML)")
    s.add_argument("--db", default="results.sqlite", help="SQLite results database (created when missing)")
    s.add_argument("--workers", type=count(1, 256), default=1,
                   help="local worker processes (1: in this process)")
    s.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="a Dask distributed scheduler (tcp://host:8786): run the instances on its workers instead")
    s.add_argument("--quiet", action="store_true", help="no progress on stderr")
    add_json(s)
    s.set_defaults(func=run)


def _live(total: int, quiet: bool):
    """(update(row, counts), close()) — a rich progress bar on a terminal, plain lines otherwise."""
    if quiet:
        return (lambda row, counts: None), (lambda: None)
    if sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        bar = Bar(TextColumn("sweep"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), transient=False)
        task = bar.add_task("", total=total)
        bar.start()

        def update(row, counts):
            bar.update(task, advance=1, description=_counts(counts))

        return update, bar.stop
    lines = Progress("sweep")
    done = [0]

    def update(row, counts):
        done[0] += 1
        lines.update(f"{done[0]}/{total} new ({_counts(counts)})", done[0] / max(total, 1))

    return update, lines.close


def _counts(counts: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none yet"


def run(args) -> int:
    from verify.run.store import Store
    from verify.run.sweep import load_conjecture, sweep, tasks_of

    conj = load_conjecture(args.conjecture)
    with Store(args.db) as store:
        todo = len(tasks_of(conj, store.done(conj.claim)))
    update, close = _live(todo, args.quiet)
    try:
        s = sweep(conj, args.db, workers=args.workers, scheduler=args.scheduler, on_result=update)
    finally:
        close()
    out = {"sweep": conj.name, "claim": conj.claim, "db": args.db, **s.to_json()}
    human = (f"{conj.name}: {conj.claim} over {s.total} instances ({s.skipped} already in {args.db}, {s.written} "
             f"written) — {_counts(s.counts)}\n{s.seconds:.1f} s, {s.engine}; `spurious report --db {args.db}` "
             "summarises it")
    emit(args, out, human)
    return EXIT_OK
