"""``Problem.rescaling_degree``: k exactly when rescaling a hidden unit, (w_i, u_i) ↦ (c·w_i, c^(−k)·u_i), leaves L
invariant (σ(z) = a·z^k with a trained output layer, no regularisation), checked on the exact loss."""

from fractions import Fraction as F

from hypothesis import given
from hypothesis import strategies as st

from verify.exact.loss import loss_value
from verify.problems import DeepLinear, TwoLayer
from verify.testing.strategies import points, two_layer_problems

monomials = st.tuples(st.integers(1, 3), st.fractions(min_value=-2, max_value=2, max_denominator=3).filter(bool)) \
    .map(lambda ka: (0,) * ka[0] + (ka[1],))


def _rescaled(problem: TwoLayer, point, unit: int, c: F, k: int) -> list:
    """θ with row ``unit`` of W times c and column ``unit`` of U times c^(−k) (canonical order: W then U)."""
    n, p = problem.n, problem.width
    out = list(point)
    for j in range(n):
        out[unit * n + j] *= c
    for r in range(problem.d_y):
        out[p * n + r * p + unit] /= c ** k
    return out


@given(st.data())
def test_the_declared_rescaling_leaves_the_loss_invariant(data):
    problem = data.draw(two_layer_problems(train_output=True, activations=monomials))
    k = problem.rescaling_degree
    assert k == len(problem.activation) - 1
    point = data.draw(points(problem))
    unit = data.draw(st.integers(0, problem.width - 1))
    c = data.draw(st.fractions(min_value=-3, max_value=3, max_denominator=3).filter(bool))
    assert loss_value(problem, _rescaled(problem, point, unit, c, k)) == loss_value(problem, point)


def test_no_rescaling_degree_without_the_symmetry():
    one = ((F(1),),)
    assert TwoLayer(n=1, width=1, activation=(F(0), F(1), F(1)), X=one, Y=one).rescaling_degree is None
    assert TwoLayer(n=1, width=1, activation=(F(2),), X=one, Y=one).rescaling_degree is None        # constant σ
    assert TwoLayer(n=1, width=1, activation="relu", X=one, Y=one).rescaling_degree is None
    assert TwoLayer(n=1, width=1, activation=(F(0), F(0), F(3)), X=one, Y=one, train_output=False,
                    output=one).rescaling_degree is None
    assert DeepLinear(widths=(1, 1, 1), X=one, Y=one).rescaling_degree is None
    # σ = z + z²: the unit's rescaling by c = 2 with k = 1 (or 2) changes L at w = u = 1
    mixed = TwoLayer(n=1, width=1, activation=(F(0), F(1), F(1)), X=one, Y=one)
    assert all(loss_value(mixed, _rescaled(mixed, [F(1), F(1)], 0, F(2), k)) != loss_value(mixed, [F(1), F(1)])
               for k in (1, 2))
