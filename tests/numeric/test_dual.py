"""Dual numbers through ring_loss: exact gradients agree with the exact layer, mpmath gradients with torch, and a
new polynomial kind needs only its torch lowering."""

import random
from dataclasses import dataclass
from fractions import Fraction as F

import pytest
import torch

from numeric import Criticality, exact_criticality
from numeric.bridge import rationalise
from numeric.dual import Dual, dual_value_and_grad
from numeric.losses import LOWERINGS, Lowering, lowering, make_loss, value_and_grad
from numeric.mp_gradient import loss_and_grad
from verify.errors import InputError
from verify.exact.classify import classify
from verify.problems import DeepLinear, Problem, ReluTeacher, TwoLayer, default_teacher

PROBLEMS = [
    DeepLinear(widths=(2, 2, 1, 2), X=((F(1), F(2), F(0)), (F(-1), F(1, 2), F(3))),
               Y=((F(1), F(0), F(2)), (F(1, 3), F(1), F(-1))), reg=F(1, 5)),
    TwoLayer(n=2, width=2, activation=(F(1), F(-1), F(0), F(1, 2)), X=((F(1), F(2)), (F(0), F(-1))),
             Y=((F(1), F(3)),)),
    TwoLayer(n=2, width=3, activation="relu", X=((F(1), F(2)), (F(1), F(-1))), Y=((F(1), F(3)),)),
]


def test_dual_arithmetic_is_the_leibniz_rule():
    x = Dual(F(3), {0: F(1)})
    y = Dual(F(2), {1: F(1)})
    z = (x * y - 2 * x + 1) * x            # (xy − 2x + 1)x: ∂x = 2xy − 4x + 1 = 1, ∂y = x² = 9
    assert z.val == F(3) and z.tan == {0: F(1), 1: F(9)}
    assert (1 - x).val == -2 and (1 - x).tan == {0: -1}


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.describe())
def test_exact_gradient_agrees_with_the_exact_layer(problem):
    rng = random.Random(0)
    compared = 0
    for _ in range(3):
        q = [F(rng.randint(-6, 6), rng.randint(1, 5)) for _ in range(problem.n_params)]
        got = exact_criticality(problem, q)
        want = classify(problem, q)
        if want.gradient is None:                       # a ReLU kink: both say undecided
            assert got.criticality is Criticality.UNKNOWN
            continue
        assert list(got.gradient) == want.gradient and got.loss == want.loss
        assert (got.criticality is Criticality.YES) == all(g == 0 for g in want.gradient)
        compared += 1
    assert compared >= 2


@pytest.mark.parametrize("problem", PROBLEMS + [ReluTeacher(k=2, n=3, teacher=default_teacher(2, 3))],
                         ids=lambda p: p.describe())
def test_mp_gradient_agrees_with_torch(problem):
    x = torch.randn(1, problem.n_params, dtype=torch.float64, generator=torch.Generator().manual_seed(3))
    v, g = value_and_grad(make_loss(problem, device="cpu"), x)
    L, gm = loss_and_grad(problem, x[0].tolist(), digits=30)
    assert float(L) == pytest.approx(v.item(), rel=1e-12)
    assert [float(a) for a in gm] == pytest.approx(g[0].tolist(), rel=1e-10, abs=1e-12)


@dataclass(frozen=True)
class Quartic(Problem):
    """A toy kind defined only here: L(a, b) = ½(a² b − 1)² + ½ λ b²."""

    lam: F = F(0)
    kind = "test-quartic"
    file_keys = frozenset({"kind"})
    required_keys = ()

    def param_shapes(self):
        return (("a", 1, 1), ("b", 1, 1))

    def ring_loss(self, mats, conv, zero, relu_mask=None):
        a, b = mats["a"][0][0], mats["b"][0][0]
        r = a * a * b - conv(F(1))
        return conv(F(1, 2)) * (r * r + conv(self.lam) * b * b)

    @property
    def polynomial(self):
        return True


def test_a_new_polynomial_kind_needs_only_its_lowering():
    p = Quartic()
    assert exact_criticality(p, [F(2), F(1, 4)]).criticality is Criticality.YES
    assert exact_criticality(p, [F(1), F(2)]).criticality is Criticality.NO
    assert float(loss_and_grad(p, [F(1), F(2)])[1][1]) == 1.0
    with pytest.raises(InputError, match="no torch lowering"):
        make_loss(p)

    @lowering("test-quartic")
    class QuarticLowering(Lowering):
        def loss(self, mats):
            a, b = mats[0][..., 0, 0], mats[1][..., 0, 0]
            return ((a * a * b - 1) ** 2 + float(self.problem.lam) * b * b) / 2

    try:
        e = rationalise(p, [1.9996, 0.2501])
        assert e.exactly_critical is Criticality.YES and e.point[0] ** 2 * e.point[1] == 1
    finally:
        del LOWERINGS["test-quartic"]


def test_no_ring_loss_raises_for_duals():
    with pytest.raises(InputError, match="no ring loss"):
        dual_value_and_grad(ReluTeacher(k=1, n=1, teacher=default_teacher(1, 1)), [F(1)], F)
