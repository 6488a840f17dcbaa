"""Relu networks, exactly: Morse–Bott minima on the open cell of a point (dead units, inactive first-layer directions,
rescalings, lines along the rest of null(H)) certified by the kernel, and points on a kink classified through every
cell meeting them (verify/exact/classify.py, verify/exact/symmetry.py, proofs/morse_bott.py).

The d4 instance (../shared/defects/d4-relu2-export.toml): x = (1, 0), (0, 1), (1, −1), y = 1, 2, 0. At
W = [[−1, 1], [−1, −1/2]], U = [[2, 0]] unit 2 is off on every sample and unit 1 is on only on sample 2, where
2·(w_1·x_2) = 2 fits; samples 1 and 3 get 0, so L = ½ — and no other network output is reachable nearby (the outputs
on samples 1 and 3 stay 0), so it is a local minimum, while W = [[1, 1], [0, 1]], U = [[1, 1]] fits all three (L = 0).
"""

import random
from fractions import Fraction as F

import proofs
from verify.certify import emit_checked, spurious_certificate
from verify.exact.classify import classify
from verify.exact.derivatives import taylor
from verify.exact.loss import fq, loss_value, to_fraction
from verify.exact.symmetry import critical_family
from verify.problems import problem_from_dict
from verify.verdict import PointClass

D4 = {"kind": "two-layer", "n": 2, "width": 2, "activation": "relu", "X": [[1, 0, 1], [0, 1, -1]], "Y": [[1, 2, 0]]}
DEAD = [-1, 1, -1, F(-1, 2), 2, 0]             # W (row-major), then U
FITS = [1, 1, 0, 1, 1, 1]                      # L = 0; pre-activations 0 on two samples: a witness on a kink
XOR = {"kind": "network", "widths": [2, 3, 1], "activation": ["relu"], "bias": [True, True],
       "X": [[0, 1, 0, 1], [0, 0, 1, 1]], "Y": [[0, 1, 1, 0]]}
# a torch nn.Sequential(Linear(2, 3), ReLU(), Linear(3, 1)) trained to L = 1/2 and snapped (numeric.bridge): unit 1
# has w = 0 and b = 2/3 (on everywhere: the output is the constant 5/14·2/3 + 11/42 = 1/2), units 2 and 3 are dead
XOR_POINT = [0, 0, F(-7, 12), F(-9, 11), F(-3, 11), F(-3, 14), F(2, 3), F(-5, 14), F(-6, 13), F(5, 14), F(1, 9),
             F(3, 13), F(11, 42)]


def _pt(xs):
    return [F(x) for x in xs]


def _verified(cert):
    r = proofs.check_certificate(cert)
    assert r.verified and r.trust == "kernel", r.reason
    return r


def _value(P, point):
    """L at a rational point from the value alone (its pattern with z = 0 counted off: σ(0) = 0 either way)."""
    return loss_value(P, point, relu_mask=P.activation_pattern(point, at_kinks=True))


def _on_family(fam, s):
    """θ(s) = P(s)/q(s) at the rational s."""
    s = [fq(x) for x in s]
    return [to_fraction(a(*s) / fam.denominator(*s)) for a in fam.numerator]


def test_d4_dead_unit_minimum_is_a_kernel_checked_morse_bott_minimum():
    P, p = problem_from_dict(D4), _pt(DEAD)
    c = classify(P, p)
    assert c.cls is PointClass.LOCAL_MIN and "Morse–Bott" in c.reason and c.inertia == (0, 5, 1)
    fam = c.details["morse_bott"]
    # by hand: unit 2's w (2) and u (1) are free, unit 1's w moves along (1, 0) ⊥ x_2, unit 1 rescales (w_1, −u_1)
    expected = [[1, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0], [0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 1], [-1, 1, 0, 0, -2, 0]]
    assert sorted(fam.tangents) == sorted(expected)
    # the family stays in p's cell and on the level L = 1/2 (independently of the identity the kernel checks)
    for s in ([F(1, 20)] * 5, [F(-1, 70), F(1, 30), F(-1, 50), F(2, 90), F(-1, 90)]):
        theta = _on_family(fam, s)
        assert P.activation_pattern(theta) == P.activation_pattern(p)
        assert _value(P, theta) == F(1, 2)
    cert, _ = emit_checked(P, p, c)
    assert cert["claim"]["kind"] == "morse-bott-min" and cert["body"]["family"]["parameters"] == 5
    _verified(cert)


