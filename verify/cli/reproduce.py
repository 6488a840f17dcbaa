"""``spurious reproduce NAME [--quick] [--out DIR] [--plot FILE.png] [--seed S] [paper options] [--json]`` — re-run a
paper's experiment (:mod:`verify.reproduce`, one module a paper) and print its table.

The papers and their aliases are read from :data:`verify.reproduce.PAPERS`; the options a paper takes are its
function's keyword-only parameters (``--widths`` → ``widths``), and an option given to a paper that does not take
it is refused (exit 2 naming it: an option silently ignored would mislead). A name not in the registry — or one in
:data:`verify.reproduce.PENDING`, whose capability has not landed — prints one line "not available yet" and exits 0.
``--plot FILE.png`` writes the figure there (a paper that draws into ``--out`` has it copied).
"""

from __future__ import annotations

import argparse
import inspect
import shutil

from verify.cli.common import EXIT_OK, Progress, add_json, count, emit
from verify.errors import InputError
from verify.reproduce import ALIASES, PAPERS, PENDING
from verify.reproduce.freeman_bruna2017 import FULL, QUICK
from verify.reproduce.safran_shamir2018 import FULL as TEACHER_FULL
from verify.reproduce.safran_shamir2018 import MAX_K, MAX_STARTS
from verify.reproduce.safran_shamir2018 import QUICK as TEACHER_QUICK


def _numbers(kind, what: str):
    """A comma-separated list of ``kind`` (``--widths 2,8,32``)."""
    def parse(text: str) -> tuple:
        try:
            values = tuple(kind(t) for t in text.split(",") if t.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} must be a comma-separated list of {what}") from None
        if not values:
            raise argparse.ArgumentTypeError(f"{text!r} is empty")
        return values
    parse.__name__ = "list"
    return parse


def _k_values(text: str) -> tuple[int, ...]:
    """``A..B`` (inclusive) or a comma list, every k in [1, MAX_K]."""
    text = text.strip()
    try:
        if ".." in text:
            a, b = (int(t) for t in text.split("..", 1))
            if b < a:
                raise argparse.ArgumentTypeError(f"{text!r}: the range A..B needs A ≤ B")
            values = tuple(range(a, b + 1))
        else:
            values = tuple(int(t) for t in text.split(",") if t.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} must be a range A..B or a comma-separated list of integers") \
            from None
    if not values:
        raise argparse.ArgumentTypeError(f"{text!r} is empty")
    for k in values:
        if not 1 <= k <= MAX_K:
            raise argparse.ArgumentTypeError(f"k={k} must be between 1 and {MAX_K}")
    return tuple(dict.fromkeys(values))


OPTIONS = ("widths", "levels", "pairs", "k", "n", "starts", "optimiser", "seed", "plot")
"""The paper options of the parser (dest = the keyword parameter of the paper's function)."""


