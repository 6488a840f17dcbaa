"""The complete-landscape producer's parts: msolve's parametrisation parser and seeded runs, Singular's std/lift,
signed-permutation symmetries, the Krawczyk test, the reasons for no certificate, and ``critical-points --cert``."""

import json
import subprocess
import sys
from fractions import Fraction as F

import flint
import pytest

import proofs
from verify import DeepLinear, TwoLayer
from verify.certify.landscape import complete_landscape_certificate
from verify.errors import InputError, InternalError, WallClockTimeout
from verify.exact.algebra import msolve, singular
from verify.exact.algebra.complete_landscape import Failure, ring_gradients, variable_order
from verify.exact.algebra.groebner import loss_polynomial
from verify.exact.ball.krawczyk import GradientSystem, krawczyk
from verify.exact.discrete_symmetry import apply, compose, group, preserves_loss, signed_symmetries
from verify.testing.instances import generic_deep_regularised_net
from verify.verdict import Completion

needs_msolve = pytest.mark.skipif(not msolve.available(), reason=f"msolve not installed ({msolve.INSTALL_HINT})")
needs_singular = pytest.mark.skipif(not singular.available(),
                                    reason=f"Singular not installed ({singular.INSTALL_HINT})")


def m(*rows):
    return tuple(tuple(F(x) for x in row) for row in rows)


def net(x, y, l1, l2):
    return DeepLinear(widths=(1, 1, 1), X=m((x,)), Y=m((y,)), reg=(m((l1,)), m((l2,))))


SQUARE_NET = TwoLayer(n=1, width=1, activation=(F(0), F(0), F(1)), X=m((F(-5, 3),)), Y=m((-1,)),
                      reg=(m((F(4, 5),)), m((F(6, 5),))))
"""σ(t) = t²: 9 complex critical points, 5 real, one spurious local minimum (tests/unit/test_msolve.py)."""


# ---------------------------------------------------------------------------------------------------------
# msolve: the parametrisation and seeded runs

P111 = """[0, [0,
2,
5,
['a', 'b'],
[0, 1],
[1,
[[5, [0, 18900129, 0, 579360, 0, 4352]],
[4, [18900129, 0, 1738080, 0, 21760]],
[
[[4, [0, 0, 0, -121856, 0]],
1]
]]]],[1,
[[[0, 0], [0, 0]]]
]]:
"""


def test_parametrisation_parser_on_msolve_output():
    par = msolve.parse_parametrisation(P111, ["a", "b"])
    assert par.degree == 5 and par.linear_form == [0, 1]
    assert par.elim == [0, 18900129, 0, 579360, 0, 4352] and par.den == [18900129, 0, 1738080, 0, 21760]
    assert par.coordinates == [([0, 0, 0, -121856, 0], 1), None]  # b is the form itself
    assert msolve.parse_parametrisation("[1, 2, -1, []]:", ["a", "b"]) is None
    assert msolve.parse_parametrisation("[-1]:", ["a", "b"]).degree == 0


@pytest.mark.parametrize("text", [
    P111.replace("['a', 'b']", "['a', 'c']"),                 # unknown variable
    P111.replace("[5, [0, 18900129", "[6, [0, 18900129"),     # degree and coefficient count disagree
    P111.replace("1]\n]]]]", "0]\n]]]]"),                     # zero coefficient c_i
    P111.replace("[0, 1],", "[0, 1/2],"),                     # a rational linear form
    P111.replace("[0, [0,", "[0, [7,", 1),                    # another characteristic
    "[0, [1, 2]]:",                                           # no parametrisation
])
def test_malformed_parametrisations_are_internal_errors(text):
    with pytest.raises(InternalError):
        msolve.parse_parametrisation(text, ["a", "b"])


