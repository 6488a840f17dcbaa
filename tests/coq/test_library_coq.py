"""``spurious check-cert --coq``: the certificate library re-checked by Coq, through the CLI with --json.

Every library certificate of a kind Coq covers is VERIFIED (Coq) with ``trust: "coq"``; every other one is
reported not covered (exit 3, never 0); forged certificates are rejected (exit 1, never 0); a missing coqc is exit 2.
"""

import json
import os
import sys
from fractions import Fraction

import pytest
from coqtools import LIBRARY, ROOT, check_cert_coq, check_cert_coq_here

import proofs
from proofs.coq.translate import COVERED
from verify.certify.coq_check import CoqOutcome, check_with_coq

FILES = sorted(LIBRARY.glob("*.json"))
FORGED = ROOT / "tests" / "soundness" / "forged"


def _covered(path):
    c = json.loads(path.read_text())
    kind, problem = c["claim"]["kind"], c["problem"]
    return kind in COVERED and c["body"].get("route", "zero-loss") == "zero-loss" and problem["kind"] != \
        "relu-teacher" and problem.get("activation") != "relu" and problem.get("loss", "square") in ("square", "mse")


COVERED_FILES = [f for f in FILES if _covered(f)]
OTHER_FILES = [f for f in FILES if not _covered(f)]


def test_library_has_covered_and_uncovered_certificates():
    assert len(COVERED_FILES) >= 5 and len(OTHER_FILES) >= 5


def test_strict_saddle_verified_by_coq(coqc):
    """The one coqc run of the default test run (~1 s once proofs/coq is built)."""
    r = check_with_coq(LIBRARY / "kawaguchi-depth2-origin-strict-saddle.json", timeout=120)
    assert r.outcome is CoqOutcome.VERIFIED, r.reason
    assert r.to_json()["trust"] == "coq" and r.to_json()["verified"] is True
    assert r.text().startswith("VERIFIED (Coq): strict-saddle at (0, 0)")


@pytest.mark.slow
@pytest.mark.parametrize("path", COVERED_FILES, ids=lambda p: p.stem)
def test_covered_library_certificate_verified_by_coq(coqc, path):
    code, out, err = check_cert_coq(path)
    assert code == 0, (out, err)
    assert out["verified"] is True and out["outcome"] == "verified" and out["trust"] == "coq"
    assert {"verified", "outcome", "trust", "claim", "reason"} <= set(out)
    assert out["claim"].startswith(json.loads(path.read_text())["claim"]["kind"])


@pytest.mark.parametrize("path", OTHER_FILES, ids=lambda p: p.stem)
def test_uncovered_library_certificate_is_not_covered(capsys, path):
    """No coqc runs: the kind (or problem, or route) is refused before."""
    code, out, err = check_cert_coq_here(capsys, path)
    assert code == 3, (out, err)
    assert out["verified"] is False and out["outcome"] == "not-covered" and out["trust"] == "none"
    assert "check-cert --coq: Coq does not cover" in out["reason"] and "(covered: " in out["reason"]
    assert "check-cert --coq: Coq does not cover" in err


@pytest.mark.slow
@pytest.mark.parametrize("name, reason", [
    ("claimed-loss-wrong", "claimed_loss"), ("critical-point-not-critical", "check_critical"),
    ("strict-saddle-positive-direction", "check_strict_saddle"), ("local-min-from-zero-hessian", "check_local_min"),
    ("spurious-witness-higher", "check_spurious_local_min"), ("global-min-nonzero-loss", "check_global_min"),
    ("descent-curve-that-ascends", "check_non_strict_saddle"),
])
def test_forged_certificates_rejected_by_coq(coqc, name, reason):
    """Forgeries of covered kinds: coqc refuses (the check computes false), exit 1."""
    code, out, err = check_cert_coq(FORGED / f"{name}.json")
    assert code == 1, (out, err)
    assert out["outcome"] == "rejected" and out["verified"] is False and out["trust"] == "none"
    assert reason in out["reason"] and out["coqc_stderr"]


@pytest.mark.slow
def test_hard_limit(coqc):
    """A certificate Coq cannot check in time: killed at the limit, exit 2 "too large to check in S s"."""
    code, out, err = check_cert_coq(ROOT / "tests/soundness/findings/dos-local-min-dense-400.json", "--timeout", "3",
                                    timeout=60)
    assert code == 2 and out["reason"] == "malformed: too large to check in 3 s", (out, err)


def test_malformed_is_exit_2(capsys):
    code, out, err = check_cert_coq_here(capsys, FORGED / "float-coordinate.json")
    assert code == 2 and out["verified"] is False and out["reason"].startswith("malformed: "), (out, err)
    assert out["error"]["field"] == "certificate" and "malformed certificate" in err


