"""Forged Morse–Bott certificates are rejected at the step that fails (proofs/morse_bott.py)."""

import copy
from fractions import Fraction as F

import pytest

import proofs
from verify.certify import spurious_certificate
from verify.exact.classify import classify
from verify.problems import problem_from_dict

SQ = {"kind": "two-layer", "n": 1, "width": 1, "activation": {"poly": [0, 0, 1]}, "X": [[1]], "Y": [[1]]}


def _cert(d, point, lower):
    P, p = problem_from_dict(d), [F(x) for x in point]
    cert, note = spurious_certificate(P, p, classify(P, p), [F(x) for x in lower])
    assert cert is not None and proofs.check_certificate(cert).verified, note
    return cert


@pytest.fixture(scope="module")
def dead():
    return _cert(SQ, [0, -1], [1, 1])


def _rejected(cert, step):
    r = proofs.check_certificate(cert)
    assert not r.verified and step in r.reason, r.reason
    return r


def _resign(c):
    c["problem_sha256"] = proofs.problem_hash(c["problem"])
    return c


def test_family_not_identically_critical(dead):
    c = copy.deepcopy(dead)
    c["body"]["family"]["numerator"][0] = [[[1], "1"]]          # w = s/(1+s)²: ∂L/∂u ≠ 0 off s = 0
    _rejected(c, "family: ∂L/∂θ")


def test_family_not_through_the_point(dead):
    c = copy.deepcopy(dead)
    c["body"]["family"]["numerator"][1] = [[[0], "-2"]]
    _rejected(c, "family: θ(0)")


def test_tangent_dropped_or_dependent():
    P = problem_from_dict({**SQ, "width": 2, "X": [[1, 2]], "Y": [[1, 2]]})
    p = [F(x) for x in [0, 0, -1, -2]]
    cert, _ = spurious_certificate(P, p, classify(P, p), [F(1), F(0), F(1), F(0)])
    fam = cert["body"]["family"]
    dropped = copy.deepcopy(cert)                                # one parameter: nullity 2 but 1 tangent
    dropped["body"]["family"] = {"parameters": 1, "denominator": [[[0], "1"]],
                                 "numerator": [[], [], [[[0], "-1"], [[1], "1"]], [[[0], "-2"]]]}
    _rejected(dropped, "congruence: dim null(H) = 2, not the 1 tangents")
    dep = copy.deepcopy(cert)                                    # both parameters move u_1: dependent tangents
    dep["body"]["family"]["numerator"] = [[], [], [[[0, 0], "-1"], [[1, 0], "1"], [[0, 1], "1"]], [[[0, 0], "-2"]]]
    assert fam["parameters"] == 2
    _rejected(dep, "tangents: the 2 tangents have rank 1")


def test_hessian_not_pd_on_the_complement():
    # u = +1 on the dead unit: H = diag(−2, 0) — the congruence has a negative entry
    P = problem_from_dict(SQ)
    good = _cert(SQ, [0, -1], [1, 1])
    c = copy.deepcopy(good)
    c["claim"]["point"], c["claim"]["loss"] = ["0", "1"], "1/2"
    c["body"]["family"]["numerator"][1] = [[[0], "1"], [[1], "1"]]
    _rejected(c, "congruence: M H Mᵀ has a negative")
    assert P.n_params == 2


def test_witness_not_lower(dead):
    c = copy.deepcopy(dead)
    c["body"]["witness"] = ["0", "-3"]
    _rejected(c, "witness: L(witness)")


def test_transplanted_problem(dead):
    c = _resign(copy.deepcopy(dead))
    c["problem"] = {**c["problem"], "Y": [["-1"]]}              # u w² >= 0 now fits better: not critical the same
    _resign(c)
    r = proofs.check_certificate(c)
    assert not r.verified
    c2 = copy.deepcopy(dead)
    c2["problem"] = {**c2["problem"], "Y": [["2"]]}             # stale hash
    _rejected(c2, "problem_sha256")


def test_relu_problem_refused(dead):
    c = copy.deepcopy(dead)
    c["problem"] = {**c["problem"], "activation": "relu"}
    _rejected(_resign(c), "relu")   # the relu kink at the point, or the family rule's "only for polynomial losses"


def test_malformed_family(dead):
    for fam in ({"parameters": 0, "denominator": [], "numerator": [[], []]},
                {"parameters": 1, "denominator": [[[99], "1"]], "numerator": [[], []]},
                {"parameters": 1, "denominator": [[[0], "1"]], "numerator": [[]]},
                {"parameters": 1, "denominator": [[[0], "1"], [[0], "1"]], "numerator": [[], []]}):
        c = copy.deepcopy(dead)
        c["body"]["family"] = fam
        with pytest.raises(proofs.MalformedCertificate):
            proofs.check_certificate(c)