def test_d4_with_a_witness_is_a_kernel_checked_spurious_local_minimum():
    P, p = problem_from_dict(D4), _pt(DEAD)
    assert _value(P, _pt(FITS)) == 0 and P.activation_pattern(_pt(FITS)) is None   # the witness sits on a kink
    cert, note = spurious_certificate(P, p, classify(P, p), _pt(FITS))
    assert cert is not None and cert["claim"]["kind"] == "spurious-morse-bott-min", note
    assert "L(witness) = 0 < 1/2" in _verified(cert).reason
    raised = spurious_certificate(P, p, classify(P, p), _pt([1, 1, 0, 1, 1, 2]))[0]   # L(witness) = 1/2: not lower
    assert raised is None


def test_network_with_biases_dead_units_and_an_always_on_unit():
    """Units 2 and 3 dead: 8 translations; unit 1 on everywhere: its rescaling and the line b_1 + s, b_2 − (5/14)s
    (the output bias absorbs the unit's bias), which is no symmetry of L_s but keeps the output, hence the residual
    (−1/2, 1/2, 1/2, −1/2), which is orthogonal to (1, x): ∇L = 0 all along."""
    P, p = problem_from_dict(XOR), _pt(XOR_POINT)
    c = classify(P, p)
    assert c.cls is PointClass.LOCAL_MIN and c.loss == F(1, 2) and c.inertia[1] == 10
    fam = c.details["morse_bott"]
    assert fam.m == 10 and "rescaling of unit 1" in fam.names
    assert "line along 14·b1_0_0 − 5·b2_0_0" in fam.names
    for name in ("W1_1_0", "W1_1_1", "W1_2_0", "W1_2_1", "b1_1_0", "b1_2_0", "W2_0_1", "W2_0_2"):
        assert f"translation of {name}" in fam.names
    theta = _on_family(fam, [F(1, 20 + j) for j in range(10)])
    assert P.activation_pattern(theta) == P.activation_pattern(p) and _value(P, theta) == F(1, 2)
    cert, _ = emit_checked(P, p, c)
    _verified(cert)
    low = _pt([1, -1, -1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0])   # relu(x1 − x2) + relu(x2 − x1) = XOR exactly
    assert _value(P, low) == 0
    _verified(spurious_certificate(P, p, c, low)[0])


def test_leaky_unit_on_its_dead_side_gets_no_translation():
    """leaky relu (α = 1/10), x = 1, 2, y = 1, 3: the output is (u_1 w_1 + α u_2 w_2)·x on this cell, fit best by the
    slope 7/5 (L = 1/10); unit 2 (w_2 < 0) still contributes α·z, so its coordinates are not free — only the two
    rescalings and the line keeping the slope span the 3-dimensional null(H)."""
    P = problem_from_dict({"kind": "network", "widths": [1, 2, 1], "activation": [{"leaky_relu": "1/10"}],
                           "X": [[1, 2]], "Y": [[1, 3]]})
    p = _pt([1, -1, F(3, 2), 1])                      # u_1 w_1 + α u_2 w_2 = 3/2 − 1/10 = 7/5
    c = classify(P, p)
    assert c.cls is PointClass.LOCAL_MIN and c.loss == F(1, 10)
    names = c.details["morse_bott"].names
    assert not any(n.startswith("translation") for n in names), names
    assert sorted(n.split(" ")[0] for n in names) == ["line", "rescaling", "rescaling"]
    _verified(emit_checked(P, p, c)[0])


def test_a_regularised_dead_unit_is_not_translated():
    """Λ > 0 on unit 2's output weight (Λ_U = [[0, 1]]): ½u_2² makes H positive there; the remaining null space (4)
    is spanned without moving u_2, and the kernel checks it."""
    P = problem_from_dict({**D4, "reg": [[[0, 0], [0, 0]], [[0, 1]]]})
    p = _pt(DEAD)
    c = classify(P, p)
    assert c.cls is PointClass.LOCAL_MIN and c.inertia == (0, 4, 2)
    fam = c.details["morse_bott"]
    assert all(t[5] == 0 for t in fam.tangents) and "translation of U_0_1" not in fam.names
    _verified(emit_checked(P, p, c)[0])


