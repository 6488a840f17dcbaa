"""The z3 route excludes certified FAMILIES of saddles, not only points (issue 10, item 5).

Known answers:

* scalar deep linear nets ½(w_H ⋯ w_1 − 1)², H = 4, 5: every local minimum is global (Kawaguchi 2016); the critical
  points with H − 1 … H − 2 zero weights form coordinate families of non-strict saddles, e.g. (a, 0, 0, 0) at H = 4
  (the old route excluded points and gave up after 6 rounds);
* σ(t) = t³, trained output, x = y = 1: L = ½(u w³ − 1)², critical points u w³ = 1 (global) and the line w = 0
  (u free) of non-strict saddles: L falls as −u·t³ off u = 0, and along (t, t) at the origin;
* σ(t) = t³, n = 2, X = I, Y = (1, 2): L = ½((u w₀³ − 1)² + (u w₁³ − 2)²); besides w = 0 its non-global critical
  points lie on the rescaling orbits {w₁ = 0, u w₀³ = 1} and {w₀ = 0, u w₁³ = 2} (curves, not coordinate families);
* σ(t) = t², trained output: L = ½(u w² − 1)²; on the line w = 0 the points with u < 0 are spurious local minima
  (tests/cases/test_morse_bott.py), so that line must never be excluded.
"""

import copy
import functools
import operator
from fractions import Fraction as F

import pytest

import proofs
from verify.certify.attestation_check import check_any
from verify.exact.smt.families import find_family
from verify.exact.smt.family_check import recheck_family
from verify.exact.smt.orbits import rescaling_orbits
from verify.problems import problem_from_dict
from verify.run import exact_route
from verify.run.check import decide
from verify.verdict import Status, Trust


def scalar(depth, reg=0):
    return problem_from_dict({"kind": "deep-linear", "widths": [1] * (depth + 1), "X": [[1]], "Y": [[1]],
                              "reg": reg})


def cubic(n=1, X=((1,),), Y=((1,),)):
    return problem_from_dict({"kind": "two-layer", "n": n, "width": 1, "activation": {"poly": [0, 0, 0, 1]},
                              "X": [list(r) for r in X], "Y": [list(r) for r in Y]})


SQUARE = {"kind": "two-layer", "n": 1, "width": 1, "activation": {"poly": [0, 0, 1]}, "X": [[1]], "Y": [[1]]}


def _pt(xs):
    return [F(x) for x in xs]


def _families(r):
    return [e for e in r.excluded if "family" in e]


def _assert_attested(r):
    check = check_any(r.certificate)
    assert check.outcome is proofs.Outcome.ATTESTED and not check.verified and check.trust == "solver", check.reason
    assert r.certificate["meta"]["excluded"] == list(r.excluded)


def _recheck_all(problem, r):
    for e in _families(r):
        again = recheck_family(problem, e)
        assert again.ok, again.note
        assert again.text == e["family"]["equations"]   # the query excluded what the re-check derives


# --- the route decides where it gave up -------------------------------------------------------------------------

def test_scalar_depth4_no_spurious_local_min_proved_by_four_families():
    P = scalar(4)
    r = exact_route.check_claim(P, "no-spurious-local-min", timeout=60)
    assert r.status is Status.PROVED and r.trust is Trust.SOLVER, r.reason
    eqs = sorted(tuple(e["family"]["equations"]) for e in _families(r))
    # the four lines of non-strict saddles: three weights zero, one free (the origin lies on each)
    assert eqs == sorted(tuple(f"W{i}_0_0 = 0" for i in range(1, 5) if i != free) for free in range(1, 5))
    assert len(r.excluded) == 4 and "excluded 4 families" in r.reason and "{W2_0_0 = 0, W3_0_0 = 0, W4_0_0 = 0}" \
        in r.reason
    _assert_attested(r)
    _recheck_all(P, r)


def test_scalar_depth5_no_spurious_local_min_proved_by_ten_families():
    P = scalar(5)
    r = exact_route.check_claim(P, "no-spurious-local-min", timeout=60, second_solver=False)
    assert r.status is Status.PROVED and r.trust is Trust.SOLVER, r.reason
    fams = _families(r)
    assert len(fams) == len(r.excluded) == 10       # C(5, 3): three weights zero, two free
    assert all(len(e["family"]["free"]) == 2 for e in fams)
    _recheck_all(P, r)


