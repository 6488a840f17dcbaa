"""Batched losses: values on known points, batching = row by row, relu-teacher kernel facts, bad input."""

import math
from fractions import Fraction as F

import pytest
import torch

from numeric.losses import arccos_kernel, make_loss, value_and_grad
from verify.errors import InputError
from verify.problems import DeepLinear, ReluTeacher, TwoLayer, default_teacher

D = torch.float64


def scalar(depth, x=1, y=1, reg=0):
    return DeepLinear(widths=(1,) * (depth + 1), X=((F(x),),), Y=((F(y),),), reg=F(reg))


def test_deep_linear_values():
    L = make_loss(scalar(3))
    th = torch.tensor([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [2.0, 1.0, 1.0]], dtype=D)
    assert L(th).tolist() == [0.5, 0.0, 0.5]


def test_per_weight_reg_and_two_layer_formula():
    reg = (((F(1), F(2)),), ((F(3),),))
    p = DeepLinear(widths=(2, 1, 1), X=((F(1),), (F(2),)), Y=((F(1),),), reg=reg)
    L = make_loss(p)
    a, b, c = 0.5, -1.0, 2.0
    want = 0.5 * (c * (a * 1 + b * 2) - 1) ** 2 + 0.5 * (1 * a * a + 2 * b * b + 3 * c * c)
    assert L(torch.tensor([[a, b, c]], dtype=D)).item() == pytest.approx(want, rel=1e-14)
    t = TwoLayer(n=1, width=2, activation=(F(1), F(0), F(1)), X=((F(1), F(-2)),), Y=((F(1), F(0)),), reg=F(1, 2))
    w1, w2, u1, u2 = 0.3, -0.7, 1.1, 0.2
    s = lambda z: 1 + z * z  # noqa: E731
    fit = sum((u1 * s(w1 * x) + u2 * s(w2 * x) - y) ** 2 for x, y in ((1, 1), (-2, 0)))
    want = 0.5 * fit + 0.25 * (w1 ** 2 + w2 ** 2 + u1 ** 2 + u2 ** 2)
    assert make_loss(t)(torch.tensor([[w1, w2, u1, u2]], dtype=D)).item() == pytest.approx(want, rel=1e-14)


@pytest.mark.parametrize("prob", [
    scalar(3),
    TwoLayer(n=2, width=3, activation="relu", X=((F(1), F(2)), (F(0), F(-1))), Y=((F(1), F(0)),)),
    TwoLayer(n=2, width=2, activation=(F(0), F(0), F(1)), X=((F(1), F(2)), (F(0), F(-1))), Y=((F(1), F(0)),),
             train_output=False, output=((F(1), F(-1)),)),
    ReluTeacher(k=3, n=4, teacher=default_teacher(3, 4)),
])
def test_batch_equals_rows(prob):
    L = make_loss(prob)
    th = torch.randn(7, prob.n_params, dtype=D, generator=torch.Generator().manual_seed(1))
    v, g = value_and_grad(L, th)
    for i in range(7):
        vi, gi = value_and_grad(L, th[i:i + 1])
        assert torch.allclose(v[i], vi[0], rtol=1e-13, atol=0)
        assert torch.allclose(g[i], gi[0], rtol=1e-12, atol=1e-14)
    assert torch.allclose(torch.func.vmap(torch.func.grad(L.single))(th), g, rtol=1e-12, atol=1e-14)


def test_arccos_kernel_closed_form_and_diagonal():
    u = torch.tensor([[1.0, 0.0]], dtype=D)
    v = torch.tensor([[0.0, 2.0]], dtype=D)
    # θ = π/2: k = ‖u‖‖v‖(1 + 0)/(2π)
    assert arccos_kernel(u, v).item() == pytest.approx(2 / (2 * math.pi), rel=1e-14)
    # θ = 0: k = ‖u‖‖v‖ π / (2π) = ‖u‖‖v‖/2 ; same=True puts ‖u‖²/2 on the diagonal
    assert arccos_kernel(u, 3 * u).item() == pytest.approx(1.5, rel=1e-14)
    W = torch.tensor([[1.0, 1.0], [0.0, 1.0]], dtype=D)
    K = arccos_kernel(W, W, same=True)
    assert K[0, 0].item() == pytest.approx(1.0) and K[1, 1].item() == pytest.approx(0.5)


def test_relu_teacher_global_min_has_finite_zero_gradient():
    p = ReluTeacher(k=4, n=4, teacher=default_teacher(4, 4))
    L = make_loss(p)
    W = torch.eye(4, dtype=D).reshape(1, 16)
    v, g = value_and_grad(L, W)
    assert abs(v.item()) < 1e-14
    assert torch.isfinite(g).all() and g.abs().max() < 1e-14
    # a permutation of the teacher is also a global minimum
    P = torch.eye(4, dtype=D)[[2, 0, 3, 1]].reshape(1, 16)
    assert abs(L(P).item()) < 1e-14


def test_relu_teacher_hessian_finite_off_parallel():
    p = ReluTeacher(k=3, n=3, teacher=default_teacher(3, 3))
    L = make_loss(p)
    th = torch.randn(4, 9, dtype=D, generator=torch.Generator().manual_seed(0))
    H = torch.func.vmap(torch.func.hessian(L.single))(th)
    assert torch.isfinite(H).all()
    assert torch.allclose(H, H.transpose(1, 2), atol=1e-12)


def test_bad_input():
    L = make_loss(scalar(2))
    with pytest.raises(InputError, match="theta"):
        L(torch.zeros(3, 5, dtype=D))
    with pytest.raises(InputError, match="problem"):
        make_loss("not a problem")
    with pytest.raises(InputError, match="dtype"):
        make_loss(scalar(2), dtype=torch.int64)


def test_float32_and_device():
    L = make_loss(scalar(2), dtype=torch.float32, device="cpu")
    assert L(torch.zeros(2, 2)).dtype == torch.float32
    assert L.device.type == "cpu"
