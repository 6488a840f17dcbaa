"""Helpers for tests/coq (the Coq re-check, ``check-cert --coq``): paths, and the CLI run in a subprocess. Tests
that run coqc take the ``coqc`` fixture (conftest.py / coqenv.py): they skip only where coqc is absent, and fail
instead under SPURIOUS_REQUIRE_COQ=1 (CI)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "proofs" / "library"


def check_cert_coq(path, *extra, timeout=600):
    """``spurious check-cert PATH --coq --json EXTRA…`` in a subprocess: (exit code, JSON object, stderr)."""
    proc = subprocess.run([sys.executable, "-m", "verify.cli", "check-cert", str(path), "--coq", "--json", *extra],
                          cwd=ROOT, text=True, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return proc.returncode, json.loads(proc.stdout), proc.stderr


def check_cert_coq_here(capsys, path, *extra):
    """The same through ``verify.cli.main`` in this process (fast: for runs that never reach coqc)."""
    from verify.cli import main

    code = main(["check-cert", str(path), "--coq", "--json", *map(str, extra)])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err