def test_cubic_unit_line_of_saddles_proved_through_spurious_check():
    P = cubic()
    r = decide(P, "no-spurious-local-min", backend="exact", timeout=60)
    assert r.backend.startswith("exact:z3"), r.backend   # no theorem applies: z3 really ran
    assert r.status is Status.PROVED and r.trust is Trust.SOLVER, r.reason
    assert [e["family"]["equations"] for e in r.excluded] == [["W_0_0 = 0"]]
    assert r.excluded[0]["family"]["free"] == ["U_0_0"]
    _assert_attested(r)
    _recheck_all(P, r)


def test_cubic_two_inputs_rescaling_orbits_proved():
    P = cubic(n=2, X=((1, 0), (0, 1)), Y=((1, 2),))
    r = exact_route.check_claim(P, "no-spurious-local-min", timeout=60, second_solver=False)
    assert r.status is Status.PROVED and r.trust is Trust.SOLVER, r.reason
    eqs = sorted(e["family"]["equations"] for e in r.excluded)
    assert eqs == sorted([["W_0_0 = 0", "W_0_1 = 0"], ["-W_0_1 = 0", "U_0_0*W_0_0**3 - 1 = 0"],
                          ["-W_0_0 = 0", "U_0_0*W_0_1**3 - 2 = 0"]])
    _recheck_all(P, r)


def test_family_limit_gives_unknown_never_proved(monkeypatch):
    monkeypatch.setattr(exact_route, "MAX_FAMILIES", 2)
    r = exact_route.check_claim(scalar(4), "no-spurious-local-min", timeout=60, second_solver=False)
    assert r.status is Status.UNKNOWN and r.trust is Trust.NONE
    assert "2 families and 0 single point(s)" in r.reason and r.certificate is None


def test_spurious_minima_on_a_line_still_refuted():
    # the line w = 0 holds spurious local minima (u < 0): no family through it may be excluded
    r = decide(problem_from_dict(SQUARE), "no-spurious-local-min", backend="exact", timeout=60)
    assert r.status is Status.REFUTED and r.trust is Trust.KERNEL, r.reason
    assert not _families(r)


# --- the search never proposes, and the re-check never accepts, a family that is not one ------------------------

def test_no_family_through_a_line_holding_local_minima():
    P = problem_from_dict(SQUARE)
    for u in (1, -1, 0):
        assert find_family(P, _pt([0, u])) is None


def test_depth4_family_and_its_record():
    P = scalar(4)
    fam = find_family(P, _pt([1, 0, 0, 0]))
    record = fam.to_json(P.param_names())
    assert record["family"] == {"fixed": {"W2_0_0": "0", "W3_0_0": "0", "W4_0_0": "0"}, "free": ["W1_0_0"],
                                "orbits": []}
    nodes = record["argument"]["nodes"]
    top = nodes[record["argument"]["not_a_local_min"]]
    # −a·t³ off a = 0 (odd order), and at the origin −t⁴ along (t, t, t, t)
    assert (top["order"], top["split"]) == (3, ["W1_0_0"]) and nodes[top["sub"]["W1_0_0"]]["order"] == 4
    check = recheck_family(P, record)
    assert check.ok and check.text == ["W2_0_0 = 0", "W3_0_0 = 0", "W4_0_0 = 0"], check.note


def _tampered(record, path, value):
    bad = copy.deepcopy(record)
    functools.reduce(operator.getitem, path[:-1], bad)[path[-1]] = value
    return bad


