"""Whole-instance claims decided with z3 (issue 4's known answers, Kawaguchi 2016)."""

from fractions import Fraction as F

import pytest

import proofs
from verify import DeepLinear, Status, Trust
from verify.certify.attestation_check import check_any
from verify.run.exact_route import check_claim


def scalar(depth):
    return DeepLinear(widths=(1,) * (depth + 1), X=((F(1),),), Y=((F(1),),))


@pytest.mark.parametrize("depth", [2, 3])
def test_scalar_no_spurious_local_min_proved(depth):
    r = check_claim(scalar(depth), "no-spurious-local-min", timeout=60)
    assert r.status is Status.PROVED and r.trust is Trust.SOLVER
    assert any(s["name"] == "z3" and s["answer"] == "unsat" for s in r.solvers)
    check = check_any(r.certificate)  # an attestation tied to this problem, never "verified"
    assert check.outcome is proofs.Outcome.ATTESTED and not check.verified and check.trust == "solver", check.reason
    if depth == 3:  # the origin had to be excluded, with a kernel-checked non-strict-saddle certificate
        assert [e["point"] for e in r.excluded] == [["0", "0", "0"]]


def test_depth2_strict_saddle_proved():
    r = check_claim(scalar(2), "strict-saddle", timeout=60)
    assert r.status is Status.PROVED and r.trust is Trust.SOLVER


def test_depth3_strict_saddle_refuted_at_origin():
    r = check_claim(scalar(3), "strict-saddle", timeout=60)
    assert r.status is Status.REFUTED and r.trust is Trust.KERNEL
    assert r.witness["point"] == ["0", "0", "0"] and r.witness["class"] == "non-strict-saddle"
    check = proofs.check_certificate(r.certificate)
    assert check.verified and check.trust == "kernel" and check.claim.startswith("non-strict-saddle")


def test_2_2_2_generic_no_spurious_local_min_proved():
    prob = DeepLinear(widths=(2, 2, 2), X=((F(1), F(2)), (F(-1), F(1))), Y=((F(3, 2), F(1, 3)), (F(2), F(1))))
    r = check_claim(prob, "no-spurious-local-min", timeout=120, second_solver=False)
    assert r.status is Status.PROVED and r.trust is Trust.SOLVER
    assert len([s for s in r.solvers if s["name"] == "z3"]) == 2  # two GL(2) slices: rank 2 and rank < 2


def test_timeout_is_unknown_never_proved():
    prob = DeepLinear(widths=(2, 2, 2), X=((F(1), F(2)), (F(-1), F(1))), Y=((F(3, 2), F(1, 3)), (F(2), F(1))))
    r = check_claim(prob, "no-spurious-local-min", timeout=0.05)
    assert r.status is Status.UNKNOWN and r.trust is Trust.NONE


def test_polynomial_two_layer_spurious_local_min_refuted_with_certificate():
    # σ(t) = t³ − 3t, x = 1, y = 3, U = 1 fixed: L(w) = ½(w³ − 3w − 3)²; w = −1 is a strict local minimum
    # with L = ½ while L(21/10) < ½ (found by hand: σ has a local maximum 2 < 3 at w = −1)
    from verify import TwoLayer

    prob = TwoLayer(n=1, width=1, activation=(F(0), F(-3), F(0), F(1)), X=((F(1),),), Y=((F(3),),),
                    train_output=False, output=((F(1),),))
    for claim in ("no-spurious-local-min", "strict-saddle"):
        r = check_claim(prob, claim, timeout=60)
        assert r.status is Status.REFUTED and r.trust is Trust.KERNEL
        assert r.witness["class"] == "spurious-local-min" and r.witness["point"] == ["-1"]
        check = proofs.check_certificate(r.certificate)
        assert check.verified and check.claim.startswith("spurious-local-min")
