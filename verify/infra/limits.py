"""A hard wall-clock limit for in-process exact work (SIGALRM; main thread, POSIX).

Solver calls that may ignore their own timeouts (z3) run in a child process instead; this guard is
for our own exact arithmetic, which checks for the signal between Python operations.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from verify.errors import WallClockTimeout

__all__ = ["WallClockTimeout", "wall_clock_limit"]


@contextmanager
def wall_clock_limit(seconds: float | None):
    """Raise :class:`WallClockTimeout` in the block after ``seconds`` (no limit for None or ≤ 0)."""
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return

    def _alarm(signum, frame):
        raise WallClockTimeout(f"wall-clock limit of {seconds:g} s reached")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
