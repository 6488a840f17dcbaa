"""The `complete-landscape` kernel rule (proofs/landscape.py) on certificates built by certlib.landscape_cert (sympy:
exact Gröbner basis, shape-lemma points polished by Newton, cofactors by an exact linear solve): the valid ones verify,
every tampered variant is rejected with the step that failed."""

import copy
import json
import pathlib
import subprocess
import sys

import pytest
import sympy as sp
from certlib import FLIP_ALL, landscape_cert
from certlib import q as _q

from proofs import Outcome, check_certificate, problem_hash
from proofs.landscape import standard_monomials


def build(y=2, lam="1/3", statement="no-spurious-local-min", ideal="recompute"):
    """L = ½(ab − y)² + λ/2 (a² + b²), θ = (a, b) = (W_1, W_2), with the sign flip (a, b) -> (−a, −b)."""
    prob = {"kind": "deep-linear", "widths": [1, 1, 1], "X": [["1"]], "Y": [[str(y)]], "reg": lam}
    return landscape_cert(prob, statement, ideal, symmetries=FLIP_ALL[2])


@pytest.fixture(scope="module")
def cert():
    return build()


@pytest.fixture(scope="module")
def cofactor_cert():
    return build(ideal="cofactors")


def _check(c):
    return check_certificate(json.dumps(c))


@pytest.mark.parametrize("statement", ["count", "strict-saddle", "no-spurious-local-min"])
def test_valid_certificate_verifies(statement):
    r = _check(build(statement=statement))
    assert r.outcome is Outcome.VERIFIED, r.reason
    assert "5 complex critical points" in r.claim and "3 real" in r.claim


def test_cofactor_route_verifies(cofactor_cert):
    r = _check(cofactor_cert)
    assert r.outcome is Outcome.VERIFIED, r.reason
    assert "by cofactors" in r.reason


def _tampered(c, edit):
    c = copy.deepcopy(c)
    edit(c)
    return _check(c)


def _rejected(c, edit, step):
    r = _tampered(c, edit)
    assert r.outcome is Outcome.REJECTED, r
    assert step in r.reason, r.reason


def test_box_dropped(cert):
    def drop(c):
        c["body"]["boxes"].pop()
    _rejected(cert, drop, "boxes")


def test_box_dropped_with_counts_lowered(cert):
    def drop(c):
        box = c["body"]["boxes"].pop(0)
        c["claim"]["critical_points"] -= 1
        assert box
    _rejected(cert, drop, "standard monomials")


def test_two_boxes_overlapping(cert):
    def overlap(c):
        bx = c["body"]["boxes"]
        bx[1] = copy.deepcopy(bx[0])
    _rejected(cert, overlap, "overlap")


def test_centre_moved(cert):
    def move(c):
        b = c["body"]["boxes"][0]
        b["re"][0] = _q(sp.Rational(b["re"][0]) + sp.Rational(1, 10 ** 10))
    _rejected(cert, move, "Krawczyk")


def test_standard_monomial_added(cert):
    def drop_basis(c):
        c["body"]["basis"].pop()
    r = _tampered(cert, drop_basis)
    assert r.outcome is Outcome.REJECTED


def test_basis_polynomial_changed(cert):
    def change(c):
        c["body"]["basis"][0][0][1] = "7"
    _rejected(cert, change, "ideal")


def test_cofactor_changed(cofactor_cert):
    def change(c):
        row = next(r for r in c["body"]["cofactors"] if r[0])
        row[0][0][1] = _q(sp.Rational(row[0][0][1]) + 1)
    _rejected(cofactor_cert, change, "ideal")


def test_count_claimed_wrong(cert):
    def wrong(c):
        c["claim"]["critical_points"] += 1
    _rejected(cert, wrong, "standard monomials")


def test_saddle_claimed_minimum(cert):
    def relabel(c):
        b = next(b for b in c["body"]["boxes"] if "direction" in b)
        del b["direction"]
        b["congruence"] = [["1", "0"], ["0", "1"]]
        c["claim"]["minima"] += 1
        c["claim"]["saddles"] -= 1
    _rejected(cert, relabel, "box")


