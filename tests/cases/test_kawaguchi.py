"""Known answers from the literature, classified exactly (REFERENCE.md).

Each case asserts the class AND the exact inertia (negative, zero, positive) of the Hessian.
"""

from fractions import Fraction as F

import pytest

from verify import DeepLinear, PointClass, TwoLayer, classify
from verify.exact.loss import loss_value


def m(*rows):
    return tuple(tuple(F(x) for x in row) for row in rows)


def scalar(depth, x=1, y=1):
    return DeepLinear(widths=(1,) * (depth + 1), X=m((x,)), Y=m((y,)))


def test_depth2_origin_is_strict_saddle():
    # Kawaguchi 2016: H = [[0, −xy], [−xy, 0]], eigenvalues ±xy
    c = classify(scalar(2), (0, 0))
    assert c.cls is PointClass.STRICT_SADDLE
    assert c.inertia == (1, 0, 1)
    assert c.gradient_zero is True
    v = c.direction
    # the witness really has negative curvature: vᵀHv = 2·v0·v1·(−1)
    assert -2 * v[0] * v[1] == c.curvature < 0


@pytest.mark.parametrize("x,y", [(1, 1), (2, 3), (F(1, 2), -1)])
def test_depth2_origin_hessian_is_the_papers(x, y):
    from verify.exact.derivatives import taylor

    t = taylor(scalar(2, x, y), (0, 0))
    assert [[F(int(h.p), int(h.q)) for h in row] for row in t.hessian] == [[0, -F(x) * F(y)], [-F(x) * F(y), 0]]


def test_depth3_origin_is_non_strict_saddle_along_diagonal():
    c = classify(scalar(3), (0, 0, 0))
    assert c.cls is PointClass.NON_STRICT_SADDLE
    assert c.inertia == (0, 3, 0)  # Hessian is zero
    assert len(c.curve.coefficients) == 1
    v = [F(int(a.p), int(a.q)) for a in c.curve.coefficients[0]]
    assert v == [1, 1, 1]
    # L(t,t,t) − L(0) = t⁶/2 − t³ (REFERENCE.md)
    assert [F(int(a.p), int(a.q)) for a in c.curve.f.coeffs()] == [0, 0, 0, -1, 0, 0, F(1, 2)]
    for t in (F(1, 10), F(1, 2)):
        assert loss_value(scalar(3), (t, t, t)) < loss_value(scalar(3), (0, 0, 0))


def test_depth3_factorisation_is_global_min():
    c = classify(scalar(3), (2, F(1, 4), 2))  # 2 · 1/4 · 2 = 1 = y/x
    assert c.cls is PointClass.GLOBAL_MIN
    assert c.loss == 0
    assert c.inertia == (0, 2, 1)


def test_depth4_origin_needs_fourth_order():
    c = classify(scalar(4), (0, 0, 0, 0))
    assert c.cls is PointClass.NON_STRICT_SADDLE
    assert c.inertia == (0, 4, 0)
    assert c.curve.order == 4 and c.curve.lead < 0


def test_2x2_deep_linear_global_min_zero_loss():
    prob = DeepLinear(widths=(2, 2, 2), X=m((1, 0), (0, 1)), Y=m(("3/2", 0), (0, 1)))
    c = classify(prob, (1, 0, 0, 1, F(3, 2), 0, 0, 1))
    assert c.cls is PointClass.GLOBAL_MIN
    assert c.inertia == (0, 4, 4)  # 4-dim GL(2) orbit of factorisations


def test_2x2_deep_linear_global_min_reduced_rank():
    # rank-1 bottleneck: L* = ½·σ₂² = ½ (Eckart–Young); decided via the additive compound route
    prob = DeepLinear(widths=(2, 1, 2), X=m((1, 0), (0, 1)), Y=m(("3/2", 0), (0, 1)))
    c = classify(prob, (1, 0, F(3, 2), 0))
    assert c.cls is PointClass.GLOBAL_MIN
    assert c.loss == F(1, 2)
    assert c.inertia == (0, 1, 3)
    # the other rank-1 critical point keeps σ₂ = 1 instead: a strict saddle, not a global min
    c2 = classify(prob, (0, 1, 0, 1))
    assert c2.cls is PointClass.STRICT_SADDLE
    assert c2.loss == F(9, 8)
    assert c2.inertia == (1, 1, 2)