def test_missing_coqc_is_exit_2(tmp_path):
    """Without coqc on PATH: exit 2, and the message says how to install it."""
    env = {"PATH": str(tmp_path), "PYTHONWARNINGS": "ignore"}
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "verify.cli", "check-cert", str(FILES[0]), "--coq", "--json"],
                          cwd=ROOT, text=True, capture_output=True, timeout=120, env={**os.environ, **env})
    assert proc.returncode == 2, proc.stderr
    assert "apt-get install coq" in json.loads(proc.stdout)["reason"] and "apt-get install coq" in proc.stderr


def test_python_check_unchanged_without_coq():
    r = proofs.check_file(LIBRARY / "kawaguchi-depth2-origin-strict-saddle.json")
    assert r.outcome is proofs.Outcome.VERIFIED and r.trust == "kernel"


@pytest.mark.slow
def test_read_only_source_tree_builds_a_cache_copy(coqc, tmp_path, monkeypatch):
    """Where proofs/coq/theories is not writable the library is compiled into a cache copy, once."""
    import verify.certify.coq_check as cc

    src = cc.theories()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(cc.os, "access", lambda p, mode: os.path.realpath(p) != str(src))
    lib = cc.ensure_library(coqc)
    assert lib != src and lib.is_relative_to(tmp_path) and (lib / "Checker.vo").exists()
    stamp = (lib / "Checker.vo").stat().st_mtime
    assert cc.ensure_library(coqc) == lib and (lib / "Checker.vo").stat().st_mtime == stamp
    r = check_with_coq(LIBRARY / "poly-net-square-local-min.json")
    assert r.outcome is CoqOutcome.VERIFIED, r.reason


def _random_problem(rng):
    """A small problem of every covered shape: deep-linear or two-layer (trained or fixed U), several samples and
    outputs, each covered loss, scalar or per-entry regularisation."""
    q = lambda: str(Fraction(rng.randint(-6, 6), rng.choice([1, 1, 2, 3])))  # noqa: E731
    mat = lambda r, c: [[q() for _ in range(c)] for _ in range(r)]  # noqa: E731
    m, loss = rng.randint(1, 3), rng.choice(["square", "mse", {"power": 4}, {"power": 6}, {"poly": ["0", "1", "1/2"]}])
    if rng.random() < 0.5:
        ws = [rng.randint(1, 3) for _ in range(rng.randint(2, 4))]
        shapes = list(zip(ws[1:], ws))
        pr = {"kind": "deep-linear", "widths": ws, "X": mat(ws[0], m), "Y": mat(ws[-1], m)}
    else:
        n, p, dy, train = rng.randint(1, 2), rng.randint(1, 3), rng.randint(1, 2), rng.random() < 0.5
        shapes = [(p, n)] + ([(dy, p)] if train else [])
        pr = {"kind": "two-layer", "n": n, "width": p, "activation": {"poly": [q() for _ in range(rng.randint(1, 4))]},
              "X": mat(n, m), "Y": mat(dy, m), "train_output": train, "output": None if train else mat(dy, p)}
    pr["reg"] = q() if rng.random() < 0.5 else [mat(r, c) for r, c in shapes]
    if loss != "square":
        pr["loss"] = loss
    return pr, sum(r * c for r, c in shapes)


@pytest.mark.slow
def test_coq_loss_is_the_python_loss(coqc, tmp_path):
    """Conformance of the translation (the data layout of Loss.v): for random problems and points, Coq proves
    L(θ) = the value proofs.loss computes, all in one coqc run."""
    import random
    import re
    import subprocess

    from proofs.coq.translate import translate
    from proofs.loss import loss
    from proofs.reader import read_problem
    from verify.certify.coq_check import ensure_library

    rng, parts = random.Random(7), []
    for i in range(40):
        pr, n = _random_problem(rng)
        point = [str(Fraction(rng.randint(-4, 4), rng.choice([1, 2]))) for _ in range(n)]
        value = loss(read_problem(pr), [Fraction(x) for x in point])
        c = {"format": "spurious-certificate", "version": 1, "problem": pr, "problem_sha256": proofs.problem_hash(pr),
             "claim": {"kind": "critical-point", "point": point, "loss": str(value)},
             "body": {"kind": "critical-point"}}
        text = translate(c).split("Theorem verified")[0].split("Import ListNotations.\n")[1]
        parts.append(re.sub(r"\b(pb|th|claimed_loss)\b", rf"\g<1>{i}", text))
    head = "From Spurious Require Import Loss Poly1 Taylor Checker.\nFrom Coq Require Import List QArith Qreals " \
           "Reals.\nImport ListNotations.\n"
    (tmp_path / "Losses.v").write_text(head + "".join(parts))
    proc = subprocess.run([coqc, "-R", str(ensure_library(coqc)), "Spurious", "Losses.v"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert len(parts) == 40
