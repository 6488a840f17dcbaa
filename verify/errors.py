"""One root exception for Spurious, and the kinds the CLI maps onto exit codes.

``InputError`` (exit 2) is bad input: a malformed problem, point or certificate. Its message always
names the offending field, e.g. ``widths[1]=-3 must be a positive integer``.
``InternalError`` (exit 3) is a bug or a backend failure, never the user's fault.
``WallClockTimeout`` is raised inside a block guarded by :func:`verify.infra.limits.wall_clock_limit`;
callers turn it into ``unknown`` (a timeout is never a proof).
"""

from __future__ import annotations


class SpuriousError(Exception):
    """Root of every error Spurious raises on purpose."""


class InputError(SpuriousError, ValueError):
    """Bad input; the message names the field and says what is expected."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.detail = message
        super().__init__(f"{field}: {message}" if field else message)


class TooLargeError(InputError):
    """The input is well formed but beyond what the requested (exact) method accepts."""


class InternalError(SpuriousError, RuntimeError):
    """A failure that is not the user's fault (exit code 3)."""


class WallClockTimeout(SpuriousError):
    """A hard wall-clock limit was reached; nothing was decided."""
