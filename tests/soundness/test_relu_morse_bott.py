"""Forged Morse–Bott certificates of a relu net are rejected (proofs/morse_bott.py on a cell, proofs/loss.py `value`).

The kernel checks ∇L_c(θ(s)) ≡ 0 for the polynomial L_c of the cell of p, each relu's side read off the family's value
at s = 0 (= p). Each forgery below would pass a checker that read the side anywhere else, or skipped a step.
Instance: d4 (tests/unit/test_relu_families.py), p = W [[−1, 1], [−1, −1/2]], U [[2, 0]]: unit 2 dead, unit 1 on at
sample 2 only; the emitted family has the moves s_0..s_4 = translations of W_0_0, W_1_0, W_1_1, U_0_1 and the
rescaling of unit 1 (q = 1 + s_4).
"""

import copy
from fractions import Fraction as F

import pytest

import proofs
from verify.certify import emit_checked
from verify.exact.classify import classify
from verify.exact.derivatives import taylor
from verify.problems import problem_from_dict

D4 = {"kind": "two-layer", "n": 2, "width": 2, "activation": "relu", "X": [[1, 0, 1], [0, 1, -1]], "Y": [[1, 2, 0]]}
P = problem_from_dict(D4)
POINT = [F(-1), F(1), F(-1), F(-1, 2), F(2), F(0)]


def _e(*k):
    """The exponent vector of s_k1 s_k2 … in 5 parameters."""
    return [sum(1 for j in k if j == i) for i in range(5)]


@pytest.fixture(scope="module")
def golden():
    cert, note = emit_checked(P, POINT, classify(P, POINT))
    assert proofs.check_certificate(cert).verified, note
    fam = cert["body"]["family"]
    assert fam["parameters"] == 5 and sorted(map(tuple, (e for e, _ in fam["denominator"]))) == [(0,) * 5, (0,) * 4
                                                                                                + (1,)]
    return cert


def _rejected(cert, step):
    r = proofs.check_certificate(cert)
    assert not r.verified and step in r.reason, r.reason
    return r


def test_golden_verifies(golden):
    assert proofs.check_certificate(golden).verified


def test_family_off_the_cells_polynomial(golden):
    """The dead unit's free u_2 traded for the live unit's u_1: u_1 + s_3 changes the output on sample 2."""
    c = copy.deepcopy(golden)
    num = c["body"]["family"]["numerator"]
    num[4] = [[_e(), "2"], [_e(3), "1"], [_e(3, 4), "1"]]     # θ_4 = 2/(1 + s_4) + s_3
    num[5] = []                                               # θ_5 = 0
    _rejected(c, "family: ∂L/∂θ[")


def test_family_at_a_kink(golden):
    """The point moved to W_1_1 = 0 (unit 2's pre-activation on sample 2 is 0) with its family: derivatives there are
    not defined, and the kernel says so before the family."""
    c = copy.deepcopy(golden)
    c["claim"]["point"][3] = "0"
    c["body"]["family"]["numerator"][3] = [[_e(2), "1"], [_e(2, 4), "1"]]   # θ_3 = s_2
    _rejected(c, "relu: a pre-activation")


def test_dependent_tangents(golden):
    """Two parameters translating the same dead coordinate W_1_0 (and W_1_1 fixed): a critical family whose 5
    tangents have rank 4."""
    c = copy.deepcopy(golden)
    num = c["body"]["family"]["numerator"]
    num[2] = [[_e(), "-1"], [_e(4), "-1"], [_e(1), "1"], [_e(1, 4), "1"], [_e(2), "1"], [_e(2, 4), "1"]]
    num[3] = [[_e(), "-1/2"], [_e(4), "-1/2"]]
    _rejected(c, "tangents: the 5 tangents have rank 4")


def test_family_short_of_the_null_space(golden):
    """The four translations alone (no rescaling): critical, but null(H) has dimension 5."""
    c = copy.deepcopy(golden)
    fam = c["body"]["family"]
    fam["parameters"], fam["denominator"] = 4, [[[0] * 4, "1"]]
    fam["numerator"] = [[[[1, 0, 0, 0], "1"], [[0] * 4, "-1"]], [[[0] * 4, "1"]],
                        [[[0] * 4, "-1"], [[0, 1, 0, 0], "1"]], [[[0] * 4, "-1/2"], [[0, 0, 1, 0], "1"]],
                        [[[0] * 4, "2"]], [[[0, 0, 0, 1], "1"]]]
    _rejected(c, "congruence: dim null(H) = 5, not the 4 tangents")


def test_family_critical_only_on_another_cell(golden):
    """θ(s) = p + s·(0, −2, 0, 0, 1, 0) ⊕ the rest: at s_0 = 1 unit 1 is dead too (w_12 = −1), and on that all-dead
    cell L is the constant 5/2, so every family is critical there — a checker that read the sides off θ(1) (or any
    point the family reaches but p) would accept. On p's cell it is not critical."""
    off = ((False, False, False), (False, False, False))
    for s in (F(1, 2), F(1), F(3, 2)):
        theta = [POINT[a] + s * d for a, d in enumerate([0, -2, 0, 0, 1, 0])]
        assert all(g == 0 for g in taylor(P, theta, relu_mask=off).gradient)   # the premise
    c = copy.deepcopy(golden)
    num = c["body"]["family"]["numerator"]
    num[1] = [[_e(), "1"], [_e(4), "1"], [_e(0), "-2"], [_e(0, 4), "-2"]]   # θ_1 = 1 − 2 s_0 (times the rescaling)
    num[4] = [[_e(), "2"], [_e(0), "1"], [_e(0, 4), "1"]]                  # θ_4 = 2/(1 + s_4) + s_0
    _rejected(c, "family: ∂L/∂θ[")


def test_leaky_slope_is_read_on_its_side(golden):
    """The d4 certificate re-embedded as a network: it verifies with "relu" and is rejected with leaky relu α = 1/2,
    where the dead side of unit 2 still contributes α·z (p is not even critical then)."""
    net = {"kind": "network", "widths": [2, 2, 1], "bias": [False, False], "X": golden["problem"]["X"],
           "Y": golden["problem"]["Y"], "reg": "0"}
    for act, ok in (("relu", True), ({"leaky_relu": "1/2"}, False)):
        c = copy.deepcopy(golden)
        c["problem"] = {**net, "activation": [act]}
        c["problem_sha256"] = proofs.problem_hash(c["problem"])
        c["claim"].pop("loss")
        r = proofs.check_certificate(c)
        assert r.verified == ok and (ok or r.reason.startswith("gradient")), r.reason
