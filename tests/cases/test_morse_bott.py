"""Local minima up to a symmetry (Morse–Bott): σ(t) = t² two-layer nets whose non-strict minima classify exactly.

Instance (spurious): n = 1, width 1, σ(t) = t², X = [[1]], Y = [[1]], trained output; L(w, u) = ½(u w² − 1)².
At (w, u) = (0, −1): ∇L = 0, H = diag(2, 0), every (0, u) is critical (a dead unit), and u w² <= 0 near it so
L >= ½ = L(0, −1) > 0 = L(1, 1): a spurious non-strict local minimum.
"""

from fractions import Fraction as F

import proofs
from verify.certify import emit_checked, spurious_certificate
from verify.exact.classify import classify
from verify.problems import problem_from_dict
from verify.run.exact_route import check_claim
from verify.verdict import PointClass, Status, Trust

SQ = {"kind": "two-layer", "n": 1, "width": 1, "activation": {"poly": [0, 0, 1]}, "X": [[1]], "Y": [[1]]}
WIDE = {"kind": "two-layer", "n": 1, "width": 2, "activation": {"poly": [0, 0, 1]}, "X": [[1, 2]], "Y": [[1, 2]]}
# n = 2, width 1: u (w·x)² fits y = (1, −1, 1) on x = e1, e2, e1 + e2 best near u w wᵀ = e1 e1ᵀ (a live unit:
# the rational rescaling family (c w, u / c²), c = 1 + s)
LIVE = {"kind": "two-layer", "n": 2, "width": 1, "activation": {"poly": [0, 0, 1]}, "X": [[1, 0, 1], [0, 1, 1]],
        "Y": [[1, -1, 1]]}


def _pt(xs):
    return [F(x) for x in xs]


def test_dead_unit_is_a_spurious_morse_bott_minimum():
    P, p = problem_from_dict(SQ), _pt([0, -1])
    c = classify(P, p)
    assert c.cls is PointClass.LOCAL_MIN and c.method == "exact" and "Morse–Bott" in c.reason
    cert, note = emit_checked(P, p, c)
    assert cert["body"]["kind"] == "morse-bott-min" and proofs.check_certificate(cert).verified
    cert, note = spurious_certificate(P, p, c, _pt([1, 1]))
    assert cert["claim"]["kind"] == "spurious-morse-bott-min", note
    r = proofs.check_certificate(cert)
    assert r.verified and r.trust == "kernel", r.reason


def test_two_parameter_family():
    P, p = problem_from_dict(WIDE), _pt([0, 0, -1, -2])
    c = classify(P, p)
    assert c.cls is PointClass.LOCAL_MIN and c.details["morse_bott"].m == 2
    cert, _ = spurious_certificate(P, p, c, _pt([1, 0, 1, 0]))
    assert cert is not None and proofs.check_certificate(cert).verified


def test_rational_rescaling_family_of_a_live_unit():
    P, p = problem_from_dict(LIVE), _pt([1, 0, 1])
    c = classify(P, p)
    assert c.cls is PointClass.LOCAL_MIN
    fam = c.details["morse_bott"]
    assert fam.names == ["rescaling of unit 1"] and fam.tangents == [[1, 0, -2]]
    assert len(fam.to_json()["denominator"]) == 3     # (1 + s)²: not a polynomial family
    cert, _ = emit_checked(P, p, c)
    assert proofs.check_certificate(cert).verified


def test_no_spurious_local_min_is_refuted_by_the_kernel():
    r = check_claim(problem_from_dict(SQ), "no-spurious-local-min", timeout=60)
    assert r.status is Status.REFUTED and r.trust is Trust.KERNEL, r.reason
    assert r.certificate["claim"]["kind"] == "spurious-morse-bott-min"
    assert proofs.check_certificate(r.certificate).verified
