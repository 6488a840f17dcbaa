"""The numeric layer (torch, float64) agrees with the exact layer (python-flint) on every polynomial problem kind.

For random small rational problems and points (hypothesis), L, ∇L and ∇²L from :mod:`numeric` match
:func:`verify.exact.derivatives.taylor` to relative error 1e-9 (norm-wise: ‖numeric − exact‖∞ ≤ 1e-9·max(1, ‖exact‖∞)).
ReLU two-layer nets are compared on the open cell of the point's activation pattern. relu-teacher (arccos kernel,
no exact polynomial form) is compared against Monte-Carlo estimates with a fixed seed and a 5-standard-error
tolerance.
"""

import math
from fractions import Fraction as F

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from numeric.hessian import hessians
from numeric.losses import make_loss, value_and_grad
from verify.exact.derivatives import taylor
from verify.problems import DeepLinear, ReluTeacher, TwoLayer

D = torch.float64
rat = st.fractions(min_value=-3, max_value=3, max_denominator=4)
pos = st.fractions(min_value=0, max_value=2, max_denominator=4)


def mat(draw, r, c, s=rat):
    return tuple(tuple(draw(s) for _ in range(c)) for _ in range(r))


@st.composite
def problems(draw):
    m = draw(st.integers(1, 3))
    kind = draw(st.sampled_from(["deep-linear", "poly", "relu"]))
    if kind == "deep-linear":
        widths = tuple(draw(st.lists(st.integers(1, 3), min_size=2, max_size=4)))
        shapes = [(widths[i], widths[i - 1]) for i in range(1, len(widths))]
        if draw(st.booleans()):
            reg = draw(pos)
        else:
            reg = tuple(mat(draw, r, c, pos) for r, c in shapes)
        return DeepLinear(widths=widths, X=mat(draw, widths[0], m), Y=mat(draw, widths[-1], m), reg=reg)
    n, p, dy = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 2))
    if kind == "poly":
        act = tuple(draw(st.lists(rat, min_size=1, max_size=4)))
        if all(c == 0 for c in act):
            act = act[:-1] + (F(1),)
    else:
        act = "relu"
    train = draw(st.booleans())
    reg = draw(st.sampled_from([F(0), F(1, 2)]))
    return TwoLayer(n=n, width=p, activation=act, X=mat(draw, n, m), Y=mat(draw, dy, m),
                    train_output=train, output=None if train else mat(draw, dy, p), reg=reg)


def close(num, exact, rel=1e-9):
    exact_t = torch.tensor(exact, dtype=D)
    scale = max(1.0, float(exact_t.abs().max())) if exact_t.numel() else 1.0
    return float((num - exact_t).abs().max()) <= rel * scale if exact_t.numel() else True


def q(x):
    return float(F(int(x.p), int(x.q)))


@given(problems(), st.data())
def test_loss_gradient_hessian_match_exact(prob, data):
    point = [data.draw(rat) for _ in range(prob.n_params)]
    mask = None
    if prob.piecewise_polynomial:
        mask = prob.activation_pattern(point)
        if mask is None:   # on a kink: the exact layer calls it unknown; nothing to compare
            return
    t = taylor(prob, point, relu_mask=mask)
    L = make_loss(prob)
    th = torch.tensor([[float(x) for x in point]], dtype=D)
    v, g = value_and_grad(L, th)
    H = hessians(L, th)[0]
    assert close(v[0], q(t.loss)), (float(v[0]), q(t.loss))
    assert close(g[0], [q(x) for x in t.gradient])
    assert close(H, [[q(x) for x in row] for row in t.hessian])


def _mc(prob, W, n_samples=400_000, seed=0):
    """Monte-Carlo estimate of F(W) = ½E[(Σ relu(w_i·x) − Σ relu(v_j·x))²] and of ∇F, with standard errors."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(n_samples, prob.n, dtype=D, generator=gen)
    V = torch.tensor([[float(a) for a in row] for row in prob.teacher], dtype=D)
    zw = x @ W.T
    r = torch.relu(zw).sum(1) - torch.relu(x @ V.T).sum(1)
    f = 0.5 * r * r
    # ∇_{w_i} of ½r² = r · 1[w_i·x > 0] · x
    gs = (r[:, None, None] * (zw > 0)[:, :, None] * x[:, None, :]).reshape(n_samples, -1)
    se = lambda s: s.std(0) / math.sqrt(n_samples)  # noqa: E731
    return f.mean(), se(f), gs.mean(0), se(gs)


@pytest.mark.parametrize("k,n,seed", [(2, 2, 0), (3, 4, 1), (4, 4, 2)])
def test_relu_teacher_matches_monte_carlo(k, n, seed):
    teacher = tuple(tuple(F(int(i == j)) for j in range(n)) for i in range(k))
    prob = ReluTeacher(k=k, n=n, teacher=teacher)
    W = torch.randn(k, n, dtype=D, generator=torch.Generator().manual_seed(100 + seed))
    v, g = value_and_grad(make_loss(prob), W.reshape(1, -1))
    mean, se, gmean, gse = _mc(prob, W, seed=seed)
    assert abs(float(v[0]) - float(mean)) <= 5 * float(se)
    assert bool(((g[0] - gmean).abs() <= 5 * gse + 1e-12).all()), (g[0], gmean, gse)
