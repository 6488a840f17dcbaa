"""What every command shares: the parser class, exit codes, option types, output and file writing.

Exit codes (CONTRACT.md): 0 an answer was produced (``refuted`` and ``unknown`` included); 1 ``check-cert``
rejected the certificate; 2 bad input (a message naming the field on stderr; with ``--json`` also
``{"error": {"field", "message"}}`` on stdout); 3 internal error; 4 ``check-cert`` on a solver attestation.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from verify.errors import InputError

EXIT_OK, EXIT_REJECTED, EXIT_INPUT, EXIT_INTERNAL, EXIT_ATTESTED = 0, 1, 2, 3, 4

DEFAULT_TIMEOUT = 60.0


class Parser(argparse.ArgumentParser):
    """argparse with usage errors on exit code 2 (and a JSON error object when ``--json`` was given)."""

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"spurious: error: {message}", file=sys.stderr)
        if "--json" in sys.argv[1:]:
            print(json.dumps({"error": {"field": "arguments", "message": message}}))
        raise SystemExit(EXIT_INPUT)


class Help(argparse.ArgumentDefaultsHelpFormatter):
    """``--help`` shows every option's default (and argparse lists its choices)."""


def emit(args, obj: dict, human: str) -> None:
    """One JSON object on stdout with ``--json``, the human text otherwise."""
    print(json.dumps(obj) if args.json else human)


def write_json(path: str, obj: dict, field: str = "--cert") -> None:
    try:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(obj, fh, indent=1)
            fh.write("\n")
    except OSError as e:
        raise InputError(field, f"cannot write {path!r}: {e.strerror or e}") from None


def seconds(text: str) -> float:
    """``--timeout``: one rule for every command — a finite number of seconds, > 0 and ≤ 1e8."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of seconds: {text!r}") from None
    if not math.isfinite(value) or value <= 0 or value > 1e8:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive, finite number of seconds (at most 1e8)")
    return value


def count(low: int, high: int):
    """An integer option within [low, high] (``--starts``, ``--examples``, ...)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"invalid integer: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} must be between {low} and {high}")
        return value
    parse.__name__ = "integer"
    return parse


def add_timeout(p, default: float = DEFAULT_TIMEOUT, what: str = "wall-clock limit") -> None:
    p.add_argument("--timeout", type=seconds, default=default, metavar="S",
                   help=f"{what} in seconds; a timeout is reported as unknown, never as a proof")


def add_json(p) -> None:
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout and nothing else there")
