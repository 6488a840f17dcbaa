"""numeric.teacher: Safran & Shamir's protocol. The closed-form gradient and Hessian against autograd of the
project's loss, the global minimum reached and not spurious, a planted spurious minimum found again and
classified spurious, families up to permutation, the Wilson interval, and plain GD against gd+newton from the
same initial points."""

import math

import pytest
import torch

from numeric import teacher as T
from numeric.losses import make_loss
from verify.errors import InputError
from verify.problems import ReluTeacher

D = torch.float64

SPURIOUS_6 = [  # an end point of the k = n = 6 protocol (seed 0) with loss 0.02508…, rounded to 10 digits
    [-0.0504134013, -0.0504134049, 0.3080109969, -0.0504134049, -0.050413405, 0.9867038169],
    [-0.0504134013, -0.0504134049, 0.308010997, -0.0504134049, 0.9867038169, -0.050413405],
    [0.9867038279, -0.0504134002, 0.3080109708, -0.0504134002, -0.0504134002, -0.0504134002],
    [-0.0504134013, -0.0504134048, 0.3080109966, 0.9867038171, -0.0504134049, -0.0504134049],
    [-0.0504134013, 0.9867038171, 0.3080109965, -0.0504134048, -0.0504134049, -0.0504134049],
    [0.2245157904, 0.2245158114, -0.6015119241, 0.2245158115, 0.2245158119, 0.2245158117]]


def loss_of(k, n, teacher=None):
    d = {"kind": "relu-teacher", "k": k, "n": n}
    if teacher is not None:
        d["teacher"] = teacher
    return make_loss(ReluTeacher.from_dict(d), device="cpu")


@pytest.mark.parametrize("teacher", [None, [[1, 2, 0, -1], ["1/2", 0, 3, 1]]])
def test_gradient_and_hessian_equal_autograd(teacher):
    """Both branches of :func:`gradient` (the basis teacher and a general one) and the Hessian blocks against
    torch.func on numeric.losses' lowering, at random points and next to the global minimum."""
    k, n = 3, 4
    L = loss_of(k, n, teacher)
    V = L.lowering.V
    g = torch.Generator().manual_seed(3)
    W = torch.randn(4, k, n, generator=g, dtype=D)
    if teacher is None:
        W[0] = V + 1e-6 * torch.randn(k, n, generator=g, dtype=D)
    G, H = T.gradient(W, V), T.hessian(W, V)
    for b in range(W.shape[0]):
        x = W[b].reshape(-1)
        assert torch.allclose(G[b].reshape(-1), torch.func.grad(L.single)(x), atol=1e-12, rtol=1e-10)
        assert torch.allclose(H[b], torch.func.hessian(L.single)(x), atol=1e-8, rtol=1e-8)
    assert torch.allclose(H, H.transpose(1, 2), atol=1e-14)


def test_global_minimum_is_reached_and_not_spurious():
    k = n = 5
    V = torch.eye(k, n, dtype=D)
    assert T.neuron_norms(T.gradient(V[None], V)).item() < 1e-12
    lam = torch.linalg.eigvalsh(T.hessian(V[None], V))[0]
    assert lam.min() > 0.01                                         # W = V is a strict minimum
    g = torch.Generator().manual_seed(1)
    start = V[torch.randperm(k, generator=g)] + 1e-2 * torch.randn(k, n, generator=g, dtype=D)
    for optimiser in ("gd", "gd+newton"):
        end, steps, _, conv = T.descend(torch.stack([start, V.clone()]), V, T.Protocol(optimiser=optimiser))
        assert conv.all() and steps[1] == 0                         # W = V stops at once
        assert T.neuron_norms(T.gradient(end, V)).max() < 1e-9
        assert T.same_up_to_permutation(end[0], V, 1e-6)
        assert loss_of(k, n)(end.reshape(2, -1)).max() < 1e-12


def test_planted_spurious_minimum_is_found_and_classified_spurious():
    """From a permuted, perturbed copy of a spurious end point the protocol returns to it (same up to
    permutation), a GD step no longer moves it, its Hessian is positive definite and its loss ≥ 1e-3: the run
    counts it spurious, and the global minimum beside it not."""
    P = torch.tensor(SPURIOUS_6, dtype=D)
    V = torch.eye(6, dtype=D)
    g = torch.Generator().manual_seed(2)
    starts = torch.stack([P[torch.randperm(6, generator=g)] + 1e-3 * torch.randn(6, 6, generator=g, dtype=D),
                          V + 1e-3 * torch.randn(6, 6, generator=g, dtype=D)])
    p = T.Protocol()
    end, steps, newton, conv = T.descend(starts, V, p)
    losses = loss_of(6, 6)(end.reshape(2, -1))
    run = T.TeacherRun(k=6, n=6, protocol=p, seed=0, points=end, losses=losses, steps=steps, by_newton=newton,
                       converged=conv, seconds=0.0)
    assert run.spurious_mask.tolist() == [True, False] and run.fraction == 0.5
    assert math.isclose(float(losses[0]), 0.0250805810, rel_tol=1e-8)
    assert T.same_up_to_permutation(end[0], P, 1e-5) and T.same_up_to_permutation(end[1], V, 1e-6)
    assert (0.1 * T.gradient(end, V)).abs().max() < 1e-10                        # a fixed point of GD
    assert torch.linalg.eigvalsh(T.hessian(end[:1], V))[0].min() > 1e-3
    (fam,) = run.spurious_families()
    assert fam.count == 1 and fam.members == [0]


