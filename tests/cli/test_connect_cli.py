"""``spurious connect`` through the real CLI: the README section as printed (a connected pair, proved with --cert
and re-checked by check-cert; a pair the origin separates; the default level; the figure), the unknown answer in
JSON, bad input (exit 2 naming the option), and the guarded certification import."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_readme import fenced  # tests/cli/test_readme.py: the README's fenced blocks

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()

LINEAR = 'kind = "deep-linear"\nwidths = [1, 1, 1]\nX = [[1]]\nY = [[2]]\n'   # L = ½(w₂w₁ − 2)²


@pytest.fixture
def files(tmp_path):
    (tmp_path / "lin.toml").write_text(LINEAR)
    for name, params in (("a", [1, 2]), ("b", [2, 1]), ("short", [1])):
        (tmp_path / f"{name}.json").write_text(json.dumps({"params": params}))
    (tmp_path / "c.json").write_text(json.dumps({"W1": [[-1]], "W2": [["-4/2"]]}))     # named matrices
    return tmp_path


def test_readme_section_prints_what_it_shows(cli, tmp_path):
    """The README's connect block, run as printed (bash, in a fresh directory): every line of its output blocks is
    printed, the certificate it writes passes check-cert, the figure is a PNG, the --json run uses the default
    level, and progress went to stderr."""
    text = README[README.index("## Connecting two minima"):README.index("### Freeman & Bruna's trend")]
    blocks = fenced(text)
    (script,) = [body for lang, body in blocks if lang == "sh"]
    shown = [ln.strip() for lang, body in blocks if lang == "" for ln in body.splitlines()]
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    p = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                       env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert p.returncode == 0, p.stderr
    printed = {ln.strip() for ln in p.stdout.splitlines()}
    assert len(shown) >= 7 and [ln for ln in shown if ln not in printed] == [], p.stdout
    assert "connect: round" in p.stderr
    assert (tmp_path / "string.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = json.loads(p.stdout.strip().splitlines()[-1])
    assert {"connected": True, "status": "evidence", "trust": "numeric", "outcome": "connected", "level": 0.003125,
            "level_source": "default", "certificate": None}.items() <= out.items()
    assert out["beads"][0] == [1.0, 2.0] and out["beads"][-1] == [2.0, 1.0]
    assert len(out["segment_max"]) == len(out["beads"]) - 1 and out["max_loss"] <= out["level"]
    assert 1 < out["geodesic_length"] < 1.1 and out["counts"]["beads"] == len(out["beads"]) - 2
    check = cli("check-cert", "path.cert.json", "--problem", "hyperbola.toml", "--json", cwd=tmp_path)
    assert check.code == 0 and check.json()["verified"] is True, check


def test_separated_by_the_origin_is_not_connected(cli, files):
    r = cli("connect", "lin.toml", "--a", "a.json", "--b", "c.json", "--level", "0.5", "--max-beads", "4",
            "--cert", "none.json", "--json", "--quiet", cwd=files)
    assert r.code == 0, r
    out = r.json()
    assert {"connected": False, "status": "unknown", "trust": "none", "outcome": "max-beads", "level": 0.5,
            "level_exact": "1/2", "certificate": None}.items() <= out.items()
    assert out["beads"][0] == [1.0, 2.0] and out["beads"][-1] == [-1.0, -2.0]
    assert out["counts"]["beads"] == 4 and out["max_loss"] > 0.5 and "not attempted" in out["certificate_reason"]
    assert not (files / "none.json").exists() and "no certificate written" in r.err


@pytest.mark.parametrize("args,field", [
    (["--a", "short.json", "--b", "b.json"], "--a.params"),
    (["--a", "a.json", "--b", "missing.json"], "--b"),
    (["--a", "a.json", "--b", "b.json", "--level", "one"], "--level"),
    (["--a", "a.json", "--b", "b.json", "--level", "-1"], "--level"),        # below L(a) = 0
    (["--a", "a.json", "--b", "b.json", "--max-beads", "-2"], "--max-beads"),
])
def test_bad_input_exits_2_naming_the_option(cli, files, args, field):
    r = cli("connect", "lin.toml", *args, "--json", cwd=files)
    assert r.code == 2, r
    assert r.json()["error"]["field"] == field and "Traceback" not in r.err, r


def test_certification_unavailable_is_said(monkeypatch):
    from verify.cli.connect import certify

    monkeypatch.setitem(sys.modules, "verify.certify.sublevel", None)     # import raises ImportError
    assert certify(None, None, None, None, None, 1.0) == \
        (None, "certification not available (verify.certify.sublevel is missing from this build)")
