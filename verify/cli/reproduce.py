"""``spurious reproduce NAME [--quick] [--widths 2,4,8,16,32] [--levels 0.1,0.01,0.001] [--pairs N] [--seed S]
[--plot FILE.png] [--json]`` — re-run a paper's experiment, small, and print its table.

One entry of :data:`REPRODUCTIONS` a paper (name → function taking the parsed arguments and returning
(JSON object, human text)); a name not in the table prints one line "not available yet" and exits 0.

``freeman-bruna2017``: :func:`numeric.paths.trend.trend` (the task is stated there): per hidden width and level
L0 = L_min + f·(L(0) − L_min), the fraction of pairs of minima joined by Dynamic String Sampling, the median
beads and the median normalised geodesic length, and the deep linear control. Numeric evidence only: a pair not
joined is ``unknown``, not a proof that its minima lie in different components.
"""

from __future__ import annotations

import time

from verify.cli.common import EXIT_OK, Progress, add_json, count, emit

QUICK = {"widths": (2, 8, 32), "fractions": (0.1, 0.01, 0.001), "pairs": 4, "starts": 16}
FULL = {"widths": (2, 4, 8, 16, 32), "fractions": (0.1, 0.01, 0.001), "pairs": 16, "starts": 32}


def register(sub) -> None:
    c = sub.add_parser("reproduce", help="re-run a paper's experiment, small (freeman-bruna2017)",
                       description="Re-run a paper's experiment at a small size and print its table. Available: "
                       + ", ".join(REPRODUCTIONS) + "; other names print \"not available yet\".")
    c.add_argument("name", help="the experiment: " + " | ".join(REPRODUCTIONS))
    c.add_argument("--quick", action="store_true", help=f"small run (widths {QUICK['widths']}, {QUICK['pairs']} "
                   f"pairs, {QUICK['starts']} starts; under 2 minutes on 2 cores)")
    c.add_argument("--widths", default=None, metavar="W,W,...", help="hidden widths (default: 2,4,8,16,32; "
                   "--quick: 2,8,32)")
    c.add_argument("--levels", default=None, metavar="F,F,...", help="levels as fractions f in (0, 1): L0 = "
                   "L_min + f·(L(0) − L_min) (default: 0.1,0.01,0.001)")
    c.add_argument("--pairs", type=count(1, 10_000), default=None, metavar="N",
                   help="pairs of minima per (width, level) (default: 16; --quick: 4)")
    c.add_argument("--seed", type=count(0, 2 ** 63 - 1), default=0, help="seed of the data, search and strings")
    c.add_argument("--plot", metavar="FILE.png", default=None, help="write the figure (needs matplotlib)")
    c.add_argument("--quiet", action="store_true", help="no progress on stderr")
    add_json(c)
    c.set_defaults(func=run)


def _list(text: str, option: str, kind):
    from verify.errors import InputError

    try:
        values = tuple(kind(t) for t in text.split(",") if t.strip())
    except ValueError:
        raise InputError(option, f"{text!r} must be a comma-separated list of numbers") from None
    if not values:
        raise InputError(option, f"{text!r} is empty")
    return values


def freeman_bruna(args) -> tuple[dict, str]:
    from verify.errors import InputError

    cfg = dict(QUICK if args.quick else FULL)
    if args.widths is not None:
        cfg["widths"] = _list(args.widths, "--widths", int)
    if args.levels is not None:
        cfg["fractions"] = _list(args.levels, "--levels", float)
    if args.pairs is not None:
        cfg["pairs"] = args.pairs
    from numeric.paths.trend import linear_rows, plot_trend, trend  # torch: only once the input is read

    shown = None if args.quiet else Progress("reproduce")
    started = time.monotonic()
    names = {"widths": "--widths", "fractions": "--levels", "levels": "--levels", "pairs": "--pairs",
             "seed": "--seed"}
    try:
        rows = linear_rows(cfg["fractions"], seed=args.seed)
        rows += trend(cfg["widths"], cfg["fractions"], pairs=cfg["pairs"], starts=cfg["starts"], seed=args.seed,
                      on_progress=None if shown is None else shown.update)
    except InputError as e:
        raise InputError(names.get(e.field, e.field), e.detail) from None
    finally:
        if shown is not None:
            shown.close()
    if args.plot:
        plot_trend(rows, args.plot)
    seconds = time.monotonic() - started
    out = {"name": "freeman-bruna2017", "status": "evidence", "trust": "numeric", "quick": args.quick,
           "seed": args.seed, "rows": [r.to_json() for r in rows], "plot": args.plot, "seconds": seconds}
    return out, _table(rows, args.plot, seconds)


def _table(rows, plot, seconds) -> str:
    def show(v, fmt, width=0):
        return ("—" if v is None else format(v, fmt)).ljust(width)

    lines = ["Freeman & Bruna 2017: DSS between minima; L0 = L_min + f·(L(0) − L_min)",
             "width    f       L0          minima  pairs  joined  beads  length"]
    for r in rows:
        lines.append(f"{str(r.width):<8} {r.fraction:<7g} {r.level:<11.4g} {r.minima:<7d} {r.pairs:<6d} "
                     f"{show(r.joined, '.2f', 7)} {show(r.median_beads, 'g', 6)} {show(r.median_length, '.3f')}")
    if plot:
        lines.append(f"figure: {plot}")
    lines.append(f"{seconds:.1f} s (numeric evidence; a pair not joined is unknown, not disconnected)")
    return "\n".join(lines)


REPRODUCTIONS = {"freeman-bruna2017": freeman_bruna}
"""Experiment name → function(args) → (JSON object, human text). Issue 14's papers are added here."""


def run(args) -> int:
    entry = REPRODUCTIONS.get(args.name)
    if entry is None:
        emit(args, {"name": args.name, "available": False, "message": "not available yet"},
             f"{args.name}: not available yet (available: {', '.join(REPRODUCTIONS)})")
        return EXIT_OK
    out, human = entry(args)
    emit(args, out, human)
    return EXIT_OK
