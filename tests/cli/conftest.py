"""Running the real ``spurious`` command line in a subprocess (``python -m verify.cli``), with a timeout."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


class Run:
    """One finished ``spurious`` run: exit code, stdout, stderr."""

    def __init__(self, proc: subprocess.CompletedProcess):
        self.code, self.out, self.err = proc.returncode, proc.stdout, proc.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"exit {self.code}\n--- stdout\n{self.out[-3000:]}\n--- stderr\n{self.err[-3000:]}"


def spurious(*argv, cwd=None, timeout=120, stderr=None) -> Run:
    """``spurious ARGV...`` as a user runs it (stdin closed, stdout and stderr pipes unless ``stderr`` given)."""
    env = {**os.environ, "COLUMNS": "100", "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run([sys.executable, "-m", "verify.cli", *map(str, argv)], cwd=cwd, env=env, text=True,
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE if stderr is None else stderr, timeout=timeout)
    return Run(proc)


@pytest.fixture
def cli():
    return spurious


@pytest.fixture
def examples():
    """The repository's ``examples/`` directory (absolute: tests run the CLI in temporary directories)."""
    return EXAMPLES
