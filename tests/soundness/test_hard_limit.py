"""The checker's hard wall-clock limit (`proofs.certificate._in_child`, a forked child killed at the limit) in the
callers' conditions that broke it once: many open file descriptors, SIGCHLD ignored, a non-finite timeout, a child
that dies half-way through its answer."""

import os
import resource
import signal
from pathlib import Path

import pytest

import proofs
from proofs.certificate import _in_child

CERT = (Path(__file__).resolve().parents[2] / "proofs" / "library" / "kawaguchi-depth2-origin-strict-saddle.json")


def test_many_open_file_descriptors():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 1200
    if hard != resource.RLIM_INFINITY and hard < want:
        pytest.skip(f"RLIMIT_NOFILE hard limit {hard} < {want}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, want), hard))
    fds = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        assert proofs.check_file(CERT, timeout=30).verified   # the pipe's fd is > 1024: select() refused it
    finally:
        for fd in fds:
            os.close(fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_sigchld_ignored_by_the_caller():
    old = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert proofs.check_file(CERT, timeout=30).verified
    finally:
        signal.signal(signal.SIGCHLD, old)


@pytest.mark.parametrize("timeout", [float("inf"), float("nan"), 0, -1])
def test_a_timeout_must_be_positive_and_finite(timeout):
    with pytest.raises(ValueError, match="positive, finite"):
        proofs.check_file(CERT, timeout=timeout)


def test_a_huge_finite_timeout_is_fine():
    assert proofs.check_file(CERT, timeout=1e300).verified


class _HalfAnswer:
    """A result whose JSON breaks off after 100 KB (as when the child is killed while writing)."""

    def to_json(self):
        return {"claim": "x" * 100_000, "tail": object()}


def test_a_half_written_answer_is_no_answer():
    with pytest.raises(proofs.CheckTimeout, match="without a complete answer"):
        _in_child(_HalfAnswer, 30)
