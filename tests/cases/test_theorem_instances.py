"""Theorem instances: `spurious check` proves a claim by a theorem of the checker's table (proofs/theorems.py)
whose hypotheses the kernel checked exactly — Kawaguchi 2016, Theorem 2.3 and Laurent & von Brecht 2018 — tried
before every other route; where a hypothesis fails, the other routes answer and the reason names the hypothesis."""

import json
import pathlib
import subprocess
import sys
from fractions import Fraction as F

import pytest

import proofs
from verify import DeepLinear, Status, Trust
from verify.certify.theorem import theorem_certificate
from verify.run.check import decide
from verify.run.theorem_route import theorem_check

ROOT = pathlib.Path(__file__).resolve().parents[2]
I2 = ((F(1), F(0)), (F(0), F(1)))


def scalar(depth):
    return DeepLinear(widths=(1,) * (depth + 1), X=((F(1),),), Y=((F(1),),))


def bottleneck(y1, y2):
    return DeepLinear(widths=(2, 1, 2), X=I2, Y=((F(y1), F(0)), (F(0), F(y2))))


def assert_by_theorem(r, claim, cite):
    assert (r.status, r.trust) == (Status.PROVED, Trust.THEOREM), r.reason
    assert r.backend.startswith("theorem") and cite in r.reason and r.claim == claim
    check = proofs.check_certificate(r.certificate)
    assert check.outcome is proofs.Outcome.VERIFIED and check.claim.startswith(f"theorem-instance: {claim} by ")


