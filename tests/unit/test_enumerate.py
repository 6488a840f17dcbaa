"""Unit tests of the critical-point enumeration (verify/groebner.py, verify/enumerate.py)."""

import json
import random
import types
from fractions import Fraction as F

import flint
import numpy as np
import pytest

from verify import DeepLinear, InputError, ReluTeacher, TooLargeError, TwoLayer
from verify.cli.critical_points import run as cmd_critical_points
from verify.exact.algebra.enumerate import critical_points
from verify.exact.algebra.groebner import (
    NotFiniteError,
    QuotientAlgebra,
    critical_system,
    degrevlex_key,
    groebner_flint,
    missing_pure_powers,
    standard_monomials,
)
from verify.exact.ball.balls import arb_pow as _pow
from verify.exact.ball.balls import certify_inertia as _certify_inertia
from verify.exact.ball.balls import eval_terms as _eval_terms
from verify.exact.inertia import congruence_diagonalise, inertia
from verify.testing.instances import generic_regularised_net


def m(*rows):
    return tuple(tuple(F(x) for x in row) for row in rows)


def instance(widths, seed):
    return generic_regularised_net(widths, seed)


SQUARE = TwoLayer(n=1, width=1, activation=(F(0), F(0), F(1)), X=m((F(-5, 3),)), Y=m((-1,)),
                  reg=(m((F(4, 5),)), m((F(6, 5),))))


# -- the polynomial system and its Gröbner basis -------------------------------------------------------------

def test_system_has_integer_coefficients_and_vanishes_at_the_origin():
    polys, loss, qctx, zctx = critical_system(instance((1, 2, 1), 0))
    assert len(polys) == 4
    assert all(isinstance(p, flint.fmpz_mpoly) for p in polys)
    assert all(p.coefficient(0) == 0 if p.monoms()[-1] == (0, 0, 0, 0) else True for p in polys)
    # ∂L/∂θ_i up to a positive integer factor
    for i, p in enumerate(polys):
        g = loss.derivative(i)
        ratio = {flint.fmpq(int(c)) / g.to_dict()[tuple(e)] for e, c in p.terms()}
        assert len(ratio) == 1 and next(iter(ratio)) > 0


def test_basis_is_a_reduced_groebner_basis():
    polys, _, _, zctx = critical_system(instance((2, 2, 2), 0))
    gb = groebner_flint(polys, zctx)
    vec = flint.fmpz_mpoly_vec(gb, zctx)
    assert vec.is_groebner() and vec.is_autoreduced()
    # every generator reduces to zero modulo the basis
    for p in polys:
        assert p.reduction_primitive_part(vec).is_zero()


def test_degrevlex_key_matches_flint():
    ctx = flint.fmpz_mpoly_ctx.get(("t", 3), "degrevlex")
    p = ctx.from_dict({(2, 0, 0): 1, (1, 1, 0): 1, (0, 2, 0): 1, (1, 0, 1): 1, (0, 0, 3): 1, (0, 1, 1): 1})
    monoms = [tuple(e) for e in p.monoms()]
    assert monoms == sorted(monoms, key=degrevlex_key, reverse=True)


def test_zero_dimensionality_test():
    assert missing_pure_powers([(2, 0), (0, 3)], 2) == []
    assert missing_pure_powers([(2, 0), (1, 1)], 2) == [1]
    assert standard_monomials([(2, 0), (0, 2)], 2) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert standard_monomials([(0, 0)], 2) == []


@pytest.mark.parametrize("reg", [F(1, 3), F(0)])
def test_scalar_or_zero_regulariser_is_not_finite(reg):
    prob = DeepLinear(widths=(1, 2, 1), X=m((2,)), Y=m((3,)), reg=reg)
    with pytest.raises(NotFiniteError) as err:
        critical_points(prob)
    assert isinstance(err.value, InputError) and err.value.field == "reg"
    assert "not finite" in str(err.value) and "per-weight" in str(err.value)


def test_scalar_regulariser_with_width_one_is_finite():
    # a 1×1 orthogonal Q is ±1: no continuous symmetry, so a scalar λ is enough at hidden width 1
    r = critical_points(DeepLinear(widths=(1, 1, 1), X=m((2,)), Y=m((3,)), reg=F(1, 3)))
    assert (r["complex"], r["real"]) == (5, 3)


def test_not_finite_crosses_the_timeout_process():
    prob = DeepLinear(widths=(2, 2, 1), X=m((1,), (2,)), Y=m((3,)), reg=F(1, 2))
    with pytest.raises(NotFiniteError, match="continuous symmetry"):
        critical_points(prob, timeout=60)


