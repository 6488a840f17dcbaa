"""The `sublevel-path` kernel rule (proofs/sublevel.py): exact L < λ along polygonal paths; the hyperbola of global
minima of the scalar net L = ½(ab − 1)² is connected, its two branches are not (the origin has L = ½), relu paths
are cut at their exact breakpoints, and tampered paths are rejected. Expected values are computed here by hand."""

from fractions import Fraction as F

import pytest

import proofs

SCALAR = {"kind": "deep-linear", "widths": [1, 1, 1], "X": [["1"]], "Y": [["1"]], "reg": "0"}
RELU = {"kind": "two-layer", "n": 1, "width": 2, "activation": "relu", "X": [["1", "-1"]], "Y": [["1", "1"]],
        "train_output": True, "reg": "0"}


def cert(problem, a, b, beads, level):
    return {"format": "spurious-certificate", "version": 1,
            "claim": {"kind": "sublevel-path", "a": a, "b": b, "level": level},
            "problem": problem, "problem_sha256": proofs.problem_hash(problem),
            "body": {"kind": "sublevel-path", "beads": beads}}


def check(*args):
    return proofs.check_certificate(cert(*args))


def test_hyperbola_segment_below_its_maximum():
    # along (1, 1) → (2, 1/2): ab − 1 = t(1 − t)/2 ... L max = ½(1/8)² = 1/128 at t = 1/2
    assert check(SCALAR, ["1", "1"], ["2", "1/2"], [], "1/127").verified
    r = check(SCALAR, ["1", "1"], ["2", "1/2"], [], "1/128")
    assert not r.verified and "L reaches λ = 1/128 inside t ∈ (0, 1)" in r.reason   # a double root: touching


def test_beads_lower_the_level_needed():
    assert check(SCALAR, ["1", "1"], ["2", "1/2"], [["3/2", "2/3"]], "1/1000").verified
    assert not check(SCALAR, ["1", "1"], ["2", "1/2"], [], "1/1000").verified


def test_the_two_branches_are_not_joined_below_the_origin():
    r = check(SCALAR, ["1", "1"], ["-1", "-1"], [], "1/10")
    assert not r.verified and "Sturm" in r.reason
    r = check(SCALAR, ["1", "1"], ["-1", "-1"], [["1", "-1"]], "1/10")   # detour through L = 2 at (1, −1)
    assert not r.verified


def test_relu_path_is_cut_at_its_breakpoint():
    # w(t) = (1 − 2t, −1 + 2t), u = (1, 1): both units die at t = 1/2 where L = 1
    ok = check(RELU, ["1", "-1", "1", "1"], ["-1", "1", "1", "1"], [], "2")
    assert ok.verified and "2 polynomial pieces" in ok.reason
    r = check(RELU, ["1", "-1", "1", "1"], ["-1", "1", "1", "1"], [], "1")
    assert not r.verified and "t = 1/2" in r.reason


def test_endpoints_must_be_below_the_level():
    r = check(SCALAR, ["0", "0"], ["1", "1"], [], "1/2")     # L(0) = 1/2
    assert not r.verified and "at t = 0" in r.reason


def test_relu_teacher_is_rejected():
    teacher = {"kind": "relu-teacher", "k": 1, "n": 2, "teacher": [["1", "0"]]}
    r = check(teacher, ["1", "0"], ["1", "0"], [], "1")
    assert not r.verified and "not piecewise polynomial" in r.reason


@pytest.mark.parametrize("beads", [["1", "1"], [["1"]], "x", [[1.5, 2]]])
def test_malformed_beads(beads):
    with pytest.raises(proofs.MalformedCertificate):
        check(SCALAR, ["1", "1"], ["2", "1/2"], beads, "1")


def test_header_must_match_the_path():
    c = cert(SCALAR, ["1", "1"], ["2", "1/2"], [], "1/127")
    c["claim"]["level"] = str(F(1, 200))
    assert not proofs.check_certificate(c).verified
