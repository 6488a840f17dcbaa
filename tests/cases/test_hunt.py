"""`spurious hunt`: hypothesis finds and shrinks counterexamples (issue 6's known answers)."""

import json
import subprocess
import sys

import pytest

import proofs
from verify.run.hunt import hunt


def test_hunt_strict_saddle_shrinks_to_three_scalar_layers(tmp_path):
    # Kawaguchi: the smallest deep linear net with a non-strict saddle has three scalar layers
    r = hunt("strict-saddle", "deep-linear", examples=40, database=None, out_dir=str(tmp_path))
    assert r.status == "refuted"
    assert r.instance["widths"] == [1, 1, 1, 1]
    assert r.witness["class"] == "non-strict-saddle"
    assert proofs.check_file(r.certificate).verified


def test_hunt_depth_two_finds_none_small():
    r = hunt("strict-saddle", "deep-linear", max_depth=2, examples=8, database=None)
    assert r.status == "evidence" and r.tried == 8 and r.decided + r.undecided == r.tried


@pytest.mark.slow
def test_hunt_depth_two_finds_none_cli(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "verify.cli", "hunt", "--claim", "strict-saddle", "--family",
                           "deep-linear", "--max-depth", "2", "--examples", "40", "--no-db", "--quiet",
                           "--out", str(tmp_path), "--json"], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["status"] == "evidence" and out["tried"] == 40