def test_no_family_where_the_null_directions_are_no_joint_critical_set():
    """On the cell of the kink point below where unit 2 is on at sample 2, L_c = ½ + ½(u_1 w_12 + u_2 w_22 − 2)² (the
    other samples' outputs are 0): at u_2 = w_22 = 0 each of the lines along u_2 and along w_22 is critical, but
    not the two together (∇L_c ≠ 0 at u_2 = w_22 = 1/10), so no family spans null(H) (nullity 5; the symmetries
    give 3) — and none is made up."""
    P, p = problem_from_dict(D4), _pt([-1, 1, -1, 0, 2, 0])
    on = ((False, True, False), (False, True, False))
    t = taylor(P, p, relu_mask=on)
    assert [h for h in t.gradient] == [0] * 6
    assert critical_family(P, p, t.hessian, 5, relu_mask=on, expansion=t.expansion) is None
    moved = taylor(P, _pt([-1, 1, -1, F(1, 10), 2, F(1, 10)]), relu_mask=on)
    assert any(g != 0 for g in moved.gradient)


def test_kink_minimum_by_its_cells():
    """Unit 2's w = (−1, 0): its pre-activation on sample 2 is exactly 0. Off: the d4 cell (Morse–Bott); on: every
    sample's term is constant or 0 at p. Checked independently: L ≥ 1/2 at random rational points nearby."""
    P, p = problem_from_dict(D4), _pt([-1, 1, -1, 0, 2, 0])
    c = classify(P, p)
    assert c.cls is PointClass.LOCAL_MIN and c.loss == F(1, 2) and c.gradient_zero is None
    assert "z(layer 1, unit 2, sample 2) = 0" in c.reason and c.details["kink"]["zeros"] == [(0, 1, 1)]
    cert, note = emit_checked(P, p, c)
    assert cert is None and "no version-1 certificate" in note
    cert, note = spurious_certificate(P, p, c, _pt(FITS))     # the kernel takes no derivative at a kink
    assert cert is None and note.startswith("no certificate kind for this local minimum (at a relu kink"), note
    rng = random.Random(0)
    for _ in range(300):
        q = [x + F(rng.randint(-1000, 1000), 10 ** 5) for x in p]
        assert _value(P, q) >= F(1, 2)


def test_kink_non_minimum_falls_into_a_cell():
    """Unit 1's w = (0, 1): its pre-activation on sample 1 is 0; turning it on there (w_11 > 0) moves the output on
    sample 1 towards y = 1."""
    P, p = problem_from_dict(D4), _pt([0, 1, -1, F(-1, 2), 2, 0])
    c = classify(P, p)
    assert c.cls is PointClass.UNKNOWN and c.reason.startswith("not a local minimum: L falls along")
    v = c.details["kink"]["direction"]
    for t in (F(1, 10), F(1, 100), F(1, 1000)):
        assert _value(P, [a + t * b for a, b in zip(p, v)]) < c.loss


def test_kink_with_zero_loss_is_a_certified_global_minimum():
    P, p = problem_from_dict(D4), _pt(FITS)
    c = classify(P, p)
    assert c.cls is PointClass.GLOBAL_MIN and c.loss == 0
    _verified(emit_checked(P, p, c)[0])


def test_kink_in_a_second_relu_layer_is_located():
    """widths [1, 1, 1, 1], relu, relu, b_2: z_2 = W_2 relu(W_1 x) + b_2 = (0, 1) at W_1 = W_2 = 1, b_2 = −1."""
    P = problem_from_dict({"kind": "network", "widths": [1, 1, 1, 1], "activation": ["relu", "relu"],
                           "bias": [False, True, False], "X": [[1, 2]], "Y": [[1, 2]]})
    c = classify(P, _pt([1, 1, -1, 2]))
    assert c.details["kink"]["zeros"] == [(1, 0, 0)] and "z(layer 2, unit 1, sample 1) = 0" in c.reason
