"""The reduced-rank optimum L* of a deep linear net means the same thing in the exact and the numeric layer.

For L(W_1..W_H) = ½‖W_H⋯W_1 X − Y‖²_F (square loss, no regularisation), r = min(widths), A = Y P_X Yᵀ:

    L* = ½(‖Y‖²_F − (λ_1 + … + λ_r'))      (Eckart–Young; λ_1 ≥ λ_2 ≥ … the eigenvalues of A, r' = min(r, d_y)).

It is written twice because ``numeric`` may not import ``verify.exact``: exactly in
:mod:`verify.exact.global_min` (A over Q, the top-r' sum as the largest root of the additive compound's
characteristic polynomial, decided by Sturm counts) and in float64 in
:meth:`numeric.losses.DeepLinearLowering.global_value` (``eigvalsh`` of Y pinv(X) X Yᵀ). For random small rational
problems (hypothesis; hidden widths often below min(d_x, d_y), where L* is usually irrational) the exact layer must
decide that L* lies within 1e-9·(1 + ‖Y‖²) of the float value. :func:`test_a_wrong_value_is_caught` runs the same
comparison on deliberately wrong floats (L* + 1e-6; the value for a rank bound one too wide) and requires a
rejection, on a rational and on an irrational L*.
"""

from fractions import Fraction as F

import pytest
from hypothesis import given
from hypothesis import strategies as st

from numeric.classify import global_value
from verify.exact.global_min import global_min_between, rational_global_min
from verify.problems import DeepLinear

rat = st.fractions(min_value=-2, max_value=2, max_denominator=3)


@st.composite
def deep_linear(draw) -> DeepLinear:
    """Rational entries; d_x, d_y, m ∈ 1..3 and up to two hidden layers of width 1..3, or (half the time) a
    bottleneck: d_x, d_y, m ∈ 2..3 and a hidden width below min(d_x, d_y), where L* is usually irrational."""
    if draw(st.booleans()):
        dx, dy, m = draw(st.integers(2, 3)), draw(st.integers(2, 3)), draw(st.integers(2, 3))
        hidden = [draw(st.integers(1, min(dx, dy) - 1))] + draw(st.lists(st.integers(1, 3), max_size=1))
    else:
        dx, dy, m = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
        hidden = draw(st.lists(st.integers(1, 3), max_size=2))
    X = tuple(tuple(draw(rat) for _ in range(m)) for _ in range(dx))
    Y = tuple(tuple(draw(rat) for _ in range(m)) for _ in range(dy))
    return DeepLinear(widths=(dx, *hidden, dy), X=X, Y=Y)


def agrees(problem: DeepLinear, value: float) -> bool:
    """The exact layer's decision: |L* − value| ≤ 1e-9·(1 + ‖Y‖²_F)."""
    tol = F(1, 10**9) * (1 + sum(y * y for row in problem.Y for y in row))
    return global_min_between(problem, F(value) - tol, F(value) + tol)


@given(deep_linear())
def test_exact_and_numeric_reduced_rank_optimum_agree(problem):
    assert problem.closed_form_min
    value = global_value(problem)
    assert value is not None, "the numeric layer has no closed-form L* for a closed-form problem"
    assert agrees(problem, value), f"numeric L* = {value!r} is not the exact one for {problem}"


def _identity(d):
    return tuple(tuple(F(int(i == j)) for j in range(d)) for i in range(d))


# rank A = 1 ≤ r: L* = 1 by the trace shortcut; A = diag(4, 1): L* = ½, a rational root; L* = (3 − √5)/4
SHORTCUT = DeepLinear(widths=(2, 1, 2), X=((F(1), F(0)), (F(0), F(0))), Y=((F(2), F(1)), (F(0), F(1))))
ROOT = DeepLinear(widths=(2, 1, 2), X=_identity(2), Y=((F(2), F(0)), (F(0), F(1))))
IRRATIONAL = DeepLinear(widths=(2, 1, 2), X=_identity(2), Y=((F(1), F(1)), (F(0), F(1))))


@pytest.mark.parametrize("problem", [SHORTCUT, ROOT, IRRATIONAL], ids=["shortcut", "rational-root", "irrational"])
def test_a_wrong_value_is_caught(problem):
    assert (rational_global_min(problem) is not None) == (problem is SHORTCUT)   # both exact routes are exercised
    value = global_value(problem)
    assert agrees(problem, value)
    assert not agrees(problem, value + 1e-6)
    if problem is not SHORTCUT:                                   # rank A = 2 > r = 1: the rank bound binds
        too_wide = global_value(DeepLinear(widths=(2, 2, 2), X=problem.X, Y=problem.Y))
        assert not agrees(problem, too_wide)
