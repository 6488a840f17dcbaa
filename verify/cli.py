"""The ``spurious`` command line (CONTRACT.md). Every command takes ``--json``.

Exit codes: 0 an answer was produced (``unknown`` included); 2 bad input (message on stderr naming
the field, never a traceback); 3 internal error.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings

from .errors import InputError, SpuriousError
from .verdict import PointClass

EXIT_OK, EXIT_REJECTED, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own usage errors: exit 2 with a one-line hint
        self.print_usage(sys.stderr)
        print(f"spurious: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


def _emit(args, obj: dict, human: str) -> None:
    if args.json:
        print(json.dumps(obj))
    else:
        print(human)


def cmd_classify(args) -> int:
    from .classify import Classification, classify
    from .problem_file import load_point, load_problem
    from .report import classification_json
    from .timeout import WallClockTimeout, wall_clock_limit

    problem = load_problem(args.problem)
    point = load_point(problem, args.point)
    try:
        with wall_clock_limit(args.timeout):
            c = classify(problem, point)
    except WallClockTimeout as e:
        c = Classification(PointClass.UNKNOWN, None, None, None, f"timeout: {e}; nothing was decided")
    if args.cert:
        raise InputError("--cert", "certificates are not available yet in this build (proofs/ checker pending)")
    out = classification_json(c)
    lines = [f"class:    {out['class']}", f"loss:     {out['loss']}",
             f"gradient: {'zero' if c.gradient_zero else ('non-zero' if c.gradient_zero is False else 'n/a')}",
             f"inertia:  {out['hessian_inertia']} (negative, zero, positive)", f"reason:   {c.reason}"]
    if out["witness"]:
        lines.append(f"witness:  {json.dumps(out['witness'])}")
    _emit(args, out, "\n".join(lines))
    return EXIT_OK


def cmd_demo(args) -> int:
    from .demo import run_demo

    rows = run_demo(args.out)
    if args.json:
        print(json.dumps({"cases": rows, "out_dir": args.out}))
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Kawaguchi's contrast and friends — exact classification")
    for col in ("instance", "class", "inertia (−,0,+)", "loss", "evidence", "literature"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["instance"], r["class"], str(tuple(r["hessian_inertia"] or ())), r["loss"] or "",
                      r["reason"], r["expected"])
    Console(width=160).print(table)
    print(f"problem, point and result files written to {args.out}/")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="spurious", description="Check claims about loss landscapes of small networks, exactly.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    c = sub.add_parser("classify", help="classify a point of the loss exactly")
    c.add_argument("problem", help="problem file (TOML)")
    c.add_argument("--point", required=True, help="point file (JSON)")
    c.add_argument("--cert", help="write a certificate to this file")
    c.add_argument("--timeout", type=float, default=120.0, help="wall-clock limit in seconds (default 120)")
    c.add_argument("--json", action="store_true", help="print one JSON object")
    c.set_defaults(func=cmd_classify)

    d = sub.add_parser("demo", help="Kawaguchi's depth-2 vs depth-3 contrast, classified exactly")
    d.add_argument("--out", default="spurious-out", help="directory for the files it writes")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=cmd_demo)
    return p


def _warn(message, category, filename, lineno, file=None, line=None):
    print(f"spurious: warning: {message}", file=sys.stderr)


def main(argv=None) -> int:
    warnings.showwarning = _warn
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputError as e:
        print(f"spurious: error: {e}", file=sys.stderr)
        return EXIT_INPUT
    except SpuriousError as e:
        print(f"spurious: internal error: {e}", file=sys.stderr)
        return EXIT_INTERNAL
    except RecursionError:
        print("spurious: error: input nested too deeply", file=sys.stderr)
        return EXIT_INPUT
    except MemoryError:
        print("spurious: error: input too large for memory", file=sys.stderr)
        return EXIT_INPUT
    except Exception as e:  # noqa: BLE001 — the last line of defence: no tracebacks for users
        print(f"spurious: internal error: {type(e).__name__}: {e} (please report)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
