"""The one child-process helper: fork, pipe, poll, kill — for exact work that must obey a hard wall-clock limit.

:func:`race` runs several callables, each in its own forked child, returns the first answer and kills the rest;
:func:`run_in_child` is a race of one. A child that is still running at the limit is killed and
:class:`~verify.errors.WallClockTimeout` is raised (callers report ``unknown``: a timeout is never a proof).
Children die with their parent (Linux ``PR_SET_PDEATHSIG``), so no orphaned Gröbner runs survive a killed CLI.
An :class:`~verify.errors.InputError` raised in a child is raised again in the parent, same class and field.

>>> run_in_child(sum, [1, 2, 3], timeout=10)
6
"""

from __future__ import annotations

import time

from verify.errors import InputError, InternalError, WallClockTimeout


def die_with_parent() -> None:
    """Linux: have the kernel kill this process when its parent dies."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child(conn, fn, args):  # pragma: no cover - runs in a forked child
    try:
        die_with_parent()
        conn.send(("ok", fn(*args)))
    except InputError as e:
        conn.send(("input", type(e), e.field, e.detail))
    except BaseException as e:  # noqa: BLE001 — every failure goes back to the parent
        conn.send(("internal", None, "", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


def _fork_context():
    import multiprocessing as mp

    try:
        return mp.get_context("fork")
    except ValueError:
        return None


def _start(proc) -> None:
    """proc.start(), also from a daemonic process (a Dask worker is one): multiprocessing refuses children there
    because it could not reap them at exit, but :func:`race` kills and joins every child itself and each dies with
    its parent (:func:`die_with_parent`), so the refusal is lifted for the duration of the start."""
    import multiprocessing as mp

    config = mp.current_process()._config
    daemon = config.get("daemon")
    if daemon:
        config["daemon"] = False
    try:
        proc.start()
    finally:
        if daemon:
            config["daemon"] = daemon


def race(tasks, timeout: float | None = None, what: str = "the computation"):
    """Run each ``(fn, args)`` of ``tasks`` in its own child; return ``(index, value)`` of the first to answer.

    Raises :class:`WallClockTimeout` after ``timeout`` seconds (None or ≤ 0: no limit), the child's
    :class:`InputError` if every task failed with one, else :class:`InternalError` naming every failure.
    Where ``fork`` is unavailable the first task runs in-process (without a limit).
    """
    ctx = _fork_context()
    if ctx is None:
        fn, args = tasks[0]
        return 0, fn(*args)
    from multiprocessing.connection import wait

    deadline = None if not timeout or timeout <= 0 else time.monotonic() + timeout
    procs, conns = [], []
    try:
        for fn, args in tasks:
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(send, fn, args))  # not a daemon: it may race children itself
            _start(proc)
            send.close()
            procs.append(proc)
            conns.append(recv)
        pending, failures = list(conns), []
        while pending:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise WallClockTimeout(f"wall-clock limit of {timeout:g} s reached in {what}")
            ready = wait(pending, timeout=left)
            for conn in ready:
                pending.remove(conn)
                try:
                    msg = conn.recv()
                except EOFError:
                    failures.append(("internal", None, "", f"{what} ended without an answer"))
                    continue
                if msg[0] == "ok":
                    return conns.index(conn), msg[1]
                failures.append(msg)
        inputs = [f for f in failures if f[0] == "input"]
        if inputs and len(inputs) == len(failures):
            _, cls, field, detail = inputs[0]
            raise cls(field, detail)
        raise InternalError(f"{what} failed: " + "; ".join(f[3] for f in failures))
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.kill()
            proc.join()
        for conn in conns:
            conn.close()


def run_in_child(fn, *args, timeout: float | None = None, what: str = "the computation"):
    """``fn(*args)`` in a forked child killed after ``timeout`` seconds (see :func:`race`)."""
    return race([(fn, args)], timeout=timeout, what=what)[1]