def test_non_polynomial_and_too_large_inputs_are_rejected():
    with pytest.raises(InputError, match="relu"):
        critical_points(TwoLayer(n=1, width=1, activation="relu", X=m((1,)), Y=m((1,))))
    with pytest.raises(InputError, match="not a polynomial"):
        critical_points(ReluTeacher(k=1, n=1, teacher=m((1,))))
    big = DeepLinear(widths=(3, 3, 3), X=m((1,), (1,), (1,)), Y=m((1,), (1,), (1,)), reg=F(1))
    with pytest.raises(TooLargeError):
        critical_points(big)


# -- normal forms, multiplication matrices, Hermite form ----------------------------------------------------

@pytest.fixture(scope="module")
def algebra():
    return QuotientAlgebra.from_problem(instance((1, 2, 2), 1))


def test_normal_form_of_the_ideal_is_zero(algebra):
    polys, _, _, _ = critical_system(algebra.problem, algebra.order)
    for p in polys:
        assert algebra.normal_form(p) == {}
    for k, b in enumerate(algebra.basis):
        assert algebra.nf_monomial(b) == {k: 1}


def test_hand_written_reducer_agrees_with_flint_up_to_scalar(algebra):
    # flint 0.9 only has reduction_primitive_part: the remainder up to a scalar; ours keeps the scalar
    zctx = algebra.gb_int[0].context()
    vec = flint.fmpz_mpoly_vec(algebra.gb_int, zctx)
    rng = random.Random(0)
    n = algebra.n
    for _ in range(10):
        terms = {tuple(rng.randint(0, 3) for _ in range(n)): rng.randint(-9, 9) for _ in range(6)}
        f = zctx.from_dict({e: c for e, c in terms.items() if c})
        ours = algebra.as_poly(algebra.normal_form(f))
        theirs = f.reduction_primitive_part(vec)
        if theirs.is_zero():
            assert ours.is_zero()
            continue
        ratios = {c / flint.fmpq(int(theirs.to_dict()[e])) for e, c in ours.to_dict().items()}
        assert len(ratios) == 1 and len(ours.to_dict()) == len(theirs.to_dict())


def test_multiplication_matrices_commute(algebra):
    Ms = algebra.mult_matrices()
    for i in range(len(Ms)):
        for j in range(i + 1, len(Ms)):
            assert Ms[i] * Ms[j] == Ms[j] * Ms[i]


def test_hermite_counts_match_exact_congruence(algebra):
    H = algebra.hermite_matrix()
    D = algebra.dimension
    rows = [[H[i, j] for j in range(D)] for i in range(D)]
    assert all(rows[i][j] == rows[j][i] for i in range(D) for j in range(D))
    neg, zero, pos = inertia(congruence_diagonalise(rows)[1])
    assert algebra.hermite_counts() == (D - zero, pos - neg) == (33, pos - neg)
    assert H.rank() == D - zero


def test_sympy_groebner_gives_the_same_reduced_basis():
    import sympy

    prob = instance((1, 2, 1), 3)
    polys, _, _, zctx = critical_system(prob)
    gens = sympy.symbols("t0:4")
    exprs = [sum(int(c) * sympy.prod([g ** k for g, k in zip(gens, e)]) for e, c in p.terms()) for p in polys]
    theirs = sympy.groebner(exprs, *gens, order="grevlex")
    ours = groebner_flint(polys, zctx)

    def monic(d):
        lead = max(d, key=degrevlex_key)
        return {e: F(int(c)) / F(int(d[lead])) for e, c in d.items()}

    ours_set = sorted(sorted(monic({tuple(e): c for e, c in g.terms()}).items()) for g in ours)
    theirs_set = sorted(sorted(monic({tuple(e): c for e, c in sympy.Poly(g, *gens).terms()}).items())
                        for g in theirs.exprs)
    assert ours_set == theirs_set


# -- real points and their classes -------------------------------------------------------------------------

@pytest.mark.parametrize("widths,seed", [((1, 1, 1), 0), ((1, 2, 1), 0), ((1, 1, 2), 1), ((2, 2, 2), 2)])
def test_real_at_most_complex_and_classes_sum(widths, seed):
    r = critical_points(instance(widths, seed))
    assert r["real"] <= r["complex"] <= r["multiplicity_count"]
    assert sum(r["by_class"].values()) == r["real"] == len(r["points"])
    assert sorted(r["by_class"]) == sorted(["global-min", "spurious-local-min", "local-min", "strict-saddle",
                                            "local-max", "unknown"])


def _float_grad_hess(prob, x):
    from verify.exact.algebra.groebner import loss_polynomial

    loss, _ = loss_polynomial(prob)
    n = prob.n_params

    def ev(p):
        return sum(float(c) * np.prod([xi ** int(k) for xi, k in zip(x, e)]) for e, c in p.terms())

    g = [ev(loss.derivative(i)) for i in range(n)]
    H = [[ev(loss.derivative(i).derivative(j)) for j in range(n)] for i in range(n)]
    return np.array(g), np.array(H), ev(loss)