def test_integers_beyond_pythons_digit_limit_are_read():
    big = "7" * 9000
    assert msolve.tokenize(big) == [("int", 7 * (10 ** 9000 - 1) // 9)]


def test_groebner_basis_needs_two_agreeing_runs(monkeypatch):
    answers = iter(["#\n[x-2]:", "#\n[x-3]:", "#\n[x-2]:"])
    seeds = []

    def fake_run(text, flags=(), timeout=None, threads=1):
        seeds.append(flags[flags.index("--random-seed") + 1])
        return next(answers)

    monkeypatch.setattr(msolve, "run", fake_run)
    monkeypatch.setattr(msolve, "_system", lambda problem, variables=None: (["x"], [[((1,), 1)]]))
    assert msolve.groebner_basis(None) == [{(1,): 1, (0,): -2}]
    assert len(seeds) == 3 and len(set(seeds)) == 3
    calls = iter(range(100))
    monkeypatch.setattr(msolve, "run", lambda *a, **k: f"#\n[x-{next(calls)}]:")   # never the same twice
    with pytest.raises(InternalError, match="disagree"):
        msolve.groebner_basis(None)


# ---------------------------------------------------------------------------------------------------------
# Singular


@needs_singular
def test_std_lift_gives_the_reduced_basis_and_reproducing_cofactors():
    f = [{(1, 0): 1, (0, 1): -1}, {(0, 2): 1, (0, 0): -1}]   # x − y, y² − 1
    basis, T = singular.std_lift(2, f)
    assert sorted(map(frozenset, (g.items() for g in basis))) == sorted(map(frozenset, (g.items() for g in f)))
    assert len(T) == len(basis) and all(len(row) == 2 for row in T)


@needs_singular
def test_singular_is_killed_at_its_limit():
    prob = generic_deep_regularised_net((1, 3, 3), 0)
    polys = [f for _, f, _ in ring_gradients(prob, variable_order(prob))]
    with pytest.raises(WallClockTimeout):
        singular.std_lift(prob.n_params, polys, timeout=0.2)


@pytest.mark.parametrize("text", [
    "no header at all",
    "@basis 1\nv0-1\n@lift 1 1\n1\n",              # no @end
    "@basis 1\nv0-1\n@lift 2 1\n1\n0\n@end",       # two rows for one generator
    "@basis 1\nv0-__import__\n@lift 1 1\n1\n@end",  # an unknown name
    "@basis 1\nv0-1\n@lift 1 1\n1\n@end\nmore",      # trailing output
])
def test_malformed_singular_output_is_an_internal_error(text):
    with pytest.raises(InternalError):
        singular.parse_output(text, 1, 1)


# ---------------------------------------------------------------------------------------------------------
# symmetries and Krawczyk


def test_hidden_unit_flips_are_the_symmetries_of_a_generic_net():
    prob = generic_deep_regularised_net((1, 3, 3), 0)
    gens = signed_symmetries(prob)
    assert len(gens) == 3 and len(group(gens, prob.n_params)) == 8    # generic Λ: no swaps
    g = gens[0]
    assert [s for _, s in g].count(-1) == 1 + 3                      # row 0 of W1 (1 entry), column 0 of W2 (3)
    broken = tuple((j, -s if i == 0 else s) for i, (j, s) in enumerate(((j, 1) for j in range(prob.n_params))))
    assert not preserves_loss(prob, broken)


def test_two_layer_even_activation_flips_and_swaps():
    prob = TwoLayer(n=1, width=2, activation=(F(0), F(0), F(1)), X=m((F(-5, 3), 2)), Y=m((-1, F(1, 2))),
                    reg=F(1, 2))
    gens = signed_symmetries(prob)
    elements = group(gens, prob.n_params)
    assert len(elements) == 8                                         # flips of w_1, w_2 and the swap
    x = [1, 2, 3, 4]
    assert all(apply(compose(a, b), x) == apply(a, apply(b, x)) for a in elements for b in elements)


def test_krawczyk_accepts_a_true_zero_and_rejects_other_boxes():
    S = GradientSystem(net(1, 2, 1, 3))        # ∇L(0) = 0 and the Hessian there is regular
    assert krawczyk(S, [F(0), F(0)], [F(0), F(0)], F(1, 100))
    assert not krawczyk(S, [F(1, 10), F(0)], [F(0), F(0)], F(1, 100))    # the zero is outside
    assert not krawczyk(S, [F(0), F(0)], [F(0), F(0)], F(10))              # far too large


# ---------------------------------------------------------------------------------------------------------
# why no certificate


@needs_msolve
def test_an_infinite_critical_set_gives_no_certificate():
    prob = DeepLinear(widths=(1, 2, 1), X=m((1,)), Y=m((2,)), reg=F(1, 3))   # O(2) acts on the hidden layer
    r = complete_landscape_certificate(prob)
    assert r.failure is Failure.NOT_FINITE and r.status is Completion.UNKNOWN and r.certificate is None


@needs_msolve
def test_a_multiple_root_gives_no_certificate():
    r = complete_landscape_certificate(net(1, 1, 1, 1))     # λ1λ2 = x²y²: the origin's Hessian is singular
    assert r.failure is Failure.MULTIPLE_ROOT, r.reason


@needs_msolve
def test_statements_about_minima_need_coercivity():
    r = complete_landscape_certificate(net(2, 3, 1, 0), "strict-saddle")
    assert r.failure is Failure.NOT_COERCIVE and "Λ" in r.reason


@needs_msolve
def test_a_spurious_minimum_blocks_the_statement_but_not_the_count():
    r = complete_landscape_certificate(SQUARE_NET, "no-spurious-local-min")
    assert r.failure is Failure.SPURIOUS_MINIMUM and "spurious" in r.reason
    auto = complete_landscape_certificate(SQUARE_NET, "auto")
    assert auto.statement == "count" and (auto.critical_points, auto.real) == (9, 5)
    assert proofs.check_certificate(auto.certificate).verified


@needs_msolve
def test_a_timeout_decides_nothing():
    r = complete_landscape_certificate(generic_deep_regularised_net((1, 3, 3), 0), timeout=0.3)
    assert r.failure is Failure.TIMEOUT and r.certificate is None and "nothing was decided" in r.reason


@pytest.mark.parametrize("kwargs,field", [({"statement": "all"}, "statement"), ({"ideal": "z3"}, "ideal"),
                                          ({"order": "random"}, "order")])
def test_bad_arguments_name_the_field(kwargs, field):
    with pytest.raises(InputError) as e:
        complete_landscape_certificate(net(1, 2, 1, 3), **kwargs)
    assert e.value.field == field


def test_a_relu_net_is_refused():
    prob = TwoLayer(n=1, width=1, activation="relu", X=m((1,)), Y=m((1,)), reg=F(1))
    with pytest.raises(InputError):
        complete_landscape_certificate(prob)


# ---------------------------------------------------------------------------------------------------------
# what the certificate holds


@needs_msolve
@needs_singular
def test_cofactors_are_for_the_exact_gradient():
    prob = generic_deep_regularised_net((1, 1, 2), 0)
    body = complete_landscape_certificate(prob, ideal="cofactors").certificate["body"]
    v = body["variables"]
    loss, ctx = loss_polynomial(prob, "canonical")   # parameters θ_i; ring variable x_k = θ_{v_k}
    grads = [loss.derivative(i) for i in v]

    def poly(terms):  # ring exponents back to parameter exponents
        out = {}
        for e, c in terms:
            pe = [0] * len(v)
            for k, a in enumerate(e):
                pe[v[k]] = a
            out[tuple(pe)] = flint.fmpq(F(c).numerator, F(c).denominator)
        return ctx.from_dict(out)

    for g, row in zip(body["basis"], body["cofactors"]):
        total = ctx.from_dict({})
        for c, d in zip(row, grads):
            if c:
                total += poly(c) * d
        assert total == poly(g)


@needs_msolve
def test_symmetric_minima_have_exactly_symmetric_boxes_and_canonical_order_works():
    made = complete_landscape_certificate(generic_deep_regularised_net((2, 2, 2), 0), "no-spurious-local-min",
                                          ideal="recompute", order="canonical")
    body = made.certificate["body"]
    assert body["variables"] == list(range(8)) and proofs.check_certificate(made.certificate).verified
    minima = [b for b in body["boxes"] if "congruence" in b]
    keys = {(tuple(b["re"]), b["radius"]) for b in minima}
    for g in body["symmetries"]:
        for b in minima:
            image = [F(b["re"][j]) * s for j, s in g]
            assert (tuple(str(x) for x in image), b["radius"]) in keys
    r = F(body["boxes"][0]["radius"])
    assert all(any(abs(F(y)) > r for y in b["im"]) for b in body["boxes"] if any(y != "0" for y in b["im"]))


# ---------------------------------------------------------------------------------------------------------
# the command


def _cli(*argv):
    return subprocess.run([sys.executable, "-m", "verify.cli", *map(str, argv)], capture_output=True, text=True,
                          timeout=120)


@needs_msolve
def test_critical_points_writes_a_checked_certificate(tmp_path):
    problem = tmp_path / "net.toml"
    problem.write_text('kind = "deep-linear"\nwidths = [1, 1, 1]\nX = [["3/2"]]\nY = [["7/4"]]\n'
                       'reg = [[["1/2"]], [["2/3"]]]\n')
    cert = tmp_path / "landscape.json"
    run = _cli("critical-points", problem, "--cert", cert, "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)["landscape_certificate"]
    assert out["certificate"] == str(cert) and out["statement"] == "strict-saddle"
    assert out["critical_points"] == 5 and out["real"] == 3 and out["size_bytes"] == len(cert.read_bytes()) - 1
    assert proofs.check_file(str(cert)).verified
    human = _cli("critical-points", problem, "--cert", cert, "--statement", "count", "--ideal", "recompute")
    assert human.returncode == 0 and f"certificate: {cert} (count; G ⊆ ⟨∇L⟩ by recompute" in human.stdout


@pytest.mark.parametrize("argv,field", [
    (["--cert", "{tmp}/c.json", "--statement", "everything"], "--statement"),
    (["--cert", "{tmp}/c.json", "--ideal", "magic"], "--ideal"),
    (["--cert", "{tmp}/no/such/dir/c.json"], "--cert"),
    (["--ideal", "recompute"], "--cert"),
])
def test_critical_points_cert_options_are_validated(tmp_path, argv, field):
    problem = tmp_path / "net.toml"
    problem.write_text('kind = "deep-linear"\nwidths = [1, 1, 1]\nX = [[1]]\nY = [[2]]\nreg = [[[1]], [[3]]]\n')
    run = _cli("critical-points", problem, *[a.format(tmp=tmp_path) for a in argv], "--json")
    assert run.returncode == 2
    assert json.loads(run.stdout)["error"]["field"] == field and field in run.stderr
