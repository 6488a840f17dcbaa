"""Output through real pipes (a reader that leaves early), and progress on stderr off and on a terminal."""

import os
import pty
import subprocess
import sys

import pytest

MID = """kind = "two-layer"
n = 5
width = 20
activation = { poly = [0, 1, 1] }
X = [[3, -3, 0, 1], [-2, 1, 2, -1], [0, 3, -1, 2], [1, -2, 3, 0], [2, 0, -3, 1]]
Y = [[1, -2, 3, 0]]
train_output = true
"""
"""120 parameters; the search's JSON lists every candidate's point: well over a pipe buffer (64 KiB)."""

ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}


def head(argv, n: int, cwd, timeout=120):
    """``spurious ARGV | head -c n``: read ``n`` bytes, close the pipe, return (exit code, bytes, stderr)."""
    proc = subprocess.Popen([sys.executable, "-m", "verify.cli", *map(str, argv)], cwd=cwd, env=ENV,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    got = proc.stdout.read(n)
    proc.stdout.close()
    try:
        err = proc.stderr.read()
        code = proc.wait(timeout=timeout)
    finally:
        proc.kill()
    return code, got, err.decode()


def test_demo_json_into_head(tmp_path):
    code, got, err = head(["demo", "--json"], 10, tmp_path)
    assert got == b'{"cases": '
    assert code == 0 and "Traceback" not in err and "BrokenPipe" not in err, err


def test_output_larger_than_the_pipe_buffer_into_head(tmp_path):
    (tmp_path / "mid.toml").write_text(MID)
    argv = ["search", tmp_path / "mid.toml", "--starts", "60", "--method", "adam", "--steps", "10",
            "--newton-steps", "2", "--threads", "1", "--json"]
    full = subprocess.run([sys.executable, "-m", "verify.cli", *map(str, argv)], cwd=tmp_path, env=ENV,
                          capture_output=True, timeout=120)
    assert full.returncode == 0 and len(full.stdout) > 2 * 65536, len(full.stdout)   # the premise of the test
    code, got, err = head(argv, 10, tmp_path)
    assert got == full.stdout[:10]
    assert code == 0 and "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err, err


def run_with_stderr(argv, cwd, tty: bool, timeout=180):
    """Run with stderr a pipe, or the slave side of a pseudo-terminal; return (exit code, stdout, stderr)."""
    if not tty:
        p = subprocess.run([sys.executable, "-m", "verify.cli", *map(str, argv)], cwd=cwd, env=ENV, text=True,
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "verify.cli", *map(str, argv)], cwd=cwd, env=ENV,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:   # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    out = proc.stdout.read().decode()
    code = proc.wait(timeout=timeout)
    os.close(master)
    return code, out, b"".join(chunks).decode(errors="replace")


HUNT = ["hunt", "--claim", "strict-saddle", "--family", "deep-linear", "--max-depth", "2", "--examples", "8",
        "--no-db", "--timeout", "5"]


def test_hunt_progress_lines_off_a_terminal(tmp_path):
    code, out, err = run_with_stderr(HUNT, tmp_path, tty=False)
    assert code == 0 and "no counterexample among 8 instances" in out, err
    lines = [ln for ln in err.splitlines() if ln.startswith("hunt: ")]
    assert lines and "\r" not in err, err                       # plain lines, one per update
    assert lines[-1].startswith("hunt: 8 instances, ")           # the last state is always shown
    assert len(lines) <= 8, lines                                # throttled: not one per instance + more


def test_hunt_progress_on_a_terminal_updates_one_line(tmp_path):
    code, out, err = run_with_stderr(HUNT, tmp_path, tty=True)
    assert code == 0 and "no counterexample among 8 instances" in out, err
    assert err.count("\rhunt: ") >= 8 and "hunt: 8 instances, " in err, err
    assert err.rstrip("\r\n").count("\n") == 0 and err.endswith(("\n", "\r\n")), repr(err)


def test_hunt_quiet(tmp_path):
    code, out, err = run_with_stderr(HUNT + ["--quiet"], tmp_path, tty=False)
    assert code == 0 and "hunt:" not in err, err


@pytest.mark.parametrize("tty", [False, True])
def test_search_progress(tmp_path, examples, tty):
    argv = ["search", examples / "depth3.toml", "--starts", "20", "--method", "newton", "--threads", "1",
            "--progress", "--json"]
    code, out, err = run_with_stderr(argv, tmp_path, tty=tty)
    assert code == 0, err
    assert '"status": "evidence"' in out                         # stdout stays one JSON object
    if tty:
        assert "\x1b[" in err or "\r" in err, repr(err)         # the rich bar draws on a terminal
    else:
        lines = err.splitlines()
        assert lines[0] == "search: started" and lines[-1].startswith("search: done after "), err
        assert "\r" not in err and "\x1b" not in err, repr(err)
