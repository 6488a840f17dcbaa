"""The ``spurious`` command line (CONTRACT.md): one module per command, each with ``register`` and ``run``.

Every command takes ``--json``. Exit codes are in :mod:`verify.cli.common`. A new command is one module
here and one entry of :data:`COMMANDS`.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from importlib import import_module

from verify.cli.common import EXIT_INPUT, EXIT_INTERNAL, Help, Parser
from verify.errors import InputError, SpuriousError

COMMANDS = ("classify", "check", "critical_points", "intrinsic_dim", "connect", "search", "hunt", "check_cert", "demo",
            "reproduce", "sweep", "report", "slice", "shallow")
"""Modules of :mod:`verify.cli`, in ``--help`` order."""


def build_parser() -> Parser:
    p = Parser(prog="spurious", description="Check claims about the loss landscapes of small networks, with "
               "certificates an independent checker re-verifies.", formatter_class=Help)
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser, metavar="COMMAND")
    for name in COMMANDS:
        module = import_module(f"verify.cli.{name}")
        before = set(sub.choices)
        module.register(sub)
        for new in set(sub.choices) - before:
            sub.choices[new].formatter_class = Help
    return p


def _warn(message, category, filename, lineno, file=None, line=None):
    print(f"spurious: warning: {message}", file=sys.stderr)


def _fail(args, code: int, field: str, message: str) -> int:
    label = "error" if code == EXIT_INPUT else "internal error"
    print(f"spurious: {label}: {message}", file=sys.stderr)
    if getattr(args, "json", False):
        print(json.dumps({"error": {"field": field, "message": message}}))
    return code


def main(argv=None) -> int:
    warnings.showwarning = _warn
    for stream in (sys.stdout, sys.stderr):  # a non-UTF-8 terminal gets escapes, not UnicodeEncodeError (exit 3)
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    Parser.argv = None if argv is None else list(argv)
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:  # e.g. `spurious demo --json | head -c 10`: the reader left; not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except InputError as e:
        return _fail(args, EXIT_INPUT, e.field, str(e))
    except SpuriousError as e:
        return _fail(args, EXIT_INTERNAL, "", str(e))
    except RecursionError:
        return _fail(args, EXIT_INPUT, "input", "input nested too deeply")
    except MemoryError:
        return _fail(args, EXIT_INPUT, "input", "input too large for memory")
    except Exception as e:  # noqa: BLE001 — the last line of defence: no tracebacks for users
        return _fail(args, EXIT_INTERNAL, "", f"{type(e).__name__}: {e} (please report)")


if __name__ == "__main__":
    sys.exit(main())