def test_cli_scalar_depth4_no_spurious_local_min_by_theorem(tmp_path):
    f = tmp_path / "p.toml"
    f.write_text('kind = "deep-linear"\nwidths = [1, 1, 1, 1, 1]\nX = [[1]]\nY = [[1]]\n')
    cert = tmp_path / "c.json"
    p = subprocess.run([sys.executable, "-m", "verify.cli", "check", str(f), "--claim", "no-spurious-local-min",
                        "--cert", str(cert), "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert (out["status"], out["trust"]) == ("proved", "theorem") and out["backend"].startswith("theorem"), out
    assert "Kawaguchi 2016, Theorem 2.3" in out["reason"]
    c = subprocess.run([sys.executable, "-m", "verify.cli", "check-cert", str(cert)], cwd=ROOT, capture_output=True,
                       text=True, timeout=120)
    assert c.returncode == 0 and "VERIFIED" in c.stdout, c.stdout + c.stderr


@pytest.mark.parametrize("backend", ["auto", "exact", "numeric"])
def test_scalar_depth4_every_backend_tries_the_theorem_first(backend):
    assert_by_theorem(decide(scalar(4), "no-spurious-local-min", backend=backend), "no-spurious-local-min",
                      "Kawaguchi 2016, Theorem 2.3")


@pytest.mark.parametrize("claim", ["no-spurious-local-min", "strict-saddle"])
def test_bottleneck_distinct_eigenvalues_proved_by_kawaguchi(claim):
    r = decide(bottleneck(2, 1), claim)   # Σ = diag(4, 1): d_y = 2 ≤ d_x = 2, full ranks, H = 2
    assert_by_theorem(r, claim, "Kawaguchi 2016, Theorem 2.3")
    assert r.certificate["body"]["charpoly"] == ["4", "-5", "1"]


def test_bottleneck_repeated_eigenvalue_is_lu_kawaguchi_2017():
    # Σ = I (a repeated eigenvalue) fails Kawaguchi 2016 and the bottleneck fails Laurent & von Brecht; X and Y of
    # full row rank are all Lu & Kawaguchi 2017, Theorem 2.3 needs
    cert, why = theorem_certificate(bottleneck(1, 1), "no-spurious-local-min")
    assert cert["claim"]["theorem"] == "lu-kawaguchi-2017-theorem-2.3"
    assert_by_theorem(decide(bottleneck(1, 1), "no-spurious-local-min", backend="exact", timeout=5),
                      "no-spurious-local-min", "Lu & Kawaguchi 2017, Theorem 2.3")


def test_rank_deficient_bottleneck_names_every_failed_hypothesis():
    cert, why = theorem_certificate(bottleneck(1, 0), "no-spurious-local-min")
    assert cert is None
    assert "Kawaguchi 2016, Theorem 2.3: hypothesis rank(X Yᵀ) = d_y fails (rank 1 < 2)" in why
    assert "Lu & Kawaguchi 2017, Theorem 2.3: hypothesis Y has full row rank fails (rank Y ≤ 1 < 2 rows)" in why
    assert "Laurent & von Brecht 2018: hypothesis every hidden width ≥ min(d_x, d_y) fails" in why
    r = decide(bottleneck(1, 0), "no-spurious-local-min", backend="exact", timeout=5)
    assert r.trust is not Trust.THEOREM and "theorem route: " in r.reason and "full row rank fails" in r.reason


def test_strict_saddle_never_by_theorem_for_three_weight_matrices():
    proved, why = theorem_check(scalar(3), "strict-saddle")
    assert proved is None and "only with one hidden layer (H = 2), not H = 3" in why
    r = decide(scalar(3), "strict-saddle", backend="exact")   # false: the origin is a non-strict saddle
    assert (r.status, r.trust) == (Status.REFUTED, Trust.KERNEL) and "only with one hidden layer" in r.reason


@pytest.mark.parametrize("problem", [
    DeepLinear(widths=(2, 2, 2), X=I2, Y=((F(1), F(0)), (F(0), F(0)))),     # rank X Yᵀ = rank Y = 1 < 2
    DeepLinear(widths=(1, 1, 2), X=((F(1),),), Y=((F(1),), (F(2),))),       # d_y = 2 > d_x = 1, rank Y = 1
])
def test_laurent_von_brecht_where_kawaguchi_fails(problem):
    r = decide(problem, "no-spurious-local-min")
    assert_by_theorem(r, "no-spurious-local-min", "Laurent & von Brecht 2018")
    assert "Kawaguchi" not in r.reason and r.certificate["claim"]["theorem"] == "laurent-von-brecht-2018"
    assert theorem_check(problem, "strict-saddle")[0] is None   # Laurent & von Brecht conclude nothing on saddles


def test_wide_three_layer_now_proved_by_theorem():
    # 18 parameters: beyond the exact claim limit (it was unknown on --backend exact before the theorem route)
    Y = ((F(1), F(0), F(0)), (F(0), F(2), F(0)), (F(0), F(0), F(3)))
    X = tuple(tuple(F(int(i == j)) for j in range(3)) for i in range(3))
    for claim in ("no-spurious-local-min", "strict-saddle"):
        assert_by_theorem(decide(DeepLinear(widths=(3, 3, 3), X=X, Y=Y), claim, backend="exact"), claim, "Kawaguchi")


def test_regularised_problem_is_not_a_theorem_instance():
    p = DeepLinear(widths=(1, 1, 1), X=((F(1),),), Y=((F(1),),), reg=F(1, 10))
    proved, why = theorem_check(p, "no-spurious-local-min")
    assert proved is None and why.count("hypothesis no regularisation (Λ = 0) fails (Λ_1[0][0] = 1/10 ≠ 0)") == 3


@pytest.mark.parametrize("problem,claim", [
    (scalar(2), "no-spurious-local-min"), (scalar(3), "no-spurious-local-min"), (scalar(2), "strict-saddle"),
    (DeepLinear(widths=(2, 2, 2), X=((F(1), F(2)), (F(-1), F(1))), Y=((F(3, 2), F(1, 3)), (F(2), F(1)))),
     "no-spurious-local-min"),
])
def test_claims_cases_proved_by_solver_on_the_exact_route_are_theorem_instances(problem, claim):
    # tests/cases/test_claims.py proves these on the exact route itself (z3, trust solver); `decide` (what
    # `spurious check` runs) now proves them first by Kawaguchi 2016, Theorem 2.3
    assert_by_theorem(decide(problem, claim), claim, "Kawaguchi 2016, Theorem 2.3")
