"""``spurious hunt`` through the real CLI: smallest instances first, and nothing written to ``./.hypothesis``."""

import json

import pytest

import proofs


@pytest.fixture(scope="module")
def default_hunt(tmp_path_factory):
    """The README's two-layer hunt with its defaults (60 examples), deterministic (--no-db), in an empty cwd."""
    import os
    import subprocess
    import sys

    cwd = tmp_path_factory.mktemp("hunt-cwd")
    p = subprocess.run([sys.executable, "-m", "verify.cli", "hunt", "--claim", "no-spurious-local-min", "--family",
                        "two-layer-poly", "--no-db", "--json"], cwd=cwd, capture_output=True, text=True,
                       timeout=300, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return cwd, p


def test_default_two_layer_hunt_refutes(default_hunt):
    # a false claim: e.g. σ(t) = t³ + (3/2)t², x = 1, y = 1 has a strict local minimum at w = −1 (L = 1/8)
    cwd, p = default_hunt
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["status"] == "refuted", out
    inst = out["instance"]
    assert (inst["n"], inst["width"], len(inst["X"][0])) == (1, 1, 1)          # shrunk to one parameter
    assert out["witness"]["class"] == "spurious-local-min"
    assert proofs.check_file(str(cwd / out["certificate"])).verified
    assert out["tried"] < 60                                                   # found early, not at the end


def test_hunt_no_db_writes_no_hypothesis_dir(default_hunt):
    cwd, p = default_hunt
    assert p.returncode == 0, p.stderr
    assert sorted(x.name for x in cwd.iterdir()) == ["spurious-out"]          # no .hypothesis, no database
    assert sorted(x.name for x in (cwd / "spurious-out").iterdir()) == [
        "hunt-no-spurious-local-min-two-layer-poly.cert.json", "hunt-no-spurious-local-min-two-layer-poly.toml"]


def test_hunt_with_db_writes_only_the_db(cli, tmp_path):
    r = cli("hunt", "--claim", "strict-saddle", "--family", "deep-linear", "--max-depth", "2", "--examples", "3",
            "--quiet", "--json", cwd=tmp_path)
    assert r.code == 0 and r.json()["status"] == "evidence", r
    assert {x.name for x in tmp_path.iterdir()} <= {".spurious-hunt-db"}     # (created when there is a failure)
