"""proofs/ imports nothing of ours and no heavy maths stack (DESIGN.md: import direction)."""

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
FORBIDDEN = ["sympy", "z3", "torch", "numpy", "verify", "numeric", "mpmath", "scipy"]


def test_proofs_imports_only_stdlib_and_flint():
    code = ("import sys, proofs, proofs.kernel, proofs.reader, proofs.certificate, proofs.attestation\n"
            "r = proofs.check_file('proofs/library/kawaguchi-depth2-origin-strict-saddle.json')\n"
            "assert r.verified, r\n"
            f"bad = [m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}]\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"proofs pulled in: {out.stdout.strip()}"


def test_no_eval_exec_pickle_in_checker():
    for f in (ROOT / "proofs").glob("*.py"):
        text = f.read_text()
        for word in ("eval(", "exec(", "pickle", "sympify", "__import__"):
            assert word not in text, f"{f.name} uses {word}"


def test_checker_size_budget():
    code = sum(1 for f in (ROOT / "proofs").glob("*.py") for line in f.read_text().splitlines()
               if line.strip() and not line.strip().startswith("#"))
    assert code <= 1500, f"proofs/ has {code} non-blank code lines (budget ~1,500, STYLE.md)"