def test_real_box_declared_complex(cert):
    def fake(c):
        b = next(b for b in c["body"]["boxes"] if "direction" in b)
        del b["direction"]
        b["im"][0] = "1/10000000000000000000000000"
        c["claim"]["real"] -= 1
        c["claim"]["saddles"] -= 1
    _rejected(cert, fake, "neither real")


def test_orbit_needs_the_symmetry(cert):
    def nosym(c):
        c["body"]["symmetries"] = []
    _rejected(cert, nosym, "levels")


def test_symmetry_must_preserve_the_loss(cert):
    def wrong(c):
        c["body"]["symmetries"] = [[[0, 1], [1, -1]]]
    _rejected(cert, wrong, "symmetry")


def test_no_spurious_needs_coercivity(cert):
    def unreg(c):
        c["problem"]["reg"] = "0"
        c["problem_sha256"] = problem_hash(c["problem"])
    r = _tampered(cert, unreg)
    assert r.outcome is Outcome.REJECTED   # the basis no longer matches (an infinite critical set at Λ = 0)


def test_count_without_symmetries_still_verifies(cert):
    c = copy.deepcopy(cert)
    c["claim"]["statement"] = "count"
    c["body"]["symmetries"] = []
    assert _check(c).outcome is Outcome.VERIFIED


def test_standard_monomials_counts():
    assert standard_monomials([(2, 0), (0, 3)], 2, 100) == 6
    assert standard_monomials([(2, 0), (1, 1), (0, 2)], 2, 100) == 3
    assert standard_monomials([(2, 0)], 2, 100) is None          # no pure power of x_1
    assert standard_monomials([(3, 0, 0), (0, 2, 0), (0, 0, 2), (1, 1, 1)], 3, 100) == 10   # 3·2·2 − 2 (xyz, x²yz)


def test_strict_saddle_also_needs_every_minimum_global(cert):
    """CONTRACT.md's strict-saddle: every critical point that is not a GLOBAL minimum has negative curvature."""
    c = copy.deepcopy(cert)
    c["claim"]["statement"] = "strict-saddle"
    c["body"]["symmetries"] = []
    r = _check(c)
    assert r.outcome is Outcome.REJECTED and "levels" in r.reason, r.reason


def _recompute_on(widths):
    """A 1 KB complete-landscape certificate with ideal "recompute" and a one-term basis on a deep-linear problem."""
    dx, n = widths[0], sum(widths[i] * widths[i - 1] for i in range(1, len(widths)))
    prob = {"kind": "deep-linear", "widths": widths, "X": [[str(i + j + 1) for j in range(dx + 1)] for i in range(dx)],
            "Y": [[str(i * j + 1) for j in range(dx + 1)] for i in range(widths[-1])], "reg": "1/3"}
    claim = {"kind": "complete-landscape", "statement": "count", "critical_points": 1, "real": 1, "minima": 1,
             "saddles": 0}
    body = {"kind": "complete-landscape", "variables": list(range(n)), "ideal": "recompute",
            "basis": [[[[1] + [0] * (n - 1), "1"]]], "boxes": []}
    return {"format": "spurious-certificate", "version": 1, "claim": claim, "problem": prob,
            "problem_sha256": problem_hash(prob), "body": body}


def test_recompute_route_respects_the_time_limit():
    """check_certificate(…, timeout=2) must return or raise CheckTimeout within seconds, whatever the certificate."""
    code = ("import json, sys; from proofs import check_certificate, CheckTimeout\n"
            "try:\n    check_certificate(sys.stdin.read(), timeout=2)\nexcept CheckTimeout:\n    pass\n")
    subprocess.run([sys.executable, "-c", code], input=json.dumps(_recompute_on([3, 3, 2])), text=True, timeout=30,
                   check=True, cwd=pathlib.Path(__file__).resolve().parents[2])


def test_recompute_route_on_a_small_problem_returns():
    """The same certificate on 6 parameters is rejected at once (the basis is not the recomputed one)."""
    r = _check(_recompute_on([2, 2, 1]))
    assert r.outcome is Outcome.REJECTED and "reduced Gröbner basis" in r.reason