def test_families_merge_permuted_copies_only():
    g = torch.Generator().manual_seed(4)
    A, B = torch.randn(2, 4, 5, generator=g, dtype=D)
    pts = torch.stack([A, A[[2, 0, 3, 1]] + 1e-9, B, A[[1, 0, 2, 3]], A + 1e-2, B[[3, 2, 1, 0]]])
    losses = torch.tensor([0.5, 0.5, 0.25, 0.5, 0.5, 0.25], dtype=D)
    fams = T.families(pts, losses)
    assert [(f.loss, sorted(f.members)) for f in fams] == [(0.25, [2, 5]), (0.5, [0, 1, 3]), (0.5, [4])]
    # the same point up to permutation but a different loss (a broken loss) is never merged
    assert len(T.families(pts[:2], torch.tensor([0.5, 0.6], dtype=D))) == 2
    assert not T.same_up_to_permutation(A, torch.stack([A[0], A[0], A[2], A[3]]))   # not a bijection


def test_wilson_interval():
    """Known values, and the interval's ends solve (p̂ − p)² = z² p(1 − p)/n (the score test) independently."""
    assert [round(x, 4) for x in T.wilson(5, 10)] == [0.2366, 0.7634]
    assert T.wilson(0, 10)[0] == 0.0 and round(T.wilson(0, 10)[1], 4) == 0.2775
    assert T.wilson(10, 10)[1] == 1.0 and round(T.wilson(10, 10)[0], 4) == 0.7225
    z = 1.959963984540054
    for x, n in ((3, 1000), (949, 1000), (55, 1000), (1, 7)):
        ph = x / n
        a, b, c = 1 + z * z / n, -(2 * ph + z * z / n), ph * ph        # (1 + z²/n)p² − (2p̂ + z²/n)p + p̂² = 0
        disc = math.sqrt(b * b - 4 * a * c)
        lo, hi = T.wilson(x, n)
        assert math.isclose(lo, (-b - disc) / (2 * a), abs_tol=1e-12) and math.isclose(hi, (-b + disc) / (2 * a))
        assert lo < ph < hi
    with pytest.raises(InputError):
        T.wilson(1, 0)


def test_initial_points_are_seeded_per_k_and_n():
    a, b = T.initial_points(6, 6, 50, seed=1), T.initial_points(6, 6, 50, seed=1)
    assert torch.equal(a, b) and a.dtype == D and a.shape == (50, 6, 6)
    assert not torch.equal(a, T.initial_points(6, 6, 50, seed=2))
    assert not torch.equal(a[:, :, :6], T.initial_points(6, 7, 50, seed=1)[:, :, :6])
    assert abs(float(T.initial_points(10, 10, 400, seed=0).var()) - 0.1) < 0.01        # N(0, 1/n)


def _agree(k, starts, seed):
    a = T.reproduce(k, k, starts=starts, seed=seed, device="cpu")
    b = T.reproduce(k, k, starts=starts, seed=seed, protocol=T.Protocol(optimiser="gd"), device="cpu")
    assert a.converged.all() and b.converged.all()
    assert 0 < b.spurious < starts and a.spurious == b.spurious
    assert T.agreement(a, b) == starts
    assert a.by_newton.sum() > starts // 2 and not b.by_newton.any()
    assert a.steps.sum() < b.steps.sum()
    assert torch.allclose(a.losses, b.losses, atol=1e-9)


def test_plain_gd_and_gd_newton_agree_on_the_same_starts():
    """k = n = 8, 12 starts (some end spurious): every start ends at the same point up to permutation under the
    paper's plain GD and under gd+newton, and gd+newton takes fewer GD steps."""
    _agree(8, 12, seed=1)


@pytest.mark.slow
def test_plain_gd_and_gd_newton_agree_k9_200_starts():
    _agree(9, 200, seed=0)


def test_bad_protocol_and_sizes():
    with pytest.raises(InputError, match="optimiser"):
        T.Protocol(optimiser="adam").check()
    with pytest.raises(InputError, match="tol"):
        T.Protocol(tol=0.0).check()
    with pytest.raises(InputError, match="starts"):
        T.reproduce(3, 3, starts=0)
    with pytest.raises(InputError, match="teacher"):
        T.reproduce(4, 3, starts=2)                                    # the default teacher needs k ≤ n
