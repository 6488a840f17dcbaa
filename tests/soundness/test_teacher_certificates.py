"""Tampered relu-teacher spurious-isolated-min certificates (the k = n = 6 library file) are rejected, each at the
step that must fail: a box too large, a neuron through 0 or parallel to a teacher neuron on the box (where the
arc-cosine kernel is not smooth), a witness of higher loss, a perturbed preconditioner or congruence, a centre
moved off the critical point. The untampered file verifies (about 0.2 s per check)."""

import copy
import json
import pathlib
from fractions import Fraction

import pytest

from proofs import Outcome, check_certificate

LIB = pathlib.Path(__file__).resolve().parents[2] / "proofs" / "library"
CERT = json.loads((LIB / "relu-teacher-k6-n6-spurious-min.json").read_text())
K = N = 6


def _q(x):
    return str(Fraction(x))


def _centre(c):
    return [Fraction(x) for x in c["claim"]["centre"]]


def _radius(c):
    return Fraction(c["claim"]["radius"][0])


def _rejected(c, step):
    r = check_certificate(c)
    assert r.outcome is Outcome.REJECTED, r.reason
    assert r.reason.startswith(step), r.reason
    return r.reason


def test_untampered_verifies():
    r = check_certificate(copy.deepcopy(CERT))
    assert r.verified and r.trust == "kernel" and r.claim.startswith("spurious-isolated-min"), r.reason
    assert "Krawczyk" in r.reason and "H ≻ 0 on the whole box" in r.reason and "L(box) > L(witness)" in r.reason


def test_box_too_large():
    c = copy.deepcopy(CERT)
    c["claim"]["radius"] = [_q(_radius(c) * 10 ** 4)] * (K * N)
    _rejected(c, "krawczyk")


def test_neuron_through_zero_on_the_box():
    c = copy.deepcopy(CERT)
    r = _radius(c)
    centre = _centre(c)
    centre[:N] = [r / 2] * N            # row 0 within r/2 of 0 in every coordinate: the box holds w_0 = 0
    c["claim"]["centre"] = [_q(x) for x in centre]
    _rejected(c, "relu-teacher: a norm or sin θ may be 0")


def test_neuron_parallel_to_a_teacher_neuron():
    c = copy.deepcopy(CERT)
    centre = _centre(c)
    centre[:N] = [Fraction(1)] + [Fraction(0)] * (N - 1)   # w_0 = v_0 = e_1: sin θ = 0 on the box
    c["claim"]["centre"] = [_q(x) for x in centre]
    _rejected(c, "relu-teacher:")


def test_witness_of_higher_loss():
    c = copy.deepcopy(CERT)
    c["body"]["witness"] = [_q(3 * x) for x in _centre(c)]   # F(3W) ≈ 9·(½Σk(w,w)) − …: far above F(centre)
    _rejected(c, "box-above")
    c["body"]["witness"] = copy.deepcopy(CERT["claim"]["centre"])   # the centre itself is in the box
    _rejected(c, "box-above")


@pytest.mark.parametrize("scale", [3, Fraction(-1)])
def test_preconditioner_perturbed(scale):
    c = copy.deepcopy(CERT)
    c["body"]["preconditioner"] = [[_q(scale * Fraction(x)) for x in row] for row in c["body"]["preconditioner"]]
    _rejected(c, "krawczyk")


def test_preconditioner_one_entry_perturbed():
    c = copy.deepcopy(CERT)
    Y = c["body"]["preconditioner"]
    Y[0][0] = _q(Fraction(Y[0][0]) + 10 ** 4)
    _rejected(c, "krawczyk")


def test_congruence_perturbed():
    c = copy.deepcopy(CERT)
    M = c["body"]["congruence"]
    M[0] = [Fraction(x) + Fraction(M[-1][i]) * 10 for i, x in enumerate(M[0])]
    c["body"]["congruence"] = [[_q(x) for x in row] for row in M]
    _rejected(c, "box-pd")


@pytest.mark.parametrize("shift", [10, 1000])
def test_centre_moved_off_the_critical_point(shift):
    c = copy.deepcopy(CERT)
    centre = _centre(c)
    centre[3] += shift * _radius(c)      # the critical point is now outside the box
    c["claim"]["centre"] = [_q(x) for x in centre]
    _rejected(c, "krawczyk")


def test_claimed_as_a_plain_local_min_point_is_refused():
    c = copy.deepcopy(CERT)   # the relu-teacher loss has no exact point claims (arccos): only boxes
    c["claim"] = {"kind": "spurious-local-min", "point": c["claim"]["centre"]}
    c["body"] = {"kind": "spurious-local-min", "congruence": c["body"]["congruence"], "witness": c["body"]["witness"]}
    r = check_certificate(c)
    assert r.outcome is Outcome.REJECTED and "only ball (box) claims are supported" in r.reason, r.reason
