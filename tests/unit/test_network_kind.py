"""The ``network`` kind (CONTRACT.md): file form, its one canonical form, and what the exact layer decides on it.

Hand-derived facts the tests rest on:

* tanh(z) = z − z³/3 + O(z⁵): for the scalar net ŷ = w₂ tanh(w₁ x) with x = y = 1, L = ½(w₂ tanh w₁ − 1)² has
  H(0) = [[0, −1], [−1, 0]] at the origin (a strict saddle); one more tanh layer makes H(0) = 0 and
  L(t, t, t) − L(0) = −t³ + O(t⁴) (a non-strict saddle) — Kawaguchi's depth contrast through tanh.
* softplus(0) = log 2 is irrational, so the origin of a softplus net has no rational Taylor data: unknown.
* W₁x + b₁ = [W₁ b₁][x; 1]: a first-layer bias is the two-layer net with a row of ones appended to X.
"""

from __future__ import annotations

import random
from fractions import Fraction as F

import pytest

from verify.errors import InputError
from verify.exact.classify import classify
from verify.problems import DeepLinear, Network, TwoLayer, problem_from_dict, problem_to_json
from verify.problems.network import Activation
from verify.run.check import decide
from verify.verdict import PointClass, Status, Trust


def net(**kw):
    return problem_from_dict({"kind": "network", "X": [[1]], "Y": [[1]], **kw})


def test_file_form_round_trips_and_orders_parameters():
    d = {"kind": "network", "widths": [2, 3, 2, 1], "activation": ["tanh", {"leaky_relu": "1/10"}],
         "bias": [True, False, True], "train": [True, True, False], "weights": [[[1, "1/2"]]],
         "X": [[1, 0], [0, 1]], "Y": [[1, 2]], "reg": [[[1, 0], [0, 1], [2, 2]], [[1, 1, 1], [0, 0, 0]]]}
    p = problem_from_dict(d)
    assert isinstance(p, Network)
    assert [s for s in p.param_shapes()] == [("W1", 3, 2), ("b1", 3, 1), ("W2", 2, 3), ("b3", 1, 1)]
    assert p.n_params == 6 + 3 + 6 + 1
    again = problem_from_dict(problem_to_json(p))
    assert again == p and problem_to_json(again) == problem_to_json(p)


@pytest.mark.parametrize("acts, cls", [(["identity", "identity"], DeepLinear),
                                       ([{"poly": [0, 1]}, {"leaky_relu": 1}], DeepLinear),
                                       ([{"poly": [0, 0, 1]}], TwoLayer), (["relu"], TwoLayer),
                                       (["tanh"], Network), ([{"leaky_relu": "1/2"}], Network)])
def test_one_canonical_form(acts, cls):
    widths = [1] + [2] * len(acts) + [1]
    p = net(widths=widths, activation=acts)
    assert type(p) is cls
    with_bias = net(widths=widths, activation=acts, bias=[True] + [False] * len(acts))
    assert type(with_bias) is Network


def test_two_layer_with_fixed_output_is_two_layer():
    p = net(widths=[1, 2, 1], activation=[{"poly": [0, 0, 1]}], train=[True, False], weights=[[[1, -1]]])
    assert isinstance(p, TwoLayer) and not p.train_output and p.output == ((F(1), F(-1)),)
    loss = p.ring_loss(p.unflatten([F(1), F(2)]), F, F(0))
    assert loss == F(1, 2) * (1 - 4 - 1) ** 2


def test_loss_by_hand():
    # ŷ = w2·(w1·x + b1)² + b2 with x = 2, y = 1 at (w1, b1, w2, b2) = (1, −1, 3, 1/2): ŷ = 3·1 + 1/2
    p = problem_from_dict({"kind": "network", "widths": [1, 1, 1], "activation": [{"poly": [0, 0, 1]}],
                           "bias": [True, True], "X": [[2]], "Y": [[1]]})
    assert p.ring_loss(p.unflatten([F(1), F(-1), F(3), F(1, 2)]), F, F(0)) == F(1, 2) * F(5, 2) ** 2
    leaky = problem_from_dict({"kind": "network", "widths": [1, 1, 1], "activation": [{"leaky_relu": "1/4"}],
                               "X": [[2]], "Y": [[0]]})
    point = [F(-1), F(1)]
    pattern = leaky.activation_pattern(point)
    assert pattern == (((False,),),)
    assert leaky.ring_loss(leaky.unflatten(point), F, F(0), relu_mask=pattern) == F(1, 2) * F(-1, 2) ** 2
    assert leaky.activation_pattern([F(0), F(1)]) is None        # a kink: w·x = 0


@pytest.mark.parametrize("change, field", [
    ({"bias": [True]}, "bias"), ({"bias": [1, 0]}, "bias"), ({"activation": ["swish"]}, "activation[0]"),
    ({"activation": []}, "activation"), ({"widths": [1, -2, 1]}, "widths[1]"),
    ({"train": [True, False]}, "weights"), ({"train": [True, False], "weights": [[[1, 2]]]}, "weights"),
    ({"reg": [[[1]], [[1]], [[1]]]}, "reg"), ({"activation": [{"poly": [0, 0]}]}, "activation[0].poly"),
    ({"train": [False, False], "weights": [[[1]], [[1]]]}, "train")])
def test_bad_input_names_the_field(change, field):
    d = {"kind": "network", "widths": [1, 1, 1], "activation": ["tanh"], "X": [[1]], "Y": [[1]], **change}
    with pytest.raises(InputError) as e:
        problem_from_dict(d)
    assert e.value.field == field


