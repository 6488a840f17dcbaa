"""Safran & Shamir (2018): the ReLU teacher–student loss F(W) = ½E[(Σ relu(w_i·x) − Σ relu(v_j·x))²] under Gaussian
input has spurious local minima from k = n = 6 on. Here: the stored k = 6 certificate verifies; ``classify`` (ball
route) certifies the spurious minimum from a float point near it; ``check --claim no-spurious-local-min`` is
refuted with a kernel-checked box on k = n = 8 (12.6% of runs end spurious there), and stays unknown — never
proved — where the descent finds none."""

import json
import pathlib
import subprocess
import sys
from fractions import Fraction

import pytest
import torch

from numeric.losses import make_loss
from proofs import check_certificate, check_file
from verify.certify import classify_point as classify
from verify.problems import ReluTeacher, default_teacher
from verify.run.check import decide
from verify.verdict import PointClass, Status, Trust

ROOT = pathlib.Path(__file__).resolve().parents[2]
LIB6 = ROOT / "proofs" / "library" / "relu-teacher-k6-n6-spurious-min.json"


def teacher(k, n=None):
    return ReluTeacher(k=k, n=n or k, teacher=default_teacher(k, n or k))


def loss_float(problem, w):
    return float(make_loss(problem, device="cpu")(torch.tensor([w], dtype=torch.float64))[0])


def test_k6_library_certificate_verifies_and_is_spurious():
    r = check_file(LIB6)
    assert r.verified and r.claim.startswith("spurious-isolated-min"), r.reason
    cert = json.loads(LIB6.read_text())
    assert (cert["problem"]["k"], cert["problem"]["n"]) == (6, 6)
    centre = [float(Fraction(x)) for x in cert["claim"]["centre"]]
    F = loss_float(teacher(6), centre)             # an independent float evaluation (torch)
    assert 0.02 < F < 0.03                          # ≈ 0.02508 ≥ 10⁻³: spurious by the paper's threshold
    assert loss_float(teacher(6), [float(Fraction(x)) for x in cert["body"]["witness"]]) < 1e-4


def test_classify_ball_route_on_a_stored_k6_point():
    cert = json.loads(LIB6.read_text())
    point = [round(float(Fraction(x)), 9) for x in cert["claim"]["centre"]]   # a float point, 1e-9 off the minimum
    c = classify(teacher(6), point)
    assert c.cls is PointClass.SPURIOUS_LOCAL_MIN and c.method == "ball", c.reason
    assert c.inertia == (0, 0, 36) and "kernel-checked" in c.reason
    assert check_certificate(c.details["certificate"]).verified


def test_classify_ball_route_unknown_at_the_global_minimum_and_off_critical_points():
    c = classify(teacher(2), [1, 0, 0, 1])
    assert c.cls is PointClass.UNKNOWN and c.method == "ball" and "global minimum" in c.reason, c.reason
    c = classify(teacher(2), [Fraction(1, 2), Fraction(1, 3), Fraction(1, 5), 2])
    assert c.cls is PointClass.UNKNOWN and c.method == "ball", c.reason


def test_check_refuted_on_k8_through_the_cli(tmp_path):
    f = tmp_path / "k8.toml"
    f.write_text('kind = "relu-teacher"\nk = 8\nn = 8\n')
    p = subprocess.run([sys.executable, "-m", "verify.cli", "check", str(f), "--claim", "no-spurious-local-min",
                        "--starts", "100", "--timeout", "60", "--json"], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    out = json.loads(p.stdout)
    assert (out["status"], out["trust"]) == ("refuted", "kernel"), out
    assert out["witness"]["class"] == "spurious-local-min" and len(out["witness"]["point"]) == 64
    assert out["backend"].startswith("ball")


def test_check_unknown_never_proved_without_spurious_minima():
    r = decide(teacher(2), "no-spurious-local-min", timeout=20, starts=50)
    assert (r.status, r.trust) == (Status.UNKNOWN, Trust.NONE), r.reason
    assert "not a proof" in r.reason


@pytest.mark.slow
def test_check_refuted_on_k6_with_the_papers_start_count():
    r = decide(teacher(6), "no-spurious-local-min", timeout=120, starts=1000)
    assert (r.status, r.trust) == (Status.REFUTED, Trust.KERNEL), r.reason
    assert check_certificate(r.certificate).verified