@pytest.mark.parametrize("path, value, why", [
    (("family", "fixed"), {"W2_0_0": "0", "W3_0_0": "1", "W4_0_0": "1"}, "does not vanish"),   # (a, 0, 1, 1)
    (("family", "fixed", "W4_0_0"), "1", "not the one its parent names"),       # (a, 0, 0, 1): critical, not argued
    (("family", "fixed"), {"W2_0_0": "0", "W3_0_0": "0"}, "free coordinates"),       # W4 neither fixed nor free
    (("argument", "nodes", 0, "split"), [], "is not definite"),                      # −a t³ is not definite
    (("argument", "nodes", 0, "sub"), {}, "no later node"),                          # the origin left unargued
    (("argument", "nodes", 0, "curve"), [["0", "1", "1", "0"]], "not"),              # f ≡ 0 along it
    (("argument", "nodes", 1, "order"), 8, "f_8 = 1/2 is not definite"),             # skips −t⁴ at the origin
    (("argument", "nodes", 0, "order"), 6, "f_6 is not a monomial"),                  # a²t⁶/2 splits nothing
    (("argument", "not_a_local_max"), 0, "not definite"),                            # a descent passed as ascent
    (("argument", "nodes", 0, "sub"), {"W1_0_0": 2}, "not the one its parent names"),   # the ascent's top node
    (("argument", "nodes", 0, "scaled_by_coordinate"), {"W2_0_0": "W3_0_0"}, "not free"),
])
def test_tampered_family_records_rejected(path, value, why):
    P = scalar(4)
    record = find_family(P, _pt([1, 0, 0, 0])).to_json(P.param_names())
    check = recheck_family(P, _tampered(record, path, value))
    assert not check.ok and why in check.note, check.note
    assert check.equations == []


def test_orbit_family_and_tampered_orbits():
    P = cubic(n=2, X=((1, 0), (0, 1)), Y=((1, 2),))
    point = _pt([-1, 0, -1])
    assert [o.degree for o in rescaling_orbits(P, point)] == [3]
    record = find_family(P, point).to_json(P.param_names())
    assert record["family"]["orbits"] and record["family"]["free"] == []
    check = recheck_family(P, record)
    assert check.ok and check.text == ["-W_0_1 = 0", "U_0_0*W_0_0**3 - 1 = 0"], check.note
    wrong_degree = _tampered(record, ("family", "orbits", 0, "degree"), 2)
    assert "not invariant" in recheck_family(P, wrong_degree).note
    no_orbit_in_u = _tampered(record, ("family", "orbits", 0, "inverse_scaled"), [])
    assert not recheck_family(P, no_orbit_in_u).ok


def test_no_orbit_when_the_unit_is_regularised_or_its_output_is_zero():
    X, Y = [[1, 0], [0, 1]], [[1, 2]]
    reg = {"kind": "two-layer", "n": 2, "width": 1, "activation": {"poly": [0, 0, 0, 1]}, "X": X, "Y": Y,
           "reg": [[[1, 1]], [[0]]]}
    assert rescaling_orbits(problem_from_dict(reg), _pt([-1, 0, -1])) == []
    assert rescaling_orbits(cubic(n=2, X=X, Y=Y), _pt([-1, 0, 0])) == []   # u = 0: the zero set is not the orbit


@pytest.mark.parametrize("problem, point", [
    (scalar(4), [1, 0, 0, 0]),
    (scalar(5), [1, -1, 0, 0, 0]),
    (cubic(), [0, 1]),
    (cubic(n=2, X=((1, 0), (0, 1)), Y=((1, 2),)), [-1, 0, -1]),
])
def test_sampled_family_points_are_critical_and_not_extrema(problem, point):
    # a third opinion: the exact point classifier, at sample points of the family (free values and orbit scales)
    from verify.exact.classify import classify
    from verify.verdict import PointClass

    record = find_family(problem, _pt(point)).to_json(problem.param_names())
    check = recheck_family(problem, record)
    assert check.ok, check.note
    names, fam = problem.param_names(), record["family"]
    samples = 0
    for value in (F(-2), F(-1, 2), F(0), F(3)):
        theta = {n: F(v) for n, v in fam["fixed"].items()} | {n: value for n in fam["free"]}
        for c in (F(1), F(-1, 3), F(2)):
            moved = dict(theta)
            for orbit in fam["orbits"]:
                moved |= {n: theta[n] * c for n in orbit["scaled"]}
                moved |= {n: theta[n] / c ** orbit["degree"] for n in orbit["inverse_scaled"]}
            sample = [moved[n] for n in names]
            assert all(eq.subs(dict(zip(check.symbols, sample))) == 0 for eq in check.equations)
            cls = classify(problem, sample).cls
            assert cls in (PointClass.NON_STRICT_SADDLE, PointClass.STRICT_SADDLE), (sample, cls)
            samples += 1
    assert samples == 12