def test_tanh_origin_from_rational_taylor_data():
    depth2 = net(widths=[1, 1, 1], activation=["tanh"])
    c = classify(depth2, [0, 0])
    assert c.cls is PointClass.STRICT_SADDLE and c.curvature < 0 and c.inertia == (1, 0, 1)
    depth3 = net(widths=[1, 1, 1, 1], activation=["tanh", "tanh"])
    c = classify(depth3, [0, 0, 0])
    assert c.cls is PointClass.NON_STRICT_SADDLE and c.inertia == (0, 3, 0)
    assert c.curve.order == 3 and c.curve.lead < 0
    # the same with sigmoid in the first layer: its value ½ at 0 feeds a zero W₂, so the tanh layer still sees 0
    c = classify(net(widths=[1, 1, 1, 1], activation=["sigmoid", "tanh"]), [0, 0, 0])
    assert c.cls is PointClass.STRICT_SADDLE


def test_no_taylor_data_is_unknown():
    assert classify(net(widths=[1, 1, 1], activation=["softplus"]), [0, 0]).cls is PointClass.UNKNOWN
    assert classify(net(widths=[1, 1, 1], activation=["tanh"]), [1, 1]).cls is PointClass.UNKNOWN  # tanh(1)


def test_taylor_coefficients():
    t = Activation(name="tanh").taylor(7)
    assert t == (0, 1, 0, F(-1, 3), 0, F(2, 15), 0, F(-17, 315))
    s = Activation(name="sigmoid").taylor(3)
    assert s == (F(1, 2), F(1, 4), 0, F(-1, 48))


def test_identity_network_gets_the_deep_linear_theorems():
    p = problem_from_dict({"kind": "network", "widths": [2, 2, 1, 3], "activation": ["identity", "identity"],
                           "X": [[1, 0, 2], [0, 1, 1]], "Y": [[1, 2, 0], [0, 1, 1], [3, 1, 2]]})
    assert isinstance(p, DeepLinear)
    r = decide(p, "no-spurious-local-min", timeout=30)
    assert (r.status, r.trust) == (Status.PROVED, Trust.THEOREM)
    assert "Lu & Kawaguchi" in r.reason


BIAS = {"kind": "network", "widths": [2, 2, 1], "activation": [{"poly": [0, 0, 1]}], "bias": [True, False],
        "X": [[1, 0, 2], [0, 1, 1]], "Y": [[1, 2, 0]]}
ONES = {"kind": "two-layer", "n": 3, "width": 2, "activation": {"poly": [0, 0, 1]},
        "X": [[1, 0, 2], [0, 1, 1], [1, 1, 1]], "Y": [[1, 2, 0]]}


def _as_two_layer(point):
    """(W₁ row-major 2×2, b₁, W₂) ↦ ([W₁ b₁] row-major 2×3, U = W₂)."""
    w, b, u = point[:4], point[4:6], point[6:]
    return [w[0], w[1], b[0], w[2], w[3], b[1], *u]


def test_first_layer_bias_is_a_row_of_ones():
    a, b = problem_from_dict(BIAS), problem_from_dict(ONES)
    rng = random.Random(7)
    points = [[F(0)] * 8, [F(1), F(0), F(0), F(1), F(-1), F(1, 2), F(1), F(1)]]
    points += [[F(rng.randint(-4, 4), rng.randint(1, 3)) for _ in range(8)] for _ in range(6)]
    for p in points:
        ca, cb = classify(a, p), classify(b, _as_two_layer(p))
        assert (ca.cls, ca.loss, ca.inertia) == (cb.cls, cb.loss, cb.inertia)
    assert classify(a, [F(0)] * 8).cls is PointClass.NON_STRICT_SADDLE
    ra, rb = decide(a, "strict-saddle", timeout=60), decide(b, "strict-saddle", timeout=60)
    assert (ra.status, ra.trust) == (rb.status, rb.trust) == (Status.REFUTED, Trust.KERNEL)
    assert _as_two_layer(list(ra.witness["point"])) == list(rb.witness["point"])


def test_deep_polynomial_net_complete_landscape_with_a_spurious_minimum():
    """widths [1, 1, 1, 1], σ = t² in both hidden layers, a per-weight Λ > 0: every complex critical point counted,
    the real ones classified on kernel-checked boxes — among them a spurious local minimum of a depth-3 network."""
    from verify.claims import as_claim
    from verify.run.landscape_route import landscape_check

    p = problem_from_dict({"kind": "network", "widths": [1, 1, 1, 1],
                           "activation": [{"poly": [0, 0, 1]}, {"poly": [0, 0, 1]}], "X": [[1]], "Y": [[2]],
                           "reg": [[["1/10"]], [["1/5"]], [["1/7"]]]})
    r, why = landscape_check(p, as_claim("no-spurious-local-min"), timeout=120)
    assert r is not None, why
    assert (r.status, r.trust) == (Status.REFUTED, Trust.KERNEL), r.reason
    assert r.witness["class"] == "spurious-local-min"


def test_an_exact_but_uncertified_counterexample_is_never_evidence():
    """The tanh depth-3 origin is a non-strict saddle (from the Taylor data, no kernel kind reads it): check says
    unknown with the witness, not evidence for strict-saddle; classify writes no certificate for it."""
    from verify.certify import emit_checked

    p = net(widths=[1, 1, 1, 1], activation=["tanh", "tanh"])
    r = decide(p, "strict-saddle", timeout=60)
    assert r.status is Status.UNKNOWN and r.witness["class"] == "non-strict-saddle", r.reason
    c = classify(p, [0, 0, 0])
    cert, note = emit_checked(p, [0, 0, 0], c)
    assert cert is None and "Taylor" in note
