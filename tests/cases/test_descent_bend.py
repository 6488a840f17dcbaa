"""A null-space line along which L is constant (f ≡ 0) no longer ends the descent search: the quadratic bend
θ + t v + t² w is tried, and the exact t⁴ coefficient decides. Both points were `unknown` before."""

import json
import pathlib
import subprocess
import sys

import pytest

import proofs

ROOT = pathlib.Path(__file__).resolve().parents[2]

CASES = [
    ('kind = "deep-linear"\nwidths = [2, 1, 1, 1, 2]\nX = [[1, 0], [0, 1]]\nY = [[1, 0], [0, 0]]\nreg = 0\n',
     ["0", "1", "-1", "0", "0", "-1"]),                        # the 2-1-1-1-2 bottleneck, Y = diag(1, 0)
    ('kind = "deep-linear"\nwidths = [1, 1, 1, 1, 1]\nX = [[1]]\nY = [[1]]\nreg = [[[1]], [[0]], [[0]], [[0]]]\n',
     ["0", "0", "0", "1"]),                                     # depth 4, Λ on w₁ only
]


@pytest.mark.parametrize("toml, point", CASES)
def test_constant_line_then_bend_gives_a_certified_non_strict_saddle(tmp_path, toml, point):
    (tmp_path / "p.toml").write_text(toml)
    (tmp_path / "x.json").write_text(json.dumps({"params": point}))
    out = subprocess.run([sys.executable, "-m", "verify.cli", "classify", "p.toml", "--point", "x.json", "--json",
                          "--cert", "c.json"], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    assert r["class"] == "non-strict-saddle" and r["witness"]["order"] == 4 and r["witness"]["lead"].startswith("-")
    assert proofs.check_file(tmp_path / "c.json").verified
