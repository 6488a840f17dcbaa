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
import time

from verify.errors import InputError

EXIT_OK, EXIT_REJECTED, EXIT_INPUT, EXIT_INTERNAL, EXIT_ATTESTED = 0, 1, 2, 3, 4

DEFAULT_TIMEOUT = 60.0


class Parser(argparse.ArgumentParser):
    """argparse with usage errors on exit code 2 (and a JSON error object when ``--json`` was given)."""

    argv: list | None = None
    """The arguments being parsed (set by :func:`verify.cli.main`; None: ``sys.argv[1:]``)."""

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"spurious: error: {message}", file=sys.stderr)
        if wants_json(sys.argv[1:] if Parser.argv is None else Parser.argv):
            print(json.dumps({"error": {"field": _field(message), "message": message}}))
        raise SystemExit(EXIT_INPUT)


def wants_json(argv) -> bool:
    """``--json`` (or an abbreviation argparse accepts, ``--js``) is among the arguments."""
    return any(len(a) >= 3 and "--json".startswith(a) for a in argv if isinstance(a, str))


def _field(message: str) -> str:
    """The option an argparse message is about (``argument --timeout: ...`` → ``--timeout``), else ``arguments``."""
    if message.startswith("argument "):
        name = message[len("argument "):].split(":", 1)[0].split("/", 1)[0].strip()
        return name or "arguments"
    if "required" in message and ":" in message:
        return message.split(":", 1)[1].split(",")[0].strip() or "arguments"
    return "arguments"


class Help(argparse.ArgumentDefaultsHelpFormatter):
    """``--help`` shows every option's default (a flag's is "off", a missing value's "none"), or "required"."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "%(default)" in text or "(default: " in text or action.default is argparse.SUPPRESS \
                or not action.option_strings:
            return text
        if action.required:
            return text + " (required)"
        if isinstance(action, argparse._StoreTrueAction):
            return text + " (default: off)"
        if action.default is None:
            return text + " (default: none)"
        return text + " (default: %(default)s)"


def choices_help(entries: dict) -> str:
    """``name: what it means; ...`` for an option whose choices come from a registry."""
    return "; ".join(f"{name}: {what}" for name, what in entries.items())


class Progress:
    """Progress lines on stderr: ``\r`` updates on a terminal; elsewhere (a pipe, a CI log) plain lines,
    at most one every ``every`` seconds, or when the fraction done crosses the next ``step``."""

    def __init__(self, label: str, every: float = 5.0, step: float = 0.1, stream=None):
        self.label, self.every, self.step = label, every, step
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.last_time = time.monotonic()
        self.last_fraction = 0.0
        self.pending = None
        self.shown = False

    def update(self, text: str, fraction: float | None = None) -> None:
        if self.tty:
            print(f"\r{self.label}: {text}\x1b[K", end="", file=self.stream, flush=True)
            self.shown = True
            return
        now = time.monotonic()
        due = now - self.last_time >= self.every
        if fraction is not None and fraction >= self.last_fraction + self.step:
            due = True
        self.pending = text
        if due:
            self._line(text)
            self.last_time = now
            if fraction is not None:
                self.last_fraction = fraction - fraction % self.step if self.step else fraction

    def _line(self, text: str) -> None:
        print(f"{self.label}: {text}", file=self.stream, flush=True)
        self.pending = None
        self.shown = True

    def close(self, text: str | None = None) -> None:
        """End the display: the last state (or ``text``) on its own line."""
        final = text if text is not None else self.pending
        if self.tty:
            if final is not None:
                print(f"\r{self.label}: {final}\x1b[K", end="", file=self.stream)
            if self.shown or final is not None:
                print(file=self.stream, flush=True)
        elif final is not None:
            self._line(final)


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


def positive_float(text: str) -> float:
    """A positive finite number (``--step``, ``--radius``, ...)."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number: {text!r}") from None
    if not math.isfinite(v) or v <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive finite number")
    return v


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


def add_problem(p, what: str = "problem file") -> None:
    """The PROBLEM argument; its help names the problem kinds (from :data:`verify.problems.KINDS`)."""
    from verify.problems import KINDS

    p.add_argument("problem", help=f"{what} (TOML, CONTRACT.md); kind = {' | '.join(KINDS)}")


def add_point(p) -> None:
    p.add_argument("--point", required=True, help="point file (JSON): {\"params\": [...]} or named matrices")


def add_json(p) -> None:
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout and nothing else there")