def register(sub) -> None:
    names = list(PAPERS) + list(PENDING)
    c = sub.add_parser("reproduce", help="re-run a paper's experiment (" + ", ".join(PAPERS) + ")",
                       description="Re-run a paper's experiment at a small size: its claim, verdicts with their "
                       "trust, certificates, a table beside the paper's and a figure. Available: "
                       + ", ".join(PAPERS) + "; other names" + (f" ({', '.join(PENDING)})" if PENDING else "")
                       + " print \"not available yet\".")
    c.add_argument("name", help="the experiment: " + " | ".join(names) + " (aliases: "
                   + ", ".join(f"{a} = {b}" for a, b in ALIASES.items()) + ")")
    c.add_argument("--quick", action="store_true", help=f"small run, under 2 minutes on 2 cores (freeman-bruna2017: "
                   f"widths {QUICK['widths']}, {QUICK['pairs']} pairs, {QUICK['starts']} starts; safran-shamir2018: "
                   f"k = {TEACHER_QUICK['k'][0]}..{TEACHER_QUICK['k'][-1]}, {TEACHER_QUICK['starts']} starts; the "
                   "others: fewer data seeds or systems)")
    c.add_argument("--out", default=None, metavar="DIR", help="directory for the certificates, rows, report and "
                   "figure (default: reproduce/NAME)")
    c.add_argument("--widths", type=_numbers(int, "integers"), default=None, metavar="W,W,...",
                   help="freeman-bruna2017: hidden widths (default: "
                   f"{','.join(map(str, FULL['widths']))}; --quick: {','.join(map(str, QUICK['widths']))})")
    c.add_argument("--levels", type=_numbers(float, "numbers"), default=None, metavar="F,F,...",
                   help="freeman-bruna2017: levels as fractions f in (0, 1): L0 = L_min + f·(L(0) − L_min) (default: "
                   f"{','.join(map(str, FULL['fractions']))})")
    c.add_argument("--pairs", type=count(1, 10_000), default=None, metavar="N",
                   help=f"freeman-bruna2017: pairs of minima per (width, level) (default: {FULL['pairs']}; "
                   f"--quick: {QUICK['pairs']})")
    c.add_argument("--k", type=_k_values, default=None, metavar="A..B|K,K,...", help="safran-shamir2018: student "
                   f"widths k, 1 ≤ k ≤ {MAX_K} (default: {TEACHER_FULL['k'][0]}..{TEACHER_FULL['k'][-1]}; --quick: "
                   f"{TEACHER_QUICK['k'][0]}..{TEACHER_QUICK['k'][-1]})")
    c.add_argument("--n", choices=("k", "k+1"), default=None, help="safran-shamir2018: input dimension n "
                   "(default: k)")
    c.add_argument("--starts", type=count(1, MAX_STARTS), default=None, metavar="N", help="safran-shamir2018: runs "
                   f"per k (default: {TEACHER_FULL['starts']}; --quick: {TEACHER_QUICK['starts']}); lu-kawaguchi2017: "
                   "starts of every search (default: 100; --quick: 30)")
    c.add_argument("--optimiser", default=None, metavar="gd+newton|gd", help="safran-shamir2018: gd+newton "
                   "(GD, step 0.1, then a safeguarded Newton finish; the default) or gd (the paper's plain GD; slower)")
    c.add_argument("--seed", type=count(0, 2 ** 63 - 1), default=None, help="freeman-bruna2017: seed of the data, "
                   "search and strings; safran-shamir2018: of the initial points; lu-kawaguchi2017: the first data "
                   "seed of the random instances (default: 0)")
    c.add_argument("--plot", metavar="FILE.png", default=None, help="also write the figure to FILE.png")
    c.add_argument("--quiet", action="store_true", help="no progress on stderr")
    add_json(c)
    c.set_defaults(func=run)


def paper_options(name: str, fn, args) -> dict:
    """The options given on the command line, as keyword arguments of ``fn``; InputError for one it does not take."""
    takes = {p.name for p in inspect.signature(fn).parameters.values() if p.kind is p.KEYWORD_ONLY}
    given = {opt: getattr(args, opt) for opt in OPTIONS if getattr(args, opt) is not None}
    for opt in given:
        if opt not in takes and opt != "plot":
            raise InputError(f"--{opt}", f"does not apply to {name}")
    return {opt: v for opt, v in given.items() if opt in takes}


def run(args) -> int:
    name = ALIASES.get(args.name, args.name)
    fn = PAPERS.get(name)
    if fn is None:
        emit(args, {"name": name, "available": False, "message": "not available yet"},
             f"{name}: not available yet (available: {', '.join(PAPERS)})")
        return EXIT_OK
    options = paper_options(name, fn, args)
    shown = None if args.quiet else Progress("reproduce")
    try:
        out, human = fn(args.quick, out=args.out, on_progress=None if shown is None else shown.update, **options)
    except InputError as e:          # a keyword parameter named in the error: the option of the same name
        raise InputError(f"--{e.field}" if e.field in OPTIONS else e.field, e.detail) from None
    finally:
        if shown is not None:
            shown.close()
    if args.plot and "plot" not in options:
        try:
            shutil.copyfile(out["figure"], args.plot)
        except OSError as e:
            raise InputError("--plot", f"cannot write {args.plot!r}: {e.strerror or e}") from None
        out["plot"] = args.plot
        human += f"\nfigure copied to {args.plot}"
    emit(args, out, human)
    return EXIT_OK
