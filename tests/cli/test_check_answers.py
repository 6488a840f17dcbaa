"""`spurious check` answers every valid claim on every backend (exit 0: unknown is an answer), and huge exact
numbers within the input limits never crash a command (Python's 4,300-digit str limit)."""

import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
RELU = 'kind = "two-layer"\nn = 1\nwidth = 2\nactivation = "relu"\nX = [[1, -1]]\nY = [[1, 0]]\n'
TEACHER = 'kind = "relu-teacher"\nk = 2\nn = 2\n'
WIDE = ('kind = "deep-linear"\nwidths = [3, 3, 3]\nX = [[1,0,0],[0,1,0],[0,0,1]]\nY = [[1,0,0],[0,2,0],[0,0,3]]\n'
        'reg = "1/10"\n')   # regularised: no theorem instance (unregularised, Kawaguchi 2016 proves it first)
BIG = ('kind = "two-layer"\nn = 1\nwidth = 1\nactivation = { poly = [0, 0, 0, 1] }\nX = [["' + "9" * 999
       + '"]]\nY = [[1]]\n')


def spurious(*argv, timeout=120):
    p = subprocess.run([sys.executable, "-m", "verify.cli", *map(str, argv)], cwd=ROOT, capture_output=True,
                       text=True, timeout=timeout)
    assert "Traceback" not in p.stderr, p.stderr[-2000:]
    return p


@pytest.mark.parametrize("text,why", [(RELU, "not a polynomial"), (TEACHER, "not a polynomial"),
                                      (WIDE, "exceed the exact claim limit")])
@pytest.mark.parametrize("claim", ["no-spurious-local-min", "strict-saddle"])
def test_exact_backend_answers_unknown_where_it_does_not_apply(tmp_path, text, why, claim):
    f = tmp_path / "p.toml"
    f.write_text(text)
    p = spurious("check", f, "--claim", claim, "--backend", "exact", "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert (out["status"], out["trust"]) == ("unknown", "none") and why in out["reason"], out


def test_huge_exact_numbers_are_answered_not_crashed(tmp_path):
    f, pt = tmp_path / "big.toml", tmp_path / "pt.json"
    f.write_text(BIG)
    pt.write_text('{"params": [1, 1]}')
    p = spurious("classify", f, "--point", pt)
    assert p.returncode == 0 and "not-critical" in p.stdout and "digits" in p.stdout, p.stderr
    p = spurious("classify", f, "--point", pt, "--json")
    out = json.loads(p.stdout)
    assert p.returncode == 0 and len(out["loss"]) > 4300 and out["class"] == "not-critical"
    p = spurious("check", f, "--claim", "no-spurious-local-min", "--backend", "exact", "--timeout", "20", "--json")
    out = json.loads(p.stdout)
    assert p.returncode == 0 and out["status"] == "unknown" and "too large" in out["reason"], out
    # strict-saddle is refuted without a solver: the origin is a certified non-strict saddle (L falls along
    # u = w = t as ½ − x³t⁴ + …), whatever the size of x
    p = spurious("check", f, "--claim", "strict-saddle", "--backend", "exact", "--timeout", "20", "--json")
    out = json.loads(p.stdout)
    assert p.returncode == 0 and (out["status"], out["trust"]) == ("refuted", "kernel"), out
    assert out["witness"]["class"] == "non-strict-saddle"


def test_huge_seed_is_bad_input():
    p = spurious("check", ROOT / "examples" / "depth3.toml", "--claim", "strict-saddle", "--seed", "9" * 30)
    assert p.returncode == 2 and "--seed" in p.stderr


def test_human_output_on_an_ascii_terminal_is_escaped_not_a_crash():
    import os

    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    p = subprocess.run([sys.executable, "-m", "verify.cli", "classify", str(ROOT / "examples" / "depth3.toml"),
                        "--point", str(ROOT / "examples" / "depth3-origin.json")], cwd=ROOT, capture_output=True,
                       text=True, timeout=120, env=env)
    assert p.returncode == 0 and "non-strict-saddle" in p.stdout and "\\u" in p.stdout, (p.stdout, p.stderr)