@pytest.mark.parametrize("widths,seed", [((1, 2, 1), 0), ((2, 2, 2), 2)])
def test_points_are_critical_and_classes_match_floats(widths, seed):
    prob = instance(widths, seed)
    r = critical_points(prob)
    for p in r["points"]:
        g, H, L = _float_grad_hess(prob, p["approx"])
        assert np.max(np.abs(g)) < 1e-9
        lo, hi = p["loss_interval"]
        assert lo <= hi and abs(L - (lo + hi) / 2) < 1e-9
        ev = np.linalg.eigvalsh(H)
        neg, zero, pos = p["hessian_inertia"]
        assert (int(np.sum(ev < 0)), int(np.sum(ev > 0))) == (neg, pos) and zero == 0
        if p["class"] == "strict-saddle":
            assert neg > 0 and pos > 0
        if p["class"] in ("global-min",):
            assert lo <= min(q["loss_interval"][1] for q in r["points"])
    # the global minima share one exactly identified loss level, the lowest
    gm = [p for p in r["points"] if p["class"] == "global-min"]
    assert gm and {p["loss_level"] for p in gm} == {0}


def test_multiple_root_and_non_coercive_case():
    # Λ_U = 0: only the origin is critical; not coercive, so no global-min claim
    prob = DeepLinear(widths=(1, 1, 1), X=m((2,)), Y=m((3,)), reg=(m((1,)), m((0,))))
    r = critical_points(prob)
    assert r["coercive"] is False and r["real"] == 1 and r["by_class"]["global-min"] == 0
    assert r["points"][0]["class"] == "strict-saddle"


def test_spurious_local_min_has_a_lower_witness():
    r = critical_points(SQUARE)
    spur = [i for i, p in enumerate(r["points"]) if p["class"] == "spurious-local-min"]
    assert len(spur) == 1
    p = r["points"][spur[0]]
    w = r["points"][p["witness"]]
    assert w["loss_interval"][1] < p["loss_interval"][0]


def test_certified_inertia_on_balls():
    a = flint.arb
    H = [[a(2), a("0.1 +/- 1e-20")], [a("0.1 +/- 1e-20"), a(-3)]]
    assert _certify_inertia(H) == (1, 0, 1)
    singular = [[a(1), a(1)], [a(1), a(1)]]
    assert _certify_inertia(singular) is None
    wide = [[a("1 +/- 2"), a(0)], [a(0), a(1)]]
    assert _certify_inertia(wide) is None


def test_ball_powers_around_zero_are_finite():
    x = flint.arb("0 +/- 1e-30")
    assert _pow(x, 2).is_finite() and _pow(x, 3).contains(0)
    assert _eval_terms([((2, 1), flint.fmpq(3))], [x, flint.arb(2)]).contains(0)


# -- API and CLI -------------------------------------------------------------------------------------------

def test_timeout_gives_unknown():
    r = critical_points(instance((1, 3, 3), 0), timeout=0.5)
    assert r["status"] == "unknown" and r["complex"] is None and "timeout" in r["reason"]


def test_timeout_path_returns_the_same_answer():
    prob = instance((1, 2, 1), 5)
    assert critical_points(prob, timeout=60)["by_class"] == critical_points(prob)["by_class"]


def test_cli_json(tmp_path, capsys):
    f = tmp_path / "net.toml"
    f.write_text('kind = "deep-linear"\nwidths = [1, 1, 1]\nX = [[2]]\nY = [[3]]\nreg = [[[1]], [["1/2"]]]\n')
    args = types.SimpleNamespace(problem=str(f), json=True, timeout=60.0)
    assert cmd_critical_points(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["complex"], out["real"], out["multiplicity_count"]) == (5, 3, 5)
    assert out["by_class"]["global-min"] == 2 and out["by_class"]["strict-saddle"] == 1
    args.json = False
    assert cmd_critical_points(args) == 0
    assert "complex critical points (distinct): 5" in capsys.readouterr().out


def test_unit_ideal_is_a_finite_empty_set():
    ctx = flint.fmpz_mpoly_ctx.get(("t", 2), "degrevlex")
    A = QuotientAlgebra([ctx.from_dict({(0, 0): 1})], 2, flint.fmpq_mpoly_ctx.get(("t", 2), "degrevlex"))
    assert A.zero_dimensional and A.dimension == 0


def test_variable_orders_agree():
    prob = instance((2, 2, 2), 4)
    counts = {order: QuotientAlgebra.from_problem(prob, order=order).hermite_counts()
              for order in ("canonical", "reversed")}
    assert counts["canonical"] == counts["reversed"] and counts["canonical"][0] == 33
    with pytest.raises(InputError, match="variable order"):
        QuotientAlgebra.from_problem(prob, order="lex")
