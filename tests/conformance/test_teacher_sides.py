"""The relu-teacher closed forms on the two sides of the import rule stay one formula: the torch search's float64
gradient and Hessian (numeric.teacher) against the arb evaluation the certificates are built from
(verify.exact.ball.teacher), and the torch loss (numeric.losses) against the arb loss, at random points."""

from fractions import Fraction as F

import numpy as np
import pytest
import torch

from numeric import teacher as T
from numeric.losses import make_loss
from verify.exact.ball import teacher as B
from verify.problems import ReluTeacher, default_teacher

CASES = [(2, 2, 0), (3, 3, 1), (3, 4, 2), (5, 5, 3)]
RTOL = 1e-9


def _point(k, n, seed):
    return torch.randn(k, n, dtype=torch.float64, generator=torch.Generator().manual_seed(seed)) / np.sqrt(n)


def _close(got, want):
    """max |got − want| within RTOL of max |want| (entries of a gradient or Hessian share one scale)."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return np.abs(got - want).max() <= RTOL * max(np.abs(want).max(), 1e-300)


@pytest.mark.parametrize("k, n, seed", CASES)
def test_float_gradient_matches_the_ball_gradient(k, n, seed):
    P = ReluTeacher(k=k, n=n, teacher=default_teacher(k, n))
    W = _point(k, n, seed)
    V = make_loss(P, device="cpu").lowering.V
    g = T.gradient(W[None], V)[0].reshape(-1).numpy()
    ball = [float(v.mid()) for v in B.gradient_ball(P, W.reshape(-1).tolist())]
    assert _close(g, ball), (g, ball)


@pytest.mark.parametrize("k, n, seed", CASES)
def test_float_hessian_and_loss_match_the_ball_side(k, n, seed):
    P = ReluTeacher(k=k, n=n, teacher=default_teacher(k, n))
    W = _point(k, n, seed)
    loss = make_loss(P, device="cpu")
    H = T.hessian(W[None], loss.lowering.V)[0].numpy()
    assert _close(H, B.hessian_float(P, W.reshape(-1).tolist()))
    assert float(loss(W.reshape(1, -1))[0]) == pytest.approx(B.loss_float(P, W.reshape(-1).tolist()), rel=RTOL)


def test_a_broken_side_is_caught():
    """The comparison fails when one side's formula is off: the ball gradient of the wrong teacher (row 0 scaled
    by 1 + 1e-6) differs from the torch gradient by more than the tolerance."""
    P = ReluTeacher(k=3, n=3, teacher=default_teacher(3, 3))
    Q = ReluTeacher(k=3, n=3, teacher=((F(1_000_001, 1_000_000), F(0), F(0)),) + default_teacher(3, 3)[1:])
    W = _point(3, 3, 7)
    g = T.gradient(W[None], make_loss(P, device="cpu").lowering.V)[0].reshape(-1).numpy()
    assert not _close(g, [float(v.mid()) for v in B.gradient_ball(Q, W.reshape(-1).tolist())])