def test_2_2_2_strict_saddle():
    prob = DeepLinear(widths=(2, 2, 2), X=m((1, 0), (0, 1)), Y=m(("3/2", 0), (0, 1)))
    c = classify(prob, (0, 0, 0, 1, 0, 0, 0, 1))  # W₂W₁ = diag(0, 1): keeps the smaller singular value
    assert c.cls is PointClass.STRICT_SADDLE
    assert c.inertia == (2, 3, 3)
    assert c.loss == F(9, 8)
    c0 = classify(prob, (0,) * 8)  # origin of a one-hidden-layer net: strict (Kawaguchi)
    assert c0.cls is PointClass.STRICT_SADDLE
    assert c0.inertia == (4, 0, 4)


def test_polynomial_net_pd_local_min():
    # σ(t) = t², X = (1, 2), Y = (5, 3), U = 1 fixed: L(w) = ½((w²−5)² + (4w²−3)²), L'(1) = 0, L''(1) = 68
    prob = TwoLayer(n=1, width=1, activation=(F(0), F(0), F(1)), X=m((1, 2)), Y=m((5, 3)),
                    train_output=False, output=m((1,)))
    c = classify(prob, (1,))
    assert c.cls is PointClass.LOCAL_MIN
    assert c.inertia == (0, 0, 1)
    assert c.loss == F(17, 2)
    assert c.congruence[1] == [68]


def test_polynomial_net_trained_output_zero_loss():
    # σ(t) = t + t², 2 hidden units, U trained; a zero-loss point is a global min
    prob = TwoLayer(n=1, width=2, activation=(F(0), F(1), F(1)), X=m((1, -1)), Y=m((4, 2)))
    # σ(w x): unit 1 w=1 -> σ(1)=2, σ(-1)=0 ; unit 2 w=-1 -> σ(-1)=0, σ(1)=2 ; U = (2, 1): outputs (4, 2)
    c = classify(prob, (1, -1, 2, 1))
    assert c.cls is PointClass.GLOBAL_MIN and c.loss == 0


def test_not_critical():
    c = classify(scalar(2), (1, 2))
    assert c.cls is PointClass.NOT_CRITICAL
    assert c.gradient_zero is False


def test_relu_two_layer_cell_and_kink():
    prob = TwoLayer(n=1, width=1, activation="relu", X=m((1, 2)), Y=m((1, 2)), train_output=True)
    # W = 1, U = 1 fits exactly: zero loss, global min; the Hessian is that of the local polynomial
    c = classify(prob, (1, 1))
    assert c.cls is PointClass.GLOBAL_MIN
    assert c.inertia == (0, 1, 1)
    # W = 0 puts every pre-activation on the kink: no exact derivative there
    k = classify(prob, (0, 1))
    assert k.cls is PointClass.UNKNOWN and "kink" in k.reason


def test_regularised_origin_is_local_min():
    # with λ = 1 the origin of the scalar depth-2 net has H = [[1, −1], [−1, 1]]: PSD, singular
    prob = DeepLinear(widths=(1, 1, 1), X=m((1,)), Y=m((1,)), reg=F(1))
    c = classify(prob, (0, 0))
    assert c.inertia == (0, 1, 1)
    # along (1, 1): ½(t² − 1)² + t² − ½ = t⁴/2 ≥ 0, so no line descends; with λ = 1 the origin is in fact a
    # (degenerate) global minimum, and the tool must not claim a saddle
    assert c.cls in (PointClass.UNKNOWN,)
    prob2 = DeepLinear(widths=(1, 1, 1), X=m((1,)), Y=m((1,)), reg=F(1, 2))
    c2 = classify(prob2, (0, 0))
    assert c2.cls is PointClass.STRICT_SADDLE and c2.inertia == (1, 0, 1)


def test_depth4_origin_certificate_needs_an_ascent_curve():
    # order-4 descent (even) and H = 0: only a line along which L rises shows it is not a local maximum
    from verify.certify import emit_checked

    c = classify(scalar(4), (0, 0, 0, 0))
    assert c.ascent_is_line
    cert, note = emit_checked(scalar(4), (0, 0, 0, 0), c)
    assert "curve" in cert["body"]["ascent"] and note.startswith("kernel-checked")
